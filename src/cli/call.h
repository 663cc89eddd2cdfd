/* call.h — `iotdeck call ACTION [Name=Value ...]`: one signed call, JSON on stdout. */
#ifndef IOTDECK_CALL_H
#define IOTDECK_CALL_H

#include "cli/options.h"

/* Runs the call command; words[0] is "call". Returns an enum exit_status. */
int cmd_call(const struct global_opts *o, char **words, int nwords);

/* Parses "Name=Value" into params. Returns 0, or -1 with a caller-freed message in *cause
 * (malformed argument, or a common parameter that iotdeck sets itself). */
int call_parse_param(const char *arg, struct params *p, char **cause);

/* Writes json to f as indented JSON with a final newline, through core/jsonout: strings
 * display-safe as \uXXXX escapes, invalid UTF-8 as U+FFFD, so the answer is valid JSON
 * and inert on any terminal. */
void call_print_json(FILE *f, const cJSON *json);

#endif
