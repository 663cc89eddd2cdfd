/* actions.h — the action table: every IoT Platform API action, one row each.
 *
 * The rows come from actions.def (generated from the guide's facts). The throttle, the
 * retry policy, the paging helpers and the simulator's limits all read this one table.
 */
#ifndef IOTDECK_ACTIONS_H
#define IOTDECK_ACTIONS_H

#include <stddef.h>

#include "api/params.h"

enum action_rw {
	ACTION_READ,	/* safe to retry */
	ACTION_WRITE	/* never sent twice automatically */
};

enum action_paging {
	PAGING_NONE,		/* not a list, or one answer holds it all */
	PAGING_PAGE,		/* CurrentPage/PageSize */
	PAGING_PAGENO,		/* PageNo/PageSize */
	PAGING_PAGE_TOKEN,	/* CurrentPage/PageSize, NextToken past 10,000 (QueryDevice) */
	PAGING_PAGENO_TOKEN,	/* PageNo/PageSize plus NextToken (GetThingTopo) */
	PAGING_NEXTTIME,	/* history: NextValid/NextTime cursor */
	PAGING_NEXTPAGETOKEN,	/* Original* queries: NextPageToken */
	PAGING_SQL		/* QueryDeviceBySQL: LIMIT n,k in the SQL */
};

/* QPS drops to 2 once CurrentPage*PageSize reaches 100,000 (QueryDevice, QueryProductList). */
#define ACTION_F_DEEP_PAGE_QPS2 0x1u

struct action_info {
	const char         *name;	/* API name, e.g. "QueryDevice" */
	const char         *section;	/* guide section, e.g. "4.8.8" ("" if unknown) */
	int                 qps;	/* documented per-account QPS (0 = undocumented) */
	enum action_rw      rw;		/* read or write */
	enum action_paging  paging;	/* paging style */
	int                 page_max;	/* largest PageSize (0 = not stated) */
	int                 batch_max;	/* most items per call (0 = not a batch call) */
	unsigned            flags;	/* ACTION_F_* */
	const char         *list_path;	/* dotted path of the list in the answer ("" = none) */
};

/* Number of known actions and the table itself, sorted by name. */
extern const struct action_info action_table[];
extern const size_t action_count;

/* Returns the row for name, or NULL when the action is not in the table. */
const struct action_info *action_lookup(const char *name);
/* Returns the row for name or, for an unknown action, a row with the most conservative
 * defaults (1 QPS, a write, no paging); its name is "" then. Never NULL. */
const struct action_info *action_get(const char *name);
/* The QPS that applies to one request of action a with parameters p (conditional drops
 * included; an undocumented QPS counts as 1). */
int action_effective_qps(const struct action_info *a, const struct params *p);

#endif
