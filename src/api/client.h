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

/* ---- credential freshness ---------------------------------------------------------
 *
 * A static credential (an AccessKey; an STS token from the vault or the environment) is
 * the api_config's own fields; a token whose expiry (token_expiry_ms) has passed is
 * refused before anything is sent. A renewable credential (a RAM role assumed with STS
 * AssumeRole, api/sts.h) is a struct api_renewable that the configuration points to: it
 * holds the current value and a function that gets a new one. Whoever sends next renews
 * it (api_config_refresh: the worker thread, or a caller of api_call) once less than
 * api_renew_margin_ms of its lifetime is left; one thread renews while the others wait
 * for it (the requests wait, none fails); a renewal that fails while the old value is
 * still valid keeps the old value and is tried again later (api_renew_retry_ms); once the
 * value has expired and renewing fails, requests fail with API_CODE_CREDENTIAL_EXPIRED
 * (and STS is asked again at most once a second).
 * Requests are signed with the value current when they are prepared (api_config_signing),
 * so a renewal never changes a request half-way. Thread-safe. */

/* One credential value. Owned by whoever holds it (api_cred_clear). */
struct api_cred {
	char		*id;		/* AccessKey ID (an STS one: "STS....") */
	struct secret	*secret;	/* AccessKey secret, guarded */
	char		*token;		/* SecurityToken, or NULL (wiped when cleared) */
	int64_t		 expiry_ms;	/* when it expires (epoch ms), 0: unknown */
};
/* Wipes and frees c's fields and zeroes it. */
void api_cred_clear(struct api_cred *c);

/* Gets a new value into *out (zeroed on entry) and returns 0, or returns -1 with a
 * caller-freed, display-safe one-line *cause. Called by one thread at a time; it may block
 * on the network. */
typedef int api_renew_fn(void *arg, struct api_cred *out, char **cause);

/* Returns a renewable credential for profile (named in messages) that gets its values
 * from renew(arg); arg_free(arg) is called when the last reference goes. Holds no value
 * yet: api_renewable_refresh gets the first one. One reference, the caller's. */
struct api_renewable *api_renewable_new(const char *profile, api_renew_fn *renew, void *arg,
    void (*arg_free)(void *));
/* Adds a reference and returns r; NULL is fine. */
struct api_renewable *api_renewable_ref(struct api_renewable *r);
/* Drops a reference; the last one wipes the value and frees r. NULL is fine. */
void api_renewable_unref(struct api_renewable *r);
/* Replaces the wall clock (epoch ms) r reads, for tests; NULL: clock_wall_ms. */
void api_renewable_set_clock(struct api_renewable *r, int64_t (*now_ms)(void));
/* Renews r when force, or when it has no value or its value is due (api_renew_margin_ms)
 * or expired, and the last failure's retry time (api_renew_retry_ms) has come; another
 * thread renewing at the same time is waited for instead. Returns 0 when r holds a value that
 * has not expired afterwards (a failed renewal of a value still valid returns 0 and
 * keeps it), else -1 with a caller-freed *cause. May block on the network. */
int api_renewable_refresh(struct api_renewable *r, int force, char **cause);
/* Copies r's current value into *out (caller-owned; api_cred_clear). Returns 0, or -1
 * when it holds none. Never blocks on the network. */
int api_renewable_get(struct api_renewable *r, struct api_cred *out);
/* How many successful renewals r has had (the first value counts). */
unsigned api_renewable_count(struct api_renewable *r);

/* The renewal margin for a credential valid lifetime_ms in all: min(180 s, a third of
 * the lifetime). It is renewed once less than this is left. */
int64_t api_renew_margin_ms(int64_t lifetime_ms);
/* How long to wait after a failed renewal of a value with left_ms to go before trying
 * again: a quarter of what is left, between 1 s and 30 s. */
int64_t api_renew_retry_ms(int64_t left_ms);

/* The message for a request refused because the STS token of profile expired at
 * expiry_ms (epoch ms), as seen at now_ms, caller-freed:
 * "the STS token of profile P expired at 2026-12-01 10:00:00 UTC (N min ago); get a new
 * one (vault add P --sts ...) or use another profile". */
char *api_token_expired_message(const char *profile, int64_t expiry_ms, int64_t now_ms);

/* What api_config_signing lends: release it when the request is prepared and set up. */
struct api_cred_gen;
struct api_cred_hold {
	struct api_renewable	*r;	/* the renewable the value came from, or NULL */
	struct api_cred_gen	*gen;	/* a reference on that value, or NULL */
};
/* Fills *view with a shallow copy of cfg whose AccessKey ID, secret, token and expiry
 * are the credential to sign the next request with (cfg's own, or its renewable's
 * current value, kept in *hold), to pass to api_prepare and api_easy_setup. Never renews
 * and never blocks (call api_config_refresh first, without locks others need). Returns 0,
 * or -1 with err set (API_ERR_CONFIG, API_CODE_CREDENTIAL_EXPIRED) when the token has
 * expired: nothing may be sent. view borrows from cfg and hold: use it only before
 * api_cred_hold_release(hold) and while cfg lives. */
int api_config_signing(const struct api_config *cfg, struct api_config *view,
    struct api_cred_hold *hold, struct api_error *err);
/* Ends what api_config_signing lent (the value is wiped once nobody holds it). */
void api_cred_hold_release(struct api_cred_hold *hold);
/* Renews cfg's renewable credential when it is due (api_renewable_refresh); nothing for
 * a static credential. Returns 0, or -1 with a caller-freed *cause (cause may be NULL)
 * when the credential is expired and could not be renewed. May block on the network. */
int api_config_refresh(const struct api_config *cfg, char **cause);
/* The expiry (epoch ms) of the credential cfg signs with now, 0 when unknown or not an
 * STS credential; *is_sts says whether it is one (a token, or a renewable). For the
 * status bar; never blocks on the network. */
int64_t api_config_token_expiry(const struct api_config *cfg, int *is_sts);

#endif
