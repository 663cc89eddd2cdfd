/* loader.c — streams every page of a list into a pane (see loader.h). */
#include "ui/loader.h"
#include "core/clock.h"

#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/table.h"

/* Rows of page n are numbered from n * ROWS_PER_PAGE_ORDER (pages hold at most 200). */
#define ROWS_PER_PAGE_ORDER 1000

void
loader_init(struct loader *l, const char *action, const struct params *base,
    enum model_kind kind)
{
	memset(l, 0, sizeof *l);
	l->action = xstrdup(action);
	if (base != NULL)
		params_copy(&l->base, base);
	l->kind = kind;
	l->total = -1;
	l->done = 1;
}

void
loader_free(struct loader *l)
{
	pager_free(l->pg);
	free(l->action);
	params_free(&l->base);
	memset(l, 0, sizeof *l);
}

/* The pager's callback: the page's items go to the pane at once, numbered by page so the
 * table shows them in the API's order whatever order the pages arrive in. */
static int
on_page(void *arg, const struct pager_page *page)
{
	struct loader *l = arg;
	struct model_list list;
	const char *path = action_get(l->action)->list_path;
	double now = clock_mono_s();
	size_t i;

	model_list_parse(l->kind, page->json, path[0] != '\0' ? path : NULL, &list);
	if (page->total >= 0)
		l->total = page->total;
	if (l->pane->table != NULL)
		table_order_from(l->pane->table, (uint64_t)page->page * ROWS_PER_PAGE_ORDER);
	for (i = 0; i < list.count; i++)
		l->item(l->pane, model_list_item(&list, i), now);
	l->loaded += list.count;
	model_list_free(&list);
	l->pane->dirty = 1;
	if (l->max_items > 0 && l->loaded >= l->max_items) {
		l->capped = 1;
		return 1;	/* enough: the pages still out are cancelled */
	}
	return 0;
}

static void
finish(struct loader *l)
{
	const struct api_error *err = NULL;
	int ok = pager_status(l->pg, &err) == API_OK;

	l->done = 1;
	l->failed = !ok;
	if (!ok && err != NULL)
		ui_report(l->pane->ui, l->action, l->action, err);
	if (l->pane->table != NULL) {
		if (l->refresh && ok)
			table_sweep_end(l->pane->table);
		table_loaded(l->pane->table);
	}
	pager_free(l->pg);
	l->pg = NULL;
	if (l->finished != NULL)
		l->finished(l->pane, ok);
	l->pane->dirty = 1;
}

void
loader_start(struct loader *l, struct pane *p, int refresh)
{
	struct pager_opts o;
	char *cause = NULL;
	int64_t expect = refresh && l->total > 0 ? l->total : l->expect;

	pager_free(l->pg);
	l->pg = NULL;
	l->pane = p;
	l->total = -1;
	l->loaded = 0;
	l->done = l->failed = l->capped = 0;
	l->refresh = refresh;
	if (p->table != NULL && refresh)
		table_sweep_begin(p->table);
	pager_opts_init(&o);
	o.prio = WORKER_BACKGROUND;
	o.tag = p->tag;
	o.expect_total = expect;
	l->pg = pager_new(ui_worker(p->ui), l->action, &l->base, &o, on_page, l, &cause);
	if (l->pg == NULL) {
		ui_error(p->ui, "%s: %s", l->action, cause);
		free(cause);
		l->done = l->failed = 1;
		return;
	}
	pager_start(l->pg);
}

int
loader_result(struct loader *l, struct worker_result *r)
{
	if (l->pg == NULL || !pager_feed(l->pg, r))
		return 0;
	if (pager_done(l->pg))
		finish(l);
	return 1;
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
	if (l->failed && l->refresh && l->pane != NULL && l->pane->table != NULL &&
	    table_count(l->pane->table) > l->loaded)
		buf_addf(out, "refresh stopped by an error: %zu of %zu rows are from before it "
		    "(e shows why)", table_count(l->pane->table) - l->loaded,
		    table_count(l->pane->table));
	else if (l->failed)
		buf_addf(out, "stopped by an error after %zu rows (e shows why)", l->loaded);
	else if (l->done && l->capped)
		buf_addf(out, "the first %zu of %lld loaded", l->loaded, (long long)l->total);
	else if (l->done)
		buf_addf(out, "%zu loaded", l->loaded);
	else if (l->total >= 0)
		buf_addf(out, "loaded %zu of %lld", l->loaded, (long long)l->total);
	else
		buf_adds(out, "loading\xE2\x80\xA6");
	if (!l->done && bar_cols > 2 && l->total > 0) {
		buf_adds(out, " [");
		fmt_bar(out, loader_progress(l), bar_cols - 2);
		buf_adds(out, "]");
	}
}
