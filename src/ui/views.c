/* views.c — opening panes: the views of panes.def, their breadcrumbs (ui_crumb) and the
 * way a : command or a view-* key gets to one (ui_navigate). See ui.h.
 *
 * DESIGN: a view is opened on a struct pane_arg (raw identifiers), copied into the pane
 * (pane.arg), so no pane parses its argument out of a string. The breadcrumb is made in
 * one place from the view's rule in panes.def; so is the path to a view (its parent), so
 * a command, a key and Enter on a row all arrive at the same stack.
 */
#include "ui/ui_impl.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "ui/known.h"
#include "ui/table.h"

/* One view of panes.def. */
struct view {
	const struct pane_ops *ops;	/* its ops */
	const char            *title;	/* its title (panes.def) */
	enum ui_crumb          crumb;	/* how its breadcrumb is made */
	enum ui_view           parent;	/* what is opened under it (UI_V_ROOT, UI_V_TOP) */
};

static const struct view views[UI_V_COUNT] = {
#define UI_VIEW(id, ops_, title_, crumb_, parent_, action, command, alias, args, help, \
    complete, arg) \
	[UI_V_##id] = { .ops = &ops_, .title = title_, .crumb = crumb_, .parent = UI_V_##parent_ },
#include "ui/panes.def"
#undef UI_VIEW
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
pane_arg_copy(struct pane_arg *dst, const struct pane_arg *src)
{
	memset(dst, 0, sizeof *dst);
	if (src == NULL)
		return;
	dst->product_key = dup_or_null(src->product_key);
	dst->device_name = dup_or_null(src->device_name);
	dst->id = dup_or_null(src->id);
	dst->group_type = dup_or_null(src->group_type);
	dst->label = dup_or_null(src->label);
}

void
pane_arg_free(struct pane_arg *a)
{
	/* The strings are the copies pane_arg_copy made. */
	free((char *)a->product_key);
	free((char *)a->device_name);
	free((char *)a->id);
	free((char *)a->group_type);
	free((char *)a->label);
	memset(a, 0, sizeof *a);
}

char *
ui_product_crumb(struct ui *ui, const char *pk)
{
	const char *name = known_product_name(&ui->known, pk);

	return name != NULL ? xasprintf("%s (%s)", name, pk) : xstrdup(pk);
}

char *
ui_crumb(struct ui *ui, enum ui_view v, const struct pane_arg *a)
{
	const struct view *w = &views[v];
	const char *what = NULL;
	char *pc, *crumb;

	if (a != NULL)
		what = a->label != NULL ? a->label : a->device_name != NULL ? a->device_name : a->id;
	if (a != NULL && a->label == NULL && a->product_key != NULL &&
	    w->crumb == CRUMB_PRODUCT) {
		pc = ui_product_crumb(ui, a->product_key);
		if (*w->title == '\0')
			return pc;
		crumb = xasprintf("%s: %s", pc, w->title);
		free(pc);
		return crumb;
	}
	if (what == NULL)
		return xstrdup(w->title);
	switch (w->crumb) {
	case CRUMB_BEFORE:
		return xasprintf("%s %s", w->title, what);
	case CRUMB_AFTER:
		return xasprintf("%s %s", what, w->title);
	default:
		return xstrdup(what);
	}
}

void
ui_open_with(struct ui *ui, enum ui_view v, const struct pane_arg *a, void *priv)
{
	char *crumb = ui_crumb(ui, v, a);

	if (v == UI_V_DEVICES && a != NULL && a->product_key != NULL)
		ui_set_last_product(ui, a->product_key, NULL);
	ui_push_arg(ui, views[v].ops, crumb, priv, a);
	free(crumb);
}

void
ui_open(struct ui *ui, enum ui_view v, const struct pane_arg *a)
{
	ui_open_with(ui, v, a, NULL);
}

void
ui_navigate(struct ui *ui, enum ui_view v, const struct pane_arg *given)
{
	struct pane *top = ui_top(ui);
	enum ui_view parent = views[v].parent;
	struct pane_arg a, up;

	if (top != NULL && top->ops == views[v].ops && top->gone == NULL &&
	    top->ops->same != NULL && top->ops->same(top, given))
		return;	/* already there */
	/* A copy: what given points to may belong to a pane that goes now. */
	pane_arg_copy(&a, given);
	if (a.product_key != NULL && views[v].crumb == CRUMB_PRODUCT && parent != UI_V_TOP)
		parent = UI_V_PRODUCTS;	/* a product's view opens over the products */
	if (parent == UI_V_ROOT)
		ui_pop_all(ui);
	else if (parent != UI_V_TOP) {
		memset(&up, 0, sizeof up);
		up.product_key = a.product_key;	/* the devices under a device */
		ui_navigate(ui, parent, &up);
	}
	ui_open(ui, v, &a);
	pane_arg_free(&a);
}

void
ui_open_thing_model(struct ui *ui, const char *product_key)
{
	const struct pane_arg a = { .product_key = product_key };

	ui_open(ui, UI_V_THING_MODEL, &a);
}

/* The ProductKey of a row keyed "PRODUCTKEY/DEVICENAME" (caller frees), or NULL. */
static char *
row_product(const struct table_row *r)
{
	const char *slash = strchr(r->key, '/');

	return slash != NULL && slash != r->key ? xstrndup(r->key, (size_t)(slash - r->key)) :
	    NULL;
}

void
ui_open_device_row(struct ui *ui, const struct table_row *r, int nick, int name)
{
	struct pane_arg a = { .label = r->cells[nick][0] ? r->cells[nick] : r->cells[name] };
	char *pk = row_product(r);

	if (pk == NULL)
		return;
	a.product_key = pk;
	a.device_name = r->key + strlen(pk) + 1;
	ui_open(ui, UI_V_DEVICE, &a);
	free(pk);
}

void
ui_open_thing_model_row(struct ui *ui, const struct table_row *r)
{
	char *pk = row_product(r);

	if (pk != NULL)
		ui_open_thing_model(ui, pk);
	free(pk);
}
