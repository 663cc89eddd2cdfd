/* client.c — one signed call to the IoT Platform RPC API. */
#include "api/client.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "api/actions.h"
#include "api/sign.h"
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

void
api_config_init(struct api_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->timeout_ms = API_DEFAULT_TIMEOUT_MS;
	cfg->connect_timeout_ms = API_DEFAULT_CONNECT_TIMEOUT_MS;
}

static void
free_wiped(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

void
api_config_free(struct api_config *cfg)
{
	free(cfg->endpoint);
	free(cfg->region);
	free(cfg->instance_id);
	free(cfg->access_key_id);
	secret_free(cfg->access_key_secret);
	free_wiped(cfg->security_token);
	free(cfg->cacert);
	free(cfg->profile);
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

char *
api_default_endpoint(const char *region)
{
	return xasprintf("https://iot.%s.aliyuncs.com/", region);
}

static int
host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char *h = xstrdup(host);
	size_t n = strlen(h);
	int yes = 0;

	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		memmove(h, h + 1, n - 2);
		h[n - 2] = '\0';
	}
	if (strcasecmp(h, "localhost") == 0)
		yes = 1;
	else if (inet_pton(AF_INET, h, &a4) == 1)
		yes = (ntohl(a4.s_addr) >> 24) == 127;
	else if (inet_pton(AF_INET6, h, &a6) == 1)
		yes = IN6_IS_ADDR_LOOPBACK(&a6);
	free(h);
	return yes;
}

int
api_endpoint_check(const char *url, char **url_out, int *loopback, char **cause)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *full = NULL, *with_scheme = NULL;
	int rc = -1;
	char *safe;

	*url_out = NULL;
	*loopback = 0;
	if (strstr(url, "://") == NULL)
		with_scheme = xasprintf("https://%s", url);
	if (curl_url_set(u, CURLUPART_URL, with_scheme ? with_scheme : url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		safe = safetext_dup(url, strlen(url));
		*cause = xasprintf("endpoint '%s' is not a valid URL", safe);
		free(safe);
		goto fail;
	}
	*loopback = host_is_loopback(host);
	if (strcasecmp(scheme, "http") == 0) {
		if (!*loopback) {
			safe = safetext_dup(host, strlen(host));
			*cause = xasprintf("endpoint host '%s': plain http:// is allowed only for "
			    "loopback addresses (127.0.0.1, ::1, localhost); use https://", safe);
			free(safe);
			goto fail;
		}
	} else if (strcasecmp(scheme, "https") != 0) {
		safe = safetext_dup(scheme, strlen(scheme));
		*cause = xasprintf("endpoint scheme '%s' is not supported; use https://", safe);
		free(safe);
		goto fail;
	}
	if (curl_url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK) {
		*cause = xstrdup("endpoint cannot be normalised");
		goto fail;
	}
	*url_out = xstrdup(full);
	rc = 0;
fail:
	curl_free(scheme);
	curl_free(host);
	curl_free(full);
	free(with_scheme);
	curl_url_cleanup(u);
	return rc;
}

static void
utc_timestamp(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
api_prepare_at(const struct api_config *cfg, const char *action, const struct params *user,
    const char *timestamp, struct api_prepared *req)
{
	unsigned char raw[16];
	char *sig;
	size_t i;

	memset(req, 0, sizeof *req);
	req->action = xstrdup(action);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(req->nonce, sizeof req->nonce, raw, sizeof raw);

	params_set(&req->params, "Action", action);
	params_set(&req->params, "Format", "JSON");
	params_set(&req->params, "Version", "2018-01-20");
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

	/* The secret is readable only while the signature is computed. */
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

void
api_trace_request(const struct api_config *cfg, const struct api_prepared *req)
{
	size_t i;
	char *v;

	if (cfg->trace == NULL)
		return;
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

void
api_easy_setup(CURL *easy, const struct api_config *cfg, struct api_prepared *req,
    struct buf *answer, char *errbuf)
{
	struct curl_slist *hl = NULL;

	hl = curl_slist_append(hl, "Content-Type: application/x-www-form-urlencoded; charset=UTF-8");
	hl = curl_slist_append(hl, "Accept: application/json");
	hl = curl_slist_append(hl, "Expect:");

	errbuf[0] = '\0';
	curl_easy_setopt(easy, CURLOPT_URL, cfg->endpoint);
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
	curl_slist_free_all(hl);
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
	curl_off_t sent = 0, connect_us = 0;
	char *msg, *detail;
	enum api_status st;

	*json = NULL;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&hl);
	curl_slist_free_all(hl);
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
	api_prepare(cfg, action, user, &req);
	api_trace_request(cfg, &req);
	api_easy_setup(easy, cfg, &req, &answer, errbuf);
	rc = curl_easy_perform(easy);
	st = api_easy_finish(easy, rc, errbuf, cfg, action_get(action)->rw == ACTION_WRITE,
	    &answer, json, err);
	curl_easy_cleanup(easy);
	api_prepared_free(&req);
	buf_free(&answer);
	return st;
}
