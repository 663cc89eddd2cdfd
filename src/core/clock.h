/* clock.h — the program's clocks, in one place.
 *
 * Durations, deadlines, rates and timeouts are measured on CLOCK_MONOTONIC (never moves back
 * when the wall clock is set); times shown to people or sent to the API come from
 * CLOCK_REALTIME. Code that needs an injectable clock (the throttle) takes a function pointer
 * whose default is clock_mono_ns.
 */
#ifndef IOTDECK_CLOCK_H
#define IOTDECK_CLOCK_H

#include <stdint.h>

/* Monotonic time in nanoseconds, milliseconds and (fractional) seconds since an unspecified
 * start; only differences mean anything. */
int64_t clock_mono_ns(void);
int64_t clock_mono_ms(void);
double  clock_mono_s(void);

/* Wall-clock time: epoch milliseconds (UTC). */
int64_t clock_wall_ms(void);

#endif
