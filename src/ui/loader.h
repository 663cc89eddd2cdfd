/* loader.h — streams every page of a list into a pane, on top of the pager (api/pager.h).
 *
 * The pager drives the paging (largest PageSize, QueryDevice's NextToken chain past
 * 10,000 devices, the deep-page rate) through the worker at background priority, tagged
 * with the pane's tag, so leaving the pane cancels it. Each page's items reach the pane as
 * soon as the page arrives; they are numbered by page (table_order_from), so the table's
 * natural order stays the API's even when pages arrive out of order.
 */
#ifndef IOTDECK_LOADER_H
#define IOTDECK_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "api/model.h"
#include "api/pager.h"
#include "api/params.h"
#include "ui/ui.h"

struct loader {
	char               *action;	/* the list action */
	struct params       base;	/* its fixed parameters */
	enum model_kind     kind;	/* model of the items */
	struct pager       *pg;		/* the running pager, or NULL */
	struct pane        *pane;	/* the pane it loads for */
	size_t              loaded;	/* items handed to the pane */
	int64_t             total;	/* Total of the answers (-1: not known yet) */
	int                 done;	/* loading ended */
	int                 failed;	/* it ended with an error */
	int                 refresh;	/* this load is a refresh (sweep) */
	size_t              max_items;	/* stop after this many items (0: every page); set
					   it before the first page arrives */
	int                 capped;	/* the load stopped at max_items */
	int64_t             expect;	/* a guess of the list's length, 0: none (the
					   pager's hint; a refresh uses the last Total) */
	/* Called for each item, in order (the item is freed after the call). */
	void (*item)(struct pane *p, const void *item, double now);
	/* Called once when loading ends (ok: every page arrived). */
	void (*finished)(struct pane *p, int ok);
};

/* Prepares a loader for action (with base parameters copied) listing kind. */
void loader_init(struct loader *l, const char *action, const struct params *base,
    enum model_kind kind);
void loader_free(struct loader *l);
/* Starts (or restarts) loading for pane p; refresh: a reload of a loaded table (rows
 * no longer returned are marked vanished at the end). */
void loader_start(struct loader *l, struct pane *p, int refresh);
/* Offers a result to the loader: returns 1 when it was one of its pages (it took r over
 * and freed it), 0 otherwise (the caller keeps r). */
int loader_result(struct loader *l, struct worker_result *r);
/* Progress 0..1 while loading, -1 when idle. */
double loader_progress(const struct loader *l);
/* Appends "loaded N of M" (with a bar of width cols when cols > 0). */
void loader_info(const struct loader *l, struct buf *out, int bar_cols);

#endif
