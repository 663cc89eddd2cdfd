/* jsonout.c — the one JSON writer (see jsonout.h for the rules). */
#include "core/jsonout.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/xmalloc.h"

/* cJSON reads at most this many characters of a number. */
#define NUMBER_TEXT_MAX 63

/* ---- numbers ------------------------------------------------------------------- */

/* The program runs under the user's LC_NUMERIC (main.c sets LC_ALL), where the decimal
 * point may be a comma; JSON's is always '.'. Numbers are read and formatted in "C". */
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void
c_locale_init(void)
{
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static locale_t
numeric_c(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	return c_locale;
}

/* Returns 1 when s is exactly one JSON number (RFC 8259 section 6). */
static int
number_syntax_ok(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* Returns 1 when text, the number's text as the answer wrote it, may stand for d. */
static int
number_text_ok(const char *text, double d)
{
	locale_t loc = numeric_c();
	double v;

	if (strlen(text) > NUMBER_TEXT_MAX || !number_syntax_ok(text) || loc == (locale_t)0)
		return 0;
	v = strtod_l(text, NULL, loc);
	return v == d && signbit(v) == signbit(d);
}

static void
put_double(struct buf *out, double d)
{
	locale_t loc = numeric_c(), old;
	char b[64];
	double back;
	int prec;

	if (!isfinite(d)) {
		buf_adds(out, "null");
		return;
	}
	/* Integers in full (also past 2^53, where the double is what there is). */
	if (d == trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
		buf_addf(out, "%" PRId64, (int64_t)d);
		return;
	}
	if (loc == (locale_t)0) {	/* cannot happen with glibc; stay valid anyway */
		buf_adds(out, "null");
		return;
	}
	/* The shortest of 15, 16, 17 significant digits that reads back as d. */
	old = uselocale(loc);
	for (prec = 15; prec <= 17; prec++) {
		snprintf(b, sizeof b, "%.*g", prec, d);
		back = strtod(b, NULL);
		if (back == d)
			break;
	}
	uselocale(old);
	buf_adds(out, b);
}

static void
put_number(struct buf *out, const cJSON *item)
{
	if (item->valuestring != NULL && number_text_ok(item->valuestring, item->valuedouble))
		buf_adds(out, item->valuestring);
	else
		put_double(out, item->valuedouble);
}

/* ---- strings ------------------------------------------------------------------- */

static void
put_u16(struct buf *out, uint32_t u)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15], hex[(u >> 4) & 15],
	    hex[u & 15] };

	buf_add(out, e, sizeof e);
}

static void
put_escape(struct buf *out, uint32_t cp)
{
	switch (cp) {
	case '"':  buf_add(out, "\\\"", 2); return;
	case '\\': buf_add(out, "\\\\", 2); return;
	case '\b': buf_add(out, "\\b", 2); return;
	case '\f': buf_add(out, "\\f", 2); return;
	case '\n': buf_add(out, "\\n", 2); return;
	case '\r': buf_add(out, "\\r", 2); return;
	case '\t': buf_add(out, "\\t", 2); return;
	}
	if (cp >= 0x10000) {
		cp -= 0x10000;
		put_u16(out, 0xD800 | (cp >> 10));
		put_u16(out, 0xDC00 | (cp & 0x3FF));
	} else
		put_u16(out, cp);
}

/* Kept as it is in a JSON string: anything safe but the quote and the backslash. */
static int
json_plain(uint32_t cp)
{
	return cp != '"' && cp != '\\' && !safetext_is_unsafe(cp);
}

void
jsonout_string(struct buf *out, const char *s, size_t len)
{
	buf_reserve(out, len + 2);
	buf_addc(out, '"');
	safetext_scan(out, s, len, json_plain, put_escape);
	buf_addc(out, '"');
}

/* ---- trees --------------------------------------------------------------------- */

static void
put_str(struct buf *out, const char *s)
{
	jsonout_string(out, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void
put_indent(struct buf *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		buf_add(out, "  ", 2);
}

/* depth: the containers around item (cJSON's count: arrays too). */
static void
put_value(struct buf *out, const cJSON *item, int indent, int depth)
{
	const cJSON *c;

	switch (item->type & 0xFF) {
	case cJSON_False:
		buf_adds(out, "false");
		return;
	case cJSON_True:
		buf_adds(out, "true");
		return;
	case cJSON_Number:
		put_number(out, item);
		return;
	case cJSON_String:
	case cJSON_Raw:
		put_str(out, item->valuestring);
		return;
	case cJSON_Array:
		buf_addc(out, '[');
		for (c = item->child; c != NULL; c = c->next) {
			put_value(out, c, indent, depth + 1);
			if (c->next != NULL)
				buf_add(out, ", ", indent ? 2 : 1);
		}
		buf_addc(out, ']');
		return;
	case cJSON_Object:
		if (item->child == NULL) {
			buf_add(out, "{}", 2);
			return;
		}
		buf_addc(out, '{');
		for (c = item->child; c != NULL; c = c->next) {
			if (indent) {
				buf_addc(out, '\n');
				put_indent(out, depth + 1);
			}
			put_str(out, c->string);
			buf_add(out, ": ", indent ? 2 : 1);
			put_value(out, c, indent, depth + 1);
			if (c->next != NULL)
				buf_addc(out, ',');
		}
		if (indent) {
			buf_addc(out, '\n');
			put_indent(out, depth);
		}
		buf_addc(out, '}');
		return;
	default:			/* cJSON_NULL, cJSON_Invalid */
		buf_adds(out, "null");
		return;
	}
}

void
jsonout_value(struct buf *out, const cJSON *item, enum jsonout_style style)
{
	if (item == NULL) {
		buf_adds(out, "null");
		return;
	}
	put_value(out, item, style == JSONOUT_INDENT, 0);
}

char *
jsonout_print(const cJSON *item, enum jsonout_style style)
{
	struct buf b = BUF_INIT;

	jsonout_value(&b, item, style);
	return buf_detach(&b);
}

/* ---- number text --------------------------------------------------------------- */

/* Walks the text cJSON parsed in step with the tree it made: cJSON keeps members and
 * elements in the order of the text (duplicate names included), skips the same
 * whitespace (any byte up to 0x20) and a UTF-8 BOM at the very start. */
struct scan {
	const char *p;		/* next byte */
	const char *end;	/* end of the text */
};

static void
skip_space(struct scan *s)
{
	while (s->p < s->end && (unsigned char)*s->p <= 0x20)
		s->p++;
}

static int
take(struct scan *s, char c)
{
	skip_space(s);
	if (s->p >= s->end || *s->p != c)
		return 0;
	s->p++;
	return 1;
}

static int
take_word(struct scan *s, const char *w)
{
	size_t n = strlen(w);

	skip_space(s);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

static int
skip_string(struct scan *s)
{
	if (!take(s, '"'))
		return 0;
	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\')
			s->p++;
		s->p++;
	}
	if (s->p >= s->end)
		return 0;
	s->p++;
	return 1;
}

static int
keep_number(cJSON *item, struct scan *s)
{
	const char *start;
	size_t n;
	char *text;

	skip_space(s);
	start = s->p;
	while (s->p < s->end && strchr("0123456789+-.eE", *s->p) != NULL && *s->p != '\0')
		s->p++;
	n = (size_t)(s->p - start);
	if (n == 0)
		return 0;
	if (n > NUMBER_TEXT_MAX)
		return 1;	/* cJSON read only a part: keep the double */
	text = cJSON_malloc(n + 1);
	if (text == NULL)
		return 1;
	memcpy(text, start, n);
	text[n] = '\0';
	if (item->valuestring != NULL)
		cJSON_free(item->valuestring);
	item->valuestring = text;
	return 1;
}

static int
walk(cJSON *item, struct scan *s)
{
	cJSON *c;

	switch (item->type & 0xFF) {
	case cJSON_False:
		return take_word(s, "false");
	case cJSON_True:
		return take_word(s, "true");
	case cJSON_NULL:
		return take_word(s, "null");
	case cJSON_Number:
		return keep_number(item, s);
	case cJSON_String:
		skip_space(s);
		return skip_string(s);
	case cJSON_Array:
		if (!take(s, '['))
			return 0;
		for (c = item->child; c != NULL; c = c->next)
			if (!walk(c, s) || (c->next != NULL && !take(s, ',')))
				return 0;
		return take(s, ']');
	case cJSON_Object:
		if (!take(s, '{'))
			return 0;
		for (c = item->child; c != NULL; c = c->next) {
			skip_space(s);
			if (!skip_string(s) || !take(s, ':') || !walk(c, s) ||
			    (c->next != NULL && !take(s, ',')))
				return 0;
		}
		return take(s, '}');
	}
	return 0;
}

int
jsonout_keep_number_text(cJSON *root, const char *text, size_t len)
{
	struct scan s = { text, text + len };

	if (root == NULL)
		return -1;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		s.p += 3;
	return walk(root, &s) ? 0 : -1;
}
