/* audit.h (cli) — `iotdeck audit [--since DURATION] [--json]`: the audit log (op/audit.h)
 * as a table, or its lines as JSON.
 *
 * The log is --audit-log FILE, else the default place. --since 90s, 30m, 8h or 7d keeps
 * the lines of that last stretch of time. The table has TIME (UTC, as logged), OPERATION,
 * ACTION, DEVICE, OUTCOME and DETAIL (code, message, RequestId), every cell display-safe,
 * cut to the terminal's width on a terminal; --json writes each kept line again through
 * core/jsonout (inert on a terminal). Lines that are not audit records are skipped and
 * counted on standard error. Exit status 0, 2 usage error, 4 the log cannot be read.
 */
#ifndef IOTDECK_CLI_AUDIT_H
#define IOTDECK_CLI_AUDIT_H

#include <stdint.h>

#include "cli/options.h"

/* Runs the command; words[0] is "audit". Returns an exit status. */
int cmd_audit(const struct global_opts *o, char **words, int nwords);

/* Parses a duration "N", "Ns", "Nm", "Nh" or "Nd" (N seconds without a unit) into
 * milliseconds. Returns 0, or -1 when s is not one (or is over 100 years). */
int audit_parse_duration(const char *s, int64_t *ms);

#endif
