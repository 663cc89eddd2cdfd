/* simtest.c — see simtest.h. */
#include "simtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/sign.h"
#include "core/xmalloc.h"

void
simtest_sign(struct sim_request *r, const char *action, const struct params *extra,
    const char *key_id, const char *secret)
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
	params_add(&r->query, "Version", "2018-01-20");
	params_add(&r->query, "Format", "JSON");
	params_add(&r->query, "AccessKeyId", key_id);
	params_add(&r->query, "SignatureMethod", "HMAC-SHA1");
	params_add(&r->query, "SignatureVersion", "1.0");
	params_add(&r->query, "SignatureNonce", nonce);
	params_add(&r->query, "Timestamp", when);
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
