/* h_use_query.c — thing-model queries (guide 4.12): a device's property values now and
 * their history, its events and service calls. The values come from world.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "sim/h_use.h"
#include "sim/handler.h"
#include "sim/tsl.h"
#include "sim/world.h"

/* History queries look back at most 30 days. */
#define HISTORY_MS (30LL * 24 * 3600 * 1000)

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
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(sim_use_tsl(c, d), "properties")) {
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
		if (sim_use_unit(p) != NULL)
			cJSON_AddStringToObject(o, "Unit", sim_use_unit(p));
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
	prop = sim_tsl_find(sim_use_tsl(c, d), "properties", sim_arg(c, "Identifier"));
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
		const cJSON *prop = sim_tsl_find(sim_use_tsl(c, d), "properties", ids[i]);
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
		cJSON *e = sim_world_event(c->store, d, sim_use_tsl(c, d), slot, &at), *o;
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

const struct sim_handler sim_use_query_handlers[] = {
	{ ACT_QueryDevicePropertyStatus, query_device_property_status },
	{ ACT_QueryDevicePropertyData, query_device_property_data },
	{ ACT_QueryDevicePropertiesData, query_device_properties_data },
	{ ACT_QueryDeviceEventData, query_device_event_data },
	{ ACT_QueryDeviceServiceData, query_device_service_data },
	{ NULL, NULL }
};
