/* timefmt.h — the times the IoT Platform API sends, parsed once into epoch milliseconds,
 * and formatted in one place.
 *
 * The API writes a time in several shapes (guide 4.8, 4.20; ../shared/api/README.md):
 *   1581595942000                    epoch milliseconds, a number or a string (product
 *                                    GmtCreate, property Time, TSL date values)
 *   2019-02-20T02:16:09.000Z         ISO 8601 (every Utc* field); 2020-10-13T09:46Z (OTA
 *                                    modules); an offset +08:00 or +0800 instead of Z
 *   Wed, 20-Feb-2019 02:16:09 GMT    QueryDevice's Gmt* (and "20 Feb 2019")
 *   2020-01-08 14:47:08[.SSS]        QueryDeviceDetail's Gmt*, LastOnlineTime: the service's
 *                                    local time, China Standard Time (UTC+8): the guide's
 *                                    examples pair 14:47:08 with UtcCreate 06:47:08Z
 *   Thu Feb 28 14:14:33 CST 2019     Java's Date.toString (rules); CST is UTC+8 there
 * A time without a zone is read as UTC+8, as the service writes it. Where an answer has
 * both, callers prefer the Utc* field.
 */
#ifndef IOTDECK_TIMEFMT_H
#define IOTDECK_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* How a time is written. */
enum timefmt_style {
	TIMEFMT_LOCAL,	/* 2024-01-01 09:00:00 in the local time zone (TZ) */
	TIMEFMT_UTC,	/* 2024-01-01 01:00:00 in UTC */
	TIMEFMT_ISO	/* 2024-01-01T01:00:00Z, ISO 8601 / RFC 3339 in UTC */
};

/* Room for any formatted time, NUL included. */
#define TIMEFMT_MAX 32

/* Parses s (one of the shapes above, surrounding spaces allowed) into *ms. Returns 0, or
 * -1 when s is none of them or names an impossible date (nothing is stored then). */
int timefmt_parse(const char *s, int64_t *ms);
/* Writes ms in style into out (outlen >= TIMEFMT_MAX) and returns out; "" when ms is out
 * of the range the C library can convert. */
const char *timefmt_format(int64_t ms, enum timefmt_style style, char *out, size_t outlen);

#endif
