/* worker.c — the API worker thread.
 *
 * DESIGN
 *
 * Threads. One worker thread owns a curl multi handle, so every request shares its
 * connection pool (HTTPS connections are kept and reused) and many transfers run at
 * once without a thread each. The UI thread never touches the network:
 *   - UI to worker: worker_submit builds a job, appends it to a priority queue under the
 *     mutex and calls curl_multi_wakeup, which interrupts the worker's curl_multi_poll.
 *   - Worker to UI: a finished request becomes a struct worker_result appended to a list
 *     under the mutex; when the list goes from empty to non-empty one byte is written to
 *     a pipe. The UI polls the pipe's read end (worker_fd) with the terminal, and
 *     worker_take swaps the whole list out under the lock (and drains the pipe), so the
 *     UI runs its handlers without holding anything (redis bio.c does the same).
 * The mutex guards the queues, the job lists, the subscribers, the results and the
 * counters. The worker holds it to pick jobs and to file results, never while curl
 * moves bytes (curl_multi_perform and curl_multi_poll run unlocked); the easy handles
 * and transfer buffers of active jobs are touched by the worker thread alone.
 *
 * Jobs and subscribers. A job is one request on the network; a subscriber is one
 * worker_submit that waits for it. A read identical to one queued or in flight (same
 * action, same parameters) becomes a second subscriber of that job instead of a second
 * request (coalescing); each subscriber gets its own copy of the answer. Cancelling
 * removes a subscriber; a job left without any is dropped: unlinked and freed at once
 * when queued, aborted by the worker (curl_multi_remove_handle) when on the wire. A
 * write on the wire is never aborted: it may have been carried out, its answer will say.
 *
 * Scheduling. Three FIFO queues (interactive, refresh, background). Each turn the worker
 * walks them in priority order and starts every job that (a) is not backing off,
 * (b) fits in the transfer limit — background jobs leave two slots free and refresh
 * jobs one, so a keypress never waits behind a long export for a slot — and (c) gets a
 * token from the throttle (throttle.c), which keeps each action within its documented
 * QPS and, within one action's budget, serves the better priority first: a NextToken
 * page or a keypress takes the next slot of an action that background pages keep busy,
 * without waiting for the pacer. A job refused by the throttle keeps its place; the poll
 * timeout is set to the earliest moment something can start.
 *
 * Retries. Every attempt is prepared afresh (new SignatureNonce and Timestamp: the
 * gateway refuses a reused nonce and a stale timestamp). Reads are retried after a
 * network error, a timeout, a 5xx or an unreadable answer (truncated, not JSON), with
 * exponential backoff and jitter (a random delay in [base*2^n / 2, base*2^n], capped),
 * as long as retries are left and the request's deadline is not passed. A Throttling
 * answer lowers the action's budget (throttle_throttled, which also honours
 * x-acs-retry-after) and requeues the request -- for writes too: the gateway refused it
 * before it reached the service, so nothing was carried out. Writes are otherwise never
 * sent twice: no retry after a network error, a timeout, a 5xx or an unreadable answer;
 * a write sent without a readable answer (or answered 500/502/504) is reported as
 * outcome unknown, with its RequestId when the gateway gave one; and a write always
 * goes on a fresh connection, because libcurl silently resends a request whose reused
 * connection turns out dead, which for a write could mean twice.
 *
 * Read-only. A write submitted to a read-only worker (worker_opts.readonly, or a profile
 * marked read-only in the configuration) never becomes a job: worker_submit files its
 * result at once (API_ERR_CONFIG, WORKER_CODE_READONLY, attempts 0). Every caller -- the
 * console, `iotdeck call`, the operations engine -- goes through worker_submit, so this
 * is the one place the rule is enforced; callers may ask worker_readonly() first to say
 * so earlier, never instead.
 *
 * Cancelling writes, exactly. worker_cancel answers under the lock whether a result will
 * come: a write still queued (never sent, or refused by Throttling and waiting to be sent
 * again, which the service never saw) is dropped and 1 is returned, so its owner can
 * report it as not sent; a write on the wire is left alone and 0 is returned, because
 * its answer (or its "outcome unknown") is the only truth about it. start_job moves a job
 * to the wire under the same lock, so there is no moment where both or neither hold.
 * A write's connection is not kept for reuse afterwards (FORBID_REUSE) either: a batch
 * of thousands of writes would otherwise push the reads' warm connections out of the
 * pool, and hold one idle socket per write on the server.
 *
 * Ownership. The worker copies everything a call gives it. A result belongs to whoever
 * took it from worker_take, answer JSON included. worker_free frees every job, handle
 * and untaken result.
 */
#include "api/worker.h"
#include "core/clock.h"

#include "api/place.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "api/actions.h"
#include "api/throttle.h"
#include "core/xmalloc.h"

_Static_assert(WORKER_PRIOS <= THROTTLE_PRIOS, "the throttle knows every worker priority");

#define MS_NS        (1000LL * 1000)
#define LATENCY_RING 1024
#define IDLE_POLL_MS 1000

/* One worker_submit waiting for a job's answer. */
struct sub {
	struct sub       *next;		/* next subscriber of the same job */
	uint64_t          id;		/* request id */
	uint64_t          tag;		/* cancellation group */
	void             *udata;	/* caller's pointer */
	enum worker_prio  prio;		/* its priority */
	int64_t           submitted;	/* when (ns, monotonic) */
};

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
	/* Transfer state, worker thread only. */
	CURL                *easy;		/* handle while active */
	struct api_prepared  req;		/* signed request of this attempt */
	struct buf           answer;		/* answer bytes */
	char                 errbuf[CURL_ERROR_SIZE];	/* curl's message */
	int64_t              retry_after_ns;	/* x-acs-retry-after of the answer */
};

struct job_list {
	struct job *head, *tail;
};

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
};

void
worker_opts_init(struct worker_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_in_flight = 16;
	o->max_retries = 4;
	o->deadline_ms = 120000;
	o->backoff_base_ms = 200;
	o->backoff_max_ms = 5000;
	o->qps_scale = 1.0;
}

/* ---- lists --------------------------------------------------------------------- */

static void
list_append(struct job_list *l, struct job *j)
{
	j->next = NULL;
	j->prev = l->tail;
	if (l->tail != NULL)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
}

static void
list_remove(struct job_list *l, struct job *j)
{
	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		l->head = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	else
		l->tail = j->prev;
	j->prev = j->next = NULL;
}

static void
job_free(struct job *j)
{
	struct sub *s, *next;

	for (s = j->subs; s != NULL; s = next) {
		next = s->next;
		free(s);
	}
	if (j->easy != NULL) {
		api_easy_abandon(j->easy);
		curl_easy_cleanup(j->easy);
	}
	api_prepared_free(&j->req);
	buf_free(&j->answer);
	params_free(&j->params);
	free(j->action);
	free(j->key);
	free(j);
}

/* ---- results ------------------------------------------------------------------- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
error_copy(struct api_error *dst, const struct api_error *src)
{
	dst->status = src->status;
	dst->http_status = src->http_status;
	dst->code = dup_or_null(src->code);
	dst->message = dup_or_null(src->message);
	dst->request_id = dup_or_null(src->request_id);
	dst->host_id = dup_or_null(src->host_id);
	dst->recommend = dup_or_null(src->recommend);
	dst->outcome_unknown = src->outcome_unknown;
}

void
worker_result_free(struct worker_result *r)
{
	if (r == NULL)
		return;
	free(r->action);
	cJSON_Delete(r->json);
	api_error_clear(&r->err);
	free(r);
}

void
worker_result_free_all(struct worker_result *r)
{
	struct worker_result *next;

	for (; r != NULL; r = next) {
		next = r->next;
		worker_result_free(r);
	}
}

/* Files a result for every subscriber of j and frees j's subscribers. json is consumed.
 * Called with the lock held. */
static void
deliver(struct worker *w, struct job *j, enum api_status st, cJSON *json,
    const struct api_error *err, size_t bytes)
{
	struct sub *s, *next;
	struct worker_result *r;
	int was_empty = w->res_head == NULL, n = 0;
	int shared = j->subs != NULL && j->subs->next != NULL;
	int64_t now = clock_mono_ns();

	for (s = j->subs; s != NULL; s = next) {
		next = s->next;
		r = xcalloc(1, sizeof *r);
		r->id = s->id;
		r->tag = s->tag;
		r->udata = s->udata;
		r->action = xstrdup(j->action);
		r->status = st;
		if (st == API_OK) {
			r->json = next == NULL ? json : cJSON_Duplicate(json, 1);
			if (next == NULL)
				json = NULL;
		} else
			error_copy(&r->err, err);
		r->attempts = j->attempts;
		r->coalesced = shared;
		r->latency_ns = now - s->submitted;
		r->bytes = bytes;
		if (w->res_tail != NULL)
			w->res_tail->next = r;
		else
			w->res_head = r;
		w->res_tail = r;
		w->st.completed++;
		if (st != API_OK)
			w->st.failed++;
		if (n++ > 0)
			w->st.coalesced++;
		free(s);
	}
	j->subs = NULL;
	cJSON_Delete(json);
	if (was_empty && w->res_head != NULL)
		(void)!write(w->pipe_w, "r", 1);
}

/* Fails job j (not on the wire) with a message; frees it. Lock held. */
static void
fail_job(struct worker *w, struct job *j, enum api_status st, const char *code,
    const char *message)
{
	struct api_error err;

	memset(&err, 0, sizeof err);
	api_error_set(&err, st, code, message);
	deliver(w, j, st, NULL, &err, 0);
	api_error_clear(&err);
	job_free(j);
}

/* ---- submitting and cancelling --------------------------------------------------- */

static char *
coalesce_key(const char *action, const struct params *p)
{
	struct params sorted = PARAMS_INIT;
	struct buf key = BUF_INIT;

	if (p != NULL)
		params_copy(&sorted, p);
	params_sort(&sorted);
	buf_adds(&key, action);
	buf_addc(&key, '?');
	if (sorted.n > 0)	/* params_canonical memcpy()s from a NULL array when empty */
		params_canonical(&sorted, &key);
	params_free(&sorted);
	return buf_detach(&key);
}

static struct job *
find_same_read(struct worker *w, const char *key)
{
	struct job *j;
	int p;

	for (p = 0; p < WORKER_PRIOS; p++)
		for (j = w->queue[p].head; j != NULL; j = j->next)
			if (j->key != NULL && strcmp(j->key, key) == 0)
				return j;
	for (j = w->active.head; j != NULL; j = j->next)
		if (j->key != NULL && !j->abort && strcmp(j->key, key) == 0)
			return j;
	return NULL;
}

int
worker_readonly(const struct worker *w)
{
	return w->opts.readonly || w->cfg->readonly;
}

void
worker_set_max_in_flight(struct worker *w, int n)
{
	pthread_mutex_lock(&w->mu);
	w->opts.max_in_flight = n < 1 ? 1 : n;
	w->limit_changed = 1;
	pthread_mutex_unlock(&w->mu);
	curl_multi_wakeup(w->multi);
}

const struct api_config *
worker_config(const struct worker *w)
{
	return w->cfg;
}

/* Files the refusal of a write on a read-only worker as the result of a job that never
 * was (attempts 0). Lock held. */
static void
refuse_write(struct worker *w, struct job *j)
{
	char *msg;

	msg = xasprintf("%s is a write%s and the %s is read-only: nothing was sent", j->action,
	    j->info->name[0] == '\0' ? " (as far as iotdeck knows)" : "",
	    w->opts.readonly ? "session (--readonly)" : "profile");
	fail_job(w, j, API_ERR_CONFIG, WORKER_CODE_READONLY, msg);
	free(msg);
}

uint64_t
worker_submit(struct worker *w, const struct worker_call *call)
{
	const struct action_info *info = action_get(call->action);
	int is_write = info->rw == ACTION_WRITE;
	struct sub *s = xcalloc(1, sizeof *s);
	char *key = NULL;
	struct job *j;
	long deadline_ms = call->deadline_ms > 0 ? call->deadline_ms : w->opts.deadline_ms;
	uint64_t id;

	s->tag = call->tag;
	s->udata = call->udata;
	s->prio = call->prio <= WORKER_BACKGROUND ? call->prio : WORKER_BACKGROUND;
	s->submitted = clock_mono_ns();
	if (!is_write && !call->no_coalesce)
		key = coalesce_key(call->action, call->params);

	pthread_mutex_lock(&w->mu);
	id = ++w->next_id;
	s->id = id;
	w->st.submitted++;
	if (is_write && worker_readonly(w)) {
		/* Never queued: the result is waiting before worker_submit returns. */
		j = xcalloc(1, sizeof *j);
		j->action = xstrdup(call->action);
		j->info = info;
		j->is_write = 1;
		j->subs = s;
		refuse_write(w, j);
		pthread_mutex_unlock(&w->mu);
		return id;
	}
	if (key != NULL && (j = find_same_read(w, key)) != NULL) {
		/* Coalesce: wait for the same answer. A better priority moves it up. */
		s->next = j->subs;
		j->subs = s;
		if (j->state == JOB_QUEUED && s->prio < j->prio) {
			list_remove(&w->queue[j->prio], j);
			j->prio = s->prio;
			list_append(&w->queue[j->prio], j);
		}
		if (s->submitted + deadline_ms * MS_NS > j->deadline)
			j->deadline = s->submitted + deadline_ms * MS_NS;
		free(key);
	} else {
		j = xcalloc(1, sizeof *j);
		j->state = JOB_QUEUED;
		j->prio = s->prio;
		j->action = xstrdup(call->action);
		j->info = info;
		j->is_write = is_write;
		if (call->params != NULL)
			params_copy(&j->params, call->params);
		j->key = key;
		j->subs = s;
		j->deadline = s->submitted + deadline_ms * MS_NS;
		list_append(&w->queue[j->prio], j);
		w->nqueued++;
	}
	pthread_mutex_unlock(&w->mu);
	curl_multi_wakeup(w->multi);
	return id;
}

/* Removes the subscribers of j matching (id or tag); returns how many. Lock held.
 * A write on the wire keeps its subscribers. */
static int
drop_subs(struct worker *w, struct job *j, uint64_t id, uint64_t tag)
{
	struct sub **sp = &j->subs, *s;
	int n = 0;

	if (j->state == JOB_ACTIVE && j->is_write)
		return 0;
	while ((s = *sp) != NULL) {
		if ((id != 0 && s->id == id) || (id == 0 && s->tag == tag)) {
			*sp = s->next;
			free(s);
			n++;
		} else
			sp = &s->next;
	}
	if (n > 0 && j->subs == NULL) {
		if (j->state == JOB_QUEUED) {
			list_remove(&w->queue[j->prio], j);
			w->nqueued--;
			job_free(j);
		} else
			j->abort = 1;	/* the worker removes the transfer */
	}
	return n;
}

/* A read that finished just before it was cancelled sits in the result list: it goes too,
 * so a cancelled request never produces a result. A write's result stays (the user must
 * learn what happened). Lock held. */
static int
drop_results(struct worker *w, uint64_t id, uint64_t tag)
{
	struct worker_result **rp = &w->res_head, *r;
	int n = 0;

	w->res_tail = NULL;
	while ((r = *rp) != NULL) {
		if ((id != 0 ? r->id == id : r->tag == tag) &&
		    action_get(r->action)->rw == ACTION_READ) {
			*rp = r->next;
			worker_result_free(r);
			n++;
			continue;
		}
		w->res_tail = r;
		rp = &r->next;
	}
	return n;
}

static int
cancel_matching(struct worker *w, uint64_t id, uint64_t tag)
{
	struct job *j, *next;
	int p, n = 0;

	pthread_mutex_lock(&w->mu);
	for (p = 0; p < WORKER_PRIOS; p++)
		for (j = w->queue[p].head; j != NULL; j = next) {
			next = j->next;
			n += drop_subs(w, j, id, tag);
		}
	for (j = w->active.head; j != NULL; j = next) {
		next = j->next;
		n += drop_subs(w, j, id, tag);
	}
	n += drop_results(w, id, tag);
	w->st.cancelled += (uint64_t)n;
	pthread_mutex_unlock(&w->mu);
	if (n > 0)
		curl_multi_wakeup(w->multi);
	return n;
}

int
worker_cancel(struct worker *w, uint64_t id)
{
	return id != 0 && cancel_matching(w, id, 0) > 0;
}

int
worker_cancel_tag(struct worker *w, uint64_t tag)
{
	return cancel_matching(w, 0, tag);
}

/* ---- the worker thread ----------------------------------------------------------- */

static size_t
on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct job *j = arg;
	size_t n = size * nmemb;
	static const char name[] = "x-acs-retry-after:";
	int64_t left;

	if (n > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
		/* Clamped to what is left of the request's time before any arithmetic: a
		 * server's huge value neither overflows nor holds the request past its end. */
		left = j->deadline - clock_mono_ns();
		j->retry_after_ns = api_retry_after_ns(data + sizeof name - 1,
		    n - (sizeof name - 1), left > 0 ? left : 0);
	}
	return n;
}

/* Prepares and starts an attempt of j. Lock held (preparing is quick). */
static void
start_job(struct worker *w, struct job *j)
{
	int64_t left_ms;

	api_prepared_free(&j->req);
	buf_reset(&j->answer);
	j->retry_after_ns = 0;
	api_prepare(w->cfg, j->action, &j->params, &j->req);
	api_trace_request(w->cfg, &j->req);
	j->easy = curl_easy_init();
	if (j->easy == NULL) {
		j->not_before = clock_mono_ns() + w->opts.backoff_base_ms * MS_NS;
		return;
	}
	api_easy_setup(j->easy, w->cfg, &j->req, &j->answer, j->errbuf);
	/* An attempt never outlives the request's deadline. */
	left_ms = (j->deadline - clock_mono_ns()) / MS_NS;
	if (left_ms < w->cfg->timeout_ms)
		curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, (long)(left_ms > 1 ? left_ms : 1));
	curl_easy_setopt(j->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(j->easy, CURLOPT_HEADERDATA, j);
	if (j->is_write) {
		curl_easy_setopt(j->easy, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(j->easy, CURLOPT_FORBID_REUSE, 1L);
	}
	list_remove(&w->queue[j->prio], j);
	w->nqueued--;
	j->state = JOB_ACTIVE;
	list_append(&w->active, j);
	w->nactive++;
	j->attempts++;
	w->st.sent++;
	curl_multi_add_handle(w->multi, j->easy);
}

/* Starts what may start; returns the ms until something else might. Lock held. */
static long
schedule(struct worker *w)
{
	int64_t now = clock_mono_ns(), soonest = now + IDLE_POLL_MS * MS_NS, t;
	struct job *j, *next;
	int p, limit;
	char *msg;

	for (p = 0; p < WORKER_PRIOS; p++) {
		limit = w->opts.max_in_flight - p;
		if (limit < 1)
			limit = 1;
		for (j = w->queue[p].head; j != NULL; j = next) {
			next = j->next;
			if (now >= j->deadline) {
				list_remove(&w->queue[p], j);
				w->nqueued--;
				msg = xasprintf("no answer within the deadline (%d attempt%s, "
				    "waiting for the QPS budget or retries)", j->attempts,
				    j->attempts == 1 ? "" : "s");
				fail_job(w, j, API_ERR_TIMEOUT, "Deadline", msg);
				free(msg);
				continue;
			}
			if (w->nactive >= limit)
				break;
			if (j->not_before > now) {
				if (j->not_before < soonest)
					soonest = j->not_before;
				continue;
			}
			t = throttle_take(w->throttle, j->action, &j->params, (int)j->prio);
			if (t > 0) {
				if (now + t < soonest)
					soonest = now + t;
				continue;
			}
			start_job(w, j);
		}
	}
	t = (soonest - now + MS_NS - 1) / MS_NS;
	return t < 0 ? 0 : (long)t;
}

static int
is_throttling(enum api_status st, const struct api_error *err)
{
	return st == API_ERR_GATEWAY && err->code != NULL &&
	    strncmp(err->code, "Throttling", 10) == 0;
}

static int
nonce_used(const struct api_error *err)
{
	return err->code != NULL && strcmp(err->code, "SignatureNonceUsed") == 0;
}

static int
is_retryable_read(enum api_status st, const struct api_error *err)
{
	switch (st) {
	case API_ERR_NETWORK:
	case API_ERR_TIMEOUT:
		return 1;
	case API_ERR_BAD_RESPONSE:
		return 1;	/* truncated, malformed, a proxy's HTML page: ask again */
	case API_ERR_GATEWAY:
		/* SignatureNonceUsed: the service already saw this attempt (libcurl resends a
		 * request once on a reused connection that died); the next attempt is signed
		 * with a fresh nonce. */
		return err->http_status >= 500 || nonce_used(err);
	default:
		return 0;
	}
}

static int64_t
backoff_ns(const struct worker *w, int retry)
{
	int64_t d = w->opts.backoff_base_ms * MS_NS, max = w->opts.backoff_max_ms * MS_NS;
	int i;

	for (i = 1; i < retry && d < max; i++)
		d *= 2;
	if (d > max)
		d = max;
	/* Jitter: uniformly in [d/2, d]. */
	return d / 2 + (int64_t)((double)(d / 2) * ((double)randombytes_uniform(1000001) / 1e6));
}

/* Puts j back in its queue to be sent again at not_before. Lock held. */
static void
requeue(struct worker *w, struct job *j, int64_t not_before)
{
	list_remove(&w->active, j);
	w->nactive--;
	j->state = JOB_QUEUED;
	j->not_before = not_before;
	list_append(&w->queue[j->prio], j);
	w->nqueued++;
	w->st.retried++;
}

/* A transfer ended: classify, retry or deliver. Called unlocked; takes the lock. */
static void
finish_job(struct worker *w, struct job *j, CURLcode rc)
{
	struct api_error err;
	cJSON *json = NULL;
	enum api_status st;
	curl_off_t up = 0, total_us = 0;
	int64_t now = clock_mono_ns(), delay;
	char *msg;

	curl_multi_remove_handle(w->multi, j->easy);
	curl_easy_getinfo(j->easy, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(j->easy, CURLINFO_TOTAL_TIME_T, &total_us);
	st = api_easy_finish(j->easy, rc, j->errbuf, w->cfg, j->is_write, &j->answer, &json,
	    &err);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	if (j->is_write && st != API_OK && !err.outcome_unknown &&
	    ((err.http_status >= 500 && err.http_status != 503) || st == API_ERR_BAD_RESPONSE ||
	    nonce_used(&err))) {
		/* The service failed while handling it, answered something unreadable, or had
		 * seen this very request before: it may or may not have been done. */
		err.outcome_unknown = 1;
		msg = xasprintf("%s; the request reached the service, so it may have been "
		    "carried out: check before repeating it", err.message ? err.message : "");
		free(err.message);
		err.message = msg;
	}

	pthread_mutex_lock(&w->mu);
	w->st.bytes_in += j->answer.len;
	w->st.bytes_out += (uint64_t)up;
	w->lat[w->nlat++ % LATENCY_RING] = (int64_t)total_us * 1000;
	if (j->abort) {
		list_remove(&w->active, j);
		w->nactive--;
		cJSON_Delete(json);
		job_free(j);
		goto done;
	}
	if (is_throttling(st, &err)) {
		w->st.throttled++;
		throttle_throttled(w->throttle, j->action, j->retry_after_ns);
		delay = j->retry_after_ns > 0 ? j->retry_after_ns : backoff_ns(w, 1) / 4;
		if (now + delay < j->deadline) {
			requeue(w, j, now + delay);
			goto done;
		}
	} else if (!j->is_write && is_retryable_read(st, &err) &&
	    j->retries < w->opts.max_retries) {
		delay = backoff_ns(w, j->retries + 1);
		if (now + delay < j->deadline) {
			j->retries++;
			requeue(w, j, now + delay);
			goto done;
		}
	}
	list_remove(&w->active, j);
	w->nactive--;
	deliver(w, j, st, json, &err, j->answer.len);
	json = NULL;
	job_free(j);
done:
	pthread_mutex_unlock(&w->mu);
	api_error_clear(&err);
}

/* Removes aborted transfers (every subscriber cancelled). Called unlocked. */
static void
reap_aborted(struct worker *w)
{
	struct job *j, *next, *dead = NULL;

	pthread_mutex_lock(&w->mu);
	for (j = w->active.head; j != NULL; j = next) {
		next = j->next;
		if (j->abort) {
			list_remove(&w->active, j);
			w->nactive--;
			j->next = dead;
			dead = j;
		}
	}
	pthread_mutex_unlock(&w->mu);
	for (j = dead; j != NULL; j = next) {
		next = j->next;
		curl_multi_remove_handle(w->multi, j->easy);
		job_free(j);
	}
}

/* The connection limits of the multi handle for opts.max_in_flight. Worker thread (or
 * before it starts). */
static void
set_multi_limits(struct worker *w)
{
	curl_multi_setopt(w->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)w->opts.max_in_flight);
	curl_multi_setopt(w->multi, CURLMOPT_MAXCONNECTS, (long)w->opts.max_in_flight + 4);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct job *j;
	CURLMsg *m;
	int running, left;
	long timeout;

	for (;;) {
		reap_aborted(w);
		pthread_mutex_lock(&w->mu);
		if (w->stop) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		if (w->limit_changed) {
			/* The multi handle is this thread's: worker_set_max_in_flight only asks. */
			set_multi_limits(w);
			w->limit_changed = 0;
		}
		timeout = schedule(w);
		pthread_mutex_unlock(&w->mu);

		curl_multi_perform(w->multi, &running);
		while ((m = curl_multi_info_read(w->multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			pthread_mutex_lock(&w->mu);
			for (j = w->active.head; j != NULL && j->easy != m->easy_handle;
			    j = j->next)
				;
			pthread_mutex_unlock(&w->mu);
			if (j != NULL)
				finish_job(w, j, m->data.result);
		}
		/* Something finished: schedule again before sleeping. */
		pthread_mutex_lock(&w->mu);
		if (!w->stop && w->nqueued > 0)
			timeout = schedule(w);
		pthread_mutex_unlock(&w->mu);
		curl_multi_poll(w->multi, NULL, 0, (int)(timeout > IDLE_POLL_MS ? IDLE_POLL_MS :
		    timeout), NULL);
	}
	return NULL;
}

/* ---- life cycle ------------------------------------------------------------------ */

struct worker *
worker_new(const struct api_config *cfg, const struct worker_opts *opts, char **cause)
{
	struct worker *w;
	int fds[2];

	/* No worker for a configuration that cannot send (no endpoint, no key): every
	 * request would fail later, far from the cause. */
	if (api_config_ready(cfg, cause) != 0)
		return NULL;
	w = xcalloc(1, sizeof *w);
	w->cfg = cfg;
	if (opts != NULL)
		w->opts = *opts;
	else
		worker_opts_init(&w->opts);
	if (w->opts.max_in_flight < 1)
		w->opts.max_in_flight = 1;
	if (w->opts.deadline_ms <= 0)
		w->opts.deadline_ms = 120000;
	if (w->opts.backoff_base_ms <= 0)
		w->opts.backoff_base_ms = 200;
	if (w->opts.backoff_max_ms < w->opts.backoff_base_ms)
		w->opts.backoff_max_ms = w->opts.backoff_base_ms;
	w->pipe_r = w->pipe_w = -1;
	pthread_mutex_init(&w->mu, NULL);
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
		*cause = xasprintf("cannot create the worker's pipe: %s", strerror(errno));
		goto fail;
	}
	w->pipe_r = fds[0];
	w->pipe_w = fds[1];
	w->multi = curl_multi_init();
	if (w->multi == NULL) {
		*cause = xstrdup("cannot create a curl multi handle");
		goto fail;
	}
	set_multi_limits(w);
	w->throttle = throttle_new(NULL, w->opts.qps_scale);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		*cause = xstrdup("cannot start the worker thread");
		goto fail;
	}
	return w;
fail:
	if (w->multi != NULL)
		curl_multi_cleanup(w->multi);
	throttle_free(w->throttle);
	if (w->pipe_r >= 0) {
		close(w->pipe_r);
		close(w->pipe_w);
	}
	pthread_mutex_destroy(&w->mu);
	free(w);
	return NULL;
}

void
worker_free(struct worker *w)
{
	struct job *j, *next;
	int p;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_mutex_unlock(&w->mu);
	curl_multi_wakeup(w->multi);
	pthread_join(w->thread, NULL);

	for (j = w->active.head; j != NULL; j = next) {
		next = j->next;
		curl_multi_remove_handle(w->multi, j->easy);
		job_free(j);
	}
	for (p = 0; p < WORKER_PRIOS; p++)
		for (j = w->queue[p].head; j != NULL; j = next) {
			next = j->next;
			job_free(j);
		}
	worker_result_free_all(w->res_head);
	curl_multi_cleanup(w->multi);
	throttle_free(w->throttle);
	close(w->pipe_r);
	close(w->pipe_w);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

int
worker_fd(const struct worker *w)
{
	return w->pipe_r;
}

struct worker_result *
worker_take(struct worker *w)
{
	struct worker_result *r;
	char buf[64];

	pthread_mutex_lock(&w->mu);
	r = w->res_head;
	w->res_head = w->res_tail = NULL;
	while (read(w->pipe_r, buf, sizeof buf) > 0)
		;
	pthread_mutex_unlock(&w->mu);
	return r;
}

int
worker_wait(struct worker *w, int timeout_ms)
{
	struct pollfd pfd = { .fd = w->pipe_r, .events = POLLIN, .revents = 0 };
	int n = poll(&pfd, 1, timeout_ms);

	if (n < 0)
		return errno == EINTR ? -1 : 0;
	return n > 0;
}

/* ---- statistics ------------------------------------------------------------------ */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

struct stats_acc {
	struct worker_stats *st;	/* filled */
	size_t               cap;	/* entries allocated */
};

static void
add_action_stats(void *arg, const char *action, const struct throttle_stats *ts)
{
	struct stats_acc *acc = arg;
	struct worker_action_stats *a;

	if (acc->st->nactions == acc->cap) {
		acc->cap = acc->cap ? acc->cap * 2 : 8;
		acc->st->actions = xreallocarray(acc->st->actions, acc->cap,
		    sizeof *acc->st->actions);
	}
	a = &acc->st->actions[acc->st->nactions++];
	a->action = xstrdup(action);
	a->documented_qps = ts->documented_qps;
	a->budget_qps = ts->budget_qps;
	a->rate = ts->recent;
	a->sent = ts->sent;
	a->throttled = ts->throttled;
}

void
worker_stats(struct worker *w, struct worker_stats *out)
{
	int64_t lat[LATENCY_RING];
	size_t n;
	struct stats_acc acc;

	pthread_mutex_lock(&w->mu);
	*out = w->st;
	out->in_flight = w->nactive;
	out->queued = w->nqueued;
	n = w->nlat < LATENCY_RING ? w->nlat : LATENCY_RING;
	memcpy(lat, w->lat, n * sizeof lat[0]);
	pthread_mutex_unlock(&w->mu);

	out->actions = NULL;
	out->nactions = 0;
	out->latency_p50_ms = out->latency_p95_ms = 0;
	if (n > 0) {
		qsort(lat, n, sizeof lat[0], cmp_i64);
		out->latency_p50_ms = (double)lat[(n - 1) / 2] / 1e6;
		out->latency_p95_ms = (double)lat[(n - 1) * 95 / 100] / 1e6;
	}
	acc.st = out;
	acc.cap = 0;
	throttle_foreach(w->throttle, add_action_stats, &acc);
}

void
worker_stats_free(struct worker_stats *st)
{
	size_t i;

	for (i = 0; i < st->nactions; i++)
		free(st->actions[i].action);
	free(st->actions);
	st->actions = NULL;
	st->nactions = 0;
}
