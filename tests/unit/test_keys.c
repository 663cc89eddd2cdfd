/* test_keys.c — key names and codes (src/ui/keys.c): every way of naming a key gives one
 * canonical code, names are written back in the form they are read, what get_wch returns
 * becomes the same codes, errors name the key and suggest the fix; and keys as keymap
 * lines use them: bindings, and errors reported as "file:line: message". */
#include <curses.h>
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

#include "ui/config.h"
#include "ui/keys.h"

#define KC(code) (KEYS_CODE | (uint32_t)(code))

static uint32_t
parse_ok(const char *name)
{
	char *cause = NULL;
	uint32_t k = KEYS_NONE;

	if (keys_parse(name, &k, &cause) != 0)
		fail_msg("'%s' did not parse: %s", name, cause);
	return k;
}

static void
parse_fails(const char *name, const char *want)
{
	char *cause = NULL;
	uint32_t k = 12345;

	assert_int_equal(keys_parse(name, &k, &cause), -1);
	assert_non_null(cause);
	if (strcmp(cause, want) != 0)
		fail_msg("'%s': '%s', expected '%s'", name, cause, want);
	assert_int_equal(k, 12345);	/* untouched */
	free(cause);
}

/* Every name a key has gives one code. */
static void
test_names_are_canonical(void **state)
{
	static const struct {
		const char *name;	/* as written */
		uint32_t    key;	/* the canonical key */
	} cases[] = {
		{ "q", 'q' }, { "G", 'G' }, { ":", ':' }, { "é", 0xE9 }, { "上", 0x4E0A },
		{ "<Enter>", '\n' }, { "<enter>", '\n' }, { "<CR>", '\n' }, { "<Return>", '\n' },
		{ "<C-m>", '\n' }, { "<C-j>", '\n' }, { "^M", '\n' }, { "\r", '\n' },
		{ "<Esc>", 0x1B }, { "<Escape>", 0x1B }, { "<C-[>", 0x1B },
		{ "<Tab>", '\t' }, { "<C-i>", '\t' }, { "<BackTab>", KC(KEY_BTAB) },
		{ "<S-Tab>", KC(KEY_BTAB) }, { "<Space>", ' ' }, { " ", ' ' }, { "<Hash>", '#' },
		{ "<Lt>", '<' }, { "<", '<' }, { "<Backspace>", KC(KEY_BACKSPACE) },
		{ "<BS>", KC(KEY_BACKSPACE) }, { "^?", KC(KEY_BACKSPACE) },
		{ "<C-?>", KC(KEY_BACKSPACE) }, { "<C-h>", 0x08 },
		{ "<PgDn>", KC(KEY_NPAGE) }, { "<PageDown>", KC(KEY_NPAGE) },
		{ "<pgup>", KC(KEY_PPAGE) }, { "<Up>", KC(KEY_UP) }, { "<End>", KC(KEY_END) },
		{ "<Del>", KC(KEY_DC) }, { "<S-Up>", KC(KEY_SR) },
		{ "<F1>", KC(KEY_F(1)) }, { "<f12>", KC(KEY_F(12)) }, { "<F63>", KC(KEY_F(63)) },
		{ "<C-r>", 0x12 }, { "<C-R>", 0x12 }, { "^R", 0x12 }, { "^r", 0x12 },
		{ "<c-a>", 0x01 }, { "<C-_>", 0x1F },
		{ "<M-x>", KEYS_META | 'x' }, { "<A-x>", KEYS_META | 'x' },
		{ "<M-X>", KEYS_META | 'X' }, { "<M-C-x>", KEYS_META | 0x18 },
		{ "<C-M-x>", KEYS_META | 0x18 }, { "<M-Enter>", KEYS_META | '\n' },
		{ "<M-PgDn>", KEYS_META | KC(KEY_NPAGE) },
		{ "<U+00E9>", 0xE9 }, { "<u+202e>", 0x202E }, { "<U+1F600>", 0x1F600 },
		{ "<Key-338>", KC(338) },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (parse_ok(cases[i].name) != cases[i].key)
			fail_msg("'%s' is 0x%x, expected 0x%x", cases[i].name,
			    (unsigned)parse_ok(cases[i].name), (unsigned)cases[i].key);
}

/* Bad names say what is wrong and, for a bare name that is a key in <>, what was meant. */
static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails("", "empty key name");
	parse_fails("<Foo>", "unknown key '<Foo>'");
	parse_fails("pgdn", "unknown key 'pgdn' (did you mean <pgdn>?)");
	parse_fails("F5", "unknown key 'F5' (did you mean <F5>?)");
	parse_fails("<F0>", "unknown key '<F0>'");
	parse_fails("<F64>", "unknown key '<F64>'");
	parse_fails("<U+D800>", "unknown key '<U+D800>'");	/* a surrogate */
	parse_fails("<U+110000>", "unknown key '<U+110000>'");
	parse_fails("<U+-1>", "unknown key '<U+-1>'");
	parse_fails("<>", "unknown key '<>'");
	parse_fails("ab", "unknown key 'ab'");
}

/* A name is written back as it is read: parse(format(k)) == k, for characters, codes and
 * Meta; unsafe characters by their code point. */
static void
test_format_round_trip(void **state)
{
	static const struct {
		uint32_t    key;	/* a key */
		const char *name;	/* its name */
	} cases[] = {
		{ 'q', "q" }, { '\n', "<Enter>" }, { 0x1B, "<Esc>" }, { ' ', "<Space>" },
		{ '#', "<Hash>" }, { '<', "<" }, { 0x12, "<C-r>" }, { 0x1F, "<C-_>" },
		{ KEYS_META | 'x', "<M-x>" }, { KEYS_META | 0x18, "<M-C-x>" },
		{ KC(KEY_F(5)), "<F5>" }, { KC(KEY_NPAGE), "<PgDn>" }, { KC(KEY_BTAB), "<BackTab>" },
		{ 0x202E, "<U+202E>" }, { 0xE9, "é" }, { KEYS_NONE, "<None>" },
	};
	char buf[KEYS_NAME_MAX], *cause = NULL;
	uint32_t back;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = keys_format(cases[i].key, buf, sizeof buf);
		assert_int_equal(n, strlen(buf));
		if (strcasecmp(buf, cases[i].name) != 0)
			fail_msg("0x%x is '%s', expected '%s'", (unsigned)cases[i].key, buf,
			    cases[i].name);
		if (cases[i].key == KEYS_NONE)
			continue;
		assert_int_equal(keys_parse(buf, &back, &cause), 0);
		assert_int_equal(back, cases[i].key);
	}
	/* a short buffer: truncated, NUL-terminated, the full length returned */
	n = keys_format(KC(KEY_BACKSPACE), buf, 4);
	assert_int_equal(n, strlen("<Backspace>"));
	assert_string_equal(buf, "<Ba");
}

/* What get_wch returns becomes the codes the names give. */
static void
test_from_wch(void **state)
{
	(void)state;
	assert_int_equal(keys_from_wch(OK, 'q'), 'q');
	assert_int_equal(keys_from_wch(OK, '\r'), KEYS_ENTER);
	assert_int_equal(keys_from_wch(OK, '\n'), KEYS_ENTER);
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_ENTER), KEYS_ENTER);
	assert_int_equal(keys_from_wch(OK, 0x7F), KC(KEY_BACKSPACE));
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_BACKSPACE), KC(KEY_BACKSPACE));
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_F(5)), parse_ok("<F5>"));
	assert_int_equal(keys_from_wch(OK, 0x4E0A), parse_ok("上"));
	assert_int_equal(keys_from_wch(ERR, 0), KEYS_NONE);
	assert_int_equal(keys_from_wch(OK, 0), KEYS_NONE);		/* <C-Space>: not a key */
	assert_int_equal(keys_from_wch(OK, 0x110000), KEYS_NONE);
	assert_int_equal(keys_from_wch(KEY_CODE_YES, 5), KEYS_NONE);	/* below KEY_MIN */
	assert_int_equal(keys_meta(keys_from_wch(OK, 'x')), parse_ok("<M-x>"));
	assert_int_equal(keys_meta(KEYS_NONE), KEYS_NONE);
}

/* Keys in a keymap: every name of a key binds it, a later line wins and is reported with
 * the earlier one's line, bad keys are "file:line: message". */
static void
test_bindings(void **state)
{
	static const char text[] =
	    "# a keymap\n"
	    "bind generic ^R refresh\n"
	    "bind generic <M-x> command\n"
	    "bind devices <PgDn> page-down\n"
	    "bind devices <Foo> refresh\n"
	    "bind devices pgdn refresh\n"
	    "bind devices <C-1> refresh\n"
	    "bind devices <C-r> quit\n"
	    "bind devices\n";
	static const char *const want[] = {
		"my.keys:5: unknown key '<Foo>'",
		"my.keys:6: unknown key 'pgdn' (did you mean <pgdn>?)",
		"my.keys:7: key '<C-1>' has no control form (C- goes with a letter or one of "
		    "[ \\ ] ^ _ ?)",
		"my.keys:9: bind needs PANE KEY ACTION",
	};
	struct config *c = config_new();
	enum ui_action a;
	size_t i;

	(void)state;
	config_load_text(c, CONFIG_KEYMAP, "my.keys", text, sizeof text - 1, NULL);
	for (i = 0; i < config_error_count(c); i++)
		fprintf(stderr, "  %s\n", config_error(c, i));
	assert_int_equal(config_error_count(c), sizeof want / sizeof want[0]);
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(config_error(c, i), want[i]);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, parse_ok("<C-r>")), UI_A_REFRESH);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, 0x12), UI_A_REFRESH);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, parse_ok("<A-x>")), UI_A_COMMAND);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, 'x'), UI_A_NONE);
	assert_true(config_pane_binding(c, UI_P_DEVICES, parse_ok("<PageDown>"), &a));
	assert_int_equal(a, UI_A_PAGE_DOWN);
	assert_true(config_pane_binding(c, UI_P_DEVICES, parse_ok("^R"), &a));
	assert_int_equal(a, UI_A_QUIT);		/* the pane's own binding */
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_are_canonical),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_from_wch),
		cmocka_unit_test(test_bindings),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
