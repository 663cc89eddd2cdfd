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

#include "cli/options.h"
#include "op/op.h"

/* Exit status when the command was interrupted (as export's). */
#define OPS_EXIT_INTERRUPTED 130

/* Run the commands; words[0] is "set" or "invoke". Return an exit status. */
int cmd_set(const struct global_opts *o, char **words, int nwords);
int cmd_invoke(const struct global_opts *o, char **words, int nwords);

/* The exit status of a finished operation (above). */
int ops_exit_status(const struct op_counts *c, int interrupted);

#endif
