/* test_export.c — what `export` and `call` write: CSV fields (RFC 4180 quoting, the
 * formula guard of OWASP's CSV injection list, display-safe text for a terminal) and the
 * JSON of an answer (valid, inert, the same values). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/call.h"
#include "cli/export.h"
#include "core/safetext.h"

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

static void
check_display(const char *in, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	export_csv_write_field(f, in, 1);
	fclose(f);
	if (strcmp(out, want) != 0)
		fail_msg("field [%s] shown as [%s], expected [%s]", in, out, want);
	free(out);
}

/* CSV on a terminal: nothing the terminal would act on or hide. */
static void
test_csv_display_safe(void **state)
{
	(void)state;
	check_display("plain", "plain");
	check_display("x\033[2Jy", "x\xE2\x90\x9B[2Jy");			/* ␛ */
	check_display("a\xC2\x9B" "2J", "a\xEF\xBF\xBD" "2J");		/* C1 CSI */
	check_display("a\x9B" "2J", "a\xEF\xBF\xBD" "2J");		/* raw 0x9B */
	check_display("abc\xE2\x80\xAE" "fdp", "abc\xEF\xBF\xBD" "fdp");	/* RLO */
	check_display("dev\xE2\x80\x8B" "01", "dev\xEF\xBF\xBD" "01");	/* ZWSP */
	check_display("line\nbreak", "line\xE2\x90\x8A" "break");		/* ␊: one line */
	check_display("a,b", "\"a,b\"");
	check_display("=1+2", "'=1+2");
	check_display("智能灯", "智能灯");
}

/* No byte of s[0..len) that the display-safe rules flag, but newlines; valid UTF-8. */
static void
assert_inert(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			fail_msg("invalid UTF-8 at byte %zu: [%s]", i, s);
		if (safetext_is_unsafe(cp) && cp != '\n')
			fail_msg("U+%04X at byte %zu: [%s]", (unsigned)cp, i, s);
		i += n;
	}
}

/* `iotdeck call` prints a device-reported value with a bidi override, a C1 CSI, a raw
 * 0x9B byte, a zero width space and an escape sequence as escapes. */
static void
test_call_print(void **state)
{
	const char *answer = "{\"RequestId\":\"R\",\"Data\":{\"Value\":\"a\xE2\x80\xAE" "b\","
	    "\"C1\":\"\xC2\x9B" "31m\",\"Raw\":\"\x9B" "31m\",\"Zw\":\"dev\xE2\x80\x8B" "01\","
	    "\"Esc\":\"\\u001b]0;owned\\u0007\",\"Total\":3,\"List\":[1,\"x\"]}}";
	cJSON *j = cJSON_Parse(answer), *back, *d;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_non_null(j);
	call_print_json(f, j);
	fclose(f);
	assert_inert(out, len);
	assert_non_null(strstr(out, "\"Value\": \"a\\u202eb\""));
	assert_non_null(strstr(out, "\"C1\": \"\\u009b31m\""));
	assert_non_null(strstr(out, "\"Raw\": \"\xEF\xBF\xBD" "31m\""));
	assert_non_null(strstr(out, "\"Zw\": \"dev\\u200b01\""));
	assert_non_null(strstr(out, "\"Esc\": \"\\u001b]0;owned\\u0007\""));
	assert_non_null(strstr(out, "\"Total\": 3,"));
	assert_int_equal(out[len - 1], '\n');
	back = cJSON_Parse(out);
	assert_non_null(back);
	d = cJSON_GetObjectItemCaseSensitive(back, "Data");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "Value")->valuestring,
	    "a\xE2\x80\xAE" "b");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "Esc")->valuestring,
	    "\x1B]0;owned\x07");
	cJSON_Delete(back);
	cJSON_Delete(j);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_csv_display_safe),
		cmocka_unit_test(test_call_print),
	};
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
