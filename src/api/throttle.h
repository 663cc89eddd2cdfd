/* throttle.h — client-side flow control: never send an action faster than the QPS the
 * guide documents for it, slow down when the server says Throttling, recover gradually.
 *
 * The rates come from the action table (action_effective_qps, so the deep-page drop of
 * QueryDevice and QueryProductList to 2 QPS is honoured). See the DESIGN comment in
 * throttle.c for the budget model. All functions are thread-safe.
 */
#ifndef IOTDECK_THROTTLE_H
#define IOTDECK_THROTTLE_H

#include <stdint.h>

#include "api/params.h"

/* Nanoseconds in one second, the window every limit is counted over. */
#define THROTTLE_SECOND_NS 1000000000LL

/* A clock: monotonic nanoseconds. arg is the clock_arg given to throttle_new. */
struct throttle_clock {
	int64_t (*now)(void *arg);	/* returns the current time in ns (monotonic) */
	void    *arg;			/* passed to now */
};

struct throttle;

/* What throttle_stats reports about one action. */
struct throttle_stats {
	int      documented_qps;	/* the table's QPS (1 for an undocumented action) */
	double   budget_qps;		/* the rate allowed now (lowered after Throttling) */
	int      recent;		/* requests sent in the last second */
	uint64_t sent;			/* requests let through since the start */
	uint64_t throttled;		/* Throttling answers reported */
	int64_t  blocked_ns;		/* time left of a server-imposed pause (retry-after) */
};

/* Returns a new throttle. clock NULL: CLOCK_MONOTONIC. scale (> 0, normally 1.0) multiplies
 * every documented rate (for a simulator started with --qps-scale). Free with
 * throttle_free. */
struct throttle *throttle_new(const struct throttle_clock *clock, double scale);
void throttle_free(struct throttle *t);
/* The throttle's current time (ns). */
int64_t throttle_now(struct throttle *t);

/* Priorities within one action's budget: 0 is the best, THROTTLE_PRIOS - 1 the worst. */
#define THROTTLE_PRIOS 3

/* Asks to send one request of action with parameters p (NULL: none) at priority prio
 * (0 best, clamped to THROTTLE_PRIOS - 1) now. Returns 0 when it may go (the send is
 * recorded: it counts against the budget), or the nanoseconds to wait before asking
 * again (> 0; nothing recorded). While a better priority has sent this action within the
 * last second, a request leaves one send of the window free for it; while a worse one
 * has, a request may take the pacer's next slot at once (see throttle.c). */
int64_t throttle_take(struct throttle *t, const char *action, const struct params *p,
    int prio);

/* Reports a Throttling answer for action: halves its budget (at most once a second;
 * it recovers by a tenth of the documented rate per second) and, when retry_after_ns > 0
 * (the answer's x-acs-retry-after), pauses the action that long. */
void throttle_throttled(struct throttle *t, const char *action, int64_t retry_after_ns);

/* Fills *out for action (an action never used reports zeros and its documented rate).
 * Returns 1 when the action has been used, else 0. */
int throttle_stats(struct throttle *t, const char *action, struct throttle_stats *out);

/* Calls fn for every action used so far, in no particular order, with the throttle's lock
 * held: fn must not call back into the throttle. */
void throttle_foreach(struct throttle *t,
    void (*fn)(void *arg, const char *action, const struct throttle_stats *st), void *arg);

#endif
