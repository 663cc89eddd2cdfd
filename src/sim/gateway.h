/* gateway.h — one request through the simulated API gateway, independent of HTTP:
 * action and version checks, signature (auth.h), flow control (throttle.h), required
 * parameters, then the action's handler under the simulator's lock (sim.h), and the rendered answer.
 */
#ifndef IOTDECK_SIM_GATEWAY_H
#define IOTDECK_SIM_GATEWAY_H

#include "sim/auth.h"
#include "sim/fault.h"
#include "sim/oss.h"
#include "sim/request.h"
#include "sim/sim.h"
#include "sim/throttle.h"

struct sim_writelog;

/* The answer to send. */
struct sim_response {
	int          status;		/* HTTP status */
	char        *body;		/* caller-freed body (NUL-terminated) */
	const char  *content_type;	/* static string */
	long         retry_after_ms;	/* > 0: x-acs-retry-after header */
	char         request_id[37];	/* x-acs-request-id */
	char         code[80];		/* error code ("" on success), for logs */
	int          delay_ms;		/* sim_gateway_serve_later: the device's reply time
					   (real ms) still to wait before sending; else 0 */
};

struct sim_gateway_config {
	const char *host_id;	/* HostId in gateway errors, e.g. "iot.cn-shanghai.aliyuncs.com" */
	int         verbose;	/* log each request on stderr (never secrets) */
	const char *scheme;	/* "http" or "https" (for URLs the simulator hands out) */
};

struct sim_gateway;

/* The gateway does not own sim, auth or throttle. */
struct sim_gateway *sim_gateway_new(struct sim *sim, struct sim_auth *auth,
    struct sim_throttle *throttle, const struct sim_gateway_config *cfg);
void sim_gateway_free(struct sim_gateway *g);
/* Records the requests for write actions in w (writelog.h; NULL: none). g does not own w. */
void sim_gateway_set_writelog(struct sim_gateway *g, struct sim_writelog *w);
/* Answers r into *resp (free with sim_response_free). now: wall-clock seconds for the
 * timestamp check; mono: monotonic seconds for the throttle. Thread-safe. */
void sim_gateway_handle(struct sim_gateway *g, const struct sim_request *r, time_t now,
    double mono, struct sim_response *resp);
/* As sim_gateway_handle, for a request that gets the injected fault f (fault.h): a 5xx or
 * throttle fault answers instead of the gateway (the request is not executed); the other
 * kinds are for the caller to apply to the answer. A handler that stands for a device's
 * reply (a sync service) returns only after the device's delay, with the store unlocked.
 * A request for a write action is recorded in the write log (writelog.h) with f. */
void sim_gateway_serve(struct sim_gateway *g, const struct sim_request *r, enum sim_fault f,
    time_t now, double mono, struct sim_response *resp);
/* As sim_gateway_serve, but returns at once: the device's delay is left in
 * resp->delay_ms for the caller to wait before it sends the answer (the server suspends
 * the connection meanwhile instead of holding a thread). The answer, the verbose log
 * line and the write log's line are made before that wait. */
void sim_gateway_serve_later(struct sim_gateway *g, const struct sim_request *r,
    enum sim_fault f, time_t now, double mono, struct sim_response *resp);
void sim_response_free(struct sim_response *resp);
/* Answers a gateway error found before a request could be decoded (a body over the
 * limit, a malformed query, an injected fault) into *resp, as sim_gateway_handle would:
 * JSON with RequestId, HostId, Code, Message and Recommend; logged when verbose. */
void sim_gateway_error(struct sim_gateway *g, const char *method, int http, const char *code,
    const char *message, struct sim_response *resp);
/* Finishes an OSS PostObject upload (oss.h) under the simulator's lock: returns the HTTP status,
 * sets *body (caller frees) and md5hex (the file's MD5). */
int sim_gateway_oss_upload(struct sim_gateway *g, struct sim_oss_form *f, char **body,
    char md5hex[33]);

#endif
