/* test_lock.c — the console's lock timer (ui/lock.h): a sliding idle limit and an absolute
 * cap since the unlock, on an injected clock (the times are arguments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ui/lock.h"

static void
test_idle(void **state)
{
	struct lock_idle t;

	(void)state;
	lock_idle_start(&t, 1000, 5000, 100);
	assert_false(lock_idle_expired(&t, 100));
	assert_int_equal(lock_idle_remaining_ms(&t, 600), 500);
	lock_idle_touch(&t, 900);
	assert_int_equal(lock_idle_remaining_ms(&t, 1000), 900);
	assert_false(lock_idle_expired(&t, 1899));
	assert_true(lock_idle_expired(&t, 1900));
	/* A touch from the past does not move it back. */
	lock_idle_touch(&t, 500);
	assert_true(lock_idle_expired(&t, 1900));
	/* Activity keeps sliding it, up to the absolute cap. */
	lock_idle_touch(&t, 4800);
	assert_int_equal(lock_idle_remaining_ms(&t, 4900), 200);
	assert_true(lock_idle_expired(&t, 5100));
	/* Either limit alone. */
	lock_idle_start(&t, 0, 3000, 0);
	assert_int_equal(lock_idle_remaining_ms(&t, 1000), 2000);
	lock_idle_start(&t, 3000, 0, 0);
	lock_idle_touch(&t, 100000);
	assert_int_equal(lock_idle_remaining_ms(&t, 101000), 2000);
	/* Both off: never. */
	lock_idle_start(&t, 0, 0, 0);
	assert_true(lock_idle_remaining_ms(&t, 1000000) == INT64_MAX);
	assert_false(lock_idle_expired(&t, 1000000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
