/* fresh.c — live or stale (see fresh.h). */
#include "ui/fresh.h"

void
fresh_ok(struct fresh *f, double now)
{
	f->ok_at = now;
	f->ok_wall = time(NULL);
	f->stale = 0;
}

void
fresh_failed(struct fresh *f)
{
	f->stale = 1;
}

void
fresh_info(const struct fresh *f, double now, const char *live, struct buf *out)
{
	struct tm tm;
	char when[16];

	if (!f->stale) {
		buf_adds(out, live);
		return;
	}
	if (f->ok_at <= 0 || localtime_r(&f->ok_wall, &tm) == NULL ||
	    strftime(when, sizeof when, "%H:%M:%S", &tm) == 0) {
		buf_adds(out, "no answer yet: e shows why");
		return;
	}
	buf_addf(out, "stale: as of %s, %.0f s ago (e shows why)", when, now - f->ok_at);
}
