/* server.c — libmicrohttpd glue.
 *
 * DESIGN: MHD runs a listening thread and one thread per connection
 * (MHD_USE_THREAD_PER_CONNECTION), so a slow request (latency injection, a big batch)
 * never holds up the others; the gateway and the store serialise what must be. The raw
 * request URI is captured in MHD's URI log callback, which also allocates the per-request
 * context: MHD's own query parsing unescapes values in ways that differ from the
 * gateway's form decoding ('+'), and the v1 signature must be checked against exactly
 * what was sent. The body is collected raw (the v3 payload hash covers its bytes) and
 * decoded by request.c. Injected faults (fault.h) are applied here, around the
 * gateway: 5xx and throttle answer instead of it, the others corrupt its answer.
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
#include <openssl/evp.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/oss.h"
#include "sim/request.h"

struct sim_server {
	struct MHD_Daemon  *daemon;	/* the MHD daemon */
	struct sim_gateway *gateway;	/* request pipeline (not owned) */
	size_t              max_body;	/* body limit */
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

/* Per-request state, created in the URI log callback. */
struct conn_req {
	char                     *uri;		/* raw request URI (path and query) */
	struct buf                body;		/* raw body */
	int                       too_big;	/* body over the limit */
	int                       started;	/* the headers-only first call has been seen */
	int                       oss;		/* a PostObject upload to SIM_OSS_PATH */
	struct MHD_PostProcessor *pp;		/* its multipart parser */
	struct params             fields;	/* its form fields */
	EVP_MD_CTX               *md5;		/* MD5 of its file */
	uint64_t                  size;		/* bytes of its file */
	int                       have_file;	/* a file part was seen */
	int                       bad;		/* the multipart body did not parse */
};

static void *
uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct conn_req *cr = xcalloc(1, sizeof *cr);

	(void)cls;
	(void)conn;
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
	if (cr->md5 != NULL)
		EVP_MD_CTX_free(cr->md5);
	params_free(&cr->fields);
	free(cr->uri);
	buf_free_wipe(&cr->body);
	free(cr);
	*req_cls = NULL;
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
send_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
	    MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	MHD_add_response_header(r, "Content-Type", "text/plain");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
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

static enum MHD_Result
oss_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
    const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
    size_t size)
{
	struct conn_req *cr = cls;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (key == NULL)
		return MHD_YES;
	if (strcmp(key, "file") == 0 || filename != NULL) {
		cr->have_file = 1;
		if (size > 0)
			EVP_DigestUpdate(cr->md5, data, size);
		cr->size += size;
		return MHD_YES;
	}
	if (off == 0 || params_get(&cr->fields, key) == NULL) {
		char *v = xstrndup(data != NULL ? data : "", size);
		params_set(&cr->fields, key, v);
		free(v);
	} else {
		char *v = xasprintf("%s%.*s", params_get(&cr->fields, key), (int)size, data);
		params_set(&cr->fields, key, v);
		free(v);
	}
	return MHD_YES;
}

/* The OSS PostObject upload: stream the multipart body through MD5, then check it. */
static enum MHD_Result
serve_oss(struct sim_server *s, struct MHD_Connection *conn, struct conn_req *cr,
    const char *upload_data, size_t *upload_data_size)
{
	struct MHD_Response *mr;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char hex[33], *body = NULL;
	enum MHD_Result rc;
	int status;

	if (cr->pp == NULL && !cr->bad) {
		cr->pp = MHD_create_post_processor(conn, 64 * 1024, oss_part, cr);
		cr->md5 = EVP_MD_CTX_new();
		EVP_DigestInit_ex(cr->md5, EVP_md5(), NULL);
		params_init(&cr->fields);
		if (cr->pp == NULL)
			cr->bad = 1;
	}
	if (*upload_data_size > 0) {
		if (!cr->bad && MHD_post_process(cr->pp, upload_data, *upload_data_size) != MHD_YES)
			cr->bad = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cr->bad)
		return send_text(conn, MHD_HTTP_BAD_REQUEST, "malformed multipart/form-data body\n");
	EVP_DigestFinal_ex(cr->md5, md, &mdlen);
	for (i = 0; i < mdlen && i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[32] = '\0';
	status = sim_gateway_oss_upload(s->gateway, &cr->fields, cr->size, hex, cr->have_file, &body);
	mr = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (*body != '\0')
		MHD_add_response_header(mr, "Content-Type", "application/xml");
	if (status < 300)
		MHD_add_response_header(mr, "ETag", hex);
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
		 * then once more with nothing: answer only on that last call. */
		cr->started = 1;
		cr->oss = strcmp(method, "POST") == 0 && strcmp(url, SIM_OSS_PATH) == 0;
		return MHD_YES;
	}
	if (cr->oss)
		return serve_oss(s, conn, cr, upload_data, upload_data_size);
	if (*upload_data_size > 0) {
		if (cr->body.len + *upload_data_size > s->max_body)
			cr->too_big = 1;
		else
			buf_add(&cr->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cr->too_big)
		return send_text(conn, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large\n");

	sim_request_init(&r);
	hc.r = &r;
	hc.cause = NULL;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &hc);
	if (hc.cause != NULL || sim_request_parse(&r, method, cr->uri, cr->body.data,
	    cr->body.len, &hc.cause) != 0) {
		rc = send_text(conn, MHD_HTTP_BAD_REQUEST, hc.cause);
		free(hc.cause);
		sim_request_free(&r);
		return rc;
	}

	if (s->faults != NULL) {
		fault = sim_faults_next(s->faults, &delay);
		sleep_ms(delay);
	}
	if (fault == SIM_FAULT_5XX || fault == SIM_FAULT_THROTTLE) {
		struct sim_error e = { 0, NULL, NULL, 0 };
		cJSON *eb;
		memset(&resp, 0, sizeof resp);
		sim_request_id(resp.request_id);
		if (fault == SIM_FAULT_THROTTLE) {
			sim_error_set(&e, 400, "Throttling", "Request was denied due to user flow control.");
			resp.retry_after_ms = 1000;
		} else
			sim_error_set(&e, 503, "ServiceUnavailable",
			    "The request has failed due to a temporary failure of the server.");
		eb = sim_error_body(&e, resp.request_id, "iot.cn-shanghai.aliyuncs.com");
		resp.body = cJSON_PrintUnformatted(eb);
		resp.status = e.http;
		resp.content_type = "application/json;charset=utf-8";
		cJSON_Delete(eb);
		sim_error_clear(&e);
	} else
		sim_gateway_handle(s->gateway, &r, time(NULL), mono_now(), &resp);
	if (fault != SIM_FAULT_NONE && s->verbose)
		fprintf(stderr, "iotdeck-sim: fault %s (%s) on request %s\n", sim_fault_name(fault),
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
	FILE *f = fopen(path, "rb");
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
	s->max_body = cfg->max_body ? cfg->max_body : 16u << 20;
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
		s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, serve, s,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_URI_LOG_CALLBACK, uri_logger, s,
		    MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
		    MHD_OPTION_HTTPS_MEM_CERT, s->cert,
		    MHD_OPTION_HTTPS_MEM_KEY, s->key,
		    MHD_OPTION_END);
	} else {
		s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, serve, s,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_URI_LOG_CALLBACK, uri_logger, s,
		    MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
		    MHD_OPTION_END);
	}
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
