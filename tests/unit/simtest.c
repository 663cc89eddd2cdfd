/* simtest.c — see simtest.h. */
#include "simtest.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/sign.h"
#include "api/sign_v3.h"
#include "core/xmalloc.h"
#include "sim/seed.h"

void
simtest_sign_as(struct sim_request *r, const char *version, const char *action,
    const struct params *extra, const char *key_id, const char *secret, const char *token)
{
	static unsigned long counter;
	char nonce[32], when[32], *sig;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	sim_request_init(r);
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(nonce, sizeof nonce, "simtest-%d-%lu", (int)getpid(), ++counter);
	params_add(&r->query, "Action", action);
	params_add(&r->query, "Version", version);
	if (extra == NULL || params_get(extra, "Format") == NULL)
		params_add(&r->query, "Format", "JSON");
	params_add(&r->query, "AccessKeyId", key_id);
	params_add(&r->query, "SignatureMethod", "HMAC-SHA1");
	params_add(&r->query, "SignatureVersion", "1.0");
	params_add(&r->query, "SignatureNonce", nonce);
	params_add(&r->query, "Timestamp", when);
	if (token != NULL)
		params_add(&r->query, "SecurityToken", token);
	for (i = 0; extra != NULL && i < extra->n; i++)
		params_add(&r->form, extra->v[i].name, extra->v[i].value);
	r->method = "POST";
	sim_request_merge(r);
	sig = sign_v1("POST", &r->all, secret);
	params_add(&r->query, "Signature", sig);
	free(sig);
	sim_request_merge(r);
}

void
simtest_sign(struct sim_request *r, const char *action, const struct params *extra,
    const char *key_id, const char *secret)
{
	simtest_sign_as(r, "2018-01-20", action, extra, key_id, secret, NULL);
}

void
simtest_sign_v3(struct sim_request *r, const char *version, const char *action,
    const struct params *query, const char *key_id, const char *secret, const char *token)
{
	static unsigned long counter;
	struct params h = PARAMS_INIT;
	char nonce[32], when[32], hash[65], *auth, *cause = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	sim_request_init(r);
	r->method = "POST";
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(nonce, sizeof nonce, "simtest3-%d-%lu", (int)getpid(), ++counter);
	for (i = 0; query != NULL && i < query->n; i++)
		params_add(&r->query, query->v[i].name, query->v[i].value);
	sim_request_merge(r);
	sign_sha256_hex("", 0, hash);
	params_add(&h, "host", "127.0.0.1");
	params_add(&h, "x-acs-action", action);
	params_add(&h, "x-acs-content-sha256", hash);
	params_add(&h, "x-acs-date", when);
	if (token != NULL)
		params_add(&h, "x-acs-security-token", token);
	params_add(&h, "x-acs-signature-nonce", nonce);
	params_add(&h, "x-acs-version", version);
	auth = sign_v3_authorization(key_id, secret, "POST", "/", &r->query, &h, hash);
	params_add(&h, "Authorization", auth);
	for (i = 0; i < h.n; i++)
		if (sim_request_add_header(r, h.v[i].name, h.v[i].value, &cause) != 0)
			fail_msg("simtest_sign_v3: %s", cause);
	free(auth);
	params_free(&h);
}

void
simtest_params_va(struct params *p, va_list ap)
{
	const char *kv, *eq;
	char *name;

	while ((kv = va_arg(ap, const char *)) != NULL) {
		eq = strchr(kv, '=');
		if (eq == NULL) {
			params_add(p, kv, "");
			continue;
		}
		name = xstrndup(kv, (size_t)(eq - kv));
		params_add(p, name, eq + 1);
		free(name);
	}
}

int
simtest_ok(const cJSON *r)
{
	return cJSON_IsTrue(cJSON_GetObjectItem(r, "Success"));
}

const char *
simtest_code(const cJSON *r)
{
	const cJSON *c = cJSON_GetObjectItem(r, "Code");

	return cJSON_IsString(c) ? c->valuestring : "";
}

int
simtest_open(struct simtest *t, uint64_t seed, size_t nproducts, size_t ndevices,
    double qps_scale)
{
	struct sim_gateway_config gcfg = { NULL, 0, NULL };
	char *cause = NULL;

	memset(t, 0, sizeof *t);
	t->sim = sim_new(seed);
	t->store = t->sim->store;
	t->auth = sim_auth_new();
	t->throttle = sim_throttle_new(qps_scale);
	t->gw = sim_gateway_new(t->sim, t->auth, t->throttle, &gcfg);
	if (sim_seed(t->sim, seed, nproducts, ndevices, &cause) != 0 ||
	    sim_auth_add_key(t->auth, SIMTEST_KEY_ID, SIMTEST_SECRET, &cause) != 0) {
		fprintf(stderr, "simtest: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

int
simtest_listen(struct simtest *t, size_t buffer_budget)
{
	struct sim_server_config scfg;
	char *cause = NULL;

	memset(&scfg, 0, sizeof scfg);
	scfg.listen = "127.0.0.1:0";
	scfg.buffer_budget = buffer_budget;
	if ((t->srv = sim_server_start(t->gw, &scfg, &cause)) == NULL) {
		fprintf(stderr, "simtest: %s\n", cause);
		free(cause);
		return -1;
	}
	t->port = sim_server_port(t->srv);
	return 0;
}

void
simtest_close(struct simtest *t)
{
	sim_server_stop(t->srv);
	sim_gateway_free(t->gw);
	sim_throttle_free(t->throttle);
	sim_auth_free(t->auth);
	sim_free(t->sim);
	memset(t, 0, sizeof *t);
}

cJSON *
simtest_send(struct simtest *t, const struct sim_request *r, time_t now, int *status)
{
	struct sim_response resp;
	cJSON *out;

	t->mono += 1.0;
	sim_gateway_handle(t->gw, r, now, t->mono, &resp);
	if (status != NULL)
		*status = resp.status;
	out = cJSON_Parse(resp.body);
	if (out == NULL)
		fail_msg("not JSON: %s", resp.body);
	sim_response_free(&resp);
	return out;
}

cJSON *
simtest_call(struct simtest *t, const char *action, const struct params *extra)
{
	struct sim_request r;
	cJSON *out;

	simtest_sign(&r, action, extra, SIMTEST_KEY_ID, SIMTEST_SECRET);
	out = simtest_send(t, &r, time(NULL), NULL);
	sim_request_free(&r);
	return out;
}

cJSON *
simtest_api(struct simtest *t, const char *action, ...)
{
	struct params p = PARAMS_INIT;
	va_list ap;
	cJSON *out;

	va_start(ap, action);
	simtest_params_va(&p, ap);
	va_end(ap);
	out = simtest_call(t, action, &p);
	params_free(&p);
	return out;
}

cJSON *
simtest_log_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	cJSON *arr = cJSON_CreateArray();
	char line[16384];

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		cJSON *o;
		assert_int_equal(line[strlen(line) - 1], '\n');
		o = cJSON_Parse(line);
		if (o == NULL)
			fail_msg("not JSON: %s", line);
		cJSON_AddItemToArray(arr, o);
	}
	fclose(f);
	return arr;
}

const char *
simtest_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}
