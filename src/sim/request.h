/* request.h — one HTTP request to the simulator, decoded (transport-independent, so the
 * gateway checks and the handlers can be unit-tested without a socket). */
#ifndef IOTDECK_SIM_REQUEST_H
#define IOTDECK_SIM_REQUEST_H

#include <stddef.h>

#include "api/params.h"

struct sim_request {
	const char    *method;		/* "GET", "POST", ... (not owned) */
	const char    *path;		/* URI path without the query (not owned) */
	struct params  query;		/* decoded query-string pairs, in order (owned) */
	struct params  form;		/* decoded form-body pairs, in order (owned) */
	struct params  all;		/* query pairs then form pairs (owned) */
	const char    *body;		/* raw body bytes (not owned; NULL when none) */
	size_t         body_len;	/* body length */
	const char  *(*header)(void *arg, const char *name);	/* case-insensitive lookup */
	void          *header_arg;	/* argument of header() */
	const char    *remote;		/* peer address for logs ("" when unknown) */
};

/* Initialises r with no parameters. */
void sim_request_init(struct sim_request *r);
/* Frees the parameter lists. */
void sim_request_free(struct sim_request *r);
/* Decodes an application/x-www-form-urlencoded string (also a query string) into p.
 * Returns 0, or -1 with *cause set on a malformed %-escape. */
int sim_params_parse(struct params *p, const char *s, size_t len, char **cause);
/* Fills r->all from r->query and r->form. */
void sim_request_merge(struct sim_request *r);
/* Returns the header's value or NULL. */
const char *sim_request_header(const struct sim_request *r, const char *name);

#endif
