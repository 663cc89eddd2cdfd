/* sparkline.h — a series of numbers as a line of bars, one column each: ▁▂▃▄▅▆▇█.
 *
 * Pure functions (no ncurses), so the value-to-bar rule has a unit test
 * (tests/unit/test_sparkline.c). The scale runs from the smallest to the largest finite
 * value of the series, cut in SPARKLINE_LEVELS equal buckets.
 */
#ifndef IOTDECK_SPARKLINE_H
#define IOTDECK_SPARKLINE_H

#include <stddef.h>

#include "core/buf.h"

/* Bars, from ▁ (level 0) to █ (level 7). */
#define SPARKLINE_LEVELS 8

/* The level 0..SPARKLINE_LEVELS-1 of v on the scale [min, max]: the range is cut in
 * SPARKLINE_LEVELS equal buckets, each closed at its bottom, the last one closed at both
 * ends (min is level 0, max the top level). A value outside the range is clamped. A flat
 * scale (min == max) puts every value in the middle (level 3: steady, not zero). -1 when
 * v, min or max is not finite, or min > max. */
int sparkline_level(double v, double min, double max);

/* The smallest and largest finite values of v[0..n) in *min and *max (their indices in
 * *imin and *imax, which may be NULL). Returns how many values are finite; 0 leaves the
 * outputs alone. */
size_t sparkline_range(const double *v, size_t n, double *min, double *max, size_t *imin,
    size_t *imax);

/* Appends the bars of v[0..n) to out (UTF-8, one display column each), scaled by
 * sparkline_range; a value that is not finite is a space. */
void sparkline_render(struct buf *out, const double *v, size_t n);

#endif
