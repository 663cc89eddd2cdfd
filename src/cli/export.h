/* export.h — `iotdeck export devices|products|groups`: every item of a list, streamed to
 * CSV or JSON as the pages arrive, with progress on stderr. */
#ifndef IOTDECK_EXPORT_H
#define IOTDECK_EXPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli/options.h"

/* Exit status of an export interrupted by Ctrl-C (128 + SIGINT, as shells report it). */
#define EXPORT_EXIT_INTERRUPTED 130

/* Runs the export command; words[0] is "export", words[1] the kind, then the command's
 * options (--product PK, --format csv|json, --output FILE or -o FILE). Returns an enum
 * exit_status, or EXPORT_EXIT_INTERRUPTED. */
int cmd_export(const struct global_opts *o, char **words, int nwords);

/* Writes one CSV field to f (RFC 4180: quoted when it holds a comma, quote, CR or LF;
 * quotes doubled). A field starting with = + - @ tab CR or LF (OWASP's CSV injection
 * list) is prefixed with ' so that a spreadsheet does not run it as a formula. With
 * display_safe (the output is a terminal) the text is first made display-safe
 * (core/safetext.h: controls, escape sequences, bidi and invisible characters, invalid
 * UTF-8 become placeholders); without, the bytes are kept as they are (a file keeps the
 * data). NULL writes an empty field. */
void export_csv_write_field(FILE *f, const char *s, int display_safe);
/* export_csv_write_field for a file (display_safe 0). */
void export_csv_field(FILE *f, const char *s);

/* The columns exported for a kind ("devices", "products", "groups"), NULL-terminated;
 * NULL for an unknown kind. */
const char *const *export_columns(const char *kind);

/* Writes one item as a CSV row of the kind's columns (with the CRLF), each field as
 * export_csv_write_field writes it. */
void export_csv_write_row(FILE *f, const char *kind, const cJSON *item, int display_safe);
/* export_csv_write_row for a file (display_safe 0). */
void export_csv_row(FILE *f, const char *kind, const cJSON *item);

#endif
