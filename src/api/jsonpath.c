/* jsonpath.c — lenient access to IoT Platform JSON answers (see jsonpath.h). */
#include "api/jsonpath.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xmalloc.h"

/* Integral doubles in [INT64_LO, INT64_HI) convert to int64_t exactly. */
#define INT64_LO (-9223372036854775808.0)
#define INT64_HI 9223372036854775808.0

/* Returns the member of obj named name[0..len): case-sensitive match first, then
 * case-insensitive; NULL when obj is not an object or has no such member. */
static const cJSON *
member(const cJSON *obj, const char *name, size_t len)
{
	const cJSON *c;

	if (!cJSON_IsObject(obj))
		return NULL;
	for (c = obj->child; c != NULL; c = c->next) {
		if (c->string != NULL && strlen(c->string) == len &&
		    memcmp(c->string, name, len) == 0)
			return c;
	}
	for (c = obj->child; c != NULL; c = c->next) {
		if (c->string != NULL && strlen(c->string) == len &&
		    strncasecmp(c->string, name, len) == 0)
			return c;
	}
	return NULL;
}

/* Walks the single path p[0..len) (no alternatives) from root. JSON null counts as
 * missing. With stop_at_array set, an array met before the last name is returned as
 * the answer (a list whose wrapper object was left out). */
static const cJSON *
walk(const cJSON *root, const char *p, size_t len, int stop_at_array)
{
	const cJSON *node = root;
	const char *end = p + len, *dot;

	while (node != NULL && p < end) {
		if (stop_at_array && cJSON_IsArray(node))
			return node;
		dot = memchr(p, '.', (size_t)(end - p));
		if (dot == NULL)
			dot = end;
		node = member(node, p, (size_t)(dot - p));
		p = dot < end ? dot + 1 : end;
	}
	return cJSON_IsNull(node) ? NULL : node;
}

/* Calls fn on each '|'-separated alternative of path until it returns non-zero. */
static int
each_alternative(const char *path, int (*fn)(const char *p, size_t len, void *arg),
    void *arg)
{
	const char *p = path != NULL ? path : "", *bar;

	for (;;) {
		bar = strchr(p, '|');
		if (fn(p, bar != NULL ? (size_t)(bar - p) : strlen(p), arg))
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

struct get_arg {
	const cJSON *root;	/* where the walk starts */
	int          lists;	/* stop at an array met early (list lookups) */
	const cJSON *found;	/* the node found */
};

static int
get_one(const char *p, size_t len, void *arg)
{
	struct get_arg *g = arg;

	g->found = walk(g->root, p, len, g->lists);
	return g->found != NULL;
}

const cJSON *
jsonpath_get(const cJSON *root, const char *path)
{
	struct get_arg g = { root, 0, NULL };

	each_alternative(path, get_one, &g);
	return g.found;
}

/* A list element that carries nothing: null, "" or {} (what XML-to-JSON conversion
 * makes of an empty element). */
static int
is_nothing(const cJSON *c)
{
	return cJSON_IsNull(c) || (cJSON_IsString(c) && c->valuestring[0] == '\0') ||
	    (cJSON_IsObject(c) && c->child == NULL);
}

size_t
jsonpath_list(const cJSON *root, const char *path, struct jsonpath_list *out)
{
	struct get_arg g = { root, 1, NULL };
	const cJSON *c;
	size_t n = 0;

	out->items = NULL;
	out->count = 0;
	each_alternative(path, get_one, &g);
	if (g.found == NULL)
		return 0;
	if (cJSON_IsArray(g.found)) {
		for (c = g.found->child; c != NULL; c = c->next)
			n++;
		if (n == 0)
			return 0;
		out->items = xreallocarray(NULL, n, sizeof *out->items);
		for (c = g.found->child; c != NULL; c = c->next) {
			if (!is_nothing(c))
				out->items[out->count++] = c;
		}
		if (out->count == 0)
			jsonpath_list_free(out);
		return out->count;
	}
	if (is_nothing(g.found))
		return 0;
	out->items = xmalloc(sizeof *out->items);
	out->items[0] = g.found;
	out->count = 1;
	return 1;
}

void
jsonpath_list_free(struct jsonpath_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

/* Conversions of one node. Each returns 1 and stores the value, or returns 0. */

static int
is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

static int
double_to_int64(double d, int64_t *out)
{
	if (!isfinite(d) || d != trunc(d) || d < INT64_LO || d >= INT64_HI)
		return 0;
	*out = (int64_t)d;
	return 1;
}

static int
string_to_double(const char *s, double *out)
{
	char *end;
	double d;

	/* decimal notation only: strtod would also take hex, "inf" and "nan" */
	if (is_blank(s) || s[strspn(s, "0123456789+-.eE \t\r\n")] != '\0')
		return 0;
	errno = 0;
	d = strtod(s, &end);
	if (errno == ERANGE || !is_blank(end) || !isfinite(d))
		return 0;
	*out = d;
	return 1;
}

static int
node_int64(const cJSON *n, int64_t *out)
{
	long long v;
	char *end;
	double d;

	if (cJSON_IsNumber(n))
		return double_to_int64(n->valuedouble, out);
	if (cJSON_IsBool(n)) {
		*out = cJSON_IsTrue(n) ? 1 : 0;
		return 1;
	}
	if (!cJSON_IsString(n) || is_blank(n->valuestring))
		return 0;
	errno = 0;
	v = strtoll(n->valuestring, &end, 10);
	if (errno == 0 && is_blank(end)) {
		*out = (int64_t)v;
		return 1;
	}
	if (errno == ERANGE)
		return 0;
	return string_to_double(n->valuestring, &d) && double_to_int64(d, out);
}

static int
node_double(const cJSON *n, double *out)
{
	if (cJSON_IsNumber(n)) {
		if (!isfinite(n->valuedouble))
			return 0;
		*out = n->valuedouble;
		return 1;
	}
	if (cJSON_IsBool(n)) {
		*out = cJSON_IsTrue(n) ? 1.0 : 0.0;
		return 1;
	}
	return cJSON_IsString(n) && string_to_double(n->valuestring, out);
}

static int
node_bool(const cJSON *n, int *out)
{
	const char *s;

	if (cJSON_IsBool(n)) {
		*out = cJSON_IsTrue(n);
		return 1;
	}
	if (cJSON_IsNumber(n)) {
		*out = n->valuedouble != 0.0;
		return 1;
	}
	if (!cJSON_IsString(n))
		return 0;
	s = n->valuestring;
	if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0)
		*out = 1;
	else if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)
		*out = 0;
	else
		return 0;
	return 1;
}

/* Formats d in its shortest form that reads back as the same double. */
static char *
format_number(double d)
{
	char b[64];
	int64_t i;
	int prec;

	if (!isfinite(d))
		return NULL;
	if (double_to_int64(d, &i)) {
		snprintf(b, sizeof b, "%" PRId64, i);
		return xstrdup(b);
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(b, sizeof b, "%.*g", prec, d);
		if (strtod(b, NULL) == d)
			return xstrdup(b);
	}
	snprintf(b, sizeof b, "%.17g", d);
	return xstrdup(b);
}

static char *
node_strdup(const cJSON *n)
{
	if (cJSON_IsString(n))
		return xstrdup(n->valuestring);
	if (cJSON_IsNumber(n))
		return format_number(n->valuedouble);
	if (cJSON_IsBool(n))
		return xstrdup(cJSON_IsTrue(n) ? "true" : "false");
	return NULL;
}

/* The typed getters take the first alternative that converts, so "Total|Data.Total"
 * falls through a top-level "Total": "" to the one inside Data. */
enum conv { CONV_INT64, CONV_DOUBLE, CONV_BOOL, CONV_STRING };

struct conv_arg {
	const cJSON *root;	/* where the walk starts */
	enum conv    conv;	/* which conversion */
	void        *out;	/* where the value goes */
};

static int
conv_one(const char *p, size_t len, void *arg)
{
	struct conv_arg *c = arg;
	const cJSON *n = walk(c->root, p, len, 0);

	if (n == NULL)
		return 0;
	switch (c->conv) {
	case CONV_INT64:
		return node_int64(n, c->out);
	case CONV_DOUBLE:
		return node_double(n, c->out);
	case CONV_BOOL:
		return node_bool(n, c->out);
	case CONV_STRING:
		*(char **)c->out = node_strdup(n);
		return *(char **)c->out != NULL;
	}
	return 0;
}

int
jsonpath_int64(const cJSON *root, const char *path, int64_t *out)
{
	struct conv_arg c = { root, CONV_INT64, out };

	return each_alternative(path, conv_one, &c);
}

int
jsonpath_double(const cJSON *root, const char *path, double *out)
{
	struct conv_arg c = { root, CONV_DOUBLE, out };

	return each_alternative(path, conv_one, &c);
}

int
jsonpath_bool(const cJSON *root, const char *path, int *out)
{
	struct conv_arg c = { root, CONV_BOOL, out };

	return each_alternative(path, conv_one, &c);
}

char *
jsonpath_strdup(const cJSON *root, const char *path)
{
	char *s = NULL;
	struct conv_arg c = { root, CONV_STRING, &s };

	each_alternative(path, conv_one, &c);
	return s;
}

void
jsonpath_page_parse(const cJSON *root, struct jsonpath_page *out)
{
	out->total = out->page_count = out->page_size = out->current_page = -1;
	out->next_token = NULL;
	jsonpath_int64(root, "Total|Data.Total|TotalCount|Data.TotalCount", &out->total);
	jsonpath_int64(root, "PageCount|Data.PageCount", &out->page_count);
	jsonpath_int64(root, "PageSize|Data.PageSize", &out->page_size);
	jsonpath_int64(root, "CurrentPage|Page|PageNo|Data.CurrentPage|Data.Page|Data.PageNo",
	    &out->current_page);
	out->next_token = jsonpath_strdup(root,
	    "NextToken|NextPageToken|Data.NextToken|Data.NextPageToken");
	if (out->next_token != NULL && out->next_token[0] == '\0') {
		free(out->next_token);
		out->next_token = NULL;
	}
}

void
jsonpath_page_clear(struct jsonpath_page *p)
{
	free(p->next_token);
	p->next_token = NULL;
	p->total = p->page_count = p->page_size = p->current_page = -1;
}
