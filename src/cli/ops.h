/* ops.h — `iotdeck set` and `iotdeck invoke`: one write on many devices from the command
 * line, through the operations engine (op/op.h) and the audit log (op/audit.h), paced by
 * the worker's throttle like the console's.
 *
 *   iotdeck set TARGET... ID=VALUE...             SetDeviceProperty
 *   iotdeck invoke TARGET... SERVICE [ARG=VALUE...]   InvokeThingService
 *
 * TARGET: see cli/targets.h. Every value is checked against each product's published
 * thing model (GetThingModelTslPublished, api/model.h + api/tslvalue.h) before anything
 * is sent; a bad value names the product and the reason, and nothing is sent.
 *
 * Output: one line per device as its result comes -- a table (DEVICE, OUTCOME, DETAIL;
 * display-safe, cut to the terminal's width on a terminal), or with --json one JSON
 * object a line with the audit log's fields, "outcome" also "not-sent", and "data" (the
 * answer's Data: a sync service's output decoded). A summary on standard error.
 *
 * Exit status: 0 every device succeeded; 3 some outcome is unknown (sent, no answer);
 * else 130 interrupted (Ctrl-C: what had not been sent was not, and is listed "not-sent");
 * else 1 some device failed or was not sent; 2 usage error or a value the thing model
 * refuses; 4 configuration error (credentials, the audit log, a read-only session).
 * Reading what the write needs (groups, IotIds, thing models) failing: `call`'s statuses
 * (1 an API error, 3 no usable answer), nothing sent.
 */
#ifndef IOTDECK_OPS_H
#define IOTDECK_OPS_H

#include <signal.h>

#include "api/client.h"
#include "api/worker.h"
#include "cli/options.h"
#include "core/buf.h"
#include "op/audit.h"
#include "op/op.h"

/* Exit status when the command was interrupted (as export's). */
#define OPS_EXIT_INTERRUPTED 130

/* Run the commands; words[0] is "set" or "invoke". Return an exit status. */
int cmd_set(const struct global_opts *o, char **words, int nwords);
int cmd_invoke(const struct global_opts *o, char **words, int nwords);

/* The exit status of a finished operation (above). */
int ops_exit_status(const struct op_counts *c, int interrupted);

/* ---- what the commands that write share (`set`, `invoke`, `ota ...`: cli/ota_run.c) -- */

/* Set by SIGINT/SIGTERM/SIGHUP while ops_signals_install's handlers are in place: 1 on
 * the first, 2 on the second (and later). */
extern volatile sig_atomic_t ops_interrupted;

#define OPS_NSIGNALS 3
/* The dispositions ops_signals_install replaced. */
struct ops_signals {
	struct sigaction old[OPS_NSIGNALS];	/* SIGINT, SIGTERM, SIGHUP's */
	struct sigaction old_pipe;		/* SIGPIPE's (ignored meanwhile) */
	int              installed;		/* ops_signals_restore has work */
};
/* Clears ops_interrupted and counts SIGINT, SIGTERM and SIGHUP in it (no SA_RESTART:
 * waits return at once); ignores SIGPIPE (a closed standard output must not kill a batch
 * with writes on the wire). s zeroed or installed. */
void ops_signals_install(struct ops_signals *s);
/* Puts back what ops_signals_install replaced; harmless when it did not run (s zeroed). */
void ops_signals_restore(struct ops_signals *s);

/* Resolves the configuration (opts_resolve_config) into cfg (initialised by the caller,
 * who frees it). Returns EXIT_OK, or the exit status after printing "iotdeck: why". */
int ops_config(const struct global_opts *o, struct api_config *cfg);

/* Resolves the configuration into cfg (initialised by the caller, who frees it), opens the
 * audit log when writes names the write action (and --audit-log is not off) before any
 * thread starts, starts a worker of transfers requests on the wire, and refuses a
 * read-only session or profile when writes is given. Returns EXIT_OK, or the exit status
 * after printing why; the caller closes *audit and frees *w (NULL when not opened) in
 * every case. */
int ops_open(const char *cmd, const struct global_opts *o, const char *writes, int transfers,
    struct api_config *cfg, struct audit **audit, struct worker **w);

/* --verbose: the worker's figures on stderr ("* requests N, throttled N, ..."). */
void ops_print_stats(struct worker *w);

/* Runs a started operation on w until it is done, feeding it the worker's results. The
 * first signal (ops_interrupted) cancels what has not been sent ("iotdeck CMD: cancelled:
 * ..." on stderr) and waits for what is on the wire; the second takes what came and
 * abandons the rest (unknown). Returns 1 when it was interrupted. */
int ops_run(struct op *op, struct worker *w, const char *cmd);

/* The widest name column: NAME or ITEM, never wider. */
#define OPS_NAME_MAX_COLS 48
/* How ops_result_line prints a result. */
struct ops_line {
	int      json;		/* a JSON line (op_target_json), not a table row */
	int      item;		/* JSON: add "item": the target's name (not a device) */
	int      name_cols;	/* the first column's width (ops_name_cols) */
	int      action;	/* a column with the action after the outcome */
	unsigned text;		/* the DETAIL: op_target_text's flags (OP_TEXT_...) */
	int      width;		/* the terminal's columns: the DETAIL cut to them; 0: never */
};
/* A settled target's result as one line appended to b (ending in a newline): NAME
 * OUTCOME [ACTION] DETAIL, display-safe, or the JSON line. */
void ops_result_line(struct buf *b, const struct op *op, const struct op_target *t,
    const struct ops_line *how);
/* The width of the widest target name of op (display-safe), at least least, at most
 * OPS_NAME_MAX_COLS. */
int ops_name_cols(const struct op *op, int least);

#endif
