/* client.h — one signed call to the IoT Platform RPC API.
 *
 * A call is prepared (common parameters of guide section 4.4 added, signature v1 of
 * section 4.5 computed, form body built), then carried by a libcurl easy handle as an
 * HTTPS POST. api_easy_setup() configures a handle without performing it, so the worker's
 * curl multi handle can carry the same requests concurrently.
 */
#ifndef IOTDECK_CLIENT_H
#define IOTDECK_CLIENT_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "api/params.h"
#include "api/response.h"
#include "core/secret.h"
#include "core/buf.h"

/* Default timeouts (the Go SDK's: 5 s to connect, 10 s to read). */
#define API_DEFAULT_CONNECT_TIMEOUT_MS 5000L
#define API_DEFAULT_TIMEOUT_MS         10000L
/* Answers larger than this are refused. */
#define API_MAX_ANSWER_BYTES           (64L * 1024 * 1024)

/* Signature versions (api_config.signature). */
enum { API_SIGNATURE_V1 = 1, API_SIGNATURE_V3 = 3 };
/* The environment variable that picks the signature when neither --signature nor the
 * profile does ("v1" or "v3"). */
#define API_SIGNATURE_ENV "IOTDECK_SIGNATURE"

/* Signature v3 (ACS3-HMAC-SHA256, api/sign_v3.h), as @alicloud/openapi-client's
 * doRequest sends an RPC call (what @alicloud/iot20180120 3.x does by default):
 *   - no common parameters: the action and version travel in headers, the region only
 *     in the endpoint; the API's parameters (IotInstanceId and the user's) go in the
 *     query, as the SDK puts every parameter of this API's actions;
 *   - headers host, x-acs-action, x-acs-version, x-acs-date (ISO 8601 UTC),
 *     x-acs-signature-nonce, x-acs-content-sha256 (hex SHA-256 of the body), with an STS
 *     token x-acs-accesskey-id and x-acs-security-token, content-type when a body is
 *     sent: all of them signed, and Authorization.
 * A query longer than API_V3_QUERY_MAX bytes (batch calls of thousands of devices, a
 * large TSL) would not fit a request line, so the parameters then travel as a form body
 * (application/x-www-form-urlencoded, Node's querystring encoding as the SDK's toForm),
 * which the gateway reads like the query; the SDK's Pub does the same for MessageContent.
 * The SDK's x-acs-credentials-provider header names its own credential classes and is
 * not sent. */
#define API_V3_QUERY_MAX 8192

/* The code of a request refused before sending because its credential has expired
 * (status API_ERR_CONFIG, nothing sent). */
#define API_CODE_CREDENTIAL_EXPIRED "iotdeck.CredentialExpired"

struct api_renewable;

struct api_config {
	char *endpoint;			/* endpoint URL, checked by api_endpoint_check */
	int   endpoint_loopback;	/* the endpoint is on this machine (no proxy) */
	int   endpoint_explicit;	/* given (option, environment, profile): it stays when
					   the region changes; else the region's default */
	char *region;			/* RegionId, e.g. "cn-shanghai" */
	char *instance_id;		/* IotInstanceId, or NULL */
	char *access_key_id;		/* AccessKeyId */
	struct secret *access_key_secret;	/* AccessKey secret in guarded memory (owned; read
					   only between secret_reveal and secret_hide) */
	char *security_token;		/* STS token (sent as SecurityToken), or NULL */
	int64_t token_expiry_ms;	/* when security_token expires (epoch ms), 0 unknown */
	int   signature;		/* API_SIGNATURE_V1 (0 means it too) or API_SIGNATURE_V3 */
	char *cacert;			/* extra CA bundle file, or NULL */
	char *profile;			/* where the credentials came from: a profile name or
					   "env" (for the status bar), or NULL */
	int   readonly;			/* the profile is read-only: writes are refused */
	long  timeout_ms;		/* whole-request timeout */
	long  connect_timeout_ms;	/* connection timeout */
	FILE *trace;			/* --verbose: redacted request/answer lines, or NULL */
	struct api_renewable *renew;	/* a credential renewed during the session (a RAM
					   role), shared by reference with copies of this
					   configuration; NULL: the fields above are the
					   credential. With one, the fields above hold its
					   first value and requests are signed with the
					   current one (api_config_signing) */
};

/* A prepared request: every parameter, signed. */
struct api_prepared {
	char          *action;	/* the Action */
	struct params  params;	/* v1: all parameters including Signature; v3: the
				   query's parameters */
	struct buf     body;	/* the form body (v1: every parameter; v3: form, or empty) */
	char           nonce[33];	/* SignatureNonce (fresh for every preparation) */
	int            v3;	/* signed with v3: the fields below are set */
	struct params  form;	/* v3: the form body's parameters */
	struct params  headers;	/* v3: the signed headers, lower-case names, sorted */
	char          *url;	/* v3: the endpoint with the query */
	char          *path;	/* v3: the URI path signed ("/") */
	char           payload_hash[65];	/* v3: x-acs-content-sha256 */
	char          *authorization;	/* v3: the Authorization header's value */
};

/* Zeroes cfg and sets the default timeouts. */
void api_config_init(struct api_config *cfg);
/* Frees the strings of cfg (the secret and token are wiped first). */
void api_config_free(struct api_config *cfg);
/* Stores a copy of secret[0..strlen) in guarded memory as cfg's AccessKey secret. */
void api_config_set_secret(struct api_config *cfg, const char *secret);

/* Returns the caller-freed default endpoint for a region: https://iot.REGION.aliyuncs.com/ */
char *api_default_endpoint(const char *region);
/* Checks an endpoint URL before anything is sent: https://HOST[:PORT][/PATH], http:// only
 * for loopback hosts (127.0.0.0/8, ::1, localhost); a URL without a scheme means https://.
 * HOST is a host name (letters, digits and '-' in dot-separated labels), a dotted-quad
 * IPv4 address or an IPv6 address in brackets (no zone); PORT is 1-65535; PATH holds RFC
 * 3986 path characters and %XX escapes, no escaped control, no "." or ".." segment. No
 * user name or password, query or fragment; printable ASCII only. On success returns 0,
 * stores the normalised caller-freed URL in *url_out and whether it is loopback in
 * *loopback. On failure returns -1 with a caller-freed, display-safe, one-line reason in
 * *cause that says what is wrong. */
int api_endpoint_check(const char *url, char **url_out, int *loopback, char **cause);

/* Prepares a signed request for action with the user's parameters (which must not set the
 * common ones; see api_param_is_reserved). Uses a fresh nonce and the current time. */
void api_prepare(const struct api_config *cfg, const char *action, const struct params *user,
    struct api_prepared *req);
/* As api_prepare, with a fixed timestamp (for tests). */
void api_prepare_at(const struct api_config *cfg, const char *action,
    const struct params *user, const char *timestamp, struct api_prepared *req);
/* Prepares a v3 request with everything given: the parameters' places (query, form:
 * either may be NULL), the date (x-acs-date) and the nonce. For tests and the SDK's
 * vectors (tests/fixtures/signature-v3.jsonl); api_prepare picks the places itself. */
void api_prepare_v3(const struct api_config *cfg, const char *action, const char *version,
    const struct params *query, const struct params *form, const char *date,
    const char *nonce, struct api_prepared *req);
void api_prepared_free(struct api_prepared *req);
/* API_SIGNATURE_V1 or API_SIGNATURE_V3 for "v1" or "v3", else 0. */
int api_signature_parse(const char *s);
/* "v1" or "v3" for a signature (0 is v1). */
const char *api_signature_name(int signature);
/* Returns 1 when name is a common parameter that iotdeck sets itself. */
int api_param_is_reserved(const char *name);

/* Configures easy (fresh or reset) to send req and collect the answer into answer.
 * errbuf must have CURL_ERROR_SIZE bytes and live as long as the transfer. */
void api_easy_setup(CURL *easy, const struct api_config *cfg, struct api_prepared *req,
    struct buf *answer, char *errbuf);
/* Turns a finished transfer into a result: classifies the answer or the transport failure.
 * is_write marks requests whose repetition is unsafe (for "outcome unknown"). */
enum api_status api_easy_finish(CURL *easy, CURLcode rc, const char *errbuf,
    const struct api_config *cfg, int is_write, const struct buf *answer, cJSON **json,
    struct api_error *err);

/* Releases what api_easy_setup attached to easy, for a transfer abandoned without
 * api_easy_finish (cancelled, or the worker shutting down). Call it before
 * curl_easy_cleanup; harmless after api_easy_finish. */
void api_easy_abandon(CURL *easy);

/* One synchronous call (prepare, send, classify). On API_OK *json holds the answer. */
enum api_status api_call(const struct api_config *cfg, const char *action,
    const struct params *user, cJSON **json, struct api_error *err);

/* Writes the request to cfg->trace with the signature, token and secret redacted (v3:
 * the headers, with Authorization's Signature and the token redacted, then the query's
 * and the form's parameters). */
void api_trace_request(const struct api_config *cfg, const struct api_prepared *req);

#include "api/renew.h"

#endif
