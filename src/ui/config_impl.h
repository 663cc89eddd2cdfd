/* config_impl.h — what config.c (the config object, names, lookup, loading) and
 * config_parse.c (reading files: lines, words and their commands) share. Private to them.
 */
#ifndef IOTDECK_UI_CONFIG_IMPL_H
#define IOTDECK_UI_CONFIG_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "ui/config.h"

/* Largest file read (a theme or keymap is a few KiB). */
#define CONFIG_MAX_FILE (1024 * 1024)
/* Most words on one line. */
#define CONFIG_MAX_WORDS 16
/* Longest excerpt of a file's word echoed in a message. */
#define ECHO_MAX 40


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

/* --- config.c ---------------------------------------------------------------------- */

/* Adds "file:line: message" (line 0: "file: message") to c's errors. */
void config_add_error(struct config *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A display-safe excerpt of a word from a file, for messages (caller frees). */
char *config_shown(const char *word);
/* The binding of key in b, or NULL. */
struct binding *config_binding_find(const struct bindings *b, uint32_t key);
/* "theme", "keymap" or "config". */
const char *config_kind_name(enum config_kind kind);
/* Nonzero when name is a plain theme or keymap name (letters, digits, . _ + -, not
 * starting with a dot). */
int config_plain_name(const char *name);
/* 0 when path is a regular file; else -1 with errno set. */
int config_regular_file(const char *path);
/* Finds the theme or keymap called name (plain): returns 1 with either *path (caller
 * frees) or *text and *file ("builtin:keymaps/default", caller frees), or 0. */
int config_find_named(const struct config_request *req, enum config_kind kind,
    const char *name, char **path, const char **text, char **file);
/* path with a leading ~/ expanded, or relative to the directory of base (when base is a
 * file and path is relative). Caller frees. */
char *config_expand_path(const char *path, const char *base);

/* --- config_parse.c ---------------------------------------------------------------- */

/* Starts a load of kind into c; req NULL: the default places. */
void config_parse_init(struct parse *p, struct config *c, enum config_kind kind,
    const struct config_request *req);
/* Frees what a load kept (its deferred lines, its file stack). */
void config_parse_free(struct parse *p);
/* Runs every line of text[0..len); file is the name in messages, id the identity for
 * loop detection (taken); builtin: the text has no directory to source from. */
void config_parse_text(struct parse *p, const char *file, int builtin, char *id,
    const char *text, size_t len);
/* Reads the file at path and runs it; from is the source line that asked for it (NULL at
 * the top). Returns 0, or -1 when the file was not read (reported). */
int config_load_path(struct parse *p, const char *path, const struct where *from);
/* Runs one line of words (a deferred line of the config file, when p->defer is 0). */
void config_run_line(struct parse *p, const struct where *w, int argc, char **argv);

#endif
