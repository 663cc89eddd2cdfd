/* listpane.h — the common part of every pane that is one streamed list in a table
 * (products, devices, groups, firmware, jobs, tasks): open, close, draw, paging, the
 * info line. A pane file supplies a struct listpane_def and its own actions. */
#ifndef IOTDECK_LISTPANE_H
#define IOTDECK_LISTPANE_H

#include "api/model.h"
#include "ui/loader.h"
#include "ui/table.h"
#include "ui/ui.h"

struct listpane_def {
	const char                *action;	/* list action (QueryProductList) */
	enum model_kind            kind;	/* model of its items */
	const struct table_column *columns;	/* the table's columns */
	int                        ncols;	/* how many */
	const char                *what;	/* plural noun for the info line */
	/* Adds the list's fixed parameters for the pane's argument, p->arg (may be NULL). */
	void (*params)(struct pane *p, struct params *q);
	/* Turns one item into a row (table_set). */
	void (*row)(struct pane *p, const void *item, double now);
	/* A guess of the list's length for the pager (pager_opts.expect_total), or 0 (may
	 * be NULL: none). */
	int64_t (*expect)(struct pane *p);
	/* Called when loading ends (may be NULL). */
	void (*finished)(struct pane *p, int ok);
	/* Lines above the table the pane draws itself (may be NULL: none). */
	int  (*header)(struct pane *p, WINDOW *w, int width, int full);
};

struct listpane {
	const struct listpane_def *def;	/* what the pane lists */
	struct loader              loader;	/* its pages */
	void                      *ext;	/* the pane file's own state */
	double                     next_check;	/* when to ask the list's Total again */
	uint64_t                   check_id;	/* that request, while it is out (0: none) */
	int64_t                    grown;	/* a Total that differs, too big to reload by
						   itself (-1: none) */
};

/* A list with at most this many rows reloads itself when its Total changes; a longer one
 * says so on the info line and waits for r. */
#define LISTPANE_AUTO_RELOAD_MAX 5000

/* Opens the list pane (its argument is p->arg). */
void listpane_open(struct pane *p, const struct listpane_def *def, void *ext);
/* Frees the list (not ext: the pane file frees that first). */
void listpane_close(struct pane *p);
void listpane_draw(struct pane *p, WINDOW *w, int full);
/* Offers r to the list's loader: 1 when it was one of its pages (taken over and freed),
 * 0 otherwise (the caller keeps r). */
int listpane_result(struct pane *p, struct worker_result *r);
void listpane_info(struct pane *p, struct buf *out);
/* The list's own tick: every refresh-interval it asks the list's Total (one row, within
 * the action's budget) and reloads when the Total changed, marking new and vanished rows.
 * Returns the seconds until it wants the next tick. Panes with a tick of their own call it
 * from theirs. */
double listpane_tick(struct pane *p, double now);
/* The actions every list pane has (refresh); returns 1 when a was one. */
int listpane_action(struct pane *p, enum ui_action a);
/* Loads again, marking what is new and what vanished. */
void listpane_refresh(struct pane *p);
/* The pane's state, its own state. */
struct listpane *listpane_of(struct pane *p);
void *listpane_ext(struct pane *p);

#endif
