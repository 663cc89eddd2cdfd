/* request.h — one HTTP request to the simulator, decoded (transport-independent, so the
 * gateway checks and the handlers can be unit-tested and fuzzed without a socket).
 *
 * The server records the headers with sim_request_add_header, then hands the URI of the
 * request line and the raw body to sim_request_parse, which splits the path from the
 * query and decodes the query and (for application/x-www-form-urlencoded) the body.
 * Nothing here trusts the sender: sizes are capped (SIM_MAX_*) before anything is decoded.
 */
#ifndef IOTDECK_SIM_REQUEST_H
#define IOTDECK_SIM_REQUEST_H

#include <stddef.h>

#include "api/params.h"

/* Largest request body of the API (not of the /oss upload), bytes. The biggest documented
 * requests are the batch imports of 10,000 devices (guide 4.8.42, about 1 MiB encoded) and
 * a TSL of 256 KB (guide 4.6, iot.common.UpdateThingModelOverLimit), which takes up to
 * 9 bytes a character once percent-encoded: 4 MiB holds both. */
#define SIM_MAX_BODY (4u << 20)
/* Most query and form parameters in one request: BatchImportDevice takes 10,000 devices
 * of 3 parameters each (guide 4.8.42), plus the common parameters. */
#define SIM_MAX_PARAMS 32768
/* Most headers in one request (libmicrohttpd caps their total size too). */
#define SIM_MAX_HEADERS 100

struct sim_request {
	const char    *method;		/* "GET", "POST", ... (not owned) */
	const char    *path;		/* URI path without the query */
	struct params  query;		/* decoded query-string pairs, in order (owned) */
	struct params  form;		/* decoded form-body pairs, in order (owned) */
	struct params  all;		/* query pairs then form pairs (owned) */
	struct params  headers;		/* headers as sent, names lower-cased (owned) */
	const char    *body;		/* raw body bytes (not owned; NULL when none) */
	size_t         body_len;	/* body length */
	const char    *remote;		/* peer address for logs ("" when unknown) */
	char          *own_path;	/* storage of path after sim_request_parse (owned) */
};

/* Initialises r with no parameters and no headers. */
void sim_request_init(struct sim_request *r);
/* Frees the parameter and header lists and the parsed path. */
void sim_request_free(struct sim_request *r);
/* Records a header (the name is lower-cased; with a repeated header the first value is
 * the one sim_request_header returns). Returns 0, or -1 with *cause set past
 * SIM_MAX_HEADERS. */
int sim_request_add_header(struct sim_request *r, const char *name, const char *value,
    char **cause);
/* Fills r->method, r->path, r->query, r->form and r->all from the request URI
 * ("/path?query") and the body, which is decoded as a form when the content-type header
 * says so (r->body points into body, which must outlive r). Returns 0, or -1 with *cause
 * set for a malformed %-escape, a body over SIM_MAX_BODY or more than SIM_MAX_PARAMS
 * parameters. */
int sim_request_parse(struct sim_request *r, const char *method, const char *uri,
    const char *body, size_t body_len, char **cause);
/* Decodes an application/x-www-form-urlencoded string (also a query string) into p,
 * appending. Returns 0, or -1 with *cause set on a malformed %-escape or when p would
 * hold more than max pairs. */
int sim_params_parse(struct params *p, const char *s, size_t len, size_t max, char **cause);
/* Fills r->all from r->query and r->form. */
void sim_request_merge(struct sim_request *r);
/* Fills view with the pairs of src sorted by name, ties in their order (a stable
 * O(n log n) sort). The view shares the strings of src: free view->v only, never with
 * params_free. The signing code of src/api sorts by insertion, which is linear on sorted
 * input but quadratic on a request crafted to be out of order: the simulator hands it
 * sorted views, so that checking a signature costs O(n log n) before authentication. */
void sim_params_sorted_view(const struct params *src, struct params *view);
/* Returns the (first) value of the header, matched case-insensitively, or NULL. */
const char *sim_request_header(const struct sim_request *r, const char *name);

#endif
