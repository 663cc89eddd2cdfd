/* ota_check.h — the values of `iotdeck ota` checked against the guide's documented
 * ranges (4.20) before anything is sent, and the watch's stop rule. Pure functions:
 * no I/O, no clock (the caller passes now), so tests/unit/test_ota_check.c covers them.
 *
 * Every refusal is a caller-freed, display-safe *cause in one shape, naming the option,
 * the value, what is expected and the API parameter that documents it:
 *   --gray 120: expected 1..100 (CreateOTAStaticUpgradeJob GrayPercent)
 */
#ifndef IOTDECK_OTA_CHECK_H
#define IOTDECK_OTA_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* The guide's limits (4.20.1-4.20.23). */
#define OTA_MAX_UPLOAD_BYTES   (2000LL * 1024 * 1024)	/* GenerateOTAUploadURL: 2,000 MB */
#define OTA_MAX_VERIFY_DEVICES 10			/* CreateOTAVerifyJob TargetDeviceName.N */
#define OTA_MAX_NAMED_DEVICES  200			/* CreateOTAStaticUpgradeJob TargetDeviceName.N */
#define OTA_MAX_DNLIST_DEVICES 10000			/* a device-list file (DnListFileUrl) */
#define OTA_MAX_CANCEL_DEVICES 200			/* CancelOTATaskByDevice DeviceName.N */
#define OTA_MAX_TASK_IDS       10			/* ConfirmOTATask, ReupgradeOTATask TaskId.N */
#define OTA_MAX_SRC_VERSIONS   10			/* SrcVersion.N */

/* Checks an integer option: value must be a whole number in [min, max]. what names the
 * API parameter ("CreateOTAStaticUpgradeJob MaximumPerMinute"). Returns 0 with *out, or
 * -1 with *cause ("--per-minute 5: expected 10..10000 (CreateOTAStaticUpgradeJob
 * MaximumPerMinute)"). */
int ota_check_long(const char *opt, const char *value, long min, long max, const char *what,
    long *out, char **cause);
/* Checks a value against a list of allowed integers (RetryInterval 0|10|30|60|1440,
 * RetryCount 1|2|5). */
int ota_check_choice(const char *opt, const char *value, const long *allowed, size_t n,
    const char *what, long *out, char **cause);
/* GrayPercent: a decimal 1..100 with at most 3 digits after the point (guide 4.20.8).
 * *out gets the text to send (as given, without surrounding space). Caller frees. */
int ota_check_gray(const char *value, const char *what, char **out, char **cause);
/* A version (DestVersion, SrcVersion): 1..64 of letters, digits, '.', '-', '_'. */
int ota_check_version(const char *opt, const char *value, const char *what, char **cause);
/* A text of at most max characters (UTF-8 characters, not bytes), at least min. */
int ota_check_text(const char *opt, const char *value, size_t min, size_t max,
    const char *what, char **cause);
/* A count of devices or ids named: at most max (the documented limit of what). n == 0 is
 * refused too ("--devices: no device named"). */
int ota_check_count(const char *opt, size_t n, size_t max, const char *what, char **cause);
/* RetryInterval must be below TimeoutInMinutes when both are given (guide 4.20.8);
 * timeout 0: not given. */
int ota_check_retry_timeout(long interval, long timeout, const char *what, char **cause);

/* Parses a time for --schedule / --finish: "+DURATION" from now (90s, 30m, 8h, 7d) or an
 * absolute time (core/timefmt.h: 2024-05-01T08:00:00Z, epoch ms...). Returns 0 with
 * *ms (epoch ms), or -1 with *cause. */
int ota_parse_time(const char *opt, const char *value, int64_t now_ms, int64_t *ms,
    char **cause);
/* The schedule window of CreateOTAStaticUpgradeJob: ScheduleTime 5 minutes to 7 days
 * after now; ScheduleFinishTime 1 hour to 30 days after ScheduleTime, and only with
 * it. schedule_ms or finish_ms 0: not given. */
int ota_check_schedule(int64_t now_ms, int64_t schedule_ms, int64_t finish_ms, char **cause);

/* --max-failed N or P%: a count, or a share of the job's tasks. */
struct ota_max_failed {
	int    set;		/* given */
	int    percent;	/* P% (else a count) */
	double value;	/* N, or P (0..100) */
};
/* Parses --max-failed. Returns 0 or -1 with *cause. */
int ota_parse_max_failed(const char *value, struct ota_max_failed *m, char **cause);
/* 1 when failed tasks pass the limit: failed > N, or failed > P% of total (failed*100 >
 * P*total). A limit not set never trips. */
int ota_max_failed_tripped(const struct ota_max_failed *m, uint64_t failed, uint64_t total);

/* Splits a comma-separated list ("a,b,,c": empty items skipped) and appends each item
 * (copied) to *v (a caller-freed array of caller-freed strings, *n entries). */
void ota_split_list(const char *value, char ***v, size_t *n);
/* Reads names from a file, one a line (blank lines and # comments skipped, surrounding
 * spaces trimmed; "-" is standard input), appending to *v. Returns 0, or -1 with *cause. */
int ota_read_list(const char *path, char ***v, size_t *n, char **cause);
/* Index of the first name that appears twice, or n when none. */
size_t ota_first_duplicate(char *const *v, size_t n);
void ota_list_free(char **v, size_t n);

#endif
