/* table.h — the table widget: rows of display-safe cells, streamed in, filtered, sorted,
 * searched, drawn a visible row at a time.
 *
 * Rows are keyed (a device's IotId, a product's ProductKey) by the raw bytes of the key, so
 * keys that look alike on screen stay apart. Setting a row whose key exists
 * updates it in place (the row pointer stays valid) and marks the changed cells for a brief highlight; rows added after
 * the first load are marked new, and table_sweep marks rows a refresh no longer returned
 * as vanished. The table owns its rows. They live in one arena per table (no allocation per
 * row): a header, then the key and the cells packed after it; a value repeated down a
 * column (a ProductKey, a status) is interned once, a cell equal to the end of the key (the
 * DeviceName of "pk/name") points into the key, an empty cell at a shared "". A hundred
 * thousand devices take about 20 MiB, a million about 200 (figures: tests/bench/ui_bench.c).
 *
 * Filtering (table_filter.c) is a scan with no allocation per row: a term is searched once
 * over a row's packed text (a case-folding memchr scan), interned cells are matched once per
 * distinct value, and a filter that only narrows the previous one (a keystroke that adds to
 * it) scans the rows it shows instead of every row; sorted tables keep every row in sort
 * order so that widening the filter never sorts.
 *
 * Drawing touches only the rows on screen. Moving the cursor marks two rows dirty; only a
 * scroll, a resize, a filter or a sort redraws every visible row.
 *
 * Column layout (table_layout, run by every draw): columns get width by priority and by
 * content. Statistics kept as rows are set (never a scan of the rows) say, per column, how
 * wide its widest cell is, how many rows have something in it and how many hold the same
 * text as the first row. Then:
 *   - a column empty in every row is not shown (it collapses);
 *   - a column holding the same text in every row (two rows or more: the ProductKey of a
 *     product's devices) is demoted: drawn after the others, and dropped first;
 *   - the first shown column always stays; the others, most important first (prio, then
 *     their order), get their natural width (the widest cell, at most max); a column
 *     that no longer fits gets what is left if that is at least its min, else it is
 *     dropped, and a narrower, less important one may still fit after it;
 *   - horizontal scrolling (table_hscroll) hides the shown columns after the first, one
 *     at a time, which makes room for dropped ones.
 * So an important column is never cut while a less important one has room, and a column
 * with min = its full width (a time) is shown whole or not at all.
 */
#ifndef IOTDECK_TABLE_H
#define IOTDECK_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#define TABLE_MAX_COLS 16

/* Column flags. */
#define TABLE_COL_NUMERIC 0x1u	/* sort numerically */
#define TABLE_COL_RIGHT   0x2u	/* align right */
#define TABLE_COL_STATUS  0x4u	/* colour by device status (ONLINE, OFFLINE...); never
				   demoted when constant (a live value) */
#define TABLE_COL_KEEP    0x8u	/* never demoted when the same in every row */

/* Column priorities: 1 is shown first, 9 dropped first; 0 means TABLE_PRIO_DEFAULT. */
#define TABLE_PRIO_DEFAULT 5

struct table_column {
	const char *name;	/* header, and the field name of filters (status:online) */
	int         min;	/* narrowest useful width: narrower, the column is dropped
				   (the first shown column is cut instead) */
	int         max;	/* widest width (0: as wide as the content) */
	unsigned    flags;	/* TABLE_COL_* */
	int         prio;	/* layout priority, 1 (most important) .. 9; 0: default (5) */
};

/* Row marks. */
#define TABLE_ROW_NEW      0x1u	/* appeared after the first load */
#define TABLE_ROW_VANISHED 0x2u	/* a refresh no longer returned it */
#define TABLE_ROW_MARKED   0x4u	/* marked by the user (Space): operations apply to it;
				   kept through filters, sorts and live refreshes */

struct table_row {
	uint64_t  seq;		/* insertion order (the unsorted order) */
	uint16_t  changed;	/* bit per cell changed at changed_at (TABLE_MAX_COLS bits) */
	uint16_t  interned;	/* bit per cell that is a shared, interned string (table.c) */
	uint16_t  textlen;	/* bytes of the key and the cells stored with the row; 0xFFFF:
				   that many or more (TABLE_RF_LONG, table.c) */
	uint8_t   marks;	/* TABLE_ROW_* */
	uint8_t   flags;	/* the table's own bookkeeping (TABLE_RF_* in table_impl.h) */
	double    changed_at;	/* when cells changed (monotonic seconds) */
	void     *data;		/* the pane's data for the row: the raw identifiers or text
				   the pane keeps with it (owned when table_own_data was called) */
	char     *key;		/* the row's key, raw bytes as the API sent them: an
				   identifier, never drawn as it is; the row's text starts here */
	char     *cells[];	/* ncols display-safe strings (the table's) */
};

/* Attributes the table draws with, from the theme. */
struct table_style {
	attr_t header, row, selected, changed, new_row, vanished, match, marked;
	attr_t online, offline, unactive, disabled;
};

struct table;

/* A table with ncols columns (copied pointers: cols must outlive the table). */
struct table *table_new(const struct table_column *cols, int ncols);
void table_free(struct table *t);
/* Removes every row (a reload). */
void table_clear(struct table *t);

/* Makes the table own the rows' data: free_data(data) runs when a row's data is replaced
 * and when the row goes (table_clear, table_free). Call it before the first table_set. */
void table_own_data(struct table *t, void (*free_data)(void *));
/* Inserts or updates the row with this key. cells are raw strings (made display-safe
 * here; NULL counts as ""). data is kept for the pane; updating a row with data NULL keeps
 * the data it has (a live update of its cells). Returns the row. */
struct table_row *table_set(struct table *t, const char *key, const char *const *cells,
    void *data, double now);
/* Sets one cell of an existing row (a live update); returns 1 if the text changed. */
int table_set_cell(struct table *t, const char *key, int col, const char *text, double now);
/* Numbers the rows inserted from now on from seq: their natural (unsorted) order. The
 * loader numbers each page's rows by page, so pages that arrive out of order still show
 * in the API's order. */
void table_order_from(struct table *t, uint64_t seq);
/* Marks the values as stale (a refresh failed: they are from before it): every cell but
 * the cursor row's is drawn dimmed until it is cleared. */
void table_set_stale(struct table *t, int stale);
int table_stale(const struct table *t);
/* Returns the row with this key, or NULL. */
struct table_row *table_find(const struct table *t, const char *key);
/* Marks the first load as done: rows added from now on are marked new. */
void table_loaded(struct table *t);
/* A sweep: table_sweep_begin, then table_set for every row a full refresh returned, then
 * table_sweep_end marks the others vanished. */
void table_sweep_begin(struct table *t);
void table_sweep_end(struct table *t);

/* Number of rows, and of rows shown (after the filter). */
size_t table_count(const struct table *t);
size_t table_shown(const struct table *t);
/* Marks: marks (on 1) or unmarks row r; returns 1 when that changed it. */
int table_mark(struct table *t, struct table_row *r, int on);
/* Marks or unmarks every row the filter shows; returns how many changed. */
size_t table_mark_shown(struct table *t, int on);
/* Rows marked (shown or filtered out). */
size_t table_marked(const struct table *t);
/* The marked rows in insertion order (the API's): a caller-freed array in *out (NULL when
 * none); returns how many. The rows stay the table's. */
size_t table_marked_rows(const struct table *t, struct table_row ***out);

/* Number of columns. */
int table_columns(const struct table *t);
/* The definition of column col (0 <= col < table_columns). */
const struct table_column *table_column_def(const struct table *t, int col);
/* Lays the columns out for a window width columns wide (table_draw does this itself;
 * exported for tests and for panes that wrap text to a column). */
void table_layout(struct table *t, int width);
/* The width column col got at the last layout; 0 when it is not shown (empty, dropped or
 * scrolled away). */
int table_column_width(const struct table *t, int col);
/* Shown columns in drawing order at the last layout: fills order[0..max) with column
 * indices and returns how many are shown. */
int table_column_order(const struct table *t, int *order, int max);
/* Index of the cursor among the shown rows. */
size_t table_cursor_index(const struct table *t);
/* The row under the cursor, or NULL. */
struct table_row *table_cursor_row(const struct table *t);
/* The i-th shown row (0 <= i < table_shown), or NULL. */
struct table_row *table_shown_row(const struct table *t, size_t i);
/* The shown rows currently on screen: first index and count. */
void table_visible(const struct table *t, size_t *first, size_t *count);

/* Cursor movement by delta rows (clamped). */
void table_move(struct table *t, long delta);
void table_move_to(struct table *t, size_t index);
/* One screen of rows (the last drawn height). */
int table_page(const struct table *t);
/* Horizontal scroll by delta columns of the table. */
void table_hscroll(struct table *t, int delta);
/* Selects the row at screen line y of the last draw (mouse). Returns 1 if one was. */
int table_click(struct table *t, int y);

/* Sorting: column (-1: insertion order), and direction. */
void table_sort(struct table *t, int col, int descending);
int table_sort_col(const struct table *t);
int table_sort_desc(const struct table *t);

/* Filter: space-separated terms, all must match: "text" (any cell, ignoring case),
 * "field:text" (cells of the column whose name starts with field), "/regex/" or
 * "field:/regex/" (extended, ignoring case), "!term" (must not match). NULL or "" clears.
 * Returns 0, or -1 with a caller-freed message (bad regex); the old filter stays then. */
int table_filter(struct table *t, const char *filter, char **cause);
const char *table_filter_text(const struct table *t);
/* A filter over many rows is scanned in slices: table_filter scans the first (the first
 * screen of rows), each table_draw one more; while it is not done, table_shown counts the
 * rows found so far and table_filter_pending is 1. Moving the cursor to the last shown
 * row, searching and marking what is shown finish it first. rows sets the slice (0: the
 * default, 16,384 rows; tests use small ones). */
int table_filter_pending(const struct table *t);
void table_filter_slice(struct table *t, size_t rows);
/* Search: moves the cursor to the next (dir 1) or previous (dir -1) row matching text
 * (same syntax as the filter), wrapping. Returns 1 when found. */
int table_search(struct table *t, const char *text, int dir, char **cause);

/* Draws the header at line y and the rows below it, height lines in all, width columns.
 * full: redraw every visible row; otherwise only the dirty ones. now: for highlights. */
void table_draw(struct table *t, WINDOW *w, int y, int height, int width,
    const struct table_style *st, int full, double now);
/* 1 when something needs drawing (cursor moved, rows changed, a highlight expired). */
int table_dirty(const struct table *t, double now);
/* Seconds until the next highlight expires (or a large number). */
double table_next_expiry(const struct table *t, double now);

/* How long a changed cell stays highlighted. */
#define TABLE_HIGHLIGHT_SECONDS 2.0

#endif
