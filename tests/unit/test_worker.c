/* test_worker.c — the worker thread against a scriptable loopback server: answers come
 * back through the fd, priorities order the queue, cancellation frees everything and
 * produces no result, identical reads are coalesced, reads are retried (5xx, resets,
 * Throttling) with a fresh nonce each time, writes never are, and a write without an
 * answer is reported as outcome unknown, a chain's next link goes from the worker thread.
 * Not timed: every wait is bounded but generous. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/worker.h"
#include "core/secret.h"
#include "core/xmalloc.h"
#include "stubserver.h"

/* ---- a scripted server --------------------------------------------------------- */

#define MAX_SEEN 64

/* What the handler does, chosen by a "Mode" parameter of the request, and what it saw. */
struct script {
	int   failures_left;		/* answers to spoil before a good one */
	int   seen;			/* requests recorded */
	char  names[MAX_SEEN][32];	/* their "Name" parameter, in arrival order */
	char  nonces[MAX_SEEN][40];	/* their SignatureNonce */
	char  stamps[MAX_SEEN][32];	/* their Timestamp */
};

static struct script sc;

static void
handler(void *arg, const struct stub_request *rq, struct stub_reply *out)
{
	const char *mode = params_get(rq->params, "Mode");
	const char *name = params_get(rq->params, "Name");
	const char *nonce = params_get(rq->params, "SignatureNonce");
	const char *ts = params_get(rq->params, "Timestamp");

	(void)arg;
	if (sc.seen < MAX_SEEN) {
		snprintf(sc.names[sc.seen], sizeof sc.names[0], "%s", name ? name : "");
		snprintf(sc.nonces[sc.seen], sizeof sc.nonces[0], "%s", nonce ? nonce : "");
		snprintf(sc.stamps[sc.seen], sizeof sc.stamps[0], "%s", ts ? ts : "");
		sc.seen++;
	}
	mode = mode ? mode : "ok";
	out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Success\":true,\"Data\":{\"Name\":\"%s\"}}",
	    rq->seq, name ? name : "");
	if (strcmp(mode, "hold") == 0) {
		out->kind = STUB_HOLD;
		return;
	}
	if (strcmp(mode, "stall") == 0) {
		out->kind = STUB_STALL;
		return;
	}
	if (sc.failures_left > 0) {
		sc.failures_left--;
		free(out->body);
		out->body = NULL;
		if (strcmp(mode, "500") == 0) {
			out->http = 500;
			out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Code\":\"InternalError\","
			    "\"Message\":\"The request processing has failed.\"}", rq->seq);
		} else if (strcmp(mode, "throttle") == 0) {
			out->http = 400;
			out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Code\":\"Throttling.User\","
			    "\"Message\":\"Request was denied due to user flow control.\"}", rq->seq);
			out->headers = xstrdup("x-acs-retry-after: 30\r\n");
		} else if (strcmp(mode, "nonceused") == 0) {
			out->http = 400;
			out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Code\":\"SignatureNonceUsed\","
			    "\"Message\":\"Specified signature nonce was used already.\"}", rq->seq);
		} else if (strcmp(mode, "slowthrottle") == 0) {
			out->http = 400;
			out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Code\":\"Throttling.User\","
			    "\"Message\":\"Request was denied due to user flow control.\"}", rq->seq);
			out->headers = xstrdup("x-acs-retry-after: 600\r\n");
		} else if (strcmp(mode, "hugethrottle") == 0) {
			out->http = 400;
			out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Code\":\"Throttling.User\","
			    "\"Message\":\"Request was denied due to user flow control.\"}", rq->seq);
			out->headers = xstrdup("x-acs-retry-after: 99999999999999999999999999\r\n");
		} else if (strcmp(mode, "close") == 0)
			out->kind = STUB_CLOSE;
		else if (strcmp(mode, "stallfail") == 0)
			out->kind = STUB_STALL;
		else if (strcmp(mode, "malformed") == 0)
			out->body = xstrdup("{\"RequestId\":\"R-trunc");
	}
}

/* ---- helpers ------------------------------------------------------------------- */

static struct stub_server *srv;
static struct api_config cfg;

static void
setup_cfg(long timeout_ms)
{
	api_config_init(&cfg);
	cfg.endpoint = xstrdup(stub_url(srv));
	cfg.endpoint_loopback = 1;
	cfg.region = xstrdup("cn-shanghai");
	cfg.access_key_id = xstrdup("LTAItestkey");
	api_config_set_secret(&cfg, "test-secret");
	cfg.timeout_ms = timeout_ms;
}

static struct worker *
start(int max_in_flight, long timeout_ms)
{
	struct worker_opts o;
	struct worker *w;
	char *cause = NULL;

	memset(&sc, 0, sizeof sc);
	srv = stub_start(handler, NULL);
	setup_cfg(timeout_ms);
	worker_opts_init(&o);
	o.max_in_flight = max_in_flight;
	o.backoff_base_ms = 10;
	o.backoff_max_ms = 40;
	o.deadline_ms = 20000;
	w = worker_new(&cfg, &o, &cause);
	if (w == NULL)
		fail_msg("worker_new: %s", cause);
	return w;
}

static void
finish(struct worker *w)
{
	worker_free(w);
	stub_stop(srv);
	api_config_free(&cfg);
}

static uint64_t
submit(struct worker *w, const char *action, const char *name, const char *mode,
    enum worker_prio prio, uint64_t tag)
{
	struct params p = PARAMS_INIT;
	struct worker_call c;
	uint64_t id;

	if (name != NULL)
		params_set(&p, "Name", name);
	if (mode != NULL)
		params_set(&p, "Mode", mode);
	memset(&c, 0, sizeof c);
	c.action = action;
	c.params = &p;
	c.prio = prio;
	c.tag = tag;
	id = worker_submit(w, &c);
	params_free(&p);
	return id;
}

/* Collects results until n have come (or 10 s pass); returns them as a list. */
static struct worker_result *
collect(struct worker *w, int n)
{
	struct worker_result *head = NULL, **tail = &head, *r;
	int got = 0, i;

	for (i = 0; i < 1000 && got < n; i++) {
		worker_wait(w, 10);
		for (r = worker_take(w); r != NULL; r = r->next) {
			*tail = r;
			tail = &r->next;
			got++;
		}
	}
	if (got != n)
		fail_msg("expected %d results, got %d", n, got);
	return head;
}

static void
wait_requests(int n)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int i;

	for (i = 0; i < 5000 && stub_count(srv) < n; i++)
		nanosleep(&ts, NULL);
	assert_true(stub_count(srv) >= n);
}

static struct worker_result *
find(struct worker_result *r, uint64_t id)
{
	for (; r != NULL; r = r->next)
		if (r->id == id)
			return r;
	fail_msg("no result for request %llu", (unsigned long long)id);
	return NULL;
}

static const char *
data_name(const struct worker_result *r)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(r->json, "Data");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(d, "Name");

	return cJSON_IsString(n) ? n->valuestring : "";
}

/* ---- tests --------------------------------------------------------------------- */

static void
test_basic(void **state)
{
	struct worker *w = start(4, 3000);
	struct worker_result *r;
	struct worker_stats st;
	uint64_t id;

	(void)state;
	id = submit(w, "QueryDeviceDetail", "dev1", NULL, WORKER_INTERACTIVE, 0);
	assert_true(id > 0);
	r = collect(w, 1);
	assert_int_equal(r->id, id);
	assert_int_equal(r->status, API_OK);
	assert_string_equal(r->action, "QueryDeviceDetail");
	assert_string_equal(data_name(r), "dev1");
	assert_int_equal(r->attempts, 1);
	assert_true(r->bytes > 0);
	assert_null(worker_take(w));	/* nothing else, and the fd is drained */
	assert_int_equal(worker_wait(w, 0), 0);
	worker_stats(w, &st);
	assert_int_equal(st.submitted, 1);
	assert_int_equal(st.completed, 1);
	assert_int_equal(st.sent, 1);
	assert_int_equal(st.in_flight, 0);
	assert_int_equal(st.queued, 0);
	assert_true(st.bytes_in > 0 && st.bytes_out > 0);
	assert_int_equal(st.nactions, 1);
	assert_string_equal(st.actions[0].action, "QueryDeviceDetail");
	assert_int_equal(st.actions[0].documented_qps, 50);
	assert_int_equal(st.actions[0].sent, 1);
	worker_stats_free(&st);
	worker_result_free_all(r);
	finish(w);
}

/* The secret stays readable while a request is on the wire (one reveal held by the
 * worker, so that signing each request changes no page protection), and is hidden again
 * once the worker has nothing to do. */
static void
test_secret_shown_while_busy(void **state)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	struct worker *w = start(4, 5000);
	struct worker_result *r;
	int i;

	(void)state;
	assert_int_equal(secret_readers(cfg.access_key_secret), 0);
	submit(w, "QueryDeviceDetail", "held", "hold", WORKER_INTERACTIVE, 0);
	wait_requests(1);
	assert_int_equal(secret_readers(cfg.access_key_secret), 1);
	stub_release(srv);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	worker_result_free_all(r);
	for (i = 0; i < 5000 && secret_readers(cfg.access_key_secret) != 0; i++)
		nanosleep(&ts, NULL);
	assert_int_equal(secret_readers(cfg.access_key_secret), 0);
	finish(w);
}

static void
test_priorities(void **state)
{
	struct worker *w = start(1, 5000);
	struct worker_result *r;

	(void)state;
	/* Occupy the only slot, then queue lowest priority first. */
	submit(w, "QueryDeviceDetail", "block", "hold", WORKER_INTERACTIVE, 0);
	wait_requests(1);
	submit(w, "QueryDeviceDetail", "bg1", NULL, WORKER_BACKGROUND, 0);
	submit(w, "QueryDeviceDetail", "bg2", NULL, WORKER_BACKGROUND, 0);
	submit(w, "QueryDeviceDetail", "live", NULL, WORKER_REFRESH, 0);
	submit(w, "QueryDeviceDetail", "key", NULL, WORKER_INTERACTIVE, 0);
	stub_release(srv);
	r = collect(w, 5);
	assert_int_equal(sc.seen, 5);
	assert_string_equal(sc.names[0], "block");
	assert_string_equal(sc.names[1], "key");
	assert_string_equal(sc.names[2], "live");
	assert_string_equal(sc.names[3], "bg1");
	assert_string_equal(sc.names[4], "bg2");
	worker_result_free_all(r);
	finish(w);
}

/* A follow function: the next link's Name is this answer's with an "x" more, until four
 * letters; arg (when not NULL) is the Mode of the links after the first. */
static int
follow_name(void *arg, const cJSON *json, const struct params *sent, struct params *next)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(json, "Data");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(d, "Name");
	char name[32];

	if (!cJSON_IsString(n) || strlen(n->valuestring) >= 4)
		return 0;
	params_copy(next, sent);
	snprintf(name, sizeof name, "%sx", n->valuestring);
	params_set(next, "Name", name);
	if (arg != NULL)
		params_set(next, "Mode", arg);
	return 1;
}

static char stall_mode[] = "stall";

static uint64_t
submit_chain(struct worker *w, const char *name, void *follow_arg)
{
	struct params p = PARAMS_INIT;
	struct worker_call c;
	uint64_t id;

	params_set(&p, "Name", name);
	memset(&c, 0, sizeof c);
	c.action = "QueryDevice";
	c.params = &p;
	c.prio = WORKER_BACKGROUND;
	c.tag = 5;
	c.follow = follow_name;
	c.follow_arg = follow_arg;
	id = worker_submit(w, &c);
	params_free(&p);
	return id;
}

/* A chain: the worker sends each link as soon as the answer before it is in, and each
 * result names the link it queued; cancelling an answer that queued a link cancels the
 * link (here stalled on the wire) too, and so does cancelling by follow argument. */
static void
test_chain_follow(void **state)
{
	struct worker *w = start(1, 5000);
	struct worker_result *r, *x;
	struct worker_stats st;
	uint64_t id, next;
	int i;

	(void)state;
	id = submit_chain(w, "c", NULL);
	r = collect(w, 4);
	for (next = id, i = 0; i < 4; i++) {
		x = find(r, next);
		assert_int_equal(x->status, API_OK);
		assert_int_equal((int)strlen(data_name(x)), i + 1);
		assert_int_equal(x->tag, 5);
		next = x->follow_id;
		assert_true(i == 3 ? next == 0 : next != 0);
	}
	assert_int_equal(sc.seen, 4);
	assert_string_equal(sc.names[3], "cxxx");
	worker_result_free_all(r);

	id = submit_chain(w, "s", stall_mode);
	wait_requests(6);	/* the first link answered, the second stalls */
	while (worker_wait(w, 10000) == 0)
		;
	assert_int_equal(worker_cancel(w, id), 1);
	assert_null(worker_take(w));	/* the answer went with it */
	worker_stats(w, &st);
	assert_int_equal(st.cancelled, 2);	/* and the link on the wire */
	worker_stats_free(&st);
	id = submit(w, "QueryDeviceDetail", "after", NULL, WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->id, id);
	worker_result_free_all(r);

	/* An answer taken but never handled: its link is cancelled by its follow argument,
	 * so the argument may be freed. */
	id = submit_chain(w, "t", stall_mode);
	wait_requests(9);	/* "after", then "t" answered and "tx" stalls */
	r = collect(w, 1);
	assert_int_equal(r->id, id);
	assert_true(r->follow_id != 0);
	assert_int_equal(worker_cancel_follow(w, stall_mode), 1);
	assert_int_equal(worker_cancel_follow(w, stall_mode), 0);
	assert_int_equal(worker_cancel(w, r->follow_id), 0);	/* already gone */
	worker_result_free_all(r);
	finish(w);
}

static void
test_cancel(void **state)
{
	struct worker *w = start(1, 5000);
	struct worker_result *r;
	struct worker_stats st;
	uint64_t a, b, c, d, e;

	(void)state;
	a = submit(w, "QueryDeviceDetail", "block", "hold", WORKER_INTERACTIVE, 0);
	wait_requests(1);
	b = submit(w, "QueryDeviceDetail", "pane7-a", NULL, WORKER_BACKGROUND, 7);
	c = submit(w, "QueryDeviceDetail", "pane7-b", NULL, WORKER_REFRESH, 7);
	d = submit(w, "QueryDeviceDetail", "pane8", NULL, WORKER_BACKGROUND, 8);
	e = submit(w, "QueryDeviceDetail", "single", NULL, WORKER_BACKGROUND, 8);
	assert_int_equal(worker_cancel_tag(w, 7), 2);
	assert_int_equal(worker_cancel(w, e), 1);
	assert_int_equal(worker_cancel(w, e), 0);	/* already gone */
	assert_int_equal(worker_cancel(w, 999999), 0);
	worker_stats(w, &st);
	assert_int_equal(st.queued, 1);
	assert_int_equal(st.in_flight, 1);
	assert_int_equal(st.cancelled, 3);
	worker_stats_free(&st);
	stub_release(srv);
	r = collect(w, 2);
	find(r, a);
	find(r, d);
	assert_int_equal(sc.seen, 2);
	(void)b;
	(void)c;
	worker_result_free_all(r);

	/* Cancelling a read on the wire aborts it: no result. */
	a = submit(w, "QueryDeviceDetail", "stuck", "stall", WORKER_INTERACTIVE, 0);
	wait_requests(3);
	assert_int_equal(worker_cancel(w, a), 1);
	b = submit(w, "QueryDeviceDetail", "after", NULL, WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->id, b);	/* the slot was freed by the abort */
	worker_result_free_all(r);

	/* Freeing the worker with requests queued and on the wire frees them all. */
	submit(w, "QueryDeviceDetail", "stuck2", "stall", WORKER_INTERACTIVE, 0);
	submit(w, "QueryDeviceDetail", "queued1", NULL, WORKER_BACKGROUND, 0);
	submit(w, "QueryDeviceDetail", "queued2", NULL, WORKER_REFRESH, 0);
	wait_requests(5);
	finish(w);
}

static void
test_coalesce(void **state)
{
	struct worker *w = start(1, 5000);
	struct worker_result *r, *x;
	struct worker_stats st;
	uint64_t a, b, c, d, wr1, wr2;
	int n = 0;

	(void)state;
	/* b joins a on the wire; c and d wait together in the queue. */
	a = submit(w, "QueryDeviceDetail", "same", "hold", WORKER_INTERACTIVE, 0);
	wait_requests(1);
	b = submit(w, "QueryDeviceDetail", "same", "hold", WORKER_REFRESH, 0);
	c = submit(w, "QueryDeviceDetail", "other", NULL, WORKER_BACKGROUND, 0);
	d = submit(w, "QueryDeviceDetail", "other", NULL, WORKER_INTERACTIVE, 0);
	/* Writes are never shared. */
	wr1 = submit(w, "SetDeviceProperty", "w", NULL, WORKER_INTERACTIVE, 0);
	wr2 = submit(w, "SetDeviceProperty", "w", NULL, WORKER_INTERACTIVE, 0);
	stub_release(srv);
	r = collect(w, 6);
	assert_int_equal(sc.seen, 4);	/* same, other, w, w */
	assert_int_equal(find(r, a)->status, API_OK);
	assert_int_equal(find(r, b)->status, API_OK);
	assert_true(find(r, a)->json != find(r, b)->json);	/* each owns a copy */
	assert_true(find(r, a)->coalesced && find(r, b)->coalesced);
	assert_string_equal(data_name(find(r, c)), "other");
	assert_string_equal(data_name(find(r, d)), "other");
	assert_false(find(r, wr1)->coalesced);
	assert_false(find(r, wr2)->coalesced);
	for (x = r; x != NULL; x = x->next)
		n++;
	assert_int_equal(n, 6);
	worker_stats(w, &st);
	assert_int_equal(st.coalesced, 2);
	assert_int_equal(st.sent, 4);
	worker_stats_free(&st);
	worker_result_free_all(r);
	finish(w);

	/* Cancelling one of two coalesced readers keeps the transfer for the other. */
	w = start(1, 5000);
	a = submit(w, "QueryDeviceDetail", "shared", "hold", WORKER_INTERACTIVE, 0);
	b = submit(w, "QueryDeviceDetail", "shared", "hold", WORKER_INTERACTIVE, 0);
	wait_requests(1);
	assert_int_equal(worker_cancel(w, a), 1);
	stub_release(srv);
	r = collect(w, 1);
	assert_int_equal(r->id, b);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(sc.seen, 1);
	worker_result_free_all(r);
	finish(w);
}

static void
test_retry_reads(void **state)
{
	struct worker *w = start(4, 2000);
	struct worker_result *r;
	struct worker_stats st;
	int i;

	(void)state;
	/* Two 500s, then an answer: three attempts, each signed afresh. */
	sc.failures_left = 2;
	submit(w, "QueryDeviceDetail", "r500", "500", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(r->attempts, 3);
	assert_int_equal(sc.seen, 3);
	for (i = 1; i < 3; i++) {
		assert_string_not_equal(sc.nonces[i], sc.nonces[0]);
		assert_int_equal(strlen(sc.stamps[i]), 20);
	}
	assert_string_not_equal(sc.nonces[1], sc.nonces[2]);
	worker_result_free_all(r);

	/* Reset connections, then an answer. */
	sc.failures_left = 2;
	submit(w, "QueryDeviceDetail", "rclose", "close", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	/* libcurl itself resends a read once when a reused connection was dead. */
	assert_true(r->attempts >= 2 && r->attempts <= 3);
	worker_result_free_all(r);

	/* Throttling: requeued after x-acs-retry-after, the budget lowered. */
	sc.failures_left = 1;
	submit(w, "QueryDevice", "rthr", "throttle", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(r->attempts, 2);
	worker_result_free_all(r);
	worker_stats(w, &st);
	assert_int_equal(st.throttled, 1);
	assert_true(st.retried >= 4 && st.retried <= 5);
	for (i = 0; i < (int)st.nactions; i++)
		if (strcmp(st.actions[i].action, "QueryDevice") == 0) {
			assert_int_equal(st.actions[i].throttled, 1);
			assert_true(st.actions[i].budget_qps < 50);
		}
	worker_stats_free(&st);

	/* A retry-after past the request's deadline: no overflow, no wait beyond it; the
	 * Throttling error comes back. */
	sc.failures_left = 1;
	submit(w, "QueryDeviceStatistics", "rhuge", "hugethrottle", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_ERR_GATEWAY);
	assert_string_equal(r->err.code, "Throttling.User");
	assert_int_equal(r->attempts, 1);
	worker_result_free_all(r);

	/* SignatureNonceUsed on a read: the service saw that attempt already; the next
	 * one, with a fresh nonce, succeeds. */
	sc.failures_left = 1;
	submit(w, "QueryDeviceDetail", "rnonce", "nonceused", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(r->attempts, 2);
	worker_result_free_all(r);

	/* An unreadable answer to a read: asked again. */
	sc.failures_left = 1;
	submit(w, "QueryDeviceDetail", "rmal", "malformed", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(r->attempts, 2);
	worker_result_free_all(r);

	/* Out of retries: the last error comes back. */
	sc.failures_left = 100;
	submit(w, "QueryDeviceDetail", "always", "500", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_ERR_GATEWAY);
	assert_int_equal(r->attempts, 5);	/* 1 + max_retries */
	assert_string_equal(r->err.code, "InternalError");
	assert_int_equal(r->err.outcome_unknown, 0);
	worker_result_free_all(r);
	finish(w);
}

static void
test_writes_never_resent(void **state)
{
	struct worker *w = start(4, 300);
	struct worker_result *r;
	int before;

	(void)state;
	/* A 500 on a write: not retried; the service may have done it. */
	sc.failures_left = 1;
	submit(w, "SetDeviceProperty", "w500", "500", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_ERR_GATEWAY);
	assert_int_equal(r->attempts, 1);
	assert_int_equal(sc.seen, 1);
	assert_int_equal(r->err.outcome_unknown, 1);
	assert_non_null(r->err.request_id);
	assert_string_equal(r->err.request_id, "R-1");
	worker_result_free_all(r);

	/* SignatureNonceUsed on a write: the service had this very request: it may have
	 * been carried out, so it is not sent again. */
	sc.failures_left = 1;
	submit(w, "SetDeviceProperty", "wnonce", "nonceused", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_ERR_GATEWAY);
	assert_int_equal(r->attempts, 1);
	assert_int_equal(r->err.outcome_unknown, 1);
	worker_result_free_all(r);

	/* Sent, then the connection dropped: outcome unknown, not resent. */
	sc.failures_left = 1;
	before = stub_count(srv);
	submit(w, "DeleteDevice", "wclose", "close", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_ERR_NETWORK);
	assert_int_equal(r->err.outcome_unknown, 1);
	assert_int_equal(r->attempts, 1);
	assert_int_equal(stub_count(srv), before + 1);
	worker_result_free_all(r);

	/* Sent, then no answer in time: outcome unknown, not resent. */
	sc.failures_left = 1;
	before = stub_count(srv);
	submit(w, "SetDeviceProperty", "wstall", "stallfail", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_ERR_TIMEOUT);
	assert_int_equal(r->err.outcome_unknown, 1);
	assert_non_null(strstr(r->err.message, "may have been carried out"));
	assert_int_equal(stub_count(srv), before + 1);
	worker_result_free_all(r);

	/* An unreadable answer to a write: it may have been done; not resent. */
	sc.failures_left = 1;
	before = stub_count(srv);
	submit(w, "SetDeviceProperty", "wmal", "malformed", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_ERR_BAD_RESPONSE);
	assert_int_equal(r->err.outcome_unknown, 1);
	assert_int_equal(r->attempts, 1);
	assert_int_equal(stub_count(srv), before + 1);
	worker_result_free_all(r);

	/* A read that timed out is retried (and the retry succeeds). */
	sc.failures_left = 1;
	submit(w, "QueryDeviceDetail", "rstall", "stallfail", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(r->attempts, 2);
	worker_result_free_all(r);

	/* A Throttling refusal means the write was not carried out: it is requeued. */
	sc.failures_left = 1;
	submit(w, "SetDeviceProperty", "wthr", "throttle", WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(r->attempts, 2);
	worker_result_free_all(r);
	finish(w);
}

/* Read-only is enforced by the worker: a write is refused before it is queued, with a
 * result that says so, and never reaches the server; reads still go. */
static void
test_readonly(void **state)
{
	struct worker_opts o;
	struct worker *w;
	struct worker_result *r;
	char *cause = NULL;
	uint64_t id;

	(void)state;
	memset(&sc, 0, sizeof sc);
	srv = stub_start(handler, NULL);
	setup_cfg(3000);
	worker_opts_init(&o);
	o.readonly = 1;
	w = worker_new(&cfg, &o, &cause);
	assert_non_null(w);
	assert_int_equal(worker_readonly(w), 1);
	assert_ptr_equal(worker_config(w), &cfg);

	id = submit(w, "SetDeviceProperty", "w", NULL, WORKER_BACKGROUND, 42);
	assert_true(id > 0);
	r = worker_take(w);	/* waiting already: no wait needed */
	assert_non_null(r);
	assert_null(r->next);
	assert_int_equal(r->id, id);
	assert_int_equal(r->tag, 42);
	assert_int_equal(r->status, API_ERR_CONFIG);
	assert_string_equal(r->err.code, WORKER_CODE_READONLY);
	assert_non_null(strstr(r->err.message, "SetDeviceProperty is a write"));
	assert_non_null(strstr(r->err.message, "session (--readonly)"));
	assert_int_equal(r->attempts, 0);
	assert_int_equal(r->err.outcome_unknown, 0);
	worker_result_free_all(r);
	/* An action iotdeck does not know counts as a write. */
	submit(w, "FrobnicateDevice", "w", NULL, WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_string_equal(r->err.code, WORKER_CODE_READONLY);
	assert_non_null(strstr(r->err.message, "as far as iotdeck knows"));
	worker_result_free_all(r);
	/* Reads are untouched. */
	submit(w, "QueryDeviceDetail", "r", NULL, WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_int_equal(r->status, API_OK);
	worker_result_free_all(r);
	assert_int_equal(stub_count(srv), 1);
	worker_free(w);

	/* A read-only profile (the configuration) is refused the same way. */
	cfg.readonly = 1;
	worker_opts_init(&o);
	w = worker_new(&cfg, &o, &cause);
	assert_int_equal(worker_readonly(w), 1);
	submit(w, "InvokeThingService", "w", NULL, WORKER_INTERACTIVE, 0);
	r = collect(w, 1);
	assert_string_equal(r->err.code, WORKER_CODE_READONLY);
	assert_non_null(strstr(r->err.message, "the profile is read-only"));
	worker_result_free_all(r);
	assert_int_equal(stub_count(srv), 1);
	cfg.readonly = 0;
	finish(w);
}

/* worker_cancel on a write says exactly whether its result will come: 1 for a write that
 * was still waiting (never carried out, no result), 0 for one on the wire (its result
 * comes). A write requeued after a Throttling refusal counts as waiting. */
static void
test_cancel_writes(void **state)
{
	struct worker *w = start(1, 5000);
	struct worker_result *r;
	struct worker_stats st;
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	uint64_t a, b, c, d;
	int i;

	(void)state;
	/* The only slot is taken by a held read; a write waits behind it. */
	submit(w, "QueryDeviceDetail", "block", "hold", WORKER_INTERACTIVE, 0);
	wait_requests(1);
	a = submit(w, "SetDeviceProperty", "queued", NULL, WORKER_BACKGROUND, 5);
	b = submit(w, "SetDeviceProperty", "queued-tag", NULL, WORKER_BACKGROUND, 6);
	assert_int_equal(worker_cancel(w, a), 1);
	assert_int_equal(worker_cancel(w, a), 0);	/* gone: no result will come */
	assert_int_equal(worker_cancel_tag(w, 6), 1);
	stub_release(srv);
	r = collect(w, 1);	/* only the read */
	assert_string_equal(data_name(r), "block");
	worker_result_free_all(r);
	nanosleep(&ts, NULL);
	assert_null(worker_take(w));
	assert_int_equal(stub_count(srv), 1);	/* neither write was sent */
	(void)b;

	/* A write on the wire is not cancelled: its result comes. */
	c = submit(w, "SetDeviceProperty", "onwire", "hold", WORKER_BACKGROUND, 7);
	wait_requests(2);
	assert_int_equal(worker_cancel(w, c), 0);
	assert_int_equal(worker_cancel_tag(w, 7), 0);
	stub_release(srv);
	r = collect(w, 1);
	assert_int_equal(r->id, c);
	assert_int_equal(r->status, API_OK);
	assert_int_equal(r->attempts, 1);
	/* Its result, waiting to be taken, is not dropped by a cancel either. */
	worker_result_free_all(r);

	/* Refused by Throttling (the service never saw it) and waiting to be sent again:
	 * cancelled, not sent again, no result. */
	sc.failures_left = 1;
	d = submit(w, "SetDeviceProperty", "throttled", "slowthrottle", WORKER_BACKGROUND, 8);
	for (i = 0; i < 500; i++) {
		worker_stats(w, &st);
		worker_stats_free(&st);
		if (st.throttled == 1 && st.queued == 1)
			break;
		nanosleep(&(struct timespec){ 0, 2 * 1000 * 1000 }, NULL);
	}
	assert_int_equal(st.throttled, 1);
	assert_int_equal(worker_cancel(w, d), 1);
	nanosleep(&(struct timespec){ 0, 800 * 1000 * 1000 }, NULL);	/* past its retry-after */
	assert_null(worker_take(w));
	assert_int_equal(stub_count(srv), 3);
	finish(w);
}

/* Many requests, many connections, results all accounted for. */
static void
test_many(void **state)
{
	struct worker *w = start(8, 5000);
	struct worker_result *r, *x;
	char name[32];
	int i, n = 0;

	(void)state;
	for (i = 0; i < 120; i++) {
		snprintf(name, sizeof name, "d%d", i);
		submit(w, "QueryDeviceGroupList", name, NULL, (enum worker_prio)(i % 3), 0);
	}
	r = collect(w, 120);
	for (x = r; x != NULL; x = x->next) {
		assert_int_equal(x->status, API_OK);
		n++;
	}
	assert_int_equal(n, 120);
	assert_true(stub_connections(srv) <= 12);	/* reused, not one per request */
	worker_result_free_all(r);
	finish(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_secret_shown_while_busy),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_chain_follow),
		cmocka_unit_test(test_coalesce),
		cmocka_unit_test(test_retry_reads),
		cmocka_unit_test(test_writes_never_resent),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_cancel_writes),
		cmocka_unit_test(test_many),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	return cmocka_run_group_tests_name("worker", tests, NULL, NULL);
}
