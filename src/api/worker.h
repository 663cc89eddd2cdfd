/* worker.h — the background thread that carries every API call: throttled, prioritised,
 * cancellable, coalesced, retried when that is safe. The caller (the UI thread, or a
 * command's main loop) never touches the network. See the DESIGN comment in worker.c.
 *
 * Threads: worker_new, worker_free and worker_take belong to ONE thread (the UI thread);
 * worker_submit, worker_cancel*, worker_stats and worker_fd may be called from it as
 * well. Results are handed over as a list the caller owns.
 */
#ifndef IOTDECK_WORKER_H
#define IOTDECK_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/client.h"
#include "api/params.h"
#include "api/response.h"

/* What the user is waiting for goes first. */
enum worker_prio {
	WORKER_INTERACTIVE = 0,	/* a keypress, an open form, a command line call */
	WORKER_REFRESH = 1,	/* live refresh of what is on screen */
	WORKER_BACKGROUND = 2	/* paging through long lists, exports */
};
#define WORKER_PRIOS 3

struct worker_opts {
	int    max_in_flight;	/* concurrent transfers (default 16); the two lower
				   priorities leave one slot each free for the higher */
	int    max_retries;	/* retries of a read after a network error or 5xx (default 4);
				   Throttling answers are requeued until the deadline */
	long   deadline_ms;	/* default time a request may take, queueing, retries and
				   throttling included (default 120000) */
	long   backoff_base_ms;	/* first retry delay, doubled each time (default 200) */
	long   backoff_max_ms;	/* longest retry delay (default 5000) */
	double qps_scale;	/* multiplies every documented QPS (default 1.0; for a
				   simulator started with --qps-scale) */
	int    readonly;	/* refuse every write (--readonly); a read-only profile
				   (api_config.readonly) is refused as well */
};

/* The code of the result of a write refused because the session or the profile is
 * read-only (status API_ERR_CONFIG, attempts 0: nothing was sent). */
#define WORKER_CODE_READONLY "iotdeck.ReadOnly"


/* A chain of reads where each needs the answer of the one before (NextToken paging).
 * Called on the worker thread, with the worker's lock held (be quick, never call the
 * worker), with the successful answer of a request and the parameters it was sent with.
 * Returns 1 after filling next (empty on entry) with the parameters of the request that
 * follows it (same action, priority, tag, udata, follow function and deadline_ms), which
 * the worker queues before it files the answer, so the next link goes out without a
 * round trip through the caller's thread; returns 0 when the chain ends here. */
typedef int worker_follow_fn(void *arg, const cJSON *json, const struct params *sent,
    struct params *next);

/* One request. The strings and params are copied by worker_submit. */
struct worker_call {
	const char           *action;	/* API action, e.g. "QueryDevice" */
	const struct params  *params;	/* the action's parameters (NULL: none); the common
					   ones are added and signed by the worker */
	enum worker_prio      prio;	/* priority */
	uint64_t              tag;	/* group for worker_cancel_tag (e.g. the pane), 0: none */
	void                 *udata;	/* returned untouched in the result */
	long                  deadline_ms;	/* 0: the worker's default */
	int                   no_coalesce;	/* never share an identical read's answer */
	worker_follow_fn     *follow;	/* a read's next link (NULL: none); such a read
					   is never coalesced */
	void                 *follow_arg;	/* follow's argument (must outlive the chain) */
};

/* The outcome of one request, handed to the caller by worker_take. The caller owns it
 * (and everything in it): free it with worker_result_free. */
struct worker_result {
	struct worker_result *next;	/* next result of the same worker_take batch */
	uint64_t              id;	/* the id worker_submit returned */
	uint64_t              tag;	/* the call's tag */
	void                 *udata;	/* the call's udata */
	char                 *action;	/* the call's action */
	enum api_status       status;	/* API_OK or what went wrong */
	cJSON                *json;	/* API_OK: the answer (owned by the result), else NULL */
	struct api_error      err;	/* failure details; err.outcome_unknown: a write was
					   sent and no answer came (err.request_id if any) */
	int                   attempts;	/* times the request was sent (0: never sent) */
	int                   coalesced;/* the answer was shared with an identical read */
	int64_t               latency_ns;	/* from worker_submit to the result */
	size_t                bytes;	/* size of the answer */
	uint64_t              follow_id;	/* id of the request queued by the call's
					   follow function after this answer, 0: none
					   (cancelling this result cancels it too) */
};

/* Statistics of one action. */
struct worker_action_stats {
	char    *action;		/* action name (owned by the stats) */
	int      documented_qps;	/* the table's QPS (times qps_scale) */
	double   budget_qps;		/* the rate allowed now (lowered after Throttling) */
	int      rate;			/* requests sent in the last second */
	uint64_t sent;			/* requests sent */
	uint64_t throttled;		/* Throttling answers */
};

/* A snapshot of the worker's statistics. Free with worker_stats_free. */
struct worker_stats {
	int      in_flight;		/* transfers on the wire */
	int      queued;		/* requests waiting (priority, throttle or backoff) */
	uint64_t submitted;		/* requests submitted */
	uint64_t completed;		/* results handed back (cancelled ones excluded) */
	uint64_t failed;		/* of which not API_OK */
	uint64_t sent;			/* HTTP requests sent, retries included */
	uint64_t throttled;		/* Throttling answers received */
	uint64_t retried;		/* requests sent again (Throttling or a failed read) */
	uint64_t coalesced;		/* requests answered by another identical read */
	uint64_t cancelled;		/* requests cancelled before their result */
	uint64_t bytes_in;		/* answer bytes received */
	uint64_t bytes_out;		/* request bytes sent */
	double   latency_p50_ms;	/* median transfer time of the last 1024 answers */
	double   latency_p95_ms;	/* 95th percentile of the same */
	struct worker_action_stats *actions;	/* per action used; owned */
	size_t   nactions;		/* entries in actions */
};

struct worker;

/* Sets the defaults documented in struct worker_opts. */
void worker_opts_init(struct worker_opts *o);

/* Starts a worker thread for cfg (borrowed: it must outlive the worker and not change).
 * opts NULL: defaults. curl_global_init must have been called. Returns NULL with a
 * caller-freed *cause when cfg cannot send (api_config_ready) or the thread, pipe or curl
 * handle cannot be created. */
struct worker *worker_new(const struct api_config *cfg, const struct worker_opts *opts,
    char **cause);
/* Stops the thread, aborts every transfer and frees every request and every result not
 * yet taken. In-flight writes are abandoned: their outcome is unknown (a caller that
 * reports writes cancels what is waiting first, takes what is there, and reports the
 * rest as unknown: op_abandon in op/op.h). */
void worker_free(struct worker *w);

/* Queues a request and returns its id (> 0). Never blocks on the network.
 * Read-only: a write (action_get(action)->rw == ACTION_WRITE, unknown actions included)
 * submitted while worker_readonly(w) is refused here, in the one place every caller goes
 * through: it is never queued nor sent, and its result (status API_ERR_CONFIG, code
 * WORKER_CODE_READONLY, a message naming the action, attempts 0) is waiting at once. */
uint64_t worker_submit(struct worker *w, const struct worker_call *call);
/* Cancels a request. Exactly one of two things is true afterwards:
 *   1 is returned: the request produces no result and everything it held is freed. For
 *     a write this means it was NOT carried out: it was still waiting (for a slot, the
 *     throttle, or after a Throttling refusal, which the gateway answers before the
 *     service sees the request). For a read it may also have been aborted on the wire.
 *   0 is returned: its result comes (or came) through worker_take as usual: a write on
 *     the wire is never aborted (it may be carried out, its answer will say), nor is a
 *     result that is already waiting for a write; or the id is unknown or finished.
 * The decision is made under the worker's lock, so it cannot race with sending. */
int worker_cancel(struct worker *w, uint64_t id);
/* Cancels every request with that tag, as worker_cancel does each one (a write still
 * waiting is dropped without a result: callers that must report such writes keep their
 * ids and use worker_cancel, as the operations engine, op/op.h, does). Returns how many
 * were cancelled. */
int worker_cancel_tag(struct worker *w, uint64_t tag);
/* Cancels every request, queued or on the wire, whose follow function has the argument
 * follow_arg (the links of its chains, including one whose id only an answer not yet
 * handled knew). After it returns the worker never calls a follow function with that
 * argument again: call it before freeing what follow_arg points to. Returns how many
 * were cancelled. */
int worker_cancel_follow(struct worker *w, const void *follow_arg);

/* 1 when writes are refused: opts.readonly, or the configuration's profile is
 * read-only. A caller may ask before it asks the operator to confirm a write. */
int worker_readonly(const struct worker *w);
/* Changes opts.max_in_flight (n < 1: 1) for what is started from now on; transfers on
 * the wire are left alone. `iotdeck invoke` raises it once it knows that the service is
 * synchronous (its answers take up to 5 s: 500 QPS needs that many times more slots). */
void worker_set_max_in_flight(struct worker *w, int n);
/* The configuration the worker sends with (borrowed, as given to worker_new): the
 * operations engine copies its profile, region and endpoint into the audit log. */
const struct api_config *worker_config(const struct worker *w);

/* A file descriptor that becomes readable when results are waiting: poll it for POLLIN
 * with the terminal. Owned by the worker; do not read or close it. */
int worker_fd(const struct worker *w);
/* Takes every waiting result, oldest first (NULL when none); clears the fd's readiness.
 * The list and each result belong to the caller. */
struct worker_result *worker_take(struct worker *w);
/* Waits up to timeout_ms (-1: forever) for results. Returns 1 when some are waiting, 0 on
 * timeout, -1 when interrupted by a signal. */
int worker_wait(struct worker *w, int timeout_ms);
/* Frees one result (not the rest of its list). */
void worker_result_free(struct worker_result *r);
/* Frees a whole list of results. */
void worker_result_free_all(struct worker_result *r);

/* Fills *out with a snapshot (free with worker_stats_free). */
void worker_stats(struct worker *w, struct worker_stats *out);
void worker_stats_free(struct worker_stats *st);

#endif
