/* handler.c — shared handler helpers and the handler lookup. */
#include "sim/handler.h"

#include "core/safetext.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/xmalloc.h"

const struct sim_handler *
sim_handler_find(const char *action)
{
	static const struct sim_handler *const tables[] = { sim_product_handlers,
		sim_device_handlers, sim_group_handlers, sim_thing_handlers, sim_use_handlers, sim_use_query_handlers,
		sim_use_shadow_handlers, sim_ota_fw_handlers, sim_ota_job_handlers, sim_ota_task_handlers };
	const struct sim_handler *h;
	size_t i;

	for (i = 0; i < sizeof tables / sizeof tables[0]; i++)
		for (h = tables[i]; h->action != NULL; h++)
			if (strcmp(h->action, action) == 0)
				return h;
	return NULL;
}

int
sim_fail(struct sim_call *c, const char *code, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	sim_error_set(&c->err, 200, code, "%s", buf_str(&b));
	buf_free(&b);
	return -1;
}

int
sim_gw_fail(struct sim_call *c, int http, const char *code, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	sim_error_set(&c->err, http, code, "%s", buf_str(&b));
	buf_free(&b);
	return -1;
}

const char *
sim_arg(const struct sim_call *c, const char *name)
{
	const char *v = params_get(c->p, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
sim_arg_long(struct sim_call *c, const char *name, long dflt, long min, long max, long *out)
{
	const char *v = sim_arg(c, name);
	char *end;
	long n;

	if (v == NULL) {
		*out = dflt;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v) {
		char *code = xasprintf("Invalid%s", name);
		sim_gw_fail(c, 400, code, "The specified parameter %s is not valid.", name);
		free(code);
		return -1;
	}
	if (n < min || n > max) {
		char *code = xasprintf("Invalid%s", name);
		sim_gw_fail(c, 400, code, "The specified parameter %s is out of range [%ld, %ld].",
		    name, min, max);
		free(code);
		return -1;
	}
	*out = n;
	return 0;
}

int
sim_arg_bool(struct sim_call *c, const char *name, int dflt, int *out)
{
	const char *v = sim_arg(c, name);

	if (v == NULL)
		*out = dflt;
	else if (strcasecmp(v, "true") == 0)
		*out = 1;
	else if (strcasecmp(v, "false") == 0)
		*out = 0;
	else {
		char *code = xasprintf("Invalid%s", name);
		sim_gw_fail(c, 400, code, "The specified parameter %s is not a boolean.", name);
		free(code);
		return -1;
	}
	return 0;
}

int
sim_page_args(struct sim_call *c, long max, long *page, long *size)
{
	if (sim_arg_long(c, "CurrentPage", 1, -2147483647L, 2147483647L, page) != 0 ||
	    sim_arg_long(c, "PageSize", 10, -2147483647L, 2147483647L, size) != 0)
		return -1;
	if (*page < 1 || *size < 1 || *size > max)
		return sim_fail(c, "iot.common.InvalidPageParams", "page size or page number is invalid.");
	return 0;
}

size_t
sim_arg_tag_count(const struct sim_call *c)
{
	char kk[48];
	size_t n;

	for (n = 0;; n++) {
		snprintf(kk, sizeof kk, "Tag.%zu.TagKey", n + 1);
		if (params_get(c->p, kk) == NULL)
			return n;
	}
}

int
sim_tags_match(const struct sim_call *c, size_t ntags,
    const char *(*get)(const void *obj, const char *key), const void *obj)
{
	char kk[48], kv[48];
	const char *want, *have;
	size_t j;

	for (j = 0; j < ntags; j++) {
		snprintf(kk, sizeof kk, "Tag.%zu.TagKey", j + 1);
		snprintf(kv, sizeof kv, "Tag.%zu.TagValue", j + 1);
		want = params_get(c->p, kv);
		have = get(obj, params_get(c->p, kk));
		if (have == NULL || (want != NULL && strcmp(have, want) != 0))
			return 0;
	}
	return 1;
}

size_t
sim_arg_list(const struct sim_call *c, const char *name, const char ***vals)
{
	const char **v = NULL;
	size_t n = 0;
	char key[128];
	const char *s;

	for (;;) {
		snprintf(key, sizeof key, "%s.%zu", name, n + 1);
		if ((s = params_get(c->p, key)) == NULL)
			break;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = s;
	}
	*vals = v;
	return n;
}

void
sim_call_target(struct sim_call *c, const struct sim_device *d, enum sim_reach reach)
{
	uint32_t dev;
	size_t i;

	if (!c->record || d == NULL)
		return;
	dev = sim_store_device_index(c->store, d);
	for (i = 0; i < c->ntargets; i++) {
		if (c->targets[i].dev == dev) {
			c->targets[i].reach = reach;
			return;
		}
	}
	c->targets = xreallocarray(c->targets, c->ntargets + 1, sizeof *c->targets);
	c->targets[c->ntargets].dev = dev;
	c->targets[c->ntargets++].reach = reach;
}

struct sim_product *
sim_need_product(struct sim_call *c)
{
	const char *pk = sim_arg(c, "ProductKey");
	struct sim_product *p;

	if (pk == NULL) {
		sim_fail(c, "iot.prod.NullProductKey", "productKey is null.");
		return NULL;
	}
	if ((p = sim_store_product(c->store, pk)) == NULL)
		sim_fail(c, "iot.prod.NotExistedProduct", "product does not exist.");
	return p;
}

struct sim_device *
sim_need_device(struct sim_call *c, const char *iotid_name)
{
	const char *iotid = sim_arg(c, iotid_name);
	const char *pk = sim_arg(c, "ProductKey"), *dn = sim_arg(c, "DeviceName");
	struct sim_product *p;
	struct sim_device *d;

	if (iotid != NULL) {
		if ((d = sim_store_device_by_iotid(c->store, iotid)) == NULL)
			sim_fail(c, "iot.device.NotExistedDevice", "device does not exist.");
		sim_call_target(c, d, SIM_REACH_IF_OK);
		return d;
	}
	if (pk == NULL) {
		sim_fail(c, "iot.prod.NullProductKey", "productKey is null.");
		return NULL;
	}
	if (dn == NULL) {
		sim_fail(c, "iot.device.NullDeviceName", "deviceName is null.");
		return NULL;
	}
	if ((p = sim_store_product(c->store, pk)) == NULL) {
		sim_fail(c, "iot.prod.NotExistedProduct", "product does not exist.");
		return NULL;
	}
	d = sim_store_device_by_name(c->store, (size_t)(p - c->store->products), dn);
	if (d == NULL)
		sim_fail(c, "iot.device.NotExistedDevice", "device does not exist.");
	sim_call_target(c, d, SIM_REACH_IF_OK);
	return d;
}

static void
split_time(int64_t ms, int64_t shift_s, struct tm *tm, int *millis)
{
	time_t t = (time_t)(ms / 1000) + (time_t)shift_s;

	gmtime_r(&t, tm);
	*millis = (int)(ms % 1000);
}

void
sim_fmt_utc(int64_t ms, char out[32])
{
	struct tm tm;
	int milli;
	char tmp[96];

	split_time(ms, 0, &tm, &milli);
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, milli);
	snprintf(out, 32, "%.31s", tmp);
}

void
sim_fmt_local(int64_t ms, char out[32])
{
	struct tm tm;
	int milli;
	char tmp[96];

	split_time(ms, 8 * 3600, &tm, &milli);
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	snprintf(out, 32, "%.31s", tmp);
}

void
sim_fmt_gmt(int64_t ms, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	int milli;
	char tmp[96];

	split_time(ms, 0, &tm, &milli);
	snprintf(tmp, sizeof tmp, "%s, %02d-%s-%04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
	    tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	snprintf(out, 40, "%.39s", tmp);
}

void
sim_add_str(cJSON *o, const char *name, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, name, s);
}

void
sim_add_time(cJSON *o, const char *name, int64_t ms, int fmt)
{
	char buf[40];

	if (ms == 0)
		return;
	if (fmt == 0)
		sim_fmt_utc(ms, buf);
	else if (fmt == 1)
		sim_fmt_local(ms, buf);
	else
		sim_fmt_gmt(ms, buf);
	cJSON_AddStringToObject(o, name, buf);
}

int
sim_name_width(const char *s, const char *extra, int cjk_only)
{
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;
	int w = 0;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return -1;
		if (cp < 0x80) {
			if (!((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
			    (cp >= '0' && cp <= '9') || (cp != 0 && strchr(extra, (int)cp) != NULL)))
				return -1;
			w += 1;
		} else if (cjk_only ? !(cp >= 0x4E00 && cp <= 0x9FFF) : safetext_is_unsafe(cp))
			return -1;
		else
			w += 2;
		i += n;
	}
	return w;
}

void
sim_add_paging(cJSON *o, const char *page_name, long page, long size, size_t total)
{
	cJSON_AddNumberToObject(o, "PageCount", (double)((total + (size_t)size - 1) / (size_t)size));
	cJSON_AddNumberToObject(o, "PageSize", (double)size);
	cJSON_AddNumberToObject(o, page_name, (double)page);
	cJSON_AddNumberToObject(o, "Total", (double)total);
}
