/* expiry.h — when an STS credential expires: reading it from the command line and saying
 * how long is left, for "vault add --sts --expires", "vault list" and the messages that
 * refuse an expired token.
 *
 * Times are epoch seconds (UTC). The functions take "now" so that tests can fix it.
 */
#ifndef IOTDECK_VAULT_EXPIRY_H
#define IOTDECK_VAULT_EXPIRY_H

#include <stddef.h>
#include <stdint.h>

/* Room for any text written below, NUL included. */
#define VAULT_EXPIRY_TEXT_MAX 96

/* Parses an expiry: ISO 8601 with an explicit zone, as STS writes Expiration
 * (2026-12-01T11:00:00Z, also with fractional seconds, without seconds, or with an offset
 * +08:00 instead of Z), or a time from now: a whole number followed by s, m, h or d (45m,
 * 2h, 1d). A time that is not after now is refused. Returns 0 and stores epoch seconds in
 * *out, or -1 with a caller-freed, display-safe reason in *cause. */
int vault_expiry_parse(const char *s, int64_t now, int64_t *out, char **cause);

/* Writes a span of seconds (>= 0) as people read it, to the nearest minute from one
 * minute on: "42 s", "41 min", "5 h 12 min", "3 d 4 h". Returns out. */
const char *vault_span_text(int64_t secs, char *out, size_t outsz);

/* Writes the state of an expiry: "expires 2026-12-01 11:00 UTC, 41 min left",
 * "EXPIRED 3 min ago (2026-12-01 11:00 UTC)" or, for 0, "expiry unknown". Returns out
 * (outsz >= VAULT_EXPIRY_TEXT_MAX holds every result). */
const char *vault_expiry_text(int64_t expires, int64_t now, char *out, size_t outsz);

/* Writes expires as "2026-12-01 11:00 UTC" ("" when out of range). Returns out. */
const char *vault_expiry_when(int64_t expires, char *out, size_t outsz);

#endif
