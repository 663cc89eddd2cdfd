/* test_config.c — themes, keymaps and the config file: the shipped files load cleanly,
 * broken files give exact "file:line: message" lines, key names round-trip, colours fit
 * 8-colour and monochrome terminals. No terminal is needed: nothing here calls initscr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/xmalloc.h"
#include "testutil.h"
#include "ui/config.h"
#include "ui/keys.h"
#include "ui/theme.h"

static const char *const shipped_themes[] = {
	"default", "light", "solarized-dark", "high-contrast", "mono"
};
static const char *const shipped_keymaps[] = { "default", "vim", "emacs", "screen-safe" };

/* The source tree (the fixtures are in its tests/fixtures). Caller frees. */
static char *
repo_dir(void)
{
	return xasprintf("%s/../..", testutil_fixture_dir());
}

/* A fixture path under tests/fixtures/config. Caller frees. */
static char *
fixture(const char *name)
{
	return xasprintf("%s/config/%s", testutil_fixture_dir(), name);
}

/* A request that looks names up in the source tree only (no ~/.config). */
static struct config_request
tree_request(char *repo, const char *home)
{
	struct config_request r = { NULL, NULL, NULL, NULL, NULL };

	r.datadir = repo;
	r.config_home = home != NULL ? home : "/nonexistent";
	return r;
}

/* Prints c's errors (for a failing test's log). */
static void
dump_errors(const struct config *c)
{
	size_t i;

	for (i = 0; i < config_error_count(c); i++)
		fprintf(stderr, "  error: %s\n", config_error(c, i));
}

/* Checks that c's errors are exactly want[0..n), each prefixed by "prefix:". */
static void
check_errors(const struct config *c, const char *prefix, const char *const *want, size_t n)
{
	size_t i;
	char *line;

	if (config_error_count(c) != n)
		dump_errors(c);
	assert_int_equal(config_error_count(c), n);
	for (i = 0; i < n; i++) {
		line = xasprintf("%s:%s", prefix, want[i]);
		assert_string_equal(config_error(c, i), line);
		free(line);
	}
}

static uint32_t
key(const char *name)
{
	char *cause = NULL;
	uint32_t k = KEYS_NONE;

	if (keys_parse(name, &k, &cause) != 0) {
		fprintf(stderr, "key %s: %s\n", name, cause);
		free(cause);
		fail();
	}
	return k;
}

/* ---- shipped files ------------------------------------------------------------- */

static void
test_shipped_themes_load_cleanly(void **state)
{
	char *repo = repo_dir(), *path;
	struct config_request req = tree_request(repo, NULL);
	struct config *c;
	const struct theme *t;
	size_t i;
	int e;

	(void)state;
	for (i = 0; i < sizeof shipped_themes / sizeof shipped_themes[0]; i++) {
		path = xasprintf("%s/themes/%s", repo, shipped_themes[i]);
		c = config_new();
		if (config_load_file(c, CONFIG_THEME, path, &req) != 0)
			dump_errors(c);
		assert_int_equal(config_error_count(c), 0);
		t = config_theme(c);
		for (e = 0; e < UI_E_COUNT; e++) {
			if (!t->el[e].set)
				fprintf(stderr, "%s does not set %s\n", path, theme_element_name(e));
			assert_true(t->el[e].set);
		}
		config_free(c);
		free(path);
	}
	free(repo);
}

/* Checks that no pane of c binds a tmux or screen prefix key, or any Meta key. */
static void
check_no_prefix(uint32_t k, enum ui_action a, void *arg)
{
	uint32_t base = k & ~KEYS_META;
	char name[KEYS_NAME_MAX];

	(void)a;
	keys_format(k, name, sizeof name);
	if (base == 0x01 || base == 0x02 || base == '`' || (k & KEYS_META))
		fprintf(stderr, "%s binds %s\n", (const char *)arg, name);
	assert_false(base == 0x01 || base == 0x02 || base == '`');
	assert_false(k & KEYS_META);
}

static void
test_shipped_keymaps_load_cleanly(void **state)
{
	char *repo = repo_dir(), *path;
	struct config_request req = tree_request(repo, NULL);
	struct config *c;
	uint32_t keys[8];
	size_t i;
	int p;

	(void)state;
	for (i = 0; i < sizeof shipped_keymaps / sizeof shipped_keymaps[0]; i++) {
		path = xasprintf("%s/keymaps/%s", repo, shipped_keymaps[i]);
		c = config_new();
		if (config_load_file(c, CONFIG_KEYMAP, path, &req) != 0)
			dump_errors(c);
		assert_int_equal(config_error_count(c), 0);
		/* every keymap can quit, go back, open the help and the command line */
		assert_true(config_action_keys(c, UI_P_DEVICES, UI_A_QUIT, keys, 8) > 0);
		assert_true(config_action_keys(c, UI_P_DEVICES, UI_A_BACK, keys, 8) > 0);
		assert_true(config_action_keys(c, UI_P_DEVICES, UI_A_HELP, keys, 8) > 0);
		assert_true(config_action_keys(c, UI_P_DEVICES, UI_A_COMMAND, keys, 8) > 0);
		if (strcmp(shipped_keymaps[i], "screen-safe") == 0 ||
		    strcmp(shipped_keymaps[i], "default") == 0) {
			for (p = 0; p < UI_P_COUNT; p++)
				config_each_binding(c, p, check_no_prefix, path);
		}
		config_free(c);
		free(path);
	}
	free(repo);
}

static void
test_default_keymap_bindings(void **state)
{
	char *repo = repo_dir(), *path = xasprintf("%s/keymaps/default", repo);
	struct config_request req = tree_request(repo, NULL);
	struct config *c = config_new();
	static const struct {
		const char    *key;	/* key name */
		enum ui_action action;	/* expected in the devices pane */
	} want[] = {
		{ "<Up>", UI_A_UP }, { "k", UI_A_UP }, { "<Down>", UI_A_DOWN }, { "j", UI_A_DOWN },
		{ "<PgUp>", UI_A_PAGE_UP }, { "<PgDn>", UI_A_PAGE_DOWN }, { "g", UI_A_HOME },
		{ "G", UI_A_END }, { "<Enter>", UI_A_ENTER }, { "<Esc>", UI_A_BACK },
		{ "q", UI_A_QUIT }, { ":", UI_A_COMMAND }, { "/", UI_A_FILTER },
		{ "n", UI_A_SEARCH_NEXT }, { "N", UI_A_SEARCH_PREV }, { "?", UI_A_HELP },
		{ "s", UI_A_SORT_NEXT }, { "S", UI_A_SORT_PREV }, { "r", UI_A_REFRESH },
		{ "<C-l>", UI_A_REDRAW }, { "1", UI_A_PRODUCTS }, { "2", UI_A_DEVICES },
		{ "3", UI_A_GROUPS }, { "4", UI_A_THING_MODEL }, { "5", UI_A_OTA },
		{ "e", UI_A_SHOW_ERROR }, { "t", UI_A_THING_MODEL }, { "x", UI_A_NONE },
		{ "d", UI_A_DESCRIBE },
	};
	size_t i;

	(void)state;
	assert_int_equal(config_load_file(c, CONFIG_KEYMAP, path, &req), 0);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (config_key_action(c, UI_P_DEVICES, key(want[i].key)) != want[i].action)
			fprintf(stderr, "key %s\n", want[i].key);
		assert_int_equal(config_key_action(c, UI_P_DEVICES, key(want[i].key)),
		    want[i].action);
	}
	/* d describes the row in every pane (k9s); a pane's own binding: q closes the
	 * describe view, and quits elsewhere */
	assert_int_equal(config_key_action(c, UI_P_PRODUCTS, key("d")), UI_A_DESCRIBE);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, key("d")), UI_A_DESCRIBE);
	assert_int_equal(config_key_action(c, UI_P_DESCRIBE, key("q")), UI_A_BACK);
	assert_int_equal(config_key_action(c, UI_P_DESCRIBE, key("<Esc>")), UI_A_BACK);
	assert_int_equal(config_key_action(c, UI_P_PRODUCTS, key("q")), UI_A_QUIT);
	config_free(c);
	free(path);
	free(repo);
}

static void
test_emacs_overrides_default(void **state)
{
	char *repo = repo_dir(), *path = xasprintf("%s/keymaps/emacs", repo);
	struct config_request req = tree_request(repo, NULL);
	struct config *c = config_new();

	(void)state;
	assert_int_equal(config_load_file(c, CONFIG_KEYMAP, path, &req), 0);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<C-n>")), UI_A_DOWN);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<M-v>")), UI_A_PAGE_UP);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<M-<>")), UI_A_HOME);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<M->>")), UI_A_END);
	/* default's ^R (reload-config) is overridden, without a duplicate report */
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("^R")), UI_A_SEARCH_PREV);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<M-r>")), UI_A_RELOAD_CONFIG);
	/* and the default's keys are still there */
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("j")), UI_A_DOWN);
	config_free(c);
	free(path);
	free(repo);
}

static void
test_builtin_matches_shipped(void **state)
{
	char *repo = repo_dir(), *path;
	FILE *f;
	char *text;
	long len;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		path = xasprintf("%s/%s/default", repo, i == 0 ? "themes" : "keymaps");
		f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		text = xcalloc(1, (size_t)len + 1);
		assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		assert_string_equal(i == 0 ? builtin_theme_default : builtin_keymap_default, text);
		free(text);
		free(path);
	}
	free(repo);
}

/* ---- broken files ---------------------------------------------------------------- */

static void
test_broken_theme(void **state)
{
	static const char *const want[] = {
		"3: unknown element 'titel'",
		"4: unknown colour 'purple'",
		"5: unknown attribute 'blinky'",
		"6: color needs ELEMENT FG BG [ATTR...]",
		"7: unknown command 'colour'",
		"8: 'bind' does not belong in a theme file",
		"9: unknown colour 'color256'",
		"13: cannot source 'no-such-theme': No such file or directory",
		"15: unknown colour '\xE2\x90\x9B[31mred'",	/* ESC shown as U+241B */
	};
	char *repo = repo_dir(), *path = fixture("broken-theme");
	struct config_request req = tree_request(repo, NULL);
	struct config *c = config_new();
	const struct theme *t;

	(void)state;
	assert_int_equal(config_load_file(c, CONFIG_THEME, path, &req), 9);
	check_errors(c, path, want, sizeof want / sizeof want[0]);
	/* the good lines applied */
	t = config_theme(c);
	assert_true(t->el[UI_E_TITLE].set);
	assert_int_equal(t->el[UI_E_TITLE].fg, 15);
	assert_int_equal(t->el[UI_E_TITLE].bg, 4);
	assert_int_equal(t->el[UI_E_TITLE].attrs, A_BOLD);
	assert_int_equal(t->el[UI_E_ERROR].fg, 9);
	assert_int_equal(t->el[UI_E_ERROR].bg, THEME_COLOR_DEFAULT);
	assert_int_equal(t->el[UI_E_DIM].fg, 244);
	assert_int_equal(t->el[UI_E_WARNING].fg, 3);
	assert_int_equal(t->el[UI_E_WARNING].attrs, A_BOLD);	/* normal cleared underline */
	/* the bad ones did not */
	assert_false(t->el[UI_E_HEADER].set);
	assert_false(t->el[UI_E_ROW].set);
	assert_false(t->el[UI_E_SELECTED].set);
	assert_false(t->el[UI_E_STATUSBAR].set);
	assert_false(t->el[UI_E_CHANGED].set);
	config_free(c);
	free(path);
	free(repo);
}

static void
test_broken_keymap(void **state)
{
	static const char *const want[] = {
		"4: unknown pane 'genric'",
		"5: unknown key '<Foo>'",
		"6: unknown action 'move-upp'",
		"7: bind needs PANE KEY ACTION",
		"8: bind needs PANE KEY ACTION",
		"9: key 'x' is not bound in pane 'devices'",
		"10: 'color' does not belong in a keymap file",
		"12: key 'r' in pane 'devices' is bound to 'sort-next' here and to 'refresh' at line 11",
		"13: key '<C-@>' has no control form (C- goes with a letter or one of [ \\ ] ^ _ ?)",
		"14: 'set' does not belong in a keymap file",
		"18: unknown key 'pgdn' (did you mean <pgdn>?)",
	};
	char *repo = repo_dir(), *path = fixture("broken-keymap");
	struct config_request req = tree_request(repo, NULL);
	struct config *c = config_new();
	enum ui_action a;

	(void)state;
	assert_int_equal(config_load_file(c, CONFIG_KEYMAP, path, &req), 11);
	check_errors(c, path, want, sizeof want / sizeof want[0]);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("q")), UI_A_QUIT);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, key("j")), UI_A_DOWN);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, key("<M-x>")), UI_A_COMMAND);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, key("k")), UI_A_NONE);
	/* the second binding of r won (it is reported, and a file reads top to bottom) */
	assert_true(config_pane_binding(c, UI_P_DEVICES, key("r"), &a));
	assert_int_equal(a, UI_A_SORT_NEXT);
	/* ^R and <C-r> are one key, bound twice to one action: no report */
	assert_true(config_pane_binding(c, UI_P_DEVICES, key("<C-r>"), &a));
	assert_int_equal(a, UI_A_REFRESH);
	config_free(c);
	free(path);
	free(repo);
}

static void
test_duplicate_in_text(void **state)
{
	static const char text[] =
	    "bind generic <Enter> enter\n"
	    "bind devices <Space> refresh\n"
	    "bind devices <C-m> quit\n"		/* <C-m> is <Enter>: a pane binding, no clash */
	    "bind generic <CR> back\n"		/* <CR> is <Enter>: clash with line 1 */
	    "unbind devices <Space>\n"
	    "bind devices <Space> quit\n";	/* after an unbind: no clash */
	struct config *c = config_new();
	const char *want[] = {
		"4: key '<Enter>' in pane 'generic' is bound to 'back' here and to 'enter' at line 1",
	};

	(void)state;
	assert_int_equal(config_load_text(c, CONFIG_KEYMAP, "mem", text, strlen(text), NULL), 1);
	check_errors(c, "mem", want, 1);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<Space>")), UI_A_QUIT);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<Enter>")), UI_A_QUIT);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, key("<Enter>")), UI_A_BACK);
	config_free(c);
}

static void
test_override_is_not_duplicate(void **state)
{
	char *path = fixture("override-top");
	struct config *c = config_new();
	uint32_t keys[4];

	(void)state;
	if (config_load_file(c, CONFIG_KEYMAP, path, NULL) != 0)
		dump_errors(c);
	assert_int_equal(config_error_count(c), 0);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("r")), UI_A_SORT_NEXT);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("x")), UI_A_NONE);
	assert_int_equal(config_action_keys(c, UI_P_DEVICES, UI_A_QUIT, keys, 4), 0);
	config_free(c);
	free(path);
}

static void
test_source_loop(void **state)
{
	char *path = fixture("loop-a"), *b = fixture("loop-b");
	char *want;
	struct config *c = config_new();

	(void)state;
	assert_int_equal(config_load_file(c, CONFIG_KEYMAP, path, NULL), 1);
	want = xasprintf("%s:2: source loop: '%s' is already being read", b, path);
	assert_string_equal(config_error(c, 0), want);
	/* everything around the loop applied */
	assert_int_equal(config_key_action(c, UI_P_GENERIC, key("a")), UI_A_REFRESH);
	assert_int_equal(config_key_action(c, UI_P_GENERIC, key("b")), UI_A_REFRESH);
	assert_int_equal(config_key_action(c, UI_P_GENERIC, key("c")), UI_A_REFRESH);
	free(want);
	config_free(c);
	free(path);
	free(b);
}

/* Writes text to dir/name. */
static void
write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* Removes the files of a test tree (names given) and its directories. */
static void
remove_tree(const char *dir, const char *const *names, size_t n)
{
	char *path;
	size_t i;

	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		unlink(path);
		rmdir(path);	/* names may be directories, listed after their files */
		free(path);
	}
	rmdir(dir);
}

static void
test_source_depth(void **state)
{
	char tmpl[] = "/tmp/iotdeck-config-XXXXXX";
	char *dir = mkdtemp(tmpl), *name, *text, *path, *want;
	struct config *c = config_new();
	int i;

	(void)state;
	assert_non_null(dir);
	/* d0 sources d1 ... : d8 would be the ninth file */
	for (i = 0; i <= CONFIG_MAX_DEPTH; i++) {
		name = xasprintf("d%d", i);
		text = xasprintf("bind generic %d refresh\nsource d%d\n", i, i + 1);
		write_file(dir, name, text);
		free(name);
		free(text);
	}
	path = xasprintf("%s/d0", dir);
	assert_int_equal(config_load_file(c, CONFIG_KEYMAP, path, NULL), 1);
	want = xasprintf("%s/d%d:2: source nested too deeply (more than %d files)", dir,
	    CONFIG_MAX_DEPTH - 1, CONFIG_MAX_DEPTH);
	assert_string_equal(config_error(c, 0), want);
	assert_int_equal(config_key_action(c, UI_P_GENERIC, key("7")), UI_A_REFRESH);
	assert_int_equal(config_key_action(c, UI_P_GENERIC, key("8")), UI_A_NONE);
	for (i = 0; i <= CONFIG_MAX_DEPTH; i++) {
		name = xasprintf("%s/d%d", dir, i);
		unlink(name);
		free(name);
	}
	rmdir(dir);
	free(want);
	free(path);
	config_free(c);
}

/* Fan-out: 8 files of 10 "source next" lines (150 bytes in all) once meant about 10^7
 * loads; one load now stops at CONFIG_MAX_FILES files and says where. */
static void
test_source_fan_out(void **state)
{
	char tmpl[] = "/tmp/iotdeck-config-XXXXXX";
	char *dir = mkdtemp(tmpl), *name, *path, *want;
	struct config *c = config_new();
	struct buf text = BUF_INIT;
	int i, j, n;

	(void)state;
	assert_non_null(dir);
	for (i = 0; i < 8; i++) {
		buf_reset(&text);
		if (i < 7)
			for (j = 0; j < 10; j++)
				buf_addf(&text, "source f%d\n", i + 1);
		else
			buf_adds(&text, "bind generic x refresh\n");
		name = xasprintf("f%d", i);
		write_file(dir, name, buf_str(&text));
		free(name);
	}
	path = xasprintf("%s/f0", dir);
	n = config_load_file(c, CONFIG_KEYMAP, path, NULL);
	assert_int_equal(n, 1);
	/* Depth first: f0..f7, f7 nine more times from f6, then f6 again from f5, ... */
	want = xasprintf("%s/f6:3: more than %d files in one load: '%s/f7' and the rest are "
	    "not read", dir, CONFIG_MAX_FILES, dir);
	assert_string_equal(config_error(c, 0), want);
	assert_int_equal(config_key_action(c, UI_P_GENERIC, key("x")), UI_A_REFRESH);
	for (i = 0; i < 8; i++) {
		name = xasprintf("%s/f%d", dir, i);
		unlink(name);
		free(name);
	}
	rmdir(dir);
	free(want);
	free(path);
	buf_free(&text);
	config_free(c);
}

/* One load reads at most CONFIG_MAX_LINES lines; the line that meets the cap is named. */
static void
test_source_line_cap(void **state)
{
	char tmpl[] = "/tmp/iotdeck-config-XXXXXX";
	char *dir = mkdtemp(tmpl), *path, *want;
	struct config *c = config_new();
	struct buf text = BUF_INIT;
	int i;

	(void)state;
	assert_non_null(dir);
	for (i = 0; i < CONFIG_MAX_LINES / 2 + 10; i++)
		buf_adds(&text, "# a comment\n");
	write_file(dir, "half", buf_str(&text));
	buf_reset(&text);
	buf_adds(&text, "source half\nsource half2\n");
	write_file(dir, "top", buf_str(&text));
	buf_reset(&text);
	buf_adds(&text, "source half\n");
	write_file(dir, "half2", buf_str(&text));
	path = xasprintf("%s/top", dir);
	assert_int_equal(config_load_file(c, CONFIG_KEYMAP, path, NULL), 1);
	/* top:1, half (CONFIG_MAX_LINES / 2 + 10 lines), top:2, half2:1, then half again
	 * meets the cap. */
	want = xasprintf("%s/half:%d: more than %d lines in one load: the rest is not read",
	    dir, CONFIG_MAX_LINES + 1 - (CONFIG_MAX_LINES / 2 + 10 + 3), CONFIG_MAX_LINES);
	assert_string_equal(config_error(c, 0), want);
	free(want);
	free(path);
	for (i = 0; i < 3; i++) {
		path = xasprintf("%s/%s", dir, i == 0 ? "half" : i == 1 ? "half2" : "top");
		unlink(path);
		free(path);
	}
	rmdir(dir);
	buf_free(&text);
	config_free(c);
}

/* ---- config file and lookup ------------------------------------------------------ */

static void
test_config_load(void **state)
{
	char tmpl[] = "/tmp/iotdeck-config-XXXXXX";
	char *home = mkdtemp(tmpl), *repo = repo_dir(), *d, *want, *cfgfile;
	static const char *const tree[] = {
		"iotdeck/config", "iotdeck/themes/mine", "iotdeck/themes", "iotdeck/keymaps",
		"iotdeck"
	};
	struct config_request req;
	const struct config_settings *s;
	const struct theme *t;
	struct config *c;

	(void)state;
	assert_non_null(home);
	req = tree_request(repo, home);
	d = xasprintf("%s/iotdeck", home);
	mkdir(d, 0700);
	free(d);
	d = xasprintf("%s/iotdeck/themes", home);
	mkdir(d, 0700);
	free(d);
	d = xasprintf("%s/iotdeck/keymaps", home);
	mkdir(d, 0700);
	free(d);
	write_file(home, "iotdeck/config",
	    "# a config file\n"
	    "set theme light\n"
	    "set keymap = vim\n"
	    "set idle-lock 10\n"
	    "set mouse off\n"
	    "set refresh-interval 0\n"
	    "bind devices x refresh\n"
	    "color selected red default bold\n"
	    "set colour red\n");
	write_file(home, "iotdeck/themes/mine", "source default\ncolor row green default\n");
	cfgfile = xasprintf("%s/iotdeck/config", home);

	/* the config file chooses, its color and bind lines win over the theme and keymap */
	c = config_load(&req);
	{
		const char *errs[] = {
		    "6: refresh-interval must be seconds from 1 to 3600, not '0'",
		    "9: unknown option 'colour'",
		};

		check_errors(c, cfgfile, errs, 2);
	}
	s = config_settings(c);
	assert_string_equal(s->theme, "light");
	assert_string_equal(s->keymap, "vim");
	assert_int_equal(s->idle_lock, 600);	/* 10 minutes, in seconds */
	assert_int_equal(s->mouse, 0);
	assert_int_equal(s->refresh_interval, 5);
	want = xasprintf("%s/themes/light", repo);
	assert_string_equal(config_theme_file(c), want);
	free(want);
	want = xasprintf("%s/keymaps/vim", repo);
	assert_string_equal(config_keymap_file(c), want);
	free(want);
	t = config_theme(c);
	assert_int_equal(t->el[UI_E_SELECTED].fg, 1);
	assert_int_equal(t->el[UI_E_SELECTED].attrs, A_BOLD);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("x")), UI_A_REFRESH);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("h")), UI_A_SCROLL_LEFT);
	config_free(c);

	/* the command line wins; a name in ~/.config wins over the installed one */
	req.theme = "mine";
	req.keymap = "emacs";
	c = config_load(&req);
	assert_int_equal(config_error_count(c), 2);
	want = xasprintf("%s/iotdeck/themes/mine", home);
	assert_string_equal(config_theme_file(c), want);
	free(want);
	t = config_theme(c);
	assert_int_equal(t->el[UI_E_ROW].fg, 2);
	assert_int_equal(t->el[UI_E_TITLE].bg, 24);	/* from the default it sources */
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("<C-n>")), UI_A_DOWN);
	config_free(c);

	/* an unknown name falls back to the default, and says so */
	req.theme = "no-such";
	req.keymap = NULL;
	req.config_file = "/nonexistent/config";
	c = config_load(&req);
	assert_int_equal(config_error_count(c), 2);
	assert_string_equal(config_error(c, 0),
	    "/nonexistent/config: cannot read: No such file or directory");
	want = xasprintf("--theme: no theme 'no-such' in %s/iotdeck/themes or %s/themes; "
	    "using the default", home, repo);
	assert_string_equal(config_error(c, 1), want);
	free(want);
	assert_string_equal(config_settings(c)->theme, "default");
	want = xasprintf("%s/themes/default", repo);
	assert_string_equal(config_theme_file(c), want);
	free(want);
	config_free(c);

	remove_tree(home, tree, sizeof tree / sizeof tree[0]);
	free(cfgfile);
	free(repo);
}

static void
test_builtin_fallback(void **state)
{
	struct config_request req = { NULL, NULL, NULL, "/nonexistent", "/nonexistent" };
	struct config *c;

	(void)state;
	c = config_load(&req);
	if (config_error_count(c) != 0)
		dump_errors(c);
	assert_int_equal(config_error_count(c), 0);
	assert_string_equal(config_theme_file(c), "builtin:themes/default");
	assert_string_equal(config_keymap_file(c), "builtin:keymaps/default");
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("q")), UI_A_QUIT);
	config_free(c);
}

static void
test_lookup_semantics(void **state)
{
	static const char text[] =
	    "bind generic r refresh\n"
	    "bind generic R refresh\n"
	    "bind devices r sort-next\n"
	    "bind device R none\n"
	    "bind generic q quit\n";
	struct config *c = config_new();
	uint32_t keys[4];

	(void)state;
	assert_int_equal(config_load_text(c, CONFIG_KEYMAP, "mem", text, strlen(text), NULL), 0);
	assert_int_equal(config_key_action(c, UI_P_DEVICES, key("r")), UI_A_SORT_NEXT);
	assert_int_equal(config_key_action(c, UI_P_GROUPS, key("r")), UI_A_REFRESH);
	assert_int_equal(config_key_action(c, UI_P_DEVICE, key("R")), UI_A_NONE);
	assert_int_equal(config_key_action(c, UI_P_DEVICE, key("r")), UI_A_REFRESH);
	/* the keys of an action in a pane: the pane's, then the generic ones it keeps */
	assert_int_equal(config_action_keys(c, UI_P_DEVICES, UI_A_REFRESH, keys, 4), 1);
	assert_int_equal(keys[0], key("R"));
	assert_int_equal(config_action_keys(c, UI_P_DEVICE, UI_A_REFRESH, keys, 4), 1);
	assert_int_equal(keys[0], key("r"));
	assert_int_equal(config_action_keys(c, UI_P_GROUPS, UI_A_REFRESH, keys, 1), 2);
	assert_int_equal(config_action_keys(c, UI_P_DEVICES, UI_A_SORT_NEXT, keys, 4), 1);
	config_free(c);
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(config_action_find("quit"), UI_A_QUIT);
	assert_string_equal(config_action_name(UI_A_SEARCH_PREV), "search-prev");
	assert_int_equal(config_action_find("frobnicate"), -1);
	assert_int_equal(config_pane_find("thing-model"), UI_P_THING_MODEL);
	assert_string_equal(config_pane_title(UI_P_FIRMWARE), "OTA firmware");
	assert_int_equal(theme_element_find("selected-unfocused"), UI_E_SELECTED_UNFOCUSED);
	assert_string_equal(theme_element_name(UI_E_PLACEHOLDER), "placeholder");
	assert_int_equal(theme_element_find("nope"), -1);
}

/* ---- keys ------------------------------------------------------------------------ */

static void
check_key(const char *name, uint32_t want, const char *formatted)
{
	char buf[KEYS_NAME_MAX];
	uint32_t k = key(name);

	if (k != want)
		fprintf(stderr, "%s: 0x%x, want 0x%x\n", name, k, want);
	assert_int_equal(k, want);
	keys_format(k, buf, sizeof buf);
	assert_string_equal(buf, formatted);
}

static void
test_key_names(void **state)
{
	(void)state;
	check_key("q", 'q', "q");
	check_key("Q", 'Q', "Q");
	check_key(":", ':', ":");
	check_key("<", '<', "<");
	check_key("^", '^', "^");
	check_key("é", 0xE9, "é");
	check_key("智", 0x667A, "智");
	check_key("<Enter>", '\n', "<Enter>");
	check_key("<enter>", '\n', "<Enter>");
	check_key("<CR>", '\n', "<Enter>");
	check_key("<C-m>", '\n', "<Enter>");
	check_key("<C-j>", '\n', "<Enter>");
	check_key("<Esc>", 0x1B, "<Esc>");
	check_key("<C-[>", 0x1B, "<Esc>");
	check_key("<Tab>", '\t', "<Tab>");
	check_key("<C-i>", '\t', "<Tab>");
	check_key("<BackTab>", KEYS_CODE | KEY_BTAB, "<BackTab>");
	check_key("<S-Tab>", KEYS_CODE | KEY_BTAB, "<BackTab>");
	check_key("<Space>", ' ', "<Space>");
	check_key(" ", ' ', "<Space>");
	check_key("<Hash>", '#', "<Hash>");
	check_key("<Backspace>", KEYS_CODE | KEY_BACKSPACE, "<Backspace>");
	check_key("^?", KEYS_CODE | KEY_BACKSPACE, "<Backspace>");
	check_key("<Up>", KEYS_CODE | KEY_UP, "<Up>");
	check_key("<Down>", KEYS_CODE | KEY_DOWN, "<Down>");
	check_key("<Left>", KEYS_CODE | KEY_LEFT, "<Left>");
	check_key("<Right>", KEYS_CODE | KEY_RIGHT, "<Right>");
	check_key("<PgUp>", KEYS_CODE | KEY_PPAGE, "<PgUp>");
	check_key("<PageDown>", KEYS_CODE | KEY_NPAGE, "<PgDn>");
	check_key("<Home>", KEYS_CODE | KEY_HOME, "<Home>");
	check_key("<End>", KEYS_CODE | KEY_END, "<End>");
	check_key("<Insert>", KEYS_CODE | KEY_IC, "<Insert>");
	check_key("<Del>", KEYS_CODE | KEY_DC, "<Delete>");
	check_key("<F1>", KEYS_CODE | KEY_F(1), "<F1>");
	check_key("<f12>", KEYS_CODE | KEY_F(12), "<F12>");
	check_key("<C-a>", 0x01, "<C-a>");
	check_key("<C-Z>", 0x1A, "<C-z>");
	check_key("^R", 0x12, "<C-r>");
	check_key("^r", 0x12, "<C-r>");
	check_key("<C-h>", 0x08, "<C-h>");
	check_key("<C-\\>", 0x1C, "<C-\\>");
	check_key("<M-x>", KEYS_META | 'x', "<M-x>");
	check_key("<A-x>", KEYS_META | 'x', "<M-x>");
	check_key("<M-X>", KEYS_META | 'X', "<M-X>");
	check_key("<C-M-x>", KEYS_META | 0x18, "<M-C-x>");
	check_key("<M-C-x>", KEYS_META | 0x18, "<M-C-x>");
	check_key("<M-<>", KEYS_META | '<', "<M-<>");
	check_key("<M->>", KEYS_META | '>', "<M->>");
	check_key("<M-->", KEYS_META | '-', "<M-->");
	check_key("<M-Enter>", KEYS_META | '\n', "<M-Enter>");
	check_key("<M-Up>", KEYS_META | KEYS_CODE | KEY_UP, "<M-Up>");
	check_key("<U+202E>", 0x202E, "<U+202E>");	/* a bidi override is never shown raw */
	check_key("<u+e9>", 0xE9, "é");
	check_key("<Key-400>", KEYS_CODE | 400, "<Key-400>");
	check_key("<Resize>", KEYS_CODE | KEY_RESIZE, "<Resize>");
}

static void
check_bad_key(const char *name, const char *want)
{
	char *cause = NULL;
	uint32_t k = 12345;

	assert_int_equal(keys_parse(name, &k, &cause), -1);
	assert_int_equal(k, 12345);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_bad_key_names(void **state)
{
	(void)state;
	check_bad_key("", "empty key name");
	check_bad_key("ab", "unknown key 'ab'");
	check_bad_key("enter", "unknown key 'enter' (did you mean <enter>?)");
	check_bad_key("<Foo>", "unknown key '<Foo>'");
	check_bad_key("<F0>", "unknown key '<F0>'");
	check_bad_key("<F64>", "unknown key '<F64>'");
	check_bad_key("<>", "unknown key '<>'");
	check_bad_key("<Enter", "unknown key '<Enter'");
	check_bad_key("^1", "unknown key '^1'");
	check_bad_key("<U+D800>", "unknown key '<U+D800>'");
	check_bad_key("<Key-12>", "unknown key '<Key-12>'");
	check_bad_key("<C-1>",
	    "key '<C-1>' has no control form (C- goes with a letter or one of [ \\ ] ^ _ ?)");
	check_bad_key("<C-Up>",
	    "key '<C-Up>' has no control form (C- goes with a letter or one of [ \\ ] ^ _ ?)");
	check_bad_key("\033[A", "unknown key '\xE2\x90\x9B[A'");
}

/* Every key formats to a name that parses back to the same key. */
static void
test_key_round_trip(void **state)
{
	char buf[KEYS_NAME_MAX], *cause = NULL;
	uint32_t k, back, v;
	int meta, rc;

	(void)state;
	for (meta = 0; meta < 2; meta++) {
		for (v = 1; v < 0x3100; v++) {
			k = keys_from_wch(OK, (wint_t)v);
			if (v >= 0xD800 && v <= 0xDFFF)
				continue;
			if (meta)
				k = keys_meta(k);
			assert_true(keys_format(k, buf, sizeof buf) < sizeof buf);
			rc = keys_parse(buf, &back, &cause);
			if (rc != 0 || back != k)
				fprintf(stderr, "U+%04X -> %s -> %s\n", v, buf, rc ? cause : "other");
			assert_int_equal(rc, 0);
			assert_int_equal(back, k);
		}
		for (v = KEY_MIN; v <= KEY_MAX; v++) {
			k = keys_from_wch(KEY_CODE_YES, (wint_t)v);
			if (meta)
				k = keys_meta(k);
			keys_format(k, buf, sizeof buf);
			assert_int_equal(keys_parse(buf, &back, &cause), 0);
			assert_int_equal(back, k);
		}
	}
}

static void
test_keys_from_wch(void **state)
{
	(void)state;
	assert_int_equal(keys_from_wch(ERR, 0), KEYS_NONE);
	assert_int_equal(keys_from_wch(OK, 0), KEYS_NONE);
	assert_int_equal(keys_from_wch(OK, 'q'), key("q"));
	assert_int_equal(keys_from_wch(OK, '\r'), key("<Enter>"));
	assert_int_equal(keys_from_wch(OK, '\n'), key("<Enter>"));
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_ENTER), key("<Enter>"));
	assert_int_equal(keys_from_wch(OK, 0x7F), key("<Backspace>"));
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_BACKSPACE), key("<Backspace>"));
	assert_int_equal(keys_from_wch(OK, 0x12), key("^R"));
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_UP), key("<Up>"));
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_F(5)), key("<F5>"));
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_BTAB), key("<BackTab>"));
	assert_int_equal(keys_from_wch(OK, 0x667A), key("智"));
	assert_int_equal(keys_meta(keys_from_wch(OK, 'x')), key("<M-x>"));
	assert_int_equal(keys_meta(KEYS_NONE), KEYS_NONE);
}

/* ---- colours --------------------------------------------------------------------- */

static void
test_degrade(void **state)
{
	static const struct {
		short in;	/* 256-colour value */
		short want16;	/* on a 16-colour terminal */
	} cases[] = {
		{ 196, 9 }, { 160, 9 }, { 124, 1 }, { 46, 10 }, { 28, 2 }, { 64, 2 },
		{ 21, 12 }, { 19, 4 }, { 226, 11 }, { 136, 3 }, { 201, 13 }, { 51, 14 },
		{ 37, 6 }, { 16, 0 }, { 232, 0 }, { 236, 0 }, { 244, 8 }, { 250, 7 },
		{ 231, 15 }, { 255, 15 }, { 208, 9 }, { 214, 9 }, { 3, 3 }, { 12, 12 },
	};
	size_t i;
	int bright;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (theme_degrade(cases[i].in, 16, &bright) != cases[i].want16)
			fprintf(stderr, "colour %d\n", cases[i].in);
		assert_int_equal(theme_degrade(cases[i].in, 16, &bright), cases[i].want16);
		assert_int_equal(bright, 0);
		assert_int_equal(theme_degrade(cases[i].in, 8, &bright), cases[i].want16 % 8);
		assert_int_equal(bright, cases[i].want16 >= 8);
		assert_int_equal(theme_degrade(cases[i].in, 256, &bright), cases[i].in);
		assert_int_equal(bright, 0);
	}
	assert_int_equal(theme_degrade(THEME_COLOR_DEFAULT, 8, &bright), THEME_COLOR_DEFAULT);
}

/* Loads a theme from text into t. */
static void
theme_from(const char *text, struct theme *t)
{
	struct config *c = config_new();

	assert_int_equal(config_load_text(c, CONFIG_THEME, "mem", text, strlen(text), NULL), 0);
	*t = *config_theme(c);
	config_free(c);
}

static void
test_resolve(void **state)
{
	static const char text[] =
	    "color default   default      default\n"
	    "color title     bright-white color24  bold\n"
	    "color selected  black        color38\n"
	    "color statusbar color252     color236\n"
	    "color error     color196     default  bold\n"
	    "color dim       color244     color236\n"
	    "color changed   black        yellow   reverse\n"
	    "color match     black        color38  underline\n";
	struct theme_caps c256 = { 256, 32767, 1 }, c8 = { 8, 64, 1 }, mono = { 0, 0, 0 };
	struct theme_caps c8nodef = { 8, 64, 0 }, c8few = { 8, 3, 1 };
	struct theme_resolved r;
	struct theme t;

	(void)state;
	theme_from(text, &t);

	/* 256 colours: as written, one pair per distinct fg/bg, shared */
	theme_resolve(&t, &c256, &r);
	assert_int_equal(r.el[UI_E_DEFAULT].pair, 0);
	assert_int_equal(r.el[UI_E_ROW].pair, 0);	/* unset: like default */
	assert_int_equal(r.el[UI_E_TITLE].fg, 15);
	assert_int_equal(r.el[UI_E_TITLE].bg, 24);
	assert_int_equal(r.el[UI_E_TITLE].attrs, A_BOLD);
	assert_int_equal(r.el[UI_E_SELECTED].bg, 38);
	assert_int_equal(r.el[UI_E_SELECTED].pair, r.el[UI_E_MATCH].pair);
	assert_int_not_equal(r.el[UI_E_SELECTED].pair, r.el[UI_E_TITLE].pair);
	assert_int_equal(r.pair_fg[r.el[UI_E_SELECTED].pair], 0);
	assert_int_equal(r.pair_bg[r.el[UI_E_SELECTED].pair], 38);
	assert_int_equal(r.npairs, 6);
	assert_int_equal(theme_style_attr(&r.el[UI_E_TITLE]),
	    A_BOLD | (attr_t)COLOR_PAIR(r.el[UI_E_TITLE].pair));

	/* 8 colours: nearest basic colour, bright foregrounds in bold */
	theme_resolve(&t, &c8, &r);
	assert_int_equal(r.el[UI_E_TITLE].fg, 7);
	assert_int_equal(r.el[UI_E_TITLE].bg, 4);
	assert_int_equal(r.el[UI_E_TITLE].attrs, A_BOLD);
	assert_int_equal(r.el[UI_E_SELECTED].fg, 0);
	assert_int_equal(r.el[UI_E_SELECTED].bg, 6);
	assert_int_equal(r.el[UI_E_SELECTED].attrs, A_NORMAL);	/* a bright bg adds no bold */
	assert_int_equal(r.el[UI_E_ERROR].fg, 1);
	assert_int_equal(r.el[UI_E_ERROR].bg, -1);
	assert_int_equal(r.el[UI_E_ERROR].attrs, A_BOLD);
	assert_int_equal(r.el[UI_E_STATUSBAR].fg, 7);
	assert_int_equal(r.el[UI_E_STATUSBAR].bg, 0);
	/* grey 244 on grey 236 became black on black: the foreground is made to show */
	assert_int_equal(r.el[UI_E_DIM].bg, 0);
	assert_int_equal(r.el[UI_E_DIM].fg, 7);
	assert_int_equal(r.el[UI_E_DIM].attrs, A_BOLD);
	assert_true(r.npairs <= 64);

	/* 8 colours without use_default_colors: default becomes white on black */
	theme_resolve(&t, &c8nodef, &r);
	assert_int_equal(r.el[UI_E_DEFAULT].fg, 7);
	assert_int_equal(r.el[UI_E_DEFAULT].bg, 0);
	assert_int_not_equal(r.el[UI_E_DEFAULT].pair, 0);
	assert_int_equal(r.el[UI_E_ERROR].bg, 0);
	/* the status bar's grey band became white on black, like the default: reversed */
	assert_int_equal(r.el[UI_E_STATUSBAR].attrs, A_REVERSE);
	assert_int_equal(r.el[UI_E_ERROR].attrs, A_BOLD);

	/* too few pairs: the rest get attributes only */
	theme_resolve(&t, &c8few, &r);
	assert_int_equal(r.npairs, 2);
	assert_int_equal(r.el[UI_E_STATUSBAR].pair, 0);

	/* no colour: attributes only, reverse for elements with a background of their own */
	theme_resolve(&t, &mono, &r);
	assert_int_equal(r.npairs, 0);
	assert_int_equal(theme_style_attr(&r.el[UI_E_DEFAULT]), A_NORMAL);
	assert_int_equal(theme_style_attr(&r.el[UI_E_ROW]), A_NORMAL);
	assert_int_equal(theme_style_attr(&r.el[UI_E_TITLE]), A_BOLD | A_REVERSE);
	assert_int_equal(theme_style_attr(&r.el[UI_E_SELECTED]), A_REVERSE);
	assert_int_equal(theme_style_attr(&r.el[UI_E_STATUSBAR]), A_REVERSE);
	assert_int_equal(theme_style_attr(&r.el[UI_E_ERROR]), A_BOLD);
	assert_int_equal(theme_style_attr(&r.el[UI_E_CHANGED]), A_REVERSE);	/* not twice */
	assert_int_equal(theme_style_attr(&r.el[UI_E_MATCH]), A_UNDERLINE | A_REVERSE);
	assert_int_equal(r.el[UI_E_SELECTED].fg, -1);
}

static void
test_light_background_inherits(void **state)
{
	static const char text[] =
	    "color default  color235 color255\n"
	    "color row      default  default\n"
	    "color selected white    color31\n";
	struct theme_caps c256 = { 256, 32767, 1 }, mono = { 0, 0, 0 };
	struct theme_resolved r;
	struct theme t;

	(void)state;
	theme_from(text, &t);
	theme_resolve(&t, &c256, &r);
	/* "default" in another element is the default element's colour */
	assert_int_equal(r.el[UI_E_ROW].fg, 235);
	assert_int_equal(r.el[UI_E_ROW].bg, 255);
	assert_int_equal(r.el[UI_E_ROW].pair, r.el[UI_E_DEFAULT].pair);
	assert_int_equal(r.el[UI_E_HELP_KEY].pair, r.el[UI_E_DEFAULT].pair);
	theme_resolve(&t, &mono, &r);
	assert_int_equal(r.el[UI_E_ROW].attrs, A_NORMAL);
	assert_int_equal(r.el[UI_E_SELECTED].attrs, A_REVERSE);
}

/* Every shipped theme keeps its key elements apart on 8 colours and without colour. */
static void
test_shipped_themes_degrade(void **state)
{
	static const enum ui_element apart[] = {
		UI_E_SELECTED, UI_E_STATUSBAR, UI_E_DIALOG_BUTTON_FOCUS, UI_E_CHANGED,
	};
	struct theme_caps caps[] = { { 8, 64, 1 }, { 0, 0, 0 }, { 8, 64, 0 } };
	char *repo = repo_dir(), *path;
	struct theme_resolved r;
	struct config *c;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof shipped_themes / sizeof shipped_themes[0]; i++) {
		path = xasprintf("%s/themes/%s", repo, shipped_themes[i]);
		c = config_new();
		assert_int_equal(config_load_file(c, CONFIG_THEME, path, NULL), 0);
		for (j = 0; j < sizeof caps / sizeof caps[0]; j++) {
			theme_resolve(config_theme(c), &caps[j], &r);
			for (k = 0; k < sizeof apart / sizeof apart[0]; k++) {
				if (theme_style_attr(&r.el[apart[k]]) ==
				    theme_style_attr(&r.el[UI_E_ROW]))
					fprintf(stderr, "%s, %d colours: %s looks like a row\n",
					    shipped_themes[i], caps[j].colors,
					    theme_element_name(apart[k]));
				assert_int_not_equal(theme_style_attr(&r.el[apart[k]]),
				    theme_style_attr(&r.el[UI_E_ROW]));
			}
			for (k = 0; k < UI_E_COUNT; k++) {
				/* nothing is drawn in its own background colour */
				if (r.el[k].fg >= 0)
					assert_int_not_equal(r.el[k].fg, r.el[k].bg);
			}
		}
		config_free(c);
		free(path);
	}
	free(repo);
}

/* set time-format: local (the default), utc or iso; anything else is reported with the
 * words it may be, and the setting stays. */
static void
test_time_format_setting(void **state)
{
	static const char text[] =
	    "set time-format utc\n"
	    "set time-format = iso\n"
	    "set time-format UTC\n"
	    "set time-format\n";
	const char *errs[] = {
	    "3: time-format must be local, utc or iso, not 'UTC'",
	    "4: set needs OPTION VALUE",
	};
	struct config *c = config_new();

	(void)state;
	assert_int_equal(config_settings(c)->time_format, TIMEFMT_LOCAL);
	assert_int_equal(config_load_text(c, CONFIG_SETTINGS, "mem", text, strlen(text), NULL), 2);
	check_errors(c, "mem", errs, 2);
	assert_int_equal(config_settings(c)->time_format, TIMEFMT_ISO);
	config_free(c);
	c = config_new();
	assert_int_equal(config_load_text(c, CONFIG_SETTINGS, "mem", "set time-format local\n", 22,
	    NULL), 0);
	assert_int_equal(config_settings(c)->time_format, TIMEFMT_LOCAL);
	config_free(c);
}

/* set audit-log FILE or off: a path relative to the config file, ~/ the home directory;
 * off is kept as "" (NULL: the default place, the default). */
static void
test_audit_log_setting(void **state)
{
	struct config *c = config_new();

	(void)state;
	assert_null(config_settings(c)->audit_log);
	assert_int_equal(config_load_text(c, CONFIG_SETTINGS, "/etc/iotdeck/config",
	    "set audit-log logs/audit.log\n", 29, NULL), 0);
	assert_string_equal(config_settings(c)->audit_log, "/etc/iotdeck/logs/audit.log");
	assert_int_equal(config_load_text(c, CONFIG_SETTINGS, "mem", "set audit-log off\n", 18,
	    NULL), 0);
	assert_string_equal(config_settings(c)->audit_log, "");
	setenv("HOME", "/home/op", 1);
	assert_int_equal(config_load_text(c, CONFIG_SETTINGS, "mem",
	    "set audit-log = ~/audit.log\n", 28, NULL), 0);
	assert_string_equal(config_settings(c)->audit_log, "/home/op/audit.log");
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_themes_load_cleanly),
		cmocka_unit_test(test_shipped_keymaps_load_cleanly),
		cmocka_unit_test(test_default_keymap_bindings),
		cmocka_unit_test(test_emacs_overrides_default),
		cmocka_unit_test(test_builtin_matches_shipped),
		cmocka_unit_test(test_broken_theme),
		cmocka_unit_test(test_broken_keymap),
		cmocka_unit_test(test_duplicate_in_text),
		cmocka_unit_test(test_override_is_not_duplicate),
		cmocka_unit_test(test_source_loop),
		cmocka_unit_test(test_source_depth),
		cmocka_unit_test(test_source_fan_out),
		cmocka_unit_test(test_source_line_cap),
		cmocka_unit_test(test_config_load),
		cmocka_unit_test(test_builtin_fallback),
		cmocka_unit_test(test_lookup_semantics),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_bad_key_names),
		cmocka_unit_test(test_key_round_trip),
		cmocka_unit_test(test_keys_from_wch),
		cmocka_unit_test(test_degrade),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_light_background_inherits),
		cmocka_unit_test(test_shipped_themes_degrade),
		cmocka_unit_test(test_time_format_setting),
		cmocka_unit_test(test_audit_log_setting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
