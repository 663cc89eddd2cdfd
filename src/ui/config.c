/* config.c — settings, themes and keymaps from text files (see config.h).
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
#include "ui/keys.h"

#ifndef IOTDECK_DATADIR
#define IOTDECK_DATADIR "/usr/local/share/iotdeck"
#endif

/* Largest file read (a theme or keymap is a few KiB). */
#define CONFIG_MAX_FILE (1024 * 1024)
/* Most words on one line. */
#define CONFIG_MAX_WORDS 16
/* Longest excerpt of a file's word echoed in a message. */
#define ECHO_MAX 40

static const struct named {
	const char *name;	/* as files write it */
	const char *help;	/* help line or title */
} actions[UI_A_COUNT] = {
#define UI_ACTION(id, name, help) { name, help },
#include "ui/actions.def"
#undef UI_ACTION
}, panes[UI_P_COUNT] = {
#define UI_PANE(id, name, title) { name, title },
#include "ui/panes.def"
#undef UI_PANE
};

/* One key bound in one pane. */
struct binding {
	uint32_t       key;	/* canonical key (keys.h) */
	enum ui_action action;	/* what it does */
	int            load;	/* the file load that bound it */
	int            line;	/* its line in that file */
};

/* A pane's bindings. */
struct bindings {
	struct binding *v;	/* in file order (owned) */
	size_t          n;	/* used */
	size_t          cap;	/* allocated */
};

struct config {
	struct config_settings settings;	/* the set options */
	struct theme           theme;		/* colours by element */
	struct bindings        keys[UI_P_COUNT];	/* bindings by pane */
	char                 **errors;		/* "file:line: message" (owned) */
	size_t                 nerrors;		/* errors kept */
	size_t                 errcap;		/* slots allocated */
	size_t                 found;		/* errors found, kept or not */
	int                    loads;		/* file loads so far (the last load number) */
	char                  *theme_file;	/* where the theme came from (owned) */
	char                  *keymap_file;	/* where the keymap came from (owned) */
	char                  *origin[2];	/* who chose the theme, the keymap: file (owned) */
	int                    origin_line[2];	/* ... and line (0: the command line) */
};

/* Where a line is. */
struct where {
	const char *file;	/* file name as messages show it */
	int         line;	/* line number, from 1 */
	int         load;	/* the load that is reading it */
	int         builtin;	/* the file is built in (no directory to source from) */
};

/* A config file line kept until the theme and keymap are loaded. */
struct deferred {
	char  *file;	/* file name for messages (owned) */
	int    line;	/* line number */
	int    load;	/* the load it came from */
	int    argc;	/* words */
	char **argv;	/* the words (owned) */
};

/* One load in progress. */
struct parse {
	struct config               *cfg;		/* what the lines change */
	const struct config_request *req;		/* lookup places (never NULL) */
	enum config_kind             kind;		/* the kind of file being read */
	char                        *stack[CONFIG_MAX_DEPTH];	/* real paths being read, outermost first (owned) */
	int                          depth;		/* entries in stack */
	int                          files;		/* files read by this load */
	int                          lines;		/* lines read by this load */
	int                          capped;		/* a cap was met: read no more */
	int                          defer;		/* keep color/bind/unbind of the config file */
	struct deferred             *deferred;		/* lines kept (owned) */
	size_t                       ndeferred;		/* used */
	size_t                       defcap;		/* allocated */
};

static const struct config_request no_request = { NULL, NULL, NULL, NULL, NULL };

static void run_line(struct parse *p, const struct where *w, int argc, char **argv);
static int load_path(struct parse *p, const char *path, const struct where *from);

/* ---- names ---------------------------------------------------------------------- */

const char *
config_action_name(enum ui_action a)
{
	return (unsigned)a < UI_A_COUNT ? actions[a].name : "?";
}

const char *
config_action_help(enum ui_action a)
{
	return (unsigned)a < UI_A_COUNT ? actions[a].help : "";
}

int
config_action_find(const char *name)
{
	int i;

	for (i = 0; i < UI_A_COUNT; i++) {
		if (strcmp(actions[i].name, name) == 0)
			return i;
	}
	return -1;
}

const char *
config_pane_name(enum ui_pane p)
{
	return (unsigned)p < UI_P_COUNT ? panes[p].name : "?";
}

const char *
config_pane_title(enum ui_pane p)
{
	return (unsigned)p < UI_P_COUNT ? panes[p].help : "";
}

int
config_pane_find(const char *name)
{
	int i;

	for (i = 0; i < UI_P_COUNT; i++) {
		if (strcmp(panes[i].name, name) == 0)
			return i;
	}
	return -1;
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

/* Adds "file:line: message" (line 0: "file: message") to c's errors. */
static void add_error(struct config *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_error(struct config *c, const char *file, int line, const char *fmt, ...)
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
static char *
shown(const char *word)
{
	return safetext_excerpt(word, strlen(word), ECHO_MAX);
}

/* Reports cause (and frees it) at w. */
static void
report(struct parse *p, const struct where *w, char *cause)
{
	add_error(p->cfg, w->file, w->line, "%s", cause);
	free(cause);
}

/* ---- bindings -------------------------------------------------------------------- */

static struct binding *
binding_find(const struct bindings *b, uint32_t key)
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

	if ((unsigned)pane < UI_P_COUNT && (b = binding_find(&c->keys[pane], key)) != NULL)
		return b->action;
	if ((b = binding_find(&c->keys[UI_P_GENERIC], key)) != NULL)
		return b->action;
	return UI_A_NONE;
}

int
config_pane_binding(const struct config *c, enum ui_pane pane, uint32_t key,
    enum ui_action *action)
{
	const struct binding *b;

	if ((unsigned)pane >= UI_P_COUNT || (b = binding_find(&c->keys[pane], key)) == NULL)
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
		if (pane != UI_P_GENERIC && binding_find(own, gen->v[i].key) != NULL)
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

static const char *
kind_name(enum config_kind kind)
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
static int
plain_name(const char *name)
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
static int
regular_file(const char *path)
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
static int
find_named(const struct config_request *req, enum config_kind kind, const char *name,
    char **path, const char **text, char **file)
{
	char *home = config_home(req);
	char *cand;

	*path = NULL;
	*text = NULL;
	*file = NULL;
	if (kind == CONFIG_SETTINGS || !plain_name(name))
		goto none;
	if (home != NULL) {
		cand = xasprintf("%s/iotdeck/%s/%s", home, kind_dir(kind), name);
		if (regular_file(cand) == 0) {
			*path = cand;
			free(home);
			return 1;
		}
		free(cand);
	}
	if (build_tree(req) != NULL) {
		cand = xasprintf("%s/%s/%s", build_tree(req), kind_dir(kind), name);
		if (regular_file(cand) == 0) {
			*path = cand;
			free(home);
			return 1;
		}
		free(cand);
	}
	cand = xasprintf("%s/%s/%s", datadir(req), kind_dir(kind), name);
	if (regular_file(cand) == 0) {
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
static char *
expand_path(const char *path, const char *base)
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

/* ---- reading -------------------------------------------------------------------- */

static void
parse_init(struct parse *p, struct config *c, enum config_kind kind,
    const struct config_request *req)
{
	memset(p, 0, sizeof *p);
	p->cfg = c;
	p->kind = kind;
	p->req = req != NULL ? req : &no_request;
}

static void
parse_free(struct parse *p)
{
	size_t i;
	int j;

	for (i = 0; i < p->ndeferred; i++) {
		for (j = 0; j < p->deferred[i].argc; j++)
			free(p->deferred[i].argv[j]);
		free(p->deferred[i].argv);
		free(p->deferred[i].file);
	}
	free(p->deferred);
	for (j = 0; j < p->depth; j++)
		free(p->stack[j]);
}

/* Splits line (modified in place) into words; returns their number, or -1 when there
 * are more than max. */
static int
split_words(char *line, char **argv, int max)
{
	char *s = line;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			return n;
		if (n == max)
			return -1;
		argv[n++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		if (*s != '\0')
			*s++ = '\0';
	}
}

/* Runs every line of text[0..len); file is the name in messages, id the identity for
 * loop detection (taken). */
static void
parse_text(struct parse *p, const char *file, int builtin, char *id, const char *text,
    size_t len)
{
	struct where w;
	char *argv[CONFIG_MAX_WORDS];
	char *line;
	size_t start = 0, end, n;
	int argc;

	p->stack[p->depth++] = id;
	p->files++;
	w.file = file;
	w.line = 0;
	w.load = ++p->cfg->loads;
	w.builtin = builtin;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		start = 3;	/* a UTF-8 byte order mark */
	while (start < len && !p->capped) {
		for (end = start; end < len && text[end] != '\n'; end++)
			;
		w.line++;
		if (++p->lines > CONFIG_MAX_LINES) {
			add_error(p->cfg, w.file, w.line, "more than %d lines in one load: the "
			    "rest is not read", CONFIG_MAX_LINES);
			p->capped = 1;
			break;
		}
		n = end - start;
		if (n > 0 && text[start + n - 1] == '\r')
			n--;
		if (memchr(text + start, '\0', n) != NULL) {
			add_error(p->cfg, w.file, w.line, "line holds a NUL byte");
		} else {
			line = xstrndup(text + start, n);
			argc = split_words(line, argv, CONFIG_MAX_WORDS);
			if (argc < 0)
				add_error(p->cfg, w.file, w.line, "too many words (more than %d)",
				    CONFIG_MAX_WORDS);
			else if (argc > 0)
				run_line(p, &w, argc, argv);
			free(line);
		}
		start = end + 1;
	}
	free(p->stack[--p->depth]);
	p->stack[p->depth] = NULL;
}

/* 0 when the file with identity id may be read from the source line at from; -1 (reported)
 * when it is already being read or the nesting is too deep. name is how messages show it. */
static int
can_enter(struct parse *p, const struct where *from, const char *id, const char *name)
{
	int i;

	if (p->capped)
		return -1;	/* reported once, where it happened */
	if (p->files >= CONFIG_MAX_FILES) {
		add_error(p->cfg, from->file, from->line, "more than %d files in one load: "
		    "'%s' and the rest are not read", CONFIG_MAX_FILES, name);
		p->capped = 1;
		return -1;
	}
	for (i = 0; i < p->depth; i++) {
		if (strcmp(p->stack[i], id) == 0) {
			add_error(p->cfg, from->file, from->line,
			    "source loop: '%s' is already being read", name);
			return -1;
		}
	}
	if (p->depth == CONFIG_MAX_DEPTH) {
		add_error(p->cfg, from->file, from->line,
		    "source nested too deeply (more than %d files)", CONFIG_MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* Reads the file at path and runs it; from is the source line that asked for it (NULL at
 * the top). Returns 0, or -1 when the file was not read (reported). */
static int
load_path(struct parse *p, const char *path, const struct where *from)
{
	char *id, *text = NULL;
	FILE *f = NULL;
	size_t len = 0, got, cap;
	struct stat st;

	if ((id = realpath(path, NULL)) == NULL)
		id = xstrdup(path);
	if (from != NULL && can_enter(p, from, id, path) != 0)
		goto fail;
	if (regular_file(path) != 0 || (f = fopen(path, "rb")) == NULL)
		goto read_error;
	/* As much memory as the file needs (it may grow while read: the cap still holds). */
	if (fstat(fileno(f), &st) != 0)
		goto read_error;
	cap = st.st_size > 0 && st.st_size < CONFIG_MAX_FILE ? (size_t)st.st_size + 1 :
	    CONFIG_MAX_FILE + 1;
	text = xmalloc(cap);
	while ((got = fread(text + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap && cap < CONFIG_MAX_FILE + 1) {
			cap = CONFIG_MAX_FILE + 1;
			text = xrealloc(text, cap);
		}
	}
	if (ferror(f))
		goto read_error;
	fclose(f);
	f = NULL;
	if (len > CONFIG_MAX_FILE) {
		if (from != NULL)
			add_error(p->cfg, from->file, from->line,
			    "cannot source '%s': larger than 1 MiB", path);
		else
			add_error(p->cfg, path, 0, "larger than 1 MiB; not read");
		goto fail;
	}
	parse_text(p, path, 0, id, text, len);
	free(text);
	return 0;

read_error:
	if (from != NULL)
		add_error(p->cfg, from->file, from->line, "cannot source '%s': %s", path,
		    strerror(errno));
	else
		add_error(p->cfg, path, 0, "cannot read: %s", strerror(errno));
fail:
	if (f != NULL)
		fclose(f);
	free(text);
	free(id);
	return -1;
}

/* ---- commands ------------------------------------------------------------------- */

static void
cmd_color(struct parse *p, const struct where *w, int argc, char **argv)
{
	struct theme_spec spec = { 0, 0, A_NORMAL, 1 };
	char *cause = NULL, *s;
	attr_t a;
	int e, i;

	if (argc < 4) {
		add_error(p->cfg, w->file, w->line, "color needs ELEMENT FG BG [ATTR...]");
		return;
	}
	if ((e = theme_element_find(argv[1])) < 0) {
		s = shown(argv[1]);
		add_error(p->cfg, w->file, w->line, "unknown element '%s'", s);
		free(s);
		return;
	}
	if (theme_parse_color(argv[2], &spec.fg, &cause) != 0 ||
	    theme_parse_color(argv[3], &spec.bg, &cause) != 0) {
		report(p, w, cause);
		return;
	}
	for (i = 4; i < argc; i++) {
		if (theme_parse_attr(argv[i], &a, &cause) != 0) {
			report(p, w, cause);
			return;
		}
		spec.attrs = a == A_NORMAL ? A_NORMAL : spec.attrs | a;
	}
	p->cfg->theme.el[e] = spec;
}

/* Parses the PANE and KEY words of bind and unbind; 0, or -1 (reported). */
static int
pane_and_key(struct parse *p, const struct where *w, char **argv, int *pane, uint32_t *key)
{
	char *cause = NULL, *s;

	if ((*pane = config_pane_find(argv[1])) < 0) {
		s = shown(argv[1]);
		add_error(p->cfg, w->file, w->line, "unknown pane '%s'", s);
		free(s);
		return -1;
	}
	if (keys_parse(argv[2], key, &cause) != 0) {
		report(p, w, cause);
		return -1;
	}
	return 0;
}

static void
cmd_bind(struct parse *p, const struct where *w, int argc, char **argv)
{
	struct bindings *bs;
	struct binding *b;
	char name[KEYS_NAME_MAX], *s;
	uint32_t key;
	int pane, action;

	if (argc != 4) {
		add_error(p->cfg, w->file, w->line, "bind needs PANE KEY ACTION");
		return;
	}
	if (pane_and_key(p, w, argv, &pane, &key) != 0)
		return;
	if ((action = config_action_find(argv[3])) < 0) {
		s = shown(argv[3]);
		add_error(p->cfg, w->file, w->line, "unknown action '%s'", s);
		free(s);
		return;
	}
	bs = &p->cfg->keys[pane];
	if ((b = binding_find(bs, key)) != NULL) {
		if (b->load == w->load && b->action != (enum ui_action)action) {
			keys_format(key, name, sizeof name);
			add_error(p->cfg, w->file, w->line,
			    "key '%s' in pane '%s' is bound to '%s' here and to '%s' at line %d",
			    name, config_pane_name(pane), config_action_name(action),
			    config_action_name(b->action), b->line);
		}
	} else {
		if (bs->n == bs->cap) {
			bs->cap = bs->cap ? bs->cap * 2 : 16;
			bs->v = xreallocarray(bs->v, bs->cap, sizeof *bs->v);
		}
		b = &bs->v[bs->n++];
		b->key = key;
	}
	b->action = action;
	b->load = w->load;
	b->line = w->line;
}

static void
cmd_unbind(struct parse *p, const struct where *w, int argc, char **argv)
{
	struct bindings *bs;
	struct binding *b;
	char name[KEYS_NAME_MAX];
	uint32_t key;
	int pane;

	if (argc != 3) {
		add_error(p->cfg, w->file, w->line, "unbind needs PANE KEY");
		return;
	}
	if (pane_and_key(p, w, argv, &pane, &key) != 0)
		return;
	bs = &p->cfg->keys[pane];
	if ((b = binding_find(bs, key)) == NULL) {
		keys_format(key, name, sizeof name);
		add_error(p->cfg, w->file, w->line, "key '%s' is not bound in pane '%s'", name,
		    config_pane_name(pane));
		return;
	}
	memmove(b, b + 1, (size_t)(bs->v + bs->n - (b + 1)) * sizeof *b);
	bs->n--;
}

static void
cmd_source(struct parse *p, const struct where *w, int argc, char **argv)
{
	const char *arg = argv[1], *text = NULL;
	char *cand, *path = NULL, *file = NULL, *s;
	int err = ENOENT;

	if (argc != 2) {
		add_error(p->cfg, w->file, w->line, "source needs FILE");
		return;
	}
	/* A built-in file has no directory: only absolute and ~/ paths are files for it. */
	if (!w->builtin || arg[0] == '/' || arg[0] == '~') {
		cand = expand_path(arg, w->builtin ? NULL : w->file);
		if (regular_file(cand) == 0) {
			load_path(p, cand, w);
			free(cand);
			return;
		}
		err = errno;
		free(cand);
	}
	if (find_named(p->req, p->kind, arg, &path, &text, &file)) {
		if (path != NULL)
			load_path(p, path, w);
		else if (can_enter(p, w, file, file) == 0)
			parse_text(p, file, 1, xstrdup(file), text, strlen(text));
		free(path);
		free(file);
		return;
	}
	s = shown(arg);
	add_error(p->cfg, w->file, w->line, "cannot source '%s': %s", s, strerror(err));
	free(s);
}

/* The set options. */
enum setting_type {
	SET_NAME,	/* a name or path */
	SET_BOOL,	/* on/off */
	SET_INT,	/* a whole number in [min, max] */
	SET_DURATION,	/* N (minutes), Ns, Nm or Nh, kept in seconds within [min, max] */
	SET_CHOICE,	/* one word of choices, kept as its index */
	SET_FILE	/* a file (~/, relative to the file that says it), or off: "" */
};

/* The words of time-format, in the order of enum timefmt_style. */
static const char *const time_formats[] = { "local", "utc", "iso", NULL };

static const struct setting {
	const char         *name;	/* as the config file writes it */
	enum setting_type   type;	/* kind of value */
	int                 min;	/* smallest value (SET_INT) */
	int                 max;	/* largest value (SET_INT) */
	const char         *unit;	/* unit in messages (SET_INT) */
	size_t              offset;	/* field in struct config_settings */
	const char *const  *choices;	/* the words of a SET_CHOICE, NULL-terminated */
} settings[] = {
	{ "theme",            SET_NAME, 0, 0,    NULL,      offsetof(struct config_settings, theme), NULL },
	{ "keymap",           SET_NAME, 0, 0,    NULL,      offsetof(struct config_settings, keymap), NULL },
	{ "idle-lock",        SET_DURATION, 0, 86400,  "seconds", offsetof(struct config_settings, idle_lock), NULL },
	{ "lock-max",         SET_DURATION, 0, 604800, "seconds", offsetof(struct config_settings, lock_max), NULL },
	{ "mouse",            SET_BOOL, 0, 1,    NULL,      offsetof(struct config_settings, mouse), NULL },
	{ "refresh-interval", SET_INT,  1, 3600, "seconds", offsetof(struct config_settings, refresh_interval), NULL },
	{ "time-format",      SET_CHOICE, 0, 0,  NULL,      offsetof(struct config_settings, time_format), time_formats },
	{ "audit-log",        SET_FILE, 0, 0,    NULL,      offsetof(struct config_settings, audit_log), NULL },
};

/* Parses a whole decimal number in [min, max]; 0 or -1. */
static int
parse_int(const char *s, int min, int max, int *out)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 9)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static void
cmd_set(struct parse *p, const struct where *w, int argc, char **argv)
{
	const struct setting *st = NULL;
	char *field, *s, *value;
	size_t i;
	int v, which;

	if (argc == 4 && strcmp(argv[2], "=") == 0)
		argv[2] = argv[3];
	else if (argc != 3) {
		add_error(p->cfg, w->file, w->line, "set needs OPTION VALUE");
		return;
	}
	value = argv[2];
	for (i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		if (strcmp(settings[i].name, argv[1]) == 0)
			st = &settings[i];
	}
	if (st == NULL) {
		s = shown(argv[1]);
		add_error(p->cfg, w->file, w->line, "unknown option '%s'", s);
		free(s);
		return;
	}
	field = (char *)&p->cfg->settings + st->offset;
	switch (st->type) {
	case SET_NAME:
		if (!plain_name(value) && strchr(value, '/') == NULL) {
			s = shown(value);
			add_error(p->cfg, w->file, w->line,
			    "%s must be a name or a path, not '%s'", st->name, s);
			free(s);
			return;
		}
		free(*(char **)field);
		*(char **)field = strchr(value, '/') != NULL ?
		    expand_path(value, w->builtin ? NULL : w->file) : xstrdup(value);
		which = strcmp(st->name, "theme") == 0 ? 0 : 1;
		xstrset(&p->cfg->origin[which], w->file);
		p->cfg->origin_line[which] = w->line;
		break;
	case SET_BOOL:
		if (strcmp(value, "on") == 0 || strcmp(value, "yes") == 0 ||
		    strcmp(value, "true") == 0)
			v = 1;
		else if (strcmp(value, "off") == 0 || strcmp(value, "no") == 0 ||
		    strcmp(value, "false") == 0)
			v = 0;
		else {
			s = shown(value);
			add_error(p->cfg, w->file, w->line, "%s must be on or off, not '%s'",
			    st->name, s);
			free(s);
			return;
		}
		*(int *)field = v;
		break;
	case SET_DURATION: {
		size_t len = strlen(value);
		int mult = 60;
		char *num = xstrdup(value);

		if (len > 1 && strchr("smh", value[len - 1]) != NULL) {
			mult = value[len - 1] == 's' ? 1 : value[len - 1] == 'm' ? 60 : 3600;
			num[len - 1] = '\0';
		}
		if (parse_int(num, 0, st->max, &v) != 0 || v > st->max / mult) {
			free(num);
			s = shown(value);
			add_error(p->cfg, w->file, w->line, "%s must be a duration like 15 (minutes), "
			    "90s, 30m or 8h, at most %d hours, not '%s'", st->name, st->max / 3600, s);
			free(s);
			return;
		}
		free(num);
		*(int *)field = v * mult;
		break;
	}
	case SET_FILE:
		free(*(char **)field);
		*(char **)field = strcmp(value, "off") == 0 ? xstrdup("") :
		    expand_path(value, w->builtin ? NULL : w->file);
		break;
	case SET_CHOICE:
		for (v = 0; st->choices[v] != NULL; v++)
			if (strcmp(st->choices[v], value) == 0)
				break;
		if (st->choices[v] == NULL) {
			struct buf words = BUF_INIT;

			for (i = 0; st->choices[i] != NULL; i++)
				buf_addf(&words, "%s%s", i == 0 ? "" : st->choices[i + 1] ? ", " :
				    " or ", st->choices[i]);
			s = shown(value);
			add_error(p->cfg, w->file, w->line, "%s must be %s, not '%s'", st->name,
			    buf_str(&words), s);
			free(s);
			buf_free(&words);
			return;
		}
		*(int *)field = v;
		break;
	case SET_INT:
		if (parse_int(value, st->min, st->max, &v) != 0) {
			s = shown(value);
			add_error(p->cfg, w->file, w->line, "%s must be %s from %d to %d, not '%s'",
			    st->name, st->unit, st->min, st->max, s);
			free(s);
			return;
		}
		*(int *)field = v;
		break;
	}
}

/* Keeps a config file line for after the theme and keymap. */
static void
defer_line(struct parse *p, const struct where *w, int argc, char **argv)
{
	struct deferred *d;
	int i;

	if (p->ndeferred == p->defcap) {
		p->defcap = p->defcap ? p->defcap * 2 : 8;
		p->deferred = xreallocarray(p->deferred, p->defcap, sizeof *p->deferred);
	}
	d = &p->deferred[p->ndeferred++];
	d->file = xstrdup(w->file);
	d->line = w->line;
	d->load = w->load;
	d->argc = argc;
	d->argv = xcalloc((size_t)argc, sizeof *d->argv);
	for (i = 0; i < argc; i++)
		d->argv[i] = xstrdup(argv[i]);
}

static const struct command {
	const char *name;		/* first word of the line */
	unsigned    kinds;		/* 1 << enum config_kind where it is allowed */
	int         deferred;		/* in the config file, runs after theme and keymap */
	void      (*run)(struct parse *, const struct where *, int, char **);	/* runs it */
} commands[] = {
	{ "color",  1u << CONFIG_THEME | 1u << CONFIG_SETTINGS, 1, cmd_color },
	{ "bind",   1u << CONFIG_KEYMAP | 1u << CONFIG_SETTINGS, 1, cmd_bind },
	{ "unbind", 1u << CONFIG_KEYMAP | 1u << CONFIG_SETTINGS, 1, cmd_unbind },
	{ "set",    1u << CONFIG_SETTINGS, 0, cmd_set },
	{ "source", 1u << CONFIG_THEME | 1u << CONFIG_KEYMAP | 1u << CONFIG_SETTINGS, 0,
	  cmd_source },
};

static void
run_line(struct parse *p, const struct where *w, int argc, char **argv)
{
	const struct command *cmd = NULL;
	char *s;
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(commands[i].name, argv[0]) == 0)
			cmd = &commands[i];
	}
	if (cmd == NULL) {
		s = shown(argv[0]);
		add_error(p->cfg, w->file, w->line, "unknown command '%s'", s);
		free(s);
		return;
	}
	if (!(cmd->kinds & (1u << p->kind))) {
		add_error(p->cfg, w->file, w->line, "'%s' does not belong in a %s file",
		    cmd->name, kind_name(p->kind));
		return;
	}
	if (p->defer && p->kind == CONFIG_SETTINGS && cmd->deferred) {
		defer_line(p, w, argc, argv);
		return;
	}
	cmd->run(p, w, argc, argv);
}

/* ---- loading -------------------------------------------------------------------- */

int
config_load_file(struct config *c, enum config_kind kind, const char *path,
    const struct config_request *req)
{
	struct parse p;
	size_t before = c->found;

	parse_init(&p, c, kind, req);
	load_path(&p, path, NULL);
	parse_free(&p);
	return (int)(c->found - before);
}

int
config_load_text(struct config *c, enum config_kind kind, const char *file,
    const char *text, size_t len, const struct config_request *req)
{
	struct parse p;
	size_t before = c->found;

	parse_init(&p, c, kind, req);
	parse_text(&p, file, 0, xstrdup(file), text, len);
	parse_free(&p);
	return (int)(c->found - before);
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
		if (regular_file(*name) == 0)
			path = xstrdup(*name);
		else {
			s = shown(*name);
			add_error(c, origin, c->origin_line[which], "no %s '%s': %s; using the default",
			    kind_name(kind), s, strerror(errno));
			free(s);
		}
	} else if (!find_named(req, kind, *name, &path, &text, &file)) {
		home = config_home(req);
		s = shown(*name);
		add_error(c, origin, c->origin_line[which],
		    "no %s '%s' in %s/iotdeck/%s%s%s%s%s or %s/%s; using the default", kind_name(kind),
		    s, home != NULL ? home : "~/.config", kind_dir(kind),
		    build_tree(req) != NULL ? ", " : "", build_tree(req) != NULL ? build_tree(req) : "",
		    build_tree(req) != NULL ? "/" : "", build_tree(req) != NULL ? kind_dir(kind) : "",
		    datadir(req), kind_dir(kind));
		free(s);
		free(home);
	}
	if (path == NULL && text == NULL) {
		xstrset(name, "default");
		if (!find_named(req, kind, "default", &path, &text, &file)) {
			add_error(c, origin, c->origin_line[which], "no default %s is installed or built in",
			    kind_name(kind));
			return;
		}
	}
	parse_init(&p, c, kind, req);
	if (path != NULL) {
		xstrset(used, path);
		load_path(&p, path, NULL);
	} else {
		xstrset(used, file);
		parse_text(&p, file, 1, xstrdup(file), text, strlen(text));
	}
	parse_free(&p);
	free(path);
	free(file);
}

/* Sets what chose a theme or keymap from the command line. */
static void
choose(struct config *c, int which, const char *value, const char *flag)
{
	char **name = which == 0 ? &c->settings.theme : &c->settings.keymap;

	free(*name);
	*name = strchr(value, '/') != NULL ? expand_path(value, NULL) : xstrdup(value);
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

	if (req == NULL)
		req = &no_request;
	parse_init(&p, c, CONFIG_SETTINGS, req);
	p.defer = 1;
	if (req->config_file != NULL) {
		path = xstrdup(req->config_file);
	} else if ((home = config_home(req)) != NULL) {
		path = xasprintf("%s/iotdeck/config", home);
		free(home);
		if (regular_file(path) != 0 && errno == ENOENT) {
			free(path);
			path = NULL;
		}
	}
	if (path != NULL)
		load_path(&p, path, NULL);
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
		run_line(&p, &w, p.deferred[i].argc, p.deferred[i].argv);
	}
	parse_free(&p);
	if (config_action_keys(c, UI_P_GENERIC, UI_A_QUIT, &key, 1) == 0)
		add_error(c, c->keymap_file[0] != '\0' ? c->keymap_file : "keymap", 0, "no key quits iotdeck (the command :q still does)");
	free(path);
	return c;
}
