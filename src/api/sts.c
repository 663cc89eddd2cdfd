/* sts.c — the STS AssumeRole client (sts.h). */
#include "api/sts.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <sodium.h>

#include "api/params.h"
#include "api/sign.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/safetext.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"

int
sts_role_prepare(struct sts_role *r, const char *endpoint_opt, char **cause)
{
	const char *env = getenv(STS_ENV_ENDPOINT), *ep;
	char *url = NULL, *why = NULL, *safe;
	int loopback = 0;

	if (!sts_role_arn_valid(r->role_arn)) {
		safe = r->role_arn != NULL ? safetext_excerpt(r->role_arn, strlen(r->role_arn), 80) :
		    xstrdup("");
		*cause = xasprintf("profile %s: the role ARN '%s' is not like "
		    "acs:ram::ACCOUNT:role/NAME", r->profile, safe);
		free(safe);
		return -1;
	}
	if (r->session_name == NULL)
		r->session_name = xstrdup(STS_DEFAULT_SESSION_NAME);
	if (!sts_session_name_valid(r->session_name)) {
		safe = safetext_excerpt(r->session_name, strlen(r->session_name), 80);
		*cause = xasprintf("profile %s: the role session name '%s' must be 2 to 64 of "
		    "A-Z a-z 0-9 . @ _ -", r->profile, safe);
		free(safe);
		return -1;
	}
	if (r->duration_s == 0)
		r->duration_s = STS_DEFAULT_DURATION_S;
	if (r->duration_s < STS_MIN_DURATION_S || r->duration_s > STS_MAX_DURATION_S) {
		*cause = xasprintf("profile %s: the role duration %d s is outside %d..%d s",
		    r->profile, r->duration_s, STS_MIN_DURATION_S, STS_MAX_DURATION_S);
		return -1;
	}
	ep = endpoint_opt != NULL && *endpoint_opt != '\0' ? endpoint_opt :
	    env != NULL && *env != '\0' ? env : STS_DEFAULT_ENDPOINT;
	if (api_endpoint_check(ep, &url, &loopback, &why) != 0) {
		*cause = xasprintf("profile %s: STS %s%s", r->profile, why,
		    ep == env ? " (from " STS_ENV_ENDPOINT ")" : "");
		free(why);
		return -1;
	}
	free(r->endpoint);
	r->endpoint = url;
	r->endpoint_loopback = loopback;
	return 0;
}

void
sts_role_free(struct sts_role *r)
{
	if (r == NULL)
		return;
	free(r->profile);
	free(r->role_arn);
	free(r->session_name);
	free(r->endpoint);
	free(r->access_key_id);
	secret_free(r->access_key_secret);
	free(r->cacert);
	free(r);
}

/* ---- the answer ------------------------------------------------------------------- */

/* Printable ASCII without spaces, 1..max bytes. */
/* Answers larger than this are refused (a real one is about 2 KiB). */
#define STS_MAX_ANSWER	(64 * 1024)
#define STS_ID_MAX	128
#define STS_TOKEN_MAX	16384

static int
token_text_ok(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7F)
			return 0;
	return 1;
}

/* Parses Expiration (ISO 8601 in UTC, "2026-12-01T11:00:00Z", as STS writes it) into
 * epoch ms with timefmt_parse, which reads the API's other time shapes too: a time with
 * no zone would be UTC+8 there, so only one that says Z is taken. -1 when it is not. */
static int64_t
parse_expiration(const char *s)
{
	size_t n = strlen(s);
	int64_t ms;

	if (n < 2 || s[n - 1] != 'Z' || strchr(s, 'T') == NULL || timefmt_parse(s, &ms) != 0 ||
	    ms < 0)
		return -1;
	return ms;
}

static enum api_status
bad_answer(struct api_error *err, long http, const char *what)
{
	char *msg = xasprintf("the AssumeRole answer (HTTP %ld) %s", http, what);

	memset(err, 0, sizeof *err);
	err->http_status = http;
	api_error_set(err, API_ERR_BAD_RESPONSE, "BadResponse", msg);
	free(msg);
	return err->status;
}

/* The string member name of o, or NULL. */
static const char *
member_string(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

enum api_status
sts_parse_answer(long http, const char *body, size_t len, struct api_cred *out,
    struct api_error *err)
{
	static const struct { const char *name; size_t max; } fields[] = {
		{ "AccessKeyId", STS_ID_MAX }, { "AccessKeySecret", SECRET_MAX },
		{ "SecurityToken", STS_TOKEN_MAX }, { "Expiration", 20 }
	};
	const char *v[4];
	cJSON *root = NULL, *json = NULL;
	const cJSON *cred;
	enum api_status st;
	char *what;
	int64_t expiry;
	size_t i;

	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	if (http >= 400) {
		/* A gateway error: no secret in it, read as every other one. */
		st = api_response_classify(http, body, len, &json, err);
		cJSON_Delete(json);
		if (st == API_OK)
			return bad_answer(err, http, "is an error status with a success body");
		return st;
	}
	if (http < 200 || http >= 300)
		return bad_answer(err, http, "has an unexpected HTTP status");
	if (len == 0)
		return bad_answer(err, http, "is empty");
	root = cJSON_ParseWithLength(body, len);
	if (root == NULL || !cJSON_IsObject(root)) {
		secret_json_delete(root);
		return bad_answer(err, http, "is not a JSON object");
	}
	cred = cJSON_GetObjectItemCaseSensitive(root, "Credentials");
	if (!cJSON_IsObject(cred)) {
		const char *code = member_string(root, "Code");
		char *safe = code != NULL ? safetext_excerpt(code, strlen(code), 80) : NULL;

		what = safe != NULL ? xasprintf("has no Credentials (Code %s)", safe) :
		    xstrdup("has no Credentials");
		free(safe);
		st = bad_answer(err, http, what);
		free(what);
		secret_json_delete(root);
		return st;
	}
	for (i = 0; i < 4; i++) {
		v[i] = member_string(cred, fields[i].name);
		if (v[i] == NULL || *v[i] == '\0')
			what = xasprintf("has no Credentials.%s", fields[i].name);
		else if (!token_text_ok(v[i], fields[i].max))
			what = xasprintf("has an unusable Credentials.%s (empty, longer than %zu "
			    "bytes, or not printable ASCII)", fields[i].name, fields[i].max);
		else
			continue;
		st = bad_answer(err, http, what);
		free(what);
		secret_json_delete(root);
		return st;
	}
	if ((expiry = parse_expiration(v[3])) < 0) {
		secret_json_delete(root);
		return bad_answer(err, http, "has a Credentials.Expiration that is not a UTC time "
		    "like 2026-12-01T11:00:00Z");
	}
	out->id = xstrdup(v[0]);
	out->secret = secret_from(v[1], strlen(v[1]));
	out->token = xstrdup(v[2]);
	out->expiry_ms = expiry;
	secret_json_delete(root);
	return API_OK;
}

/* ---- the request ------------------------------------------------------------------ */

static size_t
write_answer(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *answer = arg;
	size_t n = size * nmemb;

	if (answer->len + n > STS_MAX_ANSWER)
		return 0;
	buf_add(answer, data, n);
	return n;
}

/* The signed AssumeRole parameters for r, as a form body. */
static void
build_request(const struct sts_role *r, struct params *p, struct buf *body)
{
	unsigned char raw[16];
	char nonce[33], ts[32], dur[16], *sig;
	time_t now = time(NULL);
	struct tm tm;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(nonce, sizeof nonce, raw, sizeof raw);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(dur, sizeof dur, "%d", r->duration_s);

	params_set(p, "Action", STS_ACTION_ASSUME_ROLE);
	params_set(p, "Format", "JSON");
	params_set(p, "Version", STS_API_VERSION);
	params_set(p, "AccessKeyId", r->access_key_id);
	params_set(p, "SignatureMethod", "HMAC-SHA1");
	params_set(p, "SignatureVersion", "1.0");
	params_set(p, "SignatureNonce", nonce);
	params_set(p, "Timestamp", ts);
	params_set(p, "RoleArn", r->role_arn);
	params_set(p, "RoleSessionName", r->session_name);
	params_set(p, "DurationSeconds", dur);
	sig = sign_v1("POST", p, secret_reveal(r->access_key_secret));
	secret_hide(r->access_key_secret);
	params_set(p, "Signature", sig);
	free(sig);
	params_form(p, body);
}

static void
trace_request(const struct sts_role *r, const struct params *p)
{
	size_t i;
	char *v;

	if (r->trace == NULL)
		return;
	fprintf(r->trace, "> POST %s (STS)\n", r->endpoint);
	for (i = 0; i < p->n; i++) {
		v = strcmp(p->v[i].name, "Signature") == 0 ? xstrdup("<redacted>") :
		    safetext_dup(p->v[i].value, strlen(p->v[i].value));
		fprintf(r->trace, ">   %s=%s\n", p->v[i].name, v);
		free(v);
	}
	fflush(r->trace);
}

enum api_status
sts_assume_role(const struct sts_role *r, struct api_cred *out, struct api_error *err)
{
	struct params p = PARAMS_INIT;
	struct buf body = BUF_INIT, answer = BUF_INIT;
	struct curl_slist *hl = NULL;
	char errbuf[CURL_ERROR_SIZE], *msg, *detail;
	CURL *easy;
	CURLcode rc;
	long http = 0;
	curl_off_t connect_us = 0;
	enum api_status st;

	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	if ((easy = curl_easy_init()) == NULL) {
		api_error_set(err, API_ERR_CONFIG, "InternalError", "cannot create a curl handle");
		return err->status;
	}
	build_request(r, &p, &body);
	trace_request(r, &p);
	hl = curl_slist_append(hl, "Content-Type: application/x-www-form-urlencoded; charset=UTF-8");
	hl = curl_slist_append(hl, "Accept: application/json");
	hl = curl_slist_append(hl, "Expect:");
	errbuf[0] = '\0';
	curl_easy_setopt(easy, CURLOPT_URL, r->endpoint);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(easy, CURLOPT_POST, 1L);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDS, buf_str(&body));
	curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "iotdeck/" IOTDECK_VERSION);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_answer);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, r->connect_timeout_ms > 0 &&
	    r->connect_timeout_ms < r->timeout_ms ? r->connect_timeout_ms : r->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, r->timeout_ms);
	if (r->cacert != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, r->cacert);
	if (r->endpoint_loopback)
		curl_easy_setopt(easy, CURLOPT_PROXY, "");
	rc = curl_easy_perform(easy);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http);
	curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	if (r->trace != NULL && rc == CURLE_OK) {
		fprintf(r->trace, "< HTTP %ld, %zu bytes (STS)\n", http, answer.len);
		fflush(r->trace);
	}
	if (rc == CURLE_OK)
		st = sts_parse_answer(http, buf_str(&answer), answer.len, out, err);
	else {
		detail = safetext_dup(errbuf[0] ? errbuf : curl_easy_strerror(rc),
		    strlen(errbuf[0] ? errbuf : curl_easy_strerror(rc)));
		if (rc == CURLE_WRITE_ERROR)
			api_error_set(err, API_ERR_BAD_RESPONSE, "BadResponse",
			    "the AssumeRole answer is larger than 64 KiB, refused");
		else if (rc == CURLE_OPERATION_TIMEDOUT) {
			msg = connect_us == 0 ?
			    xasprintf("could not connect to %s in time", r->endpoint) :
			    xasprintf("no complete answer from %s within %.1f s", r->endpoint,
			    (double)r->timeout_ms / 1000.0);
			api_error_set(err, API_ERR_TIMEOUT, "Timeout", msg);
			free(msg);
		} else {
			msg = xasprintf("%s (%s)", detail, r->endpoint);
			api_error_set(err, API_ERR_NETWORK, "NetworkError", msg);
			free(msg);
		}
		free(detail);
		st = err->status;
	}
	curl_easy_cleanup(easy);
	curl_slist_free_all(hl);
	params_free(&p);
	buf_free_wipe(&body);
	buf_free_wipe(&answer);
	return st;
}

int
sts_renew(void *role, struct api_cred *out, char **cause)
{
	const struct sts_role *r = role;
	struct api_error err;
	char when[32], *desc;
	int64_t now;
	time_t t;
	struct tm tm;

	if (sts_assume_role(r, out, &err) != API_OK) {
		desc = api_error_format(&err);
		*cause = xasprintf("AssumeRole of %s at %s failed: %s", r->role_arn, r->endpoint,
		    desc);
		free(desc);
		api_error_clear(&err);
		return -1;
	}
	now = clock_wall_ms();
	if (out->expiry_ms <= now) {
		t = (time_t)(out->expiry_ms / 1000);
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
		*cause = xasprintf("AssumeRole of %s gave a credential that expired at %s, "
		    "already past: is this computer's clock right?", r->role_arn, when);
		api_cred_clear(out);
		return -1;
	}
	return 0;
}

static void
role_free(void *arg)
{
	sts_role_free(arg);
}

struct api_renewable *
sts_role_renewable(struct sts_role *r)
{
	return api_renewable_new(r->profile, sts_renew, r, role_free);
}
