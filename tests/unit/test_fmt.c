/* test_fmt.c — the segments of a progress bar: every column given out, each segment its
 * share, and a segment with a count never drawn as nothing (the OTA bar that drew 40
 * canceled tasks, or 7 failed of 44, as a full green bar). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ui/fmt.h"

static int
sum(const int *w, int n)
{
	int i, s = 0;

	for (i = 0; i < n; i++)
		s += w[i];
	return s;
}

static void
test_shares(void **state)
{
	/* succeeded, failed, canceled, under way, waiting */
	int64_t c[5] = { 50, 25, 25, 0, 0 };
	int w[5];

	(void)state;
	fmt_segments(c, 5, 40, w);
	assert_int_equal(w[0], 20);
	assert_int_equal(w[1], 10);
	assert_int_equal(w[2], 10);
	assert_int_equal(w[3], 0);
	assert_int_equal(sum(w, 5), 40);
}

static void
test_canceled_is_not_done(void **state)
{
	int64_t c[5] = { 0, 0, 40, 0, 0 };
	int w[5];

	(void)state;
	fmt_segments(c, 5, 30, w);
	assert_int_equal(w[0], 0);	/* nothing succeeded: no done column */
	assert_int_equal(w[2], 30);
}

static void
test_small_counts_show(void **state)
{
	int64_t c[5] = { 37, 7, 0, 0, 0 };
	int64_t big[5] = { 9990, 7, 1, 2, 0 };
	int w[5];

	(void)state;
	fmt_segments(c, 5, 10, w);
	assert_true(w[1] >= 1);
	assert_int_equal(sum(w, 5), 10);
	fmt_segments(big, 5, 60, w);
	assert_int_equal(w[1], 1);	/* 7 of 10,000 failed: one column, not none */
	assert_int_equal(w[2], 1);
	assert_int_equal(w[3], 1);
	assert_int_equal(w[4], 0);
	assert_int_equal(w[0], 57);
	assert_int_equal(sum(w, 5), 60);
}

static void
test_edges(void **state)
{
	int64_t zero[3] = { 0, -1, 0 }, many[5] = { 1, 1, 1, 1, 1 };
	int w[5];

	(void)state;
	fmt_segments(zero, 3, 20, w);
	assert_int_equal(sum(w, 3), 0);
	fmt_segments(many, 5, 3, w);	/* fewer columns than segments: still every column */
	assert_int_equal(sum(w, 5), 3);
	fmt_segments(many, 5, 0, w);
	assert_int_equal(sum(w, 5), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_canceled_is_not_done),
		cmocka_unit_test(test_small_counts_show),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
