/* ota_watch.h — `iotdeck ota watch JOBID [--max-failed N|P%] [--cancel-on-fail]
 * [--interval SECONDS]`: follows a job until it ends.
 *
 * QueryOTAJob gives a job's status but no counts (guide 4.20.13), and paging a
 * 100,000-task job's ListOTATaskByJob (10 QPS, 100 a page) takes 100 s, so each round
 * asks ListOTATaskByJob once per task state with PageSize=1 and reads its Total: seven
 * requests give every count, whatever the job's size, plus one QueryOTAJob. A round
 * every --interval seconds (default 2: 3.5 of ListOTATaskByJob's 10 QPS, 0.5 of
 * QueryOTAJob's 10) leaves room for the rest of the account. The seven answers come a
 * few milliseconds apart, so their sum may differ from the job's size by the tasks that
 * moved in between; the next round corrects it.
 *
 * Output: on a terminal (standard error), a bar redrawn in place with the counts per
 * state, the rate of tasks finishing and an ETA; otherwise one line per change. Exit:
 * 0 when the job ended with every task SUCCEEDED; 1 when some FAILED or were CANCELED,
 * and at once when the failed tasks pass --max-failed (with --cancel-on-fail the rest
 * are cancelled first: CancelOTATaskByJob of every state); 3 when the job could not be
 * read (no usable answer), 1 an API error; 130 interrupted.
 */
#ifndef IOTDECK_OTA_WATCH_H
#define IOTDECK_OTA_WATCH_H

#include "cli/options.h"
#include "cli/ota.h"

/* Runs `ota watch` with its parsed words. Returns an exit status. */
int ota_watch_main(const struct global_opts *o, const struct ota_args *a);

#endif
