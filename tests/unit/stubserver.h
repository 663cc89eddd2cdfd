/* stubserver.h — a scriptable loopback HTTP/1.1 server for unit tests of the worker and
 * the pager: keep-alive, one thread per connection, and a handler that decides each
 * answer (a reply, a reset, a stall) from the request's decoded form parameters. */
#ifndef IOTDECK_STUBSERVER_H
#define IOTDECK_STUBSERVER_H

#include "api/params.h"

enum stub_kind {
	STUB_REPLY,	/* answer with http/body (after delay_ms) */
	STUB_CLOSE,	/* read the request, close without answering */
	STUB_STALL,	/* read the request, answer nothing until the client gives up */
	STUB_HOLD	/* wait for stub_release, then answer as STUB_REPLY */
};

/* One request as the server saw it. */
struct stub_request {
	const char          *action;	/* Action parameter ("" if none) */
	const struct params *params;	/* every form parameter, decoded */
	int                  seq;	/* 1 for the first request the server got, ... */
};

/* The handler's decision; body is a caller-allocated string the server frees. */
struct stub_reply {
	enum stub_kind kind;		/* what to do */
	int            http;		/* HTTP status (default 200) */
	char          *body;		/* answer body (malloc'd, freed by the server) */
	char          *headers;		/* extra header lines, each ending in \r\n (malloc'd) */
	int            delay_ms;	/* wait before answering */
};

struct stub_server;

/* Starts a server on 127.0.0.1 with an ephemeral port. The handler is called for each
 * request, one call at a time (never concurrently), so it may use plain globals. */
struct stub_server *stub_start(void (*handler)(void *arg, const struct stub_request *rq,
    struct stub_reply *out), void *arg);
/* Returns "http://127.0.0.1:PORT/" (owned by the server). */
const char *stub_url(const struct stub_server *s);
/* Releases every STUB_HOLD request, now and later. */
void stub_release(struct stub_server *s);
/* Requests seen so far. */
int stub_count(struct stub_server *s);
/* Connections accepted so far. */
int stub_connections(struct stub_server *s);
/* Stops the server: closes every connection and joins every thread. */
void stub_stop(struct stub_server *s);

#endif
