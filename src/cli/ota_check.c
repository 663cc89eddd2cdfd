/* ota_check.c — the values of `iotdeck ota` against the guide's ranges (see ota_check.h). */
#include "cli/ota_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"

#define MINUTE_MS 60000LL
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)

/* The value as it may be shown: display-safe, at most 40 characters. */
static char *
shown(const char *value)
{
	return safetext_excerpt(value, strlen(value), 40);
}

static int
refuse(char **cause, const char *opt, const char *value, const char *expected,
    const char *what)
{
	char *v = shown(value);

	*cause = xasprintf("%s %s: expected %s (%s)", opt, v, expected, what);
	free(v);
	return -1;
}

/* A whole decimal number, no sign other than '-', no spaces. */
static int
parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (*s == '\0' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
ota_check_long(const char *opt, const char *value, long min, long max, const char *what,
    long *out, char **cause)
{
	char range[64];
	long v;

	snprintf(range, sizeof range, "%ld..%ld", min, max);
	if (parse_long(value, &v) != 0 || v < min || v > max)
		return refuse(cause, opt, value, range, what);
	*out = v;
	return 0;
}

int
ota_check_choice(const char *opt, const char *value, const long *allowed, size_t n,
    const char *what, long *out, char **cause)
{
	char list[128];
	size_t i, len = 0;
	long v;

	if (parse_long(value, &v) == 0)
		for (i = 0; i < n; i++)
			if (allowed[i] == v) {
				*out = v;
				return 0;
			}
	list[0] = '\0';
	for (i = 0; i < n && len < sizeof list - 24; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%ld",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", allowed[i]);
	return refuse(cause, opt, value, list, what);
}

int
ota_check_gray(const char *value, const char *what, char **out, char **cause)
{
	const char *p = value, *dot = NULL;
	size_t digits = 0, decimals = 0;
	double v;

	for (; *p != '\0'; p++) {
		if (*p == '.' && dot == NULL && digits > 0)
			dot = p;
		else if (*p >= '0' && *p <= '9') {
			digits++;
			if (dot != NULL)
				decimals++;
		} else
			break;
	}
	if (*p != '\0' || digits == 0 || (dot != NULL && decimals == 0) || decimals > 3)
		return refuse(cause, "--gray", value, "1..100, at most 3 decimals", what);
	v = strtod(value, NULL);
	if (v < 1.0 || v > 100.0)
		return refuse(cause, "--gray", value, "1..100", what);
	*out = xstrdup(value);
	return 0;
}

int
ota_check_version(const char *opt, const char *value, const char *what, char **cause)
{
	size_t n = strlen(value);

	if (n >= 1 && n <= 64 && strspn(value, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n)
		return 0;
	return refuse(cause, opt, value, "1..64 letters, digits, '.', '-' or '_'", what);
}

int
ota_check_text(const char *opt, const char *value, size_t min, size_t max, const char *what,
    char **cause)
{
	size_t n = utf8_chars(value);
	char range[64];

	if (n >= min && n <= max)
		return 0;
	snprintf(range, sizeof range, "%zu..%zu characters, not %zu", min, max, n);
	return refuse(cause, opt, value, range, what);
}

int
ota_check_count(const char *opt, size_t n, size_t max, const char *what, char **cause)
{
	if (n == 0) {
		*cause = xasprintf("%s: nothing named (%s)", opt, what);
		return -1;
	}
	if (n > max) {
		*cause = xasprintf("%s: %zu named, at most %zu (%s)", opt, n, max, what);
		return -1;
	}
	return 0;
}

int
ota_check_retry_timeout(long interval, long timeout, const char *what, char **cause)
{
	if (timeout > 0 && interval >= timeout) {
		*cause = xasprintf("--retry-interval %ld: expected less than --timeout %ld (%s "
		    "RetryInterval < TimeoutInMinutes)", interval, timeout, what);
		return -1;
	}
	return 0;
}

int
ota_parse_time(const char *opt, const char *value, int64_t now_ms, int64_t *ms, char **cause)
{
	char *end;
	double n;
	int64_t unit;

	if (value[0] == '+') {
		errno = 0;
		n = strtod(value + 1, &end);
		if (errno != 0 || end == value + 1 || n < 0 || n > 1e6)
			goto bad;
		if (strcmp(end, "s") == 0)
			unit = 1000;
		else if (strcmp(end, "m") == 0)
			unit = MINUTE_MS;
		else if (strcmp(end, "h") == 0)
			unit = HOUR_MS;
		else if (strcmp(end, "d") == 0)
			unit = DAY_MS;
		else
			goto bad;
		*ms = now_ms + (int64_t)(n * (double)unit);
		return 0;
	}
	if (timefmt_parse(value, ms) == 0)
		return 0;
bad:
	return refuse(cause, opt, value, "+DURATION (90s, 30m, 8h, 7d) or a time such as "
	    "2024-05-01T08:00:00Z", "ScheduleTime, ScheduleFinishTime");
}

static char *
delta(int64_t ms)
{
	int64_t a = ms < 0 ? -ms : ms;

	if (a >= DAY_MS)
		return xasprintf("%.1f days", (double)ms / (double)DAY_MS);
	if (a >= HOUR_MS)
		return xasprintf("%.1f hours", (double)ms / (double)HOUR_MS);
	return xasprintf("%.1f minutes", (double)ms / (double)MINUTE_MS);
}

int
ota_check_schedule(int64_t now_ms, int64_t schedule_ms, int64_t finish_ms, char **cause)
{
	int64_t from = schedule_ms != 0 ? schedule_ms : now_ms;
	char *d;

	if (schedule_ms != 0 && (schedule_ms < now_ms + 5 * MINUTE_MS ||
	    schedule_ms > now_ms + 7 * DAY_MS)) {
		d = delta(schedule_ms - now_ms);
		*cause = xasprintf("--schedule: %s from now: expected 5 minutes to 7 days ahead "
		    "(CreateOTAStaticUpgradeJob ScheduleTime)", d);
		free(d);
		return -1;
	}
	if (finish_ms != 0 && schedule_ms == 0) {
		*cause = xstrdup("--finish needs --schedule (CreateOTAStaticUpgradeJob: "
		    "ScheduleFinishTime needs ScheduleTime)");
		return -1;
	}
	if (finish_ms != 0 && (finish_ms < from + HOUR_MS || finish_ms > from + 30 * DAY_MS)) {
		d = delta(finish_ms - from);
		*cause = xasprintf("--finish: %s after the start: expected 1 hour to 30 days "
		    "after it (CreateOTAStaticUpgradeJob ScheduleFinishTime)", d);
		free(d);
		return -1;
	}
	return 0;
}

int
ota_parse_max_failed(const char *value, struct ota_max_failed *m, char **cause)
{
	size_t n = strlen(value);
	char *end, *num;
	double v;

	memset(m, 0, sizeof *m);
	if (n == 0)
		goto bad;
	m->percent = value[n - 1] == '%';
	num = xstrndup(value, m->percent ? n - 1 : n);
	errno = 0;
	v = strtod(num, &end);
	if (*num == '\0' || *num == '-' || *num == '+' || *num == ' ' || *end != '\0' ||
	    errno != 0 || v < 0 || (m->percent && v > 100) || (!m->percent && v != (double)(long)v) ||
	    v > 1e9) {
		free(num);
		goto bad;
	}
	free(num);
	m->set = 1;
	m->value = v;
	return 0;
bad:
	memset(m, 0, sizeof *m);
	return refuse(cause, "--max-failed", value, "a count N or a share P% (0..100%)",
	    "failed tasks the watch tolerates");
}

int
ota_max_failed_tripped(const struct ota_max_failed *m, uint64_t failed, uint64_t total)
{
	if (!m->set)
		return 0;
	if (m->percent)
		return (double)failed * 100.0 > m->value * (double)total;
	return (double)failed > m->value;
}

static void
list_add(char ***v, size_t *n, const char *s, size_t len)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

void
ota_split_list(const char *value, char ***v, size_t *n)
{
	const char *p = value, *comma;
	size_t len;

	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len > 0)
			list_add(v, n, p, len);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

int
ota_read_list(const char *path, char ***v, size_t *n, char **cause)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, *s, *p;
	size_t cap = 0, len;
	ssize_t got;

	if (f == NULL) {
		s = shown(path);
		*cause = xasprintf("--devices-from %s: %s", s, strerror(errno));
		free(s);
		return -1;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		len = (size_t)got;
		p = line;
		while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r' || p[len - 1] == ' ' ||
		    p[len - 1] == '\t'))
			len--;
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len == 0 || *p == '#')
			continue;
		list_add(v, n, p, len);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

/* Sorts indices by name, then by index. */
static char *const *dup_names;

static int
dup_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(dup_names[x], dup_names[y]);

	return c != 0 ? c : (x > y) - (x < y);
}

size_t
ota_first_duplicate(char *const *v, size_t n)
{
	size_t *idx, i, first = n;

	if (n < 2)
		return n;
	/* Sorted, a name's second naming follows its first: O(n log n) for a list of
	 * 100,000 devices (cancel-devices takes any number). */
	idx = xreallocarray(NULL, n, sizeof *idx);
	for (i = 0; i < n; i++)
		idx[i] = i;
	dup_names = v;
	qsort(idx, n, sizeof *idx, dup_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(v[idx[i]], v[idx[i - 1]]) == 0 && idx[i] < first &&
		    (i < 2 || strcmp(v[idx[i - 1]], v[idx[i - 2]]) != 0))
			first = idx[i];
	dup_names = NULL;
	free(idx);
	return first;
}

void
ota_list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
