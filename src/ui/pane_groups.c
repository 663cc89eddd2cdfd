/* pane_groups.c — the device groups as a tree: the static groups level by level
 * (QueryDeviceGroupList, then with SuperGroupId for each group of the first two levels:
 * groups nest three levels deep, guide 4.10.1), each under its parent and indented, then
 * the dynamic groups (GroupTypes.1=LINK_PLATFORM_DYNAMIC: without it the list holds the
 * static ones only). Enter opens a group (pane_group.c): its devices and its subgroups.
 *
 * DESIGN
 *
 * The API has no call for the whole tree: a group's children are a list of their own, so
 * the pane keeps the tree as nodes and asks for the children of every static group of the
 * first two levels as its parent arrives (a group holds at most 100 subgroups: one page
 * of 200). Rows are placed by tree position, not by arrival: a node's order number is its
 * path of sibling ranks (each the API's place of the group in its parent's list, newest
 * first), 20 bits a level, so a child sorts right after its parent and before the
 * parent's next sibling whatever order the answers come in.
 *
 * The first load streams rows in as answers arrive. A refresh (r, or a changed count of
 * top-level or dynamic groups, asked every refresh-interval with one row each) loads a
 * new tree beside the one on screen and, once every answer is in, lays the table out
 * again: the rows the refresh did not return stay where they were, marked vanished, and
 * new ones are marked new (table.h). A refresh that fails leaves what was there, dimmed.
 * Answers of an earlier load are recognised by a generation number and dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "ui/describe.h"
#include "ui/fmt.h"
#include "ui/listpane.h"
#include "ui/pane_group.h"

enum { C_NAME, C_TYPE, C_PARENT, C_ID, C_CREATED, C_DESC, C_COUNT };

/* The indented name and the type first; the parent for filtering (parent:华东); the id
 * whole or not at all. */
static const struct table_column columns[C_COUNT] = {
	[C_NAME]    = { "Name", 8, 40, 0, 1 },
	[C_TYPE]    = { "Type", 7, 22, TABLE_COL_KEEP, 1 },
	[C_PARENT]  = { "Parent", 6, 24, 0, 3 },
	[C_ID]      = { "GroupId", 16, 32, 0, 4 },
	[C_CREATED] = { "Created", FMT_TIME_COLS, FMT_TIME_COLS, 0, 5 },
	[C_DESC]    = { "Description", 11, 60, 0, 6 },
};

/* Groups nest this deep (guide 4.10.1, iot.group.GroupLevelExceedingLimitError). */
#define MAX_LEVEL 3
/* Bits of a sibling rank in the order number; dynamic groups rank after every static
 * top-level group. */
#define RANK_BITS 20
#define DYNAMIC_RANK (1u << (RANK_BITS - 1))
#define PAGE_SIZE 200

/* Request kinds: the node whose children a page lists (-1 the top level, -2 the dynamic
 * groups), the page and the load's generation, packed; and the two count checks. */
#define KIND_CHECK_TOP ((intptr_t)1)
#define KIND_CHECK_DYN ((intptr_t)2)
#define NODE_TOP (-1)
#define NODE_DYN (-2)

struct node {
	char    *id;		/* GroupId, raw */
	char    *name;		/* GroupName, raw (NULL: not sent) */
	char    *type;		/* GroupType, raw (that of its list when not sent) */
	char    *created;	/* UtcCreate, raw */
	char    *desc;		/* GroupDesc, raw */
	int      parent;	/* index of the parent node, -1 for a top-level or dynamic one */
	int      level;		/* 1..MAX_LEVEL */
	uint64_t order;		/* the tree order (DESIGN) */
};

struct tree {
	struct node *v;		/* nodes, in arrival order */
	size_t       n, cap;	/* used, allocated */
};

struct groups {
	struct tree shown;	/* the tree on screen */
	struct tree next;	/* the tree a refresh is loading (empty otherwise) */
	unsigned    gen;	/* generation of the current load (KIND) */
	int         out;	/* its requests out */
	int         loading;	/* a load is running */
	int         refresh;	/* it is a refresh: into next, laid out at the end */
	int         failed;	/* a request of it failed */
	int         loaded;	/* a load has completed */
	int64_t     ntop, ndyn;	/* the counts the last load saw (-1: not known) */
	double      next_check;	/* when to ask the counts again */
	int         checks;	/* count checks out */
};

static void
node_free(struct node *n)
{
	free(n->id);
	free(n->name);
	free(n->type);
	free(n->created);
	free(n->desc);
}

static void
tree_clear(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		node_free(&t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static struct tree *
loading_tree(struct groups *g)
{
	return g->refresh ? &g->next : &g->shown;
}

static intptr_t
kind_of(unsigned gen, int node, long page)
{
	return (intptr_t)(((uint64_t)(gen & 0x7fff) << 48) | ((uint64_t)(node + 2) << 24) |
	    (uint64_t)page) + 16;
}

static void
kind_split(intptr_t kind, unsigned *gen, int *node, long *page)
{
	uint64_t k = (uint64_t)(kind - 16);

	*gen = (unsigned)(k >> 48);
	*node = (int)((k >> 24) & 0xffffff) - 2;
	*page = (long)(k & 0xffffff);
}

/* Asks for one page of the children of node (NODE_TOP, NODE_DYN or an index). */
static void
ask_page(struct pane *p, int node, long page)
{
	struct groups *g = p->priv;
	struct params q = PARAMS_INIT;
	char num[24];

	if (node == NODE_DYN)
		params_set(&q, "GroupTypes.1", MODEL_GROUP_DYNAMIC);
	else if (node >= 0)
		params_set(&q, "SuperGroupId", loading_tree(g)->v[node].id);
	snprintf(num, sizeof num, "%ld", page);
	params_set(&q, "CurrentPage", num);
	snprintf(num, sizeof num, "%d", PAGE_SIZE);
	params_set(&q, "PageSize", num);
	ui_request(p, ACT_QueryDeviceGroupList, &q, WORKER_BACKGROUND, kind_of(g->gen, node, page));
	params_free(&q);
	g->out++;
}

/* The cells of a node's row (cells point into bufs and the nodes). */
static void
node_cells(const struct tree *t, const struct node *n, const char **cells, struct buf *name,
    char *created, size_t clen)
{
	int i;

	buf_reset(name);
	for (i = 1; i < n->level; i++)
		buf_adds(name, i + 1 < n->level ? "  " : "\xE2\x94\x94 ");	/* └ */
	buf_adds(name, n->name != NULL ? n->name : n->id);
	cells[C_NAME] = buf_str(name);
	cells[C_TYPE] = model_group_type_name(n->type) != NULL ? model_group_type_name(n->type) :
	    n->type;
	cells[C_PARENT] = n->parent >= 0 ? fmt_str(t->v[n->parent].name) : "";
	cells[C_ID] = n->id;
	cells[C_CREATED] = fmt_time(n->created, created, clen);
	cells[C_DESC] = fmt_str(n->desc);
}

/* Sets the row of node i of t at its place in the tree. */
static void
node_row(struct pane *p, const struct tree *t, size_t i, double now)
{
	const struct node *n = &t->v[i];
	const char *cells[C_COUNT];
	char created[FMT_TIME_MAX];
	struct buf name = BUF_INIT;

	node_cells(t, n, cells, &name, created, sizeof created);
	table_order_from(p->table, n->order * 2);
	table_set(p->table, n->id, cells, xstrdup(n->type), now);
	buf_free(&name);
}

/* Lays the table out again after a refresh (DESIGN): old rows the refresh did not return
 * stay where they were, marked vanished; new ones are marked new; the cursor stays on
 * its group. */
static void
relayout(struct pane *p, struct groups *g)
{
	struct table_row *cur = table_cursor_row(p->table);
	char *cur_key = cur != NULL ? xstrdup(cur->key) : NULL, created[FMT_TIME_MAX];
	struct tree *old = &g->shown, *neu = &g->next;
	char *existed = xcalloc(neu->n + 1, 1);
	const char *cells[C_COUNT];
	struct buf name = BUF_INIT;
	double now = clock_mono_s();
	size_t i;

	for (i = 0; i < neu->n; i++)
		existed[i] = table_find(p->table, neu->v[i].id) != NULL;
	table_clear(p->table);
	for (i = 0; i < neu->n; i++)
		if (existed[i])
			node_row(p, neu, i, now);
	/* The vanished ones (every old group still there is back in the table by now), just
	 * after where they were (odd order numbers). */
	for (i = 0; i < old->n; i++) {
		if (table_find(p->table, old->v[i].id) != NULL)
			continue;
		node_cells(old, &old->v[i], cells, &name, created, sizeof created);
		table_order_from(p->table, old->v[i].order * 2 + 1);
		table_set(p->table, old->v[i].id, cells, xstrdup(old->v[i].type), now);
	}
	table_loaded(p->table);
	for (i = 0; i < neu->n; i++)
		if (!existed[i])
			node_row(p, neu, i, now);
	table_sweep_begin(p->table);
	for (i = 0; i < neu->n; i++)
		node_row(p, neu, i, now);
	table_sweep_end(p->table);
	if (cur_key != NULL)
		for (i = 0; i < table_shown(p->table); i++)
			if (strcmp(table_shown_row(p->table, i)->key, cur_key) == 0) {
				table_move_to(p->table, i);
				break;
			}
	tree_clear(old);
	*old = *neu;
	memset(neu, 0, sizeof *neu);
	buf_free(&name);
	free(existed);
	free(cur_key);
}

static void
load_done(struct pane *p, struct groups *g)
{
	g->loading = 0;
	p->progress = -1;
	if (g->failed) {
		/* What was there stays, dimmed: it is from before the failure. */
		tree_clear(&g->next);
		table_set_stale(p->table, 1);
	} else {
		if (g->refresh)
			relayout(p, g);
		table_set_stale(p->table, 0);
		g->loaded = 1;
	}
	table_loaded(p->table);
	/* The rows came in any order: sort now, not at the next throttled draw, so that a key
	 * pressed at once (G) finds them in place. */
	table_sort(p->table, table_sort_col(p->table), table_sort_desc(p->table));
	g->refresh = 0;
	p->dirty = 1;
}

static void
load_start(struct pane *p, int refresh)
{
	struct groups *g = p->priv;

	g->gen++;
	g->out = 0;
	g->failed = 0;
	g->loading = 1;
	g->refresh = refresh && table_count(p->table) > 0;
	tree_clear(&g->next);
	if (!g->refresh) {
		tree_clear(&g->shown);
		table_clear(p->table);
	}
	g->ntop = g->ndyn = -1;
	p->progress = 0;
	ask_page(p, NODE_TOP, 1);
	ask_page(p, NODE_DYN, 1);
}

/* A page of the children of node arrived: nodes, rows (first load), the next requests. */
static void
page_result(struct pane *p, int node, long page, const cJSON *json)
{
	struct groups *g = p->priv;
	struct tree *t = loading_tree(g);
	struct model_list list;
	struct node *n;
	size_t i, first;
	uint64_t base = 0;
	int level = 1, shift;
	long pages;

	model_list_parse(MODEL_GROUP, json, NULL, &list);
	if (node >= 0) {
		base = t->v[node].order;
		level = t->v[node].level + 1;
	}
	shift = RANK_BITS * (MAX_LEVEL - level);
	first = t->n;
	for (i = 0; i < list.count; i++) {
		const struct model_group *m = model_list_item(&list, i);
		uint64_t rank = (uint64_t)(page - 1) * PAGE_SIZE + i + 1;
		if (m->group_id == NULL || rank >= DYNAMIC_RANK)
			continue;
		if (node == NODE_DYN)
			rank += DYNAMIC_RANK;
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64;
			t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
		}
		n = &t->v[t->n++];
		memset(n, 0, sizeof *n);
		n->id = xstrdup(m->group_id);
		n->name = m->group_name != NULL ? xstrdup(m->group_name) : NULL;
		/* The list asked with GroupTypes holds the dynamic groups, the others the static
		 * ones: that is their type when an answer leaves GroupType out. */
		n->type = xstrdup(m->group_type != NULL ? m->group_type :
		    node == NODE_DYN ? MODEL_GROUP_DYNAMIC : MODEL_GROUP_STATIC);
		n->created = m->utc_create != NULL ? xstrdup(m->utc_create) : NULL;
		n->desc = m->group_desc != NULL ? xstrdup(m->group_desc) : NULL;
		n->parent = node >= 0 ? node : -1;
		n->level = level;
		n->order = base | rank << shift;
	}
	if (page == 1) {
		if (node == NODE_TOP)
			g->ntop = list.page.total;
		else if (node == NODE_DYN)
			g->ndyn = list.page.total;
		pages = list.page.total > 0 ? (long)((list.page.total + PAGE_SIZE - 1) / PAGE_SIZE) : 1;
		for (page = 2; page <= pages; page++)
			ask_page(p, node, page);
	}
	for (i = first; i < t->n; i++) {
		if (!g->refresh)
			node_row(p, t, i, clock_mono_s());
		/* The children of a static group that may have some. */
		if (t->v[i].level < MAX_LEVEL && model_group_type_kind(t->v[i].type) == 0)
			ask_page(p, (int)i, 1);
	}
	model_list_free(&list);
}

/* An error on the dynamic list where the region or instance has no dynamic groups
 * (iot.device.RegionNotSupportDynamicGroup) is no error of the tree. */
static int
no_dynamic_groups(const struct worker_result *r)
{
	return r->err.code != NULL && strstr(r->err.code, "NotSupport") != NULL;
}

static int
groups_result(struct pane *p, struct worker_result *r)
{
	struct groups *g = p->priv;
	intptr_t kind = (intptr_t)r->udata;
	struct jsonpath_page pg;
	unsigned gen;
	long page;
	int node;

	if (kind == KIND_CHECK_TOP || kind == KIND_CHECK_DYN) {
		g->checks--;
		if (r->status != API_OK || g->loading || !g->loaded)
			return 0;
		jsonpath_page_parse(r->json, &pg);
		if (pg.total >= 0 && pg.total != (kind == KIND_CHECK_TOP ? g->ntop : g->ndyn))
			load_start(p, 1);
		jsonpath_page_clear(&pg);
		return 0;
	}
	kind_split(kind, &gen, &node, &page);
	if (gen != (g->gen & 0x7fff) || !g->loading)
		return 0;	/* an answer of an earlier load */
	g->out--;
	if (r->status == API_OK)
		page_result(p, node, page, r->json);
	else if (!(node == NODE_DYN && no_dynamic_groups(r))) {
		g->failed = 1;
		ui_api_error(p->ui, ACT_QueryDeviceGroupList, r);
	}
	if (g->out == 0)
		load_done(p, g);
	p->dirty = 1;
	return 0;
}

static double
groups_tick(struct pane *p, double now)
{
	struct groups *g = p->priv;
	struct params q = PARAMS_INIT;
	double every = ui_refresh_interval(p->ui);

	if (now >= g->next_check) {
		g->next_check = now + every;
		if (g->loaded && !g->loading && g->checks == 0) {
			params_set(&q, "CurrentPage", "1");
			params_set(&q, "PageSize", "1");
			ui_request(p, ACT_QueryDeviceGroupList, &q, WORKER_REFRESH, KIND_CHECK_TOP);
			params_set(&q, "GroupTypes.1", MODEL_GROUP_DYNAMIC);
			ui_request(p, ACT_QueryDeviceGroupList, &q, WORKER_REFRESH, KIND_CHECK_DYN);
			g->checks = 2;
			params_free(&q);
		}
	}
	return g->next_check > now ? g->next_check - now : every;
}

static void
groups_open(struct pane *p)
{
	struct groups *g = xcalloc(1, sizeof *g);

	p->priv = g;
	p->table = table_new(columns, C_COUNT);
	table_own_data(p->table, free);	/* each row's GroupType, raw */
	g->next_check = clock_mono_s() + ui_refresh_interval(p->ui);
	load_start(p, 0);
}

static void
groups_close(struct pane *p)
{
	struct groups *g = p->priv;

	tree_clear(&g->shown);
	tree_clear(&g->next);
	free(g);
}

static void
groups_info(struct pane *p, struct buf *out)
{
	struct groups *g = p->priv;
	const struct tree *t = &g->shown;
	size_t i, ndyn = 0;
	int levels = 0;

	for (i = 0; i < t->n; i++) {
		if (model_group_type_kind(t->v[i].type) == 1)
			ndyn++;
		else if (t->v[i].level > levels)
			levels = t->v[i].level;
	}
	buf_addf(out, "groups: %zu %s", t->n, g->loading && !g->refresh ? "so far, loading\xE2\x80\xA6" :
	    "loaded");
	if (t->n > 0)
		buf_addf(out, " (%d level%s, %zu dynamic)", levels, levels == 1 ? "" : "s", ndyn);
	if (g->loading && g->refresh)
		buf_adds(out, ", refreshing\xE2\x80\xA6");
	if (!g->loading && g->failed)
		buf_adds(out, "; the last load stopped on an error (e shows why)");
}

/* d: the row, and the group's detail (QueryDeviceGroupInfo, with GroupType for a
 * dynamic group: without it the API looks among the static ones). */
static void
groups_describe(struct pane *p)
{
	struct table_row *r = table_cursor_row(p->table);
	struct params q = PARAMS_INIT;
	struct describe *d;

	if (r == NULL) {
		ui_message(p->ui, "no row to describe");
		return;
	}
	d = describe_new(r->cells[C_NAME]);
	describe_section(d, "the row");
	describe_row(d, p->table, r);
	params_set(&q, "GroupId", r->key);
	if (r->data != NULL && model_group_type_kind(r->data) == 1)
		params_set(&q, "GroupType", MODEL_GROUP_DYNAMIC);
	describe_fetch(d, ACT_QueryDeviceGroupInfo, &q);
	params_free(&q);
	describe_open(p->ui, d);
}

static int
groups_action(struct pane *p, enum ui_action a)
{
	struct table_row *r = table_cursor_row(p->table);
	const struct node *n = NULL;
	struct groups *g = p->priv;
	size_t i;

	switch (a) {
	case UI_A_ENTER:
		if (r == NULL)
			return 1;
		for (i = 0; i < g->shown.n && n == NULL; i++)
			if (strcmp(g->shown.v[i].id, r->key) == 0)
				n = &g->shown.v[i];
		ui_open(p->ui, UI_V_GROUP, &(struct pane_arg){ .id = r->key, .group_type = r->data,
		    .label = n != NULL ? n->name : NULL });
		return 1;
	case UI_A_DESCRIBE:
		groups_describe(p);
		return 1;
	case UI_A_REFRESH:
		if (!g->loading)
			load_start(p, 1);
		return 1;
	default:
		return 0;
	}
}

const struct pane_ops pane_groups_ops = {
	.kind = UI_P_GROUPS,
	.open = groups_open,
	.close = groups_close,
	.draw = ui_table_pane_draw,
	.action = groups_action,
	.result = groups_result,
	.tick = groups_tick,
	.info = groups_info,
};
