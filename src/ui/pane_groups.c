/* pane_groups.c — the device groups (QueryDeviceGroupList); Enter opens a group's
 * devices. */
#include <stdlib.h>

#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/listpane.h"

enum { C_NAME, C_ID, C_TYPE, C_CREATED, C_DESC, C_COUNT };

static const struct table_column columns[C_COUNT] = {
	[C_NAME]    = { "Name", 8, 30, 0 },
	[C_ID]      = { "GroupId", 8, 24, 0 },
	[C_TYPE]    = { "Type", 6, 8, 0 },
	[C_CREATED] = { "Created", 10, 24, 0 },
	[C_DESC]    = { "Description", 11, 60, 0 },
};

static void
group_row(struct pane *p, const void *item, double now)
{
	const struct model_group *g = item;
	const char *cells[C_COUNT];

	if (g->group_id == NULL)
		return;
	cells[C_NAME] = fmt_str(g->group_name);
	cells[C_ID] = g->group_id;
	cells[C_TYPE] = g->group_type != NULL ? "dynamic" : "static";
	cells[C_CREATED] = fmt_str(g->utc_create);
	cells[C_DESC] = fmt_str(g->group_desc);
	table_set(p->table, g->group_id, cells, NULL, now);
}

static const struct listpane_def def = {
	"QueryDeviceGroupList", MODEL_GROUP, columns, C_COUNT, "groups", NULL, group_row,
	NULL, NULL
};

static void
groups_open(struct pane *p)
{
	listpane_open(p, &def, NULL);
}

static int
groups_action(struct pane *p, enum ui_action a)
{
	struct table_row *r = table_cursor_row(p->table);
	char *arg;

	switch (a) {
	case UI_A_ENTER:
		if (r == NULL)
			return 1;
		arg = xasprintf("group:%s", r->key);
		listpane_push(p, &pane_devices_ops, arg,
		    r->cells[C_NAME][0] ? r->cells[C_NAME] : r->key);
		free(arg);
		return 1;
	default:
		return listpane_action(p, a);
	}
}

const struct pane_ops pane_groups_ops = {
	UI_P_GROUPS, groups_open, listpane_close, listpane_draw, groups_action,
	listpane_result, listpane_tick, listpane_info, NULL
};
