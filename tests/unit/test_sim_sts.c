/* test_sim_sts.c — the simulator's STS (sts.h): AssumeRole's answer and its errors, v1
 * and v3; an STS credential on IoT calls (token missing, malformed, mismatched, expired:
 * the gateway's clock is injected, so expiry needs no sleep); the table's bound; the
 * option formats; and that neither the write log nor the verbose log shows a token or a
 * secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/log.h"
#include "sim/sts.h"
#include "sim/writelog.h"
#include "simtest.h"

#define ROLE "acs:ram::1234567890123456:role/iotdeck-test"

/* A credential handed out by AssumeRole. */
struct cred {
	char *id, *secret, *token, *expiration;
};

static void
cred_free(struct cred *c)
{
	free(c->id);
	free(c->secret);
	free(c->token);
	free(c->expiration);
	memset(c, 0, sizeof *c);
}

/* Sends AssumeRole (v1, or v3 when v3) with the parameters of the NULL-ended list, signed
 * with key_id/secret/token, at now; returns the answer and stores the HTTP status. */
static cJSON *
assume(struct simtest *t, int v3, const char *key_id, const char *secret, const char *token,
    time_t now, int *status, ...)
{
	struct params p = PARAMS_INIT;
	struct sim_request r;
	va_list ap;
	cJSON *out;

	va_start(ap, status);
	simtest_params_va(&p, ap);
	va_end(ap);
	if (v3)
		simtest_sign_v3(&r, SIM_STS_VERSION, STS_ACTION_ASSUME_ROLE, &p, key_id, secret, token);
	else
		simtest_sign_as(&r, SIM_STS_VERSION, STS_ACTION_ASSUME_ROLE, &p, key_id, secret, token);
	out = simtest_send(t, &r, now, status);
	sim_request_free(&r);
	params_free(&p);
	return out;
}

/* Assumes ROLE with the test key (v1 or v3) and checks the documented shape. */
static void
get_cred(struct simtest *t, int v3, time_t now, struct cred *c)
{
	const cJSON *user, *creds;
	int status = 0;
	cJSON *a = assume(t, v3, SIMTEST_KEY_ID, SIMTEST_SECRET, NULL, now, &status,
	    "RoleArn=" ROLE, "RoleSessionName=alice", NULL);

	assert_int_equal(status, 200);
	assert_non_null(simtest_str(a, "RequestId"));
	assert_null(cJSON_GetObjectItem(a, "Success"));
	user = cJSON_GetObjectItem(a, "AssumedRoleUser");
	creds = cJSON_GetObjectItem(a, "Credentials");
	assert_non_null(user);
	assert_non_null(creds);
	assert_string_equal(simtest_str(user, "Arn"), ROLE "/alice");
	assert_int_equal(strlen(simtest_str(user, "AssumedRoleId")), 19 + strlen(":alice"));
	assert_string_equal(simtest_str(user, "AssumedRoleId") + 19, ":alice");
	assert_int_equal(simtest_str(user, "AssumedRoleId")[0], '3');
	c->id = xstrdup(simtest_str(creds, "AccessKeyId"));
	c->secret = xstrdup(simtest_str(creds, "AccessKeySecret"));
	c->token = xstrdup(simtest_str(creds, "SecurityToken"));
	c->expiration = xstrdup(simtest_str(creds, "Expiration"));
	assert_true(strncmp(c->id, "STS.", 4) == 0);
	assert_true(strlen(c->secret) >= 30);
	assert_true(strncmp(c->token, "CAIS", 4) == 0);
	cJSON_Delete(a);
}

/* QueryProductList (v1 or v3) with the credential's id and secret and token (NULL: none)
 * at now; returns the Code ("" on success). */
static char *
iot_call(struct simtest *t, int v3, const struct cred *c, const char *token, time_t now)
{
	struct params p = PARAMS_INIT;
	struct sim_request r;
	cJSON *out;
	char *code;

	params_add(&p, "CurrentPage", "1");
	params_add(&p, "PageSize", "1");
	if (v3)
		simtest_sign_v3(&r, "2018-01-20", ACT_QueryProductList, &p, c->id, c->secret, token);
	else
		simtest_sign_as(&r, "2018-01-20", ACT_QueryProductList, &p, c->id, c->secret, token);
	out = simtest_send(t, &r, now, NULL);
	code = xstrdup(simtest_ok(out) ? "" : simtest_code(out));
	cJSON_Delete(out);
	sim_request_free(&r);
	params_free(&p);
	return code;
}

static void
expect_code(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static time_t
parse_iso(const char *s)
{
	time_t t = 0;

	assert_int_equal(sim_auth_parse_time(s, &t), 0);
	return t;
}

static void
test_assume_role_shape(void **state)
{
	struct simtest t;
	struct cred c = { 0 }, d = { 0 };
	time_t now = time(NULL);
	int v3;

	(void)state;
	assert_int_equal(simtest_open(&t, 1, 1, 3, 1.0), 0);
	for (v3 = 0; v3 <= 1; v3++) {
		get_cred(&t, v3, now, &c);
		/* Default 3600 s, no cap; ISO 8601 UTC to the second. */
		assert_int_equal(strlen(c.expiration), 20);
		assert_int_equal(c.expiration[19], 'Z');
		assert_true(parse_iso(c.expiration) == now + 3600);
		expect_code(iot_call(&t, v3, &c, c.token, now), "");
		/* Each call a new credential. */
		get_cred(&t, v3, now, &d);
		assert_string_not_equal(c.id, d.id);
		assert_string_not_equal(c.token, d.token);
		cred_free(&c);
		cred_free(&d);
	}
	/* DurationSeconds is honoured, and capped by --sts-max-duration. */
	{
		int status;
		cJSON *a = assume(&t, 0, SIMTEST_KEY_ID, SIMTEST_SECRET, NULL, now, &status,
		    "RoleArn=" ROLE, "RoleSessionName=a.b@c_d-e", "DurationSeconds=900", NULL);
		const cJSON *cr = cJSON_GetObjectItem(a, "Credentials");
		assert_int_equal(status, 200);
		assert_true(parse_iso(simtest_str(cr, "Expiration")) == now + 900);
		cJSON_Delete(a);
		sim_sts_set_max_duration(sim_auth_sts(t.auth), 3);
		a = assume(&t, 0, SIMTEST_KEY_ID, SIMTEST_SECRET, NULL, now, &status,
		    "RoleArn=" ROLE, "RoleSessionName=ab", "DurationSeconds=43200",
		    "Policy={\"Version\":\"1\",\"Statement\":[]}", NULL);
		cr = cJSON_GetObjectItem(a, "Credentials");
		assert_int_equal(status, 200);
		assert_true(parse_iso(simtest_str(cr, "Expiration")) == now + 3);
		cJSON_Delete(a);
	}
	simtest_close(&t);
}

/* Format=XML gets <AssumeRoleResponse>. */
static void
test_assume_role_xml(void **state)
{
	struct simtest t;
	struct params p = PARAMS_INIT;
	struct sim_request r;
	struct sim_response resp;

	(void)state;
	assert_int_equal(simtest_open(&t, 1, 1, 3, 1.0), 0);
	params_add(&p, "RoleArn", ROLE);
	params_add(&p, "RoleSessionName", "xml");
	params_add(&p, "Format", "XML");
	simtest_sign_as(&r, SIM_STS_VERSION, STS_ACTION_ASSUME_ROLE, &p, SIMTEST_KEY_ID,
	    SIMTEST_SECRET, NULL);
	sim_gateway_handle(t.gw, &r, time(NULL), 1.0, &resp);
	assert_int_equal(resp.status, 200);
	assert_non_null(strstr(resp.body, "<AssumeRoleResponse><RequestId>"));
	assert_non_null(strstr(resp.body, "<Credentials><AccessKeyId>STS."));
	assert_non_null(strstr(resp.body, "<Expiration>"));
	sim_response_free(&resp);
	sim_request_free(&r);
	params_free(&p);
	simtest_close(&t);
}

/* Sends AssumeRole with the test key and the NULL-ended parameters; checks the status
 * and the Code. */
static void
expect_error(struct simtest *t, int v3, int http, const char *code, ...)
{
	struct params p = PARAMS_INIT;
	struct sim_request r;
	va_list ap;
	int status = 0;
	cJSON *out;

	va_start(ap, code);
	simtest_params_va(&p, ap);
	va_end(ap);
	if (v3)
		simtest_sign_v3(&r, SIM_STS_VERSION, STS_ACTION_ASSUME_ROLE, &p, SIMTEST_KEY_ID,
		    SIMTEST_SECRET, NULL);
	else
		simtest_sign_as(&r, SIM_STS_VERSION, STS_ACTION_ASSUME_ROLE, &p, SIMTEST_KEY_ID,
		    SIMTEST_SECRET, NULL);
	out = simtest_send(t, &r, time(NULL), &status);
	assert_string_equal(simtest_code(out), code);
	assert_int_equal(status, http);
	assert_string_equal(simtest_str(out, "HostId"), "sts.aliyuncs.com");
	assert_non_null(simtest_str(out, "Message"));
	assert_non_null(simtest_str(out, "Recommend"));
	cJSON_Delete(out);
	sim_request_free(&r);
	params_free(&p);
}

static void
test_assume_role_errors(void **state)
{
	struct simtest t;
	char *cause = NULL;
	int v3;

	(void)state;
	assert_int_equal(simtest_open(&t, 1, 1, 3, 1.0), 0);
	for (v3 = 0; v3 <= 1; v3++) {
		expect_error(&t, v3, 400, "MissingRoleArn", "RoleSessionName=ab", NULL);
		expect_error(&t, v3, 400, "MissingRoleArn", "RoleArn=", "RoleSessionName=ab", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.RoleArn", "RoleArn=acs:ram::12:user/x",
		    "RoleSessionName=ab", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.RoleArn", "RoleArn=acs:ram::x:role/a",
		    "RoleSessionName=ab", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.RoleArn", "RoleArn=acs:ram::1:role/",
		    "RoleSessionName=ab", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.RoleArn", "RoleArn=acs:ram::1:role/a b",
		    "RoleSessionName=ab", NULL);
		expect_error(&t, v3, 400, "MissingRoleSessionName", "RoleArn=" ROLE, NULL);
		expect_error(&t, v3, 400, "InvalidParameter.RoleSessionName", "RoleArn=" ROLE,
		    "RoleSessionName=a", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.RoleSessionName", "RoleArn=" ROLE,
		    "RoleSessionName=a b", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.RoleSessionName", "RoleArn=" ROLE,
		    "RoleSessionName=12345678901234567890123456789012345678901234567890123456789012345",
		    NULL);
		expect_error(&t, v3, 400, "InvalidParameter.DurationSeconds", "RoleArn=" ROLE,
		    "RoleSessionName=ab", "DurationSeconds=899", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.DurationSeconds", "RoleArn=" ROLE,
		    "RoleSessionName=ab", "DurationSeconds=43201", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.DurationSeconds", "RoleArn=" ROLE,
		    "RoleSessionName=ab", "DurationSeconds=1h", NULL);
		expect_error(&t, v3, 400, "InvalidParameter.PolicyGrammar", "RoleArn=" ROLE,
		    "RoleSessionName=ab", "Policy={nope", NULL);
	}
	/* With roles given, others do not exist; a role given with ids only those may
	 * assume. */
	assert_int_equal(sim_sts_add_role(sim_auth_sts(t.auth), ROLE, &cause), 0);
	assert_int_equal(sim_sts_add_role(sim_auth_sts(t.auth),
	    "acs:ram::1234567890123456:role/locked=someone,else", &cause), 0);
	for (v3 = 0; v3 <= 1; v3++) {
		expect_error(&t, v3, 404, "EntityNotExist.Role",
		    "RoleArn=acs:ram::1234567890123456:role/other", "RoleSessionName=ab", NULL);
		expect_error(&t, v3, 403, "NoPermission",
		    "RoleArn=acs:ram::1234567890123456:role/locked", "RoleSessionName=ab", NULL);
	}
	{
		int status;
		cJSON *a = assume(&t, 0, SIMTEST_KEY_ID, SIMTEST_SECRET, NULL, time(NULL), &status,
		    "RoleArn=acs:ram::1234567890123456:role/other", "RoleSessionName=ab", NULL);
		assert_string_equal(simtest_str(a, "Message"),
		    "The role not exists: acs:ram::1234567890123456:role/other");
		cJSON_Delete(a);
	}
	/* Another STS action is not served; a wrong key is refused as for IoT calls. */
	{
		struct sim_request r;
		int status;
		cJSON *out;

		simtest_sign_as(&r, SIM_STS_VERSION, "GetFederationToken", NULL, SIMTEST_KEY_ID,
		    SIMTEST_SECRET, NULL);
		out = simtest_send(&t, &r, time(NULL), &status);
		assert_string_equal(simtest_code(out), "InvalidApi.NotFound");
		assert_int_equal(status, 404);
		cJSON_Delete(out);
		sim_request_free(&r);
		out = assume(&t, 0, SIMTEST_KEY_ID, "wrong", NULL, time(NULL), &status,
		    "RoleArn=" ROLE, "RoleSessionName=ab", NULL);
		assert_string_equal(simtest_code(out), "SignatureDoesNotMatch");
		cJSON_Delete(out);
	}
	simtest_close(&t);
}

/* The credential on IoT calls, v1 and v3: token missing, garbled, another's; the
 * signature checked with its secret; expired on the injected clock. */
static void
test_token_checks(void **state)
{
	struct simtest t;
	struct cred c = { 0 }, d = { 0 }, wrong;
	char badsecret[] = "not-the-secret", unknown[] = "STS.unknown";
	time_t now = time(NULL);
	int v3;

	(void)state;
	assert_int_equal(simtest_open(&t, 1, 1, 3, 1.0), 0);
	sim_sts_set_max_duration(sim_auth_sts(t.auth), 3);
	for (v3 = 0; v3 <= 1; v3++) {
		get_cred(&t, v3, now, &c);
		get_cred(&t, !v3, now, &d);
		assert_true(parse_iso(c.expiration) == now + 3);
		expect_code(iot_call(&t, v3, &c, c.token, now), "");
		expect_code(iot_call(&t, v3, &c, c.token, now + 2), "");
		expect_code(iot_call(&t, v3, &c, NULL, now), "MissingSecurityToken");
		expect_code(iot_call(&t, v3, &c, "", now), "MissingSecurityToken");
		expect_code(iot_call(&t, v3, &c, "CAISgarbled", now), "InvalidSecurityToken.Malformed");
		expect_code(iot_call(&t, v3, &c, d.token, now),
		    "InvalidSecurityToken.MismatchWithAccessKey");
		wrong = c;
		wrong.secret = badsecret;
		expect_code(iot_call(&t, v3, &wrong, c.token, now), "SignatureDoesNotMatch");
		expect_code(iot_call(&t, v3, &c, c.token, now + 3), "InvalidSecurityToken.Expired");
		expect_code(iot_call(&t, v3, &c, c.token, now + 100000), "InvalidSecurityToken.Expired");
		/* An unknown STS id with a known token: mismatch. */
		wrong = c;
		wrong.id = unknown;
		expect_code(iot_call(&t, v3, &wrong, c.token, now), "InvalidSecurityToken.MismatchWithAccessKey");
		cred_free(&c);
		cred_free(&d);
	}
	{
		/* The expired message is the documented one. */
		struct params p = PARAMS_INIT;
		struct sim_request r;
		int status;
		cJSON *out;

		get_cred(&t, 0, now, &c);
		simtest_sign_as(&r, "2018-01-20", ACT_QueryProductList, &p, c.id, c.secret, c.token);
		out = simtest_send(&t, &r, now + 4, &status);
		assert_int_equal(status, 400);
		assert_string_equal(simtest_str(out, "Message"), "Specified SecurityToken is expired.");
		cJSON_Delete(out);
		sim_request_free(&r);
		cred_free(&c);
	}
	simtest_close(&t);
}

/* An STS credential may assume a role too (role chaining), as the key that assumed the
 * first one: a role restricted to that key lets it. */
static void
test_chaining(void **state)
{
	struct simtest t;
	struct cred c = { 0 };
	char *cause = NULL;
	int status;
	cJSON *a;

	(void)state;
	assert_int_equal(simtest_open(&t, 1, 1, 3, 1.0), 0);
	assert_int_equal(sim_sts_add_role(sim_auth_sts(t.auth), ROLE "=" SIMTEST_KEY_ID, &cause), 0);
	get_cred(&t, 0, time(NULL), &c);
	a = assume(&t, 1, c.id, c.secret, c.token, time(NULL), &status, "RoleArn=" ROLE,
	    "RoleSessionName=chained", NULL);
	assert_int_equal(status, 200);
	assert_string_equal(simtest_str(cJSON_GetObjectItem(a, "AssumedRoleUser"), "Arn"),
	    ROLE "/chained");
	cJSON_Delete(a);
	a = assume(&t, 0, c.id, c.secret, NULL, time(NULL), &status, "RoleArn=" ROLE,
	    "RoleSessionName=chained", NULL);
	assert_string_equal(simtest_code(a), "MissingSecurityToken");
	cJSON_Delete(a);
	cred_free(&c);
	simtest_close(&t);
}

/* AssumeRole has its own bucket of SIM_STS_QPS per account, apart from the IoT actions';
 * an STS credential's IoT calls count against the key that assumed the role. */
static void
test_throttle(void **state)
{
	struct simtest t;
	struct params p = PARAMS_INIT;
	struct sim_request r;
	struct sim_response resp;
	int i, ok = 0, throttled = 0;

	(void)state;
	assert_int_equal(simtest_open(&t, 1, 1, 3, 1.0), 0);
	assert_non_null(sim_sts_action(STS_ACTION_ASSUME_ROLE));
	assert_int_equal(sim_sts_action(STS_ACTION_ASSUME_ROLE)->qps, SIM_STS_QPS);
	assert_null(sim_sts_action(ACT_QueryProductList));
	params_add(&p, "RoleArn", ROLE);
	params_add(&p, "RoleSessionName", "burst");
	for (i = 0; i < SIM_STS_QPS + 5; i++) {
		simtest_sign_as(&r, SIM_STS_VERSION, STS_ACTION_ASSUME_ROLE, &p, SIMTEST_KEY_ID,
		    SIMTEST_SECRET, NULL);
		sim_gateway_handle(t.gw, &r, time(NULL), 100.0, &resp);
		if (resp.status == 200)
			ok++;
		else if (strcmp(resp.code, "Throttling") == 0) {
			throttled++;
			assert_true(resp.retry_after_ms > 0);
		}
		sim_response_free(&resp);
		sim_request_free(&r);
	}
	assert_int_equal(ok, SIM_STS_QPS);
	assert_int_equal(throttled, 5);
	/* The IoT actions' buckets are untouched. */
	simtest_sign(&r, ACT_QueryProductList, NULL, SIMTEST_KEY_ID, SIMTEST_SECRET);
	params_free(&p);
	sim_request_free(&r);
	{
		cJSON *out = simtest_api(&t, ACT_QueryProductList, "CurrentPage=1", "PageSize=1", NULL);
		assert_true(simtest_ok(out));
		cJSON_Delete(out);
	}
	simtest_close(&t);
}

/* At most max_creds issued credentials: expired ones go first, then those nearest their
 * expiry; preloaded ones never. */
static void
test_bound(void **state)
{
	struct sim_sts *s = sim_sts_new();
	struct sim_error err = { 0, NULL, NULL, 0 };
	struct params p = PARAMS_INIT;
	char *cause = NULL, *secret = NULL, account[SIM_STS_ID_MAX];
	char first_id[64], first_token[256];
	time_t now = 1767225600;
	cJSON *out;
	int i;

	(void)state;
	sim_sts_set_max_creds(s, 3);
	assert_int_equal(sim_sts_add_token_spec(s, "STS.pinned:sec:tok:10", now, &cause), 0);
	params_add(&p, "RoleArn", ROLE);
	params_add(&p, "RoleSessionName", "bound");
	for (i = 0; i < 3; i++) {
		char dur[16];
		snprintf(dur, sizeof dur, "%d", 900 + i);
		params_set(&p, "DurationSeconds", dur);
		out = cJSON_CreateObject();
		assert_int_equal(sim_sts_assume_role(s, &p, "k", "k", now, out, &err), 0);
		if (i == 0) {
			const cJSON *c = cJSON_GetObjectItem(out, "Credentials");
			snprintf(first_id, sizeof first_id, "%s", simtest_str(c, "AccessKeyId"));
			snprintf(first_token, sizeof first_token, "%s", simtest_str(c, "SecurityToken"));
		}
		cJSON_Delete(out);
	}
	assert_int_equal(sim_sts_count(s), 4);
	/* Full, none expired: the one nearest its expiry (the first) goes. */
	out = cJSON_CreateObject();
	assert_int_equal(sim_sts_assume_role(s, &p, "k", "k", now, out, &err), 0);
	cJSON_Delete(out);
	assert_int_equal(sim_sts_count(s), 4);
	assert_int_equal(sim_sts_check(s, first_id, first_token, now, &secret, account, &err), -1);
	assert_string_equal(err.code, "InvalidSecurityToken.Malformed");
	/* All expired: they all go, the pinned one stays (expired too, and says so). */
	out = cJSON_CreateObject();
	assert_int_equal(sim_sts_assume_role(s, &p, "k", "k", now + 5000, out, &err), 0);
	cJSON_Delete(out);
	assert_int_equal(sim_sts_count(s), 2);
	assert_int_equal(sim_sts_check(s, "STS.pinned", "tok", now + 5000, &secret, account, &err), -1);
	assert_string_equal(err.code, "InvalidSecurityToken.Expired");
	assert_int_equal(sim_sts_check(s, "STS.pinned", "tok", now + 9, &secret, account, &err), 0);
	assert_string_equal(secret, "sec");
	assert_string_equal(account, "STS.pinned");
	free(secret);
	params_free(&p);
	sim_error_clear(&err);
	sim_sts_free(s);
}

/* --sts-token / --sts-token-file formats, --role formats; no message quotes a secret. */
static void
test_options(void **state)
{
	struct sim_sts *s = sim_sts_new();
	struct sim_auth *a = sim_auth_new();
	struct sim_error err = { 0, NULL, NULL, 0 };
	char *cause = NULL, *secret = NULL, account[SIM_STS_ID_MAX];
	char path[] = "/tmp/iotdeck-sts-XXXXXX";
	time_t now = 1767225600;
	FILE *f;
	int fd;

	(void)state;
	/* The token may hold ':'; SECONDS may be negative. */
	assert_int_equal(sim_sts_add_token_spec(s, "STS.a:sec-a:tok:with:colons:60", now, &cause), 0);
	assert_int_equal(sim_sts_check(s, "STS.a", "tok:with:colons", now + 59, &secret, account,
	    &err), 0);
	free(secret);
	secret = NULL;
	assert_int_equal(sim_sts_add_token_spec(s, "STS.b:sec-b:tok-b:-5", now, &cause), 0);
	assert_int_equal(sim_sts_check(s, "STS.b", "tok-b", now, &secret, account, &err), -1);
	assert_string_equal(err.code, "InvalidSecurityToken.Expired");
	assert_int_equal(sim_sts_add_token_spec(s, "STS.c:sec-c:tok-c:0", now, &cause), 0);
	assert_int_equal(sim_sts_check(s, "STS.c", "tok-c", now, &secret, account, &err), -1);
	assert_string_equal(err.code, "InvalidSecurityToken.Expired");
	{
		static const char *const bad[] = { "STS.a:hush:60", "key:hush:tok:60",
		    "STS.:hush:tok:60", "STS.a::tok:60", "STS.a:hush::60", "STS.a:hush:tok:",
		    "STS.a:hush:tok:1h", "nothing", "STS.d:hush:tok-b:60" };
		size_t i;
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			assert_int_equal(sim_sts_add_token_spec(s, bad[i], now, &cause), -1);
			assert_null(strstr(cause, "hush"));
			free(cause);
			cause = NULL;
		}
	}
	/* The file: comments, blank lines; errors name FILE:LINE. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# tokens\n\nSTS.f1:sf1:tf1:100\r\n  \nSTS.f2:sf2:tf2:100\n", f);
	fclose(f);
	assert_int_equal(sim_sts_load_tokens(s, path, now, &cause), 0);
	assert_int_equal(sim_sts_check(s, "STS.f2", "tf2", now, &secret, account, &err), 0);
	free(secret);
	f = fopen(path, "w");
	fputs("STS.g1:sg1:tg1:100\nSTS.g2:hush\n", f);
	fclose(f);
	assert_int_equal(sim_sts_load_tokens(s, path, now, &cause), -1);
	assert_non_null(strstr(cause, ":2: expected ID:SECRET:TOKEN:SECONDS"));
	assert_null(strstr(cause, "hush"));
	free(cause);
	cause = NULL;
	unlink(path);
	assert_int_equal(sim_sts_load_tokens(s, path, now, &cause), -1);
	free(cause);
	cause = NULL;
	/* Roles. */
	assert_int_equal(sim_sts_add_role(s, "acs:ram::1:role/r", &cause), 0);
	assert_int_equal(sim_sts_add_role(s, "acs:ram::1:role/r=a,b", &cause), 0);
	assert_int_equal(sim_sts_add_role(s, "acs:ram::1:role/r=", &cause), -1);
	free(cause);
	assert_int_equal(sim_sts_add_role(s, "acs:ram::1:role/r=a,,b", &cause), -1);
	free(cause);
	assert_int_equal(sim_sts_add_role(s, "arn:aws:iam::1:role/r", &cause), -1);
	free(cause);
	/* A plain key cannot be an "STS." id. */
	assert_int_equal(sim_auth_add_key(a, "STS.x", "s", &cause), -1);
	assert_non_null(strstr(cause, "--sts-token"));
	free(cause);
	sim_error_clear(&err);
	sim_auth_free(a);
	sim_sts_free(s);
}

/* Neither the write log nor the verbose log shows a token or a secret. */
static void
test_logs(void **state)
{
	struct simtest t;
	struct sim_gateway_config gcfg = { NULL, 1, NULL };
	struct sim_gateway *verbose;
	struct sim_writelog *w;
	struct cred c = { 0 };
	struct params p = PARAMS_INIT;
	struct sim_request r;
	struct sim_response resp;
	char dir[] = "/tmp/iotdeck-sts-log-XXXXXX", logpath[96], errpath[96], *cause = NULL;
	char text[65536];
	FILE *errf;
	size_t n;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(logpath, sizeof logpath, "%s/writes.jsonl", dir);
	snprintf(errpath, sizeof errpath, "%s/stderr", dir);
	assert_int_equal(simtest_open(&t, 1, 1, 3, 1.0), 0);
	w = sim_writelog_open(logpath, &cause);
	assert_non_null(w);
	verbose = sim_gateway_new(t.sim, t.auth, t.throttle, &gcfg);
	sim_gateway_set_writelog(verbose, w);
	errf = fopen(errpath, "w");
	assert_non_null(errf);
	sim_log_set_stream(errf);

	/* AssumeRole through the verbose gateway, then a write with the credential. */
	params_add(&p, "RoleArn", ROLE);
	params_add(&p, "RoleSessionName", "logs");
	simtest_sign_as(&r, SIM_STS_VERSION, STS_ACTION_ASSUME_ROLE, &p, SIMTEST_KEY_ID,
	    SIMTEST_SECRET, NULL);
	sim_gateway_handle(verbose, &r, time(NULL), 1.0, &resp);
	assert_int_equal(resp.status, 200);
	{
		cJSON *a = cJSON_Parse(resp.body);
		const cJSON *cr = cJSON_GetObjectItem(a, "Credentials");
		c.id = xstrdup(simtest_str(cr, "AccessKeyId"));
		c.secret = xstrdup(simtest_str(cr, "AccessKeySecret"));
		c.token = xstrdup(simtest_str(cr, "SecurityToken"));
		cJSON_Delete(a);
	}
	sim_response_free(&resp);
	sim_request_free(&r);
	params_free(&p);
	params_add(&p, "ProductKey", t.store->products[0].key);
	params_add(&p, "DeviceName", t.store->devs[0].name);
	simtest_sign_as(&r, "2018-01-20", ACT_DisableThing, &p, c.id, c.secret, c.token);
	sim_gateway_handle(verbose, &r, time(NULL), 2.0, &resp);
	assert_int_equal(resp.status, 200);
	sim_response_free(&resp);
	sim_request_free(&r);
	/* And refused ones: expired, mismatched. */
	simtest_sign_as(&r, "2018-01-20", ACT_DisableThing, &p, c.id, c.secret, c.token);
	sim_gateway_handle(verbose, &r, time(NULL) + 100000, 3.0, &resp);
	assert_string_equal(resp.code, "InvalidSecurityToken.Expired");
	sim_response_free(&resp);
	sim_request_free(&r);
	params_free(&p);

	sim_log_set_stream(NULL);
	fclose(errf);
	sim_gateway_free(verbose);
	sim_writelog_close(w);
	fd = open(logpath, O_RDONLY);
	assert_true(fd >= 0);
	n = (size_t)read(fd, text, sizeof text - 1);
	close(fd);
	text[n] = '\0';
	assert_non_null(strstr(text, ACT_DisableThing));
	assert_null(strstr(text, c.token));
	assert_null(strstr(text, c.secret));
	fd = open(errpath, O_RDONLY);
	assert_true(fd >= 0);
	n = (size_t)read(fd, text, sizeof text - 1);
	close(fd);
	text[n] = '\0';
	assert_non_null(strstr(text, STS_ACTION_ASSUME_ROLE));
	assert_non_null(strstr(text, c.id));
	assert_null(strstr(text, c.token));
	assert_null(strstr(text, c.secret));
	unlink(logpath);
	unlink(errpath);
	rmdir(dir);
	cred_free(&c);
	simtest_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assume_role_shape),
		cmocka_unit_test(test_assume_role_xml),
		cmocka_unit_test(test_assume_role_errors),
		cmocka_unit_test(test_token_checks),
		cmocka_unit_test(test_chaining),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_logs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
