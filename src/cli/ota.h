/* ota.h — `iotdeck ota ...`: the OTA workflow from the command line (guide 4.20,
 * ../shared/api/README.md section (b)), for operators and CI pipelines.
 *
 *   ota upload FILE --product PK --dest-version V ...   GenerateOTAUploadURL, the OSS
 *                                       PostObject, CreateOTAFirmware (ota_upload.c)
 *   ota verify FIRMWAREID --devices N,N [--timeout MIN]  CreateOTAVerifyJob
 *   ota upgrade FIRMWAREID TARGETS [SCHEDULE, PACING]   CreateOTAStaticUpgradeJob or,
 *                                       with --dynamic, CreateOTADynamicUpgradeJob
 *   ota watch JOBID [--max-failed N|P%] [--cancel-on-fail]   (ota_watch.c)
 *   ota cancel JOBID --queued...        CancelOTATaskByJob
 *   ota cancel-devices FIRMWAREID --devices N,N [--job JOBID]   CancelOTATaskByDevice
 *   ota confirm TASKID...               ConfirmOTATask (10 a request)
 *   ota retry JOBID [--failed] [--canceled]   ReupgradeOTATask (10 a request)
 *   ota delete FIRMWAREID               DeleteOTAFirmware
 *   ota jobs FIRMWAREID, ota tasks JOBID [--status S]   ListOTAJobByFirmware, ListOTATaskByJob
 *
 * Every value is checked against the guide's ranges before anything is sent
 * (cli/ota_check.h); every write is an operation (op/op.h) with its results and audit
 * lines. Exit statuses as `set`'s (cli/ops.h); watch: 0 every task succeeded, 1 some
 * failed or were cancelled, or --max-failed tripped.
 *
 * The ota options are its own and come after the word `ota` (there `--timeout MIN` is
 * the job's TimeoutInMinutes; the request timeout, `--timeout SECONDS`, goes before
 * `ota`); the global options go anywhere else.
 */
#ifndef IOTDECK_OTA_H
#define IOTDECK_OTA_H

#include "api/params.h"
#include "cli/options.h"

/* When argv's command is `ota`, runs it and returns its exit status (>= 0); else
 * returns -1 and touches nothing. Called by main before the global options are parsed:
 * it parses them itself, with its own options set apart. */
int cmd_ota_argv(int argc, char **argv);

/* The parsed ota words: positional words and options (name "--x", value; flags "1"). */
struct ota_args {
	const char    *sub;	/* the subcommand ("upload"...) */
	char         **pos;	/* its positional words (pointers into argv) */
	size_t         npos;	/* how many */
	struct params  opts;	/* its options in order (repeats kept) */
};

/* The value of option name (the last one given), or NULL. */
const char *ota_opt(const struct ota_args *a, const char *name);

#endif
