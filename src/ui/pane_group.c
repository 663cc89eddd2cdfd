/* pane_group.c — one device group. A header says what it is: name, type, id, creation
 * time and counts (QueryDeviceGroupInfo, with GroupType for a dynamic group), the path of
 * its parents (QuerySuperDeviceGroup) or, for a dynamic group, its rule. Below, one
 * table, the way a file manager lists a folder: its subgroups first (QueryDeviceGroupList
 * with SuperGroupId), then its devices, streamed in (QueryDeviceListByDeviceGroup for a
 * static group; for a dynamic one QueryDynamicGroupDevices, the devices its rule matches
 * now), the states of those on screen refreshed live (BatchGetDeviceState). Enter opens a
 * subgroup or a device, t a device's thing model, d describes the row.
 *
 * Every refresh-interval the group's counts are asked again; when its DeviceCount is not
 * what was loaded, the devices are loaded again (new rows +, vanished -), as a list pane
 * does with its Total.
 *
 * A subgroup's row keeps its raw name as its data (a device's row has none): that is how
 * the two kinds of rows are told apart.
 */
#include "ui/pane_group.h"
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/describe.h"
#include "ui/devstates.h"
#include "ui/fieldhead.h"
#include "ui/fmt.h"
#include "ui/fresh.h"
#include "ui/listpane.h"
#include "ui/text.h"
#include "ui/theme.h"

enum { C_NAME, C_STATUS, C_NICK, C_PRODUCT, C_ID, C_ACTIVE, C_COUNT };

/* As a product's devices: the name, status and nickname get the room. */
static const struct table_column columns[C_COUNT] = {
	[C_NAME]    = { "Name", 12, 32, 0, 1 },
	[C_STATUS]  = { "Status", 8, 8, TABLE_COL_STATUS, 1 },
	[C_NICK]    = { "Nickname", 8, 32, 0, 2 },
	[C_PRODUCT] = { "ProductKey", 11, 20, 0, 6 },
	[C_ID]      = { "Id", 16, 40, 0, 7 },
	[C_ACTIVE]  = { "Active", FMT_TIME_COLS, FMT_TIME_COLS, 0, 5 },
};

enum { KIND_PROBE = 1, KIND_INFO, KIND_CHECK, KIND_SUBS, KIND_PARENTS, KIND_STATE };

/* How often the states of the devices on screen are asked for. */
static const struct ui_live state_live = { .at_default = 3.0, .least = 1.0 };

enum { F_NAME, F_TYPE, F_ID, F_CREATED, F_DEVICES, F_PARENT, F_RULE, F_DESC, F_COUNT };

static const char *const field_names[F_COUNT] = {
	"Group", "Type", "GroupId", "Created", "Devices", "Parent", "Rule", "Description"
};

struct group {
	char            *id;		/* GroupId, raw */
	int              dynamic;	/* 1 dynamic, 0 static, -1 being found out */
	int              started;	/* its detail, subgroups and devices were asked for */
	struct loader    devices;	/* its devices */
	struct model_group info;	/* QueryDeviceGroupInfo's answer, once got_info */
	int              got_info;	/* it came */
	int              got_parents;	/* QuerySuperDeviceGroup answered */
	int              got_subs;	/* the subgroups answered once */
	size_t           nsubs;		/* subgroups listed */
	int64_t          grown;		/* a DeviceCount too big to reload by itself (-1: none) */
	double           next_check;	/* when to ask the counts again */
	int              check_busy;	/* that request is out */
	double           next_state;	/* when to ask the states on screen again */
	int              state_busy;	/* state requests out */
	struct fresh     states;	/* the live states */
	char            *fields[F_COUNT];	/* display-safe values of the header */
};

static void
set_field(struct group *g, int f, const char *raw)
{
	free(g->fields[f]);
	g->fields[f] = raw != NULL ? safetext_dup(raw, strlen(raw)) : NULL;
}

/* ---- the table's rows ---------------------------------------------------------------- */

static void
device_row(struct pane *p, const void *item, double now)
{
	const struct model_device *m = item;
	const char *cells[C_COUNT];
	char active[FMT_TIME_MAX], *key;

	if (m->device_name == NULL || m->product_key == NULL)
		return;
	cells[C_NAME] = m->device_name;
	cells[C_STATUS] = fmt_str(m->status);	/* dynamic groups say; states follow */
	cells[C_NICK] = fmt_str(m->nickname);
	cells[C_PRODUCT] = m->product_key;
	cells[C_ID] = fmt_str(m->iot_id);
	cells[C_ACTIVE] = fmt_time(m->utc_active ? m->utc_active : m->gmt_active, active,
	    sizeof active);
	key = xasprintf("%s/%s", m->product_key, m->device_name);
	/* A state refresh may know better than a page: keep a status it set. */
	if (m->status == NULL && table_find(p->table, key) != NULL)
		cells[C_STATUS] = table_find(p->table, key)->cells[C_STATUS];
	table_set(p->table, key, cells, NULL, now);
	free(key);
}

static void
devices_finished(struct pane *p, int ok)
{
	p->progress = -1;
	table_set_stale(p->table, !ok);
	p->dirty = 1;
}

static int
is_subgroup(const struct table_row *r)
{
	return r->data != NULL;
}

static void
subs_result(struct pane *p, const cJSON *json)
{
	struct group *g = p->priv;
	struct model_list list;
	const char *cells[C_COUNT];
	struct table_row *r;
	double now = clock_mono_s();
	char *name;
	size_t i;

	model_list_parse(MODEL_GROUP, json, NULL, &list);
	g->nsubs = 0;
	for (i = 0; i < list.count; i++) {
		const struct model_group *m = model_list_item(&list, i);
		if (m->group_id == NULL)
			continue;
		name = xasprintf("\xE2\x96\xB8 %s", m->group_name != NULL ? m->group_name : m->group_id);
		cells[C_NAME] = name;	/* ▸ */
		cells[C_STATUS] = "subgroup";
		cells[C_NICK] = fmt_str(m->group_desc);
		cells[C_PRODUCT] = "";
		cells[C_ID] = m->group_id;
		cells[C_ACTIVE] = "";
		/* Before the devices (whose pages are numbered from 1000 up). */
		table_order_from(p->table, i);
		r = table_set(p->table, m->group_id, cells,
		    xstrdup(m->group_name != NULL ? m->group_name : m->group_id), now);
		/* The first answer is part of the first load, whenever it comes. */
		if (!g->got_subs)
			r->marks &= (uint8_t)~TABLE_ROW_NEW;
		free(name);
		g->nsubs++;
	}
	g->got_subs = 1;
	model_list_free(&list);
	/* Above the devices at once (the table sorts new rows in at its next throttled draw). */
	table_sort(p->table, table_sort_col(p->table), table_sort_desc(p->table));
}

/* ---- requests ------------------------------------------------------------------------ */

static void
ask(struct pane *p, const char *action, struct params *q, int kind, enum worker_prio prio)
{
	struct group *g = p->priv;

	params_set(q, "GroupId", g->id);
	ui_request(p, action, q, prio, kind);
	params_free(q);
}

static void
ask_info(struct pane *p, int kind, enum worker_prio prio)
{
	struct group *g = p->priv;
	struct params q = PARAMS_INIT;

	if (g->dynamic == 1)
		params_set(&q, "GroupType", MODEL_GROUP_DYNAMIC);
	ask(p, ACT_QueryDeviceGroupInfo, &q, kind, prio);
}

static void
ask_subs(struct pane *p, enum worker_prio prio)
{
	struct group *g = p->priv;
	struct params q = PARAMS_INIT;

	if (g->dynamic == 1)
		return;	/* a dynamic group holds none (iot.group.SuperGroupUnsupport) */
	params_set(&q, "SuperGroupId", g->id);
	params_set(&q, "CurrentPage", "1");
	params_set(&q, "PageSize", "200");	/* a group holds at most 100 */
	ui_request(p, ACT_QueryDeviceGroupList, &q, prio, KIND_SUBS);
	params_free(&q);
}

/* The type is known: ask for everything. */
static void
start(struct pane *p)
{
	struct group *g = p->priv;
	struct params q = PARAMS_INIT;

	g->started = 1;
	set_field(g, F_TYPE, g->dynamic ? "dynamic" : "static");
	ask_info(p, KIND_INFO, WORKER_INTERACTIVE);
	if (!g->dynamic) {
		ask_subs(p, WORKER_INTERACTIVE);
		ask(p, ACT_QuerySuperDeviceGroup, &q, KIND_PARENTS, WORKER_INTERACTIVE);
	}
	params_set(&q, "GroupId", g->id);
	loader_free(&g->devices);
	loader_init(&g->devices, g->dynamic ? ACT_QueryDynamicGroupDevices :
	    ACT_QueryDeviceListByDeviceGroup, &q, MODEL_DEVICE);
	params_free(&q);
	g->devices.item = device_row;
	g->devices.finished = devices_finished;
	loader_start(&g->devices, p, 0);
	p->progress = 0;
	g->next_check = clock_mono_s() + ui_refresh_interval(p->ui);
	g->next_state = clock_mono_s() + 0.5;	/* the first states soon after the first page */
}

/* Loads the devices (and the subgroups) again, marking what is new and what vanished. */
static void
reload(struct pane *p)
{
	struct group *g = p->priv;

	if (!g->started)
		return;
	ask_subs(p, WORKER_INTERACTIVE);
	loader_start(&g->devices, p, 1);
	p->progress = 0;
	g->grown = -1;
}

/* ---- the header ---------------------------------------------------------------------- */

static void
devices_field(struct group *g)
{
	char *s;

	if (!g->got_info)
		return;
	if (g->info.device_count == MODEL_NONE) {
		set_field(g, F_DEVICES, NULL);
		return;
	}
	s = xasprintf("%lld: %lld active, %lld online", (long long)g->info.device_count,
	    (long long)(g->info.device_active != MODEL_NONE ? g->info.device_active : 0),
	    (long long)(g->info.device_online != MODEL_NONE ? g->info.device_online : 0));
	set_field(g, F_DEVICES, s);
	free(s);
}

static void
info_result(struct pane *p, const cJSON *json)
{
	struct group *g = p->priv;
	char when[FMT_TIME_MAX];

	model_group_clear(&g->info);
	model_group_parse(jsonpath_get(json, "Data"), &g->info);
	g->got_info = 1;
	set_field(g, F_NAME, g->info.group_name);
	set_field(g, F_ID, g->info.group_id != NULL ? g->info.group_id : g->id);
	set_field(g, F_CREATED, g->info.utc_create != NULL ?
	    fmt_time(g->info.utc_create, when, sizeof when) : NULL);
	set_field(g, F_RULE, g->info.dynamic_group_expression);
	set_field(g, F_DESC, g->info.group_desc);
	devices_field(g);
}

/* QuerySuperDeviceGroup lists the parent, then its parent...: shown from the top. */
static void
parents_result(struct pane *p, const cJSON *json)
{
	struct group *g = p->priv;
	struct model_list list;
	struct buf b = BUF_INIT;
	size_t i;

	model_list_parse(MODEL_GROUP, json, "Data.GroupInfo", &list);
	for (i = list.count; i-- > 0;) {
		const struct model_group *m = model_list_item(&list, i);
		buf_addf(&b, "%s%s", b.len ? " \xE2\x80\xBA " : "",	/* › */
		    fmt_str(m->group_name != NULL ? m->group_name : m->group_id));
	}
	set_field(g, F_PARENT, list.count > 0 ? buf_str(&b) : "(top level)");
	g->got_parents = 1;
	buf_free(&b);
	model_list_free(&list);
}

/* The header (fieldhead.h): wide two fields a line where they fit; narrow a field a line,
 * the most useful first. */
#define PARENT_OR_RULE -3	/* a static group's parents, a dynamic group's rule */
static const int wide_layout[][2] = {
	{ F_NAME, F_TYPE }, { F_ID, F_CREATED }, { F_DEVICES, FIELDHEAD_SPAN },
	{ PARENT_OR_RULE, FIELDHEAD_SPAN }, { F_DESC, FIELDHEAD_SPAN },
};
static const int narrow_order[] = {
	F_NAME, F_TYPE, F_DEVICES, PARENT_OR_RULE, F_DESC, F_ID, F_CREATED
};

/* Whether the answer that carries field f came (an empty field is then a dim dash). */
static int
field_answered(struct pane *p, int f)
{
	const struct group *g = p->priv;

	switch (f) {
	case F_TYPE:
		return g->dynamic >= 0;
	case F_PARENT:
		return g->got_parents;
	default:
		return g->got_info;
	}
}

static const char *
field_value(struct pane *p, int *f, attr_t *a)
{
	const struct group *g = p->priv;

	(void)a;
	if (*f == PARENT_OR_RULE)
		*f = g->dynamic == 1 ? F_RULE : F_PARENT;
	if (*f == F_DEVICES && g->started && g->devices.done && g->devices.failed)
		return g->dynamic == 1 ? "not listed (e shows why; dynamic groups need --instance)" :
		    "not listed (e shows why)";
	return g->fields[*f];
}

static const struct fieldhead head = {
	.names = field_names,
	.wide = wide_layout,
	.nwide = (int)(sizeof wide_layout / sizeof wide_layout[0]),
	.narrow = narrow_order,
	.nnarrow = (int)(sizeof narrow_order / sizeof narrow_order[0]),
	.value = field_value,
	.answered = field_answered,
};

static void
group_draw(struct pane *p, WINDOW *w, int full)
{
	struct table_style st;
	int h, wd, hl;

	getmaxyx(w, h, wd);
	ui_table_style(p->ui, &st);
	hl = fieldhead_lines(&head, wd, h);
	if (full || p->dirty)
		fieldhead_draw(&head, p, w, wd, hl);
	table_draw(p->table, w, hl, h - hl, wd, &st, full || p->dirty, clock_mono_s());
}

/* ---- live states ----------------------------------------------------------------------- */

/* Device rows have no data (a subgroup's row keeps its name): the live states of the
 * device rows on screen. */
static int
is_device_row(const struct table_row *r)
{
	return r->data == NULL;
}

static const struct devstates states = {
	.c_product = C_PRODUCT,
	.c_name = C_NAME,
	.c_status = C_STATUS,
	.is_device = is_device_row,
};

/* ---- the pane ------------------------------------------------------------------------ */

static void
group_open(struct pane *p)
{
	struct group *g = xcalloc(1, sizeof *g);
	struct params q = PARAMS_INIT;

	p->priv = g;
	/* The type when the opener knew it (an undocumented one: found out). */
	g->dynamic = p->arg.group_type != NULL ? model_group_type_kind(p->arg.group_type) : -1;
	g->grown = -1;
	g->id = xstrdup(p->arg.id != NULL ? p->arg.id : "");
	model_group_parse(NULL, &g->info);
	loader_init(&g->devices, ACT_QueryDeviceListByDeviceGroup, NULL, MODEL_DEVICE);
	p->table = table_new(columns, C_COUNT);
	table_own_data(p->table, free);	/* a subgroup's raw name */
	set_field(g, F_ID, g->id);
	if (g->dynamic >= 0) {
		start(p);
		return;
	}
	/* Which kind is it? An account holds at most 10 dynamic groups: one page says. (Not
	 * QueryDeviceGroupInfo by turns: a not-found answer ends the pane.) */
	params_set(&q, "GroupTypes.1", MODEL_GROUP_DYNAMIC);
	params_set(&q, "CurrentPage", "1");
	params_set(&q, "PageSize", "200");
	ui_request(p, ACT_QueryDeviceGroupList, &q, WORKER_INTERACTIVE, KIND_PROBE);
	params_free(&q);
	p->progress = 0;
}

static void
group_close(struct pane *p)
{
	struct group *g = p->priv;
	int f;

	for (f = 0; f < F_COUNT; f++)
		free(g->fields[f]);
	loader_free(&g->devices);
	model_group_clear(&g->info);
	free(g->id);
	free(g);
}

static void
probe_result(struct pane *p, struct worker_result *r)
{
	struct group *g = p->priv;
	struct model_list list;
	size_t i;

	g->dynamic = 0;
	if (r->status == API_OK) {
		model_list_parse(MODEL_GROUP, r->json, NULL, &list);
		for (i = 0; i < list.count; i++) {
			const struct model_group *m = model_list_item(&list, i);
			if (m->group_id != NULL && strcmp(m->group_id, g->id) == 0)
				g->dynamic = 1;
		}
		model_list_free(&list);
	}
	start(p);
}

/* A count check answered: load the devices again when their number changed. */
static void
check_result(struct pane *p, const cJSON *json)
{
	struct group *g = p->priv;

	info_result(p, json);
	if (g->info.device_count == MODEL_NONE || !g->devices.done || g->devices.failed ||
	    g->info.device_count == (int64_t)g->devices.loaded)
		return;
	if (g->info.device_count <= LISTPANE_AUTO_RELOAD_MAX)
		reload(p);
	else
		g->grown = g->info.device_count;
}

static int
group_result(struct pane *p, struct worker_result *r)
{
	struct group *g = p->priv;
	intptr_t kind = (intptr_t)r->udata;

	if (g->started && loader_result(&g->devices, r)) {
		p->progress = loader_progress(&g->devices);
		return 1;
	}
	if (kind == KIND_PROBE) {
		probe_result(p, r);
		return 0;
	}
	if (kind == KIND_STATE)
		g->state_busy--;
	if (kind == KIND_CHECK)
		g->check_busy = 0;
	if (r->status != API_OK) {
		if (kind == KIND_STATE) {
			fresh_failed(&g->states);
			table_set_stale(p->table, 1);
		}
		if (kind != KIND_CHECK)
			ui_api_error(p->ui, r->action, r);
		p->dirty = 1;
		return 0;
	}
	switch (kind) {
	case KIND_INFO:
		info_result(p, r->json);
		break;
	case KIND_CHECK:
		check_result(p, r->json);
		break;
	case KIND_SUBS:
		subs_result(p, r->json);
		break;
	case KIND_PARENTS:
		parents_result(p, r->json);
		break;
	case KIND_STATE:
		fresh_ok(&g->states, clock_mono_s());
		table_set_stale(p->table, 0);
		devstates_apply(p, &states, r->json);
		break;
	}
	p->dirty = 1;
	return 0;
}

static double
group_tick(struct pane *p, double now)
{
	struct group *g = p->priv;
	double every = ui_refresh_interval(p->ui), next;

	if (!g->started)
		return every;
	if (now >= g->next_state) {
		g->next_state = now + 0.5;	/* until there are devices */
		if (g->state_busy == 0 && table_shown(p->table) > g->nsubs) {
			g->state_busy += devstates_ask(p, &states, KIND_STATE);
			g->next_state = now + ui_live_every(p->ui, &state_live);
		}
	}
	if (now >= g->next_check) {
		g->next_check = now + every;
		if (!g->check_busy && g->devices.done && !g->devices.failed) {
			ask_info(p, KIND_CHECK, WORKER_REFRESH);
			g->check_busy = 1;
		}
	}
	next = g->next_state < g->next_check ? g->next_state : g->next_check;
	return next > now ? next - now : 0.1;
}

static void
group_info(struct pane *p, struct buf *out)
{
	struct group *g = p->priv;
	char live[40];

	if (!g->started) {
		buf_adds(out, "finding out whether the group is static or dynamic\xE2\x80\xA6");
		return;
	}
	if (!g->dynamic && g->got_subs)
		buf_addf(out, "%zu subgroup%s  \xE2\x94\x82 ", g->nsubs, g->nsubs == 1 ? "" : "s");
	buf_adds(out, "devices: ");
	loader_info(&g->devices, out, 20);
	if (g->grown >= 0)
		buf_addf(out, "  \xE2\x94\x82 now %lld: r loads them", (long long)g->grown);
	if (g->states.ok_at <= 0 && !g->states.stale)
		return;
	snprintf(live, sizeof live, "states live every %g s", ui_live_every(p->ui, &state_live));
	buf_adds(out, "  \xE2\x94\x82 ");
	fresh_info(&g->states, clock_mono_s(), live, out);
}

/* d: the group's header in full, the selected row, and the detail of what the row is
 * (a subgroup's QueryDeviceGroupInfo, a device's QueryDeviceDetail), else the group's. */
static void
group_describe(struct pane *p)
{
	struct group *g = p->priv;
	struct table_row *r = table_cursor_row(p->table);
	struct params q = PARAMS_INIT;
	const char *slash;
	struct describe *d;
	char *pk;
	int f;

	d = describe_new(r != NULL ? r->cells[C_NAME] : p->crumb);
	describe_section(d, "the group");
	for (f = 0; f < F_COUNT; f++)
		if (g->fields[f] != NULL)
			describe_field(d, field_names[f], g->fields[f]);
	if (r != NULL) {
		describe_section(d, is_subgroup(r) ? "the selected subgroup" : "the selected device");
		describe_row(d, p->table, r);
	}
	if (r != NULL && is_subgroup(r)) {
		params_set(&q, "GroupId", r->key);
		describe_fetch(d, ACT_QueryDeviceGroupInfo, &q);
	} else if (r != NULL && (slash = strchr(r->key, '/')) != NULL) {
		pk = xstrndup(r->key, (size_t)(slash - r->key));
		params_set(&q, "ProductKey", pk);
		params_set(&q, "DeviceName", slash + 1);
		free(pk);
		describe_fetch(d, ACT_QueryDeviceDetail, &q);
	} else {
		params_set(&q, "GroupId", g->id);
		if (g->dynamic == 1)
			params_set(&q, "GroupType", MODEL_GROUP_DYNAMIC);
		describe_fetch(d, ACT_QueryDeviceGroupInfo, &q);
	}
	params_free(&q);
	describe_open(p->ui, d);
}

static int
group_action(struct pane *p, enum ui_action a)
{
	struct group *g = p->priv;
	struct table_row *r = table_cursor_row(p->table);

	switch (a) {
	case UI_A_ENTER:
		if (r == NULL)
			return 1;
		if (is_subgroup(r))
			ui_open(p->ui, UI_V_GROUP, &(struct pane_arg){ .id = r->key,
			    .group_type = MODEL_GROUP_STATIC, .label = r->data });
		else
			ui_open_device_row(p->ui, r, C_NICK, C_NAME);
		return 1;
	case UI_A_THING_MODEL:
		if (r != NULL && !is_subgroup(r))
			ui_open_thing_model_row(p->ui, r);
		return 1;
	case UI_A_DESCRIBE:
		group_describe(p);
		return 1;
	case UI_A_REFRESH:
		if (g->started) {
			ask_info(p, KIND_INFO, WORKER_INTERACTIVE);
			reload(p);
		}
		return 1;
	default:
		return 0;
	}
}

/* ":group ID" on the group shown keeps the pane. */
static int
group_same(struct pane *p, const struct pane_arg *a)
{
	struct group *g = p->priv;

	return a != NULL && a->id != NULL && strcmp(a->id, g->id) == 0;
}

const char *
pane_group_id(struct pane *p)
{
	struct group *g = p->priv;

	return g->id;
}

static size_t
group_targets(struct pane *p, struct ui_target **out, int *marked)
{
	return ui_table_targets(p->table, is_device_row, out, marked);
}

const struct pane_ops pane_group_ops = {
	.kind = UI_P_GROUPS,
	.open = group_open,
	.close = group_close,
	.draw = group_draw,
	.action = group_action,
	.result = group_result,
	.tick = group_tick,
	.info = group_info,
	.same = group_same,
	.targets = group_targets,
};
