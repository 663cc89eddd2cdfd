/* table_filter.c — the table's filter and its view (see table.h): the filter grammar, the
 * matching, and the view of the rows the filter shows in sort order.
 *
 * DESIGN
 * A filter keystroke on a hundred thousand rows must cost a few milliseconds, so:
 *   - no allocation per row: the view is an array of row pointers rebuilt in place;
 *   - one search per row and term: the key and the cells stored with the row are packed
 *     one after the other (NUL between them), so a term for "any column" is one case-
 *     folding scan of that text: memchr for one byte of the term (a digit or a dash when
 *     it has one: one case only), then a folded compare. A term cannot match across two
 *     cells: it holds no NUL;
 *   - interned cells (a column's few repeated values: a status, a ProductKey) are matched
 *     once per value and term; the answer is kept in the term (iknown/imatch);
 *   - narrowing: when every term of the old filter is implied by the term at the same
 *     place in the new one (the new one adds to a word, or adds a word), the rows to keep
 *     are among those shown, in the same order: the view is filtered in place;
 *   - going back (Backspace) after narrowing finds the view it had: each view a narrowing
 *     replaced is kept (t->saved, a few, at most twice the rows in all) until a row or the
 *     order changes;
 *   - a scan of many rows is sliced: table_filter scans TABLE_FILTER_SLICE rows (the
 *     first screen, in order), each draw scans one more slice (table_dirty says so, and
 *     table_next_expiry asks for the next loop at once), so a key is never kept waiting.
 *     Meanwhile the view holds the rows found so far (the first ones, in order: what the
 *     screen shows is right) and table_shown counts them; whatever needs the whole view
 *     (moving to the end, search, marking what is shown) finishes the scan first;
 *   - widening never sorts: while a sort is set (or pages came out of order) the table
 *     keeps every row in sort order (t->order), and the view is that order filtered.
 * Case folding is ASCII, as strcasestr's is in a UTF-8 locale; Chinese text is matched
 * byte for byte.
 */
#include "ui/table_impl.h"

#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xmalloc.h"

/* ---- needles ---------------------------------------------------------------------- */

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int
is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
needle_init(struct needle *nd, const char *text)
{
	size_t i;

	nd->len = strlen(text);
	nd->low = xmalloc(nd->len + 1);
	for (i = 0; i <= nd->len; i++)
		nd->low[i] = (char)fold((unsigned char)text[i]);
	/* memchr looks for a byte with one case when there is one (fewer false starts and
	 * one scan instead of two), else for the first letter. */
	nd->at = 0;
	for (i = 0; i < nd->len; i++)
		if (!is_letter((unsigned char)nd->low[i])) {
			nd->at = i;
			break;
		}
	nd->lo = nd->len > 0 ? (unsigned char)nd->low[nd->at] : 0;
	nd->up = is_letter(nd->lo) ? (unsigned char)(nd->lo - ('a' - 'A')) : nd->lo;
}

/* 1 when the folded needle occurs in h[0..hl) (case-insensitively). */
static int
needle_in(const struct needle *nd, const char *h, size_t hl)
{
	const unsigned char *base = (const unsigned char *)h, *p, *last, *q, *q2;
	size_t i;

	if (nd->len == 0)
		return 1;
	if (hl < nd->len)
		return 0;
	p = base + nd->at;				/* first place the anchor byte can be */
	last = base + hl - (nd->len - nd->at);		/* and the last */
	while (p <= last) {
		q = memchr(p, nd->lo, (size_t)(last - p) + 1);
		if (nd->up != nd->lo) {
			q2 = memchr(p, nd->up, (size_t)((q != NULL ? q : last + 1) - p));
			if (q2 != NULL)
				q = q2;
		}
		if (q == NULL)
			return 0;
		for (i = 0; i < nd->len; i++)
			if (fold(q[i - nd->at]) != (unsigned char)nd->low[i])
				break;
		if (i == nd->len)
			return 1;
		p = q + 1;
	}
	return 0;
}

/* ---- compiling -------------------------------------------------------------------- */

void
table_filter_free(struct filter *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->terms[i].is_regex)
			regfree(&f->terms[i].re);
		free(f->terms[i].text);
		free(f->terms[i].nd.low);
	}
	free(f->terms);
	f->terms = NULL;
	f->n = 0;
}

static int
column_by_prefix(const struct table *t, const char *name, size_t len)
{
	int c;

	for (c = 0; c < t->ncols; c++)
		if (strncasecmp(t->cols[c].name, name, len) == 0 && t->cols[c].name[len] == '\0')
			return c;
	for (c = 0; c < t->ncols; c++)
		if (strncasecmp(t->cols[c].name, name, len) == 0)
			return c;
	return -1;
}

int
table_filter_compile(const struct table *t, const char *text, struct filter *f, char **cause)
{
	const char *p = text, *end, *colon;
	struct filter_term ft;
	char *word, *pat, errb[128];
	size_t len;
	int rc;

	memset(f, 0, sizeof *f);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = p;
		if (*end == '/' || (*end == '!' && end[1] == '/')) {
			/* a regex runs to its closing slash, spaces included */
			const char *close = strchr(end + (*end == '!' ? 2 : 1), '/');
			end = close != NULL ? close + 1 : end + strlen(end);
		}
		while (*end != '\0' && *end != ' ')
			end++;
		word = xstrndup(p, (size_t)(end - p));
		p = end;

		memset(&ft, 0, sizeof ft);
		ft.col = -1;
		pat = word;
		if (*pat == '!' && pat[1] != '\0') {
			ft.neg = 1;
			pat++;
		}
		colon = strchr(pat, ':');
		if (colon != NULL && colon != pat && *pat != '/') {
			len = (size_t)(colon - pat);
			ft.col = column_by_prefix(t, pat, len);
			if (ft.col < 0) {
				*cause = xasprintf("no column named '%.*s'", (int)len, pat);
				free(word);
				table_filter_free(f);
				return -1;
			}
			pat = (char *)colon + 1;
		}
		len = strlen(pat);
		if (len >= 2 && pat[0] == '/' && pat[len - 1] == '/') {
			pat[len - 1] = '\0';
			rc = regcomp(&ft.re, pat + 1, REG_EXTENDED | REG_ICASE | REG_NOSUB);
			if (rc != 0) {
				regerror(rc, &ft.re, errb, sizeof errb);
				*cause = xasprintf("bad regular expression: %s", errb);
				free(word);
				table_filter_free(f);
				return -1;
			}
			ft.is_regex = 1;
			ft.text = xstrdup(pat + 1);
		} else {
			ft.text = xstrdup(pat);
			needle_init(&ft.nd, pat);
		}
		free(word);
		f->terms = xreallocarray(f->terms, f->n + 1, sizeof *f->terms);
		f->terms[f->n++] = ft;
	}
	return 0;
}

/* ---- matching --------------------------------------------------------------------- */

static int
cell_matches(const struct filter_term *ft, const char *cell)
{
	if (ft->is_regex)
		return regexec(&ft->re, cell, 0, NULL, 0) == 0;
	return needle_in(&ft->nd, cell, strlen(cell));
}

/* An interned cell: its value's index is the byte before it; each value is tried once. */
static int
interned_matches(struct filter_term *ft, int c, const char *cell)
{
	uint32_t bit = 1u << ((const unsigned char *)cell)[-1];

	if (!(ft->iknown[c] & bit)) {
		ft->iknown[c] |= bit;
		if (cell_matches(ft, cell))
			ft->imatch[c] |= bit;
	}
	return (ft->imatch[c] & bit) != 0;
}

static int
term_matches(const struct table *t, struct filter_term *ft, const struct table_row *r)
{
	int c;

	if (ft->col >= 0) {
		if (r->interned & (1u << ft->col))
			return interned_matches(ft, ft->col, r->cells[ft->col]);
		return cell_matches(ft, r->cells[ft->col]);
	}
	if (ft->is_regex) {
		if (regexec(&ft->re, r->key, 0, NULL, 0) == 0)
			return 1;
		for (c = 0; c < t->ncols; c++)
			if ((r->interned & (1u << c)) ? interned_matches(ft, c, r->cells[c]) :
			    regexec(&ft->re, r->cells[c], 0, NULL, 0) == 0)
				return 1;
		return 0;
	}
	/* The key and every cell not interned are in the row's text (an empty cell matches
	 * only the empty term, which matches anyway). */
	if (r->flags & TABLE_RF_LONG) {
		if (cell_matches(ft, r->key))
			return 1;
		for (c = 0; c < t->ncols; c++)
			if (!(r->interned & (1u << c)) && cell_matches(ft, r->cells[c]))
				return 1;
	} else if (needle_in(&ft->nd, r->key, r->textlen))
		return 1;
	if (r->interned != 0)
		for (c = 0; c < t->ncols; c++)
			if ((r->interned & (1u << c)) && interned_matches(ft, c, r->cells[c]))
				return 1;
	return 0;
}

int
table_filter_matches(const struct table *t, struct filter *f, const struct table_row *r)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (term_matches(t, &f->terms[i], r) == f->terms[i].neg)
			return 0;
	return 1;
}

/* 1 when every row nf shows is shown by of: each term of of is implied by nf's term at
 * the same place. */
static int
filter_narrows(const struct filter *of, const struct filter *nf)
{
	const struct filter_term *a, *b;
	size_t i;

	if (nf->n < of->n)
		return 0;
	for (i = 0; i < of->n; i++) {
		a = &of->terms[i];
		b = &nf->terms[i];
		if (a->neg != b->neg || a->col != b->col || a->is_regex != b->is_regex)
			return 0;
		if (a->is_regex) {
			if (strcmp(a->text, b->text) != 0)
				return 0;
		} else if (!a->neg ? strstr(b->nd.low, a->nd.low) == NULL :
		    strstr(a->nd.low, b->nd.low) == NULL)
			return 0;	/* "ab" narrows "a"; "!a" narrows "!ab" */
	}
	return 1;
}

/* ---- the view --------------------------------------------------------------------- */

static const struct table *sort_table;	/* qsort has no argument; sorting is UI-thread only */

static int
row_cmp(const void *a, const void *b)
{
	const struct table_row *ra = *(struct table_row *const *)a;
	const struct table_row *rb = *(struct table_row *const *)b;
	const struct table *t = sort_table;
	int c = t->sort_col, r;
	double da, db;

	if (c < 0)
		r = ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
	else if (t->cols[c].flags & TABLE_COL_NUMERIC) {
		da = strtod(ra->cells[c], NULL);
		db = strtod(rb->cells[c], NULL);
		r = da < db ? -1 : da > db;
	} else
		r = strcoll(ra->cells[c], rb->cells[c]);
	if (r == 0)
		r = ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
	else if (t->sort_desc)
		r = -r;
	return r;
}

static void
rows_sort(const struct table *t, struct table_row **v, size_t n)
{
	if (n < 2)	/* an empty array may be NULL: qsort(NULL) is undefined */
		return;
	sort_table = t;
	qsort(v, n, sizeof *v, row_cmp);
	sort_table = NULL;
}

void
table_view_push(struct table *t, struct table_row *r)
{
	if (t->nview == t->viewcap) {
		t->viewcap = t->viewcap ? t->viewcap * 2 : 256;
		t->view = xreallocarray(t->view, t->viewcap, sizeof *t->view);
	}
	t->view[t->nview++] = r;
}

void
table_order_push(struct table *t, struct table_row *r)
{
	if (t->norder == t->ordercap) {
		t->ordercap = t->ordercap ? t->ordercap * 2 : 256;
		t->order = xreallocarray(t->order, t->ordercap, sizeof *t->order);
	}
	t->order[t->norder++] = r;
}

/* Whether the table keeps every row in sort order (see the DESIGN comment). */
static int
need_order(const struct table *t)
{
	return t->sort_col >= 0 || t->sort_desc || t->seq_disorder;
}

void
table_order_sync(struct table *t)
{
	if (!need_order(t)) {
		free(t->order);
		t->order = NULL;
		t->norder = t->ordercap = 0;
	} else if (t->order == NULL || t->norder != t->nrows) {
		t->norder = 0;
		if (t->ordercap < t->nrows) {
			t->ordercap = t->nrows;
			t->order = xreallocarray(t->order, t->ordercap, sizeof *t->order);
		}
		if (t->nrows > 0)
			memcpy(t->order, t->rows, t->nrows * sizeof *t->rows);
		t->norder = t->nrows;
		t->unsorted = 1;
	}
}

/* The source of a pending scan and its length now (rows[] and order[] may grow). */
static struct table_row **
pend_source(const struct table *t, size_t *n)
{
	switch (t->pending) {
	case TABLE_SRC_ROWS:
		*n = t->nrows;
		return t->rows;
	case TABLE_SRC_ORDER:
		*n = t->norder;
		return t->order;
	case TABLE_SRC_VIEW:
		*n = t->pend_n;
		return t->view;
	}
	*n = 0;
	return NULL;
}

void
table_filter_stop(struct table *t)
{
	t->pend_n = 0;
	t->pending = TABLE_SRC_NONE;
	t->pend_cur = NULL;
}

void
table_filter_step(struct table *t, size_t budget)
{
	struct table_row **src, *r;
	size_t n, end;

	if (t->pending == TABLE_SRC_NONE)
		return;
	src = pend_source(t, &n);
	end = n - t->pend_i > budget ? t->pend_i + budget : n;
	for (; t->pend_i < end; t->pend_i++) {
#ifdef __GNUC__
		/* A narrowed view's rows are scattered in memory: fetch a few ahead (a row's
		 * header, then its text, in about three cache lines). */
		if (t->pend_i + 8 < end) {
			const char *ahead = (const char *)src[t->pend_i + 8];

			__builtin_prefetch(ahead);
			__builtin_prefetch(ahead + 64);
			__builtin_prefetch(ahead + 128);
		}
#endif
		r = src[t->pend_i];
		if (t->filter.n > 0 && !table_filter_matches(t, &t->filter, r))
			continue;
		if (r == t->pend_cur)
			t->cursor = t->nview;	/* the cursor finds its row again */
		if (t->pending == TABLE_SRC_VIEW)
			t->view[t->nview++] = r;	/* in place: nview <= pend_i */
		else
			table_view_push(t, r);
	}
	t->dirty_all = 1;
	if (t->pend_i >= n)
		table_filter_stop(t);
}

/* Starts filtering a source into the view (see TABLE_SRC_*; for TABLE_SRC_VIEW, the
 * view's nview rows) and scans the first slice: the frame drawn next shows the first rows;
 * the rest is scanned a slice per draw. */
static void
view_fill(struct table *t, int kind)
{
	struct table_row *cur = t->pending != TABLE_SRC_NONE ? t->pend_cur :
	    t->cursor < t->nview ? t->view[t->cursor] : NULL;

	table_filter_stop(t);
	t->pending = kind;
	t->pend_n = kind == TABLE_SRC_VIEW ? t->nview : 0;
	t->pend_i = 0;
	t->pend_cur = cur;
	t->nview = 0;
	t->cursor = 0;
	t->dirty_all = 1;
	table_filter_step(t, t->slice > 0 ? t->slice : TABLE_FILTER_SLICE);
}

void
table_view_toggle(struct table *t, struct table_row *r, int visible)
{
	size_t i, lo = 0, hi = t->nview, mid;

	if (t->pending != TABLE_SRC_NONE || t->unsorted) {
		table_view_rebuild(t);	/* not in order (or not all there): scan */
		return;
	}
	if (!visible) {
		for (i = 0; i < t->nview && t->view[i] != r; i++)
			;
		if (i == t->nview)
			return;
		memmove(&t->view[i], &t->view[i + 1], (t->nview - i - 1) * sizeof *t->view);
		t->nview--;
		if (t->cursor > i)
			t->cursor--;	/* it stays on its row (or the next, if it was this one) */
		if (t->cursor >= t->nview && t->nview > 0)
			t->cursor = t->nview - 1;
	} else {
		/* The view is in sort order (or seq order: rows[] is, with no order kept). */
		sort_table = t;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (row_cmp(&t->view[mid], &r) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		sort_table = NULL;
		table_view_push(t, r);	/* room for one more */
		memmove(&t->view[lo + 1], &t->view[lo], (t->nview - 1 - lo) * sizeof *t->view);
		t->view[lo] = r;
		if (t->cursor >= lo && t->nview > 1)
			t->cursor++;
	}
	t->dirty_all = 1;
}

void
table_view_rebuild(struct table *t)
{
	view_fill(t, t->order != NULL ? TABLE_SRC_ORDER : TABLE_SRC_ROWS);
}

void
table_filter_slice(struct table *t, size_t rows)
{
	t->slice = rows;
}

int
table_filter_pending(const struct table *t)
{
	return t->pending != TABLE_SRC_NONE;
}

void
table_view_sort(struct table *t, double now)
{
	table_order_sync(t);
	table_saved_drop(t);
	if (t->order != NULL) {
		rows_sort(t, t->order, t->norder);
		table_view_rebuild(t);
	} else
		t->dirty_all = 1;
	t->unsorted = 0;
	t->last_sort = now;
}

void
table_sort(struct table *t, int col, int descending)
{
	if (col >= t->ncols)
		col = -1;
	t->sort_col = col;
	t->sort_desc = descending;
	table_order_sync(t);
	if (t->order == NULL)	/* back to insertion order: rows[] is it */
		table_view_rebuild(t);
	table_view_sort(t, t->last_sort);
}

int
table_sort_col(const struct table *t)
{
	return t->sort_col;
}

int
table_sort_desc(const struct table *t)
{
	return t->sort_desc;
}

void
table_saved_drop(struct table *t)
{
	int i;

	for (i = 0; i < t->nsaved; i++)
		free(t->saved[i].text);
	t->nsaved = 0;
	t->saved_rows = 0;
}

/* Keeps the view before a narrowing replaces it: on the stack in saved_buf (its space
 * reused, so that typing allocates nothing); when full (TABLE_SAVED_MAX views, or twice
 * the rows), the stack starts again. */
static void
saved_push(struct table *t)
{
	struct view_saved *s;
	int all = t->nview == t->nrows;

	if (t->filter_text == NULL || t->filter.n == 0)
		return;	/* no filter: every row, rebuilt as fast as it is copied */
	if (t->nsaved == TABLE_SAVED_MAX ||
	    (!all && t->saved_rows + t->nview > 2 * t->nrows + 1024))
		table_saved_drop(t);
	if (!all && t->saved_rows + t->nview > t->saved_cap) {
		t->saved_cap = t->saved_rows + t->nview;
		if (t->saved_cap < 2 * t->nrows + 1024)
			t->saved_cap = 2 * t->nrows + 1024;
		t->saved_buf = xreallocarray(t->saved_buf, t->saved_cap, sizeof *t->saved_buf);
	}
	s = &t->saved[t->nsaved++];
	s->text = xstrdup(t->filter_text);
	s->n = t->nview;
	s->all = all;
	s->at = t->saved_rows;
	if (!all) {
		if (s->n > 0)
			memcpy(t->saved_buf + s->at, t->view, s->n * sizeof *t->view);
		t->saved_rows += s->n;
	}
}

/* Puts back the saved view of this filter text, if one is kept; 1 when it was. The views
 * saved after it (narrower) go. */
static int
saved_restore(struct table *t, const char *text)
{
	struct table_row *cur = t->pending != TABLE_SRC_NONE ? t->pend_cur :
	    t->cursor < t->nview ? t->view[t->cursor] : NULL;
	struct view_saved *s;
	size_t i;
	int k;

	for (k = t->nsaved - 1; k >= 0; k--)
		if (strcmp(t->saved[k].text, text) == 0)
			break;
	if (k < 0)
		return 0;
	table_filter_stop(t);
	s = &t->saved[k];
	if (t->viewcap < s->n) {
		t->viewcap = s->n;
		t->view = xreallocarray(t->view, t->viewcap, sizeof *t->view);
	}
	if (s->n > 0)
		memcpy(t->view, !s->all ? t->saved_buf + s->at : t->order != NULL ? t->order :
		    t->rows, s->n * sizeof *t->view);
	t->nview = s->n;
	t->cursor = 0;
	for (i = 0; cur != NULL && i < t->nview; i++)
		if (t->view[i] == cur) {
			t->cursor = i;
			break;
		}
	t->dirty_all = 1;
	t->saved_rows = s->at;	/* it and the ones after it go */
	while (t->nsaved > k)
		free(t->saved[--t->nsaved].text);
	return 1;
}

int
table_filter(struct table *t, const char *text, char **cause)
{
	struct filter f;
	int narrow;

	if (text == NULL || *text == '\0') {
		table_filter_free(&t->filter);
		free(t->filter_text);
		t->filter_text = NULL;
		table_saved_drop(t);
		free(t->saved_buf);	/* typing is over: give the space back */
		t->saved_buf = NULL;
		t->saved_cap = 0;
		table_view_rebuild(t);
		return 0;
	}
	if (table_filter_compile(t, text, &f, cause) != 0)
		return -1;
	/* A view still being filled cannot be narrowed: it is not all there. */
	narrow = t->pending == TABLE_SRC_NONE && filter_narrows(&t->filter, &f);
	table_filter_free(&t->filter);
	t->filter = f;
	if (saved_restore(t, text))
		;
	else if (narrow) {
		saved_push(t);
		view_fill(t, TABLE_SRC_VIEW);
	} else {
		table_saved_drop(t);
		table_view_rebuild(t);
	}
	xstrset(&t->filter_text, text);
	return 0;
}

const char *
table_filter_text(const struct table *t)
{
	return t->filter_text;
}

int
table_search(struct table *t, const char *text, int dir, char **cause)
{
	struct filter f;
	size_t i, n, idx;

	table_filter_step(t, SIZE_MAX);	/* the whole view */
	n = t->nview;
	if (n == 0)
		return 0;
	if (table_filter_compile(t, text, &f, cause) != 0)
		return -1;
	for (i = 1; i <= n; i++) {
		idx = dir >= 0 ? (t->cursor + i) % n : (t->cursor + n - (i % n)) % n;
		if (table_filter_matches(t, &f, t->view[idx])) {
			table_move_to(t, idx);
			table_filter_free(&f);
			return 1;
		}
	}
	table_filter_free(&f);
	return 0;
}
