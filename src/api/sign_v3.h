/* sign_v3.h — signature v3 (ACS3-HMAC-SHA256) of the Alibaba Cloud gateway.
 *
 * What @alicloud/openapi-util getAuthorization computes (and the gateway checks):
 *   CanonicalRequest = METHOD \n URI \n CanonicalQuery \n CanonicalHeaders \n
 *                      SignedHeaders \n HexPayloadHash
 *   CanonicalQuery   = name=encode(value) pairs sorted by name, joined by '&'
 *   CanonicalHeaders = "name:value\n" for each signed header, names lower-case and
 *                      sorted, values trimmed
 *   SignedHeaders    = the lower-case names joined by ';'
 *   StringToSign     = "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(secret, StringToSign))
 *   Authorization    = "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=...,Signature=..."
 * Names in the query are RFC 3986 encoded like values (the SDK leaves them raw; the two
 * agree for every parameter name the API uses).
 */
#ifndef IOTDECK_SIGN_V3_H
#define IOTDECK_SIGN_V3_H

#include "api/params.h"
#include "core/buf.h"

#define SIGN_V3_ALGORITHM "ACS3-HMAC-SHA256"

/* Appends the canonical request. headers holds the signed headers: names must be
 * lower-case (they are sorted here, values trimmed); payload_hash is the hex SHA-256 of
 * the body (x-acs-content-sha256). path is the URI path ("/" for RPC). */
void sign_v3_canonical_request(const char *method, const char *path,
    const struct params *query, const struct params *headers, const char *payload_hash,
    struct buf *out);
/* Appends the canonical query of query (its pairs sorted by name, names and values
 * RFC 3986-encoded, joined by '&'): the canonical request's third line, and what a client
 * puts in the URL. */
void sign_v3_canonical_query(const struct params *query, struct buf *out);
/* Appends the string to sign for a canonical request. */
void sign_v3_string_to_sign(const char *canonical_request, struct buf *out);
/* Returns the caller-freed hex signature of canonical_request under secret. */
char *sign_v3_signature(const char *secret, const char *canonical_request);
/* Returns the caller-freed Authorization header value (without "Authorization: ") for
 * the request; headers as for sign_v3_canonical_request. */
char *sign_v3_authorization(const char *access_key_id, const char *secret,
    const char *method, const char *path, const struct params *query,
    const struct params *headers, const char *payload_hash);

#endif
