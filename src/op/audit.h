/* audit.h — the audit log: one JSON line for every write that was sent.
 *
 * Where: $XDG_STATE_HOME/iotdeck/audit.log, else ~/.local/state/iotdeck/audit.log
 * (`--audit-log FILE`, `set audit-log FILE` in the console's config; `off` for none).
 * The default's directories are created 0700 when missing, the file 0600; the file is
 * opened relative to its directory with O_NOFOLLOW (a symbolic link is refused, never
 * followed) and must be a regular file owned by the user. Lines are appended with one
 * write(2) each on an O_APPEND descriptor, so two iotdeck processes never interleave
 * inside a line, and a line is in the kernel (it survives iotdeck crashing) as soon as
 * audit_write returns; audit_sync (at the end of an operation) and audit_close make it
 * durable on disk too.
 *
 * A line, fields always in this order, a null where there is no value:
 *   {"time":"2024-05-01T08:00:00.123Z",   RFC 3339 UTC, when the result came
 *    "profile":"prod","region":"cn-shanghai","endpoint":"https://iot.cn-shanghai.aliyuncs.com/",
 *    "action":"SetDeviceProperty",
 *    "product_key":"a1B...","device_name":"lamp-01","iot_id":null,
 *    "params":{"ProductKey":"a1B...","DeviceName":"lamp-01","Items":"{\"Brightness\":80}"},
 *    "outcome":"ok",                      ok, failed or unknown (sent, no answer says)
 *    "code":null,"message":null,          the error's code and message
 *    "request_id":"5A1E...",              null when no answer came
 *    "operation":"20240501T080000Z-3f9a1c2b"}   shared by the lines of one batch
 * params are the action's own parameters as sent (never the signed common ones: no
 * AccessKeyId, Signature, SecurityToken); a parameter whose name holds "secret",
 * "password" or "token" (any case) is written as "[redacted]". The log never holds the
 * AccessKey: an audit object is never given one. Text is written by core/jsonout, so a
 * line is valid JSON that does nothing to a terminal (`iotdeck audit` shows it).
 *
 * Threads: an audit object belongs to one thread (the operations engine writes from
 * the thread that takes the worker's results).
 */
#ifndef IOTDECK_AUDIT_H
#define IOTDECK_AUDIT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/params.h"

/* One line of the log. Every string may be NULL (written as null). */
struct audit_entry {
	int64_t              time_ms;	/* when the result came, epoch ms (0: now) */
	const char          *profile;	/* the profile (or "env"), for the reader */
	const char          *region;	/* RegionId */
	const char          *endpoint;	/* where the request went */
	const char          *action;	/* the API action */
	const char          *product_key;	/* the device's ProductKey */
	const char          *device_name;	/* its DeviceName */
	const char          *iot_id;	/* its IotId */
	const struct params *params;	/* the action's parameters as sent (NULL: none) */
	const char          *outcome;	/* "ok", "failed" or "unknown" */
	const char          *code;	/* error code */
	const char          *message;	/* error message */
	const char          *request_id;	/* RequestId of the answer */
	const char          *operation;	/* the operation (batch) id */
};

struct audit;

/* The default log's path: $XDG_STATE_HOME/iotdeck/audit.log when XDG_STATE_HOME is an
 * absolute path, else $HOME/.local/state/iotdeck/audit.log. Returns it (caller frees),
 * or NULL with a caller-freed *cause when neither variable helps. */
char *audit_default_path(char **cause);

/* Opens the log for appending, creating it 0600. path NULL: the default, whose missing
 * directories are created 0700. Refuses a symbolic link, anything but a regular file and
 * a file owned by someone else. Returns the log, or NULL with a caller-freed, display-safe
 * *cause. Call before threads that create files start (it does not read the umask, but
 * keep the habit of atomicfile.h). */
struct audit *audit_open(const char *path, char **cause);
/* Makes what was written durable (fdatasync) and closes the log. NULL is fine. */
void audit_close(struct audit *a);
/* The log's path, as opened (owned by a). */
const char *audit_path(const struct audit *a);

/* The entry as a JSON object with the fields above, in order (caller deletes). The
 * command line's --json output adds its own members to it. */
cJSON *audit_entry_json(const struct audit_entry *e);
/* Appends e as one line. Returns 0, or -1 with a caller-freed *cause (the disk is full,
 * the file went away...); a failed line is never half written when write(2) says so. */
int audit_write(struct audit *a, const struct audit_entry *e, char **cause);
/* Makes what was written so far durable (fdatasync). Returns 0 or -1 with *cause. */
int audit_sync(struct audit *a, char **cause);

/* Writes ms as RFC 3339 UTC with milliseconds ("2024-05-01T08:00:00.123Z") into out
 * (at least 32 bytes) and returns out. */
const char *audit_time(int64_t ms, char *out, size_t outlen);
/* 1 when a parameter of that name is never written as it is ("secret", "password",
 * "token" in its name, any case). */
int audit_param_redacted(const char *name);

#endif
