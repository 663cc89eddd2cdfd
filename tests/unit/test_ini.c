/* test_ini.c — the INI reader for the SDK credentials file (src/vault/ini.c): syntax,
 * values left in the buffer, problems with their lines and without the line's text,
 * duplicates, bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/xmalloc.h"
#include "vault/ini.h"

/* The value of key in section sec as a C string (caller-freed), or NULL. */
static char *
value(const struct ini *ini, const char *sec, const char *key)
{
	size_t i;

	for (i = 0; i < ini->nsections; i++)
		if (strcmp(ini->sections[i].name, sec) == 0) {
			const struct ini_pair *p = ini_find(&ini->sections[i], key);

			return p != NULL ? xstrndup(p->value, p->len) : NULL;
		}
	return NULL;
}

static void
check_value(const struct ini *ini, const char *sec, const char *key, const char *want)
{
	char *v = value(ini, sec, key);

	if (want == NULL) {
		if (v != NULL)
			fail_msg("[%s] %s = '%s', wanted none", sec, key, v);
		return;
	}
	if (v == NULL)
		fail_msg("[%s] %s missing, wanted '%s'", sec, key, want);
	assert_string_equal(v, want);
	free(v);
}

/* The problem on line (its message), or NULL. */
static const char *
problem_at(const struct ini *ini, int line)
{
	size_t i;

	for (i = 0; i < ini->nproblems; i++)
		if (ini->problems[i].line == line)
			return ini->problems[i].msg;
	return NULL;
}

static void
test_syntax(void **state)
{
	const char *text =
	    "\xef\xbb\xbf; the SDK credentials file\r\n"
	    "# another comment\r\n"
	    "\r\n"
	    "[default]\r\n"
	    "type = access_key\r\n"
	    "  access_key_id=LTAIabc   \r\n"
	    "access_key_secret :  s3cr3t=/+x  ; trailing comment\r\n"
	    "[ sts one ]   # comment after the header\n"
	    "type=sts\n"
	    "security_token = \"CAIS ab # not a comment\"  # a comment\n"
	    "quoted = 'single'\n"
	    "empty =\n"
	    "arn = acs:ram::123:role/x\n"
	    "hash = a#b;c\n"
	    "last = no newline";
	struct ini ini;
	const struct ini_pair *p;

	(void)state;
	assert_int_equal(ini_parse(&ini, text, strlen(text)), 0);
	assert_int_equal(ini.nsections, 2);
	assert_string_equal(ini.sections[0].name, "default");
	assert_int_equal(ini.sections[0].line, 4);
	assert_string_equal(ini.sections[1].name, "sts one");
	check_value(&ini, "default", "type", "access_key");
	check_value(&ini, "default", "access_key_id", "LTAIabc");
	check_value(&ini, "default", "access_key_secret", "s3cr3t=/+x");
	check_value(&ini, "sts one", "security_token", "CAIS ab # not a comment");
	check_value(&ini, "sts one", "quoted", "single");
	check_value(&ini, "sts one", "empty", "");
	check_value(&ini, "sts one", "arn", "acs:ram::123:role/x");
	check_value(&ini, "sts one", "hash", "a#b;c");
	check_value(&ini, "sts one", "last", "no newline");
	check_value(&ini, "sts one", "nosuch", NULL);
	/* Values are left in the buffer, never copied (they may be secrets). */
	p = ini_find(&ini.sections[0], "access_key_secret");
	assert_non_null(p);
	assert_true(p->value > text && p->value < text + strlen(text));
	assert_int_equal(p->line, 7);
	ini_free(&ini);

	assert_int_equal(ini_parse(&ini, "", 0), 0);
	assert_int_equal(ini.nsections, 0);
	ini_free(&ini);
}

static void
test_problems(void **state)
{
	const char *text =
	    "stray = before any section\n"			/* 1 */
	    "[a]\n"						/* 2 */
	    "type = access_key\n"				/* 3 */
	    "CAISpastedTokenWithoutKey\n"			/* 4 */
	    "access_key_id = one\n"				/* 5 */
	    "access_key_id = two\n"				/* 6 */
	    "[b\n"						/* 7 */
	    "ignored = since the header is broken\n"		/* 8 */
	    "[c] junk\n"					/* 9 */
	    "[]\n"						/* 10 */
	    "[a]\n"						/* 11 */
	    "type = sts\n"					/* 12 */
	    "[d]\n"						/* 13 */
	    "bad key = x\n"					/* 14 */
	    "= novalue\n"					/* 15 */
	    "open = \"unterminated\n"				/* 16 */
	    "after = \"quoted\" text\n"				/* 17 */
	    "nul = a\0b\n"					/* 18 */
	    "ok = yes\n";					/* 19 */
	size_t len = 0, i;
	struct ini ini;

	(void)state;
	/* strlen stops at the NUL: the length is counted by hand. */
	len = strlen(text);
	len += 1 + strlen(text + len + 1);
	ini_parse(&ini, text, len);
	assert_non_null(problem_at(&ini, 1));
	assert_non_null(strstr(problem_at(&ini, 1), "before any [section]"));
	assert_non_null(strstr(problem_at(&ini, 4), "not a [section]"));
	assert_non_null(strstr(problem_at(&ini, 6), "key access_key_id again in section [a] "
	    "(first at line 5)"));
	assert_non_null(strstr(problem_at(&ini, 7), "without a closing ']'"));
	assert_null(problem_at(&ini, 8));	/* the skipped section's keys: no noise */
	assert_non_null(strstr(problem_at(&ini, 9), "text after"));
	assert_non_null(strstr(problem_at(&ini, 10), "section name empty"));
	assert_non_null(strstr(problem_at(&ini, 11), "section [a] again (first at line 2)"));
	assert_null(problem_at(&ini, 12));
	assert_non_null(strstr(problem_at(&ini, 14), "key empty"));
	assert_non_null(strstr(problem_at(&ini, 15), "key empty"));
	assert_non_null(strstr(problem_at(&ini, 16), "no closing one"));
	assert_non_null(strstr(problem_at(&ini, 17), "text after a quoted value"));
	assert_non_null(strstr(problem_at(&ini, 18), "NUL byte"));
	assert_null(problem_at(&ini, 19));
	/* No message quotes a line's text (a line may be a secret). */
	for (i = 0; i < ini.nproblems; i++) {
		assert_null(strstr(ini.problems[i].msg, "CAISpasted"));
		assert_null(strstr(ini.problems[i].msg, "unterminated"));
		assert_null(strstr(ini.problems[i].msg, "novalue"));
	}
	/* The first [a] keeps its first values and is marked ambiguous. */
	assert_int_equal(ini.nsections, 2);
	assert_string_equal(ini.sections[0].name, "a");
	assert_int_equal(ini.sections[0].dup_line, 11);
	assert_int_equal(ini.sections[0].dup_keys, 1);
	check_value(&ini, "a", "type", "access_key");
	check_value(&ini, "a", "access_key_id", "one");
	check_value(&ini, "d", "ok", "yes");
	check_value(&ini, "d", "nul", NULL);
	ini_free(&ini);
}

static void
test_bounds(void **state)
{
	struct ini ini;
	char *big, *p;
	size_t i, n;

	(void)state;
	/* A line of exactly INI_LINE_MAX bytes is read; one byte more is refused. */
	n = INI_LINE_MAX + 64;
	big = xmalloc(n * 2);
	p = big;
	memcpy(p, "[s]\nk=", 6);
	p += 6;
	memset(p, 'v', INI_LINE_MAX - 2);
	p += INI_LINE_MAX - 2;
	memcpy(p, "\nl=", 3);
	p += 3;
	memset(p, 'w', INI_LINE_MAX - 1);
	p += INI_LINE_MAX - 1;
	*p++ = '\n';
	ini_parse(&ini, big, (size_t)(p - big));
	assert_int_equal(ini.nsections, 1);
	assert_int_equal(ini.sections[0].npairs, 1);
	assert_int_equal(ini_find(&ini.sections[0], "k")->len, INI_LINE_MAX - 2);
	assert_non_null(strstr(problem_at(&ini, 3), "longer than"));
	ini_free(&ini);
	free(big);

	/* Too many problems: capped, with one line saying so. */
	n = (INI_PROBLEMS_MAX + 50) * 2;
	big = xmalloc(n + 1);
	for (i = 0; i < n; i += 2)
		memcpy(big + i, "x\n", 2);
	ini_parse(&ini, big, n);
	assert_int_equal(ini.nproblems, INI_PROBLEMS_MAX + 1);
	assert_non_null(strstr(ini.problems[INI_PROBLEMS_MAX].msg, "not reported"));
	ini_free(&ini);
	free(big);

	/* Too many sections, too many keys. */
	big = xmalloc((INI_SECTIONS_MAX + 5) * 16 + (INI_PAIRS_MAX + 5) * 16);
	p = big;
	for (i = 0; i < INI_SECTIONS_MAX + 5; i++) {
		p += snprintf(p, 16, "[s%zu]\n", i);
		if (i == 0)
			for (n = 0; n < INI_PAIRS_MAX + 5; n++)
				p += snprintf(p, 16, "k%zu=v\n", n);
	}
	ini_parse(&ini, big, (size_t)(p - big));
	assert_int_equal(ini.nsections, INI_SECTIONS_MAX);
	assert_int_equal(ini.sections[0].npairs, INI_PAIRS_MAX);
	assert_non_null(strstr(problem_at(&ini, INI_PAIRS_MAX + 2), "more than 100 keys"));
	assert_non_null(strstr(problem_at(&ini, INI_PAIRS_MAX + 6 + INI_SECTIONS_MAX),
	    "more than 1000 sections"));
	ini_free(&ini);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
