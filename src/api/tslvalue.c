/* tslvalue.c — thing-model values: checked, encoded, shown (see tslvalue.h). */
#include "api/tslvalue.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"

/* ---- describing a type ------------------------------------------------------------- */

static void
describe(struct buf *b, const struct tsl_datatype *dt, int depth)
{
	size_t i;

	buf_adds(b, model_tsl_type_name(dt->type));
	switch (dt->type) {
	case TSL_TYPE_INT:
	case TSL_TYPE_FLOAT:
	case TSL_TYPE_DOUBLE:
		if (dt->min != NULL || dt->max != NULL)
			buf_addf(b, " %s..%s", dt->min ? dt->min : "", dt->max ? dt->max : "");
		if (dt->step != NULL)
			buf_addf(b, ", step %s", dt->step);
		if (dt->unit != NULL && *dt->unit != '\0')
			buf_addf(b, ", %s", dt->unit);
		break;
	case TSL_TYPE_BOOL:
	case TSL_TYPE_ENUM:
		for (i = 0; i < dt->enum_count; i++)
			buf_addf(b, "%s %lld %s", i ? "," : "", (long long)dt->enums[i].value,
			    dt->enums[i].name ? dt->enums[i].name : "");
		break;
	case TSL_TYPE_TEXT:
		buf_addf(b, " up to %lld bytes", (long long)(dt->length > 0 ? dt->length :
		    TSL_TEXT_MAX));
		break;
	case TSL_TYPE_DATE:
		buf_adds(b, " (epoch ms or a time)");
		break;
	case TSL_TYPE_STRUCT:
		buf_adds(b, " {");
		for (i = 0; i < dt->member_count && depth < 2; i++) {
			buf_addf(b, "%s%s ", i ? ", " : "", dt->members[i].identifier ?
			    dt->members[i].identifier : "?");
			describe(b, &dt->members[i].type, depth + 1);
		}
		buf_adds(b, "}");
		break;
	case TSL_TYPE_ARRAY:
		buf_addf(b, " of up to %lld ", (long long)dt->array_size);
		if (dt->item != NULL && depth < 2)
			describe(b, dt->item, depth + 1);
		else
			buf_adds(b, "items");
		break;
	case TSL_TYPE_UNKNOWN:
		break;
	}
}

char *
tslvalue_describe(const struct tsl_datatype *dt)
{
	struct buf b = BUF_INIT;

	describe(&b, dt, 0);
	return buf_detach(&b);
}

/* ---- refusing ----------------------------------------------------------------------- */

static int refuse(char **cause, const struct tsl_datatype *dt, const char *id,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sets *cause to "ID: WHAT (TYPE DESCRIPTION)", display-safe, and returns -1. */
static int
refuse(char **cause, const struct tsl_datatype *dt, const char *id, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	char *d = tslvalue_describe(dt), *safe;
	va_list ap;

	buf_addf(&b, "%s: ", id);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_addf(&b, " (%s)", d);
	safe = safetext_dup(buf_str(&b), b.len);
	*cause = safe;
	free(d);
	buf_free(&b);
	return -1;
}

/* The typed text, cut for messages. */
static char *
shown(const char *s)
{
	return safetext_excerpt(s, strlen(s), 40);
}

/* ---- numbers ------------------------------------------------------------------------ */

static int
parse_double(const char *s, double *out)
{
	char *end;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (*end != '\0' || errno == ERANGE || !isfinite(*out))
		return -1;
	return 0;
}

static int
parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (*end != '\0' || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

/* Checks a number against the type's range and step; v is the value, text how it was
 * written (for messages). */
static int
check_number(const struct tsl_datatype *dt, const char *id, double v, const char *text,
    char **cause)
{
	double min, max, step, k;
	char *s = shown(text);
	int rc = 0;

	if (dt->min != NULL && parse_double(dt->min, &min) == 0 && v < min)
		rc = refuse(cause, dt, id, "%s is below the minimum %s", s, dt->min);
	else if (dt->max != NULL && parse_double(dt->max, &max) == 0 && v > max)
		rc = refuse(cause, dt, id, "%s is above the maximum %s", s, dt->max);
	else if (dt->step != NULL && parse_double(dt->step, &step) == 0 && step > 0) {
		if (dt->min == NULL || parse_double(dt->min, &min) != 0)
			min = 0;
		k = (v - min) / step;
		if (fabs(k - nearbyint(k)) > 1e-9 * (fabs(k) > 1 ? fabs(k) : 1))
			rc = refuse(cause, dt, id, "%s is not on the step %s from %s", s, dt->step,
			    dt->min != NULL ? dt->min : "0");
	}
	free(s);
	return rc;
}

/* ---- one value ---------------------------------------------------------------------- */

static int check_value(const struct tsl_datatype *dt, const char *id, const cJSON *v,
    cJSON **out, char **cause, int depth);

/* enum and bool: a value or a label. */
static int
parse_choice(const struct tsl_datatype *dt, const char *id, const char *text, cJSON **out,
    char **cause)
{
	int64_t v;
	size_t i;
	char *s;

	if (dt->type == TSL_TYPE_BOOL) {
		if (strcmp(text, "true") == 0)
			text = "1";
		else if (strcmp(text, "false") == 0)
			text = "0";
	}
	if (parse_int(text, &v) == 0) {
		if (dt->enum_count == 0 && (dt->type != TSL_TYPE_BOOL || v == 0 || v == 1)) {
			*out = cJSON_CreateNumber((double)v);
			return 0;
		}
		for (i = 0; i < dt->enum_count; i++)
			if (dt->enums[i].value == v) {
				*out = cJSON_CreateNumber((double)v);
				return 0;
			}
		s = shown(text);
		refuse(cause, dt, id, "%s is not one of the values", s);
		free(s);
		return -1;
	}
	for (i = 0; i < dt->enum_count; i++)
		if (dt->enums[i].name != NULL && strcmp(dt->enums[i].name, text) == 0) {
			*out = cJSON_CreateNumber((double)dt->enums[i].value);
			return 0;
		}
	s = shown(text);
	refuse(cause, dt, id, "'%s' is neither a value nor a label", s);
	free(s);
	return -1;
}

static int
parse_text_value(const struct tsl_datatype *dt, const char *id, const char *text, size_t len,
    cJSON **out, char **cause)
{
	int64_t max = dt->length > 0 ? dt->length : TSL_TEXT_MAX;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(text + i, len - i, &cp);
		if (n == 0)
			return refuse(cause, dt, id, "the text is not valid UTF-8 (byte %zu)", i + 1);
		if (cp == 0)
			return refuse(cause, dt, id, "the text holds a NUL character");
		i += n;
	}
	if ((int64_t)len > max)
		return refuse(cause, dt, id, "the text is %zu bytes, more than %lld", len,
		    (long long)max);
	*out = cJSON_CreateString(text);
	return 0;
}

static int
parse_date(const struct tsl_datatype *dt, const char *id, const char *text, cJSON **out,
    char **cause)
{
	int64_t ms;
	char b[24], *s;

	if (timefmt_parse(text, &ms) != 0 || ms < 0) {
		s = shown(text);
		refuse(cause, dt, id, "'%s' is not a time (epoch ms, or like 2024-01-01 09:00:00)",
		    s);
		free(s);
		return -1;
	}
	snprintf(b, sizeof b, "%lld", (long long)ms);
	*out = cJSON_CreateString(b);	/* 4.11.19: a date is the epoch ms as a string */
	return 0;
}

/* Parses text typed for dt (not JSON, except for struct and array). */
static int
parse_text(const struct tsl_datatype *dt, const char *id, const char *text, cJSON **out,
    char **cause, int depth)
{
	double d;
	int64_t i;
	cJSON *j;
	char *s;
	int rc;

	*out = NULL;
	switch (dt->type) {
	case TSL_TYPE_INT:
		if (parse_int(text, &i) != 0 || i < INT32_MIN || i > INT32_MAX) {
			s = shown(text);
			refuse(cause, dt, id, "'%s' is not a 32-bit integer", s);
			free(s);
			return -1;
		}
		if (check_number(dt, id, (double)i, text, cause) != 0)
			return -1;
		*out = cJSON_CreateNumber((double)i);
		return 0;
	case TSL_TYPE_FLOAT:
	case TSL_TYPE_DOUBLE:
		if (parse_double(text, &d) != 0 ||
		    (dt->type == TSL_TYPE_FLOAT && fabs(d) > 3.4028234663852886e38)) {
			s = shown(text);
			refuse(cause, dt, id, "'%s' is not a number", s);
			free(s);
			return -1;
		}
		if (check_number(dt, id, d, text, cause) != 0)
			return -1;
		*out = cJSON_CreateNumber(d);
		return 0;
	case TSL_TYPE_BOOL:
	case TSL_TYPE_ENUM:
		return parse_choice(dt, id, text, out, cause);
	case TSL_TYPE_TEXT:
		return parse_text_value(dt, id, text, strlen(text), out, cause);
	case TSL_TYPE_DATE:
		return parse_date(dt, id, text, out, cause);
	case TSL_TYPE_STRUCT:
	case TSL_TYPE_ARRAY:
		j = cJSON_Parse(text);
		if (j == NULL)
			return refuse(cause, dt, id, "write it as JSON: %s",
			    dt->type == TSL_TYPE_STRUCT ? "{\"member\":value,...}" : "[value,...]");
		rc = check_value(dt, id, j, out, cause, depth);
		cJSON_Delete(j);
		return rc;
	case TSL_TYPE_UNKNOWN:
		break;
	}
	return refuse(cause, dt, id, "the thing model does not say what this holds");
}

/* Checks a JSON value against dt (recursing into struct and array). */
static int
check_value(const struct tsl_datatype *dt, const char *id, const cJSON *v, cJSON **out,
    char **cause, int depth)
{
	cJSON *o, *c;
	const cJSON *m;
	char *sub, num[64];
	size_t i, n;

	*out = NULL;
	if (depth > TSL_NEST_MAX + 1)
		return refuse(cause, dt, id, "nested too deeply");
	switch (dt->type) {
	case TSL_TYPE_STRUCT:
		if (!cJSON_IsObject(v))
			return refuse(cause, dt, id, "a struct is a JSON object");
		o = cJSON_CreateObject();
		cJSON_ArrayForEach(m, v) {
			const struct tsl_param *mp = NULL;
			for (i = 0; i < dt->member_count; i++)
				if (dt->members[i].identifier != NULL && m->string != NULL &&
				    strcmp(dt->members[i].identifier, m->string) == 0)
					mp = &dt->members[i];
			sub = xasprintf("%s.%s", id, m->string ? m->string : "");
			if (mp == NULL) {
				refuse(cause, dt, sub, "no such member");
				free(sub);
				cJSON_Delete(o);
				return -1;
			}
			if (check_value(&mp->type, sub, m, &c, cause, depth + 1) != 0) {
				free(sub);
				cJSON_Delete(o);
				return -1;
			}
			free(sub);
			cJSON_AddItemToObject(o, mp->identifier, c);
		}
		*out = o;
		return 0;
	case TSL_TYPE_ARRAY:
		if (!cJSON_IsArray(v))
			return refuse(cause, dt, id, "an array is a JSON array");
		n = (size_t)cJSON_GetArraySize(v);
		if (dt->array_size > 0 && (int64_t)n > dt->array_size)
			return refuse(cause, dt, id, "%zu items, more than %lld", n,
			    (long long)dt->array_size);
		o = cJSON_CreateArray();
		i = 0;
		cJSON_ArrayForEach(m, v) {
			sub = xasprintf("%s[%zu]", id, i++);
			if (dt->item == NULL)
				c = cJSON_Duplicate(m, 1);
			else if (check_value(dt->item, sub, m, &c, cause, depth + 1) != 0) {
				free(sub);
				cJSON_Delete(o);
				return -1;
			}
			free(sub);
			cJSON_AddItemToArray(o, c);
		}
		*out = o;
		return 0;
	case TSL_TYPE_TEXT:
		if (!cJSON_IsString(v))
			return refuse(cause, dt, id, "text is a JSON string");
		return parse_text_value(dt, id, v->valuestring, strlen(v->valuestring), out,
		    cause);
	default:
		/* Scalars: a JSON number, a string holding one, true/false for a bool. */
		if (cJSON_IsString(v))
			return parse_text(dt, id, v->valuestring, out, cause, depth);
		if (cJSON_IsBool(v) && dt->type == TSL_TYPE_BOOL)
			return parse_text(dt, id, cJSON_IsTrue(v) ? "1" : "0", out, cause, depth);
		if (cJSON_IsNumber(v)) {
			if (v->valuestring != NULL)	/* the text as sent (jsonout) */
				return parse_text(dt, id, v->valuestring, out, cause, depth);
			snprintf(num, sizeof num, "%.17g", v->valuedouble);
			return parse_text(dt, id, num, out, cause, depth);
		}
		return refuse(cause, dt, id, "not a value of this type");
	}
}

int
tslvalue_parse(const struct tsl_datatype *dt, const char *id, const char *text, cJSON **out,
    char **cause)
{
	return parse_text(dt, id, text, out, cause, 0);
}

int
tslvalue_check(const struct tsl_datatype *dt, const char *id, const cJSON *v, cJSON **out,
    char **cause)
{
	return check_value(dt, id, v, out, cause, 0);
}

/* ---- showing ------------------------------------------------------------------------ */

char *
tslvalue_show(const struct tsl_datatype *dt, const cJSON *v, int time_style)
{
	const char *text = NULL, *label;
	char num[64], when[TIMEFMT_MAX];
	int64_t i, ms;

	if (v == NULL)
		return xstrdup("");
	if (cJSON_IsString(v))
		text = v->valuestring;
	else if (cJSON_IsNumber(v)) {
		if (v->valuestring != NULL)
			text = v->valuestring;
		else {
			snprintf(num, sizeof num, "%.17g", v->valuedouble);
			text = num;
		}
	}
	if (text == NULL)
		return jsonout_print(v, JSONOUT_COMPACT);
	switch (dt->type) {
	case TSL_TYPE_BOOL:
	case TSL_TYPE_ENUM:
		if (parse_int(text, &i) == 0 && (label = model_tsl_enum_name(dt, i)) != NULL)
			return xasprintf("%lld %s", (long long)i, label);
		break;
	case TSL_TYPE_DATE:
		if (parse_int(text, &ms) == 0 &&
		    *timefmt_format(ms, (enum timefmt_style)time_style, when, sizeof when) != '\0')
			return xstrdup(when);
		break;
	default:
		break;
	}
	return xstrdup(text);
}

/* ---- Items and Args ----------------------------------------------------------------- */

/* The element of v[0..n), size bytes each, named id: a struct whose first member is its
 * char *identifier (a property, a service, a parameter). NULL when none is. */
static const void *
by_identifier(const void *v, size_t n, size_t size, const char *id)
{
	const char *p = v, *ident;

	_Static_assert(offsetof(struct tsl_property, identifier) == 0 &&
	    offsetof(struct tsl_service, identifier) == 0 &&
	    offsetof(struct tsl_param, identifier) == 0, "identifier comes first");
	for (; n > 0; n--, p += size) {
		if ((ident = *(char *const *)p) != NULL && strcmp(ident, id) == 0)
			return p;
	}
	return NULL;
}

const struct tsl_property *
tslvalue_property(const struct model_tsl *t, const char *id)
{
	return by_identifier(t->properties, t->property_count, sizeof *t->properties, id);
}

const struct tsl_service *
tslvalue_service(const struct model_tsl *t, const char *id)
{
	return by_identifier(t->services, t->service_count, sizeof *t->services, id);
}

/* Builds the compact JSON text of {ID: VALUE, ...} for sets: the IDs name input
 * parameters of service or, service NULL, properties of t (writable ones only when
 * writable_only); each text is parsed by its type; an ID given twice is refused. */
static int
values_json(const struct model_tsl *t, const struct tsl_service *service,
    const struct tslvalue_set *sets, size_t n, int writable_only, char **out, char **cause)
{
	cJSON *obj = cJSON_CreateObject(), *v;
	const struct tsl_property *p = NULL;
	const struct tsl_param *in = NULL;
	char *what = NULL, *s;
	size_t i;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if (service != NULL) {
			in = by_identifier(service->inputs, service->input_count,
			    sizeof *service->inputs, sets[i].id);
			if (in == NULL)
				what = xasprintf("is not an input of the service %s",
				    service->identifier != NULL ? service->identifier : "");
		} else if ((p = tslvalue_property(t, sets[i].id)) == NULL)
			what = xstrdup("is not a property of the thing model");
		else if (writable_only && p->access == TSL_ACCESS_READ)
			what = xstrdup("is read-only");
		if (what != NULL)
			break;
		if (tslvalue_parse(in != NULL ? &in->type : &p->type, sets[i].id, sets[i].text,
		    &v, cause) != 0)
			goto fail;
		if (cJSON_GetObjectItemCaseSensitive(obj, sets[i].id) != NULL) {
			cJSON_Delete(v);
			what = xstrdup("is given twice");
			break;
		}
		cJSON_AddItemToObject(obj, sets[i].id, v);
	}
	if (what != NULL) {
		s = xasprintf("%s %s", sets[i].id, what);
		*cause = safetext_dup(s, strlen(s));
		free(s);
		free(what);
		goto fail;
	}
	*out = jsonout_print(obj, JSONOUT_COMPACT);
	cJSON_Delete(obj);
	return 0;
fail:
	cJSON_Delete(obj);
	return -1;
}

int
tslvalue_items(const struct model_tsl *t, const struct tslvalue_set *sets, size_t n,
    int writable_only, char **items, char **cause)
{
	*items = NULL;
	if (n == 0) {
		*cause = xstrdup("nothing to set: give ID=VALUE");
		return -1;
	}
	return values_json(t, NULL, sets, n, writable_only, items, cause);
}

int
tslvalue_args(const struct tsl_service *service, const struct tslvalue_set *sets, size_t n,
    char **args, char **cause)
{
	return values_json(NULL, service, sets, n, 0, args, cause);
}
