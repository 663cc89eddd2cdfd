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

/* ---- endpoint URLs --------------------------------------------------------------
 *
 * An endpoint is https://HOST[:PORT][/PATH] (http:// on loopback only). libcurl parses
 * and normalises it; these checks come first, on the text as written, because curl is
 * lenient where a configuration should not be: "htp:/x" became the host "htp", 127.1 and
 * 1.2.3 are IPv4 shorthands, "/../" is folded away, a user name or a query rides along.
 * Each refusal names what is wrong, and nothing is sent. */

#define ENDPOINT_MAX   2048
#define ENDPOINT_SHAPE "write https://HOST[:PORT][/PATH]"

static const char *
endpoint_chars_problem(const char *url)
{
	const unsigned char *p;

	if (strlen(url) > ENDPOINT_MAX)
		return "is longer than 2048 characters";
	for (p = (const unsigned char *)url; *p; p++) {
		if (*p == ' ')
			return "holds a space";
		if (*p < 0x20 || *p == 0x7F)
			return "holds a control character";
		if (*p >= 0x80)
			return "holds a character that is not ASCII (write an international host "
			    "name in its xn-- form)";
	}
	if (strchr(url, '?') != NULL)
		return "must not have a query (?...)";
	if (strchr(url, '#') != NULL)
		return "must not have a fragment (#...)";
	return NULL;
}

/* A host name: dot-separated labels of letters, digits and '-' (not first or last),
 * 1-63 each, 253 in all, the last one not all digits. */
static int
dns_name_ok(const char *h, size_t n)
{
	size_t i = 0, start, len;
	int digits_only = 0;

	if (n == 0 || n > 253)
		return 0;
	while (i <= n) {
		start = i;
		digits_only = 1;
		while (i < n && h[i] != '.') {
			if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
			    (h[i] >= '0' && h[i] <= '9') || h[i] == '-'))
				return 0;
			if (!(h[i] >= '0' && h[i] <= '9'))
				digits_only = 0;
			i++;
		}
		len = i - start;
		if (len == 0 || len > 63 || h[start] == '-' || h[i - 1] == '-')
			return 0;
		i++;	/* the dot, or past the end */
	}
	return !digits_only;
}

/* Checks the host h[0..n) as written (no userinfo, no port); returns NULL when it is good,
 * else what is wrong with it. */
static const char *
endpoint_host_problem(const char *h, size_t n)
{
	char a[INET6_ADDRSTRLEN + 1];
	struct in_addr a4;
	struct in6_addr a6;

	if (n == 0)
		return "has no host: " ENDPOINT_SHAPE;
	if (h[0] == '[') {
		if (memchr(h, '%', n) != NULL)
			return "IPv6 zones (%...) are not supported";
		if (n < 3 || h[n - 1] != ']' || n - 2 >= sizeof a)
			return "not a valid IPv6 address in brackets (like [2001:db8::1])";
		memcpy(a, h + 1, n - 2);
		a[n - 2] = '\0';
		if (inet_pton(AF_INET6, a, &a6) != 1)
			return "not a valid IPv6 address in brackets (like [2001:db8::1])";
		return NULL;
	}
	if (memchr(h, ':', n) != NULL)
		return "an IPv6 address goes in brackets (https://[2001:db8::1]:PORT/)";
	if (strspn(h, "0123456789.") >= n) {
		if (n >= sizeof a)
			return "not a valid IPv4 address (four numbers 0-255, like 192.0.2.1)";
		memcpy(a, h, n);
		a[n] = '\0';
		if (inet_pton(AF_INET, a, &a4) != 1)
			return "not a valid IPv4 address (four numbers 0-255, like 192.0.2.1)";
		return NULL;
	}
	if (!dns_name_ok(h, n))
		return "not a valid host name (labels of letters, digits and '-', separated by "
		    "dots)";
	return NULL;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Checks the path as written ("" or starting with '/'): RFC 3986 path characters and
 * %XX escapes only, no escaped control character, no "." or ".." segment. */
static const char *
endpoint_path_problem(const char *p)
{
	static const char pchar[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-._~!$&'()*+,;=:@";
	char seg[3];
	size_t n;
	int hi, lo, c;

	while (*p == '/') {
		p++;
		n = 0;		/* the segment's first characters, decoded */
		for (; *p != '\0' && *p != '/'; p++) {
			if (*p == '%') {
				hi = hex_value(p[1]);
				lo = hi < 0 ? -1 : hex_value(p[2]);
				if (lo < 0)
					return "has a % not followed by two hex digits";
				c = hi * 16 + lo;
				if (c < 0x20 || c == 0x7F)
					return "has an escaped control character";
				p += 2;
			} else if (strchr(pchar, *p) == NULL)
				return "holds a character that a URL path cannot hold";
			else
				c = *p;
			if (n < sizeof seg)
				seg[n] = (char)c;
			n++;
		}
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return "has a . or .. segment";
		if (*p == '\0')
			return NULL;
	}
	return *p == '\0' ? NULL : "holds a character that a URL path cannot hold";
}

/* Sets *cause to "endpoint 'URL': WHY" (display-safe) and returns -1. */
static int
endpoint_refuse(const char *url, const char *why, char **cause)
{
	char *safe = safetext_excerpt(url, strlen(url), 200);

	*cause = xasprintf("endpoint '%s' %s", safe, why);
	free(safe);
	return -1;
}

int
api_endpoint_check(const char *url, char **url_out, int *loopback, char **cause)
{
	static const char scheme_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789+.-";
	CURLU *u = NULL;
	CURLUcode uc;
	char *with_scheme = NULL, *full = NULL, *why = NULL, *host_text = NULL;
	const char *problem, *rest = url, *auth, *auth_end, *host, *port;
	size_t n, digits, host_len;
	int https = 1, rc = -1;
	long pnum;

	*url_out = NULL;
	*loopback = 0;
	if (*url == '\0') {
		*cause = xstrdup("the endpoint is empty: " ENDPOINT_SHAPE);
		return -1;
	}
	if ((problem = endpoint_chars_problem(url)) != NULL)
		return endpoint_refuse(url, problem, cause);

	/* The scheme: "name:" not followed by a port number ("localhost:8080/" has none).
	 * Without one, https. */
	n = ((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')) ?
	    strspn(url, scheme_chars) : 0;
	if (n > 0 && url[n] == ':') {
		digits = strspn(url + n + 1, "0123456789");
		if (digits > 0 && (url[n + 1 + digits] == '\0' || url[n + 1 + digits] == '/'))
			n = 0;	/* HOST:PORT */
	}
	if (n > 0 && url[n] == ':') {
		if (!((n == 4 && strncasecmp(url, "http", 4) == 0) ||
		    (n == 5 && strncasecmp(url, "https", 5) == 0))) {
			why = xasprintf("has the scheme '%.*s', which is not supported: "
			    ENDPOINT_SHAPE, (int)(n > 20 ? 20 : n), url);
			goto refuse;
		}
		if (strncmp(url + n + 1, "//", 2) != 0) {
			why = xstrdup("is not a URL: " ENDPOINT_SHAPE);
			goto refuse;
		}
		https = n == 5;
		rest = url + n + 3;
	}
	auth = rest;

	/* The authority, as written: no user name, a host, maybe a port. */
	auth_end = auth + strcspn(auth, "/");
	if (memchr(auth, '@', (size_t)(auth_end - auth)) != NULL) {
		why = xstrdup("must not hold a user name or password (the credentials come from "
		    "the vault or the environment)");
		goto refuse;
	}
	host = auth;
	if (*host == '[') {
		port = memchr(host, ']', (size_t)(auth_end - host));
		port = port != NULL ? port + 1 : auth_end;
	} else {
		port = memchr(host, ':', (size_t)(auth_end - host));
		if (port != NULL && memchr(port + 1, ':', (size_t)(auth_end - port - 1)) != NULL)
			port = auth_end;	/* an IPv6 address without brackets */
		else if (port == NULL)
			port = auth_end;
	}
	host_len = (size_t)(port - host);
	if ((problem = endpoint_host_problem(host, host_len)) != NULL) {
		char *safe = safetext_excerpt(host, host_len, 80);
		if (host_len == 0)
			why = xstrdup(problem);
		else
			why = xasprintf("has the host '%s': %s", safe, problem);
		free(safe);
		goto refuse;
	}
	if (port < auth_end) {
		if (*port != ':' || port + 1 == auth_end ||
		    strspn(port + 1, "0123456789") != (size_t)(auth_end - port - 1) ||
		    auth_end - port - 1 > 5 || (pnum = strtol(port + 1, NULL, 10)) < 1 ||
		    pnum > 65535) {
			why = xstrdup("has a bad port: the port is a number from 1 to 65535");
			goto refuse;
		}
	}
	if ((problem = endpoint_path_problem(auth_end)) != NULL) {
		why = xasprintf("has a bad path: it %s", problem);
		goto refuse;
	}

	/* Checked: curl parses and normalises it. */
	if (rest == url)
		with_scheme = xasprintf("https://%s", url);
	u = curl_url();
	uc = curl_url_set(u, CURLUPART_URL, with_scheme != NULL ? with_scheme : url,
	    CURLU_PATH_AS_IS);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_URL, &full, 0);
	if (uc != CURLUE_OK) {
		why = xasprintf("is not a valid URL (%s): " ENDPOINT_SHAPE, curl_url_strerror(uc));
		goto refuse;
	}
	host_text = xstrndup(host, host_len);
	*loopback = host_is_loopback(host_text);
	if (!https && !*loopback) {
		char *safe = safetext_dup(host_text, host_len);
		*cause = xasprintf("endpoint host '%s': plain http:// is allowed only for "
		    "loopback addresses (127.0.0.1, ::1, localhost); use https://", safe);
		free(safe);
		*loopback = 0;
		goto out;
	}
	*url_out = xstrdup(full);
	rc = 0;
	goto out;
refuse:
	endpoint_refuse(url, why, cause);
out:
	free(why);
	free(host_text);
	curl_free(full);
	free(with_scheme);
	if (u != NULL)
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

	/* The secret is readable only while the signature is computed. */
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

/* ---- credential freshness (client.h) ---------------------------------------------
 *
 * A renewable holds its current value as a reference-counted generation: signing a
 * request takes a reference (api_config_signing) and drops it once the request is
 * prepared, so a renewal on another thread replaces the value without pulling it from
 * under a signature, and the old secret is wiped when its last user lets go. Two locks:
 * mu guards the current generation, the counts and the last error and is held only for
 * a few instructions (the console's status bar reads it); renew_mu is held by the one
 * thread that renews, across the network call, so a second thread that finds the value
 * due waits for the renewal instead of making its own, then finds it fresh. */

struct api_cred_gen {
	int		refs;		/* the renewable's own reference + holds (under mu) */
	struct api_cred	c;		/* the value */
	int64_t		got_ms;		/* when it was received (the renewable's clock) */
};

struct api_renewable {
	pthread_mutex_t		 mu;		/* guards the fields below renew_mu */
	pthread_mutex_t		 renew_mu;	/* held by the one thread renewing */
	int			 refs;		/* references (configurations) */
	char			*profile;	/* for messages */
	api_renew_fn		*renew;		/* gets a new value */
	void			*arg;		/* its argument */
	void			(*arg_free)(void *);	/* frees arg, or NULL */
	int64_t			(*now_ms)(void);	/* wall clock, epoch ms */
	struct api_cred_gen	*cur;		/* the current value, NULL before the first */
	int64_t			 retry_at_ms;	/* after a failed renewal: not before */
	char			*last_error;	/* why the last renewal failed, or NULL */
	unsigned		 count;		/* successful renewals */
};

void
api_cred_clear(struct api_cred *c)
{
	free(c->id);
	secret_free(c->secret);
	free_wiped(c->token);
	memset(c, 0, sizeof *c);
}

int64_t
api_renew_margin_ms(int64_t lifetime_ms)
{
	int64_t third = lifetime_ms > 0 ? lifetime_ms / 3 : 0;

	return third < 180000 ? third : 180000;
}

int64_t
api_renew_retry_ms(int64_t left_ms)
{
	int64_t d = left_ms / 4;

	if (d < 1000)
		d = 1000;
	if (d > 30000)
		d = 30000;
	return d;
}

/* "N s ago" style text for a duration in ms (>= 0). */
static char *
ago_text(int64_t ms)
{
	int64_t s = ms / 1000;

	if (s < 120)
		return xasprintf("%lld s ago", (long long)s);
	if (s < 120 * 60)
		return xasprintf("%lld min ago", (long long)(s / 60));
	if (s < 48 * 3600)
		return xasprintf("%lld h ago", (long long)(s / 3600));
	return xasprintf("%lld days ago", (long long)(s / 86400));
}

static void
utc_text(int64_t epoch_ms, char out[32])
{
	time_t t = (time_t)(epoch_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

char *
api_token_expired_message(const char *profile, int64_t expiry_ms, int64_t now_ms)
{
	char when[32], *ago, *safe, *msg;
	const char *p = profile != NULL ? profile : "(none)";

	utc_text(expiry_ms, when);
	ago = ago_text(now_ms > expiry_ms ? now_ms - expiry_ms : 0);
	safe = safetext_dup(p, strlen(p));
	msg = xasprintf("the STS token of profile %s expired at %s (%s); get a new one "
	    "(vault add %s --sts ...) or use another profile", safe, when, ago, safe);
	free(safe);
	free(ago);
	return msg;
}

struct api_renewable *
api_renewable_new(const char *profile, api_renew_fn *renew, void *arg,
    void (*arg_free)(void *))
{
	struct api_renewable *r = xcalloc(1, sizeof *r);

	pthread_mutex_init(&r->mu, NULL);
	pthread_mutex_init(&r->renew_mu, NULL);
	r->refs = 1;
	r->profile = xstrdup(profile != NULL ? profile : "(none)");
	r->renew = renew;
	r->arg = arg;
	r->arg_free = arg_free;
	r->now_ms = clock_wall_ms;
	return r;
}

/* Drops a reference on g. r->mu held. */
static void
gen_unref(struct api_cred_gen *g)
{
	if (g != NULL && --g->refs == 0) {
		api_cred_clear(&g->c);
		free(g);
	}
}

struct api_renewable *
api_renewable_ref(struct api_renewable *r)
{
	if (r != NULL) {
		pthread_mutex_lock(&r->mu);
		r->refs++;
		pthread_mutex_unlock(&r->mu);
	}
	return r;
}

void
api_renewable_unref(struct api_renewable *r)
{
	int last;

	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (!last)
		return;
	gen_unref(r->cur);	/* holds are gone with the configurations that lent them */
	if (r->arg_free != NULL)
		r->arg_free(r->arg);
	free(r->profile);
	free(r->last_error);
	pthread_mutex_destroy(&r->mu);
	pthread_mutex_destroy(&r->renew_mu);
	free(r);
}

void
api_renewable_set_clock(struct api_renewable *r, int64_t (*now_ms)(void))
{
	pthread_mutex_lock(&r->mu);
	r->now_ms = now_ms != NULL ? now_ms : clock_wall_ms;
	pthread_mutex_unlock(&r->mu);
}

static int
gen_expired(const struct api_cred_gen *g, int64_t now)
{
	return g->c.expiry_ms != 0 && now >= g->c.expiry_ms;
}

static int
gen_due(const struct api_cred_gen *g, int64_t now)
{
	return g->c.expiry_ms != 0 &&
	    g->c.expiry_ms - now < api_renew_margin_ms(g->c.expiry_ms - g->got_ms);
}

/* Why r cannot sign now (r->mu held; r->cur NULL or expired), caller-freed. */
static char *
renewable_refusal(const struct api_renewable *r, int64_t now)
{
	char when[32], *ago, *msg;

	if (r->cur == NULL)
		return xasprintf("the role of profile %s could not be assumed: %s", r->profile,
		    r->last_error != NULL ? r->last_error : "no credential yet");
	utc_text(r->cur->c.expiry_ms, when);
	ago = ago_text(now - r->cur->c.expiry_ms);
	msg = xasprintf("the STS credential of role profile %s expired at %s (%s) and could "
	    "not be renewed: %s", r->profile, when, ago,
	    r->last_error != NULL ? r->last_error : "no renewal was tried");
	free(ago);
	return msg;
}

int
api_renewable_refresh(struct api_renewable *r, int force, char **cause)
{
	struct api_cred v;
	struct api_cred_gen *g;
	char *why = NULL;
	int64_t now;
	int need, rc;

	pthread_mutex_lock(&r->renew_mu);
	pthread_mutex_lock(&r->mu);
	now = r->now_ms();
	/* After a failure, not before the retry time, even once expired: a worker whose
	 * requests wait for the throttle must not ask STS at every turn. */
	need = force || ((r->cur == NULL || gen_expired(r->cur, now) || gen_due(r->cur, now)) &&
	    now >= r->retry_at_ms);
	pthread_mutex_unlock(&r->mu);

	if (need) {
		memset(&v, 0, sizeof v);
		rc = r->renew(r->arg, &v, &why);
		pthread_mutex_lock(&r->mu);
		now = r->now_ms();
		if (rc == 0) {
			g = xcalloc(1, sizeof *g);
			g->refs = 1;
			g->c = v;
			g->got_ms = now;
			gen_unref(r->cur);
			r->cur = g;
			r->count++;
			r->retry_at_ms = 0;
			free(r->last_error);
			r->last_error = NULL;
		} else {
			api_cred_clear(&v);
			free(r->last_error);
			r->last_error = why != NULL ? why : xstrdup("the renewal failed");
			why = NULL;
			r->retry_at_ms = now + api_renew_retry_ms(r->cur != NULL &&
			    r->cur->c.expiry_ms > now ? r->cur->c.expiry_ms - now : 0);
		}
		pthread_mutex_unlock(&r->mu);
	}

	pthread_mutex_lock(&r->mu);
	now = r->now_ms();
	rc = r->cur != NULL && !gen_expired(r->cur, now) ? 0 : -1;
	if (rc != 0 && cause != NULL)
		*cause = renewable_refusal(r, now);
	pthread_mutex_unlock(&r->mu);
	pthread_mutex_unlock(&r->renew_mu);
	return rc;
}

int
api_renewable_get(struct api_renewable *r, struct api_cred *out)
{
	int rc = -1;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&r->mu);
	if (r->cur != NULL) {
		out->id = xstrdup(r->cur->c.id);
		out->secret = secret_dup(r->cur->c.secret);
		out->token = r->cur->c.token != NULL ? xstrdup(r->cur->c.token) : NULL;
		out->expiry_ms = r->cur->c.expiry_ms;
		rc = 0;
	}
	pthread_mutex_unlock(&r->mu);
	return rc;
}

unsigned
api_renewable_count(struct api_renewable *r)
{
	unsigned n;

	pthread_mutex_lock(&r->mu);
	n = r->count;
	pthread_mutex_unlock(&r->mu);
	return n;
}

int
api_config_signing(const struct api_config *cfg, struct api_config *view,
    struct api_cred_hold *hold, struct api_error *err)
{
	struct api_renewable *r = cfg->renew;
	struct api_cred_gen *g;
	char *msg;
	int64_t now;

	memset(hold, 0, sizeof *hold);
	*view = *cfg;
	if (r == NULL) {
		if (cfg->security_token == NULL || *cfg->security_token == '\0' ||
		    cfg->token_expiry_ms == 0 || (now = clock_wall_ms()) < cfg->token_expiry_ms)
			return 0;
		msg = api_token_expired_message(cfg->profile, cfg->token_expiry_ms, now);
		goto refuse;
	}
	pthread_mutex_lock(&r->mu);
	now = r->now_ms();
	g = r->cur;
	if (g == NULL || gen_expired(g, now)) {
		msg = renewable_refusal(r, now);
		pthread_mutex_unlock(&r->mu);
		goto refuse;
	}
	g->refs++;
	pthread_mutex_unlock(&r->mu);
	hold->r = r;
	hold->gen = g;
	view->access_key_id = g->c.id;
	view->access_key_secret = g->c.secret;
	view->security_token = g->c.token;
	view->token_expiry_ms = g->c.expiry_ms;
	return 0;
refuse:
	memset(err, 0, sizeof *err);
	api_error_set(err, API_ERR_CONFIG, API_CODE_CREDENTIAL_EXPIRED, msg);
	free(msg);
	return -1;
}

void
api_cred_hold_release(struct api_cred_hold *hold)
{
	if (hold->r != NULL) {
		pthread_mutex_lock(&hold->r->mu);
		gen_unref(hold->gen);
		pthread_mutex_unlock(&hold->r->mu);
	}
	memset(hold, 0, sizeof *hold);
}

int
api_config_refresh(const struct api_config *cfg, char **cause)
{
	if (cfg->renew == NULL)
		return 0;
	return api_renewable_refresh(cfg->renew, 0, cause);
}

int64_t
api_config_token_expiry(const struct api_config *cfg, int *is_sts)
{
	int64_t e = 0;

	if (cfg->renew != NULL) {
		*is_sts = 1;
		pthread_mutex_lock(&cfg->renew->mu);
		if (cfg->renew->cur != NULL)
			e = cfg->renew->cur->c.expiry_ms;
		pthread_mutex_unlock(&cfg->renew->mu);
		return e;
	}
	*is_sts = cfg->security_token != NULL && *cfg->security_token != '\0';
	return *is_sts ? cfg->token_expiry_ms : 0;
}
