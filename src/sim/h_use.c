/* h_use.c — thing-model use (guide 4.12): setting properties and calling services, and
 * what the h_use_*.c files share (h_use.h). Values and history come from world.c; sets
 * and service calls go through it too. Queries of values and history are in
 * h_use_query.c, desired properties and the device shadow (4.19) in h_use_shadow.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "sim/h_use.h"
#include "sim/handler.h"
#include "sim/tsl.h"
#include "sim/world.h"

/* Largest Items/Args text accepted. */
#define ITEMS_MAX 4096


const cJSON *
sim_use_tsl(const struct sim_call *c, const struct sim_device *d)
{
	return c->store->products[d->product].tsl;
}

/* A disabled device cannot connect and nothing can be done with it (guide 4.8.12). The
 * guide gives no code for the refusal; a disabled device is never connected: OFFLINE. */
int
sim_use_refuse_disabled(struct sim_call *c, const struct sim_device *d)
{
	if (d->disabled)
		return sim_fail(c, "iot.messagebroker.OFFLINE", "the device is disabled.");
	return 0;
}

/* Whether the JSON object o names a member twice (cJSON keeps both). */
const char *
sim_use_duplicate_key(const cJSON *o)
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
	if ((dup = sim_use_duplicate_key(items)) != NULL) {
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
cJSON *
sim_use_parse_items(struct sim_call *c, const cJSON *tsl, const char *text, int allow_null)
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
	if ((items = sim_use_parse_items(c, sim_use_tsl(c, d), sim_arg(c, "Items"), 0)) == NULL)
		return -1;
	if (sim_use_refuse_disabled(c, d) != 0) {
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
	if ((items = sim_use_parse_items(c, p->tsl, sim_arg(c, "Items"), 0)) == NULL) {
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
	if ((dup = sim_use_duplicate_key(args)) != NULL) {
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
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(sim_use_tsl(c, d), "properties")) {
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
	if ((svc = sim_tsl_find(sim_use_tsl(c, d), "services", ident)) == NULL)
		return sim_fail(c, "iot.device.InvokeThingServiceFailed", "service %s is not defined in the thing model.", ident);
	if ((args = parse_args(c, svc, params_get(c->p, "Args"))) == NULL)
		return -1;
	if (sim_use_refuse_disabled(c, d) != 0) {
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

const char *
sim_use_unit(const cJSON *prop)
{
	const cJSON *u = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(prop, "dataType"),
	    "specs"), "unit");

	return cJSON_IsString(u) ? u->valuestring : NULL;
}

const struct sim_handler sim_use_handlers[] = {
	{ ACT_SetDeviceProperty, set_device_property },
	{ ACT_SetDevicesProperty, set_devices_property },
	{ ACT_InvokeThingService, invoke_thing_service },
	{ ACT_InvokeThingsService, invoke_things_service },
	{ NULL, NULL }
};
