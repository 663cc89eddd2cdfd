/* test_export.c — the export's writers: CSV fields (RFC 4180 quoting, the formula guard of
 * OWASP's CSV injection list, display-safe text for a terminal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/export.h"

/* The field as export_csv_field writes it. */
static char *
field(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	export_csv_field(f, s);
	fclose(f);
	return out;
}

static void
check(const char *in, const char *want)
{
	char *got = field(in);

	if (strcmp(got, want) != 0)
		fail_msg("field [%s] written as [%s], expected [%s]", in, got, want);
	free(got);
}

/* OWASP: a cell starting with = + - @ tab CR or LF may run as a formula. */
static void
test_formula_guard(void **state)
{
	(void)state;
	check("=1+2", "'=1+2");
	check("+1", "'+1");
	check("-1", "'-1");
	check("@SUM(A1)", "'@SUM(A1)");
	check("\t=1", "'\t=1");
	check("\r=HYPERLINK(\"http://x.invalid\")", "\"'\r=HYPERLINK(\"\"http://x.invalid\"\")\"");
	check("\n=1+2", "\"'\n=1+2\"");
	check("\r\n@x", "\"'\r\n@x\"");
	/* Not at the start: no guard. */
	check("a=1", "a=1");
	check("a\r=1", "\"a\r=1\"");
	check("", "");
}

static void
test_quoting(void **state)
{
	(void)state;
	check("plain", "plain");
	check("a,b", "\"a,b\"");
	check("say \"hi\"", "\"say \"\"hi\"\"\"");
	check("line\nbreak", "\"line\nbreak\"");
	check("智能灯", "智能灯");
	/* A file keeps the data: bytes that are not UTF-8 and controls are written as they
	 * are (the export to a terminal is display-safe instead). */
	check("a\xFF" "b", "a\xFF" "b");
	check("x\033[2Jy", "x\033[2Jy");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_quoting),
	};
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
