/* request.c — decoding request parameters. */
#include "sim/request.h"

#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"

void
sim_request_init(struct sim_request *r)
{
	memset(r, 0, sizeof *r);
	params_init(&r->query);
	params_init(&r->form);
	params_init(&r->all);
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
}

int
sim_params_parse(struct params *p, const char *s, size_t len, char **cause)
{
	struct buf name = BUF_INIT, value = BUF_INIT;
	size_t i = 0, j, eq;
	int rc = -1;

	while (i < len) {
		for (j = i; j < len && s[j] != '&'; j++)
			;
		if (j > i) {
			for (eq = i; eq < j && s[eq] != '='; eq++)
				;
			buf_reset(&name);
			buf_reset(&value);
			if (pct_decode(&name, s + i, eq - i, 1) != 0 ||
			    (eq < j && pct_decode(&value, s + eq + 1, j - eq - 1, 1) != 0)) {
				*cause = xstrdup("malformed percent-encoding in the parameters");
				goto fail;
			}
			params_add(p, buf_str(&name), buf_str(&value));
		}
		i = j + 1;
	}
	rc = 0;
fail:
	buf_free(&name);
	buf_free_wipe(&value);
	return rc;
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
	return r->header != NULL ? r->header(r->header_arg, name) : NULL;
}
