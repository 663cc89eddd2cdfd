/* fresh.h — how fresh what a pane shows is: live, or stale since a refresh failed.
 *
 * A pane that refreshes what it shows records each answer (fresh_ok) and each failed
 * refresh (fresh_failed); its info line then says "live every 2 s" while answers come, and
 * "stale: as of 12:34:56, 42 s ago" once they stop, so a minute-old ONLINE is never shown
 * as current.
 */
#ifndef IOTDECK_FRESH_H
#define IOTDECK_FRESH_H

#include <time.h>

#include "core/buf.h"

struct fresh {
	double ok_at;	/* monotonic seconds of the last good answer (0: none yet) */
	time_t ok_wall;	/* its wall-clock time */
	int    stale;	/* the last refresh failed */
};

/* A refresh answered. */
void fresh_ok(struct fresh *f, double now);
/* A refresh failed: what is shown is from ok_at. */
void fresh_failed(struct fresh *f);
/* Appends live (e.g. "live every 2 s") when fresh, else "stale: as of HH:MM:SS, N s ago". */
void fresh_info(const struct fresh *f, double now, const char *live, struct buf *out);

#endif
