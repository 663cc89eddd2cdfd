/* expiry.c — STS expiry times: parsing --expires, and "41 min left". */
#include "vault/expiry.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"

/* The longest relative expiry accepted: 366 days (STS grants at most 12 hours; a token
 * from elsewhere may live longer, but not for years). */
#define EXPIRY_REL_MAX (366LL * 86400)

/* Returns 1 when s is ISO 8601 date and time with an explicit zone (Z or +hh:mm, +hhmm,
 * -hh:mm, -hhmm): timefmt_parse would read a time without one as UTC+8, which is the
 * IoT Platform's habit, not what a user typing an STS expiry means. */
static int
iso_with_zone(const char *s)
{
	size_t n = strlen(s);
	const char *z;

	if (n < 17 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't'))
		return 0;
	if (s[n - 1] == 'Z' || s[n - 1] == 'z')
		return 1;
	z = s + 16;	/* after YYYY-MM-DDTHH:MM */
	return strchr(z, '+') != NULL || strchr(z, '-') != NULL;
}

static int
expiry_fail(char **cause, const char *s, const char *why)
{
	char *safe = safetext_dup(s, strlen(s));

	*cause = xasprintf("--expires '%s': %s", safe, why);
	free(safe);
	return -1;
}

int
vault_expiry_parse(const char *s, int64_t now, int64_t *out, char **cause)
{
	static const struct { char c; int64_t secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }
	};
	size_t n = strlen(s), i;
	int64_t ms, t;
	char *end;
	long long v;

	if (n >= 2 && s[0] >= '0' && s[0] <= '9' && strchr("smhd", s[n - 1]) != NULL) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (end != s + n - 1 || errno != 0)
			return expiry_fail(cause, s, "give a number followed by s, m, h or d "
			    "(45m, 2h, 1d)");
		for (i = 0; units[i].c != s[n - 1]; i++)
			continue;
		if (v <= 0)
			return expiry_fail(cause, s, "the time is not in the future");
		if (v > EXPIRY_REL_MAX / units[i].secs)
			return expiry_fail(cause, s, "more than a year from now");
		*out = now + (int64_t)v * units[i].secs;
		return 0;
	}
	if (!iso_with_zone(s) || timefmt_parse(s, &ms) != 0)
		return expiry_fail(cause, s, "give a UTC time like 2026-12-01T11:00:00Z (as "
		    "STS prints Expiration) or a time from now like 45m, 2h, 1d");
	t = ms / 1000;
	if (t <= now) {
		char span[32], *why;
		int rc;

		why = xasprintf("that time has passed (%s ago); an expired STS token cannot "
		    "be used", vault_span_text(now - t, span, sizeof span));
		rc = expiry_fail(cause, s, why);
		free(why);
		return rc;
	}
	*out = t;
	return 0;
}

const char *
vault_span_text(int64_t secs, char *out, size_t outsz)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 60)
		secs = (secs + 30) / 60 * 60;	/* to the nearest minute */
	if (secs < 60)
		snprintf(out, outsz, "%" PRId64 " s", secs);
	else if (secs < 3600)
		snprintf(out, outsz, "%" PRId64 " min", secs / 60);
	else if (secs < 2 * 86400)
		snprintf(out, outsz, "%" PRId64 " h %" PRId64 " min", secs / 3600,
		    secs % 3600 / 60);
	else
		snprintf(out, outsz, "%" PRId64 " d %" PRId64 " h", secs / 86400,
		    secs % 86400 / 3600);
	return out;
}

const char *
vault_expiry_when(int64_t expires, char *out, size_t outsz)
{
	char t[TIMEFMT_MAX];

	timefmt_format(expires * 1000, TIMEFMT_UTC, t, sizeof t);
	if (strlen(t) < 16)
		snprintf(out, outsz, "%s", "");
	else
		snprintf(out, outsz, "%.16s UTC", t);	/* without the seconds */
	return out;
}

const char *
vault_expiry_text(int64_t expires, int64_t now, char *out, size_t outsz)
{
	char when[48], span[32];

	if (expires == 0) {
		snprintf(out, outsz, "expiry unknown");
		return out;
	}
	vault_expiry_when(expires, when, sizeof when);
	if (expires > now)
		snprintf(out, outsz, "expires %s, %s left", when,
		    vault_span_text(expires - now, span, sizeof span));
	else
		snprintf(out, outsz, "EXPIRED %s ago (%s)",
		    vault_span_text(now - expires, span, sizeof span), when);
	return out;
}
