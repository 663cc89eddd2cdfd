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

const char *
fmt_str(const char *s)
{
	return s != NULL ? s : "";
}
