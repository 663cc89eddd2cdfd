/* loader.h — streams every page of a list into a pane, as the pages arrive.
 *
 * The first page is asked for at once (interactive priority) so the first rows appear
 * at once; the rest follow at background priority, a few pages ahead (the worker's
 * throttle keeps them within the documented QPS), and are handed to the pane in page
 * order. QueryDevice past 10,000 devices continues with NextToken, one page at a time.
 */
#ifndef IOTDECK_LOADER_H
#define IOTDECK_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "api/model.h"
#include "api/params.h"
#include "ui/ui.h"

/* The kind (worker udata) of the loader's requests; panes pass results of this kind to
 * loader_result. */
#define LOADER_KIND ((intptr_t)0x10AD)

struct loader_page;

struct loader {
	char               *action;	/* the list action */
	struct params       base;	/* its fixed parameters */
	enum model_kind     kind;	/* model of the items */
	int                 page_size;	/* PageSize sent */
	int                 ahead;	/* pages in flight at most */
	int                 next_page;	/* next page number to ask for */
	int                 next_give;	/* next page number to hand to the pane */
	int                 in_flight;	/* pages asked for, not answered */
	int                 last_page;	/* last page number (0: not known yet) */
	int64_t             total;	/* Total of the answer (-1: not known) */
	size_t              loaded;	/* items handed to the pane */
	char               *token;	/* NextToken for the next page, or NULL */
	int                 need_token;	/* pages past the token threshold are sequential */
	int                 done;	/* every page arrived */
	int                 failed;	/* a page failed: loading stopped */
	int                 refresh;	/* this load is a refresh (sweep) */
	struct loader_page *pending;	/* answers that arrived ahead of their turn */
	/* Called for each item, in order (the item is freed after the call). */
	void (*item)(struct pane *p, const void *item, double now);
	/* Called once when the last page has been handed over (or on failure). */
	void (*finished)(struct pane *p, int ok);
};

/* Prepares a loader for action (with base parameters copied) listing kind. */
void loader_init(struct loader *l, const char *action, const struct params *base,
    enum model_kind kind);
void loader_free(struct loader *l);
/* Starts (or restarts) loading for pane p; refresh: a reload of a loaded table. */
void loader_start(struct loader *l, struct pane *p, int refresh);
/* Handles a result of LOADER_KIND (takes ownership of nothing: the caller frees r). */
void loader_result(struct loader *l, struct pane *p, struct worker_result *r);
/* Progress 0..1 while loading, -1 when idle. */
double loader_progress(const struct loader *l);
/* Appends "loaded N of M" (with a bar of width cols when cols > 0). */
void loader_info(const struct loader *l, struct buf *out, int bar_cols);

#endif
