/* test_table.c — the table widget's rows: keys are raw bytes, cells are display-safe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/table.h"

static const struct table_column cols[] = {
	{ "Name", 4, 0, 0 },
	{ "Status", 6, 0, TABLE_COL_STATUS },
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_with_bidi_override_is_one_row),
		cmocka_unit_test(test_keys_that_look_alike_stay_apart),
		cmocka_unit_test(test_cells_safe_keys_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
