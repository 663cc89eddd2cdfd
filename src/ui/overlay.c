/* overlay.c — a scrollable, wrapping text box (see overlay.h). */
#include "ui/overlay.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/keys.h"
#include "ui/text.h"

void
overlay_clear(struct overlay *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->lines[i]);
	free(o->lines);
	free(o->title);
	memset(o, 0, sizeof *o);
}

void
overlay_begin(struct overlay *o, const char *title)
{
	overlay_clear(o);
	o->title = safetext_dup(title, strlen(title));
}

int
overlay_is_open(const struct overlay *o)
{
	return o->title != NULL;
}

void
overlay_add(struct overlay *o, const char *line)
{
	o->lines = xreallocarray(o->lines, o->n + 1, sizeof *o->lines);
	o->lines[o->n++] = safetext_dup(line, strlen(line));
}

void
overlay_addf(struct overlay *o, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	overlay_add(o, buf_str(&b));
	buf_free(&b);
}

int
overlay_key(struct overlay *o, uint32_t key)
{
	size_t page = o->page > 1 ? (size_t)o->page - 1 : 1;
	size_t last = o->rows > (size_t)o->page ? o->rows - (size_t)o->page : 0;

	if (key == KEYS_ESC || key == 'q') {
		overlay_clear(o);
		return 1;
	}
	if (key == (KEYS_CODE | KEY_DOWN) || key == 'j') {
		if (o->top < last)
			o->top++;
	} else if (key == (KEYS_CODE | KEY_UP) || key == 'k') {
		if (o->top > 0)
			o->top--;
	} else if (key == (KEYS_CODE | KEY_NPAGE) || key == ' ' || key == 0x04 /* C-d */) {
		o->top = o->top + page < last ? o->top + page : last;
	} else if (key == (KEYS_CODE | KEY_PPAGE) || key == 0x15 /* C-u */) {
		o->top = o->top > page ? o->top - page : 0;
	} else if (key == (KEYS_CODE | KEY_HOME) || key == 'g') {
		o->top = 0;
	} else if (key == (KEYS_CODE | KEY_END) || key == 'G') {
		o->top = last;
	}
	return 0;
}

void
overlay_wrap(const char *s, int cols, char ***lines, size_t *n)
{
	size_t len = strlen(s), take, cut, i;

	if (cols < 1)
		cols = 1;
	do {
		take = text_prefix_bytes(s, cols);
		if (take == 0 && len > 0)
			take = 1;	/* a character wider than the box: show it anyway */
		cut = take;
		if (take < len) {
			/* Break after the last space, when it leaves a useful piece. */
			for (i = take; i > take / 2; i--)
				if (s[i - 1] == ' ') {
					cut = i;
					break;
				}
		}
		*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
		(*lines)[(*n)++] = xstrndup(s, cut);
		s += cut;
		len -= cut;
	} while (len > 0);
}

void
overlay_draw(struct overlay *o, WINDOW *w, attr_t frame, attr_t title, attr_t text)
{
	char **rows = NULL;
	size_t nrows = 0, i;
	int h, wd, y;
	struct buf b = BUF_INIT;

	getmaxyx(w, h, wd);
	wattrset(w, frame);
	werase(w);
	box(w, 0, 0);
	if (h < 3 || wd < 6)
		return;
	for (i = 0; i < o->n; i++)
		overlay_wrap(o->lines[i], wd - 4, &rows, &nrows);
	o->rows = nrows;
	o->page = h - 2;
	if (o->top + (size_t)o->page > nrows)
		o->top = nrows > (size_t)o->page ? nrows - (size_t)o->page : 0;
	wattrset(w, title);
	wmove(w, 0, 2);
	buf_addc(&b, ' ');
	buf_adds(&b, o->title != NULL ? o->title : "");
	if (nrows > (size_t)o->page)
		buf_addf(&b, " %zu-%zu of %zu", o->top + 1,
		    o->top + (size_t)o->page < nrows ? o->top + (size_t)o->page : nrows, nrows);
	buf_addc(&b, ' ');
	{
		struct buf fit = BUF_INIT;
		text_fit(&fit, buf_str(&b), wd - 4, 0, 0);
		waddstr(w, buf_str(&fit));
		buf_free(&fit);
	}
	wattrset(w, text);
	for (y = 1, i = o->top; y < h - 1 && i < nrows; i++, y++)
		mvwaddstr(w, y, 2, rows[i]);
	for (i = 0; i < nrows; i++)
		free(rows[i]);
	free(rows);
	buf_free(&b);
}
