/* sparkline.c — a series of numbers as a line of bars (sparkline.h). */
#include <math.h>

#include "ui/sparkline.h"

/* U+2581..U+2588: LOWER ONE EIGHTH BLOCK .. FULL BLOCK. */
static const char *const bars[SPARKLINE_LEVELS] = {
	"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
	"\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88",
};

int
sparkline_level(double v, double min, double max)
{
	double f;
	int level;

	if (!isfinite(v) || !isfinite(min) || !isfinite(max) || min > max)
		return -1;
	if (max == min)
		return SPARKLINE_LEVELS / 2 - 1;
	if (v <= min)
		return 0;
	if (v >= max)
		return SPARKLINE_LEVELS - 1;
	/* Halved, so that a range wider than DBL_MAX (-1e308 .. 1e308) does not overflow;
	 * halving is exact for every normal double. */
	f = (v / 2 - min / 2) / (max / 2 - min / 2);
	level = (int)(f * SPARKLINE_LEVELS);
	if (level < 0)
		level = 0;
	if (level > SPARKLINE_LEVELS - 1)
		level = SPARKLINE_LEVELS - 1;
	return level;
}

size_t
sparkline_range(const double *v, size_t n, double *min, double *max, size_t *imin,
    size_t *imax)
{
	size_t i, finite = 0, lo = 0, hi = 0;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (finite == 0 || v[i] < v[lo])
			lo = i;
		if (finite == 0 || v[i] > v[hi])
			hi = i;
		finite++;
	}
	if (finite == 0)
		return 0;
	*min = v[lo];
	*max = v[hi];
	if (imin != NULL)
		*imin = lo;
	if (imax != NULL)
		*imax = hi;
	return finite;
}

void
sparkline_render(struct buf *out, const double *v, size_t n)
{
	double min = 0, max = 0;
	size_t i;
	int level;

	sparkline_range(v, n, &min, &max, NULL, NULL);
	for (i = 0; i < n; i++) {
		level = sparkline_level(v[i], min, max);
		buf_adds(out, level < 0 ? " " : bars[level]);
	}
}
