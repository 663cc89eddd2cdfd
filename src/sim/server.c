/* server.c — libmicrohttpd glue.
 *
 * DESIGN: MHD runs a listening thread and one thread per connection
 * (MHD_USE_THREAD_PER_CONNECTION), so a slow request (latency injection, a big batch)
 * never holds up the others; the gateway and the store serialise what must be. The raw
 * request URI is captured in MHD's URI log callback, which also allocates the per-request
 * context: MHD's own query parsing unescapes values in ways that differ from the
 * gateway's form decoding ('+'), and the v1 signature must be checked against exactly
 * what was sent. The body is collected raw (the v3 payload hash covers its bytes) and
 * decoded by request.c. Injected faults (fault.h) are drawn here and applied around the
 * gateway: 5xx and throttle answer instead of it (sim_gateway_serve, which records them in
 * the write log), the others corrupt its answer.
 *
 * Nothing is trusted before authentication: MHD closes connections past
 * SIM_SERVER_MAX_CONNECTIONS (SIM_SERVER_MAX_PER_IP from one address) and idle ones after
 * SIM_SERVER_TIMEOUT; a body announced or sent over SIM_MAX_BODY is refused as soon as
 * that is known (the bytes are never kept); the /oss upload streams its file through MD5
 * and keeps only its form fields, within OSS's limits (oss.h); and all connections
 * together hold at most SIM_SERVER_BUFFER_BUDGET bytes of request data.
 */
#include "sim/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <time.h>

#include <microhttpd.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/log.h"
#include "sim/oss.h"
#include "sim/request.h"

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
};

/* A body sent through a content-reader callback (truncate and drip faults). */
struct slow_body {
	char           *data;	/* the full body */
	size_t          len;	/* its length */
	enum sim_fault  kind;	/* SIM_FAULT_TRUNCATE or SIM_FAULT_DRIP */
};

/* The largest /oss request: the file, the fields before it and the multipart framing. */
#define OSS_MAX_REQUEST (SIM_OSS_MAX_SIZE + SIM_OSS_MAX_FIELDS + (1u << 20))
/* A refused body is read (and dropped) up to this many bytes in all, then the connection
 * is cut. */
#define DISCARD_LIMIT(max) (2 * (uint64_t)(max))

/* Why a request is refused before it reaches the gateway. */
enum refusal { REFUSE_NONE, REFUSE_TOO_LARGE, REFUSE_BUSY };

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

static void
sleep_ms(int ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

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
		if (pos > 0)
			sleep_ms(100);
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

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

static enum MHD_Result
serve(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct sim_server *s = cls;
	struct conn_req *cr = *req_cls;
	struct header_ctx hc;
	struct sim_request r;
	struct sim_response resp;
	struct MHD_Response *mr;
	char num[32];
	enum MHD_Result rc;
	enum sim_fault fault = SIM_FAULT_NONE;
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

	sim_request_init(&r);
	hc.r = &r;
	hc.cause = NULL;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &hc);
	if (hc.cause != NULL || sim_request_parse(&r, method, cr->uri, cr->body.data,
	    cr->body.len, &hc.cause) != 0) {
		rc = send_gateway_error(s, conn, method, 400, "InvalidParameter", hc.cause);
		free(hc.cause);
		sim_request_free(&r);
		return rc;
	}

	if (s->faults != NULL) {
		fault = sim_faults_next(s->faults, &delay);
		sleep_ms(delay);
	}
	/* 5xx and throttle answer instead of the gateway; the write log sees every fault. */
	sim_gateway_serve(s->gateway, &r, fault, time(NULL), mono_now(), &resp);
	if (fault != SIM_FAULT_NONE && s->verbose)
		sim_log("fault %s (%s) on request %s", sim_fault_name(fault),
		    sim_fault_applies(fault) ? "executed" : "not executed", resp.request_id);
	if (fault == SIM_FAULT_RESET) {
		arm_reset(conn);
		sim_response_free(&resp);
		sim_request_free(&r);
		return MHD_NO;
	}
	if (fault == SIM_FAULT_MALFORMED) {
		size_t half = strlen(resp.body) / 2;
		char *bad = xasprintf("%.*s<!-- upstream error -->", (int)half, resp.body);
		free(resp.body);
		resp.body = bad;
	}
	if (fault == SIM_FAULT_TRUNCATE || fault == SIM_FAULT_DRIP) {
		struct slow_body *sb = xcalloc(1, sizeof *sb);
		sb->data = resp.body;
		sb->len = strlen(resp.body);
		sb->kind = fault;
		resp.body = NULL;
		mr = MHD_create_response_from_callback(sb->len, 4096, slow_reader, sb, slow_free);
	} else {
		mr = MHD_create_response_from_buffer(strlen(resp.body), resp.body, MHD_RESPMEM_MUST_FREE);
		resp.body = NULL;
	}
	MHD_add_response_header(mr, "Content-Type", resp.content_type);
	MHD_add_response_header(mr, "x-acs-request-id", resp.request_id);
	if (resp.retry_after_ms > 0) {
		snprintf(num, sizeof num, "%ld", resp.retry_after_ms);
		MHD_add_response_header(mr, "x-acs-retry-after", num);
	}
	if (fault != SIM_FAULT_NONE) {
		char fh[64];
		snprintf(fh, sizeof fh, "%s; applied=%d", sim_fault_name(fault), sim_fault_applies(fault));
		MHD_add_response_header(mr, "x-iotdeck-sim-fault", fh);
	}
	rc = MHD_queue_response(conn, (unsigned)resp.status, mr);
	MHD_destroy_response(mr);
	sim_response_free(&resp);
	sim_request_free(&r);
	return rc;
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

struct sim_server *
sim_server_start(struct sim_gateway *g, const struct sim_server_config *cfg, char **cause)
{
	struct sim_server *s = xcalloc(1, sizeof *s);
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	char addr[16];
	unsigned port;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_ERROR_LOG;

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
	/* The TLS options are last: with a NULL certificate they end the list early. */
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, serve, s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_logger, s,
	    MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)SIM_SERVER_MAX_CONNECTIONS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)SIM_SERVER_MAX_PER_IP,
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
	MHD_stop_daemon(s->daemon);
	free(s->cert);
	if (s->key != NULL) {
		memset(s->key, 0, strlen(s->key));
		free(s->key);
	}
	free(s);
}
