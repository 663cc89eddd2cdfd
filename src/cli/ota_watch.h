/* ota_watch.h — `iotdeck ota watch JOBID [--max-failed N|P%] [--cancel-on-fail]
 * [--interval SECONDS]`: follows a job until it ends.
 *
 * QueryOTAJob gives a job's status but no counts (guide 4.20.13), and paging a
 * 100,000-task job's ListOTATaskByJob (10 QPS, 100 a page) takes 100 s, so each round
 * asks ListOTATaskByJob once per task state and once without one, with PageSize=1, and
 * reads their Total: eight requests give every count and the job's size, whatever its
 * size, plus one QueryOTAJob. A round every --interval seconds (default 2: 4 of
 * ListOTATaskByJob's 10 QPS, 0.5 of QueryOTAJob's 10; at least 1) leaves room for the
 * rest of the account. The answers come a few milliseconds apart, so the counts may add
 * up to a little more or less than the job's size (a task that moved in between); the
 * next round corrects it, and the job's end is read from the same round.
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
