/* test_endpoint.c — api_config_set_place_from (where requests go: one rule) and
 * api_endpoint_check: what an endpoint URL may be (scheme, host, port,
 * path; no user name, query or fragment), caught before any request with a message that
 * says what is wrong. Names that must be refused are *.invalid: nothing is ever sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "api/client.h"
#include "api/place.h"

static void
ok(const char *in, const char *want, int want_loopback)
{
	char *url = NULL, *cause = NULL;
	int loopback = -1;

	if (api_endpoint_check(in, &url, &loopback, &cause) != 0)
		fail_msg("[%s] refused: %s", in, cause);
	if (strcmp(url, want) != 0)
		fail_msg("[%s] normalised to [%s], expected [%s]", in, url, want);
	assert_int_equal(loopback, want_loopback);
	assert_null(cause);
	free(url);
}

/* Refused, with a message holding each of the words in why ('|'-separated). */
static void
refuse(const char *in, const char *why)
{
	char *url = NULL, *cause = NULL, *words = strdup(why), *w, *save = NULL;
	int loopback = -1;

	if (api_endpoint_check(in, &url, &loopback, &cause) == 0)
		fail_msg("[%s] accepted as [%s]", in, url);
	assert_null(url);
	assert_non_null(cause);
	for (w = strtok_r(words, "|", &save); w != NULL; w = strtok_r(NULL, "|", &save))
		if (strstr(cause, w) == NULL)
			fail_msg("[%s]: the message [%s] does not say '%s'", in, cause, w);
	/* The message is one display-safe line. */
	assert_null(strchr(cause, '\n'));
	assert_null(strchr(cause, '\033'));
	free(words);
	free(cause);
}

static void
test_accepted(void **state)
{
	(void)state;
	ok("https://iot.cn-shanghai.aliyuncs.com", "https://iot.cn-shanghai.aliyuncs.com/", 0);
	ok("iot.cn-shanghai.aliyuncs.com", "https://iot.cn-shanghai.aliyuncs.com/", 0);
	ok("HTTPS://iot.cn-shanghai.aliyuncs.com/", "https://iot.cn-shanghai.aliyuncs.com/", 0);
	ok("iot.example.invalid:8443/api/v1", "https://iot.example.invalid:8443/api/v1", 0);
	ok("https://proxy.example.invalid/iot/a%20b/", "https://proxy.example.invalid/iot/a%20b/", 0);
	ok("https://x-1.example.invalid:65535/~a_b.c-d!$&'()*+,;=:@/",
	    "https://x-1.example.invalid:65535/~a_b.c-d!$&'()*+,;=:@/", 0);
	ok("http://127.0.0.1:8080/", "http://127.0.0.1:8080/", 1);
	ok("http://localhost:1234", "http://localhost:1234/", 1);
	ok("http://[::1]:99/", "http://[::1]:99/", 1);
	ok("127.0.0.1:8080", "https://127.0.0.1:8080/", 1);
	ok("localhost:8080", "https://localhost:8080/", 1);
	ok("[::1]:8443/x", "https://[::1]:8443/x", 1);
	ok("https://[2001:db8::1]/", "https://[2001:db8::1]/", 0);
	ok("https://192.0.2.1/", "https://192.0.2.1/", 0);
}

static void
test_scheme(void **state)
{
	(void)state;
	refuse("htp:/x", "htp|https://");
	refuse("htp://127.0.0.1/", "htp|https://");
	refuse("ftp://127.0.0.1/", "ftp|https://");
	refuse("https:/x", "https://HOST");
	refuse("http:x", "https://HOST");
	refuse("https:", "https://HOST");
	refuse("host:abc", "host|https://");
	refuse("http://iotdeck.invalid/", "loopback");
	refuse("http://10.0.0.1/", "loopback");
	refuse("", "empty");
}

static void
test_host(void **state)
{
	char name[400];

	(void)state;
	refuse("https://", "host");
	refuse("https:///path", "host");
	refuse("https://:443/", "host");
	refuse("https://::1/", "IPv6|brackets");
	refuse("https://[::1/", "IPv6");
	refuse("https://[::g]/", "IPv6");
	refuse("https://[127.0.0.1]/", "IPv6");
	refuse("https://[fe80::1%25eth0]/", "zone");
	refuse("https://1.2.3.256/", "IPv4");
	refuse("https://1.2.3/", "IPv4");
	refuse("https://-bad.example.invalid/", "host name");
	refuse("https://bad-.example.invalid/", "host name");
	refuse("https://a..b.invalid/", "host name");
	refuse("https://ho_st.invalid/", "host name");
	refuse("https://host.invalid./", "host name");
	refuse("https://ho%41st.invalid/", "host name");
	refuse("https://h\xC3\xA9llo.invalid/", "xn--");
	refuse("https://a b.invalid/", "space");
	refuse("https://a.invalid\n/", "control");
	refuse("https://a.invalid\033[2J/", "control");
	memset(name, 'a', 64);
	memcpy(name + 64, ".invalid", 9);
	refuse(name, "host name");
	memset(name, 0, sizeof name);
	while (strlen(name) < 250)
		memcpy(name + strlen(name), "abcdefghi.", 10);
	memcpy(name + strlen(name), "invalid", 8);
	refuse(name, "host name");
}

static void
test_port_userinfo_query(void **state)
{
	(void)state;
	refuse("https://h.invalid:0/", "port");
	refuse("https://h.invalid:65536/", "port");
	refuse("https://h.invalid:99999/", "port");
	refuse("https://h.invalid:-1/", "port");
	refuse("https://h.invalid:8x/", "port");
	refuse("https://user:pw@h.invalid/", "user name");
	refuse("https://user@h.invalid/", "user name");
	refuse("https://:pw@h.invalid/", "user name");
	refuse("https://h.invalid/?a=b", "query");
	refuse("https://h.invalid/?", "query");
	refuse("https://h.invalid?x", "query");
	refuse("https://h.invalid/#f", "fragment");
	refuse("https://h.invalid#", "fragment");
}

static void
test_path(void **state)
{
	(void)state;
	refuse("https://h.invalid/../x", "path");
	refuse("https://h.invalid/a/./b", "path");
	refuse("https://h.invalid/a/..", "path");
	refuse("https://h.invalid/a/%2e%2E/b", "path");
	refuse("https://h.invalid/a%2", "path");
	refuse("https://h.invalid/a%zz", "path");
	refuse("https://h.invalid/a%0a", "path");
	refuse("https://h.invalid/a%7F", "path");
	refuse("https://h.invalid/a\\b", "path");
	refuse("https://h.invalid/a<b>", "path");
	refuse("https://h.invalid/a\"b", "path");
	refuse("https://h.invalid/a{b}", "path");
	refuse("https://h.invalid/a|b", "path");
	refuse("https://h.invalid/a`b^", "path");
}

/* api_config_set_place_from: the one rule for where requests go. */
static void
test_place_rule(void **state)
{
	struct api_config cfg;
	struct place_sources src = { 0 };
	char *cause = NULL;

	(void)state;
	api_config_init(&cfg);
	/* Region: --region, then the profile's, then the environment's. */
	src.env_region = "cn-beijing";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.region, "cn-beijing");
	assert_string_equal(cfg.endpoint, "https://iot.cn-beijing.aliyuncs.com/");
	assert_false(cfg.endpoint_explicit);
	src.prof_region = "cn-hangzhou";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.region, "cn-hangzhou");
	src.opt_region = "ap-southeast-1";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.region, "ap-southeast-1");
	assert_string_equal(cfg.endpoint, "https://iot.ap-southeast-1.aliyuncs.com/");

	/* Endpoint: --endpoint, then the environment's, then the profile's. */
	src.prof_endpoint = "https://prof.example.invalid";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.endpoint, "https://prof.example.invalid/");
	assert_true(cfg.endpoint_explicit);
	src.env_endpoint = "https://env.example.invalid";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.endpoint, "https://env.example.invalid/");
	src.opt_endpoint = "https://opt.example.invalid";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.endpoint, "https://opt.example.invalid/");

	/* An explicit endpoint stays when the region changes; a default one follows. */
	assert_int_equal(api_config_set_region(&cfg, "cn-shanghai", &cause), 0);
	assert_string_equal(cfg.endpoint, "https://opt.example.invalid/");
	memset(&src, 0, sizeof src);
	src.prof_region = "cn-hangzhou";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.endpoint, "https://iot.cn-hangzhou.aliyuncs.com/");
	assert_int_equal(api_config_set_region(&cfg, "cn-shanghai", &cause), 0);
	assert_string_equal(cfg.endpoint, "https://iot.cn-shanghai.aliyuncs.com/");

	/* Nothing: cfg's own region stays. */
	memset(&src, 0, sizeof src);
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), 0);
	assert_string_equal(cfg.region, "cn-shanghai");

	/* A refusal changes nothing. */
	src.opt_endpoint = "ftp://bad.example.invalid";
	src.opt_region = "cn-beijing";
	assert_int_equal(api_config_set_place_from(&cfg, &src, &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_string_equal(cfg.region, "cn-shanghai");
	assert_string_equal(cfg.endpoint, "https://iot.cn-shanghai.aliyuncs.com/");
	api_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_scheme),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_port_userinfo_query),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_place_rule),
	};

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	return cmocka_run_group_tests_name("endpoint", tests, NULL, NULL);
}
