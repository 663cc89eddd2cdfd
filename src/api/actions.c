/* actions.c — the action table (rows in actions.def). */
#include "api/actions.h"

#include <stdlib.h>
#include <string.h>

const struct action_info action_table[] = {
#define ACTION(name, section, qps, rw, paging, page_max, batch_max, flags, list_path) \
	{ #name, section, qps, rw, paging, page_max, batch_max, flags, list_path },
#include "api/actions.def"
#undef ACTION
};

const size_t action_count = sizeof action_table / sizeof action_table[0];

static const struct action_info action_unknown = {
	"", "", 1, ACTION_WRITE, PAGING_NONE, 0, 0, 0, ""
};

static int
action_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct action_info *)elem)->name);
}

const struct action_info *
action_lookup(const char *name)
{
	return bsearch(name, action_table, action_count, sizeof action_table[0], action_cmp);
}

const struct action_info *
action_get(const char *name)
{
	const struct action_info *a = action_lookup(name);

	return a != NULL ? a : &action_unknown;
}

static long
param_long(const struct params *p, const char *name, long dflt)
{
	const char *v = params_get(p, name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return dflt;
	n = strtol(v, &end, 10);
	return *end == '\0' ? n : dflt;
}

int
action_effective_qps(const struct action_info *a, const struct params *p)
{
	int qps = a->qps > 0 ? a->qps : 1;

	if ((a->flags & ACTION_F_DEEP_PAGE_QPS2) && p != NULL) {
		long page = param_long(p, "CurrentPage", 1);
		long size = param_long(p, "PageSize", 10);
		/* page * size >= 100000, without the product (a CurrentPage of 10^80 is
		 * read as LONG_MAX, and times the size it overflowed). */
		if (page > 0 && size > 0 && qps > 2 &&
		    (size >= 100000 || page >= (100000 + size - 1) / size))
			qps = 2;
	}
	return qps;
}
