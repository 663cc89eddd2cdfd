/* ota_run.h — what every `iotdeck ota` command shares: the configuration, the worker,
 * the audit log, Ctrl-C, one read, and a write run as an operation (op/op.h) with its
 * results printed and its exit status chosen as `set` chooses them (cli/ops.h).
 *
 * A command opens a context (ota_ctx_open: configuration, then the audit log for a
 * command that writes, before the worker thread starts, then the worker; a read-only
 * session refuses a writing command here, before anything is asked), reads what it
 * needs (ota_read, ota_list), checks everything, then runs its writes (ota_write), each
 * an operation of items: one item per request (a firmware, a job, ten task ids...).
 */
#ifndef IOTDECK_OTA_RUN_H
#define IOTDECK_OTA_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "api/params.h"
#include "api/worker.h"
#include "cli/options.h"
#include "cli/ops.h"
#include "cli/ota.h"
#include "op/op.h"

struct ota_ctx {
	const char              *cmd;		/* "ota upload"... for messages */
	const struct global_opts *o;		/* the global options (borrowed) */
	struct api_config        cfg;		/* resolved configuration */
	struct worker           *w;		/* the worker, or NULL before open */
	struct audit            *audit;		/* the audit log (writing commands), or NULL */
	int                      json;		/* --json: results as JSON lines */
	FILE                    *results;	/* where write results go (stdout or stderr) */
	struct ops_signals       sig;		/* Ctrl-C counted in ops_interrupted */
	struct ops_line          line;		/* how ota_write prints a result */
};

/* ota_ctx_open's flags: the command prints what it made (an id) on standard output, so
 * its result lines go to standard error (with --json they stay the output). */
#define OTA_CTX_PRINTS_ID 1
/* Opens c for cmd: --json from a (NULL: none) into c->json, where results go (flags),
 * resolves the configuration, opens the audit log when writes is
 * non-zero (writes names the write action for the read-only message), starts the worker,
 * installs the Ctrl-C handlers (ops_signals_install: ops_interrupted counts them). Returns EXIT_OK, or the exit status after printing why
 * (4: configuration, audit log, read-only). Close c in every case. */
int ota_ctx_open(struct ota_ctx *c, const char *cmd, const struct global_opts *o,
    const struct ota_args *a, const char *writes, int flags);
void ota_ctx_close(struct ota_ctx *c);

/* One read through the worker (retried by it as reads are). Returns API_OK with *answer
 * (caller deletes), or the status after printing "iotdeck CMD: ACTION: Code: message". */
enum api_status ota_read(struct ota_ctx *c, const char *action, const struct params *p,
    cJSON **answer);
/* Every item of a paged list (api/pager.h), each handed to fn (borrowed for the call);
 * fn returns non-zero to stop. Returns API_OK or the status after printing why (an
 * interruption is API_ERR_CONFIG with ops_interrupted set). */
enum api_status ota_list(struct ota_ctx *c, const char *action, const struct params *p,
    int (*fn)(void *arg, const cJSON *item), void *arg);

/* One write request of an operation: its name in the results and the audit log, and
 * its own parameters. */
struct ota_item {
	char          *name;	/* "firmware F", "tasks 1-10" (owned) */
	struct params  params;	/* its parameters (owned) */
};
void ota_items_free(struct ota_item *v, size_t n);

/* Runs action as one operation over the items (each sent once, at the action's QPS),
 * common parameters added to each; prints one line per item to c->results as it
 * settles (ITEM OUTCOME DETAIL, or --json lines); a summary to stderr when there is
 * more than one item. Returns ops_exit_status's exit status; *opp (when not NULL) gets
 * the finished operation (caller frees with op_free) for its answers. */
int ota_write(struct ota_ctx *c, const char *action, const struct params *common,
    struct ota_item *items, size_t n, struct op **opp);

/* Adds an item named name (taken over) with empty parameters to *v (*n entries, grown);
 * returns it. */
struct ota_item *ota_item_new(struct ota_item **v, size_t *n, char *name);
/* Sets param.1..param.N of p to names[from..to). */
void ota_add_numbered(struct params *p, const char *param, char *const *names, size_t from,
    size_t to);
/* The devices named by --devices (comma lists, repeatable) and --devices-from files, in
 * order, into *v (caller frees with ota_list_free). Returns 0, or -1 with *cause. */
int ota_named_devices(const struct ota_args *a, char ***v, size_t *n, char **cause);
/* 0, or -1 with *cause naming the first device named twice. */
int ota_no_duplicates(char **v, size_t n, char **cause);
/* The firmware's ProductKey: --product, else QueryOTAFirmware's. NULL after printing
 * why, with the exit status in *rc. Caller frees. */
char *ota_firmware_product(struct ota_ctx *c, const struct ota_args *a, const char *fwid,
    int *rc);
/* Prints the Data member field (FirmwareId, JobId) of the operation's one item on
 * standard output when it succeeded (not with --json: the result's line holds it). */
void ota_print_created(const struct ota_ctx *c, struct op *op, const char *field);

/* A usage error: "iotdeck CMD: MSG" and the command's usage line; returns EXIT_USAGE. */
int ota_usage(const char *cmd, const char *msg);
/* The string member name of obj (or NULL). */
const char *ota_str(const cJSON *obj, const char *name);

#endif
