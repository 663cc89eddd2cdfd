/* op.h — operations: one write action on many devices, owned from start to finish.
 *
 * An operation holds a write action (SetDeviceProperty, InvokeThingService, ...), its
 * targets (a device named by ProductKey + DeviceName and/or IotId, each with its own
 * parameters), every target's state and result, the counts, and its own state. It is
 * the only owner of its writes: the console's operations pane and `iotdeck set` /
 * `invoke` both drive one, and the UI never ties a write to a pane.
 *
 *   op = op_new("SetDeviceProperty", NULL, &opts);
 *   op_add_target(op, pk, dn, NULL, &items);      ...for each device
 *   op_start(op, worker);
 *   loop: for each result r of worker_take():      (the caller's one loop)
 *             if (!op_feed(op, r)) handle r otherwise;
 *         until op_state(op) == OP_DONE
 *
 * Life of a target: PENDING (not yet handed to the worker) -> SENT (handed to the worker:
 * waiting for its rate slot or on the wire) -> OK | FAILED | UNKNOWN, or NOT_SENT when it
 * never left (cancelled, read-only, or its time ran out in the queue). Every target ends
 * in exactly one final state and is reported once (on_target); the engine never sends a
 * target twice -- only op_retry makes a new operation that sends it again.
 *
 * Submitting. Targets are submitted in order under the operation's own worker tag (so
 * closing a pane, which cancels the pane's tag, never touches it), at most `window` at a
 * time: the worker's queue stays short (its scheduler walks it each turn), the worker's
 * throttle paces them at the action's documented QPS, and cancelling touches at most
 * `window` requests. A window larger than the worker's transfer limit keeps every slot
 * busy (500 QPS at 50 ms round trip needs 25 on the wire).
 *
 * Results. A worker result of the operation's tag (op_feed) settles its target:
 *   API_OK                                   -> OK (the answer's Data kept, a sync
 *                                               service's Result decoded)
 *   err.outcome_unknown (sent, no answer)    -> UNKNOWN: it may have been carried out
 *   attempts == 0 (refused before sending)   -> NOT_SENT (read-only, deadline in queue)
 *   anything else                            -> FAILED (code, message, RequestId)
 * Every result of a request that was sent (attempts > 0) is written to the audit log at
 * once, with the operation's id (audit.h). A read-only refusal settles every target that
 * is still pending as NOT_SENT with the same code (each would be refused the same way).
 *
 * Cancelling (op_cancel) stops what has not left: pending targets and requests still
 * waiting in the worker (worker_cancel answers exactly which) become NOT_SENT, reported,
 * never silently dropped; requests on the wire are left to finish and their results are
 * still taken (OP_CANCELLING until the last one). If the worker must go before then
 * (quitting, switching profile), op_abandon settles what is still on the wire as UNKNOWN
 * (and audits it so): the worker aborts such writes, and nobody can say whether they were
 * carried out.
 *
 * Threads: an operation belongs to the thread that takes the worker's results; every
 * function here is called from it. Nothing blocks: op_start and op_feed only submit.
 */
#ifndef IOTDECK_OP_H
#define IOTDECK_OP_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/params.h"
#include "api/worker.h"
#include "core/buf.h"
#include "op/audit.h"

/* A target's state. */
enum op_tstate {
	OP_T_PENDING = 0,	/* not yet handed to the worker */
	OP_T_SENT,		/* handed to the worker: waiting for its slot or on the wire */
	OP_T_OK,		/* the API said it succeeded */
	OP_T_FAILED,		/* the API (or the network, before anything was sent) said no */
	OP_T_UNKNOWN,		/* sent, and no answer says what happened: check first */
	OP_T_NOT_SENT,		/* never sent: cancelled, read-only, or timed out in the queue */
	OP_T_COUNT
};

/* Masks of states, for op_retry. */
#define OP_RETRY_FAILED   (1u << OP_T_FAILED)
#define OP_RETRY_NOT_SENT (1u << OP_T_NOT_SENT)
#define OP_RETRY_UNKNOWN  (1u << OP_T_UNKNOWN)

/* An operation's state. */
enum op_state {
	OP_IDLE = 0,		/* made, not started: targets may still be added */
	OP_RUNNING,		/* targets pending or in flight */
	OP_CANCELLING,		/* cancelled; waiting for the writes on the wire */
	OP_DONE			/* every target settled */
};

/* One device of an operation. Read its fields; never change them (the engine's). */
struct op_target {
	char            *product_key;	/* ProductKey, or NULL */
	char            *device_name;	/* DeviceName, or NULL */
	char            *iot_id;	/* IotId, or NULL */
	struct params    params;	/* the target's own parameters (Items, Args...) */
	enum op_tstate   state;		/* where it is */
	char            *code;		/* error code (FAILED, UNKNOWN, NOT_SENT), or NULL */
	char            *message;	/* error message, display-safe, one line, or NULL */
	char            *request_id;	/* RequestId of the answer, NULL when none came */
	long             http_status;	/* HTTP status of the answer, 0 when none came */
	cJSON           *answer;	/* OK: the answer's Data (a sync service's Result, a
					   JSON string, decoded in place), or NULL; owned */
	int              attempts;	/* times sent (0: never) */
	int64_t          done_ms;	/* when it settled (epoch ms), 0 while not */
	uint64_t         req;		/* the worker request while SENT (the engine's) */
	char            *name;		/* "PK/DEVICENAME", else the IotId (op_target_name) */
};

/* The counts of an operation: one per enum op_tstate, and the total. */
struct op_counts {
	size_t n[OP_T_COUNT];		/* targets in each state */
	size_t total;			/* targets */
};

struct op;

/* Called once for each target when it settles (reaches a final state), from op_feed,
 * op_cancel, op_abandon or op_start. i indexes op_target(op, i). It may read the
 * operation and call op_cancel; it must not feed, start, retry or free it. */
typedef void op_target_fn(void *arg, struct op *op, size_t i);

struct op_opts {
	int              window;	/* most requests in the worker at once (default 64) */
	enum worker_prio prio;		/* priority of its requests (default WORKER_BACKGROUND:
					   the console's reads keep their reserved slots) */
	long             deadline_ms;	/* per request, queueing included (0: the worker's) */
	struct audit    *audit;		/* where sent writes are logged (borrowed; NULL: none) */
	op_target_fn    *on_target;	/* called as each target settles, or NULL */
	void            *arg;		/* its argument */
	const char      *label;		/* a line for lists ("Brightness=80"), or NULL:
					   the action (copied) */
	const char      *device_prefix;	/* how requests name the device: NULL for
					   ProductKey, DeviceName / IotId; "Device.1."
					   for Device.1.ProductKey ... (batch APIs sent
					   one device at a time; borrowed: a constant) */
};

/* Sets the defaults documented in struct op_opts. */
void op_opts_init(struct op_opts *o);

/* A new operation (OP_IDLE) of action, with parameters every target gets (common, e.g.
 * Identifier of InvokeThingService; NULL: none; copied). opts NULL: defaults (copied;
 * the audit log and arg are borrowed and must outlive the operation). Its id (the audit
 * log's "operation") is made here: a UTC time and random hex. */
struct op *op_new(const char *action, const struct params *common, const struct op_opts *opts);
/* Adds a device: product_key and device_name, and/or iot_id (any may be NULL, but not
 * both ways; copied), with its own parameters (NULL: none; copied; they win over the
 * common ones). The request names the device by IotId when given, else by ProductKey and
 * DeviceName. Returns its index, or -1 with a caller-freed *cause when the device is
 * already a target (same ProductKey+DeviceName or same IotId: it would get the write
 * twice), it names no device, or the operation was started. */
long op_add_target(struct op *op, const char *product_key, const char *device_name,
    const char *iot_id, const struct params *params, char **cause);
/* Adds a target that is not a device (a group to create or delete): name says what it is
 * (copied; duplicates refused like devices'), params are its request's own parameters.
 * Its audit lines name no device. Returns its index, or -1 with *cause. */
long op_add_item(struct op *op, const char *name, const struct params *params,
    char **cause);
/* Starts: copies the profile, region and endpoint for the audit log from
 * worker_config(w), and submits the first window. w is borrowed until the operation is
 * done (or abandoned). An operation without targets is done at once. */
void op_start(struct op *op, struct worker *w);

/* Offers a result taken from the worker. Returns 1 when it was this operation's: the
 * operation consumed (freed) it, its target settled, and more targets were submitted.
 * Returns 0 otherwise: the caller keeps r. r->next is neither read nor changed (walk
 * your list first: save r->next before the call). */
int op_feed(struct op *op, struct worker_result *r);
/* 1 when tag is an operation's tag (for routing results: op_tag below). */
int op_is_tag(uint64_t tag);
/* The operation's worker tag (unique in the process; never a pane's: bit 62 is set). */
uint64_t op_tag(const struct op *op);

/* Cancels: pending targets and requests still waiting in the worker settle as NOT_SENT
 * (code iotdeck.Cancelled); writes on the wire finish and are still taken. The state is
 * OP_CANCELLING until they have, then OP_DONE. Harmless when done. */
void op_cancel(struct op *op);
/* The worker is about to be freed: cancels (as op_cancel), then settles every target
 * still SENT as UNKNOWN (code iotdeck.Abandoned), audited as such, and is done. Take the
 * worker's waiting results and feed them first, so that what did come is not lost. */
void op_abandon(struct op *op);

/* Makes a new operation (OP_IDLE, same action, common parameters and options, fresh
 * id) of the targets whose state is in the mask `which` (OP_RETRY_FAILED, ..._NOT_SENT,
 * ..._UNKNOWN: ask for unknown ones only on purpose: they may have been carried out).
 * Returns NULL when no target matches. The targets keep their own parameters. */
struct op *op_retry(const struct op *op, unsigned which);

/* The state, the id (the audit log's "operation"), the action, the label, the id of
 * the operation this one retries (NULL if none), when it started and ended (epoch ms,
 * 0 while not), and the first audit log error (NULL if none; the operation goes on). */
enum op_state op_state(const struct op *op);
const char *op_id(const struct op *op);
const char *op_action(const struct op *op);
const char *op_label(const struct op *op);
const char *op_retry_of(const struct op *op);
int64_t op_started_ms(const struct op *op);
int64_t op_finished_ms(const struct op *op);
const char *op_audit_error(const struct op *op);
/* The counts. */
void op_counts(const struct op *op, struct op_counts *c);
/* Targets: how many, and the i-th (owned by the operation; NULL past the end). */
size_t op_target_count(const struct op *op);
const struct op_target *op_target(const struct op *op, size_t i);
/* The parameters of t's request as the engine sends them (the common ones, the device's
 * IotId or ProductKey and DeviceName, then t's own) into p (empty; caller frees). */
void op_target_params(const struct op *op, const struct op_target *t, struct params *p);
/* The device as a short name: "PK/DEVICENAME", else the IotId. Owned by the target. */
const char *op_target_name(const struct op_target *t);

/* A settled target as the audit log's JSON object (audit_entry_json: the operation's
 * profile, region and endpoint, the request's parameters, "outcome" one of
 * op_tstate_name) with "data": its answer, or null. Caller deletes. For the CLI's --json
 * result lines. */
cJSON *op_target_json(const struct op *op, const struct op_target *t);

/* What op_target_text and op_answer_text say. */
#define OP_TEXT_ANSWER     1u	/* a succeeded target's answer (op_answer_text) */
#define OP_TEXT_DATA       2u	/* of a Result, only its "data" member when it has one */
#define OP_TEXT_REQUEST_ID 4u	/* the RequestId last: " (RequestId ID)", alone
				   "RequestId ID" */
/* A target's result as one display-safe line appended to b: a target that did not
 * succeed gives "CODE: message"; a succeeded one its answer (OP_TEXT_ANSWER); then the
 * RequestId (OP_TEXT_REQUEST_ID). */
void op_target_text(const struct op_target *t, unsigned flags, struct buf *b);
/* A succeeded target's answer, display-safe, appended to b: "output " and the compact
 * JSON of its Result (OP_TEXT_DATA: of the Result's data member when there is one), or
 * "MessageId " and an asynchronous call's id; nothing for any other answer (NULL too). */
void op_answer_text(const cJSON *answer, unsigned flags, struct buf *b);

/* Names of states and of outcomes: "pending", "sent", "ok", "failed", "unknown",
 * "not-sent"; "idle", "running", "cancelling", "done". */
const char *op_tstate_name(enum op_tstate s);
const char *op_state_name(enum op_state s);

/* A synchronous service's call holds its transfer until the device answers, up to 5 s
 * (iot.messagebroker.TIMEOUT): 500 QPS needs up to 2,500 at once, 1,000 at 2 s. This many
 * covers a device latency up to 4 s at the full rate. */
#define OP_SYNC_WINDOW 2048
/* The window (and worker transfers) for a synchronous service: OP_SYNC_WINDOW, within the
 * open-file limit (one socket a transfer, and spare descriptors for the rest): the soft
 * limit is raised towards the hard one as far as needed, and what it still lacks cuts the
 * window, never below fallback. */
int op_sync_window(int fallback);

/* Frees the operation and every target. One that is still running is cancelled first
 * in its worker, which must still exist then (its writes on the wire come back as
 * results nobody claims: free those; better, op_abandon it or wait for OP_DONE). NULL is
 * fine. */
void op_free(struct op *op);

#endif
