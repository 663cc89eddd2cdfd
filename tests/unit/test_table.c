/* test_table.c — the table widget's rows: keys are raw bytes, cells are display-safe; the
 * column layout: priorities, min widths, empty and constant columns, kept up to date as
 * rows change. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/table.h"
#include "ui/text.h"

static const struct table_column cols[] = {
	{ "Name", 4, 0, 0, 0 },
	{ "Status", 6, 0, TABLE_COL_STATUS, 0 },
};

/* A key with U+202E (right-to-left override) refreshed three times stays one row, found
 * by its raw key, which it keeps byte for byte. */
static void
test_key_with_bidi_override_is_one_row(void **state)
{
	struct table *t = table_new(cols, 2);
	const char *key = "dev\xE2\x80\xAE" "10";
	const char *cells[] = { "lamp", "ONLINE" };
	struct table_row *r;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		table_set(t, key, cells, NULL, 0.0);
	assert_int_equal(table_count(t), 1);
	r = table_find(t, key);
	assert_non_null(r);
	assert_string_equal(r->key, key);
	table_free(t);
}

/* Keys that are drawn alike ("x" ESC and "x" U+241B, the picture of ESC) are two rows. */
static void
test_keys_that_look_alike_stay_apart(void **state)
{
	struct table *t = table_new(cols, 2);
	const char *a = "x\033", *b = "x\xE2\x90\x9B";
	const char *ca[] = { "one", "ONLINE" }, *cb[] = { "two", "OFFLINE" };

	(void)state;
	table_set(t, a, ca, NULL, 0.0);
	table_set(t, b, cb, NULL, 0.0);
	table_set(t, a, ca, NULL, 1.0);
	assert_int_equal(table_count(t), 2);
	assert_string_equal(table_find(t, a)->cells[0], "one");
	assert_string_equal(table_find(t, b)->cells[0], "two");
	assert_string_equal(table_find(t, a)->key, a);
	table_free(t);
}

/* Cells are made display-safe; a live update of one cell keeps the row and its raw key. */
static void
test_cells_safe_keys_raw(void **state)
{
	struct table *t = table_new(cols, 2);
	const char *key = "k\033[2J";
	const char *cells[] = { "\033[31mred", "ONLINE" };
	struct table_row *r;

	(void)state;
	table_set(t, key, cells, NULL, 0.0);
	r = table_find(t, key);
	assert_string_equal(r->cells[0], "\xE2\x90\x9B[31mred");
	assert_int_equal(table_set_cell(t, key, 1, "OFFLINE", 1.0), 1);
	assert_int_equal(table_count(t), 1);
	r = table_find(t, key);
	assert_non_null(r);
	assert_string_equal(r->key, key);
	assert_string_equal(r->cells[1], "OFFLINE");
	assert_string_equal(r->cells[0], "\xE2\x90\x9B[31mred");
	table_free(t);
}


/* ---- layout ----------------------------------------------------------------------- */

/* A product's devices: the columns of pane_devices.c. */
enum { D_NAME, D_NICK, D_STATUS, D_PK, D_IOTID, D_CREATED, D_COUNT };
static const struct table_column dev_cols[D_COUNT] = {
	[D_NAME]    = { "DeviceName", 12, 32, 0, 1 },
	[D_NICK]    = { "Nickname", 8, 32, 0, 2 },
	[D_STATUS]  = { "Status", 8, 8, TABLE_COL_STATUS, 1 },
	[D_PK]      = { "ProductKey", 11, 20, 0, 6 },
	[D_IOTID]   = { "IotId", 26, 40, 0, 7 },
	[D_CREATED] = { "Created", 19, 19, 0, 4 },
};

static void
add_device(struct table *t, int i, const char *nick, const char *status, const char *pk)
{
	char name[64], iotid[64], key[96], created[32];
	const char *cells[D_COUNT];

	snprintf(name, sizeof name, "door-lock-%06d", i);
	snprintf(iotid, sizeof iotid, "Q7uOhVRdZRRlDnTLOyhy%06d", i);
	snprintf(key, sizeof key, "%s/%s", pk, name);
	cells[D_NAME] = name;
	cells[D_NICK] = nick;
	cells[D_STATUS] = status;
	cells[D_PK] = pk;
	cells[D_IOTID] = iotid;
	snprintf(created, sizeof created, "2024-01-05 08:%02d:%02d", (i / 60) % 60, i % 60);
	cells[D_CREATED] = created;
	table_set(t, key, cells, NULL, 0.0);
}

/* Sum of the shown widths, the spaces between them and the marker column. */
static int
used_width(const struct table *t)
{
	int order[TABLE_MAX_COLS], n = table_column_order(t, order, TABLE_MAX_COLS), i, sum = 1;

	for (i = 0; i < n; i++)
		sum += table_column_width(t, order[i]) + (i > 0);
	return sum;
}

/* At 80 columns the important columns get their whole width: the names are never cut, the
 * ProductKey that every row shares goes last (or goes), a time is whole or not there. */
static void
test_layout_80_columns_by_priority(void **state)
{
	struct table *t = table_new(dev_cols, D_COUNT);
	int i, order[TABLE_MAX_COLS], n;

	(void)state;
	for (i = 0; i < 50; i++)
		add_device(t, i, i % 3 ? "北京智能门锁-前门" : "", i % 2 ? "ONLINE" : "OFFLINE",
		    "a1BwAGVxxxx");
	table_layout(t, 80);
	assert_int_equal(table_column_width(t, D_NAME), 16);	/* door-lock-000000 */
	assert_int_equal(table_column_width(t, D_NICK), 17);	/* 8 CJK + "-" + 2 CJK */
	assert_int_equal(table_column_width(t, D_STATUS), 7);	/* OFFLINE */
	assert_int_equal(table_column_width(t, D_CREATED), 19);
	/* IotId (26) does not fit in what is left; the constant ProductKey goes last. */
	assert_int_equal(table_column_width(t, D_IOTID), 0);
	n = table_column_order(t, order, TABLE_MAX_COLS);
	assert_true(n >= 4);
	assert_int_equal(order[0], D_NAME);
	if (table_column_width(t, D_PK) > 0)
		assert_int_equal(order[n - 1], D_PK);
	assert_true(used_width(t) <= 80);

	/* Wide: everything, in the definition order, the ProductKey moved to the end. */
	table_layout(t, 200);
	n = table_column_order(t, order, TABLE_MAX_COLS);
	assert_int_equal(n, D_COUNT);
	assert_int_equal(order[n - 1], D_PK);
	assert_int_equal(table_column_width(t, D_IOTID), 26);
	table_free(t);
}

/* An empty column collapses; it comes back when a row gets a value, and the stats follow
 * live updates (table_set_cell) both ways. */
static void
test_layout_empty_and_constant_follow_updates(void **state)
{
	struct table *t = table_new(dev_cols, D_COUNT);
	int i;

	(void)state;
	for (i = 0; i < 10; i++)
		add_device(t, i, "", "ONLINE", "a1BwAGVxxxx");
	table_layout(t, 200);
	assert_int_equal(table_column_width(t, D_NICK), 0);	/* nobody has a nickname */
	assert_int_equal(table_column_width(t, D_STATUS), 6);	/* constant but live: stays */
	assert_true(table_column_width(t, D_NAME) > 0);

	assert_int_equal(table_set_cell(t, "a1BwAGVxxxx/door-lock-000003", D_NICK, "Lobby", 1.0), 1);
	table_layout(t, 200);
	assert_int_equal(table_column_width(t, D_NICK), 8);	/* the header is wider */
	assert_int_equal(table_set_cell(t, "a1BwAGVxxxx/door-lock-000003", D_NICK, "", 2.0), 1);
	table_layout(t, 200);
	assert_int_equal(table_column_width(t, D_NICK), 0);

	/* A second product in the table: the ProductKey is no longer the same everywhere and
	 * takes its place again, after Status. */
	add_device(t, 99, "", "ONLINE", "a1OtherPKxx");
	table_layout(t, 200);
	{
		int order[TABLE_MAX_COLS], n = table_column_order(t, order, TABLE_MAX_COLS), j, at = -1;
		for (j = 0; j < n; j++)
			if (order[j] == D_PK)
				at = j;
		assert_true(at > 0);
		assert_int_equal(order[at - 1], D_STATUS);
	}
	/* A reload starts the counts again. */
	table_clear(t);
	add_device(t, 1, "", "ONLINE", "a1BwAGVxxxx");
	add_device(t, 2, "", "ONLINE", "a1BwAGVxxxx");
	table_layout(t, 200);
	assert_int_equal(table_column_width(t, D_NICK), 0);
	table_free(t);
}

/* With no rows yet every header is shown; one row is never "constant". */
static void
test_layout_no_rows_and_one_row(void **state)
{
	struct table *t = table_new(dev_cols, D_COUNT);
	int order[TABLE_MAX_COLS];

	(void)state;
	table_layout(t, 200);
	assert_int_equal(table_column_order(t, order, TABLE_MAX_COLS), D_COUNT);
	add_device(t, 1, "x", "ONLINE", "a1BwAGVxxxx");
	table_layout(t, 200);
	assert_int_equal(table_column_order(t, order, TABLE_MAX_COLS), D_COUNT);
	assert_int_equal(order[D_COUNT - 1], D_CREATED);
	table_free(t);
}

/* Narrow: the first column is cut rather than lost; a column is not shown narrower than its
 * min; a narrower, less important column may take what a wide one could not. */
static void
test_layout_narrow_and_min(void **state)
{
	static const struct table_column c3[] = {
		{ "Name", 4, 0, 0, 1 }, { "Wide", 30, 0, 0, 2 }, { "N", 3, 3, TABLE_COL_RIGHT, 3 },
	};
	struct table *t = table_new(c3, 3);
	const char *a[] = { "a-rather-long-name", "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww", "1" };
	const char *b[] = { "b", "x", "22" };

	(void)state;
	table_set(t, "a", a, NULL, 0.0);
	table_set(t, "b", b, NULL, 0.0);
	table_layout(t, 10);
	assert_int_equal(table_column_width(t, 0), 9);	/* cut to the window */
	assert_int_equal(table_column_width(t, 1), 0);
	assert_int_equal(table_column_width(t, 2), 0);
	table_layout(t, 40);
	assert_int_equal(table_column_width(t, 0), 18);
	assert_int_equal(table_column_width(t, 1), 0);	/* 20 left: under its min of 30 */
	assert_int_equal(table_column_width(t, 2), 2);	/* "22" */
	table_layout(t, 50);
	assert_int_equal(table_column_width(t, 1), 30);	/* 31 left: at least its min, cut */
	assert_true(used_width(t) <= 50);
	table_free(t);
}

/* Scrolling right hides the shown columns after the first, one at a time, and brings the
 * next one in, in their order; it never scrolls past the last. */
static void
test_layout_hscroll_reveals_dropped(void **state)
{
	struct table *t = table_new(dev_cols, D_COUNT);
	int i;

	(void)state;
	for (i = 0; i < 5; i++)
		add_device(t, i, i % 2 ? "Lobby" : "Gate", "ONLINE", i ? "a1BwAGVxxxx" : "a1OtherPKxx");
	/* Name 16, Nickname 8, Status 6, Created 19: 53 of 60; no room for IotId or the key. */
	table_layout(t, 60);
	assert_int_equal(table_column_width(t, D_IOTID), 0);
	assert_int_equal(table_column_width(t, D_PK), 0);
	assert_int_equal(table_column_width(t, D_CREATED), 19);
	for (i = 0; i < 3; i++)
		table_hscroll(t, 1);
	table_layout(t, 60);
	assert_int_equal(table_column_width(t, D_NICK), 0);
	assert_int_equal(table_column_width(t, D_PK), 0);
	assert_int_equal(table_column_width(t, D_NAME), 16);
	assert_int_equal(table_column_width(t, D_IOTID), 26);
	for (i = 0; i < 20; i++)
		table_hscroll(t, 1);
	table_layout(t, 60);
	assert_int_equal(table_column_width(t, D_CREATED), 19);	/* the last one */
	table_hscroll(t, -1);
	table_layout(t, 60);
	assert_int_equal(table_column_width(t, D_IOTID), 26);
	table_free(t);
}

/* 100,000 rows: the layout reads the kept statistics, and they are right after updates. */
static void
test_layout_stats_many_rows(void **state)
{
	struct table *t = table_new(dev_cols, D_COUNT);
	int i;

	(void)state;
	for (i = 0; i < 100000; i++)
		add_device(t, i, "", "ONLINE", "a1BwAGVxxxx");
	/* The same rows again (a refresh): nothing changes. */
	for (i = 0; i < 100000; i += 7)
		add_device(t, i, "", "ONLINE", "a1BwAGVxxxx");
	table_layout(t, 80);
	assert_int_equal(table_column_width(t, D_NICK), 0);
	assert_int_equal(table_column_width(t, D_NAME), 16);
	add_device(t, 5, "x", "ONLINE", "a1BwAGVxxxx");
	table_layout(t, 80);
	assert_int_equal(table_column_width(t, D_NICK), 8);
	table_free(t);
}

/* ---- row data, wrapping ------------------------------------------------------------- */

static int freed;

static void
count_free(void *p)
{
	freed++;
	free(p);
}

/* A table that owns its rows' data frees it when replaced, and with the rows; an update
 * without data (a live cell) keeps it. */
static void
test_owned_row_data(void **state)
{
	struct table *t = table_new(cols, 2);
	const char *cells[] = { "lamp", "ONLINE" };

	(void)state;
	freed = 0;
	table_own_data(t, count_free);
	table_set(t, "a", cells, strdup("raw-a"), 0.0);
	table_set(t, "b", cells, strdup("raw-b"), 0.0);
	table_set_cell(t, "a", 1, "OFFLINE", 1.0);
	table_set(t, "a", cells, NULL, 2.0);
	assert_string_equal(table_find(t, "a")->data, "raw-a");
	assert_int_equal(freed, 0);
	table_set(t, "a", cells, strdup("raw-a2"), 3.0);
	assert_int_equal(freed, 1);
	assert_string_equal(table_find(t, "a")->data, "raw-a2");
	table_clear(t);
	assert_int_equal(freed, 3);
	table_set(t, "c", cells, strdup("raw-c"), 0.0);
	table_free(t);
	assert_int_equal(freed, 4);
}

/* text_wrap breaks after words, cuts a word longer than the line, counts CJK as two
 * columns and always moves on. */
/* Sorting an empty table (s on a pane before its first row, or a pane settling its order
 * before anything came) does nothing: no qsort of a view that has no array yet (UBSan). */
static void
test_sort_empty(void **state)
{
	struct table *t = table_new(cols, 2);
	const char *cells[2] = { "b", "1" };

	(void)state;
	table_sort(t, 0, 1);
	table_sort(t, -1, 0);
	table_filter(t, "x", NULL);
	assert_int_equal(table_shown(t), 0);
	table_set(t, "k", cells, NULL, 0);
	table_sort(t, 0, 1);
	assert_int_equal(table_count(t), 1);
	table_free(t);
}

static void
test_text_wrap(void **state)
{
	(void)state;
	assert_int_equal(text_wrap("", 10), 0);
	assert_int_equal(text_wrap("short", 10), 5);
	assert_int_equal(text_wrap("one two three", 8), 8);	/* "one two " | "three" */
	assert_int_equal(text_wrap("one two three", 7), 7);	/* the space just past */
	assert_int_equal(text_wrap("abcdefghijkl", 5), 5);	/* cut */
	assert_int_equal(text_wrap("北京智能电表", 5), 6);	/* two characters, 4 columns */
	assert_int_equal(text_wrap("北京", 1), 3);		/* one, though it is wider */
	assert_int_equal(text_wrap("abc", 0), 1);
}

/* Marks: counted, kept through a filter, a sort, an update of the row and a sweep;
 * :mark all marks only what the filter shows; the marked rows come in the API's order. */
static void
test_marks(void **state)
{
	struct table *t = table_new(cols, 2);
	struct table_row **rows = NULL;
	char key[32], name[32], *cause = NULL;
	const char *cells[2];
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(name, sizeof name, "%s-%d", i % 2 ? "odd" : "even", i);
		cells[0] = name;
		cells[1] = "x";
		table_set(t, key, cells, NULL, 0.0);
	}
	table_loaded(t);
	assert_int_equal(table_marked(t), 0);
	assert_int_equal(table_mark(t, table_find(t, "k3"), 1), 1);
	assert_int_equal(table_mark(t, table_find(t, "k3"), 1), 0);	/* already */
	assert_int_equal(table_marked(t), 1);
	assert_int_equal(table_filter(t, "even", &cause), 0);
	assert_int_equal(table_shown(t), 5);
	assert_int_equal(table_marked(t), 1);		/* k3 is filtered out, still marked */
	assert_int_equal(table_mark_shown(t, 1), 5);	/* the five even rows */
	assert_int_equal(table_marked(t), 6);
	table_sort(t, 0, 1);
	assert_int_equal(table_marked(t), 6);
	cells[0] = "even-8-renamed";
	table_set(t, "k8", cells, NULL, 1.0);	/* a live update */
	assert_true(table_find(t, "k8")->marks & TABLE_ROW_MARKED);
	table_sweep_begin(t);
	table_set(t, "k0", cells, NULL, 2.0);
	table_sweep_end(t);			/* the others vanish: marks stay */
	assert_int_equal(table_marked(t), 6);
	n = table_marked_rows(t, &rows);
	assert_int_equal(n, 6);
	assert_string_equal(rows[0]->key, "k0");	/* insertion order, not the sort */
	assert_string_equal(rows[1]->key, "k2");
	assert_string_equal(rows[2]->key, "k3");
	free(rows);
	assert_int_equal(table_filter(t, NULL, &cause), 0);
	assert_int_equal(table_mark_shown(t, 0), 6);
	assert_int_equal(table_marked(t), 0);
	assert_int_equal(table_marked_rows(t, &rows), 0);
	assert_null(rows);
	table_mark(t, table_find(t, "k1"), 1);
	table_clear(t);
	assert_int_equal(table_marked(t), 0);
	table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_with_bidi_override_is_one_row),
		cmocka_unit_test(test_sort_empty),
		cmocka_unit_test(test_keys_that_look_alike_stay_apart),
		cmocka_unit_test(test_cells_safe_keys_raw),
		cmocka_unit_test(test_layout_80_columns_by_priority),
		cmocka_unit_test(test_layout_empty_and_constant_follow_updates),
		cmocka_unit_test(test_layout_no_rows_and_one_row),
		cmocka_unit_test(test_layout_narrow_and_min),
		cmocka_unit_test(test_layout_hscroll_reveals_dropped),
		cmocka_unit_test(test_layout_stats_many_rows),
		cmocka_unit_test(test_owned_row_data),
		cmocka_unit_test(test_text_wrap),
		cmocka_unit_test(test_marks),
	};

	setlocale(LC_ALL, "C.UTF-8");	/* wcwidth: CJK characters are two columns */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
