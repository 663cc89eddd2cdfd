/* config.c — settings, themes and keymaps from text files (see config.h): the config
 * object and its queries, the names of actions and panes, where themes and keymaps are
 * found, and the order of a whole load. Reading a file and its commands (color, bind,
 * unbind, source, set) is config_parse.c's; what both share is config_impl.h.
 *
 * DESIGN
 * A load is one struct parse: the kind of file being read, the stack of files being read
 * (their real paths, to refuse loops and limit depth), and the lines of the config file
 * kept for later. Every line is split into words and run by one command function; a
 * command that finds a problem adds "file:line: message" to the config and returns, so a
 * bad line changes nothing and the next line runs as if it were not there.
 *
 * The config file is read twice over, in effect: config_load reads it first so that its
 * "set theme" and "set keymap" choose what to load, keeping its color, bind and unbind
 * lines aside (struct deferred, with their file and line); after the theme and keymap are
 * loaded those lines run, so the config file's tweaks win. Each file read gets a load
 * number; a binding remembers the load that made it, which is how "bound twice in one
 * file" is told apart from "a later file overrides".
 */
#include "ui/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/config_impl.h"
#include "ui/keys.h"
#include "ui/named.h"

#ifndef IOTDECK_DATADIR
#define IOTDECK_DATADIR "/usr/local/share/iotdeck"
#endif

static const struct named actions[UI_A_COUNT] = {
#define UI_ACTION(id, name, help) { name, help },
#include "ui/actions.def"
#undef UI_ACTION
}, panes[UI_P_COUNT] = {
#define UI_PANE(id, name, title) { name, title },
#include "ui/panes.def"
#undef UI_PANE
};

/* ---- names ---------------------------------------------------------------------- */

const char *
config_action_name(enum ui_action a)
{
	return named_name(actions, UI_A_COUNT, (int)a);
}

const char *
config_action_help(enum ui_action a)
{
	return named_help(actions, UI_A_COUNT, (int)a);
}

int
config_action_find(const char *name)
{
	return named_find(actions, UI_A_COUNT, name);
}

const char *
config_pane_name(enum ui_pane p)
{
	return named_name(panes, UI_P_COUNT, (int)p);
}

const char *
config_pane_title(enum ui_pane p)
{
	return named_help(panes, UI_P_COUNT, (int)p);
}

int
config_pane_find(const char *name)
{
	return named_find(panes, UI_P_COUNT, name);
}

/* ---- the config object ---------------------------------------------------------- */

struct config *
config_new(void)
{
	struct config *c = xcalloc(1, sizeof *c);

	c->settings.theme = xstrdup("default");
	c->settings.keymap = xstrdup("default");
	c->settings.idle_lock = 15 * 60;
	c->settings.lock_max = 12 * 3600;
	c->settings.mouse = 1;
	c->settings.refresh_interval = 5;
	c->settings.time_format = TIMEFMT_LOCAL;
	theme_init(&c->theme);
	c->theme_file = xstrdup("");
	c->keymap_file = xstrdup("");
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->settings.theme);
	free(c->settings.keymap);
	free(c->settings.audit_log);
	for (i = 0; i < UI_P_COUNT; i++)
		free(c->keys[i].v);
	for (i = 0; i < c->nerrors; i++)
		free(c->errors[i]);
	free(c->errors);
	free(c->theme_file);
	free(c->keymap_file);
	free(c->origin[0]);
	free(c->origin[1]);
	free(c);
}

size_t
config_error_count(const struct config *c)
{
	return c->nerrors;
}

const char *
config_error(const struct config *c, size_t i)
{
	return i < c->nerrors ? c->errors[i] : NULL;
}

const struct config_settings *
config_settings(const struct config *c)
{
	return &c->settings;
}

const struct theme *
config_theme(const struct config *c)
{
	return &c->theme;
}

const char *
config_theme_file(const struct config *c)
{
	return c->theme_file;
}

const char *
config_keymap_file(const struct config *c)
{
	return c->keymap_file;
}

void
config_add_error(struct config *c, const char *file, int line, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	c->found++;
	if (c->nerrors > CONFIG_MAX_ERRORS)
		return;
	if (c->nerrors == CONFIG_MAX_ERRORS) {
		buf_adds(&b, "too many errors; the rest are not shown");
	} else {
		safetext_append(&b, file, strlen(file));
		if (line > 0)
			buf_addf(&b, ":%d", line);
		buf_adds(&b, ": ");
		va_start(ap, fmt);
		buf_vaddf(&b, fmt, ap);
		va_end(ap);
	}
	if (c->nerrors == c->errcap) {
		c->errcap = c->errcap ? c->errcap * 2 : 8;
		c->errors = xreallocarray(c->errors, c->errcap, sizeof *c->errors);
	}
	c->errors[c->nerrors++] = safetext_dup(b.data, b.len);
	buf_free(&b);
}

/* A display-safe excerpt of a word from a file, for messages (caller frees). */
char *
config_shown(const char *word)
{
	return safetext_excerpt(word, strlen(word), ECHO_MAX);
}


/* ---- bindings -------------------------------------------------------------------- */

struct binding *
config_binding_find(const struct bindings *b, uint32_t key)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].key == key)
			return &b->v[i];
	}
	return NULL;
}

enum ui_action
config_key_action(const struct config *c, enum ui_pane pane, uint32_t key)
{
	const struct binding *b;

	if ((unsigned)pane < UI_P_COUNT && (b = config_binding_find(&c->keys[pane], key)) != NULL)
		return b->action;
	if ((b = config_binding_find(&c->keys[UI_P_GENERIC], key)) != NULL)
		return b->action;
	return UI_A_NONE;
}

int
config_pane_binding(const struct config *c, enum ui_pane pane, uint32_t key,
    enum ui_action *action)
{
	const struct binding *b;

	if ((unsigned)pane >= UI_P_COUNT || (b = config_binding_find(&c->keys[pane], key)) == NULL)
		return 0;
	*action = b->action;
	return 1;
}

size_t
config_action_keys(const struct config *c, enum ui_pane pane, enum ui_action action,
    uint32_t *keys, size_t max)
{
	const struct bindings *own, *gen = &c->keys[UI_P_GENERIC];
	size_t i, n = 0;

	if ((unsigned)pane >= UI_P_COUNT)
		pane = UI_P_GENERIC;
	own = &c->keys[pane];
	if (pane != UI_P_GENERIC) {
		for (i = 0; i < own->n; i++) {
			if (own->v[i].action != action)
				continue;
			if (n < max)
				keys[n] = own->v[i].key;
			n++;
		}
	}
	for (i = 0; i < gen->n; i++) {
		if (gen->v[i].action != action)
			continue;
		if (pane != UI_P_GENERIC && config_binding_find(own, gen->v[i].key) != NULL)
			continue;
		if (n < max)
			keys[n] = gen->v[i].key;
		n++;
	}
	return n;
}

void
config_each_binding(const struct config *c, enum ui_pane pane,
    void (*fn)(uint32_t key, enum ui_action action, void *arg), void *arg)
{
	const struct bindings *b;
	size_t i;

	if ((unsigned)pane >= UI_P_COUNT)
		return;
	b = &c->keys[pane];
	for (i = 0; i < b->n; i++)
		fn(b->v[i].key, b->v[i].action, arg);
}

/* ---- lookup --------------------------------------------------------------------- */

/* The user's configuration directory ($XDG_CONFIG_HOME or ~/.config), or NULL. Caller frees. */
static char *
config_home(const struct config_request *req)
{
	const char *x;

	if (req->config_home != NULL)
		return xstrdup(req->config_home);
	x = getenv("XDG_CONFIG_HOME");
	if (x != NULL && x[0] == '/')
		return xstrdup(x);
	x = getenv("HOME");
	if (x != NULL && x[0] != '\0')
		return xasprintf("%s/.config", x);
	return NULL;
}

/* The source tree this binary was built from, when it runs from there (make demo runs
 * build/iotdeck): its themes/ and keymaps/ are looked up before the installed ones, so
 * every shipped name works without make install. NULL otherwise (an installed binary),
 * and whenever the request names its own datadir (tests). */
static const char *
build_tree(const struct config_request *req)
{
#ifdef IOTDECK_SRCDIR
	static char *tree;
	static int done;
	char *exe;
	size_t n = strlen(IOTDECK_SRCDIR);

	if (req->datadir != NULL)
		return NULL;
	if (!done) {
		done = 1;
		exe = realpath("/proc/self/exe", NULL);
		if (exe != NULL && n > 1 && strncmp(exe, IOTDECK_SRCDIR, n) == 0 && exe[n] == '/')
			tree = xstrdup(IOTDECK_SRCDIR);
		free(exe);
	}
	return tree;
#else
	(void)req;
	return NULL;
#endif
}

static const char *
datadir(const struct config_request *req)
{
	return req->datadir != NULL ? req->datadir : IOTDECK_DATADIR;
}

static const char *
kind_dir(enum config_kind kind)
{
	return kind == CONFIG_THEME ? "themes" : "keymaps";
}

const char *
config_kind_name(enum config_kind kind)
{
	switch (kind) {
	case CONFIG_THEME:
		return "theme";
	case CONFIG_KEYMAP:
		return "keymap";
	case CONFIG_SETTINGS:
		break;
	}
	return "config";
}

/* Nonzero when name is a plain theme or keymap name (letters, digits, . _ + -, not
 * starting with a dot). */
int
config_plain_name(const char *name)
{
	const char *s;

	if (name[0] == '\0' || name[0] == '.' || strlen(name) > 64)
		return 0;
	for (s = name; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-' || *s == '+'))
			return 0;
	}
	return 1;
}

/* 0 when path is a regular file; else -1 with errno set. */
int
config_regular_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	return 0;
}

/* The built-in text of kind/name, or NULL. */
static const char *
builtin_text(enum config_kind kind, const char *name)
{
	if (strcmp(name, "default") != 0)
		return NULL;
	if (kind == CONFIG_THEME)
		return builtin_theme_default;
	if (kind == CONFIG_KEYMAP)
		return builtin_keymap_default;
	return NULL;
}

/* Finds the theme or keymap called name (plain): returns 1 with either *path (caller
 * frees) or *text and *file ("builtin:keymaps/default", caller frees), or 0. */
int
config_find_named(const struct config_request *req, enum config_kind kind, const char *name,
    char **path, const char **text, char **file)
{
	char *home = config_home(req);
	char *cand;

	*path = NULL;
	*text = NULL;
	*file = NULL;
	if (kind == CONFIG_SETTINGS || !config_plain_name(name))
		goto none;
	if (home != NULL) {
		cand = xasprintf("%s/iotdeck/%s/%s", home, kind_dir(kind), name);
		if (config_regular_file(cand) == 0) {
			*path = cand;
			free(home);
			return 1;
		}
		free(cand);
	}
	if (build_tree(req) != NULL) {
		cand = xasprintf("%s/%s/%s", build_tree(req), kind_dir(kind), name);
		if (config_regular_file(cand) == 0) {
			*path = cand;
			free(home);
			return 1;
		}
		free(cand);
	}
	cand = xasprintf("%s/%s/%s", datadir(req), kind_dir(kind), name);
	if (config_regular_file(cand) == 0) {
		*path = cand;
		free(home);
		return 1;
	}
	free(cand);
	if ((*text = builtin_text(kind, name)) != NULL) {
		*file = xasprintf("builtin:%s/%s", kind_dir(kind), name);
		free(home);
		return 1;
	}
none:
	free(home);
	return 0;
}

/* path with a leading ~/ expanded, or relative to the directory of base (when base is a
 * file and path is relative). Caller frees. */
char *
config_expand_path(const char *path, const char *base)
{
	const char *home, *slash;

	if (path[0] == '~' && path[1] == '/') {
		home = getenv("HOME");
		return xasprintf("%s%s", home != NULL ? home : "", path + 1);
	}
	if (path[0] == '/' || base == NULL || (slash = strrchr(base, '/')) == NULL)
		return xstrdup(path);
	return xasprintf("%.*s/%s", (int)(slash - base), base, path);
}

/* Loads the theme or keymap the settings name, falling back to the default one. */
static void
load_chosen(struct config *c, enum config_kind kind, const struct config_request *req)
{
	int which = kind == CONFIG_THEME ? 0 : 1;
	char **name = which == 0 ? &c->settings.theme : &c->settings.keymap;
	char **used = which == 0 ? &c->theme_file : &c->keymap_file;
	const char *origin = c->origin[which] != NULL ? c->origin[which] : "config";
	const char *text = NULL;
	char *path = NULL, *file = NULL, *home, *s;
	struct parse p;

	if (strchr(*name, '/') != NULL) {
		if (config_regular_file(*name) == 0)
			path = xstrdup(*name);
		else {
			s = config_shown(*name);
			config_add_error(c, origin, c->origin_line[which], "no %s '%s': %s; using the default",
			    config_kind_name(kind), s, strerror(errno));
			free(s);
		}
	} else if (!config_find_named(req, kind, *name, &path, &text, &file)) {
		home = config_home(req);
		s = config_shown(*name);
		config_add_error(c, origin, c->origin_line[which],
		    "no %s '%s' in %s/iotdeck/%s%s%s%s%s or %s/%s; using the default", config_kind_name(kind),
		    s, home != NULL ? home : "~/.config", kind_dir(kind),
		    build_tree(req) != NULL ? ", " : "", build_tree(req) != NULL ? build_tree(req) : "",
		    build_tree(req) != NULL ? "/" : "", build_tree(req) != NULL ? kind_dir(kind) : "",
		    datadir(req), kind_dir(kind));
		free(s);
		free(home);
	}
	if (path == NULL && text == NULL) {
		xstrset(name, "default");
		if (!config_find_named(req, kind, "default", &path, &text, &file)) {
			config_add_error(c, origin, c->origin_line[which], "no default %s is installed or built in",
			    config_kind_name(kind));
			return;
		}
	}
	config_parse_init(&p, c, kind, req);
	if (path != NULL) {
		xstrset(used, path);
		config_load_path(&p, path, NULL);
	} else {
		xstrset(used, file);
		config_parse_text(&p, file, 1, xstrdup(file), text, strlen(text));
	}
	config_parse_free(&p);
	free(path);
	free(file);
}

/* Sets what chose a theme or keymap from the command line. */
static void
choose(struct config *c, int which, const char *value, const char *flag)
{
	char **name = which == 0 ? &c->settings.theme : &c->settings.keymap;

	free(*name);
	*name = strchr(value, '/') != NULL ? config_expand_path(value, NULL) : xstrdup(value);
	xstrset(&c->origin[which], flag);
	c->origin_line[which] = 0;
}

struct config *
config_load(const struct config_request *req)
{
	struct config *c = config_new();
	struct parse p;
	struct where w;
	char *home, *path = NULL;
	uint32_t key;
	size_t i;

	config_parse_init(&p, c, CONFIG_SETTINGS, req);
	req = p.req;	/* the default places when req was NULL */
	p.defer = 1;
	if (req->config_file != NULL) {
		path = xstrdup(req->config_file);
	} else if ((home = config_home(req)) != NULL) {
		path = xasprintf("%s/iotdeck/config", home);
		free(home);
		if (config_regular_file(path) != 0 && errno == ENOENT) {
			free(path);
			path = NULL;
		}
	}
	if (path != NULL)
		config_load_path(&p, path, NULL);
	if (req->theme != NULL)
		choose(c, 0, req->theme, "--theme");
	if (req->keymap != NULL)
		choose(c, 1, req->keymap, "--keymap");
	load_chosen(c, CONFIG_THEME, req);
	load_chosen(c, CONFIG_KEYMAP, req);
	p.defer = 0;
	for (i = 0; i < p.ndeferred; i++) {
		w.file = p.deferred[i].file;
		w.line = p.deferred[i].line;
		w.load = p.deferred[i].load;
		w.builtin = 0;
		config_run_line(&p, &w, p.deferred[i].argc, p.deferred[i].argv);
	}
	config_parse_free(&p);
	if (config_action_keys(c, UI_P_GENERIC, UI_A_QUIT, &key, 1) == 0)
		config_add_error(c, c->keymap_file[0] != '\0' ? c->keymap_file : "keymap", 0, "no key quits iotdeck (the command :q still does)");
	free(path);
	return c;
}
