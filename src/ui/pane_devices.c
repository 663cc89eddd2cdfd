/* pane_devices.c — the devices of a product (QueryDevice), streamed in; the states of the
 * rows on screen are refreshed live (BatchGetDeviceState). Enter opens a device. (A
 * group's devices are in its own pane, pane_group.c.)
 *
 * The pane's argument is the ProductKey.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "ui/devstates.h"
#include "ui/fmt.h"
#include "ui/fresh.h"
#include "ui/known.h"
#include "ui/listpane.h"

enum { C_NAME, C_NICK, C_STATUS, C_PRODUCT, C_IOTID, C_CREATED, C_ACTIVE, C_COUNT };

/* The name, status and nickname get the room; the ProductKey of a product's devices is
 * the same on every row and goes last (table.h); an IotId is shown whole or not at all. */
static const struct table_column columns[C_COUNT] = {
	[C_NAME]    = { "DeviceName", 12, 32, 0, 1 },
	[C_NICK]    = { "Nickname", 8, 32, 0, 2 },
	[C_STATUS]  = { "Status", 8, 8, TABLE_COL_STATUS, 1 },
	[C_PRODUCT] = { "ProductKey", 11, 20, 0, 6 },
	[C_IOTID]   = { "IotId", 20, 40, 0, 7 },
	[C_CREATED] = { "Created", FMT_TIME_COLS, FMT_TIME_COLS, 0, 4 },
	[C_ACTIVE]  = { "Active", FMT_TIME_COLS, FMT_TIME_COLS, 0, 5 },
};

/* How often the states of the rows on screen are asked for. */
static const struct ui_live state_live = { .at_default = 3.0, .least = 1.0 };
/* The kind of a state refresh request. */
#define KIND_STATE ((intptr_t)1)

struct devices {
	double next_state;	/* when to ask for the states on screen again */
	int    state_busy;	/* state requests out */
	struct fresh states;	/* the live states: answering or stale */
};

static void
devices_params(struct pane *p, struct params *q)
{
	params_set(q, "ProductKey", p->arg.product_key);
}

static void
device_row(struct pane *p, const void *item, double now)
{
	const struct model_device *m = item;
	const char *cells[C_COUNT], *pk;
	char *key, created[FMT_TIME_MAX], active[FMT_TIME_MAX];

	pk = m->product_key != NULL ? m->product_key : p->arg.product_key;
	if (m->device_name == NULL)
		return;
	cells[C_NAME] = m->device_name;
	cells[C_NICK] = fmt_str(m->nickname);
	cells[C_STATUS] = fmt_str(m->status);
	cells[C_PRODUCT] = pk;
	cells[C_IOTID] = fmt_str(m->iot_id);
	cells[C_CREATED] = fmt_time(m->utc_create ? m->utc_create : m->gmt_create, created,
	    sizeof created);
	cells[C_ACTIVE] = fmt_time(m->utc_active ? m->utc_active : m->gmt_active, active,
	    sizeof active);
	/* Device names are unique within a product. */
	key = xasprintf("%s/%s", pk, m->device_name);
	table_set(p->table, key, cells, NULL, now);
	free(key);
}

/* The product's DeviceCount as the products pane listed it: past 10,000 devices the
 * pager then starts the NextToken chain together with page 1 (api/pager.c). */
static int64_t
devices_expect(struct pane *p)
{
	int64_t n = p->arg.product_key != NULL ?
	    known_product_device_count(ui_known(p->ui), p->arg.product_key) : -1;

	return n > 0 ? n : 0;
}

static const struct listpane_def product_def = {
	.action = ACT_QueryDevice,
	.kind = MODEL_DEVICE,
	.columns = columns,
	.ncols = C_COUNT,
	.what = "devices",
	.params = devices_params,
	.row = device_row,
	.expect = devices_expect,
};

static void
devices_open(struct pane *p)
{
	struct devices *s = xcalloc(1, sizeof *s);

	s->next_state = clock_mono_s() + ui_live_every(p->ui, &state_live);
	listpane_open(p, &product_def, s);
}

static void
devices_close(struct pane *p)
{
	free(listpane_ext(p));
	listpane_close(p);
}

static int
devices_action(struct pane *p, enum ui_action a)
{
	struct table_row *r = table_cursor_row(p->table);

	switch (a) {
	case UI_A_ENTER:
		if (r != NULL)
			ui_open_device_row(p->ui, r, C_NICK, C_NAME);
		return 1;
	case UI_A_THING_MODEL:
		if (r != NULL)
			ui_open_thing_model_row(p->ui, r);
		return 1;
	default:
		return listpane_action(p, a);
	}
}

/* The live states of the rows on screen. */
static const struct devstates states = {
	.c_product = C_PRODUCT,
	.c_name = C_NAME,
	.c_status = C_STATUS,
};

static double
devices_tick(struct pane *p, double now)
{
	struct devices *s = listpane_ext(p);
	double next;

	if (now >= s->next_state && s->state_busy == 0) {
		if (table_shown(p->table) > 0)
			s->state_busy += devstates_ask(p, &states, KIND_STATE);
		s->next_state = now + ui_live_every(p->ui, &state_live);
	}
	next = listpane_tick(p, now);
	return s->next_state > now && s->next_state - now < next ? s->next_state - now : next;
}

static int
devices_result(struct pane *p, struct worker_result *r)
{
	struct devices *s = listpane_ext(p);

	if (listpane_result(p, r))
		return 1;
	if (r->udata == (void *)KIND_STATE) {
		s->state_busy--;
		if (r->status == API_OK) {
			fresh_ok(&s->states, clock_mono_s());
			table_set_stale(p->table, 0);
			devstates_apply(p, &states, r->json);
		} else {
			fresh_failed(&s->states);
			table_set_stale(p->table, 1);
			ui_api_error(p->ui, ACT_BatchGetDeviceState, r);
		}
		p->dirty = 1;
	}
	return 0;
}

static int
devices_same(struct pane *p, const struct pane_arg *a)
{
	/* ":devices PK" on the product already shown keeps the pane. */
	return a == NULL || a->product_key == NULL ||
	    strcmp(a->product_key, p->arg.product_key) == 0;
}

static void
devices_info(struct pane *p, struct buf *out)
{
	struct devices *s = listpane_ext(p);
	char live[40];

	listpane_info(p, out);
	if (s->states.ok_at <= 0 && !s->states.stale)
		return;	/* no state asked for yet */
	snprintf(live, sizeof live, "states live every %g s", ui_live_every(p->ui, &state_live));
	buf_adds(out, "  \xE2\x94\x82 ");
	fresh_info(&s->states, clock_mono_s(), live, out);
}

static size_t
devices_targets(struct pane *p, struct ui_target **out, int *marked)
{
	return ui_table_targets(p->table, NULL, out, marked);
}

const struct pane_ops pane_devices_ops = {
	.kind = UI_P_DEVICES,
	.open = devices_open,
	.close = devices_close,
	.draw = listpane_draw,
	.action = devices_action,
	.result = devices_result,
	.tick = devices_tick,
	.info = devices_info,
	.same = devices_same,
	.targets = devices_targets,
};
