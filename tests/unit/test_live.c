/* test_live.c — the live refreshes follow refresh-interval: each pane's interval is named
 * at the default (5 s), scales with the setting and never goes under its least. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ui/ui.h"

static void
test_default_keeps_the_named_intervals(void **state)
{
	const struct ui_live props = { .at_default = 2.0, .least = 1.0 };
	const struct ui_live jobs = { .at_default = 10.0, .least = 2.0 };

	(void)state;
	assert_true(ui_live_scale(UI_REFRESH_DEFAULT, &props) == 2.0);
	assert_true(ui_live_scale(UI_REFRESH_DEFAULT, &jobs) == 10.0);
	/* unset (or nonsense) is the default */
	assert_true(ui_live_scale(0, &props) == 2.0);
	assert_true(ui_live_scale(-3, &jobs) == 10.0);
}

static void
test_scales_with_the_setting(void **state)
{
	const struct ui_live states = { .at_default = 3.0, .least = 1.0 };
	const struct ui_live jobs = { .at_default = 10.0, .least = 2.0 };

	(void)state;
	/* refresh-interval 10 halves every live refresh, 60 makes it 12 times as slow */
	assert_true(ui_live_scale(10, &states) == 6.0);
	assert_true(ui_live_scale(10, &jobs) == 20.0);
	assert_true(ui_live_scale(60, &jobs) == 120.0);
	/* 4 of 5: four fifths of the default */
	assert_true(ui_live_scale(4, &jobs) == 8.0);
}

static void
test_never_under_the_least(void **state)
{
	const struct ui_live props = { .at_default = 2.0, .least = 1.0 };
	const struct ui_live counts = { .at_default = 10.0, .least = 5.0 };

	(void)state;
	/* refresh-interval 1: five times as often, but never over the QPS budget */
	assert_true(ui_live_scale(1, &props) == 1.0);
	assert_true(ui_live_scale(1, &counts) == 5.0);
	assert_true(ui_live_scale(2, &props) == 1.0);
	assert_true(ui_live_scale(3, &props) > 1.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_keeps_the_named_intervals),
		cmocka_unit_test(test_scales_with_the_setting),
		cmocka_unit_test(test_never_under_the_least),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
