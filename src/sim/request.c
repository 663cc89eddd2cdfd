/* request.c — decoding requests (see request.h). */
#include "sim/request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/xmalloc.h"

void
sim_request_init(struct sim_request *r)
{
	memset(r, 0, sizeof *r);
	params_init(&r->query);
	params_init(&r->form);
	params_init(&r->all);
	params_init(&r->headers);
	r->method = "GET";
	r->path = "/";
	r->remote = "";
}

void
sim_request_free(struct sim_request *r)
{
	params_free(&r->query);
	params_free(&r->form);
	params_free(&r->all);
	params_free(&r->headers);
	free(r->own_path);
	r->own_path = NULL;
	r->path = "/";
}

int
sim_request_add_header(struct sim_request *r, const char *name, const char *value,
    char **cause)
{
	char *lower;
	size_t i;

	if (r->headers.n >= SIM_MAX_HEADERS) {
		*cause = xasprintf("more than %d headers", SIM_MAX_HEADERS);
		return -1;
	}
	lower = xstrdup(name);
	for (i = 0; lower[i] != '\0'; i++)
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] = (char)(lower[i] - 'A' + 'a');
	params_add(&r->headers, lower, value != NULL ? value : "");
	free(lower);
	return 0;
}

int
sim_params_parse(struct params *p, const char *s, size_t len, size_t max, char **cause)
{
	struct buf name = BUF_INIT, value = BUF_INIT;
	const char *end = s + len, *amp, *eq;
	int rc = -1;

	while (s < end) {
		amp = memchr(s, '&', (size_t)(end - s));
		if (amp == NULL)
			amp = end;
		if (amp > s) {
			if (p->n >= max) {
				*cause = xasprintf("more than %zu parameters", max);
				goto fail;
			}
			eq = memchr(s, '=', (size_t)(amp - s));
			if (eq == NULL)
				eq = amp;
			buf_reset(&name);
			buf_reset(&value);
			if (pct_decode(&name, s, (size_t)(eq - s), 1) != 0 ||
			    (eq < amp && pct_decode(&value, eq + 1, (size_t)(amp - eq - 1), 1) != 0)) {
				*cause = xstrdup("malformed percent-encoding in the parameters");
				goto fail;
			}
			params_add(p, buf_str(&name), buf_str(&value));
		}
		if (amp == end)
			break;
		s = amp + 1;
	}
	rc = 0;
fail:
	buf_free(&name);
	buf_free_wipe(&value);
	return rc;
}

int
sim_request_parse(struct sim_request *r, const char *method, const char *uri,
    const char *body, size_t body_len, char **cause)
{
	const char *q = strchr(uri, '?'), *ctype;

	r->method = method;
	free(r->own_path);
	r->own_path = q != NULL ? xstrndup(uri, (size_t)(q - uri)) : xstrdup(uri);
	r->path = r->own_path;
	r->body = body;
	r->body_len = body_len;
	if (body_len > SIM_MAX_BODY) {
		*cause = xasprintf("the request body is larger than %u bytes", SIM_MAX_BODY);
		return -1;
	}
	if (q != NULL && sim_params_parse(&r->query, q + 1, strlen(q + 1), SIM_MAX_PARAMS,
	    cause) != 0)
		return -1;
	ctype = sim_request_header(r, "content-type");
	if (body_len > 0 && ctype != NULL &&
	    strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0 &&
	    sim_params_parse(&r->form, body, body_len, SIM_MAX_PARAMS - r->query.n, cause) != 0)
		return -1;
	sim_request_merge(r);
	return 0;
}

void
sim_request_merge(struct sim_request *r)
{
	size_t i;

	params_free(&r->all);
	params_init(&r->all);
	for (i = 0; i < r->query.n; i++)
		params_add(&r->all, r->query.v[i].name, r->query.v[i].value);
	for (i = 0; i < r->form.n; i++)
		params_add(&r->all, r->form.v[i].name, r->form.v[i].value);
}

const char *
sim_request_header(const struct sim_request *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->headers.n; i++)
		if (strcasecmp(r->headers.v[i].name, name) == 0)
			return r->headers.v[i].value;
	return NULL;
}

/* One pair of a sorted view with its position, so that the sort is stable. */
struct ranked {
	struct param p;		/* the pair (pointers shared with the source) */
	size_t       pos;	/* its position in the source */
};

static int
ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->p.name, y->p.name);

	if (c != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void
sim_params_sorted_view(const struct params *src, struct params *view)
{
	struct ranked *r = xreallocarray(NULL, src->n ? src->n : 1, sizeof *r);
	size_t i;

	for (i = 0; i < src->n; i++) {
		r[i].p = src->v[i];
		r[i].pos = i;
	}
	qsort(r, src->n, sizeof *r, ranked_cmp);
	view->v = xreallocarray(NULL, src->n ? src->n : 1, sizeof *view->v);
	for (i = 0; i < src->n; i++)
		view->v[i] = r[i].p;
	view->n = view->cap = src->n;
	free(r);
}
