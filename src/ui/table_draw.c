/* table_draw.c — the table's column layout and drawing (see table.h: the layout rules). */
#include "ui/table_impl.h"

#include <string.h>

#include "core/buf.h"
#include "ui/text.h"

/* ---- drawing ---------------------------------------------------------------------- */

/* A column empty in every row collapses (while there are rows). */
static int
col_empty(const struct table *t, int c)
{
	return t->nrows > 0 && t->nonempty[c] == 0;
}

/* A column with the same text in every row (two or more) is demoted, unless it is live. */
static int
col_demoted(const struct table *t, int c)
{
	return t->nrows >= 2 && t->same[c] == t->nrows &&
	    !(t->cols[c].flags & (TABLE_COL_STATUS | TABLE_COL_KEEP));
}

static int
col_prio(const struct table *t, int c)
{
	return t->cols[c].prio > 0 ? t->cols[c].prio : TABLE_PRIO_DEFAULT;
}

/* The width a column asks for: its widest cell (or header), at most max. */
static int
col_natural(const struct table *t, int c)
{
	int w = t->content_w[c];

	if (t->cols[c].max > 0 && w > t->cols[c].max)
		w = t->cols[c].max;
	return w > 0 ? w : 1;
}

/* Ranks columns for the layout: more important first (a demoted column after every other),
 * then in their order. Insertion sort: at most TABLE_MAX_COLS. */
static void
rank_columns(const struct table *t, int *v, int n)
{
	int i, j, c, kc, kv;

	for (i = 1; i < n; i++) {
		c = v[i];
		kc = col_demoted(t, c) * 100 + col_prio(t, c);
		for (j = i; j > 0; j--) {
			kv = col_demoted(t, v[j - 1]) * 100 + col_prio(t, v[j - 1]);
			if (kv < kc || (kv == kc && v[j - 1] < c))
				break;
			v[j] = v[j - 1];
		}
		v[j] = c;
	}
}

/* Lays the columns out (see table.h); returns 1 when the widths or the order changed. */
static int
layout(struct table *t, int width)
{
	int shown[TABLE_MAX_COLS], nshown = 0, cand[TABLE_MAX_COLS], ncand = 0;
	int w[TABLE_MAX_COLS], order[TABLE_MAX_COLS], norder = 0;
	int c, i, pass, h, avail, used = 0, room, nat, min, changed = 0, more = 0;

	/* Drawing order: the columns with content, the demoted ones last. */
	for (pass = 0; pass < 2; pass++)
		for (c = 0; c < t->ncols; c++)
			if (!col_empty(t, c) && col_demoted(t, c) == pass)
				shown[nshown++] = c;
	/* Horizontal scrolling hides shown[1..h]. */
	h = t->hscroll;
	if (h > nshown - 1)
		h = nshown > 0 ? nshown - 1 : 0;
	t->hscroll = h;
	for (i = 0; i < nshown; i++)
		if (i == 0 || i > h)
			cand[ncand++] = shown[i];
	more = nshown - ncand;
	/* Priorities choose what fits the unscrolled view; scrolled, the columns come in
	 * their order, so each step right brings the next one in. */
	if (ncand > 1 && h == 0)
		rank_columns(t, cand + 1, ncand - 1);

	memset(w, 0, sizeof w);
	avail = width - 1;	/* the marker column */
	for (i = 0; i < ncand; i++) {
		c = cand[i];
		nat = col_natural(t, c);
		min = t->cols[c].min < nat ? t->cols[c].min : nat;
		room = avail - used - (used > 0 ? 1 : 0);	/* a space before it */
		if (i == 0)
			w[c] = nat < avail ? nat : avail > 1 ? avail : 1;
		else if (room >= nat)
			w[c] = nat;
		else if (room >= min && min > 0)
			w[c] = room;
		else {
			more++;
			continue;
		}
		used += w[c] + (used > 0 ? 1 : 0);
	}
	for (i = 0; i < nshown; i++)
		if (w[shown[i]] > 0)
			order[norder++] = shown[i];

	if (norder != t->ntorder || memcmp(order, t->torder, (size_t)norder * sizeof *order) != 0)
		changed = 1;
	for (c = 0; c < t->ncols; c++)
		if (w[c] != t->widths[c])
			changed = 1;
	memcpy(t->widths, w, sizeof w);
	memcpy(t->torder, order, sizeof order);
	t->ntorder = norder;
	t->more = more;
	return changed;
}

void
table_layout(struct table *t, int width)
{
	if (layout(t, width))
		t->dirty_all = 1;
}

int
table_column_width(const struct table *t, int col)
{
	return col >= 0 && col < t->ncols ? t->widths[col] : 0;
}

int
table_column_order(const struct table *t, int *order, int max)
{
	int i;

	for (i = 0; i < t->ntorder && i < max; i++)
		order[i] = t->torder[i];
	return t->ntorder;
}

const struct table_column *
table_column_def(const struct table *t, int col)
{
	return &t->cols[col];
}

static attr_t
status_attr(const struct table_style *st, const char *s)
{
	if (strcmp(s, "ONLINE") == 0)
		return st->online;
	if (strcmp(s, "OFFLINE") == 0)
		return st->offline;
	if (strcmp(s, "UNACTIVE") == 0)
		return st->unactive;
	if (strcmp(s, "DISABLE") == 0)
		return st->disabled;
	return 0;
}

static void
draw_row(struct table *t, WINDOW *w, int y, int width, size_t index,
    const struct table_style *st, double now)
{
	struct table_row *r = index < t->nview ? t->view[index] : NULL;
	struct buf b = BUF_INIT;
	int c, i, x = 0, cw, selected;
	attr_t base, a;
	int fresh;

	wmove(w, y, 0);
	if (r == NULL) {
		wattrset(w, st->row);
		wclrtoeol(w);
		return;
	}
	selected = index == t->cursor;
	base = selected ? st->selected : (r->marks & TABLE_ROW_MARKED) ? st->marked :
	    (r->marks & TABLE_ROW_VANISHED) ? st->vanished : st->row;
	fresh = now - r->changed_at < TABLE_HIGHLIGHT_SECONDS;

	/* The gutter: * marked (it wins: an operation would touch the row), - vanished,
	 * + new. */
	wattrset(w, (r->marks & (TABLE_ROW_NEW | TABLE_ROW_MARKED)) == TABLE_ROW_NEW &&
	    !selected ? st->new_row : base);
	waddstr(w, (r->marks & TABLE_ROW_MARKED) ? "*" : (r->marks & TABLE_ROW_VANISHED) ? "-" :
	    (r->marks & TABLE_ROW_NEW) ? "+" : " ");
	x = 1;
	for (i = 0; i < t->ntorder && x < width; i++) {
		c = t->torder[i];
		cw = t->widths[c];
		if (x + cw > width)
			cw = width - x;
		a = base;
		if (!selected && (t->cols[c].flags & TABLE_COL_STATUS) &&
		    !(r->marks & TABLE_ROW_VANISHED) && status_attr(st, r->cells[c]) != 0)
			a = status_attr(st, r->cells[c]);
		if (fresh && (r->changed & (1u << c)))
			a = st->changed;
		if (t->stale && !selected)
			a |= A_DIM;
		buf_reset(&b);
		text_fit(&b, r->cells[c], cw, 1, (t->cols[c].flags & TABLE_COL_RIGHT) != 0);
		wattrset(w, a);
		waddstr(w, buf_str(&b));
		x += cw;
		if (x < width) {
			wattrset(w, base);
			waddch(w, ' ');
			x++;
		}
	}
	wattrset(w, base);
	if (x < width)
		wclrtoeol(w);
	buf_free(&b);
}

static void
draw_header(struct table *t, WINDOW *w, int y, int width, const struct table_style *st)
{
	struct buf b = BUF_INIT, name = BUF_INIT;
	int c, i, x = 1, cw;

	wmove(w, y, 0);
	wattrset(w, st->header);
	/* A mark where columns are scrolled away to the left. */
	waddstr(w, t->hscroll > 0 ? "\xE2\x80\xB9" : " ");	/* ‹ */
	for (i = 0; i < t->ntorder && x < width; i++) {
		c = t->torder[i];
		cw = t->widths[c];
		if (x + cw > width)
			cw = width - x;
		buf_reset(&name);
		buf_adds(&name, t->cols[c].name);
		if (c == t->sort_col)
			buf_adds(&name, t->sort_desc ? "\xE2\x96\xBC" : "\xE2\x96\xB2");	/* ▼ ▲ */
		buf_reset(&b);
		text_fit(&b, buf_str(&name), cw, 1, (t->cols[c].flags & TABLE_COL_RIGHT) != 0);
		waddstr(w, buf_str(&b));
		x += cw;
		if (x < width) {
			waddch(w, ' ');
			x++;
		}
	}
	if (x < width)
		wclrtoeol(w);
	/* And one where columns did not fit (scroll right to see them). */
	if (t->more > t->hscroll && x < width)
		mvwaddstr(w, y, width - 1, "\xE2\x80\xBA");	/* › */
	buf_free(&b);
	buf_free(&name);
}

void
table_draw(struct table *t, WINDOW *w, int y, int height, int width,
    const struct table_style *st, int full, double now)
{
	int rows = height - 1, i;
	size_t page;

	/* A filter still scanning: one more slice per frame (see table_filter.c). */
	table_filter_step(t, t->slice > 0 ? t->slice : TABLE_FILTER_SLICE);
	if (height < 1 || width < 2)
		return;
	if (t->unsorted && (now - t->last_sort >= 0.3 || now < t->last_sort))
		table_view_sort(t, now);
	if (rows != t->page || width != t->last_width || t->drawn_y != y + 1)
		full = 1;
	t->page = rows > 0 ? rows : 0;
	t->last_width = width;
	t->drawn_y = y + 1;
	if (layout(t, width))
		full = 1;
	/* Keep the cursor on screen after a resize or a shrinking filter. */
	page = t->page > 0 ? (size_t)t->page : 1;
	if (t->cursor >= t->nview && t->nview > 0)
		t->cursor = t->nview - 1;
	if (t->cursor < t->top)
		t->top = t->cursor;
	else if (t->cursor >= t->top + page)
		t->top = t->cursor - page + 1;
	if (t->top + page > t->nview && t->nview >= page) {
		t->top = t->nview - page;
		full = 1;
	}
	if (full || t->dirty_all) {
		draw_header(t, w, y, width, st);
		for (i = 0; i < rows; i++)
			draw_row(t, w, y + 1 + i, width, t->top + (size_t)i, st, now);
	} else {
		for (i = 0; i < t->ndirty; i++)
			if (t->dirty[i] >= t->top && t->dirty[i] < t->top + page)
				draw_row(t, w, y + 1 + (int)(t->dirty[i] - t->top), width, t->dirty[i],
				    st, now);
		/* Rows whose highlight just expired. */
		for (i = 0; i < rows && t->top + (size_t)i < t->nview; i++) {
			struct table_row *r = t->view[t->top + (size_t)i];
			if (r->changed != 0 && now - r->changed_at >= TABLE_HIGHLIGHT_SECONDS) {
				r->changed = 0;
				draw_row(t, w, y + 1 + i, width, t->top + (size_t)i, st, now);
			}
		}
	}
	t->dirty_all = 0;
	t->ndirty = 0;
}

int
table_dirty(const struct table *t, double now)
{
	size_t first, count, i;

	if (t->dirty_all || t->ndirty > 0 || t->unsorted || t->pending != TABLE_SRC_NONE)
		return 1;
	table_visible(t, &first, &count);
	for (i = first; i < first + count; i++)
		if (t->view[i]->changed != 0 && now - t->view[i]->changed_at >= TABLE_HIGHLIGHT_SECONDS)
			return 1;
	return 0;
}

double
table_next_expiry(const struct table *t, double now)
{
	size_t first, count, i;
	double next = 1e9, left;

	table_visible(t, &first, &count);
	for (i = first; i < first + count; i++)
		if (t->view[i]->changed != 0) {
			left = t->view[i]->changed_at + TABLE_HIGHLIGHT_SECONDS - now;
			if (left < next)
				next = left < 0 ? 0 : left;
		}
	if (t->unsorted && next > 0.3)
		next = 0.3;
	if (t->pending != TABLE_SRC_NONE)
		next = 0;	/* the next slice of a filter: at once, after reading keys */
	return next;
}
