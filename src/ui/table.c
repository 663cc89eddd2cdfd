/* table.c — the table widget (see table.h). */
#include "ui/table.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/text.h"

struct filter_term {
	int     neg;		/* the term must not match */
	int     col;		/* column, or -1 for any */
	int     is_regex;	/* use re */
	regex_t re;		/* compiled when is_regex */
	char   *text;		/* substring otherwise */
};

struct filter {
	struct filter_term *terms;	/* all must hold */
	size_t              n;		/* number of terms */
};

struct table {
	const struct table_column *cols;	/* column definitions (borrowed) */
	int                 ncols;		/* number of columns */
	struct table_row  **rows;		/* every row, insertion order (owned) */
	size_t              nrows, cap;		/* rows used, allocated */
	struct table_row  **view;		/* rows shown: filtered, sorted */
	size_t              nview, viewcap;	/* shown, allocated */
	size_t             *slots;		/* hash: row index + 1, 0 = empty */
	size_t              nslots;		/* size of slots (power of two) */
	uint64_t            seq;		/* next insertion number */
	int                 loaded;		/* first load done: new rows get marked */
	int                 sweeping;		/* between sweep_begin and sweep_end */
	size_t              nmarked;		/* rows with TABLE_ROW_MARKED */
	size_t              cursor;		/* index in view */
	size_t              top;		/* first shown index on screen */
	int                 page;		/* rows on screen at the last draw */
	int                 hscroll;		/* columns hidden after the first */
	int                 sort_col;		/* -1: insertion order */
	int                 sort_desc;		/* descending */
	int                 unsorted;		/* view needs sorting */
	double              last_sort;		/* when it was last sorted */
	char               *filter_text;	/* the filter as typed, or NULL */
	struct filter       filter;		/* compiled filter */
	int                 content_w[TABLE_MAX_COLS];	/* widest cell seen (or the header) */
	size_t              nonempty[TABLE_MAX_COLS];	/* rows with something in the cell */
	size_t              same[TABLE_MAX_COLS];	/* rows whose cell is first[c] */
	char               *first[TABLE_MAX_COLS];	/* the cell of the first row set (owned) */
	int                 widths[TABLE_MAX_COLS];	/* widths at the last layout (0: not shown) */
	int                 order[TABLE_MAX_COLS];	/* shown columns, in drawing order */
	int                 norder;		/* entries in order */
	int                 more;		/* columns with content left out (dropped or
						   scrolled away) at the last layout */
	int                 last_width;		/* width at the last draw */
	int                 dirty_all;		/* redraw every visible row */
	size_t              dirty[8];		/* view indices to redraw */
	int                 ndirty;		/* entries in dirty (-1: overflow) */
	int                 drawn_y;		/* first row line of the last draw */
	int                 stale;		/* values are from before a failed refresh */
	void              (*free_data)(void *);	/* frees a row's data, or NULL (not owned) */
};

/* ---- hashing ---------------------------------------------------------------------- */

static uint64_t
hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
hash_insert(struct table *t, size_t index)
{
	size_t mask = t->nslots - 1, i = hash_key(t->rows[index]->key) & mask;

	while (t->slots[i] != 0)
		i = (i + 1) & mask;
	t->slots[i] = index + 1;
}

static void
hash_grow(struct table *t)
{
	size_t i;

	free(t->slots);
	t->nslots = t->nslots ? t->nslots * 2 : 256;
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	for (i = 0; i < t->nrows; i++)
		hash_insert(t, i);
}

static struct table_row *
hash_find(const struct table *t, const char *key)
{
	size_t mask, i;

	if (t->nslots == 0)
		return NULL;
	mask = t->nslots - 1;
	for (i = hash_key(key) & mask; t->slots[i] != 0; i = (i + 1) & mask)
		if (strcmp(t->rows[t->slots[i] - 1]->key, key) == 0)
			return t->rows[t->slots[i] - 1];
	return NULL;
}

/* ---- life ------------------------------------------------------------------------- */

struct table *
table_new(const struct table_column *cols, int ncols)
{
	struct table *t = xcalloc(1, sizeof *t);
	int i;

	t->cols = cols;
	t->ncols = ncols > TABLE_MAX_COLS ? TABLE_MAX_COLS : ncols;
	t->sort_col = -1;
	t->dirty_all = 1;
	for (i = 0; i < t->ncols; i++)
		t->content_w[i] = text_width(cols[i].name);
	return t;
}

static void
filter_free(struct filter *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->terms[i].is_regex)
			regfree(&f->terms[i].re);
		free(f->terms[i].text);
	}
	free(f->terms);
	f->terms = NULL;
	f->n = 0;
}

void
table_clear(struct table *t)
{
	size_t i;
	int c;

	for (i = 0; i < t->nrows; i++) {
		if (t->free_data != NULL && t->rows[i]->data != NULL)
			t->free_data(t->rows[i]->data);
		free(t->rows[i]->blob);
		free(t->rows[i]);
	}
	t->nrows = t->nview = t->nmarked = 0;
	if (t->slots != NULL)
		memset(t->slots, 0, t->nslots * sizeof *t->slots);
	t->cursor = t->top = 0;
	t->loaded = 0;
	t->dirty_all = 1;
	for (c = 0; c < t->ncols; c++) {
		t->content_w[c] = text_width(t->cols[c].name);
		t->nonempty[c] = t->same[c] = 0;
		free(t->first[c]);
		t->first[c] = NULL;
	}
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	table_clear(t);	/* frees first[] too */
	free(t->rows);
	free(t->view);
	free(t->slots);
	free(t->filter_text);
	filter_free(&t->filter);
	free(t);
}

/* ---- filtering -------------------------------------------------------------------- */

static int
term_matches_cell(const struct filter_term *ft, const char *cell)
{
	if (ft->is_regex)
		return regexec(&ft->re, cell, 0, NULL, 0) == 0;
	return strcasestr(cell, ft->text) != NULL;
}

static int
term_matches(const struct table *t, const struct filter_term *ft, const struct table_row *r)
{
	int c;

	if (ft->col >= 0)
		return term_matches_cell(ft, r->cells[ft->col]);
	if (term_matches_cell(ft, r->key))
		return 1;
	for (c = 0; c < t->ncols; c++)
		if (term_matches_cell(ft, r->cells[c]))
			return 1;
	return 0;
}

static int
filter_matches(const struct table *t, const struct filter *f, const struct table_row *r)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (term_matches(t, &f->terms[i], r) == f->terms[i].neg)
			return 0;
	return 1;
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

static int
filter_compile(const struct table *t, const char *text, struct filter *f, char **cause)
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
				filter_free(f);
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
				filter_free(f);
				return -1;
			}
			ft.is_regex = 1;
		} else
			ft.text = xstrdup(pat);
		free(word);
		f->terms = xreallocarray(f->terms, f->n + 1, sizeof *f->terms);
		f->terms[f->n++] = ft;
	}
	return 0;
}

/* ---- sorting ---------------------------------------------------------------------- */

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
view_keep_cursor(struct table *t, struct table_row *cur)
{
	size_t i;

	t->cursor = 0;
	if (cur != NULL)
		for (i = 0; i < t->nview; i++)
			if (t->view[i] == cur) {
				t->cursor = i;
				break;
			}
	t->dirty_all = 1;
}

static void
view_sort(struct table *t, double now)
{
	struct table_row *cur = table_cursor_row(t);

	sort_table = t;
	if (t->nview > 1)	/* an empty view may have no array: qsort(NULL) is undefined */
		qsort(t->view, t->nview, sizeof *t->view, row_cmp);
	sort_table = NULL;
	t->unsorted = 0;
	t->last_sort = now;
	view_keep_cursor(t, cur);
}

static void
view_push(struct table *t, struct table_row *r)
{
	if (t->nview == t->viewcap) {
		t->viewcap = t->viewcap ? t->viewcap * 2 : 256;
		t->view = xreallocarray(t->view, t->viewcap, sizeof *t->view);
	}
	t->view[t->nview++] = r;
}

static void
view_rebuild(struct table *t)
{
	struct table_row *cur = table_cursor_row(t);
	size_t i;

	t->nview = 0;
	for (i = 0; i < t->nrows; i++)
		if (filter_matches(t, &t->filter, t->rows[i]))
			view_push(t, t->rows[i]);
	if ((t->sort_col >= 0 || t->sort_desc) && t->nview > 1) {
		sort_table = t;
		qsort(t->view, t->nview, sizeof *t->view, row_cmp);
		sort_table = NULL;
	}
	t->unsorted = 0;
	view_keep_cursor(t, cur);
}

void
table_sort(struct table *t, int col, int descending)
{
	if (col >= t->ncols)
		col = -1;
	t->sort_col = col;
	t->sort_desc = descending;
	view_sort(t, t->last_sort);
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

int
table_filter(struct table *t, const char *text, char **cause)
{
	struct filter f;

	if (text == NULL || *text == '\0') {
		filter_free(&t->filter);
		free(t->filter_text);
		t->filter_text = NULL;
		view_rebuild(t);
		return 0;
	}
	if (filter_compile(t, text, &f, cause) != 0)
		return -1;
	filter_free(&t->filter);
	t->filter = f;
	xstrset(&t->filter_text, text);
	view_rebuild(t);
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
	size_t i, n = t->nview, idx;

	if (n == 0)
		return 0;
	if (filter_compile(t, text, &f, cause) != 0)
		return -1;
	for (i = 1; i <= n; i++) {
		idx = dir >= 0 ? (t->cursor + i) % n : (t->cursor + n - (i % n)) % n;
		if (filter_matches(t, &f, t->view[idx])) {
			table_move_to(t, idx);
			filter_free(&f);
			return 1;
		}
	}
	filter_free(&f);
	return 0;
}

/* ---- rows ------------------------------------------------------------------------- */

static void
mark_dirty_index(struct table *t, size_t index)
{
	if (t->dirty_all)
		return;
	if (index < t->top || index >= t->top + (size_t)(t->page > 0 ? t->page : 0))
		return;
	if (t->ndirty < (int)(sizeof t->dirty / sizeof t->dirty[0]))
		t->dirty[t->ndirty++] = index;
	else
		t->dirty_all = 1;
}

static void
mark_dirty_row(struct table *t, const struct table_row *r)
{
	size_t i, end;

	if (t->dirty_all || t->page <= 0)
		return;
	end = t->top + (size_t)t->page;
	for (i = t->top; i < end && i < t->nview; i++)
		if (t->view[i] == r) {
			mark_dirty_index(t, i);
			return;
		}
}

/* Counts a row's cells into the column statistics (sign 1) or out of them (sign -1). */
static void
stats_count(struct table *t, char *const *cells, int sign)
{
	int c;

	for (c = 0; c < t->ncols; c++) {
		if (sign > 0 && t->first[c] == NULL)
			t->first[c] = xstrdup(cells[c]);
		if (cells[c][0] != '\0') {
			if (sign > 0)
				t->nonempty[c]++;
			else
				t->nonempty[c]--;
		}
		if (strcmp(cells[c], t->first[c]) == 0) {
			if (sign > 0)
				t->same[c]++;
			else
				t->same[c]--;
		}
	}
}

/* Packs the key (raw: it is the row's identity and an API argument, never drawn) and the
 * cells (made display-safe) into r->blob. */
static void
row_pack(struct table *t, struct table_row *r, const char *key, const char *const *cells)
{
	struct buf b = BUF_INIT;
	size_t offs[TABLE_MAX_COLS + 1], b_len_plus_nul;
	int c, w;

	buf_add(&b, key, strlen(key));
	buf_addc(&b, '\0');
	for (c = 0; c < t->ncols; c++) {
		const char *s = cells != NULL && cells[c] != NULL ? cells[c] : "";
		offs[c] = b.len;
		safetext_append(&b, s, strlen(s));
		buf_addc(&b, '\0');
	}
	b_len_plus_nul = b.len + 1;
	free(r->blob);
	/* Exactly the bytes used: a hundred thousand rows add up. */
	r->blob = xrealloc(buf_detach(&b), b_len_plus_nul);
	r->key = r->blob;
	for (c = 0; c < t->ncols; c++) {
		r->cells[c] = r->blob + offs[c];
		w = text_width(r->cells[c]);
		if (w > t->content_w[c])
			t->content_w[c] = w;
	}
	stats_count(t, r->cells, 1);
}

struct table_row *
table_set(struct table *t, const char *key, const char *const *cells, void *data, double now)
{
	struct table_row *r = hash_find(t, key);
	char *old[TABLE_MAX_COLS];
	char *oldblob;
	uint32_t changed = 0;
	int c, visible;

	if (r != NULL) {
		int was_visible = filter_matches(t, &t->filter, r);

		oldblob = r->blob;
		for (c = 0; c < t->ncols; c++)
			old[c] = r->cells[c];
		stats_count(t, old, -1);
		r->blob = NULL;
		row_pack(t, r, key, cells);
		for (c = 0; c < t->ncols; c++)
			if (strcmp(old[c], r->cells[c]) != 0)
				changed |= 1u << c;
		free(oldblob);
		if (data != NULL && data != r->data) {
			if (t->free_data != NULL && r->data != NULL)
				t->free_data(r->data);
			r->data = data;
		}
		if (t->sweeping)
			r->seen = 1;
		if (r->marks & TABLE_ROW_VANISHED) {
			r->marks &= (uint8_t)~TABLE_ROW_VANISHED;
			changed |= 1;
		}
		if (changed != 0) {
			r->changed = changed;
			r->changed_at = now;
			visible = filter_matches(t, &t->filter, r);
			/* A change can move a row in or out of the filter (rebuild: rare) or
			 * change its place in the order (sorted lazily at the next draw). */
			if (visible != was_visible)
				view_rebuild(t);
			else if (visible) {
				if (t->sort_col >= 0 && (changed & (1u << t->sort_col)))
					t->unsorted = 1;
				mark_dirty_row(t, r);
			}
		}
		return r;
	}

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->rows = xreallocarray(t->rows, t->cap, sizeof *t->rows);
	}
	if ((t->nrows + 1) * 10 >= t->nslots * 7)
		hash_grow(t);
	r = xcalloc(1, sizeof *r + (size_t)t->ncols * sizeof r->cells[0]);
	r->seq = t->seq++;
	r->data = data;
	r->marks = t->loaded ? TABLE_ROW_NEW : 0;
	r->seen = t->sweeping;
	row_pack(t, r, key, cells);
	t->rows[t->nrows++] = r;
	hash_insert(t, t->nrows - 1);
	if (filter_matches(t, &t->filter, r)) {
		view_push(t, r);
		if (t->sort_col >= 0 || t->sort_desc ||
		    (t->nview > 1 && r->seq < t->view[t->nview - 2]->seq))
			t->unsorted = 1;
		mark_dirty_index(t, t->nview - 1);
	}
	return r;
}

int
table_set_cell(struct table *t, const char *key, int col, const char *text, double now)
{
	struct table_row *r = hash_find(t, key);
	const char *cells[TABLE_MAX_COLS];
	char *k;
	int c;

	if (r == NULL || col < 0 || col >= t->ncols)
		return 0;
	{
		char *safe = safetext_dup(text, strlen(text));
		int same = strcmp(safe, r->cells[col]) == 0;
		free(safe);
		if (same)
			return 0;
	}
	for (c = 0; c < t->ncols; c++)
		cells[c] = c == col ? text : r->cells[c];
	k = xstrdup(r->key);
	table_set(t, k, cells, r->data, now);
	free(k);
	return 1;
}

void
table_own_data(struct table *t, void (*free_data)(void *))
{
	t->free_data = free_data;
}

void
table_order_from(struct table *t, uint64_t seq)
{
	t->seq = seq;
}

void
table_set_stale(struct table *t, int stale)
{
	if (t->stale != (stale != 0)) {
		t->stale = stale != 0;
		t->dirty_all = 1;
	}
}

int
table_stale(const struct table *t)
{
	return t->stale;
}

struct table_row *
table_find(const struct table *t, const char *key)
{
	return hash_find(t, key);
}

void
table_loaded(struct table *t)
{
	t->loaded = 1;
}

void
table_sweep_begin(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		t->rows[i]->seen = 0;
	t->sweeping = 1;
}

void
table_sweep_end(struct table *t)
{
	size_t i;

	t->sweeping = 0;
	for (i = 0; i < t->nrows; i++)
		if (!t->rows[i]->seen && !(t->rows[i]->marks & TABLE_ROW_VANISHED)) {
			t->rows[i]->marks |= TABLE_ROW_VANISHED;
			mark_dirty_row(t, t->rows[i]);
		}
}

size_t
table_count(const struct table *t)
{
	return t->nrows;
}

int
table_mark(struct table *t, struct table_row *r, int on)
{
	if (r == NULL || !!(r->marks & TABLE_ROW_MARKED) == !!on)
		return 0;
	if (on) {
		r->marks |= TABLE_ROW_MARKED;
		t->nmarked++;
	} else {
		r->marks &= (uint8_t)~TABLE_ROW_MARKED;
		t->nmarked--;
	}
	mark_dirty_row(t, r);
	return 1;
}

size_t
table_mark_shown(struct table *t, int on)
{
	size_t i, n = 0;

	for (i = 0; i < t->nview; i++)
		n += (size_t)table_mark(t, t->view[i], on);
	return n;
}

size_t
table_marked(const struct table *t)
{
	return t->nmarked;
}

size_t
table_marked_rows(const struct table *t, struct table_row ***out)
{
	struct table_row **v;
	size_t i, n = 0;

	*out = NULL;
	if (t->nmarked == 0)
		return 0;
	v = xreallocarray(NULL, t->nmarked, sizeof *v);
	/* rows[] is in insertion order: the order the API listed them. */
	for (i = 0; i < t->nrows && n < t->nmarked; i++)
		if (t->rows[i]->marks & TABLE_ROW_MARKED)
			v[n++] = t->rows[i];
	*out = v;
	return n;
}

size_t
table_shown(const struct table *t)
{
	return t->nview;
}

int
table_columns(const struct table *t)
{
	return t->ncols;
}

size_t
table_cursor_index(const struct table *t)
{
	return t->cursor;
}

struct table_row *
table_cursor_row(const struct table *t)
{
	return t->cursor < t->nview ? t->view[t->cursor] : NULL;
}

struct table_row *
table_shown_row(const struct table *t, size_t i)
{
	return i < t->nview ? t->view[i] : NULL;
}

void
table_visible(const struct table *t, size_t *first, size_t *count)
{
	size_t n = t->page > 0 ? (size_t)t->page : 0;

	*first = t->top;
	*count = t->top >= t->nview ? 0 : (t->nview - t->top < n ? t->nview - t->top : n);
}

/* ---- cursor ----------------------------------------------------------------------- */

void
table_move_to(struct table *t, size_t index)
{
	size_t page = t->page > 0 ? (size_t)t->page : 1;

	if (t->nview == 0) {
		t->cursor = t->top = 0;
		return;
	}
	if (index >= t->nview)
		index = t->nview - 1;
	if (index == t->cursor)
		return;
	mark_dirty_index(t, t->cursor);
	t->cursor = index;
	if (t->cursor < t->top) {
		t->top = t->cursor;
		t->dirty_all = 1;
	} else if (t->cursor >= t->top + page) {
		t->top = t->cursor - page + 1;
		t->dirty_all = 1;
	}
	mark_dirty_index(t, t->cursor);
}

void
table_move(struct table *t, long delta)
{
	long target = (long)t->cursor + delta;

	if (target < 0)
		target = 0;
	table_move_to(t, (size_t)target);
}

int
table_page(const struct table *t)
{
	return t->page > 1 ? t->page : 1;
}

void
table_hscroll(struct table *t, int delta)
{
	int h = t->hscroll + delta;

	if (h < 0)
		h = 0;
	if (h > t->ncols - 2)
		h = t->ncols - 2 > 0 ? t->ncols - 2 : 0;
	if (h != t->hscroll) {
		t->hscroll = h;
		t->dirty_all = 1;
	}
}

int
table_click(struct table *t, int y)
{
	long i = (long)y - t->drawn_y;

	if (i < 0 || i >= t->page || t->top + (size_t)i >= t->nview)
		return 0;
	table_move_to(t, t->top + (size_t)i);
	return 1;
}

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

	if (norder != t->norder || memcmp(order, t->order, (size_t)norder * sizeof *order) != 0)
		changed = 1;
	for (c = 0; c < t->ncols; c++)
		if (w[c] != t->widths[c])
			changed = 1;
	memcpy(t->widths, w, sizeof w);
	memcpy(t->order, order, sizeof order);
	t->norder = norder;
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

	for (i = 0; i < t->norder && i < max; i++)
		order[i] = t->order[i];
	return t->norder;
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
	for (i = 0; i < t->norder && x < width; i++) {
		c = t->order[i];
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
	for (i = 0; i < t->norder && x < width; i++) {
		c = t->order[i];
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

	if (height < 1 || width < 2)
		return;
	if (t->unsorted && (now - t->last_sort >= 0.3 || now < t->last_sort))
		view_sort(t, now);
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

	if (t->dirty_all || t->ndirty > 0 || t->unsorted)
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
	return next;
}
