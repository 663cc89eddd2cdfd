/* writelog.h — the write log (--write-log FILE): one JSON line per request for a write
 * action of the action table, so that a test can prove what the simulator did with the
 * writes a client sent: which device received which write, how often, and which answers
 * an injected fault lost.
 *
 * Each line is a JSON object (valid UTF-8, display-safe: core/jsonout.h):
 *   time         when the gateway took the request, RFC 3339 UTC with milliseconds
 *   action       the API action
 *   product_key, device_name, iot_id
 *                the device the line is about (null when the request named none); a
 *                request aimed at several devices (BatchUpdateDeviceNickname,
 *                SetDevicesProperty) has one line per device, all with its RequestId
 *   params       the request's parameters as sent, without the common ones of the
 *                signature (AccessKeyId, Signature*, Timestamp, Version, Format, Action,
 *                SecurityToken): nothing secret
 *   request_id   the RequestId the simulator answered with (also when the answer was lost)
 *   http_status  the HTTP status of the answer
 *   code         the error code answered, null on success
 *   fault        the injected fault (fault.h: "5xx", "throttle", "reset", "truncate",
 *                "malformed", "drip"), null when none
 *   executed     the handler ran (false for the 5xx and throttle faults and for a
 *                request the gateway refused: signature, Throttling, a missing parameter)
 *   applied      the write took effect on its device: a property set queued on a
 *                connected device, a service the device ran (a sync call that timed out
 *                too: the device got it, its answer came late), a device disabled,
 *                deleted, renamed, desired values stored...; false for a refusal and for a
 *                message to a device that is not connected (answered Success: the guide's
 *                asynchronous calls only say the message was sent)
 *
 * A reset, truncate or malformed fault hides the answer of an executed request: those are
 * the lines a client can only report as "outcome unknown" (drip delivers the whole answer,
 * slowly). The file is created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600; an existing
 * file is appended to only when it is a regular file of ours that nobody else may read or
 * write (a symbolic link is refused, never followed). Each line is one write(2) under a
 * lock, on an O_APPEND descriptor, never buffered: a reader sees whole lines as soon as
 * they are answered, and lines of concurrent requests never interleave. Lines are not
 * fsynced.
 */
#ifndef IOTDECK_SIM_WRITELOG_H
#define IOTDECK_SIM_WRITELOG_H

#include <stdint.h>

#include "api/params.h"
#include "sim/fault.h"

struct sim_writelog;

/* One line of the log. */
struct sim_write {
	int64_t              time_ms;		/* wall-clock epoch ms */
	const char          *action;		/* API action */
	const char          *product_key;	/* NULL: null */
	const char          *device_name;	/* NULL: null */
	const char          *iot_id;		/* NULL: null */
	const struct params *params;		/* request parameters (common ones left out) */
	const char          *request_id;	/* RequestId answered */
	int                  http_status;	/* HTTP status answered */
	const char          *code;		/* error code, NULL or "" on success */
	enum sim_fault       fault;		/* injected fault, SIM_FAULT_NONE */
	int                  executed;		/* the handler ran */
	int                  applied;		/* the write took effect on its device */
};

/* Opens (creates, or appends to) the log at path. Returns it, or NULL with *cause set. */
struct sim_writelog *sim_writelog_open(const char *path, char **cause);
/* Closes the log (NULL: nothing). */
void sim_writelog_close(struct sim_writelog *w);
/* Appends the line for e. Thread-safe. Returns 0, or -1 when the write failed (the
 * first failure is logged on stderr). */
int sim_writelog_append(struct sim_writelog *w, const struct sim_write *e);
/* Returns the caller-freed JSON text of e's line, without the newline. */
char *sim_writelog_format(const struct sim_write *e);
/* 1 when the parameter name is a common one the log leaves out. */
int sim_writelog_skip_param(const char *name);

#endif
