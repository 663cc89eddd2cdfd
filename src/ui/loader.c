/* loader.c — streams every page of a list into a pane (see loader.h). */
#include "ui/loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "ui/table.h"

/* QueryDevice needs NextToken once CurrentPage*PageSize passes this (guide 4.8.8). */
#define TOKEN_THRESHOLD 10000
/* Pages asked for ahead of the one being handed over. */
#define DEFAULT_AHEAD 4

struct loader_page {
	struct loader_page *next;	/* next pending page */
	int                 number;	/* its page number */
	cJSON              *json;	/* the answer (owned) */
};

void
loader_init(struct loader *l, const char *action, const struct params *base,
    enum model_kind kind)
{
	const struct action_info *a = action_get(action);

	memset(l, 0, sizeof *l);
	l->action = xstrdup(action);
	if (base != NULL)
		params_copy(&l->base, base);
	l->kind = kind;
	/* The largest page the action allows: fewest requests, cost at the floor. */
	l->page_size = a->page_max > 0 ? a->page_max : 50;
	l->ahead = DEFAULT_AHEAD;
	l->need_token = a->paging == PAGING_PAGE_TOKEN;
	l->total = -1;
	l->done = 1;
}

static void
pending_free(struct loader *l)
{
	struct loader_page *pg;

	while ((pg = l->pending) != NULL) {
		l->pending = pg->next;
		cJSON_Delete(pg->json);
		free(pg);
	}
}

void
loader_free(struct loader *l)
{
	free(l->action);
	params_free(&l->base);
	free(l->token);
	pending_free(l);
	memset(l, 0, sizeof *l);
}

/* Pages past the threshold need the previous page's NextToken, so one at a time. */
static int
page_needs_token(const struct loader *l, int page)
{
	return l->need_token && (long)page * l->page_size > TOKEN_THRESHOLD;
}

static void
ask(struct loader *l, struct pane *p)
{
	struct params q = PARAMS_INIT;
	char num[24];
	const struct action_info *a = action_get(l->action);

	while (!l->failed && l->in_flight < l->ahead &&
	    (l->last_page == 0 ? l->next_page == 1 : l->next_page <= l->last_page)) {
		if (page_needs_token(l, l->next_page) &&
		    (l->in_flight > 0 || l->next_give != l->next_page || l->token == NULL))
			break;
		params_copy(&q, &l->base);
		snprintf(num, sizeof num, "%d", l->next_page);
		params_set(&q, a->paging == PAGING_PAGENO || a->paging == PAGING_PAGENO_TOKEN ?
		    "PageNo" : "CurrentPage", num);
		snprintf(num, sizeof num, "%d", l->page_size);
		params_set(&q, "PageSize", num);
		if (page_needs_token(l, l->next_page))
			params_set(&q, "NextToken", l->token);
		ui_request(p, l->action, &q, l->next_page == 1 ? WORKER_INTERACTIVE :
		    WORKER_BACKGROUND, LOADER_KIND);
		params_free(&q);
		l->in_flight++;
		l->next_page++;
	}
}

void
loader_start(struct loader *l, struct pane *p, int refresh)
{
	free(l->token);
	l->token = NULL;
	pending_free(l);
	l->next_page = l->next_give = 1;
	l->in_flight = 0;
	l->last_page = 0;
	l->total = -1;
	l->loaded = 0;
	l->done = l->failed = 0;
	l->refresh = refresh;
	if (p->table != NULL && refresh)
		table_sweep_begin(p->table);
	ask(l, p);
}

static int
page_number_of(const struct loader *l, const struct worker_result *r, const cJSON *json)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(json, "Data");
	const char *names[] = { "CurrentPage", "Page", "PageNo" };
	size_t i;
	int64_t v;

	(void)r;
	(void)l;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (jsonpath_int64(json, names[i], &v) == 1 && v > 0)
			return (int)v;
		if (d != NULL && jsonpath_int64(d, names[i], &v) == 1 && v > 0)
			return (int)v;
	}
	return -1;
}

static void
finish(struct loader *l, struct pane *p, int ok)
{
	l->done = 1;
	if (p->table != NULL) {
		if (l->refresh && ok)
			table_sweep_end(p->table);
		table_loaded(p->table);
	}
	if (l->finished != NULL)
		l->finished(p, ok);
}

/* Hands one page's items to the pane and learns the paging from it. */
static void
give(struct loader *l, struct pane *p, cJSON *json)
{
	struct model_list list;
	double now = ui_now();
	size_t i;
	int64_t pages;

	model_list_parse(l->kind, json, action_get(l->action)->list_path[0] ?
	    action_get(l->action)->list_path : NULL, &list);
	for (i = 0; i < list.count; i++)
		l->item(p, model_list_item(&list, i), now);
	l->loaded += list.count;
	if (list.page.total >= 0)
		l->total = list.page.total;
	free(l->token);
	l->token = list.page.next_token != NULL ? xstrdup(list.page.next_token) : NULL;
	if (l->last_page == 0) {
		if (l->total >= 0)
			pages = (l->total + l->page_size - 1) / l->page_size;
		else if (list.page.page_count > 0)
			pages = list.page.page_count;
		else
			pages = 1;
		l->last_page = pages > 0 ? (int)pages : 1;
	}
	/* A short page, or no token where one is needed, ends the list. */
	if (list.count < (size_t)l->page_size ||
	    (page_needs_token(l, l->next_give + 1) && l->token == NULL))
		l->last_page = l->next_give;
	model_list_free(&list);
	l->next_give++;
	p->dirty = 1;
}

void
loader_result(struct loader *l, struct pane *p, struct worker_result *r)
{
	struct loader_page *pg, **pp;
	int number;

	if (l->done)
		return;
	l->in_flight--;
	if (r->status != API_OK) {
		l->failed = 1;
		ui_api_error(p->ui, l->action, r);
		finish(l, p, 0);
		return;
	}
	number = page_number_of(l, r, r->json);
	if (number < 0)
		number = l->next_give;	/* the answer did not say: sequential */
	pg = xcalloc(1, sizeof *pg);
	pg->number = number;
	pg->json = r->json;
	r->json = NULL;
	for (pp = &l->pending; *pp != NULL && (*pp)->number < number; pp = &(*pp)->next)
		;
	pg->next = *pp;
	*pp = pg;
	while (l->pending != NULL && l->pending->number <= l->next_give) {
		pg = l->pending;
		l->pending = pg->next;
		if (pg->number == l->next_give)
			give(l, p, pg->json);
		cJSON_Delete(pg->json);
		free(pg);
	}
	if (l->last_page != 0 && l->next_give > l->last_page) {
		pending_free(l);
		finish(l, p, 1);
		return;
	}
	ask(l, p);
}

double
loader_progress(const struct loader *l)
{
	if (l->done)
		return -1;
	if (l->total <= 0)
		return 0;
	return (double)l->loaded / (double)l->total;
}

void
loader_info(const struct loader *l, struct buf *out, int bar_cols)
{
	int i, fill;
	double f;

	if (l->failed)
		buf_addf(out, "loaded %zu (stopped by an error)", l->loaded);
	else if (l->done)
		buf_addf(out, "%zu loaded", l->loaded);
	else if (l->total >= 0)
		buf_addf(out, "loaded %zu of %lld", l->loaded, (long long)l->total);
	else
		buf_addf(out, "loading\xE2\x80\xA6");
	if (!l->done && bar_cols > 2 && l->total > 0) {
		f = loader_progress(l);
		fill = (int)(f * (bar_cols - 2) + 0.5);
		buf_adds(out, " [");
		for (i = 0; i < bar_cols - 2; i++)
			buf_adds(out, i < fill ? "\xE2\x96\x88" : "\xC2\xB7");	/* █ · */
		buf_adds(out, "]");
	}
}
