/* world.c — the living fleet (see world.h). */
#include "sim/world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "sim/tsl.h"

/* Most status changes one tick makes (a long pause must not stall a request). */
#define MAX_FLIPS_PER_TICK 20000
/* Service calls kept per device. */
#define MAX_SERVICE_HISTORY 200

static uint64_t
mix_str(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return sim_store_mix(h, 0);
}

void
sim_world_tick(struct sim_store *s)
{
	int64_t now = sim_store_now(s), elapsed = now - s->last_tick;
	double want;
	long flips, i;

	if (elapsed <= 0 || s->ndevs == 0 || s->flap_ms <= 0) {
		s->last_tick = now;
		return;
	}
	want = (double)s->nlive * (double)elapsed / (double)s->flap_ms;
	flips = (long)want;
	if (flips == 0) {
		/* Keep the fractional part by not advancing the tick time yet. */
		if (want * 1000.0 < 1.0 && elapsed < 3600000)
			return;
		flips = (sim_store_rand(s) % 1000) < (uint64_t)(want * 1000.0) ? 1 : 0;
	}
	if (flips > MAX_FLIPS_PER_TICK)
		flips = MAX_FLIPS_PER_TICK;
	for (i = 0; i < flips; i++) {
		struct sim_device *d = &s->devs[sim_store_rand(s) % s->ndevs];
		if (d->deleted || d->disabled || d->active == 0)
			continue;
		sim_store_set_status(s, d, d->status == SIM_DEV_ONLINE ? SIM_DEV_OFFLINE : SIM_DEV_ONLINE);
	}
	s->last_tick = now;
}

void
sim_world_sync(struct sim_store *s, struct sim_device *d)
{
	int64_t now = sim_store_now(s);
	struct sim_devx *x = d->x;
	cJSON *op, *kv;

	if (x == NULL || x->pending == NULL)
		return;
	while ((op = cJSON_GetArrayItem(x->pending, 0)) != NULL) {
		int64_t at = (int64_t)cJSON_GetObjectItem(op, "at")->valuedouble;
		char *in;
		if (at > now)
			break;
		if (x->values == NULL)
			x->values = cJSON_CreateObject();
		cJSON_ArrayForEach(kv, cJSON_GetObjectItem(op, "items")) {
			cJSON *v = cJSON_CreateObject();
			cJSON_AddItemToObject(v, "value", cJSON_Duplicate(kv, 1));
			cJSON_AddNumberToObject(v, "time", (double)at);
			cJSON_DeleteItemFromObjectCaseSensitive(x->values, kv->string);
			cJSON_AddItemToObject(x->values, kv->string, v);
		}
		in = cJSON_PrintUnformatted(cJSON_GetObjectItem(op, "items"));
		sim_world_record_service(s, d, "set", "set", at, in, "{}");
		free(in);
		cJSON_DeleteItemFromArray(x->pending, 0);
	}
}

void
sim_world_queue_set(struct sim_store *s, struct sim_device *d, const cJSON *items)
{
	struct sim_devx *x = sim_store_devx(d);
	cJSON *op = cJSON_CreateObject();

	if (x->pending == NULL)
		x->pending = cJSON_CreateArray();
	cJSON_AddNumberToObject(op, "at", (double)(sim_store_now(s) + SIM_APPLY_MS));
	cJSON_AddItemToObject(op, "items", cJSON_Duplicate(items, 1));
	cJSON_AddItemToArray(x->pending, op);
}

void
sim_world_record_service(struct sim_store *s, struct sim_device *d, const char *id,
    const char *name, int64_t t, const char *in, const char *out)
{
	struct sim_devx *x = sim_store_devx(d);
	cJSON *o = cJSON_CreateObject();

	(void)s;
	if (x->services == NULL)
		x->services = cJSON_CreateArray();
	cJSON_AddStringToObject(o, "identifier", id);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddNumberToObject(o, "time", (double)t);
	cJSON_AddStringToObject(o, "in", in);
	cJSON_AddStringToObject(o, "out", out);
	cJSON_AddItemToArray(x->services, o);
	while (cJSON_GetArraySize(x->services) > MAX_SERVICE_HISTORY)
		cJSON_DeleteItemFromArray(x->services, 0);
}

char *
sim_world_message_id(struct sim_store *s)
{
	if (s->msg_id == 0)
		s->msg_id = 300000000ULL + s->seed % 100000;
	return xasprintf("%llu", (unsigned long long)++s->msg_id);
}

enum sim_link
sim_world_link(const struct sim_store *s, const struct sim_device *d, uint64_t mid)
{
	int64_t now = sim_store_now(s);

	if (d->disabled || d->status == SIM_DEV_UNACTIVE)
		return SIM_LINK_DOWN;
	if (d->status == SIM_DEV_OFFLINE)
		return now - d->status_at < SIM_HEARTBEAT_MS ? SIM_LINK_HALF : SIM_LINK_DOWN;
	if (s->halfconn_rate > 0 &&
	    (double)(sim_store_mix(s->seed ^ 0x4A1FC0, mid) % 1000000) < s->halfconn_rate * 1000000.0)
		return SIM_LINK_HALF;
	return SIM_LINK_UP;
}

int
sim_world_reply_ms(const struct sim_store *s, uint64_t mid)
{
	int base = s->service_ms > 0 ? s->service_ms : 0;
	int jitter = s->service_jitter_ms >= 0 ? s->service_jitter_ms : base / 2;

	if (base == 0 && jitter == 0)
		return 0;
	return base + (int)(sim_store_mix(s->seed ^ 0x5E1A7, mid) % (uint64_t)(jitter + 1));
}

static int64_t
phase(const struct sim_store *s, const struct sim_device *d)
{
	return (int64_t)(sim_store_mix(s->seed, (uint64_t)(d - s->devs)) % SIM_REPORT_MS);
}

int64_t
sim_world_first_report(const struct sim_store *s, const struct sim_device *d, int64_t from)
{
	int64_t ph = phase(s, d), k;

	if (d->active == 0)
		return 0;
	if (from < d->active)
		from = d->active;
	k = (from - ph + SIM_REPORT_MS - 1) / SIM_REPORT_MS;
	return k * SIM_REPORT_MS + ph;
}

cJSON *
sim_world_value(struct sim_store *s, const struct sim_device *d, const cJSON *prop,
    int64_t t, int64_t *at)
{
	const char *id = cJSON_GetObjectItem(prop, "identifier")->valuestring;
	const cJSON *set = d->x != NULL && d->x->values != NULL ?
	    cJSON_GetObjectItem(d->x->values, id) : NULL;
	int64_t ph = phase(s, d), slot, slot_t;
	uint64_t rng;

	if (d->active == 0 || t < d->active)
		return NULL;
	slot = (t - ph) / SIM_REPORT_MS;
	slot_t = slot * SIM_REPORT_MS + ph;
	if (slot_t < d->active)
		slot_t = d->active;
	/* A value set through the API holds once applied (the device keeps its settings). */
	if (set != NULL && (int64_t)cJSON_GetObjectItem(set, "time")->valuedouble <= t) {
		int64_t st = (int64_t)cJSON_GetObjectItem(set, "time")->valuedouble;
		*at = st > slot_t ? st : slot_t;
		return cJSON_Duplicate(cJSON_GetObjectItem(set, "value"), 1);
	}
	*at = slot_t;
	rng = mix_str(sim_store_mix(s->seed, (uint64_t)(d - s->devs)) ^ (uint64_t)slot, id);
	return sim_tsl_value(cJSON_GetObjectItem(prop, "dataType"), &rng);
}

cJSON *
sim_world_event(const struct sim_store *s, const struct sim_device *d, const cJSON *tsl,
    int64_t slot, int64_t *at)
{
	uint64_t h = sim_store_mix(sim_store_mix(s->seed ^ 0xE7E7, (uint64_t)(d - s->devs)), (uint64_t)slot);
	const cJSON *events = cJSON_GetObjectItem(tsl, "events"), *e, *p;
	int n = 0, pick;
	cJSON *o, *out;

	if (d->active == 0 || h % 6 != 0)
		return NULL;
	cJSON_ArrayForEach(e, events)
		if (strcmp(cJSON_GetObjectItem(e, "identifier")->valuestring, "post") != 0)
			n++;
	if (n == 0)
		return NULL;
	*at = slot * SIM_EVENT_MS + (int64_t)((h >> 8) % (uint64_t)SIM_EVENT_MS);
	if (*at < d->active)
		return NULL;
	pick = (int)((h >> 40) % (uint64_t)n);
	cJSON_ArrayForEach(e, events) {
		if (strcmp(cJSON_GetObjectItem(e, "identifier")->valuestring, "post") == 0)
			continue;
		if (pick-- == 0)
			break;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "identifier", cJSON_GetObjectItem(e, "identifier")->valuestring);
	cJSON_AddStringToObject(o, "name", cJSON_GetObjectItem(e, "name")->valuestring);
	cJSON_AddStringToObject(o, "type", cJSON_GetObjectItem(e, "type")->valuestring);
	out = cJSON_AddObjectToObject(o, "output");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(e, "outputData")) {
		uint64_t r = h ^ (uint64_t)cJSON_GetArraySize(out);
		cJSON_AddItemToObject(out, cJSON_GetObjectItem(p, "identifier")->valuestring,
		    sim_tsl_value(cJSON_GetObjectItem(p, "dataType"), &r));
	}
	return o;
}

char *
sim_world_value_string(const cJSON *v)
{
	char buf[64];

	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsNumber(v)) {
		if (v->valuedouble == (double)(long long)v->valuedouble)
			snprintf(buf, sizeof buf, "%lld", (long long)v->valuedouble);
		else
			snprintf(buf, sizeof buf, "%.15g", v->valuedouble);
		return xstrdup(buf);
	}
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "1" : "0");
	return cJSON_PrintUnformatted(v);
}
