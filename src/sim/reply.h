/* reply.h — what the simulator answers: gateway errors (HTTP 4xx/5xx with RequestId,
 * HostId, Code, Message, Recommend), IoT business errors (HTTP 200, Success:false, Code,
 * ErrorMessage) and success bodies, in JSON or XML (Format=XML). */
#ifndef IOTDECK_SIM_REPLY_H
#define IOTDECK_SIM_REPLY_H

#include <cjson/cJSON.h>

/* An error to answer instead of a success body. */
struct sim_error {
	int   http;		/* HTTP status: 200 for iot.* business errors */
	char *code;		/* e.g. "SignatureDoesNotMatch", "iot.device.NotExistedDevice" */
	char *message;		/* Message (gateway) or ErrorMessage (business) */
	long  retry_after_ms;	/* > 0: sent as x-acs-retry-after (Throttling) */
};

/* Sets *e (freeing what it held). http == 200 means an iot.* business error. */
void sim_error_set(struct sim_error *e, int http, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Frees the strings and clears *e. */
void sim_error_clear(struct sim_error *e);

/* Writes a new request id ("8906582E-6722-409A-A6C4-0E7863B733A5" style) into out. */
void sim_request_id(char out[37]);

/* Returns a new JSON body for error e with request id rid (caller deletes). host_id is
 * the endpoint name the gateway reports. */
cJSON *sim_error_body(const struct sim_error *e, const char *rid, const char *host_id);

/* Serialises body as JSON, or as XML under a root element named root (the action's
 * "<Action>Response", or "Error") when xml is set. Returns a caller-freed string. */
char *sim_render(const cJSON *body, int xml, const char *root);

#endif
