/* fuzz_sim_v3.c — libFuzzer target for the simulator's v3 request parsing: headers
 * (request.c), the Authorization header (auth.c sim_auth_v3_parse: algorithm,
 * Credential, SignedHeaders, Signature), the rule that SignedHeaders cover host, every
 * x-acs-* header and content-type, the canonical request with its query, the payload
 * hash, the date and the nonce.
 *
 * Input: one flags byte; header lines "Name: value\n" up to an empty line; the request
 * URI ("/?query"), a newline, and the body. flags bit 0: POST (else GET); bit 1: the
 * harness replaces the Signature of the Authorization header by the right one for what
 * its SignedHeaders list, so that the checks after the signature are reached too. The
 * clock is fixed at 2026-01-01T00:00:00Z.
 *
 * fuzz-sources: src/sim/request.c src/sim/auth.c src/sim/sts.c src/sim/reply.c src/api/params.c src/api/sign.c src/api/sign_v3.c src/core/buf.c src/core/xmalloc.c
 * fuzz-pkgs: openssl
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/sign.h"
#include "api/sign_v3.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW ((time_t)1767225600)

/* Replaces the Signature in r's Authorization header by the right one. */
static void
resign(struct sim_request *r)
{
	struct sim_auth_v3 v;
	struct sim_error err = { 0, NULL, NULL, 0 };
	struct params headers = PARAMS_INIT;
	struct buf canon = BUF_INIT, auth = BUF_INIT;
	const char *authz = sim_request_header(r, "authorization"), *payload, *value;
	char hash[65], *sig;
	size_t i;

	memset(&v, 0, sizeof v);
	if (authz == NULL || sim_auth_v3_parse(authz, &v, &err) != 0)
		goto out;
	payload = sim_request_header(r, "x-acs-content-sha256");
	if (payload == NULL) {
		sign_sha256_hex(r->body != NULL ? r->body : "", r->body_len, hash);
		payload = hash;
	}
	for (i = 0; i < v.signed_headers.n; i++) {
		value = sim_request_header(r, v.signed_headers.v[i].name);
		params_add(&headers, v.signed_headers.v[i].name, value != NULL ? value : "");
	}
	sign_v3_canonical_request(r->method, r->path, &r->query, &headers, payload, &canon);
	sig = sign_v3_signature("s3", buf_str(&canon));
	buf_addf(&auth, "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=", v.credential);
	for (i = 0; i < v.signed_headers.n; i++)
		buf_addf(&auth, "%s%s", i ? ";" : "", v.signed_headers.v[i].name);
	buf_addf(&auth, ",Signature=%s", sig);
	free(sig);
	for (i = 0; i < r->headers.n; i++) {
		if (strcmp(r->headers.v[i].name, "authorization") == 0) {
			free(r->headers.v[i].value);
			r->headers.v[i].value = xstrdup(buf_str(&auth));
			break;
		}
	}
out:
	sim_auth_v3_free(&v);
	sim_error_clear(&err);
	params_free(&headers);
	buf_free(&canon);
	buf_free(&auth);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_auth *a;
	struct sim_request r;
	struct sim_error err = { 0, NULL, NULL, 0 };
	const char *p = (const char *)data, *end, *nl, *colon;
	struct sim_caller who;
	char *uri = NULL, *cause = NULL, *name, *value;
	unsigned flags;
	int i;

	if (size < 1 || sodium_init() < 0)
		return 0;
	flags = data[0];
	p++;
	end = (const char *)data + size;
	a = sim_auth_new();
	sim_auth_add_key(a, "k3", "s3", &cause);
	sim_request_init(&r);
	/* Headers, up to an empty line. */
	while (p < end && *p != '\n') {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon != NULL) {
			name = xstrndup(p, (size_t)(colon - p));
			colon++;
			while (colon < nl && *colon == ' ')
				colon++;
			value = xstrndup(colon, (size_t)(nl - colon));
			if (sim_request_add_header(&r, name, value, &cause) != 0) {
				free(cause);
				cause = NULL;
			}
			free(name);
			free(value);
		}
		p = nl < end ? nl + 1 : end;
	}
	if (p < end)
		p++;
	nl = memchr(p, '\n', (size_t)(end - p));
	uri = xstrndup(p, nl != NULL ? (size_t)(nl - p) : (size_t)(end - p));
	if (sim_request_parse(&r, (flags & 1) ? "POST" : "GET", uri, nl != NULL ? nl + 1 : NULL,
	    nl != NULL ? (size_t)(end - nl - 1) : 0, &cause) != 0) {
		free(cause);
		goto out;
	}
	if ((flags & 2) != 0)
		resign(&r);
	for (i = 0; i < 2; i++) {
		if (sim_auth_check(a, &r, NOW, &who, &err) == 0 && strcmp(who.akid, "k3") != 0)
			abort();
		sim_error_clear(&err);
	}
out:
	sim_request_free(&r);
	sim_auth_free(a);
	free(uri);
	return 0;
}
