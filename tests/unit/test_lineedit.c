/* test_lineedit.c — the one line editor: UTF-8 editing on character boundaries, the
 * readline keys, the byte limit, unsafe characters refused, secret lines that never leave
 * guarded memory, and horizontal scrolling that keeps the cursor on screen with wide
 * (Chinese) characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>
#include <cmocka.h>
#include <locale.h>

#include "core/safetext.h"
#include "core/secret.h"
#include "ui/keys.h"
#include "ui/lineedit.h"

static void
type(struct lineedit *e, const char *utf8)
{
	uint32_t cp;
	size_t n, len = strlen(utf8);

	while (len > 0) {
		n = utf8_decode(utf8, len, &cp);
		assert_true(n > 0);
		lineedit_key(e, cp);
		utf8 += n;
		len -= n;
	}
}

#define BS (KEYS_CODE | KEY_BACKSPACE)
#define LEFT (KEYS_CODE | KEY_LEFT)

static void
test_utf8_editing(void **state)
{
	struct lineedit e;

	(void)state;
	lineedit_init(&e, 100);
	type(&e, "温度=25");
	assert_string_equal(lineedit_text(&e), "温度=25");
	/* Left over ASCII then over a 3-byte character: the cursor lands on boundaries. */
	lineedit_key(&e, LEFT);
	lineedit_key(&e, LEFT);
	lineedit_key(&e, LEFT);
	assert_int_equal(e.cursor, 6);
	assert_int_equal(lineedit_key(&e, BS), LINEEDIT_CHANGED);
	assert_string_equal(lineedit_text(&e), "温=25");
	type(&e, "湿");
	assert_string_equal(lineedit_text(&e), "温湿=25");
	lineedit_key(&e, KEYS_CODE | KEY_HOME);
	assert_int_equal(lineedit_key(&e, KEYS_CODE | KEY_DC), LINEEDIT_CHANGED);
	assert_string_equal(lineedit_text(&e), "湿=25");
	lineedit_key(&e, 0x05);	/* C-e */
	assert_int_equal(e.cursor, strlen("湿=25"));
	lineedit_free(&e);
}

static void
test_kill_keys(void **state)
{
	struct lineedit e;

	(void)state;
	lineedit_init(&e, 100);
	type(&e, "set Voltage=220 Current=5");
	assert_int_equal(lineedit_key(&e, 0x17), LINEEDIT_CHANGED);	/* C-w */
	assert_string_equal(lineedit_text(&e), "set Voltage=220 ");
	lineedit_key(&e, 0x17);
	assert_string_equal(lineedit_text(&e), "set ");
	type(&e, "Tariff=2");
	lineedit_key(&e, 0x01);	/* C-a */
	lineedit_key(&e, KEYS_CODE | KEY_RIGHT);
	lineedit_key(&e, KEYS_CODE | KEY_RIGHT);
	lineedit_key(&e, KEYS_CODE | KEY_RIGHT);
	assert_int_equal(lineedit_key(&e, 0x0B), LINEEDIT_CHANGED);	/* C-k */
	assert_string_equal(lineedit_text(&e), "set");
	assert_int_equal(lineedit_key(&e, 0x15), LINEEDIT_CHANGED);	/* C-u */
	assert_string_equal(lineedit_text(&e), "");
	assert_int_equal(lineedit_key(&e, BS), LINEEDIT_EMPTY);
	assert_int_equal(lineedit_key(&e, KEYS_ENTER), LINEEDIT_ENTER);
	assert_int_equal(lineedit_key(&e, KEYS_ESC), LINEEDIT_CANCEL);
	assert_int_equal(lineedit_key(&e, KEYS_TAB), LINEEDIT_IGNORED);
	assert_int_equal(lineedit_key(&e, KEYS_META | 'x'), LINEEDIT_IGNORED);
	lineedit_free(&e);
}

static void
test_limit_and_unsafe(void **state)
{
	struct lineedit e;

	(void)state;
	lineedit_init(&e, 5);
	type(&e, "abcd");
	/* A 3-byte character does not fit in the last byte: refused whole, nothing changes. */
	assert_int_equal(lineedit_key(&e, 0x6E29 /* 温 */), LINEEDIT_FULL);
	assert_string_equal(lineedit_text(&e), "abcd");
	assert_int_equal(lineedit_key(&e, 'e'), LINEEDIT_CHANGED);
	assert_int_equal(lineedit_key(&e, 'f'), LINEEDIT_FULL);
	/* Bidi overrides, C1 controls and zero-width characters are never inserted. */
	lineedit_key(&e, 0x15);
	assert_int_equal(lineedit_key(&e, 0x202E), LINEEDIT_IGNORED);
	assert_int_equal(lineedit_key(&e, 0x9B), LINEEDIT_IGNORED);
	assert_int_equal(lineedit_key(&e, 'z'), LINEEDIT_CHANGED);
	lineedit_set(&e, "a\xE2\x80\xAE" "b\x1b[31mc");
	assert_string_equal(lineedit_text(&e), "ab[31");
	assert_int_equal(e.cursor, strlen("ab[31"));
	lineedit_free(&e);
}

static void
test_secret(void **state)
{
	struct secret *s = secret_new(8);
	struct lineedit e;
	struct buf out = BUF_INIT;
	const char *p;

	(void)state;
	lineedit_init_secret(&e, s);
	type(&e, "pa55");
	type(&e, "密");
	assert_int_equal(secret_len(s), 7);
	assert_string_equal(lineedit_text(&e), "");	/* nothing in ordinary memory */
	assert_int_equal(lineedit_render(&e, 20, &out), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(lineedit_key(&e, 'x'), LINEEDIT_CHANGED);
	assert_int_equal(lineedit_key(&e, 'y'), LINEEDIT_FULL);	/* the secret's capacity */
	assert_int_equal(lineedit_key(&e, BS), LINEEDIT_CHANGED);
	p = secret_reveal(s);
	assert_string_equal(p, "pa55密");
	secret_hide(s);
	/* Editing keys of plain lines do nothing to a secret. */
	assert_int_equal(lineedit_key(&e, LEFT), LINEEDIT_IGNORED);
	assert_int_equal(lineedit_key(&e, 0x15), LINEEDIT_CHANGED);
	assert_int_equal(secret_len(s), 0);
	assert_int_equal(lineedit_key(&e, BS), LINEEDIT_EMPTY);
	lineedit_free(&e);
	buf_free(&out);
	secret_free(s);
}

static void
test_render_scrolls(void **state)
{
	struct lineedit e;
	struct buf out = BUF_INIT;
	int col, i;

	(void)state;
	lineedit_init(&e, 1000);
	/* Short: all of it, the cursor after the text. */
	type(&e, "abc");
	assert_int_equal(lineedit_render(&e, 10, &out), 3);
	assert_string_equal(buf_str(&out), "abc");
	/* 30 wide characters (60 columns) in 20 columns: the end is shown, the cursor on
	 * screen after it, never past the last column. */
	lineedit_clear(&e);
	for (i = 0; i < 30; i++)
		lineedit_key(&e, 0x4E00 + (uint32_t)i);
	buf_reset(&out);
	col = lineedit_render(&e, 20, &out);
	assert_true(col >= 0 && col <= 19);
	assert_true(strlen(buf_str(&out)) > 0);
	assert_true(strstr(buf_str(&out), "\xE4\xB8\x9D") != NULL);	/* U+4E1D, the last */
	/* Home: back to the start, the first character shown and the cursor at column 0. */
	lineedit_key(&e, KEYS_CODE | KEY_HOME);
	buf_reset(&out);
	assert_int_equal(lineedit_render(&e, 20, &out), 0);
	assert_memory_equal(buf_str(&out), "\xE4\xB8\x80", 3);	/* U+4E00 */
	/* Every cursor position is on screen. */
	for (i = 0; i < 30; i++) {
		lineedit_key(&e, KEYS_CODE | KEY_RIGHT);
		buf_reset(&out);
		col = lineedit_render(&e, 20, &out);
		assert_true(col >= 0 && col <= 19);
	}
	buf_free(&out);
	lineedit_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_editing),
		cmocka_unit_test(test_kill_keys),
		cmocka_unit_test(test_limit_and_unsafe),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_render_scrolls),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
