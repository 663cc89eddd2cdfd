/* rule.c — the rules of dynamic groups (see rule.h). A rule is a handful of conditions,
 * parsed once per call and matched against each device: no index, a scan (of one product
 * when the rule pins it). */
#include "sim/rule.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/safetext.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"

/* 4.8.40: "最多使用5个condition". */
#define MAX_CONDS 5
/* 4.8.40: a LIKE prefix has at least 4 characters. */
#define LIKE_MIN 4

enum field {
	F_PRODUCT_KEY, F_IOT_ID, F_NAME, F_NICKNAME, F_STATUS, F_GROUP_ID, F_TAG_NAME,
	F_TAG_VALUE, F_MODULE_NAME, F_FIRMWARE_VERSION, F_ACTIVE_TIME, F_GMT_CREATE,
	F_GMT_MODIFIED
};

static const struct {
	const char *name;	/* as the rule writes it */
	int         date;	/* a date (= != > <), else text (= != LIKE) */
} fields[] = {
	[F_PRODUCT_KEY]      = { "product_key", 0 },
	[F_IOT_ID]           = { "iot_id", 0 },
	[F_NAME]             = { "name", 0 },
	[F_NICKNAME]         = { "nickname", 0 },
	[F_STATUS]           = { "status", 0 },
	[F_GROUP_ID]         = { "group.group_id", 0 },
	[F_TAG_NAME]         = { "tag.tag_name", 0 },
	[F_TAG_VALUE]        = { "tag.tag_value", 0 },
	[F_MODULE_NAME]      = { "ota_module.module_name", 0 },
	[F_FIRMWARE_VERSION] = { "ota_module.firmware_version", 0 },
	[F_ACTIVE_TIME]      = { "active_time", 1 },
	[F_GMT_CREATE]       = { "gmt_create", 1 },
	[F_GMT_MODIFIED]     = { "gmt_modified", 1 },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

enum op { OP_EQ, OP_NE, OP_GT, OP_LT, OP_LIKE };

struct cond {
	enum field field;	/* what it tests */
	enum op    op;		/* how */
	char      *text;	/* the value (a LIKE's without its %), NULL for null */
	int64_t    ms;		/* a date's value, epoch ms */
	int        or_before;	/* joined to the condition before by OR (else AND) */
};

struct sim_rule {
	struct cond c[MAX_CONDS];	/* the conditions, in order */
	int         n;			/* how many */
};

/* ---- parsing ------------------------------------------------------------------------- */

struct lex {
	const char *p;		/* the next character */
	const char *code;	/* the error's code, once one is found */
	char       *msg;	/* its message */
};

static int lex_fail(struct lex *l, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the first error; returns -1. */
static int
lex_fail(struct lex *l, const char *code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->code != NULL)
		return -1;
	l->code = code;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	l->msg = xmalloc((size_t)(n > 0 ? n : 0) + 1);
	va_start(ap, fmt);
	vsnprintf(l->msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	return -1;
}

static void
skip_space(struct lex *l)
{
	while (*l->p == ' ' || *l->p == '\t' || *l->p == '\r' || *l->p == '\n')
		l->p++;
}

/* A word: letters, digits, '_' and '.' (group.group_id). Returns its length. */
static size_t
word(struct lex *l)
{
	size_t n = 0;

	skip_space(l);
	while (isalnum((unsigned char)l->p[n]) || l->p[n] == '_' || l->p[n] == '.')
		n++;
	return n;
}

static int
keyword(struct lex *l, const char *kw)
{
	size_t n = word(l);

	if (n != strlen(kw) || strncasecmp(l->p, kw, n) != 0)
		return 0;
	l->p += n;
	return 1;
}

static int
parse_field(struct lex *l, enum field *f)
{
	size_t n = word(l), i;
	char *name;

	if (n == 0)
		return lex_fail(l, "iot.devicesearch.InvalidSQLException",
		    "a condition must start with a field name, at: %.20s", l->p);
	for (i = 0; i < NFIELDS; i++)
		if (strlen(fields[i].name) == n && strncasecmp(l->p, fields[i].name, n) == 0) {
			*f = (enum field)i;
			l->p += n;
			return 0;
		}
	name = xstrndup(l->p, n);
	lex_fail(l, "iot.devicesearch.InvalidSQLFieldError", "'%s' is not a field a rule can use",
	    name);
	free(name);
	return -1;
}

static int
parse_op(struct lex *l, enum op *op)
{
	skip_space(l);
	if (l->p[0] == '!' && l->p[1] == '=') {
		*op = OP_NE;
		l->p += 2;
	} else if (l->p[0] == '=') {
		*op = OP_EQ;
		l->p++;
	} else if (l->p[0] == '>') {
		*op = OP_GT;
		l->p++;
	} else if (l->p[0] == '<') {
		*op = OP_LT;
		l->p++;
	} else if (keyword(l, "like"))
		*op = OP_LIKE;
	else
		return lex_fail(l, "iot.devicesearch.InvalidSQLException",
		    "expected an operator (= != > < LIKE) at: %.20s", l->p);
	if (*l->p == '=' || *l->p == '>' || *l->p == '<')
		return lex_fail(l, "iot.devicesearch.InvalidSQLParamError",
		    "operator not supported at: %.20s", l->p);
	return 0;
}

/* A quoted string, a number or null. *text gets a copy (NULL for null). */
static int
parse_value(struct lex *l, char **text, int *is_number)
{
	const char *end;
	size_t n;

	*text = NULL;
	*is_number = 0;
	skip_space(l);
	if (*l->p == '"' || *l->p == '\'') {
		end = strchr(l->p + 1, *l->p);
		if (end == NULL)
			return lex_fail(l, "iot.devicesearch.InvalidSQLException",
			    "a quoted value is not closed: %.20s", l->p);
		*text = xstrndup(l->p + 1, (size_t)(end - l->p - 1));
		l->p = end + 1;
		return 0;
	}
	if (keyword(l, "null"))
		return 0;
	for (n = 0; isdigit((unsigned char)l->p[n]); n++)
		;
	if (n > 0 && n < 19 && !isalpha((unsigned char)l->p[n])) {
		*text = xstrndup(l->p, n);
		*is_number = 1;
		l->p += n;
		return 0;
	}
	return lex_fail(l, "iot.devicesearch.InvalidSQLException",
	    "expected a quoted value, a number or null at: %.20s", l->p);
}

/* A LIKE pattern: a prefix of at least 4 characters, none special, then %. */
static int
like_ok(struct lex *l, char *text)
{
	size_t n = strlen(text);
	const unsigned char *c;

	if (n == 0 || text[n - 1] != '%')
		return lex_fail(l, "iot.devicesearch.InvalidSQLParamError",
		    "LIKE takes a prefix ending in %%: '%s'", text);
	text[n - 1] = '\0';
	for (c = (const unsigned char *)text; *c; c++)
		if (*c < 0x80 && !isalnum(*c) && *c != '_' && *c != '.')
			return lex_fail(l, "iot.devicesearch.InvalidSQLParamError",
			    "a LIKE prefix holds letters, digits, _ and . only: '%s'", text);
	if (utf8_chars(text) < LIKE_MIN)
		return lex_fail(l, "iot.devicesearch.InvalidSQLParamError",
		    "a LIKE prefix has at least 4 characters: '%s'", text);
	return 0;
}

static int
parse_cond(struct lex *l, struct cond *c)
{
	int number;

	if (parse_field(l, &c->field) != 0 || parse_op(l, &c->op) != 0 ||
	    parse_value(l, &c->text, &number) != 0)
		return -1;
	if (fields[c->field].date) {
		if (c->op == OP_LIKE)
			return lex_fail(l, "iot.devicesearch.InvalidSQLOperatorTypeError",
			    "LIKE does not apply to the date %s", fields[c->field].name);
		if (c->text == NULL) {
			if (c->op != OP_EQ && c->op != OP_NE)
				return lex_fail(l, "iot.devicesearch.InvalidSQLOperatorTypeError",
				    "%s: only = and != compare with null", fields[c->field].name);
		} else if (number)
			c->ms = strtoll(c->text, NULL, 10);
		else if (timefmt_parse(c->text, &c->ms) != 0)
			return lex_fail(l, "iot.devicesearch.InvalidSQLParamError",
			    "not a date (yyyy-MM-dd HH:mm:ss.SSS): '%s'", c->text);
		return 0;
	}
	if (c->op == OP_GT || c->op == OP_LT)
		return lex_fail(l, "iot.devicesearch.InvalidSQLOperatorTypeError",
		    "%s is text: > and < compare numbers and dates", fields[c->field].name);
	if (c->op == OP_LIKE) {
		if (c->text == NULL)
			return lex_fail(l, "iot.devicesearch.InvalidSQLOperatorTypeError",
			    "LIKE needs a prefix, not null (%s)", fields[c->field].name);
		return like_ok(l, c->text);
	}
	return 0;
}

void
sim_rule_free(struct sim_rule *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		free(r->c[i].text);
	free(r);
}

struct sim_rule *
sim_rule_parse(const char *text, const char **code, char **msg)
{
	struct sim_rule *r = xcalloc(1, sizeof *r);
	struct lex l = { text != NULL ? text : "", NULL, NULL };
	int or_before = 0;

	skip_space(&l);
	if (*l.p == '\0') {
		lex_fail(&l, "iot.devicesearch.InvalidSQLException", "the rule is empty");
		goto fail;
	}
	for (;;) {
		if (r->n == MAX_CONDS) {
			lex_fail(&l, "iot.devicesearch.InvalidSQLConditionError",
			    "a rule has at most 5 conditions");
			goto fail;
		}
		r->c[r->n].or_before = or_before;
		r->n++;
		if (parse_cond(&l, &r->c[r->n - 1]) != 0)
			goto fail;
		skip_space(&l);
		if (*l.p == '\0')
			break;
		if (keyword(&l, "and"))
			or_before = 0;
		else if (keyword(&l, "or"))
			or_before = 1;
		else {
			lex_fail(&l, "iot.devicesearch.InvalidSQLException",
			    "expected AND or OR at: %.20s", l.p);
			goto fail;
		}
	}
	return r;
fail:
	*code = l.code;
	*msg = l.msg;
	sim_rule_free(r);
	return NULL;
}

/* ---- matching ------------------------------------------------------------------------ */

static int
text_test(const struct cond *c, const char *v)
{
	switch (c->op) {
	case OP_EQ:
		return c->text == NULL ? v == NULL : v != NULL && strcmp(v, c->text) == 0;
	case OP_NE:
		return c->text == NULL ? v != NULL : v == NULL || strcmp(v, c->text) != 0;
	case OP_LIKE:
		return v != NULL && strncmp(v, c->text, strlen(c->text)) == 0;
	default:
		return 0;
	}
}

static int
date_test(const struct cond *c, int64_t v)
{
	int have = v != 0;

	switch (c->op) {
	case OP_EQ:
		return c->text == NULL ? !have : have && v == c->ms;
	case OP_NE:
		return c->text == NULL ? have : !have || v != c->ms;
	case OP_GT:
		return have && v > c->ms;
	case OP_LT:
		return have && v < c->ms;
	default:
		return 0;
	}
}

/* A field with several values (groups, tags): = and LIKE hold when one value does, !=
 * when none is equal; = null when there is none, != null when there is one. */
static int
multi_test(const struct cond *c, const char *const *v, size_t n)
{
	size_t i;
	struct cond eq = *c;

	if (c->text == NULL)
		return c->op == OP_EQ ? n == 0 : n > 0;
	if (c->op == OP_NE) {
		eq.op = OP_EQ;
		return !multi_test(&eq, v, n);
	}
	for (i = 0; i < n; i++)
		if (text_test(c, v[i]))
			return 1;
	return 0;
}

static int
cond_match(const struct cond *c, const struct sim_store *s, const struct sim_device *d)
{
	const char *vals[16];
	size_t n = 0, i;
	const cJSON *t;

	switch (c->field) {
	case F_PRODUCT_KEY:
		return text_test(c, s->products[d->product].key);
	case F_IOT_ID:
		return text_test(c, d->iotid);
	case F_NAME:
		return text_test(c, d->name);
	case F_NICKNAME:
		return text_test(c, *d->nickname != '\0' ? d->nickname : NULL);
	case F_STATUS:
		return text_test(c, sim_device_status_name(d));
	case F_MODULE_NAME:
		return text_test(c, d->firmware != NULL ? "default" : NULL);
	case F_FIRMWARE_VERSION:
		return text_test(c, d->firmware);
	case F_ACTIVE_TIME:
		return date_test(c, d->active);
	case F_GMT_CREATE:
		return date_test(c, d->created);
	case F_GMT_MODIFIED:
		return date_test(c, d->modified);
	case F_GROUP_ID:
		for (i = 0; d->x != NULL && i < d->x->ngroups && n < 16; i++)
			vals[n++] = s->groups[d->x->groups[i]].id;
		return multi_test(c, vals, n);
	case F_TAG_NAME:
	case F_TAG_VALUE:
		if (d->x != NULL)
			cJSON_ArrayForEach(t, d->x->props) {
				if (n == 16)
					break;
				if (c->field == F_TAG_NAME)
					vals[n++] = t->string;
				else if (cJSON_IsString(t))
					vals[n++] = t->valuestring;
			}
		return multi_test(c, vals, n);
	}
	return 0;
}

int
sim_rule_match(const struct sim_rule *r, const struct sim_store *s,
    const struct sim_device *d)
{
	int i, conj = 1;

	if (d->deleted)
		return 0;
	/* OR of ANDs: AND binds first. */
	for (i = 0; i < r->n; i++) {
		if (r->c[i].or_before) {
			if (conj)
				return 1;
			conj = 1;
		}
		if (conj && !cond_match(&r->c[i], s, d))
			conj = 0;
	}
	return conj;
}

long
sim_rule_product(const struct sim_rule *r, struct sim_store *s)
{
	const struct sim_product *p;
	int i;

	for (i = 0; i < r->n; i++)
		if (r->c[i].or_before)
			return -1;
	for (i = 0; i < r->n; i++)
		if (r->c[i].field == F_PRODUCT_KEY && r->c[i].op == OP_EQ && r->c[i].text != NULL) {
			p = sim_store_product(s, r->c[i].text);
			return p != NULL ? (long)(p - s->products) : -2;
		}
	return -1;
}
