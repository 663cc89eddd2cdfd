/* table.c — the table widget's rows (see table.h): the arena they live in, interned
 * values, the key hash, updates, sweeps, marks and the cursor. The filter and the view are
 * in table_filter.c, the layout and drawing in table_draw.c.
 *
 * DESIGN (memory: a million devices must fit in a few hundred MiB)
 * A row is a header (struct table_row: 40 bytes and a pointer per cell) and its text: the
 * raw key, then each cell made display-safe, NUL after each, packed. Both come from the
 * table's arena (256 KiB blocks, freed together by table_clear): no allocation and no
 * malloc header per row. A cell is not stored with the row when
 *   - it is empty: it points at a shared "";
 *   - it is the end of the key (DeviceName in "ProductKey/DeviceName");
 *   - it is one of its column's interned values: a column interns the first
 *     TABLE_INTERN_MAX distinct values it sees and stops when it has that many (a status,
 *     a ProductKey, a product name are repeated; names are not).
 * An update packs the new text into a scratch buffer first (the caller's cells may point
 * into the row), then writes it over the old text when it fits, or moves the row's text to
 * a malloc'd block of its own (TABLE_RF_HEAP) when it grew: the arena never moves a row and
 * never frees, so cell pointers stay valid until the row changes, and the waste is at most
 * one text per row. The hash holds 32-bit row indices.
 */
#include "ui/table_impl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/text.h"

/* Bytes of an arena block (less its header): large enough to be mmap'd, so a table's
 * memory goes back to the system when it is cleared. */
#define ARENA_BLOCK (256u * 1024u - sizeof(struct arena_chunk))

static char empty_cell[] = "";	/* every empty cell (never written) */

/* ---- the arena -------------------------------------------------------------------- */

static void *
arena_alloc(struct table *t, size_t n, size_t align)
{
	struct arena_chunk *ch = t->arena;
	size_t at;

	if (ch != NULL) {
		at = (ch->used + align - 1) & ~(align - 1);
		if (at + n <= ch->size) {
			ch->used = at + n;
			return ch->mem + at;
		}
	}
	if (n > ARENA_BLOCK / 4) {
		/* A big text gets a block of its own, behind the current one. */
		ch = xmalloc(sizeof *ch + n);
		ch->size = ch->used = n;
		if (t->arena != NULL) {
			ch->next = t->arena->next;
			t->arena->next = ch;
		} else {
			ch->next = NULL;
			t->arena = ch;
		}
		return ch->mem;
	}
	ch = xmalloc(sizeof *ch + ARENA_BLOCK);
	ch->size = ARENA_BLOCK;
	ch->used = n;
	ch->next = t->arena;
	t->arena = ch;
	return ch->mem;
}

static void
arena_free(struct table *t)
{
	struct arena_chunk *ch, *next;

	for (ch = t->arena; ch != NULL; ch = next) {
		next = ch->next;
		free(ch);
	}
	t->arena = NULL;
	memset(t->intern, 0, sizeof t->intern);
}

/* The interned value of column c equal to s[0..len), interning it when the column still
 * interns; NULL when it is not interned. */
static const char *
intern_get(struct table *t, int c, const char *s, size_t len)
{
	struct intern *in = &t->intern[c];
	char *v;
	int i;

	if (in->full)
		return NULL;
	for (i = 0; i < in->n; i++)
		if (in->len[i] == len && memcmp(in->v[i], s, len) == 0)
			return in->v[i];
	if (in->n == TABLE_INTERN_MAX || len > 255) {
		in->full = in->n == TABLE_INTERN_MAX;
		return NULL;
	}
	v = arena_alloc(t, len + 2, 1);
	v[0] = (char)in->n;	/* the index, read back by the filter */
	memcpy(v + 1, s, len);
	v[len + 1] = '\0';
	in->v[in->n] = v + 1;
	in->len[in->n] = (uint32_t)len;
	in->n++;
	return v + 1;
}

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
	t->slots[i] = (uint32_t)(index + 1);
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

void
table_clear(struct table *t)
{
	size_t i;
	int c;

	for (i = 0; i < t->nrows; i++) {
		if (t->free_data != NULL && t->rows[i]->data != NULL)
			t->free_data(t->rows[i]->data);
		if (t->rows[i]->flags & TABLE_RF_HEAP)
			free(t->rows[i]->key);
	}
	arena_free(t);
	table_saved_drop(t);
	table_filter_stop(t);
	t->nrows = t->nview = t->norder = t->nmarked = 0;
	t->seq_disorder = 0;
	t->unsorted = 0;
	table_order_sync(t);
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
	table_clear(t);	/* frees first[] and the arena too */
	free(t->rows);
	free(t->view);
	free(t->order);
	free(t->saved_buf);
	free(t->slots);
	free(t->filter_text);
	buf_free(&t->scratch);
	table_filter_free(&t->filter);
	free(t);
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

/* Where each cell of a packed row is: an offset into the packed text, or a string of its
 * own (shared "" or an interned value). */
struct packed {
	size_t      off[TABLE_MAX_COLS];	/* offset in the text, when ext is NULL */
	const char *ext[TABLE_MAX_COLS];	/* the cell when not in the text */
	uint16_t    interned;			/* bit per interned cell */
};

/* Packs the key (raw: it is the row's identity and an API argument, never drawn) and the
 * cells (made display-safe) into t->scratch (see the DESIGN comment). */
static void
row_text(struct table *t, const char *key, const char *const *cells, struct packed *pk)
{
	struct buf *b = &t->scratch;
	size_t keylen = strlen(key), start, len;
	const char *iv;
	int c;

	buf_reset(b);
	buf_add(b, key, keylen);
	buf_addc(b, '\0');
	pk->interned = 0;
	for (c = 0; c < t->ncols; c++) {
		const char *s = cells != NULL && cells[c] != NULL ? cells[c] : "";

		pk->ext[c] = NULL;
		start = b->len;
		safetext_append(b, s, strlen(s));
		len = b->len - start;
		if (len == 0)
			pk->ext[c] = empty_cell;
		else if (len <= keylen && memcmp(b->data + keylen - len, b->data + start, len) == 0)
			pk->off[c] = keylen - len;	/* the end of the key */
		else if ((iv = intern_get(t, c, b->data + start, len)) != NULL) {
			pk->ext[c] = iv;
			pk->interned |= (uint16_t)(1u << c);
		} else {
			pk->off[c] = start;
			buf_addc(b, '\0');
			continue;
		}
		b->len = start;	/* not stored with the row */
		b->data[start] = '\0';
	}
}

/* Points the row at its text (text: the packed key and cells) and counts it in. */
static void
row_point(struct table *t, struct table_row *r, char *text, const struct packed *pk)
{
	int c, w;

	r->key = text;
	r->interned = pk->interned;
	for (c = 0; c < t->ncols; c++) {
		r->cells[c] = pk->ext[c] != NULL ? (char *)pk->ext[c] : text + pk->off[c];
		w = text_width(r->cells[c]);
		if (w > t->content_w[c])
			t->content_w[c] = w;
	}
	stats_count(t, r->cells, 1);
}

/* 1 when cell c of row r differs from the packed one. */
static int
cell_differs(const struct table *t, const struct table_row *r, const struct packed *pk, int c)
{
	const char *s = pk->ext[c] != NULL ? pk->ext[c] : t->scratch.data + pk->off[c];

	return strcmp(r->cells[c], s) != 0;
}

/* Records the length of the row's text (see TABLE_RF_LONG). */
static void
row_textlen(struct table_row *r, size_t len)
{
	if (len >= TABLE_TEXTLEN_MAX) {
		r->textlen = TABLE_TEXTLEN_MAX;
		r->flags |= TABLE_RF_LONG;
	} else {
		r->textlen = (uint16_t)len;
		r->flags &= (uint8_t)~TABLE_RF_LONG;
	}
}

/* Replaces an existing row's text with the packed one; returns the cells that changed. */
static uint32_t
row_update(struct table *t, struct table_row *r, const struct packed *pk)
{
	size_t len = t->scratch.len;
	uint32_t changed = 0;
	char *text;
	int c;

	for (c = 0; c < t->ncols; c++)
		if (cell_differs(t, r, pk, c))
			changed |= 1u << c;
	stats_count(t, r->cells, -1);
	if (len <= r->textlen && !(r->flags & TABLE_RF_LONG))
		text = r->key;	/* fits where it was */
	else {
		text = xmalloc(len);
		if (r->flags & TABLE_RF_HEAP)
			free(r->key);
		r->flags |= TABLE_RF_HEAP;
	}
	memcpy(text, t->scratch.data, len);
	row_textlen(r, len);
	row_point(t, r, text, pk);
	return changed;
}

struct table_row *
table_set(struct table *t, const char *key, const char *const *cells, void *data, double now)
{
	struct table_row *r = hash_find(t, key);
	struct packed pk;
	uint32_t changed = 0;
	char *text;
	int visible;

	row_text(t, key, cells, &pk);
	if (r != NULL) {
		int was_visible = table_filter_matches(t, &t->filter, r);

		changed = row_update(t, r, &pk);
		if (data != NULL && data != r->data) {
			if (t->free_data != NULL && r->data != NULL)
				t->free_data(r->data);
			r->data = data;
		}
		if (t->sweeping)
			r->flags |= TABLE_RF_SEEN;
		if (r->marks & TABLE_ROW_VANISHED) {
			r->marks &= (uint8_t)~TABLE_ROW_VANISHED;
			changed |= 1;
		}
		if (changed != 0) {
			table_saved_drop(t);	/* the saved views may no longer be right */
			r->changed = (uint16_t)changed;
			r->changed_at = now;
			visible = table_filter_matches(t, &t->filter, r);
			/* A change can move a row in or out of the filter (put in its place,
			 * or taken out) or change its place in the order (sorted lazily at the
			 * next draw). */
			if (visible != was_visible) {
				table_view_toggle(t, r, visible);
				if (t->order != NULL && t->sort_col >= 0 &&
				    (changed & (1u << t->sort_col)))
					t->unsorted = 1;	/* its place in order[] */
			} else if (visible) {
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
	table_saved_drop(t);
	r = arena_alloc(t, sizeof *r + (size_t)t->ncols * sizeof r->cells[0], sizeof(void *));
	memset(r, 0, sizeof *r);
	r->seq = t->seq++;
	r->data = data;
	r->marks = t->loaded ? TABLE_ROW_NEW : 0;
	r->flags = t->sweeping ? TABLE_RF_SEEN : 0;
	text = arena_alloc(t, t->scratch.len, 1);
	memcpy(text, t->scratch.data, t->scratch.len);
	row_textlen(r, t->scratch.len);
	row_point(t, r, text, &pk);
	t->rows[t->nrows++] = r;
	hash_insert(t, t->nrows - 1);
	if (t->nrows > 1 && r->seq < t->rows[t->nrows - 2]->seq && !t->seq_disorder) {
		t->seq_disorder = 1;	/* from now on the table keeps a sort order */
		table_order_sync(t);
	} else if (t->order != NULL) {
		table_order_push(t, r);
		if (t->sort_col >= 0 || t->sort_desc ||
		    (t->norder > 1 && r->seq < t->order[t->norder - 2]->seq))
			t->unsorted = 1;
	}
	if (t->pending == TABLE_SRC_VIEW)
		table_view_rebuild(t);	/* the view lacks it: scan every row instead */
	else if (t->pending == TABLE_SRC_NONE && table_filter_matches(t, &t->filter, r)) {
		table_view_push(t, r);
		mark_dirty_index(t, t->nview - 1);
	}	/* else the pending scan reaches it: rows[] and order[] are read live */
	return r;
}

int
table_set_cell(struct table *t, const char *key, int col, const char *text, double now)
{
	struct table_row *r = hash_find(t, key);
	const char *cells[TABLE_MAX_COLS];
	char *k;
	int c, same;

	if (r == NULL || col < 0 || col >= t->ncols)
		return 0;
	{
		char *safe = safetext_dup(text, strlen(text));
		same = strcmp(safe, r->cells[col]) == 0;
		free(safe);
	}
	if (same)
		return 0;
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
		t->rows[i]->flags &= (uint8_t)~TABLE_RF_SEEN;
	t->sweeping = 1;
}

void
table_sweep_end(struct table *t)
{
	size_t i;

	t->sweeping = 0;
	for (i = 0; i < t->nrows; i++)
		if (!(t->rows[i]->flags & TABLE_RF_SEEN) && !(t->rows[i]->marks & TABLE_ROW_VANISHED)) {
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

	table_filter_step(t, SIZE_MAX);	/* every row the filter shows */
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

	if (t->pending != TABLE_SRC_NONE) {
		/* Moving needs the whole view; to the last row found means to the last row. */
		int to_end = index + 1 >= t->nview;

		table_filter_step(t, SIZE_MAX);
		if (to_end && t->nview > 0)
			index = t->nview - 1;
	}
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

