/* endpoint.c — where requests may go: the default endpoint of a region and the check of
 * an endpoint URL before anything is sent (declared in client.h, api/endpoint.h). */
#include "api/client.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "core/safetext.h"
#include "core/xmalloc.h"

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
				hi = OPENSSL_hexchar2int((unsigned char)p[1]);
				lo = hi < 0 ? -1 : OPENSSL_hexchar2int((unsigned char)p[2]);
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
