/* config_parse.c — reading a settings, theme or keymap file: lines split into words, each
 * line run by one command (color, bind, unbind, source, set; the settings table is here),
 * source files followed with loops and depth refused. A command that finds a problem adds
 * "file:line: message" and changes nothing. The DESIGN is in config.c's opening comment.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "ui/config.h"
#include "ui/config_impl.h"
#include "ui/keys.h"

static const struct config_request no_request = { NULL, NULL, NULL, NULL, NULL };

/* Reports cause (and frees it) at w. */
static void
report(struct parse *p, const struct where *w, char *cause)
{
	config_add_error(p->cfg, w->file, w->line, "%s", cause);
	free(cause);
}

static void word_error(struct parse *p, const struct where *w, const char *word,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reports at w the message made from fmt followed by " 'WORD'" (a display-safe excerpt of
 * the file's word). */
static void
word_error(struct parse *p, const struct where *w, const char *word, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	char *s = config_shown(word);

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	config_add_error(p->cfg, w->file, w->line, "%s '%s'", buf_str(&b), s);
	free(s);
	buf_free(&b);
}

/* ---- reading -------------------------------------------------------------------- */

void
config_parse_init(struct parse *p, struct config *c, enum config_kind kind,
    const struct config_request *req)
{
	memset(p, 0, sizeof *p);
	p->cfg = c;
	p->kind = kind;
	p->req = req != NULL ? req : &no_request;
}

void
config_parse_free(struct parse *p)
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
void
config_parse_text(struct parse *p, const char *file, int builtin, char *id, const char *text,
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
			config_add_error(p->cfg, w.file, w.line, "more than %d lines in one load: the "
			    "rest is not read", CONFIG_MAX_LINES);
			p->capped = 1;
			break;
		}
		n = end - start;
		if (n > 0 && text[start + n - 1] == '\r')
			n--;
		if (memchr(text + start, '\0', n) != NULL) {
			config_add_error(p->cfg, w.file, w.line, "line holds a NUL byte");
		} else {
			line = xstrndup(text + start, n);
			argc = split_words(line, argv, CONFIG_MAX_WORDS);
			if (argc < 0)
				config_add_error(p->cfg, w.file, w.line, "too many words (more than %d)",
				    CONFIG_MAX_WORDS);
			else if (argc > 0)
				config_run_line(p, &w, argc, argv);
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
		config_add_error(p->cfg, from->file, from->line, "more than %d files in one load: "
		    "'%s' and the rest are not read", CONFIG_MAX_FILES, name);
		p->capped = 1;
		return -1;
	}
	for (i = 0; i < p->depth; i++) {
		if (strcmp(p->stack[i], id) == 0) {
			config_add_error(p->cfg, from->file, from->line,
			    "source loop: '%s' is already being read", name);
			return -1;
		}
	}
	if (p->depth == CONFIG_MAX_DEPTH) {
		config_add_error(p->cfg, from->file, from->line,
		    "source nested too deeply (more than %d files)", CONFIG_MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* Reads the file at path and runs it; from is the source line that asked for it (NULL at
 * the top). Returns 0, or -1 when the file was not read (reported). */
int
config_load_path(struct parse *p, const char *path, const struct where *from)
{
	char *id, *text = NULL;
	FILE *f = NULL;
	size_t len = 0, got, cap;
	struct stat st;

	if ((id = realpath(path, NULL)) == NULL)
		id = xstrdup(path);
	if (from != NULL && can_enter(p, from, id, path) != 0)
		goto fail;
	if (config_regular_file(path) != 0 || (f = fopen(path, "rb")) == NULL)
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
			config_add_error(p->cfg, from->file, from->line,
			    "cannot source '%s': larger than 1 MiB", path);
		else
			config_add_error(p->cfg, path, 0, "larger than 1 MiB; not read");
		goto fail;
	}
	config_parse_text(p, path, 0, id, text, len);
	free(text);
	return 0;

read_error:
	if (from != NULL)
		config_add_error(p->cfg, from->file, from->line, "cannot source '%s': %s", path,
		    strerror(errno));
	else
		config_add_error(p->cfg, path, 0, "cannot read: %s", strerror(errno));
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
	char *cause = NULL;
	attr_t a;
	int e, i;

	if (argc < 4) {
		config_add_error(p->cfg, w->file, w->line, "color needs ELEMENT FG BG [ATTR...]");
		return;
	}
	if ((e = theme_element_find(argv[1])) < 0) {
		word_error(p, w, argv[1], "unknown element");
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
	char *cause = NULL;

	if ((*pane = config_pane_find(argv[1])) < 0) {
		word_error(p, w, argv[1], "unknown pane");
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
	char name[KEYS_NAME_MAX];
	uint32_t key;
	int pane, action;

	if (argc != 4) {
		config_add_error(p->cfg, w->file, w->line, "bind needs PANE KEY ACTION");
		return;
	}
	if (pane_and_key(p, w, argv, &pane, &key) != 0)
		return;
	if ((action = config_action_find(argv[3])) < 0) {
		word_error(p, w, argv[3], "unknown action");
		return;
	}
	bs = &p->cfg->keys[pane];
	if ((b = config_binding_find(bs, key)) != NULL) {
		if (b->load == w->load && b->action != (enum ui_action)action) {
			keys_format(key, name, sizeof name);
			config_add_error(p->cfg, w->file, w->line,
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
		config_add_error(p->cfg, w->file, w->line, "unbind needs PANE KEY");
		return;
	}
	if (pane_and_key(p, w, argv, &pane, &key) != 0)
		return;
	bs = &p->cfg->keys[pane];
	if ((b = config_binding_find(bs, key)) == NULL) {
		keys_format(key, name, sizeof name);
		config_add_error(p->cfg, w->file, w->line, "key '%s' is not bound in pane '%s'", name,
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
		config_add_error(p->cfg, w->file, w->line, "source needs FILE");
		return;
	}
	/* A built-in file has no directory: only absolute and ~/ paths are files for it. */
	if (!w->builtin || arg[0] == '/' || arg[0] == '~') {
		cand = config_expand_path(arg, w->builtin ? NULL : w->file);
		if (config_regular_file(cand) == 0) {
			config_load_path(p, cand, w);
			free(cand);
			return;
		}
		err = errno;
		free(cand);
	}
	if (config_find_named(p->req, p->kind, arg, &path, &text, &file)) {
		if (path != NULL)
			config_load_path(p, path, w);
		else if (can_enter(p, w, file, file) == 0)
			config_parse_text(p, file, 1, xstrdup(file), text, strlen(text));
		free(path);
		free(file);
		return;
	}
	s = config_shown(arg);
	config_add_error(p->cfg, w->file, w->line, "cannot source '%s': %s", s, strerror(err));
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
	char *field, *value;
	size_t i;
	int v, which;

	if (argc == 4 && strcmp(argv[2], "=") == 0)
		argv[2] = argv[3];
	else if (argc != 3) {
		config_add_error(p->cfg, w->file, w->line, "set needs OPTION VALUE");
		return;
	}
	value = argv[2];
	for (i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		if (strcmp(settings[i].name, argv[1]) == 0)
			st = &settings[i];
	}
	if (st == NULL) {
		word_error(p, w, argv[1], "unknown option");
		return;
	}
	field = (char *)&p->cfg->settings + st->offset;
	switch (st->type) {
	case SET_NAME:
		if (!config_plain_name(value) && strchr(value, '/') == NULL) {
			word_error(p, w, value, "%s must be a name or a path, not", st->name);
			return;
		}
		free(*(char **)field);
		*(char **)field = strchr(value, '/') != NULL ?
		    config_expand_path(value, w->builtin ? NULL : w->file) : xstrdup(value);
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
			word_error(p, w, value, "%s must be on or off, not", st->name);
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
			word_error(p, w, value, "%s must be a duration like 15 (minutes), 90s, 30m "
			    "or 8h, at most %d hours, not", st->name, st->max / 3600);
			return;
		}
		free(num);
		*(int *)field = v * mult;
		break;
	}
	case SET_FILE:
		free(*(char **)field);
		*(char **)field = strcmp(value, "off") == 0 ? xstrdup("") :
		    config_expand_path(value, w->builtin ? NULL : w->file);
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
			word_error(p, w, value, "%s must be %s, not", st->name, buf_str(&words));
			buf_free(&words);
			return;
		}
		*(int *)field = v;
		break;
	case SET_INT:
		if (parse_int(value, st->min, st->max, &v) != 0) {
			word_error(p, w, value, "%s must be %s from %d to %d, not", st->name,
			    st->unit, st->min, st->max);
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

void
config_run_line(struct parse *p, const struct where *w, int argc, char **argv)
{
	const struct command *cmd = NULL;
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(commands[i].name, argv[0]) == 0)
			cmd = &commands[i];
	}
	if (cmd == NULL) {
		word_error(p, w, argv[0], "unknown command");
		return;
	}
	if (!(cmd->kinds & (1u << p->kind))) {
		config_add_error(p->cfg, w->file, w->line, "'%s' does not belong in a %s file",
		    cmd->name, config_kind_name(p->kind));
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

	config_parse_init(&p, c, kind, req);
	config_load_path(&p, path, NULL);
	config_parse_free(&p);
	return (int)(c->found - before);
}

int
config_load_text(struct config *c, enum config_kind kind, const char *file,
    const char *text, size_t len, const struct config_request *req)
{
	struct parse p;
	size_t before = c->found;

	config_parse_init(&p, c, kind, req);
	config_parse_text(&p, file, 0, xstrdup(file), text, len);
	config_parse_free(&p);
	return (int)(c->found - before);
}

