/* client.c — one signed call to the IoT Platform RPC API. */
#include "api/client.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "api/actions.h"
#include "api/sign.h"
#include "core/clock.h"
#include "api/sign_v3.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

/* Parameters iotdeck sets itself; users may not override them. */
static const char *const reserved_params[] = {
	"AccessKeyId", "Action", "Format", "RegionId", "IotInstanceId", "SecurityToken",
	"Signature", "SignatureMethod", "SignatureNonce", "SignatureType",
	"SignatureVersion", "Timestamp", "Version", NULL
};

/* Parameters whose values never appear in a trace. */
static const char *const redacted_params[] = { "Signature", "SecurityToken", NULL };

/* The API version of every IoT action. */
#define IOT_API_VERSION "2018-01-20"
/* The content type of a v3 form body, as the SDK sends it. */
#define V3_FORM_TYPE "application/x-www-form-urlencoded"

void
api_config_init(struct api_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->timeout_ms = API_DEFAULT_TIMEOUT_MS;
	cfg->connect_timeout_ms = API_DEFAULT_CONNECT_TIMEOUT_MS;
}

void
api_config_free(struct api_config *cfg)
{
	free(cfg->endpoint);
	free(cfg->region);
	free(cfg->instance_id);
	free(cfg->access_key_id);
	secret_free(cfg->access_key_secret);
	secret_str_free(cfg->security_token);
	free(cfg->cacert);
	free(cfg->profile);
	api_renewable_unref(cfg->renew);
	memset(cfg, 0, sizeof *cfg);
}

void
api_config_set_secret(struct api_config *cfg, const char *secret)
{
	secret_free(cfg->access_key_secret);
	cfg->access_key_secret = secret_from(secret, strlen(secret));
}

int
api_param_is_reserved(const char *name)
{
	size_t i;

	for (i = 0; reserved_params[i] != NULL; i++)
		if (strcmp(reserved_params[i], name) == 0)
			return 1;
	return 0;
}

static void
utc_timestamp(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
api_signature_parse(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "v1") == 0)
		return API_SIGNATURE_V1;
	if (strcmp(s, "v3") == 0)
		return API_SIGNATURE_V3;
	return 0;
}

const char *
api_signature_name(int signature)
{
	return signature == API_SIGNATURE_V3 ? "v3" : "v1";
}

/* ---- signature v3 (client.h) ------------------------------------------------------ */

/* Appends s as Node's querystring.escape does (the SDK's form bodies): RFC 3986's
 * unreserved characters and !'()* stay, every other byte is %XX. */
static void
form_escape(struct buf *out, const char *s)
{
	static const char keep[] = "!'()*-._~";
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c != '\0' && strchr(keep, c) != NULL)) {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 0xF]);
		}
	}
}

/* The Host header and the path of the endpoint as curl sends them: the host (an IPv6
 * address in brackets) with the port when one is given that is not the scheme's. */
static void
v3_host_path(const char *endpoint, char **host, char **path)
{
	CURLU *u = curl_url();
	char *h = NULL, *port = NULL, *scheme = NULL, *p = NULL;

	*host = NULL;
	*path = NULL;
	if (curl_url_set(u, CURLUPART_URL, endpoint, CURLU_PATH_AS_IS) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port != NULL &&
		    !(scheme != NULL && ((strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0) ||
		    (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0))))
			*host = xasprintf("%s:%s", h, port);
		else
			*host = xstrdup(h);
		if (curl_url_get(u, CURLUPART_PATH, &p, 0) == CURLUE_OK && p != NULL && *p != '\0')
			*path = xstrdup(p);
	}
	if (*host == NULL)
		*host = xstrdup("");
	if (*path == NULL)
		*path = xstrdup("/");
	curl_free(h);
	curl_free(port);
	curl_free(scheme);
	curl_free(p);
	curl_url_cleanup(u);
}

void
api_prepare_v3(const struct api_config *cfg, const char *action, const char *version,
    const struct params *query, const struct params *form, const char *date,
    const char *nonce, struct api_prepared *req)
{
	struct buf qs = BUF_INIT;
	char *host;
	const char *token = cfg->security_token;
	size_t i;

	memset(req, 0, sizeof *req);
	req->v3 = 1;
	req->action = xstrdup(action);
	snprintf(req->nonce, sizeof req->nonce, "%s", nonce);
	if (query != NULL)
		for (i = 0; i < query->n; i++)
			params_set(&req->params, query->v[i].name, query->v[i].value);
	if (form != NULL)
		for (i = 0; i < form->n; i++)
			params_set(&req->form, form->v[i].name, form->v[i].value);
	for (i = 0; i < req->form.n; i++) {
		if (i > 0)
			buf_addc(&req->body, '&');
		form_escape(&req->body, req->form.v[i].name);
		buf_addc(&req->body, '=');
		form_escape(&req->body, req->form.v[i].value);
	}
	sign_sha256_hex(buf_str(&req->body), req->body.len, req->payload_hash);

	v3_host_path(cfg->endpoint != NULL ? cfg->endpoint : "", &host, &req->path);
	params_add(&req->headers, "host", host);
	params_add(&req->headers, "x-acs-action", action);
	params_add(&req->headers, "x-acs-version", version);
	params_add(&req->headers, "x-acs-date", date);
	params_add(&req->headers, "x-acs-signature-nonce", req->nonce);
	params_add(&req->headers, "x-acs-content-sha256", req->payload_hash);
	if (req->body.len > 0)
		params_add(&req->headers, "content-type", V3_FORM_TYPE);
	if (token != NULL && *token != '\0') {
		params_add(&req->headers, "x-acs-accesskey-id",
		    cfg->access_key_id ? cfg->access_key_id : "");
		params_add(&req->headers, "x-acs-security-token", token);
	}
	params_sort(&req->headers);
	free(host);

	sign_v3_canonical_query(&req->params, &qs);
	req->url = qs.len > 0 ? xasprintf("%s?%s", cfg->endpoint ? cfg->endpoint : "",
	    buf_str(&qs)) : xstrdup(cfg->endpoint ? cfg->endpoint : "");
	buf_free_wipe(&qs);

	/* The secret is readable while the signature is computed (the worker keeps it so while
	 * it has requests to sign: then this reveal changes no protection). */
	req->authorization = sign_v3_authorization(cfg->access_key_id ? cfg->access_key_id : "",
	    cfg->access_key_secret != NULL ? secret_reveal(cfg->access_key_secret) : "",
	    "POST", req->path, &req->params, &req->headers, req->payload_hash);
	if (cfg->access_key_secret != NULL)
		secret_hide(cfg->access_key_secret);
}

/* v3: the API's parameters in the query, or in a form body when the query would be too
 * long for a request line (client.h). */
static void
prepare_v3(const struct api_config *cfg, const char *action, const struct params *user,
    const char *timestamp, const char *nonce, struct api_prepared *req)
{
	struct params all = PARAMS_INIT;
	struct buf qs = BUF_INIT;
	size_t i;
	int in_body;

	if (cfg->instance_id != NULL && *cfg->instance_id != '\0')
		params_set(&all, "IotInstanceId", cfg->instance_id);
	if (user != NULL)
		for (i = 0; i < user->n; i++)
			if (!api_param_is_reserved(user->v[i].name))
				params_set(&all, user->v[i].name, user->v[i].value);
	sign_v3_canonical_query(&all, &qs);
	in_body = qs.len > API_V3_QUERY_MAX;
	buf_free_wipe(&qs);
	api_prepare_v3(cfg, action, IOT_API_VERSION, in_body ? NULL : &all,
	    in_body ? &all : NULL, timestamp, nonce, req);
	params_free(&all);
}

void
api_prepare_at(const struct api_config *cfg, const char *action, const struct params *user,
    const char *timestamp, struct api_prepared *req)
{
	unsigned char raw[16];
	char nonce[33], *sig;
	size_t i;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(nonce, sizeof nonce, raw, sizeof raw);
	if (cfg->signature == API_SIGNATURE_V3) {
		prepare_v3(cfg, action, user, timestamp, nonce, req);
		return;
	}
	memset(req, 0, sizeof *req);
	req->action = xstrdup(action);
	memcpy(req->nonce, nonce, sizeof req->nonce);

	params_set(&req->params, "Action", action);
	params_set(&req->params, "Format", "JSON");
	params_set(&req->params, "Version", IOT_API_VERSION);
	params_set(&req->params, "AccessKeyId", cfg->access_key_id ? cfg->access_key_id : "");
	params_set(&req->params, "SignatureMethod", "HMAC-SHA1");
	params_set(&req->params, "SignatureVersion", "1.0");
	params_set(&req->params, "SignatureNonce", req->nonce);
	params_set(&req->params, "Timestamp", timestamp);
	params_set(&req->params, "RegionId", cfg->region ? cfg->region : "");
	if (cfg->instance_id != NULL && *cfg->instance_id != '\0')
		params_set(&req->params, "IotInstanceId", cfg->instance_id);
	if (cfg->security_token != NULL && *cfg->security_token != '\0')
		params_set(&req->params, "SecurityToken", cfg->security_token);
	if (user != NULL)
		for (i = 0; i < user->n; i++)
			if (!api_param_is_reserved(user->v[i].name))
				params_set(&req->params, user->v[i].name, user->v[i].value);

	/* The secret is readable while the signature is computed (the worker keeps it so while
	 * it has requests to sign: then this reveal changes no protection). */
	if (cfg->access_key_secret != NULL) {
		sig = sign_v1("POST", &req->params, secret_reveal(cfg->access_key_secret));
		secret_hide(cfg->access_key_secret);
	} else
		sig = sign_v1("POST", &req->params, "");
	params_set(&req->params, "Signature", sig);
	free(sig);
	params_form(&req->params, &req->body);
}

void
api_prepare(const struct api_config *cfg, const char *action, const struct params *user,
    struct api_prepared *req)
{
	char ts[32];

	utc_timestamp(ts);
	api_prepare_at(cfg, action, user, ts, req);
}

void
api_prepared_free(struct api_prepared *req)
{
	free(req->action);
	params_free(&req->params);
	buf_free_wipe(&req->body);
	params_free(&req->form);
	params_free(&req->headers);
	free(req->url);
	free(req->path);
	free(req->authorization);
	memset(req, 0, sizeof *req);
}

static int
is_redacted(const char *name)
{
	size_t i;

	for (i = 0; redacted_params[i] != NULL; i++)
		if (strcmp(redacted_params[i], name) == 0)
			return 1;
	return 0;
}

/* v3: the headers, then where each parameter goes. */
static void
trace_v3(const struct api_config *cfg, const struct api_prepared *req)
{
	const char *sig;
	char *v;
	size_t i;

	/* v3 sends no RegionId: the region only picked the endpoint (shown all the same). */
	v = safetext_dup(cfg->region != NULL ? cfg->region : "", cfg->region != NULL ?
	    strlen(cfg->region) : 0);
	fprintf(cfg->trace, "> POST %s (signature v3; RegionId=%s picks the endpoint, not sent)\n",
	    cfg->endpoint, v);
	free(v);
	for (i = 0; i < req->headers.n; i++) {
		const struct param *h = &req->headers.v[i];
		v = strcmp(h->name, "x-acs-security-token") == 0 ? xstrdup("<redacted>")
		    : safetext_dup(h->value, strlen(h->value));
		fprintf(cfg->trace, ">   %s: %s\n", h->name, v);
		free(v);
	}
	sig = strstr(req->authorization, ",Signature=");
	v = safetext_dup(req->authorization, sig != NULL ? (size_t)(sig - req->authorization) :
	    strlen(req->authorization));
	fprintf(cfg->trace, ">   authorization: %s,Signature=<redacted>\n", v);
	free(v);
	for (i = 0; i < req->params.n + req->form.n; i++) {
		const struct param *p = i < req->params.n ? &req->params.v[i] :
		    &req->form.v[i - req->params.n];
		v = safetext_dup(p->value, strlen(p->value));
		fprintf(cfg->trace, ">   %s%s=%s\n", i < req->params.n ? "" : "(body) ", p->name, v);
		free(v);
	}
}

void
api_trace_request(const struct api_config *cfg, const struct api_prepared *req)
{
	size_t i;
	char *v;

	if (cfg->trace == NULL)
		return;
	if (req->v3) {
		trace_v3(cfg, req);
		fflush(cfg->trace);
		return;
	}
	fprintf(cfg->trace, "> POST %s\n", cfg->endpoint);
	for (i = 0; i < req->params.n; i++) {
		const struct param *p = &req->params.v[i];
		v = is_redacted(p->name) ? xstrdup("<redacted>")
		    : safetext_dup(p->value, strlen(p->value));
		fprintf(cfg->trace, ">   %s=%s\n", p->name, v);
		free(v);
	}
	fflush(cfg->trace);
}

static size_t
write_answer(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *answer = arg;
	size_t n = size * nmemb;

	if (answer->len + n > (size_t)API_MAX_ANSWER_BYTES)
		return 0;	/* curl reports CURLE_WRITE_ERROR */
	buf_add(answer, data, n);
	return n;
}

/* The header lines of a v3 request: the signed ones (their names as signed, which HTTP
 * compares without case), Authorization, and no Content-Type without a body (curl would
 * add one to a POST, unsigned). */
static struct curl_slist *
v3_headers(const struct api_prepared *req)
{
	struct curl_slist *hl = NULL;
	char *line;
	size_t i;

	for (i = 0; i < req->headers.n; i++) {
		line = xasprintf("%s: %s", req->headers.v[i].name, req->headers.v[i].value);
		hl = curl_slist_append(hl, line);
		sodium_memzero(line, strlen(line));
		free(line);
	}
	if (req->body.len == 0)
		hl = curl_slist_append(hl, "Content-Type:");
	line = xasprintf("Authorization: %s", req->authorization);
	hl = curl_slist_append(hl, line);
	free(line);
	return hl;
}

/* Frees a header list, wiping each line first (a v3 list holds the STS token). */
static void
slist_free_wiped(struct curl_slist *hl)
{
	struct curl_slist *l;

	for (l = hl; l != NULL; l = l->next)
		if (l->data != NULL)
			sodium_memzero(l->data, strlen(l->data));
	curl_slist_free_all(hl);
}

void
api_easy_setup(CURL *easy, const struct api_config *cfg, struct api_prepared *req,
    struct buf *answer, char *errbuf)
{
	struct curl_slist *hl = NULL;

	if (req->v3)
		hl = v3_headers(req);
	else
		hl = curl_slist_append(hl,
		    "Content-Type: application/x-www-form-urlencoded; charset=UTF-8");
	hl = curl_slist_append(hl, "Accept: application/json");
	hl = curl_slist_append(hl, "Expect:");

	errbuf[0] = '\0';
	curl_easy_setopt(easy, CURLOPT_URL, req->v3 ? req->url : cfg->endpoint);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(easy, CURLOPT_POST, 1L);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDS, buf_str(&req->body));
	curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body.len);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, hl);	/* freed in api_easy_finish */
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "iotdeck/" IOTDECK_VERSION);
	curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_answer);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, answer);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
	    cfg->connect_timeout_ms < cfg->timeout_ms ? cfg->connect_timeout_ms : cfg->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
	if (cfg->cacert != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, cfg->cacert);
	if (cfg->endpoint_loopback)
		curl_easy_setopt(easy, CURLOPT_PROXY, "");	/* a proxy cannot reach our loopback */
}

void
api_easy_abandon(CURL *easy)
{
	struct curl_slist *hl = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&hl);
	slist_free_wiped(hl);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
}

static int
rc_is_after_send(CURLcode rc)
{
	return rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE || rc == CURLE_HTTP2 ||
	    rc == CURLE_HTTP2_STREAM;
}

enum api_status
api_easy_finish(CURL *easy, CURLcode rc, const char *errbuf, const struct api_config *cfg,
    int is_write, const struct buf *answer, cJSON **json, struct api_error *err)
{
	struct curl_slist *hl = NULL;
	long http = 0;
	curl_off_t sent = 0, connect_us = 0, body_len = -1;
	long header_len = 0;
	char *msg, *detail;
	enum api_status st;

	*json = NULL;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&hl);
	slist_free_wiped(hl);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http);

	if (rc == CURLE_OK) {
		st = api_response_classify(http, buf_str(answer), answer->len, json, err);
		if (cfg->trace != NULL) {
			fprintf(cfg->trace, "< HTTP %ld, %zu bytes\n", http, answer->len);
			fflush(cfg->trace);
		}
		return st;
	}

	memset(err, 0, sizeof *err);
	err->http_status = http;
	curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &sent);
	/* A v3 request without a body is whole once its header is out. */
	curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_UPLOAD_T, &body_len);
	curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &header_len);
	if (body_len == 0 && header_len > 0)
		sent = header_len;
	curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	detail = safetext_dup(errbuf[0] ? errbuf : curl_easy_strerror(rc),
	    strlen(errbuf[0] ? errbuf : curl_easy_strerror(rc)));
	if (rc == CURLE_WRITE_ERROR) {
		msg = xasprintf("answer larger than %ld MiB, refused",
		    API_MAX_ANSWER_BYTES / (1024 * 1024));
		api_error_set(err, API_ERR_BAD_RESPONSE, "BadResponse", msg);
	} else if (rc == CURLE_OPERATION_TIMEDOUT && connect_us == 0) {
		msg = xasprintf("could not connect to %s within %.1f s", cfg->endpoint,
		    (double)(cfg->connect_timeout_ms < cfg->timeout_ms ?
		    cfg->connect_timeout_ms : cfg->timeout_ms) / 1000.0);
		api_error_set(err, API_ERR_TIMEOUT, "ConnectTimeout", msg);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		msg = xasprintf("no complete answer within %.1f s", (double)cfg->timeout_ms / 1000.0);
		api_error_set(err, API_ERR_TIMEOUT, "Timeout", msg);
	} else {
		msg = xasprintf("%s (%s)", detail, cfg->endpoint);
		api_error_set(err, API_ERR_NETWORK, "NetworkError", msg);
	}
	free(msg);
	free(detail);
	if (is_write && connect_us > 0 && sent > 0 && rc_is_after_send(rc)) {
		err->outcome_unknown = 1;
		msg = xasprintf("%s; the request was sent, so it may have been carried out: "
		    "check before repeating it", err->message);
		free(err->message);
		err->message = msg;
	}
	return err->status;
}

enum api_status
api_call(const struct api_config *cfg, const char *action, const struct params *user,
    cJSON **json, struct api_error *err)
{
	struct api_prepared req;
	struct api_config view;
	struct api_cred_hold hold;
	struct buf answer = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE];
	CURL *easy;
	CURLcode rc;
	enum api_status st;

	*json = NULL;
	easy = curl_easy_init();
	if (easy == NULL) {
		memset(err, 0, sizeof *err);
		api_error_set(err, API_ERR_CONFIG, "InternalError", "cannot create a curl handle");
		return err->status;
	}
	/* The credential: renewed first when due, refused when expired. */
	(void)api_config_refresh(cfg, NULL);
	if (api_config_signing(cfg, &view, &hold, err) != 0) {
		curl_easy_cleanup(easy);
		return err->status;
	}
	api_prepare(&view, action, user, &req);
	api_trace_request(&view, &req);
	api_easy_setup(easy, &view, &req, &answer, errbuf);
	api_cred_hold_release(&hold);
	rc = curl_easy_perform(easy);
	st = api_easy_finish(easy, rc, errbuf, cfg, action_get(action)->rw == ACTION_WRITE,
	    &answer, json, err);
	curl_easy_cleanup(easy);
	api_prepared_free(&req);
	buf_free(&answer);
	return st;
}
