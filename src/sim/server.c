/* server.c — libmicrohttpd glue.
 *
 * DESIGN: MHD runs a pool of SIM_SERVER_THREADS threads, each a poll() loop over its
 * share of the connections; the gateway and the store serialise what must be. The raw
 * request URI is captured in MHD's URI log callback, which also allocates the per-request
 * context: MHD's own query parsing unescapes values in ways that differ from the
 * gateway's form decoding ('+'), and the v1 signature must be checked against exactly
 * what was sent. The body is collected raw (the v3 payload hash covers its bytes) and
 * decoded by request.c. Injected faults (fault.h) are drawn here and applied around the
 * gateway: 5xx and throttle answer instead of it (sim_gateway_serve_later, which records
 * them in the write log), the others corrupt its answer.
 *
 * Waiting holds no thread. The injected latency (--latency-ms), a device's reply to a
 * sync service (sim_gateway_serve_later leaves its delay to us) and the pauses of a drip
 * fault suspend the connection (MHD_suspend_connection) and put it in a delay queue, a
 * min-heap by due time that one timer thread empties, resuming each connection when its
 * time comes; MHD then calls the handler (or the content reader) again, which takes up
 * where the request left off (conn_req.phase). So 1,000 sync calls waiting 2 s for their
 * devices hold 1,000 connections and no thread; with a thread per connection (the
 * previous design) each waiting call held a thread, and the 64 connections one client
 * was allowed carried about 25 calls a second at 2 to 3 s. A suspended connection still counts against the connection
 * limits (sized for 500 QPS of sync calls, server.h) and is not timed out;
 * sim_server_stop resumes every waiting connection before MHD stops (MHD requires it).
 * Not epoll: MHD 0.9.75's edge-triggered epoll misses the end of a client that sent an
 * incomplete request and shut its side in one go, and such a connection then waited for
 * the idle timeout instead of being closed at once (fuzz_sim_oss found it); poll() sees it.
 *
 * Nothing is trusted before authentication: MHD closes connections past
 * SIM_SERVER_MAX_CONNECTIONS (SIM_SERVER_MAX_PER_IP from one address) and idle ones after
 * SIM_SERVER_TIMEOUT; a body announced or sent over SIM_MAX_BODY is refused as soon as
 * that is known (the bytes are never kept); the /oss upload streams its file through MD5
 * and keeps only its form fields, within OSS's limits (oss.h); and all connections
 * together hold at most SIM_SERVER_BUFFER_BUDGET bytes of request data.
 */
#include "sim/server.h"
#include "core/clock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <time.h>

#include <microhttpd.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/log.h"
#include "sim/oss.h"
#include "sim/request.h"

/* A suspended connection and when to resume it. */
struct pending {
	int64_t                due;	/* monotonic ns */
	uint64_t               seq;	/* order of arrival, for ties */
	struct MHD_Connection *conn;	/* the connection */
};

struct sim_server {
	struct MHD_Daemon  *daemon;	/* the MHD daemon */
	struct sim_gateway *gateway;	/* request pipeline (not owned) */
	size_t              held;	/* request bytes held by all connections (atomic) */
	size_t              budget;	/* most bytes held at once */
	unsigned            port;	/* bound port */
	char               *cert;	/* PEM certificate (TLS) */
	char               *key;	/* PEM key (TLS), wiped on free */
	struct sim_faults  *faults;	/* fault injector or NULL (not owned) */
	int                 verbose;	/* log faults */
	/* The delay queue (guarded by mu): suspended connections by due time. */
	pthread_mutex_t     mu;		/* guards the fields below */
	pthread_cond_t      cond;	/* signalled when the heap's head or stopping changes */
	pthread_t           timer;	/* resumes due connections */
	int                 timer_started;	/* timer is running */
	int                 stopping;	/* sim_server_stop: suspend nothing more */
	struct pending     *heap;	/* min-heap by (due, seq) */
	size_t              nheap;	/* entries */
	size_t              capheap;	/* allocated */
	uint64_t            seq;	/* last sequence number */
};

/* A body sent through a content-reader callback (truncate and drip faults). */
struct slow_body {
	char                  *data;	/* the full body */
	size_t                 len;	/* its length */
	enum sim_fault         kind;	/* SIM_FAULT_TRUNCATE or SIM_FAULT_DRIP */
	struct sim_server     *server;	/* for the drip's pauses */
	struct MHD_Connection *conn;	/* the connection it is sent on */
	uint64_t               paused;	/* 1 + the position a pause was taken before, 0: none */
};

/* The largest /oss request: the file, the fields before it and the multipart framing. */
#define OSS_MAX_REQUEST (SIM_OSS_MAX_SIZE + SIM_OSS_MAX_FIELDS + (1u << 20))
/* A refused body is read (and dropped) up to this many bytes in all, then the connection
 * is cut. */
#define DISCARD_LIMIT(max) (2 * (uint64_t)(max))

/* Why a request is refused before it reaches the gateway. */
enum refusal { REFUSE_NONE, REFUSE_TOO_LARGE, REFUSE_BUSY };

/* Where a complete request is: not yet decoded, waiting out the injected latency (then
 * the gateway), or answered and waiting for the device's reply (then sent). */
enum phase { PHASE_READ, PHASE_LATENCY, PHASE_DEVICE };

/* Per-request state, created in the URI log callback. */
struct conn_req {
	struct sim_server        *server;	/* the server (for the memory budget) */
	char                     *uri;		/* raw request URI (path and query) */
	struct buf                body;		/* raw body */
	size_t                    held;		/* bytes taken from the server's budget */
	uint64_t                  received;	/* bytes of body received */
	enum refusal              refused;	/* the body is being refused */
	int                       started;	/* the headers-only first call has been seen */
	int                       oss;		/* a PostObject upload to SIM_OSS_PATH */
	struct MHD_PostProcessor *pp;		/* its multipart parser */
	struct sim_oss_form      *form;		/* its fields and file */
	enum phase                phase;	/* a complete API request's progress */
	struct sim_request        req;		/* it, decoded (PHASE_LATENCY on) */
	int                       have_req;	/* req is to be freed */
	enum sim_fault            fault;	/* the fault drawn for it */
	struct sim_response       resp;		/* the gateway's answer (PHASE_DEVICE) */
	int                       have_resp;	/* resp is to be freed */
};

/* Takes n bytes from the server's budget for cr; returns -1 when that would overdraw it. */
static int
budget_take(struct conn_req *cr, size_t n)
{
	size_t *held = &cr->server->held, budget = cr->server->budget;
	size_t cur = __atomic_load_n(held, __ATOMIC_RELAXED);

	do {
		if (n > budget || cur > budget - n)
			return -1;
	} while (!__atomic_compare_exchange_n(held, &cur, cur + n, 0, __ATOMIC_RELAXED,
	    __ATOMIC_RELAXED));
	cr->held += n;
	return 0;
}

static void *
uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct conn_req *cr = xcalloc(1, sizeof *cr);

	(void)conn;
	cr->server = cls;
	cr->uri = xstrdup(uri != NULL ? uri : "/");
	buf_init(&cr->body);
	return cr;
}

static void
request_done(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn_req *cr = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (cr == NULL)
		return;
	if (cr->pp != NULL)
		MHD_destroy_post_processor(cr->pp);
	sim_oss_form_free(cr->form);
	if (cr->have_resp)
		sim_response_free(&cr->resp);
	if (cr->have_req)
		sim_request_free(&cr->req);
	__atomic_sub_fetch(&cr->server->held, cr->held, __ATOMIC_RELAXED);
	free(cr->uri);
	buf_free_wipe(&cr->body);
	free(cr);
	*req_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	sim_vlog(fmt, ap);
}

static enum MHD_Result
queue_buffer(struct MHD_Connection *conn, unsigned status, char *body, const char *ctype,
    const char *request_id)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	if (ctype != NULL && *body != '\0')
		MHD_add_response_header(r, "Content-Type", ctype);
	if (request_id != NULL)
		MHD_add_response_header(r, "x-acs-request-id", request_id);
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* Answers a gateway error before the request reached the gateway. */
static enum MHD_Result
send_gateway_error(struct sim_server *s, struct MHD_Connection *conn, const char *method,
    int http, const char *code, const char *message)
{
	struct sim_response resp;

	sim_gateway_error(s->gateway, method, http, code, message, &resp);
	return queue_buffer(conn, (unsigned)resp.status, resp.body, resp.content_type,
	    resp.request_id);
}

/* The gateway's answer to a refused body. */
static enum MHD_Result
send_refusal(struct sim_server *s, struct MHD_Connection *conn, const char *method,
    enum refusal why)
{
	char msg[96];

	if (why == REFUSE_BUSY)
		return send_gateway_error(s, conn, method, 503, "ServiceUnavailable",
		    "The request has failed due to a temporary failure of the server.");
	snprintf(msg, sizeof msg, "The request body is larger than %u bytes.", SIM_MAX_BODY);
	return send_gateway_error(s, conn, method, 400, "InvalidParameter", msg);
}

/* ---- the delay queue ------------------------------------------------------------- */

static int
pending_before(const struct pending *a, const struct pending *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

/* Removes the heap's head. Lock held. */
static void
heap_pop(struct sim_server *s)
{
	struct pending *h = s->heap, last;
	size_t i = 0, c;

	last = h[--s->nheap];
	for (;;) {
		c = 2 * i + 1;
		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap && pending_before(&h[c + 1], &h[c]))
			c++;
		if (!pending_before(&h[c], &last))
			break;
		h[i] = h[c];
		i = c;
	}
	if (s->nheap > 0)
		h[i] = last;
}

/* Suspends conn (from its access handler or content reader) and has the timer resume it
 * in ms milliseconds. Returns 0, or -1 when the server is stopping (nothing suspended:
 * the caller goes on at once). */
static int
defer(struct sim_server *s, struct MHD_Connection *conn, int ms)
{
	struct pending p;
	size_t i;

	pthread_mutex_lock(&s->mu);
	if (s->stopping) {
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	MHD_suspend_connection(conn);
	p.due = clock_mono_ns() + (int64_t)ms * 1000000;
	p.seq = ++s->seq;
	p.conn = conn;
	if (s->nheap == s->capheap) {
		s->capheap = s->capheap != 0 ? 2 * s->capheap : 256;
		s->heap = xreallocarray(s->heap, s->capheap, sizeof *s->heap);
	}
	for (i = s->nheap++; i > 0 && pending_before(&p, &s->heap[(i - 1) / 2]); i = (i - 1) / 2)
		s->heap[i] = s->heap[(i - 1) / 2];
	s->heap[i] = p;
	if (i == 0)
		pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* The timer thread: resumes each connection when it is due (outside the lock, so that a
 * handler suspending meanwhile never waits for MHD's own locks behind it). */
static void *
timer_main(void *arg)
{
	struct sim_server *s = arg;
	struct MHD_Connection **due = NULL;
	size_t n, cap = 0, i;
	struct timespec ts;
	int64_t now;

	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		if (s->nheap == 0) {
			pthread_cond_wait(&s->cond, &s->mu);
			continue;
		}
		now = clock_mono_ns();
		if (s->heap[0].due > now) {
			ts.tv_sec = (time_t)(s->heap[0].due / 1000000000LL);
			ts.tv_nsec = (long)(s->heap[0].due % 1000000000LL);
			pthread_cond_timedwait(&s->cond, &s->mu, &ts);
			continue;
		}
		for (n = 0; s->nheap > 0 && s->heap[0].due <= now; n++) {
			if (n == cap) {
				cap = cap != 0 ? 2 * cap : 64;
				due = xreallocarray(due, cap, sizeof *due);
			}
			due[n] = s->heap[0].conn;
			heap_pop(s);
		}
		pthread_mutex_unlock(&s->mu);
		for (i = 0; i < n; i++)
			MHD_resume_connection(due[i]);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	free(due);
	return NULL;
}

/* Stops the timer and resumes every connection still waiting (MHD must not be stopped
 * with suspended connections); nothing is suspended afterwards. */
static void
delays_stop(struct sim_server *s)
{
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->mu);
	if (s->timer_started)
		pthread_join(s->timer, NULL);
	s->timer_started = 0;
	pthread_mutex_lock(&s->mu);
	while (s->nheap > 0) {
		MHD_resume_connection(s->heap[0].conn);
		heap_pop(s);
	}
	pthread_mutex_unlock(&s->mu);
}

/* ---- answers ---------------------------------------------------------------------- */

static ssize_t
slow_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct slow_body *sb = cls;
	size_t n, chunk;

	if (sb->kind == SIM_FAULT_TRUNCATE) {
		/* Half the body, then the connection closes under the Content-Length. */
		if (pos >= sb->len / 2)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		n = sb->len / 2 - (size_t)pos;
	} else {
		if (pos >= sb->len)
			return MHD_CONTENT_READER_END_OF_STREAM;
		chunk = sb->len / 20 > 0 ? sb->len / 20 : 1;
		n = sb->len - (size_t)pos < chunk ? sb->len - (size_t)pos : chunk;
		/* 100 ms before each piece but the first: the connection is suspended and
		 * this is called again (at the same position) when the pause is over. */
		if (pos > 0 && sb->paused != pos + 1) {
			sb->paused = pos + 1;
			if (defer(sb->server, sb->conn, 100) == 0)
				return 0;
		}
	}
	if (n > max)
		n = max;
	memcpy(buf, sb->data + pos, n);
	return (ssize_t)n;
}

static void
slow_free(void *cls)
{
	struct slow_body *sb = cls;

	free(sb->data);
	free(sb);
}

/* Sets SO_LINGER 0 so that closing sends a TCP reset. */
static void
arm_reset(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	struct linger lg = { 1, 0 };

	if (ci != NULL)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

/* Returns nonzero when a Content-Length header announces more than max bytes (or is not
 * a number, which MHD refuses anyway). */
static int
announced_over(struct MHD_Connection *conn, uint64_t max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long n;
	char *end;

	if (cl == NULL)
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno != 0 || end == cl || *end != '\0' || n > max;
}

static enum MHD_Result
oss_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
    const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
    size_t size)
{
	struct conn_req *cr = cls;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	return sim_oss_form_part(cr->form, key, filename, data, off, size) == 0 ? MHD_YES : MHD_NO;
}

/* The OSS PostObject upload: the multipart body streams through cr->form, which keeps the
 * fields and the file's size and MD5; then the upload is checked and recorded. */
static enum MHD_Result
serve_oss(struct sim_server *s, struct MHD_Connection *conn, struct conn_req *cr,
    const char *upload_data, size_t *upload_data_size)
{
	struct MHD_Response *mr;
	char md5[33], *body = NULL;
	enum MHD_Result rc;
	size_t before;
	int status;

	if (cr->form == NULL) {
		cr->form = sim_oss_form_new(SIM_OSS_MAX_SIZE);
		cr->pp = MHD_create_post_processor(conn, 64 * 1024, oss_part, cr);
		if (cr->pp == NULL)
			sim_oss_form_malformed(cr->form);
	}
	if (*upload_data_size > 0) {
		if (cr->pp != NULL && cr->refused == REFUSE_NONE) {
			before = sim_oss_form_held(cr->form);
			if (MHD_post_process(cr->pp, upload_data, *upload_data_size) != MHD_YES) {
				/* Refused or malformed: the parser is done with this body. */
				sim_oss_form_malformed(cr->form);
				MHD_destroy_post_processor(cr->pp);
				cr->pp = NULL;
			}
			if (budget_take(cr, sim_oss_form_held(cr->form) - before) != 0)
				cr->refused = REFUSE_BUSY;
		}
		cr->received += *upload_data_size;
		*upload_data_size = 0;
		return cr->received <= DISCARD_LIMIT(OSS_MAX_REQUEST) ? MHD_YES : MHD_NO;
	}
	if (cr->pp != NULL) {
		/* Destroying the parser hands over what it still buffers. */
		MHD_destroy_post_processor(cr->pp);
		cr->pp = NULL;
	}
	if (cr->refused == REFUSE_BUSY)
		return send_refusal(s, conn, "POST", REFUSE_BUSY);
	status = sim_gateway_oss_upload(s->gateway, cr->form, &body, md5);
	mr = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (*body != '\0')
		MHD_add_response_header(mr, "Content-Type", "application/xml");
	if (status < 300)
		MHD_add_response_header(mr, "ETag", md5);
	rc = MHD_queue_response(conn, (unsigned)status, mr);
	MHD_destroy_response(mr);
	return rc;
}

/* MHD_get_connection_values iterator: records each header in the request. */
struct header_ctx {
	struct sim_request *r;		/* the request */
	char               *cause;	/* set when a header was refused */
};

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct header_ctx *hc = cls;

	(void)kind;
	if (hc->cause != NULL)
		return MHD_NO;
	return sim_request_add_header(hc->r, key, value, &hc->cause) == 0 ? MHD_YES : MHD_NO;
}

/* Sends the gateway's answer in cr->resp, with the request's fault applied to it. */
static enum MHD_Result
send_answer(struct sim_server *s, struct MHD_Connection *conn, struct conn_req *cr)
{
	struct sim_response *resp = &cr->resp;
	enum sim_fault fault = cr->fault;
	struct MHD_Response *mr;
	enum MHD_Result rc;
	char num[32];

	if (fault != SIM_FAULT_NONE && s->verbose)
		sim_log("fault %s (%s) on request %s", sim_fault_name(fault),
		    sim_fault_applies(fault) ? "executed" : "not executed", resp->request_id);
	if (fault == SIM_FAULT_RESET) {
		arm_reset(conn);
		return MHD_NO;
	}
	if (fault == SIM_FAULT_MALFORMED) {
		size_t half = strlen(resp->body) / 2;
		char *bad = xasprintf("%.*s<!-- upstream error -->", (int)half, resp->body);
		free(resp->body);
		resp->body = bad;
	}
	if (fault == SIM_FAULT_TRUNCATE || fault == SIM_FAULT_DRIP) {
		struct slow_body *sb = xcalloc(1, sizeof *sb);
		sb->data = resp->body;
		sb->len = strlen(resp->body);
		sb->kind = fault;
		sb->server = s;
		sb->conn = conn;
		resp->body = NULL;
		mr = MHD_create_response_from_callback(sb->len, 4096, slow_reader, sb, slow_free);
	} else {
		mr = MHD_create_response_from_buffer(strlen(resp->body), resp->body,
		    MHD_RESPMEM_MUST_FREE);
		resp->body = NULL;
	}
	MHD_add_response_header(mr, "Content-Type", resp->content_type);
	MHD_add_response_header(mr, "x-acs-request-id", resp->request_id);
	if (resp->retry_after_ms > 0) {
		snprintf(num, sizeof num, "%ld", resp->retry_after_ms);
		MHD_add_response_header(mr, "x-acs-retry-after", num);
	}
	if (fault != SIM_FAULT_NONE) {
		char fh[64];
		snprintf(fh, sizeof fh, "%s; applied=%d", sim_fault_name(fault), sim_fault_applies(fault));
		MHD_add_response_header(mr, "x-iotdeck-sim-fault", fh);
	}
	rc = MHD_queue_response(conn, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	return rc;
}

static enum MHD_Result
serve(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct sim_server *s = cls;
	struct conn_req *cr = *req_cls;
	struct header_ctx hc;
	enum MHD_Result rc;
	int delay = 0;

	(void)version;
	if (cr == NULL)
		return MHD_NO;
	if (!cr->started) {
		/* MHD calls once with the headers alone, then with each piece of the body,
		 * then once more with nothing: answer only on that last call, or now when the
		 * announced body is over the limit (the body is then never read). */
		cr->started = 1;
		cr->oss = strcmp(method, "POST") == 0 && strcmp(url, SIM_OSS_PATH) == 0;
		if (cr->oss && announced_over(conn, OSS_MAX_REQUEST))
			return queue_buffer(conn, 400, sim_oss_error("EntityTooLarge",
			    "Your proposed upload exceeds the maximum allowed size."),
			    "application/xml", NULL);
		if (!cr->oss && announced_over(conn, SIM_MAX_BODY))
			return send_refusal(s, conn, method, REFUSE_TOO_LARGE);
		return MHD_YES;
	}
	if (cr->oss)
		return serve_oss(s, conn, cr, upload_data, upload_data_size);
	if (*upload_data_size > 0) {
		if (cr->refused == REFUSE_NONE) {
			if (*upload_data_size > SIM_MAX_BODY - cr->body.len)
				cr->refused = REFUSE_TOO_LARGE;
			else if (budget_take(cr, *upload_data_size) != 0)
				cr->refused = REFUSE_BUSY;
			else
				buf_add(&cr->body, upload_data, *upload_data_size);
			if (cr->refused != REFUSE_NONE)
				buf_free_wipe(&cr->body);
		}
		/* A refused body is read and dropped, so that its sender gets the answer
		 * (MHD cannot answer before the body ends); one that goes on and on is cut. */
		cr->received += *upload_data_size;
		*upload_data_size = 0;
		return cr->received <= DISCARD_LIMIT(SIM_MAX_BODY) ? MHD_YES : MHD_NO;
	}
	if (cr->refused != REFUSE_NONE)
		return send_refusal(s, conn, method, cr->refused);

	/* The last call, made again after each wait (a resumed connection) in its phase. */
	if (cr->phase == PHASE_READ) {
		sim_request_init(&cr->req);
		cr->have_req = 1;
		hc.r = &cr->req;
		hc.cause = NULL;
		MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &hc);
		if (hc.cause != NULL || sim_request_parse(&cr->req, method, cr->uri,
		    cr->body.data, cr->body.len, &hc.cause) != 0) {
			rc = send_gateway_error(s, conn, method, 400, "InvalidParameter", hc.cause);
			free(hc.cause);
			return rc;
		}
		if (s->faults != NULL) {
			cr->fault = sim_faults_next(s->faults, &delay);
			/* The injected latency comes before the gateway sees the request. */
			if (delay > 0 && defer(s, conn, delay) == 0) {
				cr->phase = PHASE_LATENCY;
				return MHD_YES;
			}
		}
	}
	if (cr->phase != PHASE_DEVICE) {
		/* 5xx and throttle answer instead of the gateway; the write log sees every
		 * fault. A sync service's answer waits for its device's reply. */
		sim_gateway_serve_later(s->gateway, &cr->req, cr->fault, time(NULL), clock_mono_s(),
		    &cr->resp);
		cr->have_resp = 1;
		if (cr->resp.delay_ms > 0 && defer(s, conn, cr->resp.delay_ms) == 0) {
			cr->phase = PHASE_DEVICE;
			return MHD_YES;
		}
	}
	return send_answer(s, conn, cr);
}

int
sim_server_parse_listen(const char *spec, char out[16], unsigned *port, char **cause)
{
	const char *colon = strrchr(spec, ':');
	struct in_addr a;
	char host[64], *end;
	unsigned long p;
	size_t n;

	if (colon == NULL || colon == spec || colon[1] == '\0') {
		*cause = xasprintf("--listen %s: expected ADDR:PORT", spec);
		return -1;
	}
	n = (size_t)(colon - spec);
	if (n >= sizeof host) {
		*cause = xasprintf("--listen %s: address too long", spec);
		return -1;
	}
	memcpy(host, spec, n);
	host[n] = '\0';
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &a) != 1) {
		*cause = xasprintf("--listen %s: %s is not an IPv4 address", spec, host);
		return -1;
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || p > 65535) {
		*cause = xasprintf("--listen %s: bad port", spec);
		return -1;
	}
	snprintf(out, 16, "%.15s", host);
	*port = (unsigned)p;
	return 0;
}

static char *
read_file(const char *path, char **cause)
{
	FILE *f = fopen(path, "rbe");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

/* Raises the soft limit of open files towards what SIM_SERVER_MAX_CONNECTIONS needs
 * (twice that, for a process that also holds the clients' ends, as the tests do), within
 * the hard limit. Returns the connections the limit leaves room for. */
static unsigned
fd_room(void)
{
	const rlim_t want = 2 * (rlim_t)SIM_SERVER_MAX_CONNECTIONS + 256, spare = 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return SIM_SERVER_MAX_CONNECTIONS;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want :
		    rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= SIM_SERVER_MAX_CONNECTIONS + spare)
		return SIM_SERVER_MAX_CONNECTIONS;
	return rl.rlim_cur > 2 * spare ? (unsigned)(rl.rlim_cur - spare) : (unsigned)spare;
}

struct sim_server *
sim_server_start(struct sim_gateway *g, const struct sim_server_config *cfg, char **cause)
{
	struct sim_server *s = xcalloc(1, sizeof *s);
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	pthread_condattr_t ca;
	char addr[16];
	unsigned port, limit, per_ip;
	unsigned int flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ERROR_LOG;

	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	s->gateway = g;
	s->faults = cfg->faults;
	s->verbose = cfg->verbose;
	s->budget = cfg->buffer_budget != 0 ? cfg->buffer_budget : SIM_SERVER_BUFFER_BUDGET;
	if (sim_server_parse_listen(cfg->listen != NULL ? cfg->listen : "127.0.0.1:0", addr,
	    &port, cause) != 0)
		goto fail;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	if (cfg->tls_cert != NULL || cfg->tls_key != NULL) {
		if (cfg->tls_cert == NULL || cfg->tls_key == NULL) {
			*cause = xstrdup("--tls-cert and --tls-key go together");
			goto fail;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			*cause = xstrdup("this libmicrohttpd has no TLS support");
			goto fail;
		}
		if ((s->cert = read_file(cfg->tls_cert, cause)) == NULL ||
		    (s->key = read_file(cfg->tls_key, cause)) == NULL)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	/* Past the open-file limit MHD could not accept what the limits promise: they are
	 * lowered to fit (and said so). */
	limit = fd_room();
	per_ip = SIM_SERVER_MAX_PER_IP < limit ? SIM_SERVER_MAX_PER_IP : limit;
	if (limit < SIM_SERVER_MAX_CONNECTIONS)
		sim_log("the open-file limit allows %u connections (of %u; ulimit -n)", limit,
		    (unsigned)SIM_SERVER_MAX_CONNECTIONS);
	if (pthread_create(&s->timer, NULL, timer_main, s) != 0) {
		*cause = xstrdup("cannot start the timer thread");
		goto fail;
	}
	s->timer_started = 1;
	/* The TLS options are last: with a NULL certificate they end the list early. */
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, serve, s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_logger, s,
	    MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)SIM_SERVER_THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)SIM_SERVER_TIMEOUT,
	    s->cert != NULL ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert,
	    MHD_OPTION_HTTPS_MEM_KEY, s->key,
	    MHD_OPTION_END);
	if (s->daemon == NULL) {
		*cause = xasprintf("cannot listen on %s (address in use, or TLS files invalid)",
		    cfg->listen != NULL ? cfg->listen : "127.0.0.1:0");
		goto fail;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info != NULL ? info->port : port;
	return s;
fail:
	delays_stop(s);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->mu);
	free(s->cert);
	if (s->key != NULL) {
		memset(s->key, 0, strlen(s->key));
		free(s->key);
	}
	free(s);
	return NULL;
}

unsigned
sim_server_port(const struct sim_server *s)
{
	return s->port;
}

int
sim_server_add_connection(struct sim_server *s, int fd)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return MHD_add_connection(s->daemon, fd, (const struct sockaddr *)&sa, sizeof sa) ==
	    MHD_YES ? 0 : -1;
}

void
sim_server_stop(struct sim_server *s)
{
	if (s == NULL)
		return;
	delays_stop(s);
	MHD_stop_daemon(s->daemon);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->mu);
	free(s->heap);
	free(s->cert);
	if (s->key != NULL) {
		memset(s->key, 0, strlen(s->key));
		free(s->key);
	}
	free(s);
}
