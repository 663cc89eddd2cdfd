/* response.h — classifying an answer of the IoT Platform RPC API.
 *
 * Three shapes reach a client:
 *   success         HTTP 2xx, JSON, no "Success": false
 *   business error  HTTP 200, {"RequestId","Success":false,"Code":"iot...","ErrorMessage"}
 *   gateway error   HTTP 4xx/5xx, {"RequestId","HostId","Code","Message","Recommend"}
 * and one that must not crash anything: a body that is not JSON (an HTML error page from a
 * proxy, a truncated answer, nothing at all).
 */
#ifndef IOTDECK_RESPONSE_H
#define IOTDECK_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

enum api_status {
	API_OK = 0,		/* the call succeeded */
	API_ERR_BUSINESS,	/* HTTP 200 with Success:false (an iot.* code) */
	API_ERR_GATEWAY,	/* HTTP 4xx/5xx from the gateway (Throttling, Signature...) */
	API_ERR_BAD_RESPONSE,	/* the answer was not the JSON object it should be */
	API_ERR_NETWORK,	/* no answer: DNS, connect, TLS, reset */
	API_ERR_TIMEOUT,	/* no (complete) answer in time */
	API_ERR_CONFIG		/* the request could not be made: endpoint, credentials */
};

struct api_error {
	enum api_status status;		/* which kind of failure (API_OK: none) */
	long            http_status;	/* HTTP status, 0 when no answer came */
	char           *code;		/* error code, e.g. "iot.device.NotExistedDevice" */
	char           *message;	/* message, display-safe, one line */
	char           *request_id;	/* RequestId of the answer, or NULL */
	char           *host_id;	/* HostId of a gateway error, or NULL */
	char           *recommend;	/* Recommend URL of a gateway error, or NULL */
	int             outcome_unknown;/* a write was sent and no answer came back */
};

/* Classifies an answer. On API_OK *json gets the parsed body (caller owns it, free with
 * cJSON_Delete); otherwise *json is NULL and err is filled in (free with api_error_clear).
 * The body need not be NUL-terminated. */
enum api_status api_response_classify(long http_status, const char *body, size_t len,
    cJSON **json, struct api_error *err);

/* Frees the strings of err and resets it to API_OK. */
void api_error_clear(struct api_error *err);
/* Sets err to a failure with the given status and a copy of message (display-safe). */
void api_error_set(struct api_error *err, enum api_status status, const char *code,
    const char *message);
/* Returns a caller-freed one-line description: "Code: message (RequestId ...)". */
char *api_error_format(const struct api_error *err);
/* 1 when err says that what the request named does not exist (iot.prod.NotExistedProduct,
 * iot.device.NotExistedDevice, iot.group.NotExistedGroup, iot.ota.InvalidJobId, ...). */
int api_error_not_found(const struct api_error *err);
/* A short name of a status for messages ("API error", "network error", ...). */
const char *api_status_name(enum api_status status);

/* Returns the string value of a top-level member, accepting numbers too; NULL if absent.
 * Valid as long as root is. Numbers are formatted into buf (at least 32 bytes). */
const char *api_json_string(const cJSON *root, const char *name, char *buf, size_t buflen);

/* The pause an x-acs-retry-after header value (milliseconds, digits) asks for, in
 * nanoseconds, clamped to [0, max_ns] before any arithmetic can overflow: a value that is
 * not a number gives 0, a huge one max_ns. */
int64_t api_retry_after_ns(const char *value, size_t len, int64_t max_ns);

#endif
