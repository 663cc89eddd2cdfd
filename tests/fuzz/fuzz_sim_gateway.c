/* fuzz_sim_gateway.c — libFuzzer target for what the simulator does with the parameters of
 * an authenticated request: the gateway's checks (action, version, required parameters,
 * flow control) and every handler's parsing of its parameters (numbers, lists, names,
 * the JSON of Items, Args, TslStr, ThingModelJson, shadow documents, tags...), against a
 * small seeded world. The demo key is public, so all of this is outside input too.
 *
 * Input: the request's parameters as a form body ("Action=...&Name=value..."); the
 * harness adds Version, Format=JSON, the demo key, a fresh nonce and timestamp and a
 * valid v1 signature. A value that is exactly @PK@, @PK2@, @DN@, @IOTID@, @GROUP@, @FW@,
 * @JOB@ or @TASK@ becomes the key of the first (second) product, the name or IotId of its
 * first device, the first group, firmware, OTA job or the job's first task, so that the
 * seeds (tests/fuzz/seeds/fuzz_sim_gateway.sh) reach the handlers' work and not only
 * their not-found errors. Each input gets a world of its own (seed 1: two products, eight
 * devices, groups, firmware and OTA jobs), so a crash reproduces from its input alone.
 *
 * fuzz-sources: src/sim/gateway.c src/sim/handler.c src/sim/h_device.c src/sim/h_group.c src/sim/rule.c src/sim/writelog.c src/sim/fault.c src/core/jsonout.c src/core/timefmt.c src/sim/h_ota_fw.c src/sim/h_ota_job.c src/sim/h_ota_task.c src/sim/h_product.c src/sim/h_thing.c src/sim/h_use.c src/sim/h_use_query.c src/sim/h_use_shadow.c src/sim/auth.c src/sim/sts.c src/sim/log.c src/sim/oss.c src/sim/ota.c src/sim/reply.c src/sim/request.c src/sim/seed.c src/sim/sim.c src/sim/store.c src/sim/thingmodel.c src/sim/throttle.c src/sim/tsl.c src/sim/world.c src/api/actions.c src/api/params.c src/api/sign.c src/api/sign_v3.c src/core/buf.c src/core/clock.c src/core/safetext.c src/core/xmalloc.c
 * fuzz-pkgs: openssl
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/sign.h"
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/gateway.h"
#include "sim/ota.h"
#include "sim/request.h"
#include "sim/seed.h"
#include "sim/sim.h"
#include "sim/throttle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Replaces the placeholders among the values of p by names of the world. */
static void
substitute(struct sim *sim, struct params *p)
{
	const struct sim_store *s = sim->store;
	struct sim_ota *o = sim->ota;
	const struct sim_product *p0 = &s->products[0];
	const struct sim_device *d0 = &s->devs[p0->devs[0]];
	char task[96];
	const char *with;
	size_t i;

	task[0] = '\0';
	if (o->njobs > 0 && o->jobs[0].ndevs > 0)
		sim_ota_task_id(&o->jobs[0], 0, task, sizeof task);
	for (i = 0; i < p->n; i++) {
		const char *v = p->v[i].value;
		if (v[0] != '@')
			continue;
		with = strcmp(v, "@PK@") == 0 ? p0->key :
		    strcmp(v, "@PK2@") == 0 && s->nproducts > 1 ? s->products[1].key :
		    strcmp(v, "@DN@") == 0 ? d0->name :
		    strcmp(v, "@IOTID@") == 0 ? d0->iotid :
		    strcmp(v, "@GROUP@") == 0 && s->ngroups > 0 ? s->groups[0].id :
		    strcmp(v, "@FW@") == 0 && o->nfw > 0 ? o->fw[0].id :
		    strcmp(v, "@JOB@") == 0 && o->njobs > 0 ? o->jobs[0].id :
		    strcmp(v, "@TASK@") == 0 ? task : NULL;
		if (with != NULL) {
			free(p->v[i].value);
			p->v[i].value = xstrdup(with);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long counter;
	static double mono;
	struct sim_gateway_config gcfg = { NULL, 0, NULL };
	struct sim *sim;
	struct sim_auth *auth;
	struct sim_throttle *throttle;
	struct sim_gateway *gw;
	struct sim_request r;
	struct sim_response resp;
	char *cause = NULL, *sig, nonce[32], when[32];
	time_t now = time(NULL);
	struct tm tm;

	if (sodium_init() < 0)
		abort();
	sim = sim_new(1);
	if (sim_seed(sim, 1, 2, 4, &cause) != 0)
		abort();
	auth = sim_auth_new();
	sim_auth_add_key(auth, "k", "s", &cause);
	throttle = sim_throttle_new(1.0);
	gw = sim_gateway_new(sim, auth, throttle, &gcfg);
	sim_request_init(&r);
	if (sim_params_parse(&r.form, (const char *)data, size, SIM_MAX_PARAMS, &cause) != 0) {
		free(cause);
		goto out;
	}
	substitute(sim, &r.form);
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(nonce, sizeof nonce, "n%lu", ++counter);
	params_add(&r.query, "Version", "2018-01-20");
	params_add(&r.query, "Format", "JSON");
	params_add(&r.query, "AccessKeyId", "k");
	params_add(&r.query, "SignatureMethod", "HMAC-SHA1");
	params_add(&r.query, "SignatureVersion", "1.0");
	params_add(&r.query, "SignatureNonce", nonce);
	params_add(&r.query, "Timestamp", when);
	r.method = "POST";
	sim_request_merge(&r);
	sig = sign_v1("POST", &r.all, "s");
	params_add(&r.query, "Signature", sig);
	free(sig);
	sim_request_merge(&r);
	mono += 10.0;
	sim_gateway_handle(gw, &r, now, mono, &resp);
	if (resp.body == NULL || resp.status == 0)
		abort();
	sim_response_free(&resp);
out:
	sim_request_free(&r);
	sim_gateway_free(gw);
	sim_throttle_free(throttle);
	sim_auth_free(auth);
	sim_free(sim);
	return 0;
}
