/* simtest.h — what the simulator's unit tests share: one fixture (a seeded simulator
 * behind its gateway, optionally on a loopback port), a request signed as a client signs
 * it (signature v1), the NAME=VALUE lists they write calls with, and reading an answer. */
#ifndef IOTDECK_SIMTEST_H
#define IOTDECK_SIMTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "api/params.h"
#include "sim/auth.h"
#include "sim/gateway.h"
#include "sim/request.h"
#include "sim/server.h"
#include "sim/sim.h"
#include "sim/throttle.h"

/* The AccessKey the fixture's gateway accepts. */
#define SIMTEST_KEY_ID "k"
#define SIMTEST_SECRET "s"

/* A simulator as the unit tests use it. */
struct simtest {
	struct sim          *sim;	/* the simulator, seeded */
	struct sim_store    *store;	/* sim->store */
	struct sim_auth     *auth;	/* accepts SIMTEST_KEY_ID / SIMTEST_SECRET */
	struct sim_throttle *throttle;	/* flow control */
	struct sim_gateway  *gw;	/* the gateway over them */
	double               mono;	/* the throttle's clock, moved on a second per call */
	struct sim_server   *srv;	/* the HTTP server (simtest_listen), or NULL */
	unsigned             port;	/* its loopback port */
};

/* Fills t: sim_new(seed) seeded with nproducts and ndevices (sim_seed), the test key, a
 * throttle at qps_scale and a gateway with the default configuration. Returns 0, or -1. */
int simtest_open(struct simtest *t, uint64_t seed, size_t nproducts, size_t ndevices,
    double qps_scale);
/* Serves t's gateway on 127.0.0.1 at a free port (t->srv, t->port) with this memory
 * budget (0: the default). Returns 0, or -1 (the cause printed). */
int simtest_listen(struct simtest *t, size_t buffer_budget);
/* Stops the server and frees everything simtest_open made. */
void simtest_close(struct simtest *t);
/* Sends ACTION with the parameters extra through t's gateway (sim_gateway_handle), signed
 * with the test key; returns the parsed answer (caller deletes; the test fails when it is
 * not JSON). */
cJSON *simtest_call(struct simtest *t, const char *action, const struct params *extra);
/* Sends r through t's gateway at wall-clock time now (the throttle's clock moved on a
 * second); stores the HTTP status in *status (unless NULL) and returns the parsed answer
 * (caller deletes; the test fails when it is not JSON). */
cJSON *simtest_send(struct simtest *t, const struct sim_request *r, time_t now, int *status);
/* simtest_api(t, ACTION, "Name=value", ..., NULL): simtest_call with these parameters. */
cJSON *simtest_api(struct simtest *t, const char *action, ...);

/* Fills r (initialised here; the caller frees it with sim_request_free) with a POST of
 * ACTION and the form parameters extra, signed v1 with key_id and secret, a fresh nonce
 * and the current time. */
void simtest_sign(struct sim_request *r, const char *action, const struct params *extra,
    const char *key_id, const char *secret);
/* As simtest_sign, with API version (e.g. "2015-04-01" for STS) and, unless token is
 * NULL, a SecurityToken parameter (signed with the rest). Format=JSON is added unless
 * extra has a Format. */
void simtest_sign_as(struct sim_request *r, const char *version, const char *action,
    const struct params *extra, const char *key_id, const char *secret, const char *token);
/* Fills r (initialised here; free with sim_request_free) with a v3-signed POST of ACTION
 * at version with the query parameters query and an empty body, as the SDKs send it:
 * host and every x-acs-* header signed, x-acs-security-token among them unless token is
 * NULL. */
void simtest_sign_v3(struct sim_request *r, const char *version, const char *action,
    const struct params *query, const char *key_id, const char *secret, const char *token);
/* Adds to p the "Name=value" strings of ap, up to a NULL. */
void simtest_params_va(struct params *p, va_list ap);
/* 1 when the answer says Success: true. */
int simtest_ok(const cJSON *r);
/* The answer's Code, or "". */
const char *simtest_code(const cJSON *r);

/* The lines of a JSON Lines file (the write log) as an array (caller deletes); the test
 * fails on a line that does not end in a newline or is not JSON. */
cJSON *simtest_log_lines(const char *path);
/* The string member name of o, or NULL. */
const char *simtest_str(const cJSON *o, const char *name);

#endif
