/* pager.c — every page of a list, as a stream.
 *
 * DESIGN
 *
 * Cost. A list of N items costs ceil(N / PageSize) requests, and each action has a QPS
 * budget, so the floor is pages / QPS seconds: the pager always asks for the largest
 * PageSize the action allows (the table's page_max). The first page tells the total;
 * the other numbered pages are then independent and submitted together (up to a window
 * of twice the QPS), so the worker keeps the budget busy however long each answer takes.
 *
 * QueryDevice (guide 4.8.8). Pages with CurrentPage*PageSize > 10,000 must carry the
 * NextToken of the page before, and with a NextToken CurrentPage*PageSize must stay
 * below 500,000 (so at PageSize 50 at most 9,999 pages, 499,950 devices: the pager
 * reports an error past that). Those pages form a chain, one round trip each, which no
 * amount of concurrency shortens; so the pager asks for the page that starts the chain
 * (page 200 at PageSize 50) first and walks the chain at a priority one step above the
 * numbered pages, which fill the rest of the budget meanwhile. Each link must cost no
 * more than its round trip: a chain page carries pager_follow (worker_call.follow), so
 * the worker thread reads the NextToken and sends the next page the moment the answer is
 * in, before the pager's thread even wakes (pager_feed then only notes the new request,
 * or submits it itself when the worker did not); and the throttle gives the better
 * priority the next slot at once instead of the pacer's next one (up to 20 ms at 50 QPS
 * behind the numbered pages: 8 ms a link on average, 1.14x the chain's floor before).
 *
 * Sharing the budget with the chain. The throttle keeps a slot of the action's one-second
 * window free for the chain's better priority, but when the numbered pages keep the
 * window full, that slot comes back only as older sends leave the window, and the gap
 * while page 1 was out (one round trip with two sends) echoes every second: a link then
 * waits up to a round trip for its slot (14-50 ms at 50 QPS, once a second, in the
 * benchmark: a third of the chain's overhead while numbered pages ran). The numbered
 * pages need only end before the chain does, so while a chain runs they are paced below
 * what the chain leaves of the budget: QPS - 1/RTT (page 1's round trip) - QPS/10, at
 * least QPS/5 (at 50 QPS and 50 ms, 25 a second: 199 pages in 8 s against the chain's
 * 10 s), with one always out so they never stall; the limit ends with the chain. When
 * the chain is the shorter of the two (a list of 10,000 to about 15,000 devices), the
 * numbered pages lose at most a tenth of the budget for the chain's few seconds.
 *
 * The hint. Asking page 1 first to learn the total costs the chain a round trip of its
 * own (202 instead of 201 at 20,000 devices). A caller that has a good guess of the total
 * (the console has the product's DeviceCount from QueryProductList; a refresh has the
 * total of the load before) passes it as pager_opts.expect_total, and when it says the
 * list goes past the numbered pages, the chain's first page goes out together with page
 * 1. Until page 1 is in, the answers of that speculative chain are held, not delivered
 * (the worker still follows the chain meanwhile); page 1's total then decides: the chain
 * goes on as if asked for after page 1, or the hint was wrong and every chain page past
 * the list's last is cancelled or, when it already came, dropped (an empty page 200 of a
 * short list; page 201 that the worker followed from a last page 200 that carried a
 * token). So a wrong hint costs one or two requests and never a row: rows come only from
 * pages within the total page 1 announced, and a page within it is delivered once.
 *
 * The deep-page drop. QueryDevice and QueryProductList go down to 2 QPS when the
 * request's CurrentPage*PageSize reaches 100,000. The guide ties the drop to those two
 * parameters as sent, not to how far a NextToken has moved: the pager sends the real
 * page number with every token (the 500,000 ceiling above only makes sense if
 * CurrentPage keeps counting), so the pages from item 100,000 on go at 2 QPS, and the
 * throttle (action_effective_qps) paces exactly those. A larger PageSize cannot help:
 * the product is the item offset. 100,000 devices are 2,000 pages, of which only the
 * last is deep: 1,999/50 + 1/2 s is the floor; each further 100 devices cost 1 s.
 *
 * Other styles. PageNo/PageSize (QueryImportedDeviceByApplyId, GetThingTopo) pages like
 * CurrentPage; NextPageToken (the Original* history queries) is a chain from the first
 * page; a non-paged action is one request. NextValid/NextTime history and QueryDeviceBySQL
 * (LIMIT in the SQL text) are refused: they need the caller's time range or SQL.
 *
 * The items are read with jsonpath_list at the action's list_path, which normalises the
 * list shapes (bare arrays, single objects, missing lists).
 */
#include "api/pager.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/jsonpath.h"
#include "core/clock.h"
#include "core/xmalloc.h"

#define TOKEN_FROM_ITEMS   10000L	/* QueryDevice: NextToken past this offset */
#define TOKEN_LIMIT_ITEMS  500000L	/* QueryDevice: with a token, page*size < this */
#define DEFAULT_PAGE_SIZE  10		/* the API's default when the guide gives no max */
#define MAX_WINDOW         100

/* A page request on its way. */
struct pending {
	uint64_t id;		/* worker request id */
	long     page;		/* page number */
	int      chain;		/* a NextToken/NextPageToken page */
};

/* An answer of the speculative chain that came before page 1's (DESIGN: the hint). */
struct held {
	struct worker_result *r;	/* the answer (owned) */
	struct pending        me;	/* the request it answers */
};

enum pager_mode {
	MODE_SINGLE,		/* one request */
	MODE_NUMBERED,		/* CurrentPage or PageNo */
	MODE_NUMBERED_TOKEN,	/* numbered up to 10,000 items, then a NextToken chain */
	MODE_CHAIN		/* NextPageToken chain from the start */
};

struct pager {
	struct worker            *w;		/* borrowed */
	char                     *action;	/* owned */
	const struct action_info *info;		/* table row */
	struct params             filter;	/* caller's parameters (owned) */
	struct pager_opts         o;		/* options, page_size and window resolved */
	enum pager_mode           mode;		/* how it pages */
	const char               *page_param;	/* "CurrentPage" or "PageNo" */
	const char               *token_param;	/* "NextToken" or "NextPageToken" */
	pager_page_fn            *fn;		/* page callback */
	void                     *arg;		/* its argument */

	struct pending           *pend;		/* outstanding requests */
	size_t                    npend, cappend;	/* used, allocated */
	long                      next_numbered;	/* next numbered page to submit */
	long                      last_numbered;	/* last page fetched by number */
	long                      chain_start;	/* page whose token starts the chain (0: none) */
	int                       spec_wait;	/* the chain was started on a hint and page 1's
						   answer is not in yet: hold the chain's */
	long                      spec_last;	/* the hint was wrong: chain pages after this
						   one are dropped (0: none are) */
	struct held              *held;		/* answers held while spec_wait */
	size_t                    nheld, capheld;	/* used, allocated */
	double                    numbered_qps;	/* while a chain runs, numbered pages go at
						   most this fast (0: no limit) */
	int64_t                   numbered_t0;	/* when that pace started (ns) */
	long                      numbered_sent;	/* numbered pages submitted since */
	long                      npages;	/* pages in all (-1 unknown) */
	int64_t                   total;	/* items (-1 unknown) */
	size_t                    loaded;	/* items delivered */
	long                      pages_done;	/* pages delivered */
	int                       started;	/* pager_start was called */
	int                       done;		/* finished, failed or stopped */
	int                       stopped;	/* stopped early */
	enum api_status           status;	/* API_OK or the failure */
	struct api_error          err;		/* the failure */
};

void
pager_opts_init(struct pager_opts *o)
{
	memset(o, 0, sizeof *o);
	o->prio = WORKER_BACKGROUND;
}

static int
page_size_for(const struct action_info *a, int wanted)
{
	int max = a->page_max > 0 ? a->page_max : DEFAULT_PAGE_SIZE;

	return wanted > 0 && wanted < max ? wanted : max;
}

void
pager_plan(const char *action, int64_t total, int *page_size, long *normal_pages,
    long *deep_pages)
{
	const struct action_info *a = action_get(action);
	int size = page_size_for(a, 0);
	long pages = total > 0 ? (long)((total + size - 1) / size) : 1, first_deep;

	*page_size = size;
	*normal_pages = pages;
	*deep_pages = 0;
	if (a->flags & ACTION_F_DEEP_PAGE_QPS2) {
		first_deep = (100000L + size - 1) / size;	/* page*size >= 100,000 */
		if (pages >= first_deep) {
			*deep_pages = pages - first_deep + 1;
			*normal_pages = first_deep - 1;
		}
	}
}

struct pager *
pager_new(struct worker *w, const char *action, const struct params *p,
    const struct pager_opts *o, pager_page_fn *fn, void *arg, char **cause)
{
	const struct action_info *a = action_get(action);
	struct pager *pg;
	int qps;

	if (a->paging == PAGING_NEXTTIME || a->paging == PAGING_SQL) {
		*cause = xasprintf("%s pages by %s, which the pager does not drive", action,
		    a->paging == PAGING_SQL ? "LIMIT in its SQL" : "NextValid/NextTime");
		return NULL;
	}
	pg = xcalloc(1, sizeof *pg);
	pg->w = w;
	pg->action = xstrdup(action);
	pg->info = a;
	if (p != NULL)
		params_copy(&pg->filter, p);
	if (o != NULL)
		pg->o = *o;
	else
		pager_opts_init(&pg->o);
	pg->o.page_size = page_size_for(a, pg->o.page_size);
	qps = action_effective_qps(a, NULL);
	if (pg->o.window <= 0)
		pg->o.window = 2 * qps < 4 ? 4 : (2 * qps > MAX_WINDOW ? MAX_WINDOW : 2 * qps);
	pg->fn = fn;
	pg->arg = arg;
	pg->page_param = "CurrentPage";
	pg->token_param = "NextToken";
	switch (a->paging) {
	case PAGING_PAGE:
		pg->mode = MODE_NUMBERED;
		break;
	case PAGING_PAGENO:
	case PAGING_PAGENO_TOKEN:
		pg->mode = MODE_NUMBERED;
		pg->page_param = "PageNo";
		break;
	case PAGING_PAGE_TOKEN:
		pg->mode = MODE_NUMBERED_TOKEN;
		break;
	case PAGING_NEXTPAGETOKEN:
		pg->mode = MODE_CHAIN;
		pg->token_param = "NextPageToken";
		break;
	default:
		pg->mode = MODE_SINGLE;
		break;
	}
	pg->npages = -1;
	pg->total = -1;
	pg->next_numbered = 2;
	pg->last_numbered = 1;
	return pg;
}

/* Whether a chain page's answer leads on: a token, items, and (QueryDevice) the next
 * page within the NextToken ceiling. Reads only what pager_new set, so the worker thread
 * may call it (through pager_follow) while the pager's thread runs. */
static int
chain_goes_on(const struct pager *pg, long page, const char *token, size_t count)
{
	return token != NULL && count > 0 && (pg->mode != MODE_NUMBERED_TOKEN ||
	    (page + 1) * pg->o.page_size < TOKEN_LIMIT_ITEMS);
}

/* The worker's follow function for chain pages (worker thread, worker's lock held): the
 * next page's parameters are those sent with the next page number and the answer's
 * token. pager_feed checks again what only it knows (the announced page count). */
static int
pager_follow(void *arg, const cJSON *json, const struct params *sent, struct params *next)
{
	const struct pager *pg = arg;
	struct jsonpath_page jp;
	struct jsonpath_list l;
	const char *cur = params_get(sent, pg->page_param);
	long page = cur != NULL ? strtol(cur, NULL, 10) : 1;
	char num[24];
	int go;

	jsonpath_page_parse(json, &jp);
	jsonpath_list(json, pg->info->list_path, &l);
	go = chain_goes_on(pg, page, jp.next_token, l.count);
	if (go) {
		params_copy(next, sent);
		if (pg->mode != MODE_CHAIN) {
			snprintf(num, sizeof num, "%ld", page + 1);
			params_set(next, pg->page_param, num);
		}
		params_set(next, pg->token_param, jp.next_token);
	}
	jsonpath_list_free(&l);
	jsonpath_page_clear(&jp);
	return go;
}

/* Notes a request of page `page` under worker id `id`. */
static void
add_pending(struct pager *pg, uint64_t id, long page, int chain)
{
	if (pg->npend == pg->cappend) {
		pg->cappend = pg->cappend ? pg->cappend * 2 : 16;
		pg->pend = xreallocarray(pg->pend, pg->cappend, sizeof *pg->pend);
	}
	pg->pend[pg->npend].page = page;
	pg->pend[pg->npend].chain = chain;
	pg->pend[pg->npend].id = id;
	pg->npend++;
}

/* Submits page `page` (with token when non-NULL). A chain page carries pager_follow, so
 * the worker sends the next one the moment this one's answer is in. */
static void
submit_page(struct pager *pg, long page, const char *token, int chain)
{
	struct params p = PARAMS_INIT;
	struct worker_call c;
	char num[24];

	params_copy(&p, &pg->filter);
	if (pg->mode != MODE_SINGLE) {
		if (pg->mode != MODE_CHAIN) {
			snprintf(num, sizeof num, "%ld", page);
			params_set(&p, pg->page_param, num);
		}
		snprintf(num, sizeof num, "%d", pg->o.page_size);
		params_set(&p, "PageSize", num);
	}
	if (token != NULL)
		params_set(&p, pg->token_param, token);
	memset(&c, 0, sizeof c);
	c.action = pg->action;
	c.params = &p;
	/* The token chain is the critical path: one step ahead of the numbered pages. */
	c.prio = chain && pg->o.prio > WORKER_INTERACTIVE ? pg->o.prio - 1 : pg->o.prio;
	c.tag = pg->o.tag;
	c.deadline_ms = pg->o.deadline_ms;
	c.no_coalesce = 1;
	if (chain && pg->mode != MODE_SINGLE) {
		c.follow = pager_follow;
		c.follow_arg = pg;
	}
	add_pending(pg, worker_submit(pg->w, &c), page, chain);
	params_free(&p);
}

void
pager_start(struct pager *pg)
{
	long size = pg->o.page_size, numbered_max = TOKEN_FROM_ITEMS / size;

	if (pg->started)
		return;
	pg->started = 1;
	submit_page(pg, 1, NULL, pg->mode == MODE_CHAIN);
	/* The hint says the list is long: the chain's first page goes with page 1. */
	if (pg->mode == MODE_NUMBERED_TOKEN && numbered_max > 1 && pg->o.expect_total > 0 &&
	    (pg->o.expect_total + size - 1) / size > numbered_max) {
		pg->chain_start = numbered_max;
		pg->spec_wait = 1;
		submit_page(pg, numbered_max, NULL, 1);
	}
}

/* Whether the pace of the numbered pages holds now (DESIGN: sharing the budget): a
 * chain runs, a numbered page is out, and they are ahead of their pace. */
static int
numbered_paced(const struct pager *pg)
{
	size_t i;
	int chain = 0, numbered = 0;
	double allowed;

	if (pg->numbered_qps <= 0)
		return 0;
	for (i = 0; i < pg->npend; i++) {
		if (pg->pend[i].chain)
			chain = 1;
		else
			numbered = 1;
	}
	if (!chain || !numbered)
		return 0;
	allowed = 2.0 + pg->numbered_qps * (double)(clock_mono_ns() - pg->numbered_t0) / 1e9;
	return (double)pg->numbered_sent >= allowed;
}

/* Submits numbered pages while the window (and their pace) allows. */
static void
fill_window(struct pager *pg)
{
	while (!pg->done && pg->next_numbered <= pg->last_numbered &&
	    (int)pg->npend < pg->o.window && !numbered_paced(pg)) {
		if (pg->next_numbered != pg->chain_start) {	/* already asked for first */
			submit_page(pg, pg->next_numbered, NULL, 0);
			pg->numbered_sent++;
		}
		pg->next_numbered++;
	}
}

/* Paces the numbered pages below what a chain leaves of the budget; rtt_ns: page 1's. */
static void
pace_numbered(struct pager *pg, int64_t rtt_ns)
{
	double qps = action_effective_qps(pg->info, NULL), rate;

	if (rtt_ns <= 0 || qps <= 0)
		return;
	rate = qps - 1e9 / (double)rtt_ns - qps / 10;
	pg->numbered_qps = rate > qps / 5 ? rate : qps / 5;
	pg->numbered_t0 = clock_mono_ns();
	pg->numbered_sent = 0;
}

/* Cancels the request of worker id `id` and forgets it. */
static void
forget_pending(struct pager *pg, uint64_t id)
{
	size_t i;

	for (i = 0; i < pg->npend; i++)
		if (pg->pend[i].id == id) {
			worker_cancel(pg->w, id);
			pg->pend[i] = pg->pend[--pg->npend];
			return;
		}
}

/* Frees the answers held for page 1. */
static void
drop_held(struct pager *pg)
{
	size_t i;

	for (i = 0; i < pg->nheld; i++)
		worker_result_free(pg->held[i].r);
	pg->nheld = 0;
}

/* Cancels every request of the pager, and the chain links the worker queued for it
 * that the pager has not heard of yet (their answers may sit in a batch the caller took
 * but never fed): after this the worker no longer calls pager_follow with pg. */
static void
cancel_pending(struct pager *pg)
{
	size_t i;

	for (i = 0; i < pg->npend; i++)
		worker_cancel(pg->w, pg->pend[i].id);
	pg->npend = 0;
	worker_cancel_follow(pg->w, pg);
	drop_held(pg);
}

/* The hint was wrong: the list ends at page last (0: page 1 gave no total). Chain pages
 * after it are cancelled, and dropped should they come (pager_feed). */
static void
spec_wrong(struct pager *pg, long last)
{
	size_t i;

	pg->spec_last = last > 0 ? last : 1;
	for (i = 0; i < pg->npend; )
		if (pg->pend[i].chain && pg->pend[i].page > pg->spec_last)
			forget_pending(pg, pg->pend[i].id);	/* moves the last entry to i */
		else
			i++;
}

static void
fail(struct pager *pg, enum api_status st, const struct api_error *err, const char *msg)
{
	api_error_clear(&pg->err);
	if (err != NULL) {
		pg->err.status = err->status;
		pg->err.http_status = err->http_status;
		pg->err.code = err->code ? xstrdup(err->code) : NULL;
		pg->err.message = err->message ? xstrdup(err->message) : NULL;
		pg->err.request_id = err->request_id ? xstrdup(err->request_id) : NULL;
		pg->err.outcome_unknown = err->outcome_unknown;
	} else
		api_error_set(&pg->err, st, "PagingError", msg);
	pg->status = st;
	pg->done = 1;
	cancel_pending(pg);
}

/* The first answer: how many pages, and which are numbered. */
static void
plan_from_first(struct pager *pg, const struct jsonpath_page *pp, size_t count,
    int64_t rtt_ns)
{
	long size = pg->o.page_size, numbered_max;
	int spec = pg->spec_wait;

	pg->spec_wait = 0;
	pg->total = pp->total;
	if (pg->mode == MODE_CHAIN) {
		if (pp->total >= 0)
			pg->npages = pp->total == 0 ? 1 : (long)((pp->total + size - 1) / size);
		return;	/* pages come one token at a time */
	}
	if (pp->total >= 0)
		pg->npages = pp->total == 0 ? 1 : (long)((pp->total + size - 1) / size);
	else if (pp->page_count >= 0)
		pg->npages = pp->page_count < 1 ? 1 : (long)pp->page_count;
	if (pg->npages < 0) {
		/* No totals: go on one page at a time until a short page. */
		pg->last_numbered = count < (size_t)size ? 1 : 2;
		if (spec) {	/* nothing to check a speculative chain against */
			pg->chain_start = 0;
			spec_wrong(pg, 0);
		}
		return;
	}
	pg->last_numbered = pg->npages;
	if (pg->mode == MODE_NUMBERED_TOKEN) {
		numbered_max = TOKEN_FROM_ITEMS / size;
		if (pg->npages > numbered_max) {
			pg->last_numbered = numbered_max;
			pg->chain_start = numbered_max;
			pace_numbered(pg, rtt_ns);
			if (numbered_max > 1 && !spec)	/* start the chain first */
				submit_page(pg, numbered_max, NULL, 1);
		} else if (spec)	/* the list is shorter than the hint said */
			spec_wrong(pg, pg->npages);
	}
}

/* Delivers one page to the callback; returns non-zero when it asked to stop. */
static int
deliver_page(struct pager *pg, const cJSON *json, const struct jsonpath_list *l, long page)
{
	struct pager_page pp;

	pg->loaded += l->count;
	pg->pages_done++;
	memset(&pp, 0, sizeof pp);
	pp.json = json;
	pp.items = l->items;
	pp.count = l->count;
	pp.page = page;
	pp.total = pg->total;
	pp.loaded = pg->loaded;
	pp.pages_done = pg->pages_done;
	pp.pages_total = pg->npages;
	return pg->fn != NULL ? pg->fn(pg->arg, &pp) : 0;
}

/* Handles the answer r to the request me (taken off the pending list); frees r. */
static void
take(struct pager *pg, const struct pending *pme, struct worker_result *r)
{
	struct jsonpath_page jp;
	struct jsonpath_list l;
	struct pending me = *pme;
	size_t count;
	long size = pg->o.page_size;
	char *msg = NULL;
	int last_chain;

	if (pg->done) {
		cancel_pending(pg);
		worker_result_free(r);
		return;
	}
	if (me.chain && pg->spec_wait) {
		/* A speculative chain page before page 1's total: keep it until then. */
		if (pg->nheld == pg->capheld) {
			pg->capheld = pg->capheld ? pg->capheld * 2 : 4;
			pg->held = xreallocarray(pg->held, pg->capheld, sizeof *pg->held);
		}
		pg->held[pg->nheld].r = r;
		pg->held[pg->nheld].me = me;
		pg->nheld++;
		return;
	}
	if (me.chain && pg->spec_last > 0 && me.page > pg->spec_last) {
		/* Past the list's end (a wrong hint): neither a row nor an error of the list. */
		if (r->follow_id != 0)
			forget_pending(pg, r->follow_id);
		worker_result_free(r);
		if (pg->npend == 0)
			pg->done = 1;
		return;
	}
	if (r->status != API_OK) {
		fail(pg, r->status, &r->err, NULL);
		worker_result_free(r);
		return;
	}
	jsonpath_page_parse(r->json, &jp);
	count = jsonpath_list(r->json, pg->info->list_path, &l);
	if (me.page == 1 && pg->mode != MODE_SINGLE)
		plan_from_first(pg, &jp, count, r->latency_ns);
	else if (pg->npages < 0 && pg->mode == MODE_NUMBERED && count == (size_t)size &&
	    me.page == pg->last_numbered)
		pg->last_numbered++;	/* no totals: one more */

	/* Follow a chain before delivering: the next page goes on the wire the moment its
	 * token is known, and the caller's work on this page overlaps its round trip. */
	if (pg->mode == MODE_CHAIN || (pg->mode == MODE_NUMBERED_TOKEN &&
	    (me.chain || (pg->chain_start != 0 && me.page == pg->chain_start)))) {
		last_chain = pg->npages >= 0 ? me.page >= pg->npages : 0;
		if (r->follow_id != 0 && last_chain)	/* announced as the last after all */
			forget_pending(pg, r->follow_id);
		if (jp.next_token != NULL && count > 0 && !last_chain) {
			if (!chain_goes_on(pg, me.page, jp.next_token, count))
				msg = xasprintf("%s cannot page past %ld items with NextToken "
				    "(guide 4.8.8: CurrentPage*PageSize must stay below %ld); %zu "
				    "of %lld delivered", pg->action, me.page * size,
				    TOKEN_LIMIT_ITEMS, pg->loaded + count, (long long)pg->total);
			else {
				if (r->follow_id == 0)
					submit_page(pg, me.page + 1, jp.next_token, 1);
				if (pg->npages >= 0 && me.page + 1 > pg->npages)
					pg->npages = me.page + 1;
			}
		} else if (pg->mode == MODE_NUMBERED_TOKEN && pg->npages >= 0 &&
		    me.page < pg->npages && count > 0)
			msg = xasprintf("%s page %ld has no NextToken but %ld pages were announced",
			    pg->action, me.page, pg->npages);
		else if (pg->mode == MODE_CHAIN || pg->mode == MODE_NUMBERED_TOKEN)
			pg->npages = me.page;	/* the chain ended here */
	}

	if (deliver_page(pg, r->json, &l, me.page) != 0) {
		pg->stopped = 1;
		pg->done = 1;
		cancel_pending(pg);
		goto out;
	}
	if (msg != NULL) {
		fail(pg, API_ERR_BAD_RESPONSE, NULL, msg);
		goto out;
	}
	fill_window(pg);
	if (pg->npend == 0 && pg->nheld == 0)
		pg->done = 1;
out:
	free(msg);
	jsonpath_list_free(&l);
	jsonpath_page_clear(&jp);
	worker_result_free(r);
}

int
pager_feed(struct pager *pg, struct worker_result *r)
{
	struct pending me;
	struct held *h;
	size_t i, n;

	for (i = 0; i < pg->npend && pg->pend[i].id != r->id; i++)
		;
	if (i == pg->npend)
		return 0;
	me = pg->pend[i];
	pg->pend[i] = pg->pend[--pg->npend];
	if (r->follow_id != 0)	/* the worker already sent the next chain page */
		add_pending(pg, r->follow_id, me.page + 1, 1);
	take(pg, &me, r);
	if (me.page == 1 && !me.chain && pg->nheld > 0 && !pg->spec_wait) {
		/* Page 1 is in: the chain answers held for it, in the order they came. */
		h = pg->held;
		n = pg->nheld;
		pg->held = NULL;
		pg->nheld = pg->capheld = 0;
		for (i = 0; i < n; i++)
			take(pg, &h[i].me, h[i].r);
		free(h);
		if (!pg->done && pg->npend == 0)
			pg->done = 1;
	}
	return 1;
}

int
pager_pump(struct pager *pg, int timeout_ms)
{
	struct worker_result *r, *next;
	int n = worker_wait(pg->w, timeout_ms);

	if (n < 0)
		return -1;
	for (r = worker_take(pg->w); r != NULL; r = next) {
		next = r->next;
		r->next = NULL;
		if (!pager_feed(pg, r))
			worker_result_free(r);
	}
	return 0;
}

int
pager_done(const struct pager *pg)
{
	return pg->done;
}

int
pager_stopped(const struct pager *pg)
{
	return pg->stopped;
}

enum api_status
pager_status(const struct pager *pg, const struct api_error **err)
{
	if (err != NULL)
		*err = pg->status == API_OK ? NULL : &pg->err;
	return pg->status;
}

size_t
pager_loaded(const struct pager *pg)
{
	return pg->loaded;
}

int64_t
pager_total(const struct pager *pg)
{
	return pg->total;
}

void
pager_cancel(struct pager *pg)
{
	cancel_pending(pg);
	if (!pg->done) {
		pg->done = 1;
		pg->stopped = 1;
	}
}

void
pager_free(struct pager *pg)
{
	if (pg == NULL)
		return;
	cancel_pending(pg);
	free(pg->pend);
	free(pg->held);
	params_free(&pg->filter);
	api_error_clear(&pg->err);
	free(pg->action);
	free(pg);
}
