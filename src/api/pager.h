/* pager.h — fetch every page of a list through the worker, as a stream of pages.
 *
 * The pager reads the action's paging style, largest PageSize and list path from the
 * action table, submits page requests to a worker and hands each page to a callback as
 * it arrives (in arrival order, not page order), so the first rows can be drawn while
 * the rest loads. It runs on the thread that owns the worker's results: offer it every
 * result with pager_feed (or let pager_pump do the waiting). See pager.c for how
 * QueryDevice switches to NextToken past 10,000 devices and what that costs.
 */
#ifndef IOTDECK_PAGER_H
#define IOTDECK_PAGER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/params.h"
#include "api/response.h"
#include "api/worker.h"

/* One page, valid only during the callback: copy what you keep. */
struct pager_page {
	const cJSON   *json;	/* the whole answer (borrowed) */
	const cJSON  **items;	/* the list's items, normalised (borrowed) */
	size_t         count;	/* number of items */
	long           page;	/* page number (1-based) */
	int64_t        total;	/* items the list holds (answer's Total), -1 if unknown */
	size_t         loaded;	/* items delivered so far, this page included */
	long           pages_done;	/* pages delivered so far, this one included */
	long           pages_total;	/* pages expected (-1 while unknown) */
};

struct pager_opts {
	enum worker_prio prio;		/* priority of the page requests (default background) */
	uint64_t         tag;		/* worker tag (for worker_cancel_tag), 0: none */
	int              page_size;	/* 0: the largest the action allows */
	int              window;	/* most page requests outstanding (0: twice the QPS,
					   at most 100) */
	long             deadline_ms;	/* per page, 0: the worker's default */
	int64_t          expect_total;	/* the caller's guess of the list's length (0:
					   none), e.g. a product's DeviceCount from
					   QueryProductList: see pager_new */
};

/* An expect_total for a caller that cannot know the length but expects a long list (a
 * bulk export): the NextToken chain starts with page 1, and a short list costs the one
 * request whose answer is dropped. */
#define PAGER_EXPECT_LONG ((int64_t)1 << 40)

/* Called for each page; return 0 to go on, non-zero to stop (the rest is cancelled and
 * the pager ends with status API_OK and pager_stopped true). */
typedef int pager_page_fn(void *arg, const struct pager_page *page);

struct pager;

/* Sets the defaults. */
void pager_opts_init(struct pager_opts *o);
/* Creates a pager for action with the caller's filter parameters (copied; the paging
 * parameters are the pager's). Returns NULL with a caller-freed *cause when the action
 * cannot be paged by this module (NextValid/NextTime history and SQL LIMIT paging).
 * o->expect_total is only a hint: when it says a QueryDevice list goes past the pages
 * asked for by number (10,000 devices), the page that starts the NextToken chain is sent
 * together with page 1 instead of after it, which saves the chain one round trip. A wrong
 * hint costs at most one or two requests whose answers are dropped, never a wrong or
 * missing row: the total in page 1's answer decides what is delivered. */
struct pager *pager_new(struct worker *w, const char *action, const struct params *p,
    const struct pager_opts *o, pager_page_fn *fn, void *arg, char **cause);
/* Submits the first request. */
void pager_start(struct pager *pg);
/* Offers a result taken from the worker. Returns 1 when it was one of this pager's:
 * the pager consumed (freed) it. Returns 0 otherwise: the caller keeps it. */
int pager_feed(struct pager *pg, struct worker_result *r);
/* Waits up to timeout_ms for results, feeds them to pg, frees the ones that are not its.
 * Returns 0, or -1 when interrupted by a signal. For command-line loops and tests. */
int pager_pump(struct pager *pg, int timeout_ms);
/* 1 once every page was delivered, or the pager failed or was stopped. */
int pager_done(const struct pager *pg);
/* 1 when the callback (or pager_cancel) stopped it early. */
int pager_stopped(const struct pager *pg);
/* The final status: API_OK, or the error of the page that failed (*err borrowed, NULL
 * when OK). */
enum api_status pager_status(const struct pager *pg, const struct api_error **err);
/* Progress: items delivered, total (-1 unknown), requests sent so far. */
size_t pager_loaded(const struct pager *pg);
int64_t pager_total(const struct pager *pg);
/* Cancels the outstanding requests; the pager is done (stopped). */
void pager_cancel(struct pager *pg);
/* Cancels what is outstanding and frees the pager. */
void pager_free(struct pager *pg);

/* The cheapest way to page action over total items: the page size the pager uses and
 * the number of requests at the action's normal rate and at its deep-page rate. */
void pager_plan(const char *action, int64_t total, int *page_size, long *normal_pages,
    long *deep_pages);

#endif
