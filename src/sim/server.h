/* server.h — the simulator's HTTP(S) front end (libmicrohttpd). */
#ifndef IOTDECK_SIM_SERVER_H
#define IOTDECK_SIM_SERVER_H

#include "sim/fault.h"
#include "sim/gateway.h"

struct sim_server_config {
	const char *listen;	/* "ADDR:PORT" (IPv4; port 0 = any free port) */
	const char *tls_cert;	/* PEM certificate file, or NULL for plain HTTP */
	const char *tls_key;	/* PEM key file (with tls_cert) */
	size_t      max_body;	/* largest request body accepted, bytes */
	struct sim_faults *faults;	/* fault injector, NULL for none (not owned) */
	int         verbose;	/* log injected faults on stderr */
};

struct sim_server;

/* Starts listening and serving requests through g on a thread per connection. Returns
 * NULL with *cause set on failure. */
struct sim_server *sim_server_start(struct sim_gateway *g, const struct sim_server_config *cfg,
    char **cause);
/* The bound TCP port. */
unsigned sim_server_port(const struct sim_server *s);
/* Stops serving (waits for running requests) and frees s. */
void sim_server_stop(struct sim_server *s);

/* Parses "ADDR:PORT" into a dotted IPv4 address (out, 16 bytes) and port. "localhost"
 * means 127.0.0.1. Returns 0 or -1 with *cause set. */
int sim_server_parse_listen(const char *spec, char out[16], unsigned *port, char **cause);

#endif
