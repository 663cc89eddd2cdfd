/* sign.c — request signatures (OpenSSL for the MACs and Base64). */
#include "api/sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "core/xmalloc.h"

void
sign_v1_string_to_sign(const char *method, const struct params *p, struct buf *out)
{
	struct buf canon = BUF_INIT;

	params_canonical(p, &canon);
	buf_adds(out, method);
	buf_adds(out, "&%2F&");
	pct_encode(out, canon.data ? canon.data : "", canon.len);
	buf_free_wipe(&canon);
}

char *
sign_v1(const char *method, const struct params *p, const char *secret)
{
	struct buf sts = BUF_INIT;
	unsigned char mac[EVP_MAX_MD_SIZE], *key;
	unsigned int maclen = 0;
	size_t n = strlen(secret);
	char *b64;

	sign_v1_string_to_sign(method, p, &sts);
	/* The key is the secret and "&": it is put together in guarded memory (mlocked, out
	 * of core dumps, never reallocated, wiped when freed), never in the ordinary heap. */
	key = sodium_init() < 0 ? NULL : sodium_malloc(n + 1);
	if (key == NULL) {
		fputs("iotdeck: out of guarded memory\n", stderr);
		abort();
	}
	memcpy(key, secret, n);
	key[n] = '&';
	if (HMAC(EVP_sha1(), key, (int)(n + 1), (const unsigned char *)buf_str(&sts),
	    sts.len, mac, &maclen) == NULL)
		maclen = 0;
	sodium_free(key);
	buf_free_wipe(&sts);
	b64 = xmalloc(4 * ((maclen + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)b64, mac, (int)maclen);
	sodium_memzero(mac, sizeof mac);
	return b64;
}

static void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	sodium_bin2hex(out, 2 * len + 1, in, len);
}

void
sign_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	hex_encode(md, 32, out);
}

void
sign_hmac_sha256_hex(const char *key, size_t keylen, const void *data, size_t len,
    char out[65])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, mac, &maclen);
	hex_encode(mac, 32, out);
	sodium_memzero(mac, sizeof mac);
}

int
sign_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}
