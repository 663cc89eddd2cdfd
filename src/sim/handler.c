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

/* The parts of a time (ms since the epoch, moved by shift_s seconds) that the formats
 * below print. Civil calendar from days (H. Hinnant's days_from_civil, inverted) rather
 * than gmtime_r, which takes glibc's time zone lock: a QueryDevice page formats 200
 * times, and this runs on every link of a NextToken chain. */
struct when {
	int year, mon, mday, hour, min, sec, msec, wday;	/* mon 1-12, wday 0 = Sunday */
};

static void
split_time(int64_t ms, int64_t shift_s, struct when *w)
{
	int64_t t = ms / 1000 + shift_s, days, secs, era, doe, yoe, doy, mp, y;

	w->msec = (int)(ms % 1000);
	if (w->msec < 0) {
		w->msec += 1000;
		t--;
	}
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	w->hour = (int)(secs / 3600);
	w->min = (int)(secs / 60 % 60);
	w->sec = (int)(secs % 60);
	w->wday = (int)(((days % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	w->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	w->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	y = yoe + era * 400 + (w->mon <= 2);
	w->year = (int)(y < 0 ? 0 : y > 9999 ? 9999 : y);
}

/* Writes v as `width` digits (zero-padded) at p; returns the end. */
static char *
put_digits(char *p, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* "YYYY-MM-DD" then sep then "hh:mm:ss" at p; returns the end. */
static char *
put_date_time(char *p, const struct when *w, char sep)
{
	p = put_digits(p, w->year, 4);
	*p++ = '-';
	p = put_digits(p, w->mon, 2);
	*p++ = '-';
	p = put_digits(p, w->mday, 2);
	*p++ = sep;
	p = put_digits(p, w->hour, 2);
	*p++ = ':';
	p = put_digits(p, w->min, 2);
	*p++ = ':';
	return put_digits(p, w->sec, 2);
}

void
sim_fmt_utc(int64_t ms, char out[32])
{
	struct when w;
	char *p;

	split_time(ms, 0, &w);
	p = put_date_time(out, &w, 'T');
	*p++ = '.';
	p = put_digits(p, w.msec, 3);
	memcpy(p, "Z", 2);
}

void
sim_fmt_local(int64_t ms, char out[32])
{
	struct when w;

	split_time(ms, 8 * 3600, &w);
	*put_date_time(out, &w, ' ') = '\0';
}

void
sim_fmt_gmt(int64_t ms, char out[40])
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct when w;
	char *p = out;

	split_time(ms, 0, &w);
	memcpy(p, days + 3 * w.wday, 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	p = put_digits(p, w.mday, 2);
	*p++ = '-';
	memcpy(p, months + 3 * (w.mon - 1), 3);
	p += 3;
	*p++ = '-';
	p = put_digits(p, w.year, 4);
	*p++ = ' ';
	p = put_digits(p, w.hour, 2);
	*p++ = ':';
	p = put_digits(p, w.min, 2);
	*p++ = ':';
	p = put_digits(p, w.sec, 2);
	memcpy(p, " GMT", 5);
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
