/* h_use.c — thing-model use (guide 4.12) and the device shadow (4.19). Values and
 * history come from world.c; sets and service calls go through it too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "sim/handler.h"
#include "sim/tsl.h"
#include "sim/world.h"

/* History queries look back at most 30 days. */
#define HISTORY_MS (30LL * 24 * 3600 * 1000)
/* Largest Items/Args text accepted. */
#define ITEMS_MAX 4096
/* Largest shadow document (bytes). */
#define SHADOW_MAX 16384

static const cJSON *
tsl_of(const struct sim_call *c, const struct sim_device *d)
{
	return c->store->products[d->product].tsl;
}

/* A disabled device cannot connect and nothing can be done with it (guide 4.8.12). The
 * guide gives no code for the refusal; a disabled device is never connected: OFFLINE. */
static int
refuse_disabled(struct sim_call *c, const struct sim_device *d)
{
	if (d->disabled)
		return sim_fail(c, "iot.messagebroker.OFFLINE", "the device is disabled.");
	return 0;
}

/* Whether the JSON object o names a member twice (cJSON keeps both). */
static const char *
duplicate_key(const cJSON *o)
{
	const cJSON *a, *b;

	for (a = o->child; a != NULL; a = a->next)
		for (b = a->next; b != NULL; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return a->string;
	return NULL;
}

/* Parses an Items text (SetDeviceProperty, SetDevicesProperty, SetDeviceDesiredProperty):
 * a JSON object of identifier: value, not empty, no identifier twice. NULL with an error
 * set. */
static cJSON *
parse_items_text(struct sim_call *c, const char *text)
{
	cJSON *items;
	const char *dup;

	if (strlen(text) > ITEMS_MAX) {
		sim_fail(c, "iot.device.LongDevicePropertiesString", "Items is longer than %d bytes.", ITEMS_MAX);
		return NULL;
	}
	items = cJSON_Parse(text);
	if (!cJSON_IsObject(items)) {
		cJSON_Delete(items);
		sim_fail(c, "iot.device.InvalidFormattedDevicePropertiesString",
		    "Items must be a JSON object of identifier: value.");
		return NULL;
	}
	if (items->child == NULL) {
		cJSON_Delete(items);
		sim_fail(c, "iot.device.NullDevicePropertiesString", "Items holds no property.");
		return NULL;
	}
	if ((dup = duplicate_key(items)) != NULL) {
		sim_fail(c, "iot.device.InvalidFormattedDevicePropertiesString",
		    "Items names %s twice.", dup);
		cJSON_Delete(items);
		return NULL;
	}
	return items;
}

/* The read-write property ident of tsl, or NULL with the guide's error set: an identifier
 * the thing model does not define (iot.device.NoneDeviceProperties) or a read-only
 * property (iot.device.SetDevicePropertyFailed: "check ... whether the property is
 * read-write", guide 4.6). */
static const cJSON *
writable_property(struct sim_call *c, const cJSON *tsl, const char *ident)
{
	const cJSON *prop = sim_tsl_find(tsl, "properties", ident);

	if (prop == NULL) {
		sim_fail(c, "iot.device.NoneDeviceProperties",
		    "property %s is not defined in the thing model.", ident);
		return NULL;
	}
	if (strcmp(cJSON_GetObjectItem(prop, "accessMode")->valuestring, "rw") != 0) {
		sim_fail(c, "iot.device.SetDevicePropertyFailed", "property %s is read-only.", ident);
		return NULL;
	}
	return prop;
}

/* Parses Items and checks it against tsl: every identifier a read-write property, every
 * value of its type and in its range (null too when allow_null: it clears a desired
 * value). Returns the object or NULL with an error set. */
static cJSON *
parse_items(struct sim_call *c, const cJSON *tsl, const char *text, int allow_null)
{
	cJSON *items, *kv;
	char *cause = NULL;

	if ((items = parse_items_text(c, text)) == NULL)
		return NULL;
	cJSON_ArrayForEach(kv, items) {
		const cJSON *prop = writable_property(c, tsl, kv->string);
		if (prop == NULL)
			goto fail;
		if (allow_null && cJSON_IsNull(kv))
			continue;
		if (sim_tsl_check(cJSON_GetObjectItem(prop, "dataType"), kv, &cause) != 0) {
			sim_fail(c, "iot.device.SetDevicePropertyFailed", "property %s: %s.", kv->string, cause);
			free(cause);
			goto fail;
		}
	}
	return items;
fail:
	cJSON_Delete(items);
	return NULL;
}

/* Sends a property set to d as message *mid (a new MessageId, caller frees): the device
 * applies it after SIM_APPLY_MS when its link is up, and never gets it otherwise (the
 * call still succeeds: guide 4.12.1, success only says the platform sent the message). */
static void
send_set(struct sim_call *c, struct sim_device *d, const cJSON *items, char **mid)
{
	*mid = sim_world_message_id(c->store);
	if (sim_world_link(c->store, d, c->store->msg_id) == SIM_LINK_UP) {
		sim_world_queue_set(c->store, d, items);
		sim_call_target(c, d, SIM_REACH_IF_OK);
	} else
		sim_call_target(c, d, SIM_REACH_NO);
}

static int
set_device_property(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	cJSON *items;
	char *mid;

	if (d == NULL)
		return -1;
	if ((items = parse_items(c, tsl_of(c, d), sim_arg(c, "Items"), 0)) == NULL)
		return -1;
	if (refuse_disabled(c, d) != 0) {
		cJSON_Delete(items);
		return -1;
	}
	send_set(c, d, items, &mid);
	cJSON_Delete(items);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(c->out, "Data"), "MessageId", mid);
	free(mid);
	return 0;
}

/* DeviceName.N of ProductKey (at most max); NULL with an error set. */
static struct sim_device **
batch_devices(struct sim_call *c, size_t max, size_t *n, struct sim_product **pp)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_device **devs;
	const char **names;
	size_t i;

	if (p == NULL)
		return NULL;
	*n = sim_arg_list(c, "DeviceName", &names);
	if (*n > max) {
		free(names);
		sim_fail(c, "iot.device.TooManyDeviceNamesPerRequest", "at most %zu devices per call.", max);
		return NULL;
	}
	devs = xcalloc(*n + 1, sizeof *devs);
	for (i = 0; i < *n; i++) {
		devs[i] = sim_store_device_by_name(c->store, (size_t)(p - c->store->products), names[i]);
		if (devs[i] == NULL) {
			sim_fail(c, "iot.device.NotExistedDevice", "device %s does not exist.", names[i]);
			free(names);
			free(devs);
			return NULL;
		}
	}
	free(names);
	*pp = p;
	return devs;
}

static int
set_devices_property(struct sim_call *c)
{
	struct sim_product *p;
	struct sim_device **devs;
	cJSON *items;
	size_t i, n;
	char *mid;

	if ((devs = batch_devices(c, 100, &n, &p)) == NULL)
		return -1;
	if ((items = parse_items(c, p->tsl, sim_arg(c, "Items"), 0)) == NULL) {
		free(devs);
		return -1;
	}
	/* Devices that are not connected never receive the message, as on the real platform. */
	for (i = 0; i < n; i++) {
		send_set(c, devs[i], items, &mid);
		free(mid);
	}
	cJSON_Delete(items);
	free(devs);
	return 0;
}

/* Checks Args against the service's inputData; returns the parsed object or NULL. */
static cJSON *
parse_args(struct sim_call *c, const cJSON *svc, const char *text)
{
	cJSON *args, *kv;
	const cJSON *in = cJSON_GetObjectItem(svc, "inputData"), *p;
	const char *dup;
	char *cause = NULL;

	if (text == NULL)
		text = "{}";
	if (strlen(text) > ITEMS_MAX) {
		sim_fail(c, "iot.device.LongDevicePropertiesString", "Args is longer than %d bytes.", ITEMS_MAX);
		return NULL;
	}
	args = cJSON_Parse(text);
	if (!cJSON_IsObject(args)) {
		cJSON_Delete(args);
		sim_fail(c, "iot.device.InvokeThingServiceFailed", "Args must be a JSON object ({} for none).");
		return NULL;
	}
	if ((dup = duplicate_key(args)) != NULL) {
		sim_fail(c, "iot.device.InvokeThingServiceFailed", "Args names %s twice.", dup);
		goto fail;
	}
	if (strcmp(cJSON_GetObjectItem(svc, "identifier")->valuestring, "get") == 0)
		return args;
	cJSON_ArrayForEach(kv, args) {
		const cJSON *def = NULL;
		cJSON_ArrayForEach(p, in)
			if (cJSON_IsObject(p) && strcmp(cJSON_GetObjectItem(p, "identifier")->valuestring, kv->string) == 0)
				def = p;
		if (def == NULL) {
			sim_fail(c, "iot.device.InvokeThingServiceFailed", "%s is not an input of the service.", kv->string);
			goto fail;
		}
		if (sim_tsl_check(cJSON_GetObjectItem(def, "dataType"), kv, &cause) != 0) {
			sim_fail(c, "iot.device.InvokeThingServiceFailed", "%s: %s.", kv->string, cause);
			free(cause);
			goto fail;
		}
	}
	return args;
fail:
	cJSON_Delete(args);
	return NULL;
}

/* The output a device answers for svc: values for each outputData parameter ("get":
 * the current values of the properties asked for). */
static cJSON *
service_output(struct sim_call *c, struct sim_device *d, const cJSON *svc, const cJSON *args)
{
	const char *id = cJSON_GetObjectItem(svc, "identifier")->valuestring;
	cJSON *out = cJSON_CreateObject();
	const cJSON *p;
	uint64_t rng = c->store->msg_id ^ (uint64_t)sim_store_device_index(c->store, d);

	if (strcmp(id, "get") == 0) {
		int64_t at;
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl_of(c, d), "properties")) {
			const char *pid = cJSON_GetObjectItem(p, "identifier")->valuestring;
			const cJSON *a;
			int wanted = args->child == NULL;
			cJSON *v;
			cJSON_ArrayForEach(a, args)
				wanted |= strcmp(a->string, pid) == 0 ||
				    (cJSON_IsString(a) && strcmp(a->valuestring, pid) == 0);
			if (wanted && (v = sim_world_value(c->store, d, p, sim_store_now(c->store), &at)) != NULL)
				cJSON_AddItemToObject(out, pid, v);
		}
		return out;
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(svc, "outputData"))
		if (cJSON_IsObject(p))
			cJSON_AddItemToObject(out, cJSON_GetObjectItem(p, "identifier")->valuestring,
			    sim_tsl_value(cJSON_GetObjectItem(p, "dataType"), &rng));
	return out;
}

/* The device d runs service svc with args now: a property set is queued, the call goes
 * into d's service history. Returns the output data (caller deletes). */
static cJSON *
run_service(struct sim_call *c, struct sim_device *d, const cJSON *svc, const cJSON *args)
{
	const char *ident = cJSON_GetObjectItem(svc, "identifier")->valuestring;
	cJSON *out;
	char *in_s, *out_s;

	if (strcmp(ident, "set") == 0 && args->child != NULL)
		sim_world_queue_set(c->store, d, args);
	out = service_output(c, d, svc, args);
	in_s = cJSON_PrintUnformatted(args);
	out_s = cJSON_PrintUnformatted(out);
	sim_world_record_service(c->store, d, ident, cJSON_GetObjectItem(svc, "name")->valuestring,
	    sim_store_now(c->store), in_s, out_s);
	free(in_s);
	free(out_s);
	return out;
}

/* The device's RRPC reply to a sync call as Data.Result carries it (guide 4.12.3's
 * example): {"code":200,"data":{outputs},"id":"MessageId","message":"success",
 * "version":"1.0"}. Caller frees. */
static char *
alink_reply(const char *mid, const cJSON *out)
{
	cJSON *r = cJSON_CreateObject();
	char *text;

	cJSON_AddNumberToObject(r, "code", 200);
	cJSON_AddItemToObject(r, "data", cJSON_Duplicate(out, 1));
	cJSON_AddStringToObject(r, "id", mid);
	cJSON_AddStringToObject(r, "message", "success");
	cJSON_AddStringToObject(r, "version", "1.0");
	text = cJSON_PrintUnformatted(r);
	cJSON_Delete(r);
	return text;
}

/* InvokeThingService (guide 4.12.3). A sync service goes to the device by RRPC: a device
 * that is not connected fails it at once with the RRPC states of guide 4.17.6
 * (iot.messagebroker.OFFLINE, iot.messagebroker.HALFCONN); a connected one runs it and
 * answers after sim_world_reply_ms, or the platform gives up after 5 s
 * (iot.messagebroker.TIMEOUT; the device still ran it). An async service is answered at
 * once with its MessageId; the device runs it when its link is up. */
static int
invoke_thing_service(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const char *ident = sim_arg(c, "Identifier");
	const cJSON *svc;
	cJSON *args, *out = NULL, *data;
	enum sim_link link;
	char *mid, *result;
	int sync, wait, rc = -1;

	if (d == NULL)
		return -1;
	if ((svc = sim_tsl_find(tsl_of(c, d), "services", ident)) == NULL)
		return sim_fail(c, "iot.device.InvokeThingServiceFailed", "service %s is not defined in the thing model.", ident);
	if ((args = parse_args(c, svc, params_get(c->p, "Args"))) == NULL)
		return -1;
	if (refuse_disabled(c, d) != 0) {
		cJSON_Delete(args);
		return -1;
	}
	sync = strcmp(cJSON_GetObjectItem(svc, "callType")->valuestring, "sync") == 0;
	mid = sim_world_message_id(c->store);
	link = sim_world_link(c->store, d, c->store->msg_id);
	if (!sync) {
		if (link == SIM_LINK_UP)
			cJSON_Delete(run_service(c, d, svc, args));
		else
			sim_call_target(c, d, SIM_REACH_NO);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(c->out, "Data"), "MessageId", mid);
		rc = 0;
		goto done;
	}
	if (link == SIM_LINK_DOWN) {
		sim_fail(c, "iot.messagebroker.OFFLINE", "the device is %s.",
		    d->status == SIM_DEV_UNACTIVE ? "not activated" : "offline");
		goto done;
	}
	if (link == SIM_LINK_HALF) {
		sim_fail(c, "iot.messagebroker.HALFCONN",
		    "the device's connection is half open (dropped less than a heartbeat ago).");
		goto done;
	}
	out = run_service(c, d, svc, args);
	wait = sim_world_reply_ms(c->store, c->store->msg_id);
	if (wait > SIM_SERVICE_TIMEOUT_MS) {
		c->reply_ms = SIM_SERVICE_TIMEOUT_MS;
		sim_call_target(c, d, SIM_REACH_YES);
		sim_fail(c, "iot.messagebroker.TIMEOUT", "the device did not answer within %d s.",
		    SIM_SERVICE_TIMEOUT_MS / 1000);
		goto done;
	}
	c->reply_ms = wait;
	data = cJSON_AddObjectToObject(c->out, "Data");
	result = alink_reply(mid, out);
	cJSON_AddStringToObject(data, "Result", result);
	cJSON_AddStringToObject(data, "MessageId", mid);
	free(result);
	rc = 0;
done:
	free(mid);
	cJSON_Delete(out);
	cJSON_Delete(args);
	return rc;
}

/* InvokeThingsService (guide 4.12.4): asynchronous only; each device with a working link
 * runs the service. */
static int
invoke_things_service(struct sim_call *c)
{
	struct sim_product *p;
	struct sim_device **devs;
	const char *ident = sim_arg(c, "Identifier");
	const cJSON *svc;
	cJSON *args;
	size_t i, n;
	char *mid;

	if ((devs = batch_devices(c, 100, &n, &p)) == NULL)
		return -1;
	if ((svc = sim_tsl_find(p->tsl, "services", ident)) == NULL) {
		free(devs);
		return sim_fail(c, "iot.device.InvokeThingServiceFailed", "service %s is not defined in the thing model.", ident);
	}
	if ((args = parse_args(c, svc, params_get(c->p, "Args"))) == NULL) {
		free(devs);
		return -1;
	}
	for (i = 0; i < n; i++) {
		mid = sim_world_message_id(c->store);
		if (sim_world_link(c->store, devs[i], c->store->msg_id) == SIM_LINK_UP) {
			cJSON_Delete(run_service(c, devs[i], svc, args));
			sim_call_target(c, devs[i], SIM_REACH_IF_OK);
		} else
			sim_call_target(c, devs[i], SIM_REACH_NO);
		free(mid);
	}
	cJSON_Delete(args);
	free(devs);
	return 0;
}

static const char *
unit_of(const cJSON *prop)
{
	const cJSON *u = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(prop, "dataType"),
	    "specs"), "unit");

	return cJSON_IsString(u) ? u->valuestring : NULL;
}

static int
query_device_property_status(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const cJSON *p;
	cJSON *arr;
	int64_t now = sim_store_now(c->store), at;

	if (d == NULL)
		return -1;
	sim_world_sync(c->store, d);
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(c->out, "Data"),
	    "List"), "PropertyStatusInfo");
	/* Every property of the thing model ("all property snapshots", guide 4.12.11), with
	 * Value and Time only where the device reported one. */
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl_of(c, d), "properties")) {
		cJSON *v = sim_world_value(c->store, d, p, now, &at), *o;
		char *vs, ts[24];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Name", cJSON_GetObjectItem(p, "name")->valuestring);
		if (v != NULL) {
			vs = sim_world_value_string(v);
			cJSON_AddStringToObject(o, "Value", vs);
			free(vs);
			snprintf(ts, sizeof ts, "%lld", (long long)at);
			cJSON_AddStringToObject(o, "Time", ts);
			cJSON_Delete(v);
		}
		cJSON_AddStringToObject(o, "DataType",
		    cJSON_GetObjectItem(cJSON_GetObjectItem(p, "dataType"), "type")->valuestring);
		cJSON_AddStringToObject(o, "Identifier", cJSON_GetObjectItem(p, "identifier")->valuestring);
		if (unit_of(p) != NULL)
			cJSON_AddStringToObject(o, "Unit", unit_of(p));
		cJSON_AddItemToArray(arr, o);
	}
	return 0;
}

struct window {
	int64_t start, end;	/* StartTime, EndTime (end capped at now) */
	long    size;		/* PageSize */
	int     asc;		/* Asc */
};

/* Reads StartTime, EndTime, Asc and PageSize. EndTime must be after StartTime, except for
 * a descending query when desc_from_start is set (QueryDevicePropertiesData, guide
 * 4.12.6: with Asc=0 StartTime must be after EndTime, and NextTime is the next
 * StartTime). */
static int
history_window(struct sim_call *c, long max_size, int desc_from_start, struct window *w)
{
	long start, end, asc, size;
	int64_t now = sim_store_now(c->store);

	if (sim_arg_long(c, "StartTime", 0, 0, 9000000000000L, &start) != 0 ||
	    sim_arg_long(c, "EndTime", 0, 0, 9000000000000L, &end) != 0 ||
	    sim_arg_long(c, "Asc", 0, 0, 1, &asc) != 0 ||
	    sim_arg_long(c, "PageSize", 10, -2147483647L, 2147483647L, &size) != 0)
		return -1;
	if (size < 1 || size > max_size)
		return sim_fail(c, "iot.common.InvalidPageParams", "PageSize must be 1..%ld.", max_size);
	if (desc_from_start && asc == 0) {
		long t = start;
		if (start <= end)
			return sim_fail(c, "iot.device.InvalidTimeBucket",
			    "with Asc=0, StartTime must be greater than EndTime.");
		start = end;
		end = t;
	} else if (end <= start)
		return sim_fail(c, "iot.device.InvalidTimeBucket", "EndTime must be greater than StartTime.");
	w->start = start < now - HISTORY_MS ? now - HISTORY_MS : start;
	w->end = end > now ? now : end;
	w->size = size;
	w->asc = (int)asc;
	return 0;
}

/* Report slot times of d inside w, in w's order: up to w->size + 1 of them into slots
 * (the extra one tells whether there is a next page). Returns the count. */
static size_t
report_slots(struct sim_call *c, const struct sim_device *d, const struct window *w, int64_t *slots)
{
	int64_t t = sim_world_first_report(c->store, d, w->start);
	size_t n = 0;

	if (t == 0 || w->end < w->start)
		return 0;
	if (w->asc) {
		for (; t <= w->end && n < (size_t)w->size + 1; t += SIM_REPORT_MS)
			slots[n++] = t;
	} else {
		int64_t last = t + (w->end - t) / SIM_REPORT_MS * SIM_REPORT_MS;
		if (last > w->end)
			return 0;
		for (t = last; t >= w->start && t >= d->active && n < (size_t)w->size + 1; t -= SIM_REPORT_MS)
			slots[n++] = t;
	}
	return n;
}

static cJSON *
history_list(struct sim_call *c, struct sim_device *d, const cJSON *prop, const int64_t *slots,
    size_t n, int time_as_number)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;
	int64_t at;

	for (i = 0; i < n; i++) {
		cJSON *v = sim_world_value(c->store, d, prop, slots[i], &at), *o;
		char *vs, ts[24];
		if (v == NULL)
			continue;
		o = cJSON_CreateObject();
		vs = sim_world_value_string(v);
		cJSON_AddStringToObject(o, "Value", vs);
		if (time_as_number)
			cJSON_AddNumberToObject(o, "Time", (double)slots[i]);
		else {
			snprintf(ts, sizeof ts, "%lld", (long long)slots[i]);
			cJSON_AddStringToObject(o, "Time", ts);
		}
		cJSON_AddItemToArray(arr, o);
		free(vs);
		cJSON_Delete(v);
	}
	return arr;
}

static int
query_device_property_data(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const cJSON *prop;
	struct window w;
	int64_t slots[52];
	size_t n;
	cJSON *data;

	if (d == NULL || history_window(c, 50, 0, &w) != 0)
		return -1;
	sim_world_sync(c->store, d);
	data = cJSON_AddObjectToObject(c->out, "Data");
	prop = sim_tsl_find(tsl_of(c, d), "properties", sim_arg(c, "Identifier"));
	n = prop != NULL ? report_slots(c, d, &w, slots) : 0;
	cJSON_AddBoolToObject(data, "NextValid", n > (size_t)w.size);
	if (n > (size_t)w.size)
		cJSON_AddNumberToObject(data, "NextTime", (double)slots[w.size]);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(data, "List"), "PropertyInfo",
	    history_list(c, d, prop, slots, n > (size_t)w.size ? (size_t)w.size : n, 0));
	return 0;
}

static int
query_device_properties_data(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const char **ids;
	struct window w;
	int64_t slots[102];
	size_t n, k, i;
	cJSON *arr;

	if (d == NULL || history_window(c, 100, 1, &w) != 0)
		return -1;
	sim_world_sync(c->store, d);
	k = sim_arg_list(c, "Identifier", &ids);
	if (k > 10) {
		free(ids);
		return sim_fail(c, "iot.device.TooManyDevicePropertiesPerTime", "at most 10 identifiers per call.");
	}
	/* PageSize counts records over all identifiers. */
	w.size = k > 0 ? w.size / (long)k : w.size;
	if (w.size < 1)
		w.size = 1;
	n = report_slots(c, d, &w, slots);
	cJSON_AddBoolToObject(c->out, "NextValid", n > (size_t)w.size);
	if (n > (size_t)w.size)
		cJSON_AddNumberToObject(c->out, "NextTime", (double)slots[w.size]);
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "PropertyDataInfos"), "PropertyDataInfo");
	for (i = 0; i < k; i++) {
		const cJSON *prop = sim_tsl_find(tsl_of(c, d), "properties", ids[i]);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Identifier", ids[i]);
		cJSON_AddItemToObject(cJSON_AddObjectToObject(o, "List"), "PropertyInfo", prop != NULL ?
		    history_list(c, d, prop, slots, n > (size_t)w.size ? (size_t)w.size : n, 1) : cJSON_CreateArray());
		cJSON_AddItemToArray(arr, o);
	}
	free(ids);
	return 0;
}

static int
query_device_event_data(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const char *ident = sim_arg(c, "Identifier"), *type = sim_arg(c, "EventType");
	struct window w;
	int64_t slot, first, last, at;
	cJSON *data, *arr;
	size_t n = 0;
	int more = 0;
	int64_t next = 0;

	if (d == NULL || history_window(c, 50, 0, &w) != 0)
		return -1;
	data = cJSON_AddObjectToObject(c->out, "Data");
	arr = cJSON_CreateArray();
	first = w.start / SIM_EVENT_MS;
	last = w.end / SIM_EVENT_MS;
	for (slot = w.asc ? first : last; w.asc ? slot <= last : slot >= first; slot += w.asc ? 1 : -1) {
		cJSON *e = sim_world_event(c->store, d, tsl_of(c, d), slot, &at), *o;
		char *os, ts[24];
		if (e == NULL)
			continue;
		if (at < w.start || at > w.end ||
		    (ident != NULL && strcmp(cJSON_GetObjectItem(e, "identifier")->valuestring, ident) != 0) ||
		    (type != NULL && strcmp(cJSON_GetObjectItem(e, "type")->valuestring, type) != 0)) {
			cJSON_Delete(e);
			continue;
		}
		if (n == (size_t)w.size) {
			more = 1;
			next = at;
			cJSON_Delete(e);
			break;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Name", cJSON_GetObjectItem(e, "name")->valuestring);
		snprintf(ts, sizeof ts, "%lld", (long long)at);
		cJSON_AddStringToObject(o, "Time", ts);
		os = cJSON_PrintUnformatted(cJSON_GetObjectItem(e, "output"));
		cJSON_AddStringToObject(o, "OutputData", os);
		free(os);
		cJSON_AddStringToObject(o, "EventType", cJSON_GetObjectItem(e, "type")->valuestring);
		cJSON_AddStringToObject(o, "Identifier", cJSON_GetObjectItem(e, "identifier")->valuestring);
		cJSON_AddItemToArray(arr, o);
		cJSON_Delete(e);
		n++;
	}
	cJSON_AddBoolToObject(data, "NextValid", more);
	if (more)
		cJSON_AddNumberToObject(data, "NextTime", (double)next);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(data, "List"), "EventInfo", arr);
	return 0;
}

static int
query_device_service_data(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const char *ident = sim_arg(c, "Identifier");
	struct window w;
	cJSON *data, *arr;
	const cJSON *hist;
	int i, n, count = 0, more = 0;
	int64_t next = 0;

	if (d == NULL || history_window(c, 50, 0, &w) != 0)
		return -1;
	sim_world_sync(c->store, d);
	data = cJSON_AddObjectToObject(c->out, "Data");
	arr = cJSON_CreateArray();
	hist = d->x != NULL ? d->x->services : NULL;
	n = cJSON_GetArraySize(hist);
	for (i = w.asc ? 0 : n - 1; w.asc ? i < n : i >= 0; i += w.asc ? 1 : -1) {
		const cJSON *h = cJSON_GetArrayItem(hist, i);
		int64_t t = (int64_t)cJSON_GetObjectItem(h, "time")->valuedouble;
		cJSON *o;
		char ts[24];
		if (t < w.start || t > w.end ||
		    (ident != NULL && strcmp(cJSON_GetObjectItem(h, "identifier")->valuestring, ident) != 0))
			continue;
		if (count == w.size) {
			more = 1;
			next = t;
			break;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Name", cJSON_GetObjectItem(h, "name")->valuestring);
		snprintf(ts, sizeof ts, "%lld", (long long)t);
		cJSON_AddStringToObject(o, "Time", ts);
		cJSON_AddStringToObject(o, "OutputData", cJSON_GetObjectItem(h, "out")->valuestring);
		cJSON_AddStringToObject(o, "InputData", cJSON_GetObjectItem(h, "in")->valuestring);
		cJSON_AddStringToObject(o, "Identifier", cJSON_GetObjectItem(h, "identifier")->valuestring);
		cJSON_AddItemToArray(arr, o);
		count++;
	}
	cJSON_AddBoolToObject(data, "NextValid", more);
	if (more)
		cJSON_AddNumberToObject(data, "NextTime", (double)next);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(data, "List"), "ServiceInfo", arr);
	return 0;
}

/* The version of d's desired value of ident: 0 until one is first set (guide 4.12.9). */
static int
desired_version(const struct sim_device *d, const char *ident)
{
	const cJSON *e = d->x != NULL && d->x->desired != NULL ?
	    cJSON_GetObjectItemCaseSensitive(d->x->desired, ident) : NULL;

	return e != NULL ? cJSON_GetObjectItem(e, "version")->valueint : 0;
}

/* SetDeviceDesiredProperty (guide 4.12.9): at most 10 read-write properties, each value
 * of its type (null clears it), no identifier twice; Versions holds the current version
 * of any of them (0 before the first set) and a version that is not the current one
 * refuses the whole call; each value set gets the next version. All or nothing. */
static int
set_device_desired_property(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	cJSON *items = NULL, *versions = NULL, *kv, *newv = NULL;
	struct sim_devx *x;
	const char *dup;
	char *s, *mid;
	int rc = -1;

	if (d == NULL)
		return -1;
	if ((items = parse_items(c, tsl_of(c, d), sim_arg(c, "Items"), 1)) == NULL)
		return -1;
	if (cJSON_GetArraySize(items) > 10) {
		sim_fail(c, "iot.device.TooManyDevicePropertiesPerTime",
		    "at most 10 desired properties per call.");
		goto fail;
	}
	versions = cJSON_Parse(sim_arg(c, "Versions"));
	if (!cJSON_IsObject(versions)) {
		sim_fail(c, "iot.device.InvalidFormattedDevicePropertiesString",
		    "Versions must be a JSON object of identifier: version ({} for none).");
		goto fail;
	}
	if ((dup = duplicate_key(versions)) != NULL) {
		sim_fail(c, "iot.device.InvalidFormattedDevicePropertiesString",
		    "Versions names %s twice.", dup);
		goto fail;
	}
	cJSON_ArrayForEach(kv, items) {
		const cJSON *want = cJSON_GetObjectItemCaseSensitive(versions, kv->string);
		int cur = desired_version(d, kv->string);
		if (want == NULL)
			continue;
		if (!cJSON_IsNumber(want) || want->valuedouble != (double)cur) {
			sim_fail(c, "iot.device.InvalidFormattedDevicePropertiesString",
			    "the desired value of %s is at version %d, not %s.", kv->string, cur,
			    cJSON_IsNumber(want) ? "the one given" : "a number");
			goto fail;
		}
	}
	if (refuse_disabled(c, d) != 0)
		goto fail;
	x = sim_store_devx(d);
	if (x->desired == NULL)
		x->desired = cJSON_CreateObject();
	newv = cJSON_CreateObject();
	cJSON_ArrayForEach(kv, items) {
		int v = desired_version(d, kv->string) + 1;
		cJSON *e = cJSON_CreateObject();
		cJSON_AddItemToObject(e, "value", cJSON_Duplicate(kv, 1));
		cJSON_AddNumberToObject(e, "version", v);
		cJSON_AddNumberToObject(e, "time", (double)sim_store_now(c->store));
		cJSON_DeleteItemFromObjectCaseSensitive(x->desired, kv->string);
		cJSON_AddItemToObject(x->desired, kv->string, e);
		cJSON_AddNumberToObject(newv, kv->string, v);
	}
	/* The desired values are stored in the platform: the write took effect whether or
	 * not the device is connected (it reads them when it comes online). */
	sim_call_target(c, d, SIM_REACH_IF_OK);
	mid = sim_world_message_id(c->store);
	s = cJSON_PrintUnformatted(newv);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(c->out, "Data"), "MessageId", mid);
	cJSON_AddStringToObject(cJSON_GetObjectItem(c->out, "Data"), "Versions", s);
	free(s);
	free(mid);
	rc = 0;
fail:
	cJSON_Delete(items);
	cJSON_Delete(versions);
	cJSON_Delete(newv);
	return rc;
}

/* Adds the DesiredPropertyInfo of read-write property prop of d to arr: its Version (0
 * when never set) and, once a value is set, Value and Time (a value cleared with null
 * keeps its Time and version, without Value). */
static void
add_desired(cJSON *arr, const struct sim_device *d, const cJSON *prop)
{
	const char *ident = cJSON_GetObjectItem(prop, "identifier")->valuestring;
	const cJSON *e = d->x != NULL && d->x->desired != NULL ?
	    cJSON_GetObjectItemCaseSensitive(d->x->desired, ident) : NULL, *v;
	cJSON *o = cJSON_CreateObject();
	char *vs, ts[24];

	cJSON_AddStringToObject(o, "Name", cJSON_GetObjectItem(prop, "name")->valuestring);
	if (e != NULL && !cJSON_IsNull(v = cJSON_GetObjectItem(e, "value"))) {
		vs = sim_world_value_string(v);
		cJSON_AddStringToObject(o, "Value", vs);
		free(vs);
	}
	if (e != NULL) {
		snprintf(ts, sizeof ts, "%lld", (long long)cJSON_GetObjectItem(e, "time")->valuedouble);
		cJSON_AddStringToObject(o, "Time", ts);
	}
	cJSON_AddStringToObject(o, "DataType",
	    cJSON_GetObjectItem(cJSON_GetObjectItem(prop, "dataType"), "type")->valuestring);
	cJSON_AddNumberToObject(o, "Version", desired_version(d, ident));
	cJSON_AddStringToObject(o, "Identifier", ident);
	if (unit_of(prop) != NULL)
		cJSON_AddStringToObject(o, "Unit", unit_of(prop));
	cJSON_AddItemToArray(arr, o);
}

/* QueryDeviceDesiredProperty (guide 4.12.10): at most 10 identifiers, none twice; without
 * any, every property. Read-only properties have no desired value and are left out; a
 * read-write one is listed with its version even before a value is set, so that a
 * client can pass the current version to SetDeviceDesiredProperty. */
static int
query_device_desired_property(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const char **ids;
	size_t k, i, j;
	const cJSON *p;
	cJSON *arr;

	if (d == NULL)
		return -1;
	k = sim_arg_list(c, "Identifier", &ids);
	if (k > 10) {
		free(ids);
		return sim_fail(c, "iot.device.TooManyDevicePropertiesPerTime", "at most 10 identifiers per call.");
	}
	for (i = 0; i < k; i++) {
		for (j = i + 1; j < k; j++) {
			if (strcmp(ids[i], ids[j]) == 0) {
				sim_fail(c, "iot.common.InvalidFormattedParameter", "Identifier %s is given twice.", ids[i]);
				free(ids);
				return -1;
			}
		}
	}
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(c->out, "Data"),
	    "List"), "DesiredPropertyInfo");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl_of(c, d), "properties")) {
		const char *ident = cJSON_GetObjectItem(p, "identifier")->valuestring;
		int wanted = k == 0;
		if (strcmp(cJSON_GetObjectItem(p, "accessMode")->valuestring, "rw") != 0)
			continue;
		for (i = 0; i < k; i++)
			wanted |= strcmp(ids[i], ident) == 0;
		if (wanted)
			add_desired(arr, d, p);
	}
	free(ids);
	return 0;
}

/* d's shadow, made on first use from its current scalar property values. */
static cJSON *
shadow_of(struct sim_call *c, struct sim_device *d)
{
	struct sim_devx *x = sim_store_devx(d);
	cJSON *state, *rep, *meta, *mrep;
	const cJSON *p;
	int64_t now = sim_store_now(c->store), at;

	if (x->shadow != NULL)
		return x->shadow;
	x->shadow = cJSON_CreateObject();
	state = cJSON_AddObjectToObject(x->shadow, "state");
	meta = cJSON_AddObjectToObject(x->shadow, "metadata");
	if (d->active != 0) {
		rep = cJSON_AddObjectToObject(state, "reported");
		mrep = cJSON_AddObjectToObject(meta, "reported");
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl_of(c, d), "properties")) {
			const char *type = cJSON_GetObjectItem(cJSON_GetObjectItem(p, "dataType"), "type")->valuestring;
			cJSON *v, *ts;
			if (strcmp(type, "struct") == 0 || strcmp(type, "array") == 0)
				continue;
			if ((v = sim_world_value(c->store, d, p, now, &at)) == NULL)
				continue;
			cJSON_AddItemToObject(rep, cJSON_GetObjectItem(p, "identifier")->valuestring, v);
			ts = cJSON_CreateObject();
			cJSON_AddNumberToObject(ts, "timestamp", (double)(at / 1000));
			cJSON_AddItemToObject(mrep, cJSON_GetObjectItem(p, "identifier")->valuestring, ts);
		}
	}
	cJSON_AddNumberToObject(x->shadow, "timestamp", (double)(now / 1000));
	cJSON_AddNumberToObject(x->shadow, "version", d->active != 0 ? 1 : 0);
	return x->shadow;
}

static int
get_device_shadow(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	char *s;

	if (d == NULL)
		return -1;
	s = cJSON_PrintUnformatted(shadow_of(c, d));
	cJSON_AddStringToObject(c->out, "ShadowMessage", s);
	free(s);
	return 0;
}

static int
update_device_shadow(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const char *text = sim_arg(c, "ShadowMessage");
	cJSON *msg = NULL, *shadow, *state, *desired, *kv, *sdes, *meta, *mdes;
	const cJSON *method, *ver;
	int delta, rc = -1, cur;
	int64_t now;

	if (d == NULL || sim_arg_bool(c, "DeltaUpdate", 0, &delta) != 0)
		return -1;
	if (strlen(text) > SHADOW_MAX)
		return sim_fail(c, "iot.messagebroker.ShadowMessageLengthIsLarge", "the shadow message is over 16 KB.");
	msg = cJSON_Parse(text);
	if (!cJSON_IsObject(msg)) {
		sim_fail(c, "iot.messagebroker.ShadowMessageIsNotJson", "ShadowMessage is not JSON.");
		goto fail;
	}
	method = cJSON_GetObjectItem(msg, "method");
	if (method == NULL) {
		sim_fail(c, "iot.messagebroker.NotFoundMethodInShadowMessage", "the shadow message has no method.");
		goto fail;
	}
	if (!cJSON_IsString(method) || strcmp(method->valuestring, "update") != 0) {
		sim_fail(c, "iot.messagebroker.MethodValueIsNotUpdate", "method must be update.");
		goto fail;
	}
	if (!cJSON_IsObject(state = cJSON_GetObjectItem(msg, "state"))) {
		sim_fail(c, "iot.messagebroker.NotFoundStateInShadowMessage", "the shadow message has no state.");
		goto fail;
	}
	if ((desired = cJSON_GetObjectItem(state, "desired")) == NULL) {
		sim_fail(c, "iot.messagebroker.NotFoundDesireInShadowMessage", "state has no desired.");
		goto fail;
	}
	if (!cJSON_IsObject(desired)) {
		sim_fail(c, "iot.messagebroker.DesireInfoInShadowMessageIsNotJson", "desired is not a JSON object.");
		goto fail;
	}
	if (desired->child == NULL) {
		sim_fail(c, "iot.messagebroker.NoneElementInDesire", "desired holds no property.");
		goto fail;
	}
	cJSON_ArrayForEach(kv, desired) {
		if (*kv->string == '\0') {
			sim_fail(c, "iot.messagebroker.ElementKeyOrValueIsNullInDesire", "desired holds an empty key.");
			goto fail;
		}
	}
	shadow = shadow_of(c, d);
	cur = cJSON_GetObjectItem(shadow, "version")->valueint;
	ver = cJSON_GetObjectItem(msg, "version");
	if (ver == NULL || cJSON_IsNull(ver)) {
		sim_fail(c, "iot.messagebroker.NotFoundVersionOrNullVersionValue", "the shadow message has no version.");
		goto fail;
	}
	if (!cJSON_IsNumber(ver) || ver->valueint <= cur) {
		sim_fail(c, "iot.messagebroker.InvalidVersionValueInShadowMessage",
		    "version must be greater than the shadow's version %d.", cur);
		goto fail;
	}
	now = sim_store_now(c->store);
	state = cJSON_GetObjectItem(shadow, "state");
	meta = cJSON_GetObjectItem(shadow, "metadata");
	if (!delta || (sdes = cJSON_GetObjectItem(state, "desired")) == NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(state, "desired");
		cJSON_DeleteItemFromObjectCaseSensitive(meta, "desired");
		sdes = cJSON_AddObjectToObject(state, "desired");
	}
	if ((mdes = cJSON_GetObjectItem(meta, "desired")) == NULL)
		mdes = cJSON_AddObjectToObject(meta, "desired");
	cJSON_ArrayForEach(kv, desired) {
		cJSON *ts = cJSON_CreateObject();
		cJSON_DeleteItemFromObjectCaseSensitive(sdes, kv->string);
		cJSON_DeleteItemFromObjectCaseSensitive(mdes, kv->string);
		if (!cJSON_IsNull(kv))
			cJSON_AddItemToObject(sdes, kv->string, cJSON_Duplicate(kv, 1));
		cJSON_AddNumberToObject(ts, "timestamp", (double)(now / 1000));
		cJSON_AddItemToObject(mdes, kv->string, ts);
	}
	cJSON_ReplaceItemInObject(shadow, "version", cJSON_CreateNumber(ver->valueint));
	cJSON_ReplaceItemInObject(shadow, "timestamp", cJSON_CreateNumber((double)(now / 1000)));
	rc = 0;
fail:
	cJSON_Delete(msg);
	return rc;
}

const struct sim_handler sim_use_handlers[] = {
	{ "SetDeviceProperty", set_device_property },
	{ "SetDevicesProperty", set_devices_property },
	{ "InvokeThingService", invoke_thing_service },
	{ "InvokeThingsService", invoke_things_service },
	{ "QueryDevicePropertyStatus", query_device_property_status },
	{ "QueryDevicePropertyData", query_device_property_data },
	{ "QueryDevicePropertiesData", query_device_properties_data },
	{ "QueryDeviceEventData", query_device_event_data },
	{ "QueryDeviceServiceData", query_device_service_data },
	{ "SetDeviceDesiredProperty", set_device_desired_property },
	{ "QueryDeviceDesiredProperty", query_device_desired_property },
	{ "GetDeviceShadow", get_device_shadow },
	{ "UpdateDeviceShadow", update_device_shadow },
	{ NULL, NULL }
};
