/* test_table.c — the table widget's rows: keys are raw bytes, cells are display-safe; the
 * column layout: priorities, min widths, empty and constant columns, kept up to date as
 * rows change; marks; the filter grammar, regexes, Chinese text, incremental filtering
 * (checked against a reference at every keystroke), sorting, sweeps, how rows are stored,
 * search. A little over 1,000 lines: one widget's tests, sharing the device-like table and
 * the reference filter they are checked against. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* ---- filtering, sorting, sweeping ------------------------------------------------- */

static const struct table_column dcols[] = {
	{ "Name", 4, 0, 0, 0 },
	{ "Nickname", 4, 0, 0, 0 },
	{ "Status", 6, 0, TABLE_COL_STATUS, 0 },
	{ "Stat", 4, 0, TABLE_COL_NUMERIC, 0 },
};

static const char *const statuses[] = { "ONLINE", "OFFLINE", "UNACTIVE", "DISABLE" };
static const char *const nicks[] = { "上海智能灯-", "Lab ", "深圳_meter_", "", "北京水泵-" };

/* Row i of the device-like table: key "pk/lamp-<i>", name "lamp-<i>" (the end of the key),
 * a nickname (Chinese for some), a status, a number. */
static void
dev_row(struct table *t, int i, const char *status, double now)
{
	char key[64], name[32], nick[64], num[16];
	const char *cells[4];

	snprintf(name, sizeof name, "lamp-%04d", i);
	snprintf(key, sizeof key, "a1Bw/%s", name);
	snprintf(nick, sizeof nick, "%s%d", nicks[i % 5], i);
	snprintf(num, sizeof num, "%d", (i * 7919) % 1000);
	cells[0] = name;
	cells[1] = nick;
	cells[2] = status != NULL ? status : statuses[i % 4];
	cells[3] = num;
	table_set(t, key, cells, NULL, now);
}

static struct table *
dev_table(int n)
{
	struct table *t = table_new(dcols, 4);
	int i;

	for (i = 0; i < n; i++)
		dev_row(t, i, NULL, 0.0);
	return t;
}

/* The shown rows' keys, joined by spaces (caller-freed). */
static char *
shown_keys(const struct table *t)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < table_shown(t); i++)
		len += strlen(table_shown_row(t, i)->key) + 1;
	s = calloc(1, len);
	for (i = 0; i < table_shown(t); i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, table_shown_row(t, i)->key);
	}
	return s;
}

/* The order a sorted view must have (row_cmp's rule: ties in insertion order). */
static const struct table *sort_rows;

static int
sort_cmp(const void *a, const void *b)
{
	const struct table_row *ra = *(struct table_row *const *)a;
	const struct table_row *rb = *(struct table_row *const *)b;
	int c = table_sort_col(sort_rows), r;
	double da, db;

	if (table_column_def(sort_rows, c)->flags & TABLE_COL_NUMERIC) {
		da = strtod(ra->cells[c], NULL);
		db = strtod(rb->cells[c], NULL);
		r = da < db ? -1 : da > db;
	} else
		r = strcoll(ra->cells[c], rb->cells[c]);
	if (r == 0)
		return ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
	return table_sort_desc(sort_rows) ? -r : r;
}

/* The reference: the filter grammar without regexes, by strcasestr on every cell. */
static int
ref_col(const char *name, size_t len)
{
	size_t c;

	for (c = 0; c < sizeof dcols / sizeof dcols[0]; c++)
		if (strncasecmp(dcols[c].name, name, len) == 0 && dcols[c].name[len] == '\0')
			return (int)c;
	for (c = 0; c < sizeof dcols / sizeof dcols[0]; c++)
		if (strncasecmp(dcols[c].name, name, len) == 0)
			return (int)c;
	return -1;
}

static int
ref_matches(const char *filter, const struct table_row *r)
{
	char buf[256], *save = NULL, *w, *pat, *colon;
	int neg, col, hit, c;

	snprintf(buf, sizeof buf, "%s", filter != NULL ? filter : "");
	for (w = strtok_r(buf, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		neg = w[0] == '!' && w[1] != '\0';
		pat = w + neg;
		col = -1;
		if ((colon = strchr(pat, ':')) != NULL && colon != pat) {
			col = ref_col(pat, (size_t)(colon - pat));
			pat = colon + 1;
		}
		if (col >= 0)
			hit = strcasestr(r->cells[col], pat) != NULL;
		else {
			hit = strcasestr(r->key, pat) != NULL;
			for (c = 0; c < 4 && !hit; c++)
				hit = strcasestr(r->cells[c], pat) != NULL;
		}
		if (hit == neg)
			return 0;
	}
	return 1;
}

/* Checks the view against the reference: the rows that match, in the order given by
 * all[0..n) (every row in the order the view must have). A filter still scanning shows
 * the first of them; it is then scanned a slice per draw to the end. */
static void
check_view(struct table *t, struct table_row **all, size_t n, const char *filter)
{
	size_t i, j = 0;

	if (table_filter_pending(t)) {
		for (i = 0; i < n && j < table_shown(t); i++)
			if (ref_matches(filter, all[i])) {
				if (table_shown_row(t, j) != all[i])
					fail_msg("filter '%s' (scanning): row %zu is %s, expected %s",
					    filter, j, table_shown_row(t, j)->key, all[i]->key);
				j++;
			}
		while (table_filter_pending(t))
			table_draw(t, NULL, 0, 0, 80, NULL, 0, 0.0);
		j = 0;
	}

	for (i = 0; i < n; i++) {
		if (!ref_matches(filter, all[i]))
			continue;
		if (j >= table_shown(t) || table_shown_row(t, j) != all[i])
			fail_msg("filter '%s': shown row %zu is %s, expected %s", filter, j,
			    j < table_shown(t) ? table_shown_row(t, j)->key : "(none)", all[i]->key);
		j++;
	}
	if (j != table_shown(t))
		fail_msg("filter '%s': %zu rows shown, expected %zu", filter, table_shown(t), j);
}

/* The grammar: words all must match (any cell or the key, ignoring case); field:text
 * (a column by its name or a prefix of it, the exact name first); !term; an unknown column
 * is an error that keeps the old filter. */
static void
test_filter_grammar(void **state)
{
	struct table *t = dev_table(40);
	char *cause = NULL, *keys;

	(void)state;
	assert_int_equal(table_filter(t, "LAMP-001", &cause), 0);
	assert_int_equal(table_shown(t), 10);			/* lamp-0010 .. lamp-0019 */
	assert_int_equal(table_filter(t, "a1bw/lamp-0003", &cause), 0);	/* the key */
	assert_int_equal(table_shown(t), 1);
	assert_int_equal(table_filter(t, "status:online", &cause), 0);
	assert_int_equal(table_shown(t), 10);
	assert_int_equal(table_filter(t, "stat:online", &cause), 0);	/* "Stat": exact */
	assert_int_equal(table_shown(t), 0);
	assert_int_equal(table_filter(t, "statu:online", &cause), 0);	/* a prefix */
	assert_int_equal(table_shown(t), 10);
	assert_int_equal(table_filter(t, "!line lamp-000", &cause), 0);
	keys = shown_keys(t);
	assert_string_equal(keys, "a1Bw/lamp-0002 a1Bw/lamp-0003 a1Bw/lamp-0006 a1Bw/lamp-0007");
	free(keys);
	assert_int_equal(table_filter(t, "  lamp-0002   ", &cause), 0);	/* spaces */
	assert_int_equal(table_shown(t), 1);
	assert_int_equal(table_filter(t, "zz:1", &cause), -1);
	assert_string_equal(cause, "no column named 'zz'");
	free(cause);
	cause = NULL;
	assert_string_equal(table_filter_text(t), "  lamp-0002   ");	/* kept */
	assert_int_equal(table_shown(t), 1);
	assert_int_equal(table_filter(t, "", &cause), 0);
	assert_null(table_filter_text(t));
	assert_int_equal(table_shown(t), 40);
	table_free(t);
}

/* Regexes: /re/ (extended, ignoring case) on any cell or field:/re/, spaces inside, !/re/;
 * a bad one is an error that keeps the old filter. */
static void
test_filter_regex(void **state)
{
	struct table *t = dev_table(40);
	char *cause = NULL;

	(void)state;
	assert_int_equal(table_filter(t, "/^LAMP-00(1[0-4]|0[0-2])$/", &cause), 0);
	assert_int_equal(table_shown(t), 8);
	assert_int_equal(table_filter(t, "name:/3$/", &cause), 0);
	assert_int_equal(table_shown(t), 4);
	assert_int_equal(table_filter(t, "nick:/^lab.[0-9]+$/", &cause), 0);
	assert_int_equal(table_shown(t), 8);
	assert_int_equal(table_filter(t, "/lab 1/", &cause), 0);	/* a space inside */
	assert_int_equal(table_shown(t), 3);			/* Lab 1, 11, 16 */
	assert_int_equal(table_filter(t, "!/line$/ status:/^(un|dis)/", &cause), 0);
	assert_int_equal(table_shown(t), 20);
	assert_int_equal(table_filter(t, "status:/^(un|dis)/ !/line$/", &cause), 0);
	assert_int_equal(table_shown(t), 20);
	assert_int_equal(table_filter(t, "/(/", &cause), -1);
	assert_non_null(strstr(cause, "bad regular expression"));
	free(cause);
	assert_int_equal(table_shown(t), 20);
	assert_int_equal(table_search(t, "/[/", 1, &cause), -1);
	free(cause);
	table_free(t);
}

/* Chinese text is matched byte for byte; ASCII letters around it ignore case; an
 * interned value (the status) and a cell that is the end of the key match like others. */
static void
test_filter_chinese(void **state)
{
	struct table *t = dev_table(40);
	char *cause = NULL;

	(void)state;
	assert_int_equal(table_filter(t, "上海", &cause), 0);
	assert_int_equal(table_shown(t), 8);
	assert_int_equal(table_filter(t, "上海 !智能灯-1", &cause), 0);
	assert_int_equal(table_shown(t), 6);		/* not 10, 15 (nor 1x: none) */
	assert_int_equal(table_filter(t, "nick:_METER_", &cause), 0);
	assert_int_equal(table_shown(t), 8);
	assert_int_equal(table_filter(t, "nick:/^深圳/", &cause), 0);
	assert_int_equal(table_shown(t), 8);
	assert_int_equal(table_filter(t, "水泵 status:off", &cause), 0);
	assert_int_equal(table_shown(t), 2);		/* 9, 29: i % 5 == 4, i % 4 == 1 */
	assert_int_equal(table_filter(t, "name:lamp-0039", &cause), 0);
	assert_int_equal(table_shown(t), 1);
	table_free(t);
}

/* A filter typed a key at a time, erased, retyped, with rows changing between keys, in
 * insertion order and sorted: the view is always the rows the filter matches, in order
 * (narrowing in place, the saved views for Backspace, widening from the sort order). */
static void
test_filter_incremental(void **state)
{
	static const char *const typed[] = { "l", "la", "lam", "lamp", "lamp-", "lamp-0",
		"lamp-01", "lamp-012", "lamp-01", "lamp-0", "lamp-01", "lamp-012", "lamp-0123",
		"lamp-012", "lamp", "s", "st", "sta", "status:o", "status:on", "status:onl",
		"status:online", "status:online 上海", "status:online 上海 !1", "status:online 上海",
		"status:online", "!a", "!ab", "!a", "!", "", "上", "上海", "上", "nick:", "nick:l",
		"nick:la", "nick:l", "/lamp-00[0-9]/", "/lamp-00[0-9]/ l", "" };
	struct table *t = dev_table(1500);
	struct table_row **all;
	char *cause = NULL;
	size_t i, n, k;
	int pass, changes = 0, next = 1500;

	(void)state;
	for (pass = 0; pass < 5; pass++) {
		if (pass == 1 || pass == 4)
			table_sort(t, 3, 0);		/* numeric */
		else if (pass == 2)
			table_sort(t, 1, 1);		/* text, descending */
		else if (pass == 3)
			table_sort(t, -1, 0);
		/* passes 3 and 4 scan in slices of 97 rows */
		table_filter_slice(t, pass >= 3 ? 97 : 0);
		for (k = 0; k < sizeof typed / sizeof typed[0]; k++) {
			assert_int_equal(table_filter(t, typed[k], &cause), 0);
			if (k % 7 == 3) {
				/* rows change between keys: a status, a new row */
				dev_row(t, (int)(k * 13 + (size_t)pass), statuses[changes++ % 4], 1.0);
				dev_row(t, next++, NULL, 1.0);
			}
			if (pass % 3 != 0)	/* the next draw would sort: settle it now */
				table_sort(t, table_sort_col(t), table_sort_desc(t));
			/* every row, in the order the view must keep */
			n = table_count(t);
			all = calloc(n, sizeof *all);
			for (i = 0; i < n; i++) {
				char key[64];
				snprintf(key, sizeof key, "a1Bw/lamp-%04zu", i);
				all[i] = table_find(t, key);
				assert_non_null(all[i]);
			}
			if (pass % 3 != 0) {
				sort_rows = t;
				qsort(all, n, sizeof *all, sort_cmp);
			}
			if (strchr(typed[k], '/') == NULL)
				check_view(t, all, n, typed[k]);
			free(all);
		}
	}
	table_free(t);
}

/* Live changes that move rows into or out of the filter put them in their place (sorted
 * or in insertion order) without a rescan, and the cursor stays on its row. */
static void
test_filter_live_changes(void **state)
{
	struct table *t = dev_table(400);
	struct table_row **all, *cur;
	char *cause = NULL;
	size_t i, n;
	int pass, k;

	(void)state;
	for (pass = 0; pass < 3; pass++) {
		table_sort(t, pass == 0 ? -1 : pass == 1 ? 3 : 1, pass == 2);
		assert_int_equal(table_filter(t, "status:online", &cause), 0);
		table_move_to(t, 20);
		cur = table_cursor_row(t);
		assert_non_null(cur);
		for (k = 1; k < 57; k++) {
			/* row k*7 goes online or offline; the cursor's row stays under it */
			char key[32];

			snprintf(key, sizeof key, "a1Bw/lamp-%04d", k * 7);
			if (table_find(t, key) == cur)
				continue;
			dev_row(t, k * 7, k % 3 == 0 ? "OFFLINE" : "ONLINE", 1.0);
			assert_ptr_equal(table_cursor_row(t), cur);
		}
		n = table_count(t);
		all = calloc(n, sizeof *all);
		for (i = 0; i < n; i++) {
			char key[32];
			snprintf(key, sizeof key, "a1Bw/lamp-%04zu", i);
			all[i] = table_find(t, key);
		}
		if (pass > 0) {
			sort_rows = t;
			qsort(all, n, sizeof *all, sort_cmp);
		}
		check_view(t, all, n, "status:online");
		free(all);
		/* back, for the next pass */
		for (k = 0; k < 57; k++)
			dev_row(t, k * 7, statuses[(k * 7) % 4], 2.0);
	}
	table_free(t);
}

/* A filter over more rows than a slice: the first rows at once, the rest a slice per draw;
 * moving to the last row, marking what is shown and a search see every row; a new filter
 * while scanning starts over; rows added while scanning are found once. */
static void
test_filter_sliced(void **state)
{
	struct table *t = dev_table(1000);
	char *cause = NULL;
	size_t n = 0;

	(void)state;
	table_filter_slice(t, 100);
	assert_int_equal(table_filter(t, "lamp-09", &cause), 0);	/* 900..999 */
	assert_true(table_filter_pending(t));
	assert_int_equal(table_shown(t), 0);		/* rows 0..99 scanned: none yet */
	table_move_to(t, 0);				/* to the last found: to the end */
	assert_false(table_filter_pending(t));
	assert_int_equal(table_shown(t), 100);
	assert_int_equal(table_cursor_index(t), 99);

	assert_int_equal(table_filter(t, "status:online", &cause), 0);	/* widens: rescans */
	assert_true(table_filter_pending(t));
	assert_int_equal(table_shown(t), 25);
	assert_string_equal(table_cursor_row(t)->key, "a1Bw/lamp-0000");
	dev_row(t, 1000, "ONLINE", 1.0);		/* added while scanning */
	assert_int_equal(table_mark_shown(t, 1), 251);	/* finished first */
	assert_false(table_filter_pending(t));
	assert_int_equal(table_filter(t, "status:offline", &cause), 0);
	assert_int_equal(table_filter(t, "lamp-00", &cause), 0);	/* again, mid-scan */
	while (table_filter_pending(t)) {
		table_draw(t, NULL, 0, 0, 80, NULL, 0, 0.0);
		n++;
	}
	assert_int_equal(n, 10);				/* 1,001 rows: 100 at once, 901 in 10 */
	assert_int_equal(table_shown(t), 100);
	assert_int_equal(table_filter(t, "", &cause), 0);
	assert_int_equal(table_search(t, "lamp-1000", 1, &cause), 1);	/* the whole view */
	assert_int_equal(table_cursor_index(t), 1000);
	table_free(t);
}

/* Sorting: numeric and text columns both ways, ties in insertion order, back to the
 * insertion order; pages numbered out of order (table_order_from) show in seq order, and
 * a filter widened on a sorted table keeps the sort. */
static void
test_sort(void **state)
{
	struct table *t = table_new(dcols, 4);
	const char *c1[] = { "b", "", "ONLINE", "10" }, *c2[] = { "a", "", "ONLINE", "9" };
	const char *c3[] = { "c", "", "OFFLINE", "10" };
	char *cause = NULL, *keys;

	(void)state;
	table_set(t, "k1", c1, NULL, 0.0);
	table_set(t, "k2", c2, NULL, 0.0);
	table_set(t, "k3", c3, NULL, 0.0);
	table_sort(t, 3, 0);
	keys = shown_keys(t);
	assert_string_equal(keys, "k2 k1 k3");	/* 9 < 10 = 10 (ties: inserted first) */
	free(keys);
	table_sort(t, 3, 1);
	keys = shown_keys(t);
	assert_string_equal(keys, "k1 k3 k2");
	free(keys);
	table_sort(t, 0, 1);
	keys = shown_keys(t);
	assert_string_equal(keys, "k3 k1 k2");
	free(keys);
	assert_int_equal(table_filter(t, "online", &cause), 0);
	keys = shown_keys(t);
	assert_string_equal(keys, "k1 k2");
	free(keys);
	assert_int_equal(table_filter(t, "", &cause), 0);
	keys = shown_keys(t);
	assert_string_equal(keys, "k3 k1 k2");
	free(keys);
	table_sort(t, -1, 0);
	keys = shown_keys(t);
	assert_string_equal(keys, "k1 k2 k3");
	free(keys);
	table_free(t);

	/* pages out of order: page 2 (seq 2^40..) comes before page 1 (seq 0..); seq is 64
	 * bits (the groups pane packs a tree path into it) */
	t = table_new(dcols, 4);
	table_order_from(t, (uint64_t)1 << 40);
	table_set(t, "p2a", c1, NULL, 0.0);
	table_set(t, "p2b", c1, NULL, 0.0);
	table_order_from(t, 0);
	table_set(t, "p1a", c2, NULL, 0.0);
	table_set(t, "p1b", c3, NULL, 0.0);
	table_draw(t, NULL, 0, 0, 80, NULL, 0, 100.0);	/* too small to draw: no sort */
	table_sort(t, -1, 0);
	keys = shown_keys(t);
	assert_string_equal(keys, "p1a p1b p2a p2b");
	free(keys);
	assert_int_equal(table_filter(t, "b", &cause), 0);
	assert_int_equal(table_filter(t, "", &cause), 0);	/* widened: still in order */
	keys = shown_keys(t);
	assert_string_equal(keys, "p1a p1b p2a p2b");
	free(keys);
	table_free(t);
}

/* A sweep marks the rows a full refresh no longer returned as vanished; a row that comes
 * back is no longer vanished; rows added after the first load are new. */
static void
test_sweep(void **state)
{
	struct table *t = dev_table(5);

	(void)state;
	table_loaded(t);
	table_sweep_begin(t);
	dev_row(t, 0, NULL, 1.0);
	dev_row(t, 2, NULL, 1.0);
	dev_row(t, 7, NULL, 1.0);
	table_sweep_end(t);
	assert_int_equal(table_count(t), 6);
	assert_false(table_find(t, "a1Bw/lamp-0000")->marks & TABLE_ROW_VANISHED);
	assert_true(table_find(t, "a1Bw/lamp-0001")->marks & TABLE_ROW_VANISHED);
	assert_true(table_find(t, "a1Bw/lamp-0004")->marks & TABLE_ROW_VANISHED);
	assert_true(table_find(t, "a1Bw/lamp-0007")->marks & TABLE_ROW_NEW);
	assert_false(table_find(t, "a1Bw/lamp-0000")->marks & TABLE_ROW_NEW);
	table_sweep_begin(t);
	dev_row(t, 1, NULL, 2.0);
	table_sweep_end(t);
	assert_false(table_find(t, "a1Bw/lamp-0001")->marks & TABLE_ROW_VANISHED);
	assert_true(table_find(t, "a1Bw/lamp-0001")->changed & 1);	/* drawn as changed */
	assert_true(table_find(t, "a1Bw/lamp-0000")->marks & TABLE_ROW_VANISHED);
	table_free(t);
}

/* How rows are kept: a column's repeated values are one string; a cell equal to the end
 * of the key points into it; a cell that grows or shrinks is right; a column with more
 * distinct values than it interns is still right; search wraps both ways. */
static void
test_row_storage_and_search(void **state)
{
	struct table *t = dev_table(100);
	struct table_row *a, *b;
	char status[32], *cause = NULL;
	int i;

	(void)state;
	a = table_find(t, "a1Bw/lamp-0000");
	b = table_find(t, "a1Bw/lamp-0004");
	assert_ptr_equal(a->cells[2], b->cells[2]);		/* ONLINE, once */
	assert_ptr_equal(a->cells[0], a->key + 5);		/* lamp-0000 in its key */
	assert_string_equal(a->cells[0], "lamp-0000");
	dev_row(t, 0, "A STATUS MUCH LONGER THAN BEFORE", 1.0);
	assert_ptr_equal(table_find(t, "a1Bw/lamp-0000"), a);	/* the row stays */
	assert_string_equal(a->cells[2], "A STATUS MUCH LONGER THAN BEFORE");
	assert_string_equal(a->cells[1], "上海智能灯-0");
	assert_int_equal(a->changed, 1u << 2);
	dev_row(t, 0, "X", 2.0);
	assert_string_equal(a->cells[2], "X");
	assert_string_equal(a->cells[0], "lamp-0000");
	for (i = 0; i < 100; i++) {	/* 100 distinct values: more than a column interns */
		snprintf(status, sizeof status, "S%03d", i);
		dev_row(t, i, status, 3.0);
	}
	for (i = 0; i < 100; i++) {
		snprintf(status, sizeof status, "S%03d", i);
		assert_string_equal(table_shown_row(t, (size_t)i)->cells[2], status);
	}
	assert_int_equal(table_filter(t, "status:s05", &cause), 0);
	assert_int_equal(table_shown(t), 10);
	assert_int_equal(table_filter(t, "", &cause), 0);
	table_move_to(t, 0);
	assert_int_equal(table_search(t, "s099", 1, &cause), 1);
	assert_int_equal(table_cursor_index(t), 99);
	assert_int_equal(table_search(t, "s001", 1, &cause), 1);	/* wraps */
	assert_int_equal(table_cursor_index(t), 1);
	assert_int_equal(table_search(t, "s099", -1, &cause), 1);	/* wraps back */
	assert_int_equal(table_cursor_index(t), 99);
	assert_int_equal(table_search(t, "nothing", 1, &cause), 0);
	assert_int_equal(table_cursor_index(t), 99);
	table_free(t);

	/* a row of more than 64 KiB of text: kept whole, found by a word after the long cell */
	{
		const char *cells[4];
		char *big = malloc(70001);

		t = table_new(dcols, 4);
		memset(big, 'x', 70000);
		big[70000] = '\0';
		cells[0] = "short";
		cells[1] = big;
		cells[2] = "NEEDLE-1";
		cells[3] = "1";
		table_set(t, "k-long", cells, NULL, 0.0);
		cells[1] = "small";
		table_set(t, "k-small", cells, NULL, 0.0);
		assert_int_equal(strlen(table_find(t, "k-long")->cells[1]), 70000);
		assert_int_equal(table_filter(t, "needle-1", &cause), 0);
		assert_int_equal(table_shown(t), 2);
		assert_int_equal(table_filter(t, "xxxx", &cause), 0);
		assert_int_equal(table_shown(t), 1);
		cells[1] = big;
		cells[2] = "OTHER";
		table_set(t, "k-small", cells, NULL, 1.0);	/* grows past 64 KiB */
		assert_int_equal(table_shown(t), 2);
		cells[1] = "small again";
		table_set(t, "k-long", cells, NULL, 2.0);	/* shrinks */
		assert_int_equal(table_shown(t), 1);
		assert_string_equal(table_find(t, "k-long")->cells[1], "small again");
		assert_string_equal(table_find(t, "k-long")->cells[2], "OTHER");
		free(big);
		table_free(t);
	}
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
		cmocka_unit_test(test_filter_grammar),
		cmocka_unit_test(test_filter_regex),
		cmocka_unit_test(test_filter_chinese),
		cmocka_unit_test(test_filter_incremental),
		cmocka_unit_test(test_filter_sliced),
		cmocka_unit_test(test_filter_live_changes),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_row_storage_and_search),
	};

	setlocale(LC_ALL, "C.UTF-8");	/* wcwidth: CJK characters are two columns */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
