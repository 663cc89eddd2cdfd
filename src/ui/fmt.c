/* fmt.c — small formatting helpers shared by the panes. */
#include "ui/fmt.h"

#include <stdio.h>
#include <time.h>

#include "api/model.h"

const char *
fmt_epoch_ms(int64_t ms, char *out, size_t outlen)
{
	time_t t;
	struct tm tm;

	out[0] = '\0';
	if (ms == MODEL_NONE || ms < 0)
		return out;
	t = (time_t)(ms / 1000);
	if (localtime_r(&t, &tm) == NULL)
		return out;
	strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &tm);
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
