/* table_impl.h — the table widget's insides, shared by its files (not for panes):
 * table.c (rows, arena, interning, marks, cursor), table_filter.c (filter grammar, matching,
 * the view: filtering and sorting), table_draw.c (column layout and drawing).
 */
#ifndef IOTDECK_TABLE_IMPL_H
#define IOTDECK_TABLE_IMPL_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "ui/table.h"

/* Row flags (struct table_row.flags). */
#define TABLE_RF_SEEN 0x1u	/* set by table_set during a sweep */
#define TABLE_RF_HEAP 0x2u	/* the row's text was moved to its own malloc'd block (it
				   outgrew its place in the arena) */
#define TABLE_RF_LONG 0x4u	/* the row's text is 0xFFFF bytes or more (textlen cannot
				   say): the filter searches its key and cells one by one */
#define TABLE_TEXTLEN_MAX 0xFFFFu	/* textlen of a long row */

/* What a filter scan reads (struct table.pending): none (done), every row in insertion
 * order (rows[], read live: rows added meanwhile are reached), every row in sort order
 * (order[], the same), or the view a narrowing started from, compacted in place (the rows
 * kept are view[0..nview), the rows still to scan view[pend_i..pend_n)). */
#define TABLE_SRC_NONE  0
#define TABLE_SRC_ROWS  1
#define TABLE_SRC_ORDER 2
#define TABLE_SRC_VIEW  3

/* Rows a filter scans before the frame is drawn (the rest: one slice per draw). */
#define TABLE_FILTER_SLICE 16384

/* Distinct values a column interns before it stops (a column of names is not repeated). */
#define TABLE_INTERN_MAX 32

/* A search string, folded to lower case (ASCII, as strcasestr does in UTF-8 locales). */
struct needle {
	char          *low;	/* folded text (owned) */
	size_t         len;	/* its length */
	size_t         at;	/* index of the byte memchr looks for */
	unsigned char  lo, up;	/* that byte in lower and in upper case (equal if no letter) */
};

struct filter_term {
	int           neg;		/* the term must not match */
	int           col;		/* column, or -1 for any */
	int           is_regex;		/* use re */
	regex_t       re;		/* compiled when is_regex */
	char         *text;		/* the substring, or the regex's source (owned) */
	struct needle nd;		/* text folded, when not is_regex */
	uint32_t      iknown[TABLE_MAX_COLS];	/* interned values tried, bit per value */
	uint32_t      imatch[TABLE_MAX_COLS];	/* of those, the ones that matched */
};

struct filter {
	struct filter_term *terms;	/* all must hold */
	size_t              n;		/* number of terms */
};

/* One column's interned values: the strings live in the arena, each after a byte holding
 * its index (so a cell pointer tells its value's index). */
struct intern {
	const char *v[TABLE_INTERN_MAX];	/* the values */
	uint32_t    len[TABLE_INTERN_MAX];	/* their lengths */
	int         n;				/* values */
	int         full;			/* stopped interning */
};

/* A view kept for going back: the rows a filter showed before a keystroke narrowed it. */
struct view_saved {
	char               *text;	/* the filter text (owned) */
	size_t              at;		/* where its rows are in the table's saved_buf */
	size_t              n;		/* how many; all: every row (the order, or rows[]) */
	int                 all;	/* it showed every row: nothing kept */
};

/* Views kept: a filter typed one key at a time, then erased, finds each step here. */
#define TABLE_SAVED_MAX 8

/* A block of the arena (row headers, row texts, interned values). */
struct arena_chunk {
	struct arena_chunk *next;	/* the previous block */
	size_t              used, size;	/* bytes used and available in mem */
	char                mem[];	/* the bytes */
};

struct table {
	const struct table_column *cols;	/* column definitions (borrowed) */
	int                 ncols;		/* number of columns */
	struct table_row  **rows;		/* every row, insertion order */
	size_t              nrows, cap;		/* rows used, allocated */
	struct table_row  **view;		/* rows shown: filtered, sorted */
	size_t              nview, viewcap;	/* shown, allocated */
	struct table_row  **order;		/* every row in sort order, while a sort is set
						   (widening a filter needs no sort then) */
	size_t              norder, ordercap;	/* used, allocated */
	uint32_t           *slots;		/* hash: row index + 1, 0 = empty */
	size_t              nslots;		/* size of slots (power of two) */
	struct arena_chunk *arena;		/* where rows live (owned) */
	struct intern       intern[TABLE_MAX_COLS];	/* interned values per column */
	struct buf          scratch;		/* a row being packed */
	uint64_t            seq;		/* next insertion number */
	int                 seq_disorder;	/* rows[] is not in seq order (pages came out of
						   order): the unsorted view sorts by seq */
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
	struct view_saved   saved[TABLE_SAVED_MAX];	/* views of the filters this one narrowed,
						   oldest first (dropped when any row changes) */
	int                 nsaved;		/* entries in saved */
	struct table_row  **saved_buf;		/* their rows, one after the other (a stack: the
						   space is reused while a filter is typed) */
	size_t              saved_rows, saved_cap;	/* used, allocated in saved_buf */
	int                 pending;		/* the filter scan is not done (TABLE_SRC_*) */
	size_t              pend_i;		/* next index of the source to scan */
	size_t              pend_n;		/* rows to scan when TABLE_SRC_VIEW */
	struct table_row   *pend_cur;		/* the cursor's row when the scan began */
	size_t              slice;		/* rows a filter scans at once (0: default) */
	int                 content_w[TABLE_MAX_COLS];	/* widest cell seen (or the header) */
	size_t              nonempty[TABLE_MAX_COLS];	/* rows with something in the cell */
	size_t              same[TABLE_MAX_COLS];	/* rows whose cell is first[c] */
	char               *first[TABLE_MAX_COLS];	/* the cell of the first row set (owned) */
	int                 widths[TABLE_MAX_COLS];	/* widths at the last layout (0: not shown) */
	int                 torder[TABLE_MAX_COLS];	/* shown columns, in drawing order */
	int                 ntorder;		/* entries in torder */
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

/* table_filter.c */
/* Compiles filter text into f; 0, or -1 with a caller-freed *cause. */
int table_filter_compile(const struct table *t, const char *text, struct filter *f,
    char **cause);
void table_filter_free(struct filter *f);
/* 1 when row r passes every term of f (f's caches of interned values are filled). */
int table_filter_matches(const struct table *t, struct filter *f, const struct table_row *r);
/* Rebuilds the view from every row (filter, then the sort order); keeps the cursor's row. */
void table_view_rebuild(struct table *t);
/* Row r (its cells changed) came into the filter (visible 1) or left it: puts it in its
 * place in the view or takes it out, without a scan when the view is in order. */
void table_view_toggle(struct table *t, struct table_row *r, int visible);
/* Sorts the view (and the sort order) now; keeps the cursor's row. */
void table_view_sort(struct table *t, double now);
/* Appends a row to the view. */
void table_view_push(struct table *t, struct table_row *r);
/* Appends a row to the sort order (while a sort is set). */
void table_order_push(struct table *t, struct table_row *r);

/* Scans up to budget more rows of a pending filter (SIZE_MAX: to the end). */
void table_filter_step(struct table *t, size_t budget);
/* Stops a pending filter scan where it is (the table is cleared). */
void table_filter_stop(struct table *t);
/* Drops the saved views (rows changed, or the order did). */
void table_saved_drop(struct table *t);
/* Makes t->order hold every row (to be sorted) when the table needs a sort order (a sort
 * is set, or rows came out of seq order), or frees it. */
void table_order_sync(struct table *t);

#endif
