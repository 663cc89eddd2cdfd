/* sign.c — request signatures (OpenSSL for the MACs and Base64). */
#include "api/sign.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <sodium.h>

#include "core/secret.h"
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

/* Each thread's guarded buffer for the v1 key (the secret and "&"): sodium_malloc maps,
 * mlocks and protects pages, and unmapping them makes every CPU flush its TLB, about
 * 70 us a request that ran twice on each link of a NextToken chain (the client signing
 * it, iotdeck-sim checking it). One buffer per thread, wiped after each use and freed when
 * the thread ends, keeps the key out of the ordinary heap at no cost a request. */
static pthread_key_t  key_tls;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void
key_buf_free(void *p)
{
	sodium_free(p);
}

static void
key_tls_init(void)
{
	if (pthread_key_create(&key_tls, key_buf_free) != 0)
		abort();
}

/* This thread's key buffer, SECRET_MAX + 1 bytes. */
static unsigned char *
key_buf(void)
{
	unsigned char *key;

	pthread_once(&key_once, key_tls_init);
	if ((key = pthread_getspecific(key_tls)) != NULL)
		return key;
	key = sodium_init() < 0 ? NULL : sodium_malloc(SECRET_MAX + 1);
	if (key == NULL || pthread_setspecific(key_tls, key) != 0) {
		fputs("iotdeck: out of guarded memory\n", stderr);
		abort();
	}
	return key;
}

/* HMAC through contexts that already hold their digest: HMAC() looks the algorithm and
 * the digest up by name on every call (OpenSSL 3): three quarters of a v1 signature's
 * time. One keyless context per digest is made once; each MAC works on a copy of it. */
enum { MAC_SHA1, MAC_SHA256, MAC_KINDS };
static EVP_MAC_CTX   *mac_base[MAC_KINDS];
static pthread_once_t mac_once = PTHREAD_ONCE_INIT;

static void
mac_init(void)
{
	static const char *const names[MAC_KINDS] = { "SHA1", "SHA256" };
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	OSSL_PARAM params[2];
	int i;

	for (i = 0; mac != NULL && i < MAC_KINDS; i++) {
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)names[i], 0);
		params[1] = OSSL_PARAM_construct_end();
		mac_base[i] = EVP_MAC_CTX_new(mac);
		if (mac_base[i] != NULL && EVP_MAC_CTX_set_params(mac_base[i], params) != 1) {
			EVP_MAC_CTX_free(mac_base[i]);
			mac_base[i] = NULL;
		}
	}
	EVP_MAC_free(mac);
}

/* The HMAC of data under key into out (EVP_MAX_MD_SIZE bytes); returns its length, 0 on
 * failure. */
static unsigned
hmac(int kind, const void *key, size_t keylen, const void *data, size_t len,
    unsigned char *out)
{
	EVP_MAC_CTX *c;
	size_t n = 0;

	pthread_once(&mac_once, mac_init);
	if (mac_base[kind] == NULL || (c = EVP_MAC_CTX_dup(mac_base[kind])) == NULL)
		return 0;
	if (EVP_MAC_init(c, key, keylen, NULL) != 1 || EVP_MAC_update(c, data, len) != 1 ||
	    EVP_MAC_final(c, out, &n, EVP_MAX_MD_SIZE) != 1)
		n = 0;
	EVP_MAC_CTX_free(c);
	return (unsigned)n;
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
	 * of core dumps, never reallocated, wiped after use), never in the ordinary heap. */
	if (n > SECRET_MAX)
		n = SECRET_MAX;	/* a secret never is (struct secret holds at most that) */
	key = key_buf();
	memcpy(key, secret, n);
	key[n] = '&';
	maclen = hmac(MAC_SHA1, key, n + 1, buf_str(&sts), sts.len, mac);
	sodium_memzero(key, n + 1);
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

	if (hmac(MAC_SHA256, key, keylen, data, len, mac) != 32)
		memset(mac, 0, 32);
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
