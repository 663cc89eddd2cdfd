/* timefmt.c — the API's times into epoch milliseconds, and out again (see timefmt.h). */
#include "core/timefmt.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* China Standard Time, the zone of the service's local times, in minutes east of UTC. */
#define SERVICE_OFFSET (8 * 60)

static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const days[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

/* A broken-down time and its zone. */
struct when {
	int year, mon, day;	/* mon 1..12 */
	int hour, min, sec, msec;
	int offset;		/* minutes east of UTC */
};

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int year, int mon)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 2 && leap ? 29 : n[mon - 1];
}

static int
when_ms(const struct when *w, int64_t *ms)
{
	int64_t v;

	if (w->year < 1000 || w->year > 9999 || w->mon < 1 || w->mon > 12 || w->day < 1 ||
	    w->day > month_days(w->year, w->mon) || w->hour > 23 || w->min > 59 || w->sec > 60)
		return -1;
	v = days_from_civil(w->year, w->mon, w->day);
	v = ((v * 24 + w->hour) * 60 + w->min - w->offset) * 60 + w->sec;
	*ms = v * 1000 + w->msec;
	return 0;
}

/* Reads exactly n digits at *p into *out. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int
expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* One of names (n of them, three letters, any case) at *p: its index, or -1. */
static int
name3(const char **p, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strncasecmp(*p, names[i], 3) == 0) {
			*p += 3;
			return i;
		}
	return -1;
}

/* HH:MM:SS at *p. */
static int
clock_hms(const char **p, struct when *w)
{
	if (digits(p, 2, &w->hour) || expect(p, ':') || digits(p, 2, &w->min) ||
	    expect(p, ':') || digits(p, 2, &w->sec))
		return -1;
	return 0;
}

/* A zone name of the textual forms: GMT, UTC or CST (China Standard Time). */
static int
zone_name(const char **p, struct when *w)
{
	if (strncmp(*p, "GMT", 3) == 0 || strncmp(*p, "UTC", 3) == 0)
		w->offset = 0;
	else if (strncmp(*p, "CST", 3) == 0)
		w->offset = SERVICE_OFFSET;
	else
		return -1;
	*p += 3;
	return 0;
}

/* 2019-02-20T02:16:09.000Z, 2020-10-13T09:46Z, 2020-01-08 14:47:08, ...+08:00 */
static int
parse_iso(const char *p, struct when *w)
{
	int sign, oh, om, n;

	if (digits(&p, 4, &w->year) || expect(&p, '-') || digits(&p, 2, &w->mon) ||
	    expect(&p, '-') || digits(&p, 2, &w->day) || (*p != 'T' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &w->hour) || expect(&p, ':') || digits(&p, 2, &w->min))
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &w->sec))
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			for (n = 0; *p >= '0' && *p <= '9'; p++, n++)
				if (n < 3)
					w->msec = w->msec * 10 + (*p - '0');
			if (n == 0)
				return -1;
			for (; n < 3; n++)
				w->msec *= 10;
		}
	}
	w->offset = SERVICE_OFFSET;	/* no zone: the service's local time */
	if (*p == 'Z' || *p == 'z') {
		w->offset = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) || oh > 23 || om > 59)
			return -1;
		w->offset = sign * (oh * 60 + om);
	}
	return *p == '\0' ? 0 : -1;
}

/* Wed, 20-Feb-2019 02:16:09 GMT, or Wed, 20 Feb 2019 02:16:09 GMT */
static int
parse_rfc(const char *p, struct when *w)
{
	char sep;

	if (name3(&p, days, 7) < 0 || expect(&p, ',') || expect(&p, ' ') ||
	    digits(&p, 2, &w->day))
		return -1;
	sep = *p;
	if ((sep != '-' && sep != ' ') || expect(&p, sep) ||
	    (w->mon = name3(&p, months, 12) + 1) == 0 || expect(&p, sep) ||
	    digits(&p, 4, &w->year) || expect(&p, ' ') || clock_hms(&p, w) ||
	    expect(&p, ' ') || zone_name(&p, w))
		return -1;
	return *p == '\0' ? 0 : -1;
}

/* Thu Feb 28 14:14:33 CST 2019 (Java's Date.toString; the day may be one digit, padded) */
static int
parse_java(const char *p, struct when *w)
{
	if (name3(&p, days, 7) < 0 || expect(&p, ' ') ||
	    (w->mon = name3(&p, months, 12) + 1) == 0 || expect(&p, ' '))
		return -1;
	if (*p == ' ')
		p++;
	if (p[1] == ' ') {
		if (digits(&p, 1, &w->day))
			return -1;
	} else if (digits(&p, 2, &w->day))
		return -1;
	if (expect(&p, ' ') || clock_hms(&p, w) || expect(&p, ' ') || zone_name(&p, w) ||
	    expect(&p, ' ') || digits(&p, 4, &w->year))
		return -1;
	return *p == '\0' ? 0 : -1;
}

/* Epoch milliseconds: an optional minus and at most 15 digits (year 33658). */
static int
parse_epoch(const char *p, int64_t *ms)
{
	int64_t v = 0;
	int neg = 0, n = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, n++) {
		if (n == 15)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (n == 0 || *p != '\0')
		return -1;
	*ms = neg ? -v : v;
	return 0;
}

int
timefmt_parse(const char *s, int64_t *ms)
{
	char buf[64];
	size_t len;
	struct when w;

	if (s == NULL)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (parse_epoch(buf, ms) == 0)
		return 0;
	memset(&w, 0, sizeof w);
	if (parse_iso(buf, &w) == 0 || (memset(&w, 0, sizeof w), parse_rfc(buf, &w)) == 0 ||
	    (memset(&w, 0, sizeof w), parse_java(buf, &w)) == 0)
		return when_ms(&w, ms);
	return -1;
}

const char *
timefmt_format(int64_t ms, enum timefmt_style style, char *out, size_t outlen)
{
	time_t t;
	struct tm tm, *ok;
	int64_t secs = ms / 1000 - (ms % 1000 < 0);	/* floor */

	out[0] = '\0';
	if (secs < -62135596800LL || secs > 253402300799LL)	/* years 1 .. 9999 */
		return out;
	t = (time_t)secs;
	ok = style == TIMEFMT_LOCAL ? localtime_r(&t, &tm) : gmtime_r(&t, &tm);
	if (ok == NULL)
		return out;
	if (strftime(out, outlen, style == TIMEFMT_ISO ? "%Y-%m-%dT%H:%M:%SZ" :
	    "%Y-%m-%d %H:%M:%S", &tm) == 0)
		out[0] = '\0';
	return out;
}
