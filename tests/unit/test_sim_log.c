/* test_sim_log.c — the simulator's log is display-safe whatever its arguments hold:
 * escape sequences (an OSC title, a CSI), C1 controls, bidi overrides and newlines in an
 * argument reach the terminal as visible placeholders, never as themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/log.h"

static char *
format(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = sim_log_format(fmt, ap);
	va_end(ap);
	return s;
}

/* No byte of s is a C0 control, DEL, or the start of a raw C1 control. */
static void
assert_inert(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		assert_true(*p >= 0x20 && *p != 0x7f);
		/* U+0080..U+009F in UTF-8 is C2 80..C2 9F. */
		if (p[0] == 0xc2)
			assert_true(p[1] < 0x80 || p[1] > 0x9f);
	}
}

static void
test_format_is_safe(void **state)
{
	char *s;

	(void)state;
	/* The OSC title sequence of the issue, as an Action. */
	s = format("%s %s %s -> %d %s", "GET", "\033]0;pwned\007", "-", 404, "InvalidApi.NotFound");
	assert_inert(s);
	assert_non_null(strstr(s, "\xe2\x90\x9b]0;pwned\xe2\x90\x87"));	/* ␛]0;pwned␇ */
	assert_non_null(strstr(s, "-> 404 InvalidApi.NotFound"));
	free(s);
	/* A raw C1 CSI byte, its UTF-8 form, a bidi override, invalid UTF-8. */
	s = format("key %s", "a\x9b" "2J b\xc2\x9b" "2J c\xe2\x80\xae" "d \xff");
	assert_inert(s);
	assert_null(strstr(s, "\xe2\x80\xae"));
	free(s);
	/* A newline in an argument cannot start a forged line; the message's own trailing
	 * newline is dropped (sim_log adds one). */
	s = format("%s\n", "x -> 200 OK\niotdeck-sim: forged");
	assert_null(strchr(s, '\n'));
	assert_non_null(strstr(s, "\xe2\x90\x8a"));	/* ␊ */
	free(s);
	/* Chinese and plain text are kept as they are. */
	s = format("loaded %s (%zu devices)", "/tmp/世界.jsonl", (size_t)3);
	assert_string_equal(s, "loaded /tmp/世界.jsonl (3 devices)");
	free(s);
}

static void
test_log_line(void **state)
{
	FILE *f = tmpfile();
	char line[256];

	(void)state;
	assert_non_null(f);
	sim_log_set_stream(f);
	sim_log("POST %s %s -> %d %s", "\033[2J", "k", 200, "OK");
	sim_log_set_stream(NULL);
	rewind(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "iotdeck-sim: POST \xe2\x90\x9b[2J k -> 200 OK\n");
	assert_null(fgets(line, sizeof line, f));
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_is_safe),
		cmocka_unit_test(test_log_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
