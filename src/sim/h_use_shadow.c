/* h_use_shadow.c — desired properties (guide 4.12) and the device shadow (4.19). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "sim/h_use.h"
#include "sim/handler.h"
#include "sim/tsl.h"
#include "sim/world.h"

/* Largest shadow document (bytes). */
#define SHADOW_MAX 16384

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
	if ((items = sim_use_parse_items(c, sim_use_tsl(c, d), sim_arg(c, "Items"), 1)) == NULL)
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
	if ((dup = sim_use_duplicate_key(versions)) != NULL) {
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
	if (sim_use_refuse_disabled(c, d) != 0)
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
	if (sim_use_unit(prop) != NULL)
		cJSON_AddStringToObject(o, "Unit", sim_use_unit(prop));
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
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(sim_use_tsl(c, d), "properties")) {
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
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(sim_use_tsl(c, d), "properties")) {
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

const struct sim_handler sim_use_shadow_handlers[] = {
	{ ACT_SetDeviceDesiredProperty, set_device_desired_property },
	{ ACT_QueryDeviceDesiredProperty, query_device_desired_property },
	{ ACT_GetDeviceShadow, get_device_shadow },
	{ ACT_UpdateDeviceShadow, update_device_shadow },
	{ NULL, NULL }
};
