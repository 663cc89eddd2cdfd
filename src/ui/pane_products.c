/* pane_products.c — the products of the account (QueryProductList); Enter opens a
 * product's devices, t its thing model. */
#include "api/actions.h"
#include "ui/fmt.h"
#include "ui/known.h"
#include "ui/listpane.h"

enum { C_NAME, C_KEY, C_DEVICES, C_NODE, C_FORMAT, C_AUTH, C_CREATED, C_DESC, C_COUNT };

/* Name, ProductKey and the count first; a free-text description takes what is left. */
static const struct table_column columns[C_COUNT] = {
	[C_NAME]    = { "Name", 8, 30, 0, 1 },
	[C_KEY]     = { "ProductKey", 11, 20, 0, 1 },
	[C_DEVICES] = { "Devices", 7, 10, TABLE_COL_NUMERIC | TABLE_COL_RIGHT | TABLE_COL_KEEP, 2 },
	[C_NODE]    = { "Node", 6, 8, 0, 6 },
	[C_FORMAT]  = { "Format", 6, 7, 0, 7 },
	[C_AUTH]    = { "Auth", 6, 7, 0, 7 },
	[C_CREATED] = { "Created", FMT_TIME_COLS, FMT_TIME_COLS, 0, 3 },
	[C_DESC]    = { "Description", 11, 60, 0, 4 },
};

static void
product_row(struct pane *p, const void *item, double now)
{
	const struct model_product *m = item;
	char devices[24], created[FMT_TIME_MAX];
	const char *cells[C_COUNT];

	if (m->product_key == NULL)
		return;
	cells[C_NAME] = fmt_str(m->product_name);
	cells[C_KEY] = m->product_key;
	cells[C_DEVICES] = fmt_int(m->device_count, devices, sizeof devices);
	cells[C_NODE] = m->node_type == 1 ? "gateway" : m->node_type == 0 ? "device" : "";
	cells[C_FORMAT] = m->data_format == 1 ? "alink" : m->data_format == 0 ? "custom" : "";
	cells[C_AUTH] = fmt_str(m->auth_type);
	cells[C_CREATED] = fmt_time_ms(m->gmt_create_ms, created, sizeof created);
	cells[C_DESC] = fmt_str(m->description);
	table_set(p->table, m->product_key, cells, NULL, now);
	known_product(ui_known(p->ui), m->product_key, m->product_name);
	/* The devices pane's paging hint (loader.h). */
	known_product_devices(ui_known(p->ui), m->product_key, m->device_count);
}

static const struct listpane_def def = {
	.action = ACT_QueryProductList,
	.kind = MODEL_PRODUCT,
	.columns = columns,
	.ncols = C_COUNT,
	.what = "products",
	.row = product_row,
};

static void
products_open(struct pane *p)
{
	listpane_open(p, &def, NULL);
}

static int
products_action(struct pane *p, enum ui_action a)
{
	struct table_row *r = table_cursor_row(p->table);

	switch (a) {
	case UI_A_ENTER:
	case UI_A_DEVICES:
	case UI_A_THING_MODEL:
		if (r == NULL)
			return 1;
		ui_set_last_product(p->ui, r->key, NULL);
		if (a == UI_A_THING_MODEL)
			ui_open_thing_model(p->ui, r->key);
		else
			ui_open(p->ui, UI_V_DEVICES, &(struct pane_arg){ .product_key = r->key });
		return 1;
	default:
		return listpane_action(p, a);
	}
}

const struct pane_ops pane_products_ops = {
	.kind = UI_P_PRODUCTS,
	.open = products_open,
	.close = listpane_close,
	.draw = listpane_draw,
	.action = products_action,
	.result = listpane_result,
	.tick = listpane_tick,
	.info = listpane_info,
};
