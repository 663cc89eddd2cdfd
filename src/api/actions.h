/* actions.h — the action table: every IoT Platform API action, one row each.
 *
 * The rows are generated at build time (BUILD/gen/actions.def and actions_id.h, by
 * src/gen/gen-actions from src/gen/iot-2018-01-20.tsv, the guide's facts). The throttle, the
 * retry policy, the paging helpers, the list readers (list paths and their aliases) and the
 * simulator's limits and required parameters all read this one table.
 *
 * Code names an action with its generated macro, ACT_QueryDevice ("QueryDevice"), never
 * with a string of its own: a misspelt name does not compile (tests/tools/check-action-names
 * finds a raw name in src/). Only names from outside (`iotdeck call ACTION`) are looked up
 * by string.
 */
#ifndef IOTDECK_ACTIONS_H
#define IOTDECK_ACTIONS_H

#include <stddef.h>

#include "api/params.h"
#include "gen/actions_id.h"

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
	const char         *list_path;	/* dotted path of the list in the answer ("" = none);
					   other names answers use follow, '|'-separated */
	const char         *required;	/* comma-separated required parameters ("X.N" for
					   X.1, X.2, ...; "" = none) */
	const char         *optional;	/* comma-separated optional parameters */
};

/* Number of known actions and the table itself, sorted by name. */
extern const struct action_info action_table[];
extern const size_t action_count;

/* Returns the row of action id (ACT_ID_*), or NULL for an id out of range. */
const struct action_info *action_by_id(enum action_id id);
/* Returns the row for name, or NULL when the action is not in the table. */
const struct action_info *action_lookup(const char *name);
/* Returns the row for name or, for an unknown action, a row with the most conservative
 * defaults (1 QPS, a write, no paging); its name is "" then. Never NULL. */
const struct action_info *action_get(const char *name);
/* The QPS that applies to one request of action a with parameters p (conditional drops
 * included; an undocumented QPS counts as 1). */
int action_effective_qps(const struct action_info *a, const struct params *p);

/* The known action nearest to name (edit distance ignoring case, a swap of two neighbours
 * counting one), for "did you mean": NULL when name is known or nothing is near enough
 * (more than a third of its letters would change). */
const char *action_nearest(const char *name);

#endif
