/* test_timefmt.c — every shape of time the API sends reads as the same instant, and the
 * three styles write it as documented. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/timefmt.h"

/* 2020-01-08 06:47:08 UTC: the guide's QueryDeviceDetail example (UtcCreate) */
#define GUIDE_MS 1578466028000LL

static int64_t
parsed(const char *s)
{
	int64_t ms = -42;

	if (timefmt_parse(s, &ms) != 0)
		fail_msg("'%s' did not parse", s);
	return ms;
}

static void
test_shapes_of_one_instant(void **state)
{
	(void)state;
	assert_int_equal(parsed("1578466028000"), GUIDE_MS);
	assert_int_equal(parsed("2020-01-08T06:47:08.000Z"), GUIDE_MS);
	assert_int_equal(parsed("2020-01-08T06:47:08Z"), GUIDE_MS);
	assert_int_equal(parsed("2020-01-08T14:47:08+08:00"), GUIDE_MS);
	assert_int_equal(parsed("2020-01-08T14:47:08+0800"), GUIDE_MS);
	assert_int_equal(parsed("2020-01-08T01:47:08-05:00"), GUIDE_MS);
	/* The service's local time (GmtCreate of QueryDeviceDetail) is UTC+8. */
	assert_int_equal(parsed("2020-01-08 14:47:08"), GUIDE_MS);
	assert_int_equal(parsed("2020-01-08 14:47:08.000"), GUIDE_MS);
	assert_int_equal(parsed("Wed, 08-Jan-2020 06:47:08 GMT"), GUIDE_MS);
	assert_int_equal(parsed("Wed, 08 Jan 2020 06:47:08 GMT"), GUIDE_MS);
	assert_int_equal(parsed("Wed Jan 08 14:47:08 CST 2020"), GUIDE_MS);
	assert_int_equal(parsed("Wed Jan  8 14:47:08 CST 2020"), GUIDE_MS);
	assert_int_equal(parsed("  2020-01-08T06:47:08.000Z "), GUIDE_MS);
}

static void
test_guide_examples(void **state)
{
	(void)state;
	/* 4.8 QueryDevice: GmtCreate and UtcCreate of one device. */
	assert_int_equal(parsed("Wed, 20-Feb-2019 02:16:09 GMT"), parsed("2019-02-20T02:16:09.000Z"));
	/* 4.8 QueryDeviceDetail: GmtActive local, UtcActive. */
	assert_int_equal(parsed("2020-01-16 13:33:37"), parsed("2020-01-16T05:33:37.000Z"));
	/* OTA modules: minutes only. */
	assert_int_equal(parsed("2020-10-13T09:46Z"), 1602582360000LL);
	/* Fractions: milliseconds, more digits cut, fewer filled. */
	assert_int_equal(parsed("2020-01-08T06:47:08.5Z"), GUIDE_MS + 500);
	assert_int_equal(parsed("2020-01-08T06:47:08.123456Z"), GUIDE_MS + 123);
	assert_int_equal(parsed("0"), 0);
	assert_int_equal(parsed("1581595942000"), 1581595942000LL);
	/* Leap day. */
	assert_int_equal(parsed("2024-02-29T00:00:00Z"), 1709164800000LL);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
		"", "   ", "yesterday", "2020-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
		"2020-01-08T24:00:00Z", "2020-01-08T06:47:08Q", "2020-01-08T06:47:08.Z",
		"2020-01-08", "2020-1-8 1:2:3", "Wed, 08-Foo-2020 06:47:08 GMT",
		"Wed, 08-Jan-2020 06:47:08 PST", "Wed Jan 08 14:47:08 XYZ 2020",
		"1234567890123456", "12ab", "--1", "2020-01-08T06:47:08+25:00",
		"2020-01-08T06:47:08.000Zjunk",
	};
	int64_t ms = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (timefmt_parse(bad[i], &ms) == 0)
			fail_msg("'%s' parsed", bad[i]);
		assert_int_equal(ms, 7);
	}
	assert_int_equal(timefmt_parse(NULL, &ms), -1);
}

static void
test_styles(void **state)
{
	char out[TIMEFMT_MAX];

	(void)state;
	setenv("TZ", "JST-9", 1);	/* POSIX form: no zone files needed */
	tzset();
	assert_string_equal(timefmt_format(GUIDE_MS, TIMEFMT_LOCAL, out, sizeof out),
	    "2020-01-08 15:47:08");
	assert_string_equal(timefmt_format(GUIDE_MS, TIMEFMT_UTC, out, sizeof out),
	    "2020-01-08 06:47:08");
	assert_string_equal(timefmt_format(GUIDE_MS, TIMEFMT_ISO, out, sizeof out),
	    "2020-01-08T06:47:08Z");
	assert_string_equal(timefmt_format(GUIDE_MS + 999, TIMEFMT_ISO, out, sizeof out),
	    "2020-01-08T06:47:08Z");
	assert_string_equal(timefmt_format(-1, TIMEFMT_ISO, out, sizeof out),
	    "1969-12-31T23:59:59Z");
	assert_string_equal(timefmt_format(INT64_MAX, TIMEFMT_ISO, out, sizeof out), "");
	assert_string_equal(timefmt_format(INT64_MIN, TIMEFMT_LOCAL, out, sizeof out), "");
	/* Round trip through the ISO style. */
	assert_int_equal(parsed(timefmt_format(GUIDE_MS, TIMEFMT_ISO, out, sizeof out)), GUIDE_MS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes_of_one_instant),
		cmocka_unit_test(test_guide_examples),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_styles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
