/* sign.h — request signatures of the Alibaba Cloud RPC gateway.
 *
 * Signature v1 (guide section 4.5): HMAC-SHA1 over
 *   METHOD & %2F & encode(canonicalized query string)
 * keyed with secret + "&", Base64-encoded.
 */
#ifndef IOTDECK_SIGN_H
#define IOTDECK_SIGN_H

#include <stddef.h>

#include "api/params.h"
#include "core/buf.h"

/* Appends the v1 StringToSign for method ("GET"/"POST") and p (Signature skipped). */
void sign_v1_string_to_sign(const char *method, const struct params *p, struct buf *out);
/* Returns the caller-freed Base64 v1 signature of p for method under secret. */
char *sign_v1(const char *method, const struct params *p, const char *secret);

/* Hex-encoded SHA-256 of data[0..len) into out (65 bytes, NUL-terminated). */
void sign_sha256_hex(const void *data, size_t len, char out[65]);
/* Hex-encoded HMAC-SHA256 of data under key into out (65 bytes). */
void sign_hmac_sha256_hex(const char *key, size_t keylen, const void *data, size_t len,
    char out[65]);

/* Constant-time comparison of two NUL-terminated strings; 1 when equal. */
int sign_equal(const char *a, const char *b);

#endif
