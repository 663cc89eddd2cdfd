/* actions.c — the action table (rows generated into BUILD/gen/actions.def). */
#include "api/actions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const struct action_info action_table[] = {
#define ACTION(name_, section_, qps_, rw_, paging_, page_max_, batch_max_, flags_, list_path_, \
    required_, optional_) \
	[ACT_ID_##name_] = { .name = #name_, .section = section_, .qps = qps_, .rw = rw_, \
	    .paging = paging_, .page_max = page_max_, .batch_max = batch_max_, .flags = flags_, \
	    .list_path = list_path_, .required = required_, .optional = optional_ },
#include "gen/actions.def"
#undef ACTION
};

const size_t action_count = sizeof action_table / sizeof action_table[0];

/* actions.def and actions_id.h come from the same run of the generator. */
_Static_assert(sizeof action_table / sizeof action_table[0] == ACTION_ID_COUNT,
    "the action table and enum action_id disagree");

static const struct action_info action_unknown = {
	.name = "", .section = "", .qps = 1, .rw = ACTION_WRITE, .paging = PAGING_NONE,
	.list_path = "", .required = "", .optional = ""
};

const struct action_info *
action_by_id(enum action_id id)
{
	return (unsigned)id < ACTION_ID_COUNT ? &action_table[id] : NULL;
}

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

/* Optimal string alignment distance between a and b ignoring ASCII case (a swap of two
 * neighbours counts one edit), or limit + 1 once it is certain to exceed limit. */
static size_t
name_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best, v;
	size_t *rows, *d0, *d1, *d2, *t;

	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	/* Three rows of the (la+1) x (lb+1) matrix: two back, one back, this one. */
	if ((rows = calloc(3 * (lb + 1), sizeof *rows)) == NULL)
		return limit + 1;
	d0 = rows;
	d1 = rows + lb + 1;
	d2 = rows + 2 * (lb + 1);
	for (j = 0; j <= lb; j++)
		d1[j] = j;
	for (i = 1; i <= la; i++) {
		int ca = tolower((unsigned char)a[i - 1]);
		d2[0] = best = i;
		for (j = 1; j <= lb; j++) {
			int cb = tolower((unsigned char)b[j - 1]);
			v = d1[j - 1] + (ca != cb);
			if (d1[j] + 1 < v)
				v = d1[j] + 1;
			if (d2[j - 1] + 1 < v)
				v = d2[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d0[j - 2] + 1 < v)
				v = d0[j - 2] + 1;
			d2[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			break;
		t = d0;
		d0 = d1;
		d1 = d2;
		d2 = t;
	}
	v = i <= la ? limit + 1 : d1[lb];
	free(rows);
	return v > limit ? limit + 1 : v;
}

const char *
action_nearest(const char *name)
{
	const char *best = NULL;
	size_t i, d, best_d;

	if (*name == '\0' || action_lookup(name) != NULL)
		return NULL;
	best_d = strlen(name) / 3 + 1;	/* one more than the most edits allowed */
	for (i = 0; i < action_count && best_d > 0; i++) {
		d = name_distance(name, action_table[i].name, best_d - 1);
		if (d < best_d) {
			best_d = d;
			best = action_table[i].name;
		}
	}
	return best;
}
