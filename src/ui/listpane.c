/* listpane.c — the common part of the list panes (see listpane.h). */
#include "ui/listpane.h"
#include "core/clock.h"

#include <stdlib.h>

#include "api/actions.h"
#include "api/jsonpath.h"
#include "core/xmalloc.h"

struct listpane *
listpane_of(struct pane *p)
{
	return p->priv;
}

void *
listpane_ext(struct pane *p)
{
	return listpane_of(p)->ext;
}

static void
finished(struct pane *p, int ok)
{
	struct listpane *l = p->priv;

	p->progress = -1;
	/* A load that failed leaves what was there (marked stale); one that worked is
	 * current again. */
	table_set_stale(p->table, !ok);
	if (l->def->finished != NULL)
		l->def->finished(p, ok);
}

void
listpane_open(struct pane *p, const struct listpane_def *def, void *ext)
{
	struct listpane *l = xcalloc(1, sizeof *l);
	struct params q = PARAMS_INIT;

	l->def = def;
	l->ext = ext;
	p->priv = l;
	p->table = table_new(def->columns, def->ncols);
	if (def->params != NULL)
		def->params(p, &q);
	loader_init(&l->loader, def->action, &q, def->kind);
	params_free(&q);
	l->loader.item = def->row;
	l->loader.finished = finished;
	if (def->expect != NULL)
		l->loader.expect = def->expect(p);
	loader_start(&l->loader, p, 0);
	p->progress = 0;
	l->grown = -1;
	l->next_check = clock_mono_s() + ui_refresh_interval(p->ui);
}

void
listpane_close(struct pane *p)
{
	struct listpane *l = p->priv;

	loader_free(&l->loader);
	free(l);
}

void
listpane_draw(struct pane *p, WINDOW *w, int full)
{
	struct listpane *l = p->priv;
	struct table_style st;
	int h, wd, top = 0;

	getmaxyx(w, h, wd);
	if (l->def->header != NULL)
		top = l->def->header(p, w, wd, full || p->dirty);
	if (top > h)
		top = h;
	ui_table_style(p->ui, &st);
	table_draw(p->table, w, top, h - top, wd, &st, full || p->dirty, clock_mono_s());
}

/* The answer to the Total check: reload when it differs from what was loaded. */
static void
check_result(struct pane *p, struct listpane *l, struct worker_result *r)
{
	struct jsonpath_page pg;

	l->check_id = 0;
	if (r->status != API_OK)
		return;	/* the pane's own refreshes report errors; this one stays quiet */
	jsonpath_page_parse(r->json, &pg);
	if (pg.total >= 0 && l->loader.done && !l->loader.failed && !l->loader.capped &&
	    pg.total != (int64_t)l->loader.loaded) {
		if (pg.total <= LISTPANE_AUTO_RELOAD_MAX)
			listpane_refresh(p);
		else
			l->grown = pg.total;
	}
	jsonpath_page_clear(&pg);
}

double
listpane_tick(struct pane *p, double now)
{
	struct listpane *l = p->priv;
	const struct action_info *a = action_get(l->def->action);
	struct params q = PARAMS_INIT;
	double every = ui_refresh_interval(p->ui);

	if (now >= l->next_check) {
		l->next_check = now + every;
		if (l->check_id == 0 && l->loader.done && !l->loader.failed &&
		    a->paging != PAGING_NONE) {
			if (l->def->params != NULL)
				l->def->params(p, &q);
			params_set(&q, a->paging == PAGING_PAGENO ||
			    a->paging == PAGING_PAGENO_TOKEN ? "PageNo" : "CurrentPage", "1");
			params_set(&q, "PageSize", "1");
			l->check_id = ui_request(p, l->def->action, &q, WORKER_REFRESH, 0);
			params_free(&q);
		}
	}
	return l->next_check > now ? l->next_check - now : every;
}

int
listpane_result(struct pane *p, struct worker_result *r)
{
	struct listpane *l = p->priv;

	if (l->check_id != 0 && r->id == l->check_id) {
		check_result(p, l, r);
		return 0;
	}
	if (!loader_result(&l->loader, r))
		return 0;
	p->progress = loader_progress(&l->loader);
	return 1;
}

void
listpane_info(struct pane *p, struct buf *out)
{
	struct listpane *l = p->priv;

	buf_addf(out, "%s: ", l->def->what);
	loader_info(&l->loader, out, 20);
	if (l->grown >= 0)
		buf_addf(out, "  \xE2\x94\x82 now %lld: r loads them", (long long)l->grown);
}

int
listpane_action(struct pane *p, enum ui_action a)
{
	if (a != UI_A_REFRESH)
		return 0;
	listpane_refresh(p);
	return 1;
}

void
listpane_refresh(struct pane *p)
{
	struct listpane *l = p->priv;

	loader_start(&l->loader, p, 1);
	p->progress = 0;
	l->grown = -1;
}
