/* fieldhead.c — labelled fields above a table (see fieldhead.h). */
#include "ui/fieldhead.h"

#include "core/buf.h"
#include "ui/text.h"
#include "ui/theme.h"

int
fieldhead_lines(const struct fieldhead *h, int width, int height)
{
	int n = width >= FIELDHEAD_WIDE ? h->nwide : h->nnarrow;

	return n > height / 2 ? height / 2 : n;
}

/* Draws field f at (y, x), cols columns in all: its label, then its value cut to fit. */
static void
draw_field(const struct fieldhead *h, struct pane *p, WINDOW *w, int y, int x, int cols,
    int f)
{
	struct buf b = BUF_INIT;
	attr_t a = ui_attr(p->ui, UI_E_DEFAULT);
	const char *v = h->value(p, &f, &a);

	wmove(w, y, x);
	wattrset(w, ui_attr(p->ui, UI_E_DIM));
	text_fit(&b, h->names[f], FIELDHEAD_LABEL, 1, 0);
	waddstr(w, buf_str(&b));
	buf_reset(&b);
	if (v == NULL || v[0] == '\0')
		v = h->answered(p, f) ? "\xE2\x80\x94" : "";	/* — */
	else
		wattrset(w, a);
	text_fit(&b, v, cols - FIELDHEAD_LABEL, 1, 0);
	waddstr(w, buf_str(&b));
	buf_free(&b);
}

void
fieldhead_draw(const struct fieldhead *h, struct pane *p, WINDOW *w, int width, int lines)
{
	int y, half = width / 2;

	for (y = 0; y < lines; y++) {
		wmove(w, y, 0);
		wattrset(w, ui_attr(p->ui, UI_E_DEFAULT));
		wclrtoeol(w);
		if (width < FIELDHEAD_WIDE)
			draw_field(h, p, w, y, 0, width, h->narrow[y]);
		else if (h->wide[y][1] == FIELDHEAD_SPAN)
			draw_field(h, p, w, y, 0, width, h->wide[y][0]);
		else {
			draw_field(h, p, w, y, 0, half - 2, h->wide[y][0]);
			if (h->wide[y][1] >= 0)
				draw_field(h, p, w, y, half, width - half, h->wide[y][1]);
		}
	}
}
