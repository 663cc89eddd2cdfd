/* fuzz_sim_v1.c — libFuzzer target for the simulator's v1 request parsing: the query string
 * and the form body (request.c: percent-decoding, the caps on parameters and body) and the
 * v1 signature check that reads them (auth.c: required parameters, method and version,
 * nonce length, timestamp, signature, nonce cache).
 *
 * Input: one flags byte, then the request URI ("/?query"), a newline, and the body.
 * flags bit 0: POST (else GET); bit 1: the body is sent as a form; bit 2: the harness
 * re-signs the decoded parameters with the key's secret, so that the checks after the
 * signature (the nonce cache) are reached too. The clock is fixed at 2026-01-01T00:00:00Z.
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
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW ((time_t)1767225600)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_auth *a;
	struct sim_request r;
	struct sim_error err = { 0, NULL, NULL, 0 };
	struct sim_caller who;
	const char *nl;
	char *uri, *cause = NULL, *sig;
	unsigned flags;
	int i;

	if (size < 1 || sodium_init() < 0)
		return 0;
	flags = data[0];
	data++;
	size--;
	nl = memchr(data, '\n', size);
	uri = nl != NULL ? xstrndup((const char *)data, (size_t)(nl - (const char *)data)) :
	    xstrndup((const char *)data, size);
	a = sim_auth_new();
	sim_auth_add_key(a, "k1", "s1", &cause);
	sim_request_init(&r);
	if ((flags & 2) != 0)
		sim_request_add_header(&r, "Content-Type", "application/x-www-form-urlencoded",
		    &cause);
	if (sim_request_parse(&r, (flags & 1) ? "POST" : "GET", uri, nl != NULL ? nl + 1 : NULL,
	    nl != NULL ? size - (size_t)(nl + 1 - (const char *)data) : 0, &cause) != 0) {
		free(cause);
		goto out;
	}
	if ((flags & 4) != 0) {
		sig = sign_v1(r.method, &r.all, "s1");
		params_set(&r.all, "Signature", sig);
		free(sig);
	}
	/* Twice: the second time the nonce (when the first passed) is a replay. */
	for (i = 0; i < 2; i++) {
		if (sim_auth_check(a, &r, NOW, &who, &err) == 0 && strcmp(who.akid, "k1") != 0)
			abort();
		sim_error_clear(&err);
	}
out:
	sim_request_free(&r);
	sim_auth_free(a);
	free(uri);
	return 0;
}
