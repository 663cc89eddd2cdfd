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
 * Chains. A read may name a follow function (NextToken paging): when its answer comes,
 * the worker thread asks it, under the lock, for the parameters of the next link, queues
 * that request (same priority, tag and udata, never coalesced) before it files the answer
 * (whose follow_id names it), and starts it in the same turn. So a link costs its round
 * trip and nothing more: no wake-up of the caller's thread, no parsing there, no wake-up
 * back. Cancelling an answer that queued a link cancels the link too (only the answer
 * told its id).
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
 * Credentials. A configuration may sign with an STS credential that is renewed during the
 * session (a RAM role: api_renewable in client.h). The worker thread renews it when it is
 * due, before it schedules and without the lock (the renewal is an AssumeRole request of
 * its own and may take a while; worker_submit never waits for it), and only when something
 * is waiting to be sent: the waiting requests simply go once it is done, signed with the
 * new value, so none fails or is lost for it. Each attempt is signed with the value
 * current when it starts (api_config_signing). A credential that has expired and could not
 * be renewed fails the job in worker_start_job before anything is sent (API_ERR_CONFIG,
 * API_CODE_CREDENTIAL_EXPIRED, attempts as before). A gateway answer
 * InvalidSecurityToken.Expired for a renewable credential (this clock behind the
 * gateway's) renews at once and sends that request once more, a write too: the gateway
 * refused it before the service saw it.
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
 * its answer (or its "outcome unknown") is the only truth about it. worker_start_job moves
 * a job to the wire under the same lock, so there is no moment where both or neither hold.
 * A write's connection is not kept for reuse afterwards (FORBID_REUSE) either: a batch
 * of thousands of writes would otherwise push the reads' warm connections out of the
 * pool, and hold one idle socket per write on the server.
 *
 * Ownership. The worker copies everything a call gives it. A result belongs to whoever
 * took it from worker_take, answer JSON included. worker_free frees every job, handle
 * and untaken result.
 *
 * Files. This file holds the queues: submitting, coalescing, cancelling, scheduling,
 * filing results, the life cycle and the statistics. worker_transfer.c holds the worker
 * thread: the curl multi loop, preparing and starting attempts, classifying a finished
 * transfer, retries and backoff. worker_impl.h is what both see (job, subscriber, the
 * struct worker and its lock).
 */
#include "api/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/actions.h"
#include "api/place.h"
#include "api/throttle.h"
#include "api/worker_impl.h"
#include "core/clock.h"
#include "core/xmalloc.h"

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

void
worker_list_append(struct job_list *l, struct job *j)
{
	j->next = NULL;
	j->prev = l->tail;
	if (l->tail != NULL)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
}

void
worker_list_remove(struct job_list *l, struct job *j)
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

void
worker_job_free(struct job *j)
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
void
worker_deliver(struct worker *w, struct job *j, enum api_status st, cJSON *json,
    const struct api_error *err, size_t bytes, uint64_t follow_id)
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
		r->follow_id = follow_id;
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
	worker_deliver(w, j, st, NULL, &err, 0, 0);
	api_error_clear(&err);
	worker_job_free(j);
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

/* Queues a new job of action for subscriber s, with a copy of p. Lock held. */
static struct job *
queue_job(struct worker *w, const char *action, const struct action_info *info,
    const struct params *p, struct sub *s, long deadline_ms)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->state = JOB_QUEUED;
	j->prio = s->prio;
	j->action = xstrdup(action);
	j->info = info;
	if (p != NULL)
		params_copy(&j->params, p);
	j->subs = s;
	j->deadline_ms = deadline_ms;
	j->deadline = s->submitted + deadline_ms * MS_NS;
	worker_list_append(&w->queue[j->prio], j);
	w->nqueued++;
	return j;
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
	if (!is_write && !call->no_coalesce && call->follow == NULL)
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
			worker_list_remove(&w->queue[j->prio], j);
			j->prio = s->prio;
			worker_list_append(&w->queue[j->prio], j);
		}
		if (s->submitted + deadline_ms * MS_NS > j->deadline)
			j->deadline = s->submitted + deadline_ms * MS_NS;
		free(key);
	} else {
		j = queue_job(w, call->action, info, call->params, s, deadline_ms);
		j->is_write = is_write;
		j->key = key;
		if (!is_write) {
			j->follow = call->follow;
			j->follow_arg = call->follow_arg;
		}
	}
	pthread_mutex_unlock(&w->mu);
	curl_multi_wakeup(w->multi);
	return id;
}

uint64_t
worker_follow(struct worker *w, struct job *j, const cJSON *json)
{
	struct params next = PARAMS_INIT;
	struct sub *s;
	struct job *f;

	if (j->follow == NULL || j->subs == NULL || j->subs->next != NULL ||
	    !j->follow(j->follow_arg, json, &j->params, &next)) {
		params_free(&next);
		return 0;
	}
	s = xcalloc(1, sizeof *s);
	s->id = ++w->next_id;
	s->tag = j->subs->tag;
	s->udata = j->subs->udata;
	s->prio = j->subs->prio;
	s->submitted = clock_mono_ns();
	w->st.submitted++;
	f = queue_job(w, j->action, j->info, &next, s, j->deadline_ms);
	f->follow = j->follow;
	f->follow_arg = j->follow_arg;
	params_free(&next);
	return s->id;
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
			worker_list_remove(&w->queue[j->prio], j);
			w->nqueued--;
			worker_job_free(j);
		} else
			j->abort = 1;	/* the worker removes the transfer */
	}
	return n;
}

/* A read that finished just before it was cancelled sits in the result list: it goes too,
 * so a cancelled request never produces a result. A write's result stays (the user must
 * learn what happened). *follow: the next link a dropped result had queued (by id; by
 * tag the links share the tag and went with it). Lock held. */
static int
drop_results(struct worker *w, uint64_t id, uint64_t tag, uint64_t *follow)
{
	struct worker_result **rp = &w->res_head, *r;
	int n = 0;

	w->res_tail = NULL;
	while ((r = *rp) != NULL) {
		if ((id != 0 ? r->id == id : r->tag == tag) &&
		    action_get(r->action)->rw == ACTION_READ) {
			*rp = r->next;
			if (id != 0)
				*follow = r->follow_id;
			worker_result_free(r);
			n++;
			continue;
		}
		w->res_tail = r;
		rp = &r->next;
	}
	return n;
}

/* Cancels what matches (id or tag), and the chain links a cancelled answer had queued
 * (nobody else knows their ids). Lock held. */
static int
cancel_locked(struct worker *w, uint64_t id, uint64_t tag)
{
	struct job *j, *next;
	uint64_t follow;
	int p, n = 0;

	do {
		follow = 0;
		for (p = 0; p < WORKER_PRIOS; p++)
			for (j = w->queue[p].head; j != NULL; j = next) {
				next = j->next;
				n += drop_subs(w, j, id, tag);
			}
		for (j = w->active.head; j != NULL; j = next) {
			next = j->next;
			n += drop_subs(w, j, id, tag);
		}
		n += drop_results(w, id, tag, &follow);
		id = follow;
	} while (follow != 0);
	w->st.cancelled += (uint64_t)n;
	return n;
}

static int
cancel_matching(struct worker *w, uint64_t id, uint64_t tag)
{
	int n;

	pthread_mutex_lock(&w->mu);
	n = cancel_locked(w, id, tag);
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

int
worker_cancel_follow(struct worker *w, const void *follow_arg)
{
	struct job *j, *next;
	struct job_list *lists[WORKER_PRIOS + 1];
	int i, n = 0;

	pthread_mutex_lock(&w->mu);
	for (i = 0; i < WORKER_PRIOS; i++)
		lists[i] = &w->queue[i];
	lists[WORKER_PRIOS] = &w->active;
	for (i = 0; i <= WORKER_PRIOS; i++)
		for (j = lists[i]->head; j != NULL; j = next) {
			next = j->next;
			if (j->follow == NULL || j->follow_arg != follow_arg)
				continue;
			j->follow = NULL;	/* an aborted transfer never follows anyway */
			if (j->subs != NULL)	/* never coalesced: its one subscriber */
				n += drop_subs(w, j, j->subs->id, 0);
		}
	w->st.cancelled += (uint64_t)n;
	pthread_mutex_unlock(&w->mu);
	if (n > 0)
		curl_multi_wakeup(w->multi);
	return n;
}

/* Starts what may start; returns the ms until something else might. Lock held. */
long
worker_schedule(struct worker *w)
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
				worker_list_remove(&w->queue[p], j);
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
			worker_start_job(w, j);
		}
	}
	t = (soonest - now + MS_NS - 1) / MS_NS;
	return t < 0 ? 0 : (long)t;
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
	worker_set_multi_limits(w);
	w->throttle = throttle_new(NULL, w->opts.qps_scale);
	if (pthread_create(&w->thread, NULL, worker_thread_main, w) != 0) {
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
		worker_job_free(j);
	}
	for (p = 0; p < WORKER_PRIOS; p++)
		for (j = w->queue[p].head; j != NULL; j = next) {
			next = j->next;
			worker_job_free(j);
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
