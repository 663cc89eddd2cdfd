/* test_sim_auth.c — simulator authentication: v3 vectors from the official SDK, v1 and v3
 * verification, timestamps, nonces, keys files; and the throttle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "api/actions.h"
#include "api/sign.h"
#include "api/sign_v3.h"
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/request.h"
#include "sim/throttle.h"
#include "testutil.h"

static void
to_params(const cJSON *obj, struct params *p)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, obj)
		params_add(p, c->string, c->valuestring);
}

/* Authorization headers computed by @alicloud/openapi-util getAuthorization. */
static void
test_v3_vectors(void **state)
{
	char *text = testutil_read_fixture("sim/signature-v3.jsonl", NULL), *line, *save = NULL;
	int n = 0;

	(void)state;
	for (line = text; line != NULL && *line != '\0'; line = save) {
		struct params q = PARAMS_INIT, h = PARAMS_INIT;
		cJSON *v;
		char *nl = strchr(line, '\n'), *auth;

		save = nl != NULL ? nl + 1 : NULL;
		if (nl != NULL)
			*nl = '\0';
		v = cJSON_Parse(line);
		assert_non_null(v);
		to_params(cJSON_GetObjectItem(v, "query"), &q);
		to_params(cJSON_GetObjectItem(v, "headers"), &h);
		auth = sign_v3_authorization(cJSON_GetObjectItem(v, "id")->valuestring,
		    cJSON_GetObjectItem(v, "secret")->valuestring,
		    cJSON_GetObjectItem(v, "method")->valuestring, "/", &q, &h,
		    cJSON_GetObjectItem(v, "payload")->valuestring);
		assert_string_equal(auth, cJSON_GetObjectItem(v, "authorization")->valuestring);
		free(auth);
		params_free(&q);
		params_free(&h);
		cJSON_Delete(v);
		n++;
	}
	assert_int_equal(n, 3);
	free(text);
}

/* Replaces r's headers with the pairs of h. */
static void
set_headers(struct sim_request *r, const struct params *h)
{
	char *cause = NULL;
	size_t i;

	params_free(&r->headers);
	params_init(&r->headers);
	for (i = 0; i < h->n; i++)
		assert_int_equal(sim_request_add_header(r, h->v[i].name, h->v[i].value, &cause), 0);
}

static void
fmt_time(time_t t, char out[24])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
check_v1(struct sim_auth *a, const char *secret, time_t ts, time_t now, const char *nonce,
    struct sim_error *err)
{
	struct sim_request r;
	char when[24], *sig;
	struct sim_caller who;
	int rc;

	sim_request_init(&r);
	r.method = "POST";
	fmt_time(ts, when);
	params_add(&r.query, "Action", "QueryProductList");
	params_add(&r.query, "AccessKeyId", "k1");
	params_add(&r.query, "SignatureMethod", "HMAC-SHA1");
	params_add(&r.query, "SignatureVersion", "1.0");
	params_add(&r.query, "SignatureNonce", nonce);
	params_add(&r.query, "Timestamp", when);
	params_add(&r.query, "Version", "2018-01-20");
	params_add(&r.form, "PageSize", "10");
	params_add(&r.form, "Nickname", "温湿度 a+b");
	sim_request_merge(&r);
	sig = sign_v1("POST", &r.all, secret);
	params_add(&r.query, "Signature", sig);
	sim_request_merge(&r);
	rc = sim_auth_check(a, &r, now, &who, err);
	if (rc == 0)
		assert_string_equal(who.akid, "k1");
	free(sig);
	sim_request_free(&r);
	return rc;
}

static void
test_v1_checks(void **state)
{
	struct sim_auth *a = sim_auth_new();
	struct sim_error err = { 0, NULL, NULL, 0 };
	char *cause = NULL;
	time_t now = 1767225600;

	(void)state;
	assert_int_equal(sim_auth_add_key_spec(a, "k1:s1", &cause), 0);
	assert_int_equal(check_v1(a, "s1", now, now, "n1", &err), 0);
	assert_int_equal(check_v1(a, "s1", now, now, "n1", &err), -1);
	assert_string_equal(err.code, "SignatureNonceUsed");
	assert_int_equal(check_v1(a, "s2", now, now, "n2", &err), -1);
	assert_string_equal(err.code, "SignatureDoesNotMatch");
	assert_int_equal(err.http, 400);
	assert_int_equal(check_v1(a, "s1", now - 901, now, "n3", &err), -1);
	assert_string_equal(err.code, "InvalidTimeStamp.Expired");
	assert_int_equal(check_v1(a, "s1", now + 899, now, "n4", &err), 0);
	/* Nonces are forgotten after twice the skew. */
	assert_int_equal(check_v1(a, "s1", now + 1801, now + 1801, "n1", &err), 0);
	sim_error_clear(&err);
	sim_auth_free(a);
}

/* A v3 request of SetDeviceProperty with a form body, as the official SDK sends it; the
 * headers sent are in *sent, those signed in *signed_h (both filled here). */
static void
v3_request(struct sim_request *r, struct params *sent, struct params *signed_h, time_t now,
    const char *nonce)
{
	static const char *body = "Items=%7B%7D";
	char when[24], hash[65], *auth;

	sim_request_init(r);
	r->method = "POST";
	r->body = body;
	r->body_len = strlen(body);
	params_add(&r->query, "ProductKey", "a1b2c3d4e5f");
	params_add(&r->form, "Items", "{}");
	sim_request_merge(r);
	fmt_time(now, when);
	sign_sha256_hex(body, strlen(body), hash);
	params_set(signed_h, "host", "127.0.0.1:1");
	params_set(signed_h, "x-acs-action", "SetDeviceProperty");
	params_set(signed_h, "x-acs-date", when);
	params_set(signed_h, "x-acs-signature-nonce", nonce);
	params_set(signed_h, "x-acs-content-sha256", hash);
	params_set(signed_h, "x-acs-version", "2018-01-20");
	params_set(signed_h, "content-type", "application/x-www-form-urlencoded");
	auth = sign_v3_authorization("k3", "s3", "POST", "/", &r->query, signed_h, hash);
	params_copy(sent, signed_h);
	params_set(sent, "Authorization", auth);
	set_headers(r, sent);
	free(auth);
}

static void
test_v3_check(void **state)
{
	struct sim_auth *a = sim_auth_new();
	struct sim_error err = { 0, NULL, NULL, 0 };
	struct sim_request r;
	struct params headers = PARAMS_INIT, signed_h = PARAMS_INIT;
	char *cause = NULL;
	struct sim_caller who;
	time_t now = 1767225600;

	(void)state;
	assert_int_equal(sim_auth_add_key(a, "k3", "s3", &cause), 0);
	v3_request(&r, &headers, &signed_h, now, "abc");
	assert_int_equal(sim_auth_check(a, &r, now, &who, &err), 0);
	assert_string_equal(who.akid, "k3");
	assert_int_equal(sim_auth_check(a, &r, now, &who, &err), -1);
	assert_string_equal(err.code, "SignatureNonceUsed");
	/* A changed body no longer matches x-acs-content-sha256. */
	params_set(&headers, "x-acs-signature-nonce", "other");
	set_headers(&r, &headers);
	r.body = "Items=%7B%22a%22%3A1%7D";
	r.body_len = strlen(r.body);
	assert_int_equal(sim_auth_check(a, &r, now, &who, &err), -1);
	assert_string_equal(err.code, "SignatureDoesNotMatch");
	/* Unknown key. */
	params_set(&headers, "Authorization",
	    "ACS3-HMAC-SHA256 Credential=nobody,SignedHeaders=content-type;host;x-acs-action;"
	    "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=00");
	set_headers(&r, &headers);
	assert_int_equal(sim_auth_check(a, &r, now, &who, &err), -1);
	assert_string_equal(err.code, "InvalidAccessKeyId.NotFound");
	assert_int_equal(err.http, 404);
	params_set(&headers, "Authorization", "ACS3-HMAC-SHA256 Credential=k3");
	set_headers(&r, &headers);
	assert_int_equal(sim_auth_check(a, &r, now, &who, &err), -1);
	assert_string_equal(err.code, "IncompleteSignature");
	params_free(&headers);
	params_free(&signed_h);
	sim_request_free(&r);
	sim_error_clear(&err);
	sim_auth_free(a);
}

/* The signature must cover host, every x-acs-* header sent and content-type: a request
 * whose SignedHeaders leave one out is refused even when its signature is right for what
 * it does sign (otherwise the date, the nonce and the action could be swapped under a
 * captured signature). */
static void
test_v3_signed_headers(void **state)
{
	static const char *const left_out[] = { "host", "x-acs-action", "x-acs-date",
	    "x-acs-signature-nonce", "x-acs-version", "x-acs-content-sha256", "content-type" };
	struct sim_auth *a = sim_auth_new();
	struct sim_error err = { 0, NULL, NULL, 0 };
	struct sim_request r;
	struct params sent = PARAMS_INIT, signed_h = PARAMS_INIT, less = PARAMS_INIT;
	char *cause = NULL, *auth, nonce[32];
	struct sim_caller who;
	time_t now = 1767225600;
	size_t i;

	(void)state;
	assert_int_equal(sim_auth_add_key(a, "k3", "s3", &cause), 0);
	for (i = 0; i < sizeof left_out / sizeof left_out[0]; i++) {
		snprintf(nonce, sizeof nonce, "n%zu", i);
		v3_request(&r, &sent, &signed_h, now, nonce);
		/* Sign everything but one header, correctly, and send them all. */
		params_copy(&less, &signed_h);
		params_del(&less, left_out[i]);
		auth = sign_v3_authorization("k3", "s3", "POST", "/", &r.query, &less,
		    params_get(&signed_h, "x-acs-content-sha256"));
		params_set(&sent, "Authorization", auth);
		set_headers(&r, &sent);
		assert_int_equal(sim_auth_check(a, &r, now, &who, &err), -1);
		assert_string_equal(err.code, "IncompleteSignature");
		assert_int_equal(err.http, 400);
		assert_non_null(strstr(err.message, left_out[i]));
		free(auth);
		params_free(&less);
		params_free(&sent);
		params_free(&signed_h);
		sim_request_free(&r);
	}
	/* The attack of the issue: SignedHeaders=host only, fresh unsigned date and nonce,
	 * another action. */
	v3_request(&r, &sent, &signed_h, now, "fresh");
	params_set(&less, "host", "127.0.0.1:1");
	auth = sign_v3_authorization("k3", "s3", "POST", "/", &r.query, &less,
	    params_get(&signed_h, "x-acs-content-sha256"));
	params_set(&sent, "Authorization", auth);
	params_set(&sent, "x-acs-action", "DeleteProduct");
	set_headers(&r, &sent);
	assert_int_equal(sim_auth_check(a, &r, now, &who, &err), -1);
	assert_string_equal(err.code, "IncompleteSignature");
	free(auth);
	params_free(&less);
	/* Extra signed headers are fine, and a header not sent at all need not be signed. */
	params_del(&sent, "content-type");
	params_del(&signed_h, "content-type");
	params_set(&signed_h, "user-agent", "test");
	params_set(&sent, "user-agent", "test");
	auth = sign_v3_authorization("k3", "s3", "POST", "/", &r.query, &signed_h,
	    params_get(&signed_h, "x-acs-content-sha256"));
	params_set(&sent, "Authorization", auth);
	params_set(&sent, "x-acs-action", "SetDeviceProperty");
	set_headers(&r, &sent);
	assert_int_equal(sim_auth_check(a, &r, now, &who, &err), 0);
	free(auth);
	params_free(&sent);
	params_free(&signed_h);
	sim_request_free(&r);
	sim_error_clear(&err);
	sim_auth_free(a);
}

/* Nonces: at most SIM_AUTH_MAX_NONCE bytes, and a full cache refuses rather than grows. */
static void
test_nonce_limits(void **state)
{
	struct sim_auth *a = sim_auth_new();
	struct sim_error err = { 0, NULL, NULL, 0 };
	char *cause = NULL, *big = xmalloc(4u << 20), nonce[32];
	time_t now = 1767225600;
	int i;

	(void)state;
	assert_int_equal(sim_auth_add_key_spec(a, "k1:s1", &cause), 0);
	memset(big, 'n', SIM_AUTH_MAX_NONCE);
	big[SIM_AUTH_MAX_NONCE] = '\0';
	assert_int_equal(check_v1(a, "s1", now, now, big, &err), 0);
	big[SIM_AUTH_MAX_NONCE] = 'n';
	big[SIM_AUTH_MAX_NONCE + 1] = '\0';
	assert_int_equal(check_v1(a, "s1", now, now, big, &err), -1);
	assert_string_equal(err.code, "InvalidParameter");
	assert_int_equal(err.http, 400);
	/* The 4 MB nonce of the issue. */
	memset(big, 'm', (4u << 20) - 1);
	big[(4u << 20) - 1] = '\0';
	assert_int_equal(check_v1(a, "s1", now, now, big, &err), -1);
	assert_string_equal(err.code, "InvalidParameter");
	/* A full cache answers ServiceUnavailable until entries expire. */
	sim_auth_set_max_nonces(a, 4);
	for (i = 0; i < 3; i++) {
		snprintf(nonce, sizeof nonce, "fill%d", i);
		assert_int_equal(check_v1(a, "s1", now, now, nonce, &err), 0);
	}
	assert_int_equal(check_v1(a, "s1", now, now, "one-too-many", &err), -1);
	assert_string_equal(err.code, "ServiceUnavailable");
	assert_int_equal(err.http, 503);
	assert_int_equal(check_v1(a, "s1", now + 1801, now + 1801, "one-too-many", &err), 0);
	free(big);
	sim_error_clear(&err);
	sim_auth_free(a);
}

static void
test_keys_file(void **state)
{
	struct sim_auth *a = sim_auth_new();
	char path[] = "/tmp/test_sim_keysXXXXXX", *cause = NULL;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# comment\n\nid1:secret1\nid2 secret2\n", f);
	fclose(f);
	assert_int_equal(sim_auth_load_keys(a, path, &cause), 0);
	assert_int_equal(sim_auth_key_count(a), 2);
	f = fopen(path, "w");
	fputs("id3:s3\nbroken\n", f);
	fclose(f);
	assert_int_equal(sim_auth_load_keys(a, path, &cause), -1);
	assert_non_null(strstr(cause, ":2: "));
	free(cause);
	unlink(path);
	sim_auth_free(a);
}

/* --keys-fd: the same format from a pipe; errors name the descriptor and the line. */
static void
test_keys_fd(void **state)
{
	struct sim_auth *a = sim_auth_new();
	static const char good[] = "# from a pipe\nid1:secret1\nid2 secret2\n";
	static const char bad[] = "id3:s3\nbroken\n";
	char *cause = NULL, want[32];
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], good, sizeof good - 1), (ssize_t)(sizeof good - 1));
	close(p[1]);
	assert_int_equal(sim_auth_load_keys_fd(a, p[0], &cause), 0);
	assert_int_equal(sim_auth_key_count(a), 2);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], bad, sizeof bad - 1), (ssize_t)(sizeof bad - 1));
	close(p[1]);
	snprintf(want, sizeof want, "fd %d:2: ", p[0]);
	assert_int_equal(sim_auth_load_keys_fd(a, p[0], &cause), -1);
	assert_non_null(strstr(cause, want));
	free(cause);
	cause = NULL;
	/* A closed descriptor. */
	assert_int_equal(sim_auth_load_keys_fd(a, p[0], &cause), -1);
	assert_non_null(cause);
	free(cause);
	sim_auth_free(a);
}

static void
test_parse_time(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(sim_auth_parse_time("2026-01-01T00:00:00Z", &t), 0);
	assert_int_equal((long long)t, 1767225600LL);
	assert_int_equal(sim_auth_parse_time("2026-01-01T00:00:00.123Z", &t), 0);
	assert_int_equal(sim_auth_parse_time("2026-01-01 00:00:00", &t), -1);
	assert_int_equal(sim_auth_parse_time("2026-13-01T00:00:00Z", &t), -1);
	assert_int_equal(sim_auth_parse_time("", &t), -1);
}

static void
test_throttle(void **state)
{
	struct sim_throttle *t = sim_throttle_new(1.0);
	const struct action_info *a = action_lookup("BatchQueryDeviceDetail");
	const struct action_info *q = action_lookup("QueryDevice");
	struct params p = PARAMS_INIT;
	int i, ok = 0;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < 10; i++)
		if (sim_throttle_take(t, "k", a, NULL, 100.0) == 0)
			ok++;
	assert_int_equal(ok, a->qps);
	/* Another account has its own bucket; time refills it. */
	assert_int_equal(sim_throttle_take(t, "other", a, NULL, 100.0), 0);
	assert_true(sim_throttle_take(t, "k", a, NULL, 100.0) > 0);
	assert_int_equal(sim_throttle_take(t, "k", a, NULL, 101.0), 0);
	/* Deep QueryDevice pages fall to 2 QPS. */
	params_set(&p, "CurrentPage", "2000");
	params_set(&p, "PageSize", "50");
	ok = 0;
	for (i = 0; i < 10; i++)
		if (sim_throttle_take(t, "k", q, &p, 200.0) == 0)
			ok++;
	assert_int_equal(ok, 2);
	params_free(&p);
	sim_throttle_free(t);
	/* --qps-scale */
	t = sim_throttle_new(0.2);
	ok = 0;
	for (i = 0; i < 10; i++)
		if (sim_throttle_take(t, "k", a, NULL, 100.0) == 0)
			ok++;
	assert_int_equal(ok, 1);
	sim_throttle_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3_vectors),
		cmocka_unit_test(test_v1_checks),
		cmocka_unit_test(test_v3_check),
		cmocka_unit_test(test_v3_signed_headers),
		cmocka_unit_test(test_nonce_limits),
		cmocka_unit_test(test_keys_file),
		cmocka_unit_test(test_keys_fd),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_throttle),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
