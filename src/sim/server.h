/* server.h — the simulator's HTTP(S) front end (libmicrohttpd). */
#ifndef IOTDECK_SIM_SERVER_H
#define IOTDECK_SIM_SERVER_H

#include "sim/fault.h"
#include "sim/gateway.h"

/* Connections served at once, and from one address; more are closed at once. A waiting
 * request holds its connection (HTTP/1.1 sends one request at a time on each): a sync
 * InvokeThingService waits for its device up to 5 s (iot.messagebroker.TIMEOUT), so one
 * client at the documented 500 QPS keeps up to 500 x 5 = 2,500 connections open, which
 * the gateway must take from one address. SIM_SERVER_MAX_PER_IP allows that and a few
 * dozen more (a console beside the batch); the whole server takes a few such clients.
 * The process's open-file limit is raised to fit (sim_server_start), or the limits are
 * lowered to what it allows. */
#define SIM_SERVER_MAX_CONNECTIONS 4096
#define SIM_SERVER_MAX_PER_IP 2560
/* Threads serving the connections, each an event loop over its share of them. A request
 * waiting out a delay (--latency-ms, a device's reply to a sync service, a drip fault's
 * pauses) is suspended and holds no thread. */
#define SIM_SERVER_THREADS 8
/* An idle connection is closed after this many seconds. */
#define SIM_SERVER_TIMEOUT 30
/* Request bytes held in memory before they are authenticated, all connections together
 * (API bodies of up to SIM_MAX_BODY, upload form fields): past it requests are answered
 * 503 ServiceUnavailable. */
#define SIM_SERVER_BUFFER_BUDGET (256u << 20)

struct sim_server_config {
	const char *listen;	/* "ADDR:PORT" (IPv4; port 0 = any free port) */
	const char *tls_cert;	/* PEM certificate file, or NULL for plain HTTP */
	const char *tls_key;	/* PEM key file (with tls_cert) */
	struct sim_faults *faults;	/* fault injector, NULL for none (not owned) */
	int         verbose;	/* log injected faults on stderr */
	size_t      buffer_budget;	/* 0: SIM_SERVER_BUFFER_BUDGET (tests set less) */
};

struct sim_server;

/* Starts listening and serving requests through g on SIM_SERVER_THREADS threads.
 * Returns NULL with *cause set on failure. */
struct sim_server *sim_server_start(struct sim_gateway *g, const struct sim_server_config *cfg,
    char **cause);
/* The bound TCP port. */
unsigned sim_server_port(const struct sim_server *s);
/* Serves the connected socket fd as if it had been accepted (from 127.0.0.1); s owns it
 * from then on. Returns 0, or -1 (fd closed) when the connection limit is reached. For
 * tests and the fuzz target, which need no listening socket to send a request. */
int sim_server_add_connection(struct sim_server *s, int fd);
/* Stops serving and frees s: requests waiting out a delay are cut short (their
 * connections are closed), running ones are waited for. */
void sim_server_stop(struct sim_server *s);

/* Parses "ADDR:PORT" into a dotted IPv4 address (out, 16 bytes) and port. "localhost"
 * means 127.0.0.1. Returns 0 or -1 with *cause set. */
int sim_server_parse_listen(const char *spec, char out[16], unsigned *port, char **cause);

#endif
