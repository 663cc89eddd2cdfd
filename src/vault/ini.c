/* ini.c — the INI reader of ini.h: one pass over the lines, values left in place. */
#include "vault/ini.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

static void problem(struct ini *ini, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a problem; after INI_PROBLEMS_MAX, one last one says the rest were left out. */
static void
problem(struct ini *ini, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	if (ini->nproblems > INI_PROBLEMS_MAX)
		return;
	if (ini->nproblems == INI_PROBLEMS_MAX)
		snprintf(msg, sizeof msg, "more than %d problems; the rest are not reported",
		    INI_PROBLEMS_MAX);
	else {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
	}
	ini->problems = xreallocarray(ini->problems, ini->nproblems + 1,
	    sizeof *ini->problems);
	ini->problems[ini->nproblems].line = line;
	ini->problems[ini->nproblems].msg = xstrdup(msg);
	ini->nproblems++;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Trims whitespace from both ends of [*p, *p + *n). */
static void
trim(const char **p, size_t *n)
{
	while (*n > 0 && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*p)[*n - 1]))
		(*n)--;
}

/* Returns 1 when p[0..n) is a usable name: 1 to INI_NAME_MAX printable ASCII bytes. */
static int
name_ok(const char *p, size_t n, int allow_space)
{
	size_t i;

	if (n == 0 || n > INI_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e ||
		    (!allow_space && p[i] == ' '))
			return 0;
	return 1;
}

/* Cuts an inline comment (";" or "#" after whitespace) off an unquoted value. */
static void
cut_comment(const char *p, size_t *n)
{
	size_t i;

	for (i = 1; i < *n; i++)
		if ((p[i] == ';' || p[i] == '#') && is_space(p[i - 1])) {
			*n = i;
			return;
		}
}

static struct ini_section *
section_find(struct ini *ini, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < ini->nsections; i++)
		if (strlen(ini->sections[i].name) == n &&
		    memcmp(ini->sections[i].name, name, n) == 0)
			return &ini->sections[i];
	return NULL;
}

/* A "[name]" line. *cur becomes the section that takes the following keys: -1 when they
 * are to be dropped (a broken or repeated header). */
static void
parse_section(struct ini *ini, const char *p, size_t n, int line, long *cur)
{
	const char *end = memchr(p, ']', n), *rest, *name;
	struct ini_section *s;
	size_t rn, nn;

	*cur = -1;
	if (end == NULL) {
		problem(ini, line, "section header without a closing ']': the section is "
		    "skipped");
		return;
	}
	rest = end + 1;
	rn = n - (size_t)(rest - p);
	trim(&rest, &rn);
	if (rn > 0 && *rest != ';' && *rest != '#') {
		problem(ini, line, "text after a section header's ']': the section is skipped");
		return;
	}
	name = p + 1;
	nn = (size_t)(end - name);
	trim(&name, &nn);
	if (!name_ok(name, nn, 1)) {
		problem(ini, line, "section name empty, longer than %d bytes or not printable "
		    "ASCII: the section is skipped", INI_NAME_MAX);
		return;
	}
	if ((s = section_find(ini, name, nn)) != NULL) {
		if (s->dup_line == 0)
			s->dup_line = line;
		problem(ini, line, "section [%s] again (first at line %d): both are ambiguous",
		    s->name, s->line);
		return;
	}
	if (ini->nsections >= INI_SECTIONS_MAX) {
		problem(ini, line, "more than %d sections: the rest are skipped",
		    INI_SECTIONS_MAX);
		return;
	}
	ini->sections = xreallocarray(ini->sections, ini->nsections + 1,
	    sizeof *ini->sections);
	s = &ini->sections[ini->nsections];
	memset(s, 0, sizeof *s);
	s->name = xstrndup(name, nn);
	s->line = line;
	*cur = (long)ini->nsections++;
}

/* A "key = value" line for section cur (-1: none, or one being skipped). */
static void
parse_pair(struct ini *ini, const char *p, size_t n, int line, long cur, int in_skipped)
{
	const char *eq = NULL, *key, *val;
	struct ini_section *s;
	size_t i, kn, vn;

	for (i = 0; i < n; i++)
		if (p[i] == '=' || p[i] == ':') {
			eq = p + i;
			break;
		}
	if (eq == NULL) {
		problem(ini, line, "not a [section], a 'key = value' line or a comment: the "
		    "line is skipped");
		return;
	}
	key = p;
	kn = (size_t)(eq - p);
	trim(&key, &kn);
	val = eq + 1;
	vn = n - (size_t)(val - p);
	trim(&val, &vn);
	if (!name_ok(key, kn, 0)) {
		problem(ini, line, "key empty, longer than %d bytes or not printable ASCII "
		    "without spaces: the line is skipped", INI_NAME_MAX);
		return;
	}
	if (cur < 0) {
		if (!in_skipped)
			problem(ini, line, "key before any [section]: the line is skipped");
		return;
	}
	if (vn >= 1 && (val[0] == '"' || val[0] == '\'')) {
		const char *close = vn > 1 ? memchr(val + 1, val[0], vn - 1) : NULL, *rest;
		size_t rn;

		if (close == NULL) {
			problem(ini, line, "value with an opening quote and no closing one: the "
			    "line is skipped");
			return;
		}
		rest = close + 1;
		rn = vn - (size_t)(rest - val);
		trim(&rest, &rn);
		if (rn > 0 && *rest != ';' && *rest != '#') {
			problem(ini, line, "text after a quoted value: the line is skipped");
			return;
		}
		val++;
		vn = (size_t)(close - val);
	} else {
		cut_comment(val, &vn);
		trim(&val, &vn);
	}
	s = &ini->sections[cur];
	for (i = 0; i < s->npairs; i++)
		if (strlen(s->pairs[i].key) == kn && memcmp(s->pairs[i].key, key, kn) == 0) {
			s->dup_keys++;
			problem(ini, line, "key %.*s again in section [%s] (first at line %d): "
			    "the section is ambiguous", (int)kn, key, s->name, s->pairs[i].line);
			return;
		}
	if (s->npairs >= INI_PAIRS_MAX) {
		problem(ini, line, "more than %d keys in section [%s]: the line is skipped",
		    INI_PAIRS_MAX, s->name);
		return;
	}
	s->pairs = xreallocarray(s->pairs, s->npairs + 1, sizeof *s->pairs);
	s->pairs[s->npairs].key = xstrndup(key, kn);
	s->pairs[s->npairs].value = val;
	s->pairs[s->npairs].len = vn;
	s->pairs[s->npairs].line = line;
	s->npairs++;
}

size_t
ini_parse(struct ini *ini, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;
	long cur = -1;
	int line = 0, skipped = 0;
	size_t n;

	memset(ini, 0, sizeof *ini);
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (nl != NULL ? nl : end) - p;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > INI_LINE_MAX)
			problem(ini, line, "line longer than %d bytes: skipped", INI_LINE_MAX);
		else if (memchr(p, '\0', n) != NULL)
			problem(ini, line, "a NUL byte in the line: skipped");
		else {
			const char *q = p;

			trim(&q, &n);
			if (n == 0 || *q == ';' || *q == '#')
				;
			else if (*q == '[') {
				parse_section(ini, q, n, line, &cur);
				skipped = cur < 0;
			} else
				parse_pair(ini, q, n, line, cur, skipped);
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return ini->nproblems;
}

const struct ini_pair *
ini_find(const struct ini_section *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->npairs; i++)
		if (strcmp(s->pairs[i].key, key) == 0)
			return &s->pairs[i];
	return NULL;
}

void
ini_free(struct ini *ini)
{
	size_t i, k;

	for (i = 0; i < ini->nsections; i++) {
		for (k = 0; k < ini->sections[i].npairs; k++)
			free(ini->sections[i].pairs[k].key);
		free(ini->sections[i].pairs);
		free(ini->sections[i].name);
	}
	free(ini->sections);
	for (i = 0; i < ini->nproblems; i++)
		free(ini->problems[i].msg);
	free(ini->problems);
	memset(ini, 0, sizeof *ini);
}
