/* worker_impl.h — what worker.c (queues, coalescing, cancelling, scheduling, results, life
 * cycle) and worker_transfer.c (the worker thread: the curl multi loop, attempts, retries)
 * share. Private to them; the design is in worker.c's DESIGN comment.
 */
#ifndef IOTDECK_API_WORKER_IMPL_H
#define IOTDECK_API_WORKER_IMPL_H

#include <pthread.h>
#include <stdint.h>

#include <curl/curl.h>

#include "api/actions.h"
#include "api/renew.h"
#include "api/throttle.h"
#include "api/worker.h"

_Static_assert(WORKER_PRIOS <= THROTTLE_PRIOS, "the throttle knows every worker priority");

#define MS_NS        (1000LL * 1000)	/* nanoseconds in a millisecond */
#define LATENCY_RING 1024		/* transfer times kept for the percentiles */
#define IDLE_POLL_MS 1000		/* longest sleep of the worker thread */

/* One worker_submit waiting for a job's answer. */
struct sub {
	struct sub       *next;		/* next subscriber of the same job */
	uint64_t          id;		/* request id */
	uint64_t          tag;		/* cancellation group */
	void             *udata;	/* caller's pointer */
	enum worker_prio  prio;		/* its priority */
	int64_t           submitted;	/* when (ns, monotonic) */
};

/* Where a job is: in a priority queue, or on the wire (the active list). */
enum job_state { JOB_QUEUED, JOB_ACTIVE };

/* One request on its way to the network. */
struct job {
	struct job          *prev, *next;	/* in a queue or the active list */
	enum job_state       state;		/* where it is */
	enum worker_prio     prio;		/* which queue (best subscriber's priority) */
	char                *action;		/* the action (owned) */
	const struct action_info *info;		/* its table row */
	int                  is_write;		/* never sent twice */
	struct params        params;		/* caller's parameters (owned) */
	char                *key;		/* coalescing key, NULL when not shared */
	struct sub          *subs;		/* who waits for it */
	int                  attempts;		/* times sent */
	int                  retries;		/* retries after failures (not Throttling) */
	int64_t              not_before;	/* backoff: do not start before (ns) */
	int64_t              deadline;		/* give up after (ns) */
	int                  abort;		/* no subscriber left: drop the transfer */
	worker_follow_fn    *follow;		/* the chain's next link (NULL: none) */
	void                *follow_arg;	/* its argument */
	long                 deadline_ms;	/* as submitted (for the next link) */
	/* Transfer state, worker thread only. */
	CURL                *easy;		/* handle while active */
	struct api_prepared  req;		/* signed request of this attempt */
	struct buf           answer;		/* answer bytes */
	char                 errbuf[CURL_ERROR_SIZE];	/* curl's message */
	int64_t              retry_after_ns;	/* x-acs-retry-after of the answer */
	int                  token_retried;	/* sent again once after the gateway said
						   its renewable token had expired */
};

/* A queue or the active list (doubly linked through job.prev/next). */
struct job_list {
	struct job *head, *tail;	/* first and last job, NULL when empty */
};

/* The worker (worker.h); the lock rules are in worker.c's DESIGN comment. */
struct worker {
	const struct api_config *cfg;		/* borrowed */
	struct worker_opts       opts;		/* limits */
	CURLM                   *multi;		/* worker thread only (but wakeup) */
	struct throttle         *throttle;	/* thread-safe on its own */
	pthread_t                thread;	/* the worker */
	int                      pipe_r, pipe_w;	/* result notification */

	pthread_mutex_t          mu;		/* guards everything below */
	int                      stop;		/* worker_free asked the thread to end */
	int                      limit_changed;	/* opts.max_in_flight changed: the multi
						   handle's connection limits follow */
	uint64_t                 next_id;	/* last id handed out */
	struct job_list          queue[WORKER_PRIOS];	/* waiting jobs */
	struct job_list          active;	/* jobs on the wire */
	int                      nqueued;	/* jobs in the queues */
	int                      nactive;	/* jobs on the wire */
	struct worker_result    *res_head, *res_tail;	/* results not yet taken */
	int64_t                  lat[LATENCY_RING];	/* transfer times (ns) */
	size_t                   nlat;		/* how many were recorded in total */
	struct worker_stats      st;		/* counters (arrays unused) */
	int                      renew_now;	/* the gateway refused a renewable token
						   as expired: renew before the next start */
	/* The secret kept readable while requests are queued or on the wire, and the hold
	 * that keeps it alive: signing each request would otherwise protect and unprotect
	 * its pages, and taking read access away makes every CPU flush its TLB (70 us a
	 * request on a VM, on each link of a NextToken chain). Hidden again the moment the
	 * worker has nothing to do. Worker thread only (in worker_start_job, lock held). */
	struct secret           *shown;
	struct api_cred_hold     shown_hold;
};

/* Appends j to l / unlinks j from l. Lock held when l is one of w's lists. */
void worker_list_append(struct job_list *l, struct job *j);
void worker_list_remove(struct job_list *l, struct job *j);
/* Frees j, its subscribers and its transfer (not linked anywhere any more). */
void worker_job_free(struct job *j);
/* Files a result for every subscriber of j and frees j's subscribers; json is consumed.
 * Lock held. */
void worker_deliver(struct worker *w, struct job *j, enum api_status st, cJSON *json,
    const struct api_error *err, size_t bytes, uint64_t follow_id);
/* Queues the next link of finished job j's chain when its follow function asks for one
 * (j has one subscriber, answer json); returns its id, or 0. Lock held. */
uint64_t worker_follow(struct worker *w, struct job *j, const cJSON *json);
/* Starts what may start; returns the ms until something else might. Lock held. */
long worker_schedule(struct worker *w);
/* Prepares and starts an attempt of queued job j: it moves to the active list. Lock
 * held. */
void worker_start_job(struct worker *w, struct job *j);
/* The connection limits of the multi handle for opts.max_in_flight. Worker thread (or
 * before it starts). */
void worker_set_multi_limits(struct worker *w);
/* Hides the secret worker_start_job kept readable (w->shown), if any. Worker thread. */
void worker_unshow(struct worker *w);
/* The worker thread (arg: the struct worker). */
void *worker_thread_main(void *arg);

#endif
