/* test_sparkline.c — which bar a value gets: eight equal buckets from the smallest to the
 * largest value, a flat series in the middle, what is not a number left blank. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/sparkline.h"

static void
test_levels_are_equal_buckets(void **state)
{
	(void)state;
	/* [0, 8): bucket k is [k, k+1), the last one [7, 8] */
	assert_int_equal(sparkline_level(0, 0, 8), 0);
	assert_int_equal(sparkline_level(0.999, 0, 8), 0);
	assert_int_equal(sparkline_level(1, 0, 8), 1);
	assert_int_equal(sparkline_level(3.5, 0, 8), 3);
	assert_int_equal(sparkline_level(4, 0, 8), 4);
	assert_int_equal(sparkline_level(7, 0, 8), 7);
	assert_int_equal(sparkline_level(7.999, 0, 8), 7);
	assert_int_equal(sparkline_level(8, 0, 8), 7);
	/* the ends are the lowest and the highest bar, whatever the scale */
	assert_int_equal(sparkline_level(-40, -40, 120), 0);
	assert_int_equal(sparkline_level(120, -40, 120), 7);
	assert_int_equal(sparkline_level(40, -40, 120), 4);	/* half way */
	assert_int_equal(sparkline_level(219.8, 219.8, 231.2), 0);
	assert_int_equal(sparkline_level(231.2, 219.8, 231.2), 7);
}

static void
test_clamped_flat_and_not_numbers(void **state)
{
	(void)state;
	assert_int_equal(sparkline_level(-1, 0, 8), 0);
	assert_int_equal(sparkline_level(100, 0, 8), 7);
	/* a flat series reads as steady, not as zero */
	assert_int_equal(sparkline_level(5, 5, 5), 3);
	assert_int_equal(sparkline_level(NAN, 0, 8), -1);
	assert_int_equal(sparkline_level(INFINITY, 0, 8), -1);
	assert_int_equal(sparkline_level(1, NAN, 8), -1);
	assert_int_equal(sparkline_level(1, 8, 0), -1);	/* min > max */
	/* a range wider than DBL_MAX does not overflow */
	assert_int_equal(sparkline_level(0, -DBL_MAX, DBL_MAX), 4);
	assert_int_equal(sparkline_level(DBL_MAX, -DBL_MAX, DBL_MAX), 7);
	assert_int_equal(sparkline_level(-DBL_MAX, -DBL_MAX, DBL_MAX), 0);
}

static void
test_range(void **state)
{
	const double v[] = { NAN, 3, -2, 7, INFINITY, 7, -2 };
	double min = 99, max = 99;
	size_t imin = 99, imax = 99;

	(void)state;
	assert_int_equal(sparkline_range(v, 7, &min, &max, &imin, &imax), 5);
	assert_true(min == -2 && max == 7);
	/* the first of equal values */
	assert_int_equal(imin, 2);
	assert_int_equal(imax, 3);
	/* nothing finite: outputs untouched */
	assert_int_equal(sparkline_range(v, 1, &min, &max, NULL, NULL), 0);
	assert_true(min == -2 && max == 7);
	assert_int_equal(sparkline_range(v, 0, &min, &max, NULL, NULL), 0);
}

static void
test_render(void **state)
{
	const double up[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const double gaps[] = { 10, NAN, 20 };
	const double flat[] = { 4, 4 };
	struct buf b = BUF_INIT;

	(void)state;
	sparkline_render(&b, up, 8);
	assert_string_equal(buf_str(&b), "▁▂▃▄▅▆▇█");
	buf_reset(&b);
	sparkline_render(&b, gaps, 3);
	assert_string_equal(buf_str(&b), "▁ █");
	buf_reset(&b);
	sparkline_render(&b, flat, 2);
	assert_string_equal(buf_str(&b), "▄▄");
	buf_reset(&b);
	sparkline_render(&b, gaps + 1, 1);
	assert_string_equal(buf_str(&b), " ");
	buf_reset(&b);
	sparkline_render(&b, up, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels_are_equal_buckets),
		cmocka_unit_test(test_clamped_flat_and_not_numbers),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
