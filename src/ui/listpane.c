/* listpane.c — the common part of the list panes (see listpane.h). */
#include "ui/listpane.h"

#include <stdlib.h>

#include "core/xmalloc.h"

struct listpane *
listpane_of(struct pane *p)
{
	return p->priv;
}

const char *
listpane_arg(struct pane *p)
{
	return listpane_of(p)->arg;
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
	l->arg = p->priv;
	l->ext = ext;
	p->priv = l;
	p->table = table_new(def->columns, def->ncols);
	if (def->params != NULL)
		def->params(p, l->arg, &q);
	loader_init(&l->loader, def->action, &q, def->kind);
	params_free(&q);
	l->loader.item = def->row;
	l->loader.finished = finished;
	loader_start(&l->loader, p, 0);
	p->progress = 0;
}

void
listpane_close(struct pane *p)
{
	struct listpane *l = p->priv;

	loader_free(&l->loader);
	free(l->arg);
	free(l);
	table_free(p->table);
	p->table = NULL;
	p->priv = NULL;
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
	table_draw(p->table, w, top, h - top, wd, &st, full || p->dirty, ui_now());
}

int
listpane_result(struct pane *p, struct worker_result *r)
{
	struct listpane *l = p->priv;

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
}

void
listpane_push(struct pane *p, const struct pane_ops *ops, const char *arg, const char *crumb)
{
	ui_push(p->ui, ops, crumb, xstrdup(arg));
}
