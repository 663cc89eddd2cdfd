/* test_credentials.c — the credential kinds of issue 14 as a run gets them: an sts
 * profile (token and expiry into the configuration; an expired one refused with its
 * message), a ram_role profile (the AccessKey of its source_profile, or its own, read in
 * the same unlock; credential_apply assumes the role at a loopback stub STS and the
 * configuration then signs with the issued credential), the environment's token. The
 * vault is the test-KDF build's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/client.h"
#include "api/sts.h"
#include "cli/credentials.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "stubserver.h"
#include "vault/vault.h"

#define PASS "credentials test passphrase"
#define ROLE "acs:ram::1234567890123456:role/iot-ops"

static int
ask(void *arg, const char *prompt, int attempt, struct secret **out, char **cause)
{
	int *calls = arg;

	(void)prompt;
	(void)cause;
	(*calls)++;
	if (attempt > 1)
		return VAULT_CANCEL;
	*out = secret_from(PASS, strlen(PASS));
	return VAULT_OK;
}

/* ---- a stub STS + IoT endpoint ------------------------------------------------------ */

static struct {
	int	 assume;		/* AssumeRole requests */
	char	 assumer[40];		/* AccessKeyId of the last one */
	char	 iot_key[40];		/* AccessKeyId of the last IoT request */
	char	 iot_token[40];		/* its SecurityToken */
} seen;

static void
handler(void *arg, const struct stub_request *rq, struct stub_reply *out)
{
	const char *k = params_get(rq->params, "AccessKeyId");
	const char *t = params_get(rq->params, "SecurityToken");
	char when[32];
	time_t exp = time(NULL) + 3600;
	struct tm tm;

	(void)arg;
	if (strcmp(rq->action, STS_ACTION_ASSUME_ROLE) == 0) {
		seen.assume++;
		snprintf(seen.assumer, sizeof seen.assumer, "%s", k ? k : "");
		if (strcmp(params_get(rq->params, "RoleArn"), ROLE) != 0) {
			out->http = 404;
			out->body = xasprintf("{\"RequestId\":\"S\",\"Code\":\"EntityNotExist.Role\","
			    "\"Message\":\"The role not exists: %s\"}",
			    params_get(rq->params, "RoleArn"));
			return;
		}
		gmtime_r(&exp, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		out->body = xasprintf("{\"RequestId\":\"S\",\"Credentials\":{\"AccessKeyId\":"
		    "\"STS.issued%d\",\"AccessKeySecret\":\"issued\",\"SecurityToken\":"
		    "\"CAIS%d\",\"Expiration\":\"%s\"}}", seen.assume, seen.assume, when);
		return;
	}
	snprintf(seen.iot_key, sizeof seen.iot_key, "%s", k ? k : "");
	snprintf(seen.iot_token, sizeof seen.iot_token, "%s", t ? t : "");
	out->body = xstrdup("{\"RequestId\":\"R\",\"Success\":true}");
}

/* ---- the vault ------------------------------------------------------------------------ */

static char dir[64], path[96];
static struct stub_server *srv;

static struct vault_profile *
profile(const char *name, enum vault_kind kind, const char *id, const char *secret)
{
	struct vault_profile *p = xcalloc(1, sizeof *p);

	p->name = xstrdup(name);
	p->kind = kind;
	if (id != NULL) {
		p->access_key_id = xstrdup(id);
		p->access_key_secret = secret_from(secret, strlen(secret));
	}
	return p;
}

static void
put(struct vault *v, struct vault_profile *p)
{
	char *cause = NULL;

	if (vault_profile_put(v, p, 0, &cause) != VAULT_OK)
		fail_msg("put %s: %s", p->name, cause);
	vault_profile_free(p);
}

static int
setup(void **state)
{
	struct vault *v = NULL;
	struct vault_profile *p;
	char *cause = NULL;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/iotdeck-cred-test.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/vault", dir);
	srv = stub_start(handler, NULL);
	assert_int_equal(vault_create(&v, path, secret_from(PASS, strlen(PASS)), &cause),
	    VAULT_OK);
	put(v, profile("base", VAULT_KIND_ACCESS_KEY, "LTAIbase", "basesecretbasesecret"));
	p = profile("st", VAULT_KIND_STS, "STS.static", "stsecret");
	p->security_token = secret_from("CAISstatic", 10);
	p->expires = time(NULL) + 3600;
	p->region = xstrdup("cn-hangzhou");
	put(v, p);
	p = profile("old", VAULT_KIND_STS, "STS.old", "oldsecret");
	p->security_token = secret_from("CAISold", 7);
	p->expires = 1796119200;	/* 2026-12-01 10:00:00 UTC: checked against a fake now */
	put(v, p);
	p = profile("role", VAULT_KIND_RAM_ROLE, NULL, NULL);
	p->role_arn = xstrdup(ROLE);
	p->source_profile = xstrdup("base");
	p->role_session_name = xstrdup("deck");
	p->duration_s = 1800;
	p->sts_endpoint = xstrdup(stub_url(srv));
	p->readonly = 1;
	put(v, p);
	p = profile("own", VAULT_KIND_RAM_ROLE, "LTAIown", "ownsecretownsecret");
	p->role_arn = xstrdup("acs:ram::1234567890123456:role/missing");
	p->sts_endpoint = xstrdup(stub_url(srv));
	put(v, p);
	assert_int_equal(vault_save(v, 0, &cause), VAULT_OK);
	vault_close(v);
	return 0;
}

static int
teardown(void **state)
{
	char *q;

	(void)state;
	stub_stop(srv);
	q = xasprintf("%s/vault.lock", dir);
	unlink(q);
	free(q);
	q = xasprintf("%s/vault.bak", dir);
	unlink(q);
	free(q);
	unlink(path);
	rmdir(dir);
	return 0;
}

static void
cfg_init(struct api_config *cfg)
{
	api_config_init(cfg);
	cfg->endpoint = xstrdup(stub_url(srv));
	cfg->endpoint_loopback = 1;
	cfg->region = xstrdup("cn-shanghai");
}

static void
test_sts_profile(void **state)
{
	int calls = 0;
	struct credential_request req = { .vault_opt = path, .ask = ask, .ask_arg = &calls };
	struct credential *c = NULL;
	struct api_config cfg;
	char *cause = NULL, *want;

	(void)state;
	assert_int_equal(credential_from_vault(&req, "st", CREDENTIAL_FROM_PROFILE, &c, &cause),
	    VAULT_OK);
	assert_int_equal(c->kind, CREDENTIAL_STS);
	assert_string_equal(c->id, "STS.static");
	assert_string_equal(c->token, "CAISstatic");
	assert_true(c->expiry_ms > clock_wall_ms() + 3500000);
	assert_string_equal(c->region, "cn-hangzhou");
	cfg_init(&cfg);
	assert_int_equal(credential_apply(c, &cfg, &cause), 0);
	assert_string_equal(cfg.security_token, "CAISstatic");
	assert_int_equal(cfg.token_expiry_ms, c->expiry_ms);
	assert_null(cfg.renew);
	assert_string_equal(cfg.profile, "st");
	api_config_free(&cfg);
	credential_free(c);

	/* Expired: refused before anything is sent, with the message. */
	assert_int_equal(credential_from_vault(&req, "old", CREDENTIAL_FROM_PROFILE, &c, &cause),
	    VAULT_OK);
	assert_int_equal(c->expiry_ms, 1796119200000LL);
	cfg_init(&cfg);
	assert_int_equal(credential_apply(c, &cfg, &cause), -1);
	want = api_token_expired_message("old", c->expiry_ms, clock_wall_ms());
	assert_string_equal(cause, want);
	assert_non_null(strstr(cause, "the STS token of profile old expired at 2026-12-01 "
	    "10:00:00 UTC ("));
	assert_null(cfg.access_key_id);	/* cfg untouched */
	free(want);
	free(cause);
	api_config_free(&cfg);
	credential_free(c);
}

static void
test_role_profile(void **state)
{
	int calls = 0;
	struct credential_request req = { .vault_opt = path, .ask = ask, .ask_arg = &calls };
	struct credential *c = NULL;
	struct api_config cfg;
	struct api_error err;
	cJSON *json = NULL;
	char *cause = NULL;
	int is_sts = 0;

	(void)state;
	memset(&seen, 0, sizeof seen);
	/* The source profile's AccessKey, from the same unlock. */
	assert_int_equal(credential_from_vault(&req, "role", CREDENTIAL_FROM_PROFILE, &c, &cause),
	    VAULT_OK);
	assert_int_equal(calls, 1);
	assert_int_equal(c->kind, CREDENTIAL_RAM_ROLE);
	assert_string_equal(c->id, "LTAIbase");
	assert_string_equal(secret_reveal(c->secret), "basesecretbasesecret");
	secret_hide(c->secret);
	assert_string_equal(c->role_arn, ROLE);
	assert_string_equal(c->source_profile, "base");
	assert_string_equal(c->role_session_name, "deck");
	assert_int_equal(c->duration_s, 1800);
	assert_int_equal(c->readonly, 1);

	/* Applying it assumes the role; the configuration signs with what STS issued. */
	cfg_init(&cfg);
	assert_int_equal(credential_apply(c, &cfg, &cause), 0);
	assert_int_equal(seen.assume, 1);
	assert_string_equal(seen.assumer, "LTAIbase");
	assert_non_null(cfg.renew);
	assert_string_equal(cfg.access_key_id, "STS.issued1");
	assert_true(api_config_token_expiry(&cfg, &is_sts) > clock_wall_ms() + 3500000);
	assert_int_equal(is_sts, 1);
	assert_int_equal(cfg.readonly, 1);
	assert_int_equal(api_call(&cfg, "QueryProductList", NULL, &json, &err), API_OK);
	cJSON_Delete(json);
	assert_string_equal(seen.iot_key, "STS.issued1");
	assert_string_equal(seen.iot_token, "CAIS1");
	api_config_free(&cfg);
	credential_free(c);

	/* Its own AccessKey; a role STS does not know: the apply fails, cfg unchanged. */
	assert_int_equal(credential_from_vault(&req, "own", CREDENTIAL_FROM_PROFILE, &c, &cause),
	    VAULT_OK);
	assert_string_equal(c->id, "LTAIown");
	assert_null(c->source_profile);
	cfg_init(&cfg);
	assert_int_equal(credential_apply(c, &cfg, &cause), -1);
	assert_string_equal(seen.assumer, "LTAIown");
	assert_non_null(strstr(cause, "the role of profile own could not be assumed: AssumeRole "
	    "of acs:ram::1234567890123456:role/missing at http://127.0.0.1:"));
	assert_non_null(strstr(cause, "failed: EntityNotExist.Role: The role not exists: "
	    "acs:ram::1234567890123456:role/missing (RequestId S)"));
	assert_null(cfg.renew);
	assert_null(cfg.access_key_id);
	free(cause);
	api_config_free(&cfg);
	credential_free(c);
}

static void
test_env_token(void **state)
{
	int calls = 0;
	struct credential_request req = { .vault_opt = path, .ask = ask, .ask_arg = &calls };
	struct credential *c = NULL;
	struct api_config cfg;
	char *cause = NULL;

	(void)state;
	setenv(CREDENTIAL_ENV_ID, "STS.env", 1);
	setenv(CREDENTIAL_ENV_SECRET, "envsecretenvsecret", 1);
	setenv(CREDENTIAL_ENV_TOKEN, "CAISenv", 1);
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_OK);
	assert_int_equal(calls, 0);
	assert_int_equal(c->kind, CREDENTIAL_STS);
	cfg_init(&cfg);
	assert_int_equal(credential_apply(c, &cfg, &cause), 0);
	assert_string_equal(cfg.security_token, "CAISenv");
	assert_int_equal(cfg.token_expiry_ms, 0);	/* unknown: never refused here */
	api_config_free(&cfg);
	credential_free(c);
	unsetenv(CREDENTIAL_ENV_ID);
	unsetenv(CREDENTIAL_ENV_SECRET);
	unsetenv(CREDENTIAL_ENV_TOKEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sts_profile),
		cmocka_unit_test(test_role_profile),
		cmocka_unit_test(test_env_token),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	unsetenv(STS_ENV_ENDPOINT);
	return cmocka_run_group_tests_name("credentials", tests, setup, teardown);
}
