/* test_ota_check.c — `iotdeck ota`'s value checks against the guide's ranges (exact
 * messages), the schedule's times and window, and the --max-failed stop rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/ota_check.h"

#define MIN_MS  60000LL
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS  (24 * HOUR_MS)
/* 2024-05-01T08:00:00Z */
#define NOW_MS  1714550400000LL

/* Asserts that a check refused with exactly this message. */
static void
refused(int rc, char **cause, const char *want)
{
	assert_int_equal(rc, -1);
	assert_non_null(*cause);
	assert_string_equal(*cause, want);
	free(*cause);
	*cause = NULL;
}

static void
test_ranges(void **state)
{
	static const long intervals[] = { 0, 10, 30, 60, 1440 }, counts[] = { 1, 2, 5 };
	char *cause = NULL, *gp = NULL;
	long v = -1;

	(void)state;
	assert_int_equal(ota_check_long("--per-minute", "10", 10, 10000, "X", &v, &cause), 0);
	assert_int_equal(v, 10);
	assert_int_equal(ota_check_long("--per-minute", "10000", 10, 10000, "X", &v, &cause), 0);
	refused(ota_check_long("--per-minute", "5", 10, 10000,
	    "CreateOTAStaticUpgradeJob MaximumPerMinute", &v, &cause), &cause,
	    "--per-minute 5: expected 10..10000 (CreateOTAStaticUpgradeJob MaximumPerMinute)");
	refused(ota_check_long("--timeout", "1441", 1, 1440, "CreateOTAVerifyJob TimeoutInMinutes",
	    &v, &cause), &cause, "--timeout 1441: expected 1..1440 (CreateOTAVerifyJob "
	    "TimeoutInMinutes)");
	refused(ota_check_long("--timeout", "12abc", 1, 1440, "T", &v, &cause), &cause,
	    "--timeout 12abc: expected 1..1440 (T)");
	refused(ota_check_long("--timeout", "", 1, 1440, "T", &v, &cause), &cause,
	    "--timeout : expected 1..1440 (T)");
	refused(ota_check_long("--timeout", "+5", 1, 1440, "T", &v, &cause), &cause,
	    "--timeout +5: expected 1..1440 (T)");

	assert_int_equal(ota_check_choice("--retry-interval", "1440", intervals, 5, "X", &v,
	    &cause), 0);
	assert_int_equal(v, 1440);
	refused(ota_check_choice("--retry-interval", "15", intervals, 5,
	    "CreateOTAStaticUpgradeJob RetryInterval", &v, &cause), &cause,
	    "--retry-interval 15: expected 0, 10, 30, 60 or 1440 (CreateOTAStaticUpgradeJob "
	    "RetryInterval)");
	refused(ota_check_choice("--retry-count", "3", counts, 3, "CreateOTAStaticUpgradeJob "
	    "RetryCount", &v, &cause), &cause, "--retry-count 3: expected 1, 2 or 5 "
	    "(CreateOTAStaticUpgradeJob RetryCount)");
	assert_int_equal(ota_check_retry_timeout(30, 60, "J", &cause), 0);
	assert_int_equal(ota_check_retry_timeout(1440, 0, "J", &cause), 0);
	refused(ota_check_retry_timeout(60, 60, "J", &cause), &cause, "--retry-interval 60: "
	    "expected less than --timeout 60 (J RetryInterval < TimeoutInMinutes)");

	/* GrayPercent: 1..100, at most 3 decimals, sent as given. */
	assert_int_equal(ota_check_gray("33.333", "G", &gp, &cause), 0);
	assert_string_equal(gp, "33.333");
	free(gp);
	assert_int_equal(ota_check_gray("100", "G", &gp, &cause), 0);
	free(gp);
	assert_int_equal(ota_check_gray("1", "G", &gp, &cause), 0);
	free(gp);
	refused(ota_check_gray("120", "CreateOTAStaticUpgradeJob GrayPercent", &gp, &cause),
	    &cause, "--gray 120: expected 1..100 (CreateOTAStaticUpgradeJob GrayPercent)");
	refused(ota_check_gray("0.5", "G", &gp, &cause), &cause, "--gray 0.5: expected 1..100 (G)");
	refused(ota_check_gray("33.3333", "G", &gp, &cause), &cause,
	    "--gray 33.3333: expected 1..100, at most 3 decimals (G)");
	refused(ota_check_gray("5%", "G", &gp, &cause), &cause,
	    "--gray 5%: expected 1..100, at most 3 decimals (G)");
	refused(ota_check_gray("10.", "G", &gp, &cause), &cause,
	    "--gray 10.: expected 1..100, at most 3 decimals (G)");
}

static void
test_names_and_counts(void **state)
{
	char *cause = NULL, **v = NULL;
	size_t n = 0;
	char name41[42];

	(void)state;
	assert_int_equal(ota_check_version("--dest-version", "1.0.0-rc_2", "D", &cause), 0);
	refused(ota_check_version("--dest-version", "1.0 beta", "CreateOTAFirmware DestVersion",
	    &cause), &cause, "--dest-version 1.0 beta: expected 1..64 letters, digits, '.', '-' "
	    "or '_' (CreateOTAFirmware DestVersion)");
	/* Characters, not bytes: 40 Chinese characters are a valid FirmwareName. */
	assert_int_equal(ota_check_text("--name", "固件固件固件固件固件固件固件固件固件固件"
	    "固件固件固件固件固件固件固件固件固件固件", 1, 40, "N", &cause), 0);
	memset(name41, 'a', 41);
	name41[41] = '\0';
	assert_int_equal(ota_check_text("--name", name41, 1, 40, "N", &cause), -1);
	assert_non_null(strstr(cause, "expected 1..40 characters, not 41 (N)"));
	free(cause);

	assert_int_equal(ota_check_count("--devices", 10, OTA_MAX_VERIFY_DEVICES, "V", &cause), 0);
	refused(ota_check_count("--devices", 11, OTA_MAX_VERIFY_DEVICES,
	    "CreateOTAVerifyJob TargetDeviceName.N", &cause), &cause,
	    "--devices: 11 named, at most 10 (CreateOTAVerifyJob TargetDeviceName.N)");
	refused(ota_check_count("--devices", 0, 10, "V", &cause), &cause,
	    "--devices: nothing named (V)");

	ota_split_list("a, b,,c ,", &v, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b");
	assert_string_equal(v[2], "c");
	assert_int_equal(ota_first_duplicate(v, n), 3);
	ota_split_list("b", &v, &n);
	assert_int_equal(ota_first_duplicate(v, n), 3);
	ota_list_free(v, n);
	/* The first name that was named before: "x" at 4 (not "b" at 5, nor the third "x"). */
	v = NULL;
	n = 0;
	ota_split_list("x,b,c,d,x,b,x", &v, &n);
	assert_int_equal(ota_first_duplicate(v, n), 4);
	ota_list_free(v, n);
	v = NULL;
	n = 0;
	ota_split_list("a,b,c,b,a", &v, &n);
	assert_int_equal(ota_first_duplicate(v, n), 3);
	ota_list_free(v, n);
	v = NULL;
	n = 0;
	ota_split_list("a", &v, &n);
	assert_int_equal(ota_first_duplicate(v, n), 1);
	ota_list_free(v, n);
}

static void
test_schedule(void **state)
{
	char *cause = NULL;
	int64_t ms = 0;

	(void)state;
	assert_int_equal(ota_parse_time("--schedule", "+30m", NOW_MS, &ms, &cause), 0);
	assert_int_equal(ms, NOW_MS + 30 * MIN_MS);
	assert_int_equal(ota_parse_time("--schedule", "+2h", NOW_MS, &ms, &cause), 0);
	assert_int_equal(ms, NOW_MS + 2 * HOUR_MS);
	assert_int_equal(ota_parse_time("--schedule", "+1d", NOW_MS, &ms, &cause), 0);
	assert_int_equal(ms, NOW_MS + DAY_MS);
	assert_int_equal(ota_parse_time("--schedule", "+90s", NOW_MS, &ms, &cause), 0);
	assert_int_equal(ms, NOW_MS + 90000);
	assert_int_equal(ota_parse_time("--schedule", "2024-05-01T09:00:00Z", NOW_MS, &ms,
	    &cause), 0);
	assert_int_equal(ms, NOW_MS + HOUR_MS);
	refused(ota_parse_time("--schedule", "tomorrow", NOW_MS, &ms, &cause), &cause,
	    "--schedule tomorrow: expected +DURATION (90s, 30m, 8h, 7d) or a time such as "
	    "2024-05-01T08:00:00Z (ScheduleTime, ScheduleFinishTime)");
	refused(ota_parse_time("--finish", "+3w", NOW_MS, &ms, &cause), &cause,
	    "--finish +3w: expected +DURATION (90s, 30m, 8h, 7d) or a time such as "
	    "2024-05-01T08:00:00Z (ScheduleTime, ScheduleFinishTime)");

	/* ScheduleTime 5 minutes to 7 days ahead; ScheduleFinishTime 1 hour to 30 days after
	 * it, and only with it. */
	assert_int_equal(ota_check_schedule(NOW_MS, 0, 0, &cause), 0);
	assert_int_equal(ota_check_schedule(NOW_MS, NOW_MS + 5 * MIN_MS, 0, &cause), 0);
	assert_int_equal(ota_check_schedule(NOW_MS, NOW_MS + 7 * DAY_MS, 0, &cause), 0);
	assert_int_equal(ota_check_schedule(NOW_MS, NOW_MS + HOUR_MS, NOW_MS + 2 * HOUR_MS,
	    &cause), 0);
	assert_int_equal(ota_check_schedule(NOW_MS, NOW_MS + HOUR_MS, NOW_MS + HOUR_MS +
	    30 * DAY_MS, &cause), 0);
	refused(ota_check_schedule(NOW_MS, NOW_MS + 2 * MIN_MS, 0, &cause), &cause,
	    "--schedule: 2.0 minutes from now: expected 5 minutes to 7 days ahead "
	    "(CreateOTAStaticUpgradeJob ScheduleTime)");
	refused(ota_check_schedule(NOW_MS, NOW_MS + 8 * DAY_MS, 0, &cause), &cause,
	    "--schedule: 8.0 days from now: expected 5 minutes to 7 days ahead "
	    "(CreateOTAStaticUpgradeJob ScheduleTime)");
	refused(ota_check_schedule(NOW_MS, NOW_MS - HOUR_MS, 0, &cause), &cause,
	    "--schedule: -1.0 hours from now: expected 5 minutes to 7 days ahead "
	    "(CreateOTAStaticUpgradeJob ScheduleTime)");
	refused(ota_check_schedule(NOW_MS, NOW_MS + HOUR_MS, NOW_MS + 90 * MIN_MS, &cause), &cause,
	    "--finish: 30.0 minutes after the start: expected 1 hour to 30 days after it "
	    "(CreateOTAStaticUpgradeJob ScheduleFinishTime)");
	refused(ota_check_schedule(NOW_MS, NOW_MS + HOUR_MS, NOW_MS + HOUR_MS + 31 * DAY_MS,
	    &cause), &cause, "--finish: 31.0 days after the start: expected 1 hour to 30 days "
	    "after it (CreateOTAStaticUpgradeJob ScheduleFinishTime)");
	refused(ota_check_schedule(NOW_MS, 0, NOW_MS + 2 * HOUR_MS, &cause), &cause,
	    "--finish needs --schedule (CreateOTAStaticUpgradeJob: ScheduleFinishTime needs "
	    "ScheduleTime)");
}

static void
test_max_failed(void **state)
{
	struct ota_max_failed m;
	char *cause = NULL;

	(void)state;
	/* Not set: never trips. */
	memset(&m, 0, sizeof m);
	assert_int_equal(ota_max_failed_tripped(&m, 1000, 1000), 0);

	/* A count: more than N. */
	assert_int_equal(ota_parse_max_failed("5", &m, &cause), 0);
	assert_int_equal(m.percent, 0);
	assert_int_equal(ota_max_failed_tripped(&m, 5, 500), 0);
	assert_int_equal(ota_max_failed_tripped(&m, 6, 500), 1);
	assert_int_equal(ota_parse_max_failed("0", &m, &cause), 0);
	assert_int_equal(ota_max_failed_tripped(&m, 0, 500), 0);
	assert_int_equal(ota_max_failed_tripped(&m, 1, 500), 1);

	/* A share: more than P% of the job's tasks (exactly P% does not trip). */
	assert_int_equal(ota_parse_max_failed("5%", &m, &cause), 0);
	assert_int_equal(m.percent, 1);
	assert_int_equal(ota_max_failed_tripped(&m, 25, 500), 0);
	assert_int_equal(ota_max_failed_tripped(&m, 26, 500), 1);
	assert_int_equal(ota_max_failed_tripped(&m, 0, 0), 0);
	assert_int_equal(ota_parse_max_failed("0.5%", &m, &cause), 0);
	assert_int_equal(ota_max_failed_tripped(&m, 500, 100000), 0);
	assert_int_equal(ota_max_failed_tripped(&m, 501, 100000), 1);
	assert_int_equal(ota_parse_max_failed("100%", &m, &cause), 0);
	assert_int_equal(ota_max_failed_tripped(&m, 500, 500), 0);

	refused(ota_parse_max_failed("101%", &m, &cause), &cause, "--max-failed 101%: expected "
	    "a count N or a share P% (0..100%) (failed tasks the watch tolerates)");
	assert_int_equal(m.set, 0);
	refused(ota_parse_max_failed("-1", &m, &cause), &cause, "--max-failed -1: expected a "
	    "count N or a share P% (0..100%) (failed tasks the watch tolerates)");
	refused(ota_parse_max_failed("2.5", &m, &cause), &cause, "--max-failed 2.5: expected a "
	    "count N or a share P% (0..100%) (failed tasks the watch tolerates)");
	refused(ota_parse_max_failed("%", &m, &cause), &cause, "--max-failed %: expected a "
	    "count N or a share P% (0..100%) (failed tasks the watch tolerates)");
	refused(ota_parse_max_failed("", &m, &cause), &cause, "--max-failed : expected a "
	    "count N or a share P% (0..100%) (failed tasks the watch tolerates)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_names_and_counts),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_max_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
