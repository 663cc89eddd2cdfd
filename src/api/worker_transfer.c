/* worker_transfer.c — the worker thread: one curl multi handle moves every request;
 * each attempt is prepared and signed afresh, and a finished transfer is classified,
 * retried (reads; a Throttling answer for writes too) or filed as a result. The rules
 * (threads, retries, writes never resent) are in worker.c's DESIGN comment.
 */
#include "api/worker_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/secret.h"
#include "core/xmalloc.h"

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

void
worker_unshow(struct worker *w)
{
	if (w->shown == NULL)
		return;
	secret_hide(w->shown);
	api_cred_hold_release(&w->shown_hold);
	w->shown = NULL;
}

/* Prepares and starts an attempt of j. Lock held (preparing is quick: the credential was
 * renewed, if it had to be, by worker_thread_main before it took the lock). A credential
 * that has expired fails j here, before anything is sent (j is freed). */
void
worker_start_job(struct worker *w, struct job *j)
{
	struct api_config view;
	struct api_cred_hold hold;
	struct api_error err;
	int64_t left_ms;

	if (api_config_signing(w->cfg, &view, &hold, &err) != 0) {
		worker_list_remove(&w->queue[j->prio], j);
		w->nqueued--;
		worker_deliver(w, j, err.status, NULL, &err, 0, 0);
		worker_job_free(j);
		api_error_clear(&err);
		return;
	}
	if (view.access_key_secret != w->shown) {
		/* A new credential (the first, or a renewal's): keep it readable instead. */
		worker_unshow(w);
		if (view.access_key_secret != NULL) {
			secret_reveal(view.access_key_secret);
			w->shown = view.access_key_secret;
			w->shown_hold = hold;
			memset(&hold, 0, sizeof hold);	/* moved: releasing it is a no-op */
		}
	}
	api_prepared_free(&j->req);
	buf_reset(&j->answer);
	j->retry_after_ns = 0;
	api_prepare(&view, j->action, &j->params, &j->req);
	api_trace_request(&view, &j->req);
	j->easy = curl_easy_init();
	if (j->easy == NULL) {
		api_cred_hold_release(&hold);
		j->not_before = clock_mono_ns() + w->opts.backoff_base_ms * MS_NS;
		return;
	}
	api_easy_setup(j->easy, &view, &j->req, &j->answer, j->errbuf);
	api_cred_hold_release(&hold);
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
	worker_list_remove(&w->queue[j->prio], j);
	w->nqueued--;
	j->state = JOB_ACTIVE;
	worker_list_append(&w->active, j);
	w->nactive++;
	j->attempts++;
	w->st.sent++;
	curl_multi_add_handle(w->multi, j->easy);
}

static int
is_throttling(enum api_status st, const struct api_error *err)
{
	return st == API_ERR_GATEWAY && err->code != NULL &&
	    strncmp(err->code, "Throttling", 10) == 0;
}

/* The gateway refused the request's STS token as expired: it did not reach the service,
 * so even a write may go again, with a renewed token. */
static int
token_expired(enum api_status st, const struct api_error *err)
{
	return st == API_ERR_GATEWAY && err->code != NULL &&
	    strcmp(err->code, "InvalidSecurityToken.Expired") == 0;
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
	worker_list_remove(&w->active, j);
	w->nactive--;
	j->state = JOB_QUEUED;
	j->not_before = not_before;
	worker_list_append(&w->queue[j->prio], j);
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
		worker_list_remove(&w->active, j);
		w->nactive--;
		cJSON_Delete(json);
		worker_job_free(j);
		goto done;
	}
	if (token_expired(st, &err) && w->cfg->renew != NULL && !j->token_retried &&
	    now < j->deadline) {
		/* Our clock thought it valid (skew): renew at once, send it once more. */
		j->token_retried = 1;
		w->renew_now = 1;
		requeue(w, j, now);
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
	worker_list_remove(&w->active, j);
	w->nactive--;
	/* The chain's next link is queued before the answer is filed, and the loop starts it
	 * before it sleeps: no round trip through the caller's thread. */
	worker_deliver(w, j, st, json, &err, j->answer.len,
	    st == API_OK ? worker_follow(w, j, json) : 0);
	json = NULL;
	worker_job_free(j);
done:
	pthread_mutex_unlock(&w->mu);
	api_error_clear(&err);
}

/* Renews the configuration's credential when due, or at once when the gateway said it
 * had expired (renew_now). Called unlocked: it may wait for STS. */
static void
refresh_credential(struct worker *w)
{
	int force;

	pthread_mutex_lock(&w->mu);
	force = w->renew_now;
	w->renew_now = 0;
	pthread_mutex_unlock(&w->mu);
	if (force && w->cfg->renew != NULL)
		(void)api_renewable_refresh(w->cfg->renew, 1, NULL);
	else
		(void)api_config_refresh(w->cfg, NULL);
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
			worker_list_remove(&w->active, j);
			w->nactive--;
			j->next = dead;
			dead = j;
		}
	}
	pthread_mutex_unlock(&w->mu);
	for (j = dead; j != NULL; j = next) {
		next = j->next;
		curl_multi_remove_handle(w->multi, j->easy);
		worker_job_free(j);
	}
}

/* The connection limits of the multi handle for opts.max_in_flight. Worker thread (or
 * before it starts). */
void
worker_set_multi_limits(struct worker *w)
{
	curl_multi_setopt(w->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)w->opts.max_in_flight);
	curl_multi_setopt(w->multi, CURLMOPT_MAXCONNECTS, (long)w->opts.max_in_flight + 4);
}

void *
worker_thread_main(void *arg)
{
	struct worker *w = arg;
	struct job *j;
	CURLMsg *m;
	int running, left, waiting;
	long timeout;

	for (;;) {
		reap_aborted(w);
		/* A credential due for renewal is renewed here, by this thread, before anything
		 * waiting is signed and without the lock (the renewal is a request of its own):
		 * the waiting requests go out with the new one, none fails for it. */
		pthread_mutex_lock(&w->mu);
		waiting = w->nqueued > 0 && !w->stop;
		pthread_mutex_unlock(&w->mu);
		if (waiting)
			refresh_credential(w);
		pthread_mutex_lock(&w->mu);
		if (w->stop) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		if (w->limit_changed) {
			/* The multi handle is this thread's: worker_set_max_in_flight only asks. */
			worker_set_multi_limits(w);
			w->limit_changed = 0;
		}
		timeout = worker_schedule(w);
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
		/* Something finished: schedule again before sleeping (a chain's next link may
		 * be waiting: its credential is renewed first too). */
		pthread_mutex_lock(&w->mu);
		waiting = w->nqueued > 0 && !w->stop;
		pthread_mutex_unlock(&w->mu);
		if (waiting) {
			refresh_credential(w);
			pthread_mutex_lock(&w->mu);
			if (!w->stop && w->nqueued > 0)
				timeout = worker_schedule(w);
			pthread_mutex_unlock(&w->mu);
		}
		pthread_mutex_lock(&w->mu);
		if (w->nqueued == 0 && w->nactive == 0)
			worker_unshow(w);	/* nothing to sign until someone submits */
		pthread_mutex_unlock(&w->mu);
		curl_multi_poll(w->multi, NULL, 0, (int)(timeout > IDLE_POLL_MS ? IDLE_POLL_MS :
		    timeout), NULL);
	}
	worker_unshow(w);
	return NULL;
}
