/* fmt.c — small formatting helpers shared by the panes. */
#include "ui/fmt.h"

#include <stdio.h>

#include "api/model.h"

static enum timefmt_style time_style = TIMEFMT_LOCAL;	/* UI thread only */

void
fmt_set_time_style(enum timefmt_style style)
{
	time_style = style;
}

enum timefmt_style
fmt_time_style(void)
{
	return time_style;
}

const char *
fmt_time_ms(int64_t ms, char *out, size_t outlen)
{
	if (ms == MODEL_NONE) {
		out[0] = '\0';
		return out;
	}
	return timefmt_format(ms, time_style, out, outlen);
}

const char *
fmt_time(const char *api, char *out, size_t outlen)
{
	int64_t ms;

	if (api == NULL) {
		out[0] = '\0';
		return out;
	}
	if (timefmt_parse(api, &ms) == 0)
		return fmt_time_ms(ms, out, outlen);
	snprintf(out, outlen, "%s", api);
	return out;
}

const char *
fmt_int(int64_t v, char *out, size_t outlen)
{
	if (v == MODEL_NONE)
		out[0] = '\0';
	else
		snprintf(out, outlen, "%lld", (long long)v);
	return out;
}

void
fmt_bar(struct buf *out, double f, int cols)
{
	int i, fill;

	if (!(f >= 0))
		f = 0;
	if (f > 1)
		f = 1;
	fill = (int)(f * cols + 0.5);
	for (i = 0; i < cols; i++)
		buf_adds(out, i < fill ? "\xE2\x96\x88" : "\xC2\xB7");	/* █ · */
}

void
fmt_segments(const int64_t *counts, int n, int cols, int *widths)
{
	double total = 0, exact, frac[64];
	int i, used = 0, best, nonzero = 0;

	for (i = 0; i < n; i++) {
		widths[i] = 0;
		if (counts[i] > 0)
			total += (double)counts[i], nonzero++;
	}
	if (total <= 0 || cols <= 0 || n > 64)
		return;
	for (i = 0; i < n; i++) {
		exact = counts[i] > 0 ? (double)counts[i] * cols / total : 0;
		widths[i] = (int)exact;
		frac[i] = exact - widths[i];
		used += widths[i];
	}
	/* The columns left go to the largest remainders. */
	while (used < cols) {
		best = -1;
		for (i = 0; i < n; i++)
			if (counts[i] > 0 && (best < 0 || frac[i] > frac[best]))
				best = i;
		widths[best]++;
		frac[best] = -1;
		used++;
	}
	/* A segment with a count and no column takes one from the widest. */
	for (i = 0; i < n && nonzero <= cols; i++) {
		int j, widest = -1;
		if (counts[i] <= 0 || widths[i] > 0)
			continue;
		for (j = 0; j < n; j++)
			if (widths[j] > 1 && (widest < 0 || widths[j] > widths[widest]))
				widest = j;
		if (widest < 0)
			break;
		widths[widest]--;
		widths[i]++;
	}
}

const char *
fmt_str(const char *s)
{
	return s != NULL ? s : "";
}
