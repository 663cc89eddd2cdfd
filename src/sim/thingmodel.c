/* thingmodel.c — TSL <-> ThingModelJson (see thingmodel.h). */
#include "sim/thingmodel.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "sim/tsl.h"

static const char *const type_pairs[][2] = {
	{ "int", "INT" }, { "float", "FLOAT" }, { "double", "DOUBLE" }, { "enum", "ENUM" },
	{ "bool", "BOOL" }, { "text", "TEXT" }, { "date", "DATE" }, { "struct", "STRUCT" },
	{ "array", "ARRAY" },
};

static const char *
upper_type(const char *t)
{
	size_t i;

	for (i = 0; i < sizeof type_pairs / sizeof type_pairs[0]; i++)
		if (strcmp(type_pairs[i][0], t) == 0)
			return type_pairs[i][1];
	return "TEXT";
}

static const char *
lower_type(const char *t)
{
	size_t i;

	if (t != NULL && strcmp(t, "BOOLEAN") == 0)
		return "bool";
	for (i = 0; i < sizeof type_pairs / sizeof type_pairs[0]; i++)
		if (t != NULL && strcmp(type_pairs[i][1], t) == 0)
			return type_pairs[i][0];
	return NULL;
}

static const char *
str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Adds dataSpecs or dataSpecsList describing the TSL dataType dt to o. */
static void
specs_to_model(cJSON *o, const cJSON *dt)
{
	const char *t = str(dt, "type");
	const cJSON *sp = cJSON_GetObjectItem(dt, "specs"), *c;
	cJSON *ds, *list;

	if (t == NULL)
		return;
	if (strcmp(t, "enum") == 0 || strcmp(t, "bool") == 0) {
		list = cJSON_AddArrayToObject(o, "dataSpecsList");
		cJSON_ArrayForEach(c, sp) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "dataType", upper_type(t));
			cJSON_AddStringToObject(e, "name", cJSON_IsString(c) ? c->valuestring : "");
			cJSON_AddNumberToObject(e, "value", atoi(c->string));
			cJSON_AddBoolToObject(e, "custom", 1);
			cJSON_AddItemToArray(list, e);
		}
	} else if (strcmp(t, "struct") == 0) {
		list = cJSON_AddArrayToObject(o, "dataSpecsList");
		cJSON_ArrayForEach(c, sp) {
			const cJSON *cdt = cJSON_GetObjectItem(c, "dataType");
			cJSON *m = cJSON_CreateObject();
			cJSON_AddStringToObject(m, "dataType", "STRUCT");
			cJSON_AddStringToObject(m, "identifier", str(c, "identifier") ? str(c, "identifier") : "");
			cJSON_AddStringToObject(m, "name", str(c, "name") ? str(c, "name") : "");
			cJSON_AddStringToObject(m, "childName", str(c, "name") ? str(c, "name") : "");
			cJSON_AddStringToObject(m, "childDataType", upper_type(str(cdt, "type") ? str(cdt, "type") : "text"));
			cJSON_AddBoolToObject(m, "custom", 1);
			specs_to_model(m, cdt);
			cJSON_AddItemToArray(list, m);
		}
	} else if (strcmp(t, "array") == 0) {
		const cJSON *item = cJSON_GetObjectItem(sp, "item");
		const char *it = str(item, "type") ? str(item, "type") : "int";
		ds = cJSON_AddObjectToObject(o, "dataSpecs");
		cJSON_AddStringToObject(ds, "dataType", "ARRAY");
		cJSON_AddNumberToObject(ds, "size", atoi(str(sp, "size") ? str(sp, "size") : "1"));
		cJSON_AddStringToObject(ds, "childDataType", upper_type(it));
		cJSON_AddBoolToObject(ds, "custom", 1);
		specs_to_model(ds, item);
	} else {
		ds = cJSON_AddObjectToObject(o, "dataSpecs");
		cJSON_AddStringToObject(ds, "dataType", upper_type(t));
		if (strcmp(t, "text") == 0)
			cJSON_AddNumberToObject(ds, "length", atoi(str(sp, "length") ? str(sp, "length") : "2048"));
		else if (strcmp(t, "date") != 0) {
			static const char *const keys[] = { "min", "max", "step", "unit", "unitName" };
			size_t i;
			for (i = 0; i < 5; i++)
				if (str(sp, keys[i]) != NULL)
					cJSON_AddStringToObject(ds, keys[i], str(sp, keys[i]));
		}
		cJSON_AddBoolToObject(ds, "custom", 1);
	}
}

static cJSON *
params_to_model(const cJSON *params, const char *direction)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *p;
	int order = 0;

	cJSON_ArrayForEach(p, params) {
		const cJSON *dt = cJSON_GetObjectItem(p, "dataType");
		cJSON *m;
		if (!cJSON_IsObject(p))
			continue;	/* the get service lists bare identifiers */
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "identifier", str(p, "identifier") ? str(p, "identifier") : "");
		cJSON_AddStringToObject(m, "name", str(p, "name") ? str(p, "name") : "");
		cJSON_AddStringToObject(m, "dataType", upper_type(str(dt, "type") ? str(dt, "type") : "text"));
		cJSON_AddStringToObject(m, "direction", direction);
		cJSON_AddNumberToObject(m, "paraOrder", order++);
		cJSON_AddBoolToObject(m, "custom", 1);
		specs_to_model(m, dt);
		cJSON_AddItemToArray(out, m);
	}
	return out;
}

cJSON *
sim_thingmodel_from_tsl(const cJSON *tsl, const char *pk, const char *version, int64_t created)
{
	cJSON *m = cJSON_CreateObject(), *ppk, *props, *svcs, *evts;
	const cJSON *p;

	cJSON_AddStringToObject(m, "productKey", pk);
	ppk = cJSON_AddObjectToObject(m, "_ppk");
	cJSON_AddStringToObject(ppk, "version", version);
	props = cJSON_AddArrayToObject(m, "properties");
	svcs = cJSON_AddArrayToObject(m, "services");
	evts = cJSON_AddArrayToObject(m, "events");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl, "properties")) {
		const cJSON *dt = cJSON_GetObjectItem(p, "dataType");
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "productKey", pk);
		cJSON_AddNumberToObject(o, "createTs", (double)created);
		cJSON_AddStringToObject(o, "identifier", str(p, "identifier"));
		cJSON_AddStringToObject(o, "name", str(p, "name") ? str(p, "name") : "");
		cJSON_AddStringToObject(o, "dataType", upper_type(str(dt, "type") ? str(dt, "type") : "text"));
		cJSON_AddStringToObject(o, "rwFlag", str(p, "accessMode") != NULL &&
		    strcmp(str(p, "accessMode"), "rw") == 0 ? "READ_WRITE" : "READ_ONLY");
		cJSON_AddBoolToObject(o, "required", cJSON_IsTrue(cJSON_GetObjectItem(p, "required")));
		cJSON_AddBoolToObject(o, "custom", 1);
		cJSON_AddBoolToObject(o, "std", 0);
		specs_to_model(o, dt);
		cJSON_AddItemToArray(props, o);
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl, "services")) {
		const char *id = str(p, "identifier");
		cJSON *o;
		if (id == NULL || strcmp(id, "set") == 0 || strcmp(id, "get") == 0)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "productKey", pk);
		cJSON_AddNumberToObject(o, "createTs", (double)created);
		cJSON_AddStringToObject(o, "identifier", id);
		cJSON_AddStringToObject(o, "serviceName", str(p, "name") ? str(p, "name") : "");
		cJSON_AddStringToObject(o, "callType", str(p, "callType") != NULL &&
		    strcmp(str(p, "callType"), "sync") == 0 ? "SYNC" : "ASYNC");
		cJSON_AddBoolToObject(o, "required", cJSON_IsTrue(cJSON_GetObjectItem(p, "required")));
		cJSON_AddBoolToObject(o, "custom", 1);
		cJSON_AddItemToObject(o, "inputParams", params_to_model(cJSON_GetObjectItem(p, "inputData"), "PARAM_INPUT"));
		cJSON_AddItemToObject(o, "outputParams", params_to_model(cJSON_GetObjectItem(p, "outputData"), "PARAM_OUTPUT"));
		cJSON_AddItemToArray(svcs, o);
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl, "events")) {
		const char *id = str(p, "identifier"), *ty = str(p, "type");
		cJSON *o;
		if (id == NULL || strcmp(id, "post") == 0)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "productKey", pk);
		cJSON_AddNumberToObject(o, "createTs", (double)created);
		cJSON_AddStringToObject(o, "identifier", id);
		cJSON_AddStringToObject(o, "eventName", str(p, "name") ? str(p, "name") : "");
		cJSON_AddStringToObject(o, "eventType", ty != NULL && strcmp(ty, "alert") == 0 ? "ALERT_EVENT_TYPE"
		    : ty != NULL && strcmp(ty, "error") == 0 ? "ERROR_EVENT_TYPE" : "INFO_EVENT_TYPE");
		cJSON_AddBoolToObject(o, "required", cJSON_IsTrue(cJSON_GetObjectItem(p, "required")));
		cJSON_AddBoolToObject(o, "custom", 1);
		cJSON_AddItemToObject(o, "outputdata", params_to_model(cJSON_GetObjectItem(p, "outputData"), "PARAM_OUTPUT"));
		cJSON_AddItemToArray(evts, o);
	}
	return m;
}

int
sim_thingmodel_identifier_ok(const char *id)
{
	static const char *const reserved[] = { "set", "get", "post", "property", "event",
		"time", "value" };
	size_t n, i;

	if (id == NULL)
		return 0;
	n = strlen(id);
	if (n == 0 || n > 50 ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n)
		return 0;
	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcmp(id, reserved[i]) == 0)
			return 0;
	return 1;
}

static const char *
num_str(const cJSON *o, const char *name, char buf[32])
{
	const cJSON *v = cJSON_GetObjectItem(o, name);

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		snprintf(buf, 32, "%g", v->valuedouble);
		return buf;
	}
	return NULL;
}

/* type: upper-case data type; ds: its dataSpecs; dsl: its dataSpecsList. */
static cJSON *
datatype(const char *type, const cJSON *ds, const cJSON *dsl, int depth, char **cause)
{
	const char *t = lower_type(type);
	cJSON *dt, *sp;
	const cJSON *c;
	char b1[32];

	if (t == NULL) {
		*cause = xasprintf("unknown dataType %s", type != NULL ? type : "(none)");
		return NULL;
	}
	if (depth > 2) {
		*cause = xstrdup("STRUCT and ARRAY nest at most two levels");
		return NULL;
	}
	dt = cJSON_CreateObject();
	cJSON_AddStringToObject(dt, "type", t);
	if (strcmp(t, "enum") == 0 || strcmp(t, "bool") == 0) {
		sp = cJSON_AddObjectToObject(dt, "specs");
		if (!cJSON_IsArray(dsl) || cJSON_GetArraySize(dsl) == 0) {
			*cause = xasprintf("%s needs dataSpecsList", type);
			goto fail;
		}
		cJSON_ArrayForEach(c, dsl) {
			const cJSON *v = cJSON_GetObjectItem(c, "value");
			if (!cJSON_IsNumber(v) || str(c, "name") == NULL) {
				*cause = xstrdup("dataSpecsList items need name and value");
				goto fail;
			}
			snprintf(b1, sizeof b1, "%d", v->valueint);
			cJSON_AddStringToObject(sp, b1, str(c, "name"));
		}
	} else if (strcmp(t, "struct") == 0) {
		sp = cJSON_AddArrayToObject(dt, "specs");
		if (!cJSON_IsArray(dsl) || cJSON_GetArraySize(dsl) == 0) {
			*cause = xstrdup("STRUCT needs dataSpecsList");
			goto fail;
		}
		cJSON_ArrayForEach(c, dsl) {
			cJSON *m, *cdt;
			if (!sim_thingmodel_identifier_ok(str(c, "identifier"))) {
				*cause = xstrdup("STRUCT member identifier is invalid");
				goto fail;
			}
			cdt = datatype(str(c, "childDataType"), cJSON_GetObjectItem(c, "dataSpecs"),
			    cJSON_GetObjectItem(c, "dataSpecsList"), depth + 1, cause);
			if (cdt == NULL)
				goto fail;
			m = cJSON_CreateObject();
			cJSON_AddStringToObject(m, "identifier", str(c, "identifier"));
			cJSON_AddStringToObject(m, "name", str(c, "childName") ? str(c, "childName")
			    : str(c, "name") ? str(c, "name") : "");
			cJSON_AddItemToObject(m, "dataType", cdt);
			cJSON_AddItemToArray(sp, m);
		}
	} else if (strcmp(t, "array") == 0) {
		const cJSON *size = cJSON_GetObjectItem(ds, "size");
		cJSON *item;
		if (!cJSON_IsObject(ds) || !(cJSON_IsNumber(size) || cJSON_IsString(size))) {
			*cause = xstrdup("ARRAY needs dataSpecs with size and childDataType");
			goto fail;
		}
		item = datatype(str(ds, "childDataType"), cJSON_GetObjectItem(ds, "dataSpecs"),
		    cJSON_GetObjectItem(ds, "dataSpecsList"), depth + 1, cause);
		if (item == NULL)
			goto fail;
		sp = cJSON_AddObjectToObject(dt, "specs");
		cJSON_AddStringToObject(sp, "size", num_str(ds, "size", b1));
		cJSON_AddItemToObject(sp, "item", item);
	} else if (strcmp(t, "text") == 0) {
		const cJSON *len = cJSON_GetObjectItem(ds, "length");
		sp = cJSON_AddObjectToObject(dt, "specs");
		if (cJSON_IsNumber(len) && (len->valueint < 1 || len->valueint > 2048)) {
			*cause = xstrdup("TEXT length must be 1..2048");
			goto fail;
		}
		snprintf(b1, sizeof b1, "%d", cJSON_IsNumber(len) ? len->valueint : 2048);
		cJSON_AddStringToObject(sp, "length", b1);
	} else if (strcmp(t, "date") == 0) {
		cJSON_AddObjectToObject(dt, "specs");
	} else {
		static const char *const keys[] = { "min", "max", "step", "unit", "unitName" };
		size_t i;
		char b[32];
		sp = cJSON_AddObjectToObject(dt, "specs");
		if (num_str(ds, "min", b) == NULL || num_str(ds, "max", b1) == NULL) {
			*cause = xasprintf("%s needs dataSpecs with min and max", type);
			goto fail;
		}
		if (strtod(b, NULL) > strtod(b1, NULL)) {
			*cause = xstrdup("min is greater than max");
			goto fail;
		}
		for (i = 0; i < 5; i++)
			if (num_str(ds, keys[i], b) != NULL)
				cJSON_AddStringToObject(sp, keys[i], num_str(ds, keys[i], b));
	}
	return dt;
fail:
	cJSON_Delete(dt);
	return NULL;
}

cJSON *
sim_thingmodel_datatype(const cJSON *holder, char **cause)
{
	return datatype(str(holder, "dataType"), cJSON_GetObjectItem(holder, "dataSpecs"),
	    cJSON_GetObjectItem(holder, "dataSpecsList"), 1, cause);
}

/* Starts the TSL form of the thing-model item p (a property, or a parameter of a service
 * or event): checks its identifier (*cause = bad_id when it is invalid) and converts its
 * dataType into *dt (owned by the caller). Returns {identifier, name}, or NULL with *cause
 * set. */
static cJSON *
item_start(const cJSON *p, const char *bad_id, cJSON **dt, char **cause)
{
	cJSON *o;

	if (!sim_thingmodel_identifier_ok(str(p, "identifier"))) {
		*cause = xstrdup(bad_id);
		return NULL;
	}
	if ((*dt = sim_thingmodel_datatype(p, cause)) == NULL)
		return NULL;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "identifier", str(p, "identifier"));
	cJSON_AddStringToObject(o, "name", str(p, "name") ? str(p, "name") : str(p, "identifier"));
	return o;
}

static cJSON *
params_from_model(const cJSON *params, char **cause)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *p;

	cJSON_ArrayForEach(p, params) {
		cJSON *dt, *o;
		if ((o = item_start(p, "parameter identifier is invalid", &dt, cause)) == NULL)
			goto fail;
		cJSON_AddItemToObject(o, "dataType", dt);
		cJSON_AddItemToArray(out, o);
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

/* One array of the items ("properties", ...), accepting a single object too (the guide's
 * examples pass "properties": {...}). */
static cJSON *
as_array(const cJSON *items, const char *kind)
{
	const cJSON *v = cJSON_GetObjectItem(items, kind);

	if (cJSON_IsArray(v))
		return cJSON_Duplicate(v, 1);
	if (cJSON_IsObject(v)) {
		cJSON *a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, cJSON_Duplicate(v, 1));
		return a;
	}
	return cJSON_CreateArray();
}

static int
put(cJSON *arr, cJSON *item, int replace, char **cause)
{
	const char *id = str(item, "identifier");
	int i = 0;
	const cJSON *c;

	cJSON_ArrayForEach(c, arr) {
		if (str(c, "identifier") != NULL && strcmp(str(c, "identifier"), id) == 0) {
			if (!replace) {
				*cause = xasprintf("identifier %s already exists", id);
				cJSON_Delete(item);
				return -1;
			}
			cJSON_ReplaceItemInArray(arr, i, item);
			return 0;
		}
		i++;
	}
	if (replace) {
		*cause = xasprintf("identifier %s does not exist", id);
		cJSON_Delete(item);
		return -1;
	}
	cJSON_AddItemToArray(arr, item);
	return 0;
}

int
sim_thingmodel_apply(cJSON *tsl, const cJSON *items, int replace, char **cause)
{
	cJSON *work = cJSON_Duplicate(tsl, 1), *props = as_array(items, "properties");
	cJSON *svcs = as_array(items, "services"), *evts = as_array(items, "events");
	const cJSON *p;
	int rc = -1, count = 0;

	cJSON_ArrayForEach(p, props) {
		cJSON *o, *dt;
		const char *rw = str(p, "rwFlag");
		if ((o = item_start(p, "property identifier is invalid: 1-50 of A-Z a-z 0-9 _, not a reserved word",
		    &dt, cause)) == NULL)
			goto fail;
		cJSON_AddStringToObject(o, "accessMode", rw != NULL && strcmp(rw, "READ_ONLY") == 0 ? "r" : "rw");
		cJSON_AddBoolToObject(o, "required", cJSON_IsTrue(cJSON_GetObjectItem(p, "required")));
		cJSON_AddItemToObject(o, "dataType", dt);
		if (put(cJSON_GetObjectItem(work, "properties"), o, replace, cause) != 0)
			goto fail;
		count++;
	}
	cJSON_ArrayForEach(p, svcs) {
		cJSON *o, *in, *out;
		const char *ct = str(p, "callType");
		if (!sim_thingmodel_identifier_ok(str(p, "identifier"))) {
			*cause = xstrdup("service identifier is invalid");
			goto fail;
		}
		if ((in = params_from_model(cJSON_GetObjectItem(p, "inputParams"), cause)) == NULL)
			goto fail;
		if ((out = params_from_model(cJSON_GetObjectItem(p, "outputParams"), cause)) == NULL) {
			cJSON_Delete(in);
			goto fail;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "identifier", str(p, "identifier"));
		cJSON_AddStringToObject(o, "name", str(p, "serviceName") ? str(p, "serviceName") : str(p, "identifier"));
		cJSON_AddBoolToObject(o, "required", 0);
		cJSON_AddStringToObject(o, "callType", ct != NULL && strcmp(ct, "SYNC") == 0 ? "sync" : "async");
		cJSON_AddItemToObject(o, "inputData", in);
		cJSON_AddItemToObject(o, "outputData", out);
		if (put(cJSON_GetObjectItem(work, "services"), o, replace, cause) != 0)
			goto fail;
		count++;
	}
	cJSON_ArrayForEach(p, evts) {
		cJSON *o, *out;
		const char *et = str(p, "eventType");
		if (!sim_thingmodel_identifier_ok(str(p, "identifier"))) {
			*cause = xstrdup("event identifier is invalid");
			goto fail;
		}
		if ((out = params_from_model(cJSON_GetObjectItem(p, "outputdata"), cause)) == NULL)
			goto fail;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "identifier", str(p, "identifier"));
		cJSON_AddStringToObject(o, "name", str(p, "eventName") ? str(p, "eventName") : str(p, "identifier"));
		cJSON_AddStringToObject(o, "type", et != NULL && strcmp(et, "ALERT_EVENT_TYPE") == 0 ? "alert"
		    : et != NULL && strcmp(et, "ERROR_EVENT_TYPE") == 0 ? "error" : "info");
		cJSON_AddBoolToObject(o, "required", 0);
		cJSON_AddItemToObject(o, "outputData", out);
		if (put(cJSON_GetObjectItem(work, "events"), o, replace, cause) != 0)
			goto fail;
		count++;
	}
	if (count == 0) {
		*cause = xstrdup("ThingModelJson holds no properties, services or events");
		goto fail;
	}
	/* Commit: swap the contents of work into tsl. */
	{
		cJSON *k;
		while ((k = tsl->child) != NULL)
			cJSON_Delete(cJSON_DetachItemViaPointer(tsl, k));
		while ((k = work->child) != NULL)
			cJSON_AddItemToObject(tsl, k->string, cJSON_DetachItemViaPointer(work, k));
	}
	rc = 0;
fail:
	cJSON_Delete(work);
	cJSON_Delete(props);
	cJSON_Delete(svcs);
	cJSON_Delete(evts);
	return rc;
}
