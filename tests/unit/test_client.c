/* test_client.c — endpoint rules, request preparation, `call` argument parsing, and the
 * mapping of transport failures (refused, reset, timeout, outcome unknown) against a
 * throw-away loopback server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/client.h"
#include "api/sign.h"
#include "cli/call.h"
#include "core/xmalloc.h"

static void
check_endpoint(const char *in, int ok, const char *want, int want_loopback)
{
	char *url = NULL, *cause = NULL;
	int loopback = -1;
	int rc = api_endpoint_check(in, &url, &loopback, &cause);

	if (ok) {
		if (rc != 0)
			fail_msg("%s: %s", in, cause);
		assert_string_equal(url, want);
		assert_int_equal(loopback, want_loopback);
	} else {
		if (rc == 0)
			fail_msg("%s accepted as %s", in, url);
		assert_non_null(cause);
		assert_null(url);
	}
	free(url);
	free(cause);
}

static void
test_endpoints(void **state)
{
	(void)state;
	check_endpoint("https://iot.cn-shanghai.aliyuncs.com", 1,
	    "https://iot.cn-shanghai.aliyuncs.com/", 0);
	check_endpoint("iot.cn-shanghai.aliyuncs.com", 1, "https://iot.cn-shanghai.aliyuncs.com/", 0);
	check_endpoint("http://127.0.0.1:8080/", 1, "http://127.0.0.1:8080/", 1);
	check_endpoint("http://127.9.9.9/", 1, "http://127.9.9.9/", 1);
	check_endpoint("http://localhost:1234", 1, "http://localhost:1234/", 1);
	check_endpoint("http://[::1]:99/", 1, "http://[::1]:99/", 1);
	check_endpoint("https://127.0.0.1:8443/", 1, "https://127.0.0.1:8443/", 1);
	check_endpoint("http://iot.cn-shanghai.aliyuncs.com/", 0, NULL, 0);
	check_endpoint("http://10.0.0.1/", 0, NULL, 0);
	check_endpoint("http://128.0.0.1/", 0, NULL, 0);
	check_endpoint("http://localhost.evil.com/", 0, NULL, 0);
	check_endpoint("ftp://127.0.0.1/", 0, NULL, 0);
	check_endpoint("https://", 0, NULL, 0);
	check_endpoint("http://user@[", 0, NULL, 0);
}

static void
config(struct api_config *cfg)
{
	api_config_init(cfg);
	cfg->endpoint = xstrdup("http://127.0.0.1:1/");
	cfg->endpoint_loopback = 1;
	cfg->region = xstrdup("cn-shanghai");
	cfg->access_key_id = xstrdup("LTAItestkey");
	api_config_set_secret(cfg, "very-secret-value");
}

static void
test_prepare(void **state)
{
	struct api_config cfg;
	struct api_prepared req;
	struct params user = PARAMS_INIT;
	char *sig;

	(void)state;
	config(&cfg);
	params_set(&user, "ProductKey", "a1BwAGV****");
	params_set(&user, "Nickname", "智能灯 one");
	params_set(&user, "Signature", "forged");	/* reserved: ignored */
	api_prepare_at(&cfg, "QueryDevice", &user, "2026-01-02T03:04:05Z", &req);
	assert_string_equal(params_get(&req.params, "Action"), "QueryDevice");
	assert_string_equal(params_get(&req.params, "Format"), "JSON");
	assert_string_equal(params_get(&req.params, "Version"), "2018-01-20");
	assert_string_equal(params_get(&req.params, "SignatureMethod"), "HMAC-SHA1");
	assert_string_equal(params_get(&req.params, "SignatureVersion"), "1.0");
	assert_string_equal(params_get(&req.params, "Timestamp"), "2026-01-02T03:04:05Z");
	assert_string_equal(params_get(&req.params, "RegionId"), "cn-shanghai");
	assert_string_equal(params_get(&req.params, "AccessKeyId"), "LTAItestkey");
	assert_null(params_get(&req.params, "IotInstanceId"));
	assert_null(params_get(&req.params, "SecurityToken"));
	assert_int_equal(strlen(params_get(&req.params, "SignatureNonce")), 32);
	/* The signature is the v1 signature of everything else, as POST. */
	sig = sign_v1("POST", &req.params, "very-secret-value");
	assert_string_equal(params_get(&req.params, "Signature"), sig);
	free(sig);
	/* The secret never travels; the body is RFC 3986 encoded. */
	assert_null(strstr(buf_str(&req.body), "very-secret-value"));
	assert_non_null(strstr(buf_str(&req.body), "Nickname=%E6%99%BA%E8%83%BD%E7%81%AF%20one"));
	assert_non_null(strstr(buf_str(&req.body), "Timestamp=2026-01-02T03%3A04%3A05Z"));
	api_prepared_free(&req);

	cfg.instance_id = xstrdup("iot-cn-0pp1n8t****");
	cfg.security_token = xstrdup("sts-token");
	api_prepare(&cfg, "QueryDevice", NULL, &req);
	assert_string_equal(params_get(&req.params, "IotInstanceId"), "iot-cn-0pp1n8t****");
	assert_string_equal(params_get(&req.params, "SecurityToken"), "sts-token");
	assert_int_equal(strlen(params_get(&req.params, "Timestamp")), 20);
	api_prepared_free(&req);
	params_free(&user);
	api_config_free(&cfg);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_nonces_unique(void **state)
{
	struct api_config cfg;
	struct api_prepared req;
	enum { N = 2000 };
	char **seen = xcalloc(N, sizeof *seen);
	int i;

	(void)state;
	config(&cfg);
	for (i = 0; i < N; i++) {
		api_prepare(&cfg, "QueryProductList", NULL, &req);
		seen[i] = xstrdup(req.nonce);
		api_prepared_free(&req);
	}
	qsort(seen, N, sizeof *seen, cmp_str);
	for (i = 1; i < N; i++)
		assert_string_not_equal(seen[i - 1], seen[i]);
	for (i = 0; i < N; i++)
		free(seen[i]);
	free(seen);
	api_config_free(&cfg);
}

static void
test_parse_param(void **state)
{
	struct params p = PARAMS_INIT;
	char *cause = NULL;

	(void)state;
	assert_int_equal(call_parse_param("TargetDeviceName.1=a", &p, &cause), 0);
	assert_int_equal(call_parse_param("Items={\"Switch\":1}", &p, &cause), 0);
	assert_int_equal(call_parse_param("Empty=", &p, &cause), 0);
	assert_int_equal(call_parse_param("Eq=a=b", &p, &cause), 0);
	assert_string_equal(params_get(&p, "Items"), "{\"Switch\":1}");
	assert_string_equal(params_get(&p, "Empty"), "");
	assert_string_equal(params_get(&p, "Eq"), "a=b");
	assert_int_equal(call_parse_param("NoEquals", &p, &cause), -1);
	free(cause);
	assert_int_equal(call_parse_param("=value", &p, &cause), -1);
	free(cause);
	assert_int_equal(call_parse_param("Bad Name=x", &p, &cause), -1);
	free(cause);
	assert_int_equal(call_parse_param("Signature=x", &p, &cause), -1);
	assert_non_null(strstr(cause, "sets itself"));
	free(cause);
	assert_int_equal(call_parse_param("RegionId=x", &p, &cause), -1);
	assert_non_null(strstr(cause, "--region"));
	free(cause);
	assert_int_equal(call_parse_param("Empty=again", &p, &cause), -1);
	assert_non_null(strstr(cause, "twice"));
	free(cause);
	params_free(&p);
}

static void
test_print_json(void **state)
{
	cJSON *j = cJSON_Parse("{\"a\":{\"b\":[1,\"x\\ty\"]}}");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	call_print_json(f, j);
	fclose(f);
	assert_string_equal(out, "{\n  \"a\": {\n    \"b\": [1, \"x\\ty\"]\n  }\n}\n");
	free(out);
	cJSON_Delete(j);
}

/* A loopback server that misbehaves in one chosen way. */
enum misbehaviour { CLOSE_AT_ONCE, READ_THEN_CLOSE, READ_THEN_STALL, ANSWER_HTML };

struct bad_server {
	int               fd;	/* listening socket */
	int               port;	/* its port */
	enum misbehaviour how;	/* what it does to the one connection it takes */
	pthread_t         thread;
};

static void *
bad_server_run(void *arg)
{
	struct bad_server *s = arg;
	char buf[8192];
	int c = accept(s->fd, NULL, NULL);
	static const char html[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
	    "Content-Length: 38\r\nConnection: close\r\n\r\n<html><h1>502 Bad Gateway</h1></html>\n";

	if (c < 0)
		return NULL;
	if (s->how != CLOSE_AT_ONCE)
		(void)!read(c, buf, sizeof buf);
	if (s->how == READ_THEN_STALL)
		(void)!read(c, buf, sizeof buf);	/* until the client gives up */
	if (s->how == ANSWER_HTML)
		(void)!write(c, html, sizeof html - 1);
	close(c);
	return NULL;
}

static void
bad_server_start(struct bad_server *s, enum misbehaviour how)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s->fd, 4), 0);
	getsockname(s->fd, (struct sockaddr *)&a, &alen);
	s->port = ntohs(a.sin_port);
	s->how = how;
	pthread_create(&s->thread, NULL, bad_server_run, s);
}

static void
bad_server_stop(struct bad_server *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}

static enum api_status
call_bad(enum misbehaviour how, const char *action, struct api_error *err)
{
	struct bad_server s;
	struct api_config cfg;
	cJSON *json = NULL;
	enum api_status st;

	bad_server_start(&s, how);
	config(&cfg);
	free(cfg.endpoint);
	cfg.endpoint = xasprintf("http://127.0.0.1:%d/", s.port);
	cfg.timeout_ms = 300;
	st = api_call(&cfg, action, NULL, &json, err);
	assert_null(json);
	bad_server_stop(&s);
	api_config_free(&cfg);
	return st;
}

static void
test_transport_failures(void **state)
{
	struct api_error err;
	struct api_config cfg;
	cJSON *json;
	int fd, port;
	struct sockaddr_in a;
	socklen_t alen = sizeof a;

	(void)state;
	/* Connection refused: bind a port, close it, call it. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	getsockname(fd, (struct sockaddr *)&a, &alen);
	port = ntohs(a.sin_port);
	close(fd);
	config(&cfg);
	free(cfg.endpoint);
	cfg.endpoint = xasprintf("http://127.0.0.1:%d/", port);
	assert_int_equal(api_call(&cfg, "QueryDevice", NULL, &json, &err), API_ERR_NETWORK);
	assert_int_equal(err.outcome_unknown, 0);
	assert_null(strstr(err.message, "very-secret-value"));
	api_error_clear(&err);
	api_config_free(&cfg);

	assert_int_equal(call_bad(READ_THEN_CLOSE, "QueryDevice", &err), API_ERR_NETWORK);
	assert_int_equal(err.outcome_unknown, 0);	/* a read: safe either way */
	api_error_clear(&err);

	assert_int_equal(call_bad(READ_THEN_STALL, "QueryDevice", &err), API_ERR_TIMEOUT);
	assert_string_equal(err.code, "Timeout");
	assert_non_null(strstr(err.message, "0.3 s"));
	api_error_clear(&err);

	/* A write that was sent and never answered: its outcome is unknown. */
	assert_int_equal(call_bad(READ_THEN_STALL, "SetDeviceProperty", &err), API_ERR_TIMEOUT);
	assert_int_equal(err.outcome_unknown, 1);
	assert_non_null(strstr(err.message, "may have been carried out"));
	api_error_clear(&err);
	assert_int_equal(call_bad(READ_THEN_CLOSE, "DeleteDevice", &err), API_ERR_NETWORK);
	assert_int_equal(err.outcome_unknown, 1);
	api_error_clear(&err);

	assert_int_equal(call_bad(ANSWER_HTML, "QueryDevice", &err), API_ERR_BAD_RESPONSE);
	assert_int_equal(err.http_status, 502);
	assert_non_null(strstr(err.message, "502 Bad Gateway"));
	api_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoints),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_nonces_unique),
		cmocka_unit_test(test_parse_param),
		cmocka_unit_test(test_print_json),
		cmocka_unit_test(test_transport_failures),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
