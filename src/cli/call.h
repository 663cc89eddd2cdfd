/* call.h — `iotdeck call ACTION [Name=Value ...]`: one signed call, JSON on stdout. */
#ifndef IOTDECK_CALL_H
#define IOTDECK_CALL_H

#include "cli/options.h"

/* Runs the call command; words[0] is "call". Returns an enum exit_status. */
int cmd_call(const struct global_opts *o, char **words, int nwords);

/* Parses "Name=Value" into params. Returns 0, or -1 with a caller-freed message in *cause
 * (malformed argument, or a common parameter that iotdeck sets itself). */
int call_parse_param(const char *arg, struct params *p, char **cause);

/* Writes json to f as indented JSON (two spaces per level) with a final newline. */
void call_print_json(FILE *f, const cJSON *json);

#endif
