/* pane_device.c — one device: identity, status, firmware, groups, tags, and the live
 * values of its thing-model properties (QueryDevicePropertyStatus), refreshed while the
 * pane is open. The argument is a caller-freed "PRODUCTKEY/DEVICENAME".
 *
 * The groups the device is in (QueryDeviceGroupByDevice: its static groups and the
 * dynamic groups it matches) are rows of the table too, above the properties, keyed
 * "group/GROUPID" ('/' is in no property identifier); Enter on one opens the group
 * (pane_group.c). Every row keeps its item as the API sent it (JSON text).
 *
 * Values are shown through the product's published thing model (GetThingModelTslPublished,
 * kept parsed with the pane): enum and bool as their value and label ("2 平"), dates as
 * times, the unit and type of the model (api/tslvalue.h). Until the model arrives, or
 * when there is none, the values are shown as the API sent them. Enter on a struct or
 * array property lays its value out a member a row (pane_value.c); on a numeric one, it
 * opens the history (pane_history.c).
 *
 * The line under the header is the sparkline of the numeric property under the cursor
 * (propspark.c: its recent values, asked for once the cursor rests on it and again when a
 * property refresh shows it reported anew), with min, max and last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/model.h"
#include "core/clock.h"
#include "api/tslvalue.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/describe.h"
#include "ui/fieldhead.h"
#include "ui/fmt.h"
#include "ui/fresh.h"
#include "ui/pane_group.h"
#include "ui/pane_history.h"
#include "ui/pane_value.h"
#include "ui/propspark.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/ui.h"
#include "ui/theme.h"

enum { C_ID, C_NAME, C_VALUE, C_UNIT, C_TYPE, C_TIME, C_COUNT };

static const struct table_column columns[C_COUNT] = {
	[C_ID]    = { "Identifier", 10, 32, 0, 1 },
	[C_NAME]  = { "Name", 6, 24, 0, 2 },
	[C_VALUE] = { "Value", 8, 24, TABLE_COL_RIGHT | TABLE_COL_KEEP, 1 },
	[C_UNIT]  = { "Unit", 4, 12, 0, 2 },
	[C_TYPE]  = { "Type", 6, 8, 0, 5 },
	/* when the value was reported ("never reported" too): kept when all are alike */
	[C_TIME]  = { "Updated", 14, FMT_TIME_COLS, TABLE_COL_KEEP, 3 },
};

enum { KIND_DETAIL = 1, KIND_GROUPS, KIND_TAGS, KIND_PROPS, KIND_TSL, KIND_SPARK };

/* How often the property values are asked for (200 QPS allowed: cheap). */
static const struct ui_live props_live = { .at_default = 2.0, .least = 1.0 };
/* How often the identity and status are asked for again. */
static const struct ui_live detail_live = { .at_default = 10.0, .least = 2.0 };

enum { F_NAME, F_NICK, F_PRODUCT, F_IOTID, F_STATUS, F_FIRMWARE, F_IP, F_NODE, F_CREATED,
	F_ACTIVE, F_ONLINE, F_GROUPS, F_TAGS, F_COUNT };

static const char *const field_names[F_COUNT] = {
	"Device", "Nickname", "Product", "IotId", "Status", "Firmware", "IP address", "Node type",
	"Created", "Activated", "Last online", "Groups", "Tags"
};

struct device {
	char   *product_key;		/* ProductKey */
	char   *device_name;		/* DeviceName */
	char   *fields[F_COUNT];	/* display-safe values of the header block */
	double  next_props;		/* next property refresh */
	double  next_detail;		/* next detail refresh */
	int     props_busy;		/* a property request is out */
	int     loaded_props;		/* the first property answer arrived */
	int     got_detail;		/* a QueryDeviceDetail answer arrived */
	int     got_groups;		/* a QueryDeviceGroupByDevice answer arrived */
	int     got_tags;		/* a QueryDeviceProp answer arrived */
	char   *status;			/* the Status of the last detail answer (raw) */
	struct fresh props_fresh;	/* the property values: live or stale */
	struct fresh detail_fresh;	/* the identity and status: live or stale */
	char  **groups;			/* the row keys of the groups listed (owned) */
	size_t  ngroups;		/* how many */
	size_t  group_rows;		/* group rows in the table (left ones too) */
	char  **props;			/* the row keys of the properties of the last answer
					   (owned): the rows shown again when the model comes */
	size_t  nprops;			/* how many */
	struct model_tsl tsl;		/* the product's published thing model (owned) */
	int     tsl_state;		/* 0 asked for, 1 tsl holds it, -1 none (raw values) */
	char   *cursor_key;		/* the row the sparkline was last told about (owned) */
	struct propspark *spark;	/* the sparkline of the numeric property under the
					   cursor (owned) */
};

/* Group rows: "group/" and the GroupId. */
#define GROUP_KEY "group/"
/* The widest a group's name is in the table (six Chinese characters, as a property name). */
#define GROUP_NAME_COLS 12

static int
is_group_row(const struct table_row *r)
{
	return strncmp(r->key, GROUP_KEY, strlen(GROUP_KEY)) == 0;
}

static void
set_field(struct device *d, int f, const char *raw)
{
	free(d->fields[f]);
	d->fields[f] = raw != NULL ? safetext_dup(raw, strlen(raw)) : NULL;
}

/* The Status field: as answered, with its age once the detail refresh fails, so a
 * minute-old ONLINE never looks current. */
static void
status_field(struct device *d)
{
	struct buf b = BUF_INIT;

	if (d->status == NULL) {
		set_field(d, F_STATUS, NULL);
		return;
	}
	buf_adds(&b, d->status);
	if (d->detail_fresh.stale) {
		buf_adds(&b, " (");
		fresh_info(&d->detail_fresh, clock_mono_s(), "", &b);
		buf_adds(&b, ")");
	}
	set_field(d, F_STATUS, buf_str(&b));
	buf_free(&b);
}

/* A time field, in the one time format (fmt.h); NULL stays NULL. */
static void
time_field(struct device *d, int f, const char *api)
{
	char when[FMT_TIME_MAX];

	set_field(d, f, api != NULL ? fmt_time(api, when, sizeof when) : NULL);
}

static void
ask(struct pane *p, const char *action, intptr_t kind, enum worker_prio prio)
{
	struct device *d = p->priv;
	struct params q = PARAMS_INIT;

	params_set(&q, "ProductKey", d->product_key);
	params_set(&q, "DeviceName", d->device_name);
	ui_request(p, action, &q, prio, kind);
	params_free(&q);
}

/* The product's published thing model. */
static void
ask_tsl(struct pane *p, enum worker_prio prio)
{
	struct device *d = p->priv;
	struct params q = PARAMS_INIT;

	params_set(&q, "ProductKey", d->product_key);
	ui_request(p, ACT_GetThingModelTslPublished, &q, prio, KIND_TSL);
	params_free(&q);
}

static void
free_keys(char ***keys, size_t *n)
{
	while (*n > 0)
		free((*keys)[--*n]);
	free(*keys);
	*keys = NULL;
}

static void
device_open(struct pane *p)
{
	struct device *d = xcalloc(1, sizeof *d);

	p->priv = d;
	d->product_key = xstrdup(p->arg.product_key != NULL ? p->arg.product_key : "");
	d->device_name = xstrdup(p->arg.device_name != NULL ? p->arg.device_name : "");
	set_field(d, F_NAME, d->device_name);
	d->spark = propspark_new(d->product_key, d->device_name, KIND_SPARK);
	p->table = table_new(columns, C_COUNT);
	table_own_data(p->table, free);	/* each property's item, as JSON text */
	ask(p, ACT_QueryDeviceDetail, KIND_DETAIL, WORKER_INTERACTIVE);
	ask(p, ACT_QueryDevicePropertyStatus, KIND_PROPS, WORKER_INTERACTIVE);
	ask(p, ACT_QueryDeviceGroupByDevice, KIND_GROUPS, WORKER_INTERACTIVE);
	ask(p, ACT_QueryDeviceProp, KIND_TAGS, WORKER_INTERACTIVE);
	ask_tsl(p, WORKER_INTERACTIVE);
	d->props_busy = 1;
	d->next_props = clock_mono_s() + ui_live_every(p->ui, &props_live);
	d->next_detail = clock_mono_s() + ui_live_every(p->ui, &detail_live);
}

static void
device_close(struct pane *p)
{
	struct device *d = p->priv;
	int f;

	for (f = 0; f < F_COUNT; f++)
		free(d->fields[f]);
	free(d->product_key);
	free(d->device_name);
	free(d->status);
	free_keys(&d->groups, &d->ngroups);
	free_keys(&d->props, &d->nprops);
	model_tsl_clear(&d->tsl);
	free(d->cursor_key);
	propspark_free(d->spark);
	free(d);
}

/* The header block (fieldhead.h). Wide: two fields a line, and the lists (groups, tags) a
 * line each, whole width; 8 lines. Narrow: a field a line, the most important first. */
static const int wide_layout[][2] = {
	{ F_NAME, F_STATUS }, { F_NICK, F_ONLINE }, { F_PRODUCT, F_FIRMWARE },
	{ F_IOTID, F_IP }, { F_CREATED, F_NODE }, { F_ACTIVE, FIELDHEAD_NONE },
	{ F_GROUPS, FIELDHEAD_SPAN }, { F_TAGS, FIELDHEAD_SPAN },
};
static const int narrow_order[F_COUNT] = {
	F_NAME, F_NICK, F_STATUS, F_ONLINE, F_PRODUCT, F_IOTID, F_FIRMWARE, F_GROUPS, F_TAGS,
	F_IP, F_CREATED, F_ACTIVE, F_NODE
};

/* Whether the answer that carries field f has come (a field it lacks is then empty, drawn
 * as a dim dash; before it comes, the field is blank). */
static int
field_answered(struct pane *p, int f)
{
	const struct device *d = p->priv;

	switch (f) {
	case F_NAME:
		return 1;
	case F_GROUPS:
		return d->got_groups;
	case F_TAGS:
		return d->got_tags;
	default:
		return d->got_detail;
	}
}

/* A field's value; the status is coloured as the tables colour it. */
static const char *
field_value(struct pane *p, int *f, attr_t *a)
{
	const struct device *d = p->priv;
	const char *v = d->fields[*f];

	if (*f == F_STATUS)
		*a = ui_status_attr(p->ui, v);
	return v;
}

static const struct fieldhead head = {
	.names = field_names,
	.wide = wide_layout,
	.nwide = (int)(sizeof wide_layout / sizeof wide_layout[0]),
	.narrow = narrow_order,
	.nnarrow = F_COUNT,
	.value = field_value,
	.answered = field_answered,
};

static void spark_follow(struct pane *p, double now);

/* The sparkline's line: shown when the table keeps a header and four rows under it. */
static int
spark_lines(int height, int header)
{
	return height - header - 1 >= 5;
}

static void
device_draw(struct pane *p, WINDOW *w, int full)
{
	struct device *d = p->priv;
	struct table_style st;
	int h, wd, hl, sl;

	getmaxyx(w, h, wd);
	ui_table_style(p->ui, &st);
	hl = fieldhead_lines(&head, wd, h);
	sl = spark_lines(h, hl);
	if (full || p->dirty)
		fieldhead_draw(&head, p, w, wd, hl);
	spark_follow(p, clock_mono_s());
	if (sl && (full || p->dirty || propspark_dirty(d->spark)))
		propspark_draw(d->spark, p->ui, w, hl, wd, "History", FIELDHEAD_LABEL);
	table_draw(p->table, w, hl + sl, h - hl - sl, wd, &st, full || p->dirty, clock_mono_s());
}

static void
detail_result(struct pane *p, const cJSON *json)
{
	struct device *d = p->priv;
	struct model_device m;
	char *s;

	d->got_detail = 1;
	memset(&m, 0, sizeof m);
	model_device_parse(jsonpath_get(json, "Data"), &m);
	set_field(d, F_NICK, m.nickname);
	s = xasprintf("%s%s%s%s", fmt_str(m.product_key), m.product_name ? " (" : "",
	    fmt_str(m.product_name), m.product_name ? ")" : "");
	set_field(d, F_PRODUCT, s);
	free(s);
	set_field(d, F_IOTID, m.iot_id);
	xstrset(&d->status, m.status);
	fresh_ok(&d->detail_fresh, clock_mono_s());
	status_field(d);
	set_field(d, F_FIRMWARE, m.firmware_version);
	set_field(d, F_IP, m.ip_address);
	set_field(d, F_NODE, m.node_type == 1 ? "gateway" : m.node_type == 0 ? "device" : NULL);
	time_field(d, F_CREATED, m.utc_create ? m.utc_create : m.gmt_create);
	time_field(d, F_ACTIVE, m.utc_active ? m.utc_active : m.gmt_active);
	time_field(d, F_ONLINE, m.utc_online ? m.utc_online : m.gmt_online);
	model_device_clear(&m);
}

/* The device's groups: the Groups field, and a row each above the properties (order
 * numbers below 1000; the properties' start there). A group the device left keeps its
 * row, marked as left, until the pane is opened again. */
static void
groups_result(struct pane *p, const cJSON *json)
{
	struct device *d = p->priv;
	struct jsonpath_list list;
	struct model_group g;
	struct buf b = BUF_INIT, name = BUF_INIT;
	const char *cells[C_COUNT], *raw;
	char **keys = NULL, *safe;
	struct table_row *r;
	double now = clock_mono_s();
	size_t i, n = 0, k;

	d->got_groups = 1;
	jsonpath_list(json, "GroupInfos.GroupInfo", &list);
	keys = xcalloc(list.count + 1, sizeof *keys);
	for (i = 0; i < list.count; i++) {
		model_group_parse(list.items[i], &g);
		if (g.group_id == NULL) {
			model_group_clear(&g);
			continue;
		}
		buf_addf(&b, "%s%s", n ? ", " : "", fmt_str(g.group_name));
		/* Its name is cut to what a property's name takes (the Groups field above and d
		 * have it whole), so that the table keeps its layout, Updated included, at 80
		 * columns. */
		raw = g.group_name != NULL ? g.group_name : g.group_id;
		safe = safetext_dup(raw, strlen(raw));
		buf_reset(&name);
		text_fit(&name, safe, GROUP_NAME_COLS, 0, 0);
		free(safe);
		cells[C_ID] = "\xE2\x96\xB8 group";	/* ▸ */
		cells[C_NAME] = buf_str(&name);
		cells[C_VALUE] = "";
		cells[C_UNIT] = "";
		cells[C_TYPE] = model_group_type_name(g.group_type) != NULL ?
		    model_group_type_name(g.group_type) : g.group_type;
		cells[C_TIME] = "";
		keys[n] = xasprintf(GROUP_KEY "%s", g.group_id);
		table_order_from(p->table, n);
		d->group_rows += table_find(p->table, keys[n]) == NULL;
		r = table_set(p->table, keys[n], cells, jsonout_print(list.items[i], JSONOUT_COMPACT),
		    now);
		/* The first answer belongs to the first load, whenever the properties came. */
		if (d->groups == NULL)
			r->marks &= (uint8_t)~TABLE_ROW_NEW;
		n++;
		model_group_clear(&g);
	}
	for (k = 0; k < d->ngroups; k++) {
		for (i = 0; i < n && strcmp(keys[i], d->groups[k]) != 0; i++)
			;
		if (i == n)
			table_set_cell(p->table, d->groups[k], C_NAME, "group (left)", now);
		free(d->groups[k]);
	}
	free(d->groups);
	d->groups = keys;
	d->ngroups = n;
	set_field(d, F_GROUPS, n ? buf_str(&b) : "(none)");
	buf_free(&b);
	jsonpath_list_free(&list);
	buf_free(&name);
	/* Above the properties at once (new rows are sorted in at the next throttled draw). */
	table_sort(p->table, table_sort_col(p->table), table_sort_desc(p->table));
}

/* Enter on a group row opens the group, with its raw id, type and name from its item. */
static void
open_group(struct pane *p, const struct table_row *r)
{
	cJSON *item = r->data != NULL ? cJSON_Parse(r->data) : NULL;
	struct model_group g;

	model_group_parse(item, &g);
	if (g.group_id != NULL)
		ui_open(p->ui, UI_V_GROUP, &(struct pane_arg){ .id = g.group_id,
		    .group_type = g.group_type != NULL ? g.group_type : MODEL_GROUP_STATIC,
		    .label = g.group_name });
	model_group_clear(&g);
	cJSON_Delete(item);
}

static void
tags_result(struct pane *p, const cJSON *json)
{
	struct device *d = p->priv;
	const cJSON *props = jsonpath_get(json, "Props"), *it, *list;
	cJSON *obj = NULL;
	struct buf b = BUF_INIT;
	int n = 0;

	d->got_tags = 1;
	/* Props is a JSON object carried as a string. */
	if (cJSON_IsString(props))
		obj = cJSON_Parse(props->valuestring);
	list = obj != NULL ? obj : props;
	cJSON_ArrayForEach(it, list) {
		if (it->string == NULL)
			continue;
		buf_addf(&b, "%s%s=%s", n++ ? ", " : "", it->string,
		    cJSON_IsString(it) ? it->valuestring : "?");
	}
	set_field(d, F_TAGS, n ? buf_str(&b) : "(none)");
	buf_free(&b);
	cJSON_Delete(obj);
}

/* The property identifier in the thing model, or NULL (none yet, or not in it). */
static const struct tsl_property *
tsl_prop(const struct device *d, const char *identifier)
{
	return d->tsl_state == 1 ? tslvalue_property(&d->tsl, identifier) : NULL;
}

/* Sets the row of one property from its item (a QueryDevicePropertyStatus item): the
 * value through the thing model when it is known. data is the item as JSON text for the
 * row to keep (NULL: it keeps what it has). Returns the row, or NULL when the item names
 * no property. */
static struct table_row *
prop_row(struct pane *p, const cJSON *item, char *data, double now)
{
	struct device *d = p->priv;
	struct model_property_status ps;
	const struct tsl_property *tp;
	const struct tsl_datatype *dt;
	const char *cells[C_COUNT];
	char when[FMT_TIME_MAX], date[FMT_TIME_MAX], *shown = NULL;
	struct table_row *r = NULL;
	cJSON *v;
	int64_t ms;

	model_property_status_parse(item, &ps);
	if (ps.identifier == NULL) {
		free(data);
		goto done;
	}
	tp = tsl_prop(d, ps.identifier);
	dt = tp != NULL ? &tp->type : NULL;
	cells[C_ID] = ps.identifier;
	cells[C_NAME] = fmt_str(ps.name != NULL ? ps.name : tp != NULL ? tp->name : NULL);
	/* Every property of the thing model is listed; one the device never reported
	 * has no Value and no Time. */
	cells[C_VALUE] = fmt_str(ps.value);
	if (ps.value != NULL && dt != NULL) {
		/* "2 平", "1 是", a date as a time; other values as they came. */
		v = cJSON_CreateString(ps.value);
		shown = tslvalue_show(dt, v, (int)fmt_time_style());
		cJSON_Delete(v);
		cells[C_VALUE] = shown;
	} else if (ps.value != NULL && ps.data_type != NULL &&
	    strcmp(ps.data_type, "date") == 0 && timefmt_parse(ps.value, &ms) == 0)
		/* A date property's value is epoch ms (4.11.19): shown as a time, like the rest. */
		cells[C_VALUE] = fmt_time_ms(ms, date, sizeof date);
	cells[C_UNIT] = fmt_str(dt != NULL && dt->unit != NULL ? dt->unit : ps.unit);
	cells[C_TYPE] = dt == NULL ? fmt_str(ps.data_type) : dt->type_name != NULL ?
	    dt->type_name : model_tsl_type_name(dt->type);
	cells[C_TIME] = ps.value == NULL && ps.time_ms == MODEL_NONE ? "never reported" :
	    fmt_time_ms(ps.time_ms, when, sizeof when);
	r = table_set(p->table, ps.identifier, cells, data, now);
	/* A refresh's answer: the sparkline's values again if its property was reported
	 * anew (at most once a property refresh, then). */
	if (data != NULL)
		propspark_reported(d->spark, ps.identifier, ps.time_ms, now);
done:
	free(shown);
	model_property_status_clear(&ps);
	return r;
}

static void
props_result(struct pane *p, const cJSON *json)
{
	struct device *d = p->priv;
	struct jsonpath_list list;
	double now = clock_mono_s();
	struct table_row *r;
	size_t i;

	/* Each item is parsed here, so that its row can keep the item as the API sent it
	 * (compact JSON, a few hundred bytes a property) for the describe view. */
	jsonpath_list(json, model_default_path(MODEL_PROPERTY_STATUS), &list);
	free_keys(&d->props, &d->nprops);
	d->props = xcalloc(list.count + 1, sizeof *d->props);
	for (i = 0; i < list.count; i++) {
		if (!cJSON_IsObject(list.items[i]))
			continue;
		table_order_from(p->table, 1000 + i);	/* after the groups */
		r = prop_row(p, list.items[i], jsonout_print(list.items[i], JSONOUT_COMPACT), now);
		if (r != NULL)
			d->props[d->nprops++] = xstrdup(r->key);
	}
	if (!d->loaded_props) {
		table_loaded(p->table);
		d->loaded_props = 1;
	}
	jsonpath_list_free(&list);
}

/* The thing model came (or changed): the rows shown again through it, from the items
 * they keep. Nothing was reported anew, so no cell lights up as changed. */
static void
props_retype(struct pane *p)
{
	struct device *d = p->priv;
	struct table_row *r;
	uint32_t changed;
	double at, now = clock_mono_s();
	cJSON *item;
	size_t i;

	for (i = 0; i < d->nprops; i++) {
		r = table_find(p->table, d->props[i]);
		if (r == NULL || r->data == NULL || (item = cJSON_Parse(r->data)) == NULL)
			continue;
		changed = r->changed;
		at = r->changed_at;
		if ((r = prop_row(p, item, NULL, now)) != NULL) {
			r->changed = changed;
			r->changed_at = at;
		}
		cJSON_Delete(item);
	}
}

static void
tsl_result(struct pane *p, struct worker_result *r)
{
	struct device *d = p->priv;
	struct model_tsl m;
	char *cause = NULL;

	memset(&m, 0, sizeof m);
	if (r->status == API_OK && model_tsl_from_response(r->json, &m, &cause) == 0) {
		model_tsl_clear(&d->tsl);
		d->tsl = m;
		d->tsl_state = 1;
	} else {
		/* A product with nothing published (a business error) shows raw values and says
		 * so on the info line; anything else is an error worth showing. */
		if (r->status != API_OK && r->status != API_ERR_BUSINESS)
			ui_api_error(p->ui, r->action, r);
		model_tsl_clear(&m);
		if (d->tsl_state != 1)
			d->tsl_state = -1;
	}
	free(cause);
	props_retype(p);
	/* The model may give the selected row another type (or unit): follow it anew. */
	free(d->cursor_key);
	d->cursor_key = NULL;
	propspark_reset(d->spark, p);
}

/* The type of the property of row r: the thing model's, else the DataType of its item;
 * TSL_TYPE_UNKNOWN for a group row. */
static enum tsl_type
row_type(const struct device *d, const struct table_row *r)
{
	const struct tsl_property *tp;
	const cJSON *dt;
	enum tsl_type t = TSL_TYPE_UNKNOWN;
	cJSON *item;

	if (is_group_row(r))
		return TSL_TYPE_UNKNOWN;
	if ((tp = tsl_prop(d, r->key)) != NULL)
		return tp->type.type;
	item = r->data != NULL ? cJSON_Parse(r->data) : NULL;
	dt = jsonpath_get(item, "DataType");
	if (cJSON_IsString(dt))
		t = model_tsl_type_from_name(dt->valuestring);
	cJSON_Delete(item);
	return t;
}

static int
is_numeric(enum tsl_type t)
{
	return t == TSL_TYPE_INT || t == TSL_TYPE_FLOAT || t == TSL_TYPE_DOUBLE;
}

/* A field of row r's item (raw, caller-freed), or NULL. */
static char *
row_field(const struct table_row *r, const char *name)
{
	cJSON *item = r->data != NULL ? cJSON_Parse(r->data) : NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, name);
	char *out = NULL;

	if (cJSON_IsString(v))
		out = xstrdup(v->valuestring);
	else if (v != NULL && !cJSON_IsNull(v)) {
		/* Not a string as the API sends values: its JSON text, numbers as written. */
		jsonout_keep_number_text(item, r->data, strlen(r->data));
		out = jsonout_print(v, JSONOUT_COMPACT);
	}
	cJSON_Delete(item);
	return out;
}

/* The unit of row r's property: the thing model's symbol, else the item's Unit. */
static char *
row_unit(const struct device *d, const struct table_row *r)
{
	const struct tsl_property *tp = tsl_prop(d, r->key);

	if (tp != NULL && tp->type.unit != NULL)
		return xstrdup(tp->type.unit);
	return row_field(r, "Unit");
}

/* The sparkline follows the cursor: told about the row under it when that changes (a
 * numeric property, or none). */
static void
spark_follow(struct pane *p, double now)
{
	struct device *d = p->priv;
	struct table_row *r = table_cursor_row(p->table);
	const char *key = r != NULL ? r->key : NULL;
	char *unit, *time;
	int64_t ms = MODEL_NONE;

	if (key == NULL ? d->cursor_key == NULL :
	    d->cursor_key != NULL && strcmp(key, d->cursor_key) == 0)
		return;
	xstrset(&d->cursor_key, key);
	if (r == NULL || !is_numeric(row_type(d, r))) {
		propspark_follow(d->spark, p, NULL, NULL, MODEL_NONE, now);
		return;
	}
	unit = row_unit(d, r);
	if ((time = row_field(r, "Time")) == NULL || timefmt_parse(time, &ms) != 0)
		ms = MODEL_NONE;
	propspark_follow(d->spark, p, r->key, unit, ms, now);
	free(unit);
	free(time);
}

static int
device_result(struct pane *p, struct worker_result *r)
{
	struct device *d = p->priv;
	intptr_t kind = (intptr_t)r->udata;

	if (propspark_result(d->spark, p, r)) {
		if (propspark_dirty(d->spark))
			p->dirty = 1;
		return 0;
	}
	if (kind == KIND_TSL) {
		tsl_result(p, r);
		p->dirty = 1;
		return 0;
	}
	if (kind == KIND_PROPS)
		d->props_busy = 0;
	if (r->status != API_OK) {
		ui_api_error(p->ui, r->action, r);
		if (kind == KIND_PROPS) {
			fresh_failed(&d->props_fresh);
			table_set_stale(p->table, 1);
		} else if (kind == KIND_DETAIL) {
			fresh_failed(&d->detail_fresh);
			status_field(d);
		}
		p->dirty = 1;
		return 0;
	}
	if (kind == KIND_PROPS) {
		fresh_ok(&d->props_fresh, clock_mono_s());
		table_set_stale(p->table, 0);
	}
	switch (kind) {
	case KIND_DETAIL:
		detail_result(p, r->json);
		break;
	case KIND_GROUPS:
		groups_result(p, r->json);
		break;
	case KIND_TAGS:
		tags_result(p, r->json);
		break;
	case KIND_PROPS:
		props_result(p, r->json);
		break;
	}
	p->dirty = 1;
	return 0;
}

static double
device_tick(struct pane *p, double now)
{
	struct device *d = p->priv;
	double next, spark;

	if (now >= d->next_props && !d->props_busy) {
		ask(p, ACT_QueryDevicePropertyStatus, KIND_PROPS, WORKER_REFRESH);
		d->props_busy = 1;
		d->next_props = now + ui_live_every(p->ui, &props_live);
	}
	if (now >= d->next_detail) {
		ask(p, ACT_QueryDeviceDetail, KIND_DETAIL, WORKER_REFRESH);
		d->next_detail = now + ui_live_every(p->ui, &detail_live);
	}
	spark_follow(p, now);
	spark = now + propspark_tick(d->spark, p, now);
	next = d->next_props < d->next_detail ? d->next_props : d->next_detail;
	if (spark < next)
		next = spark;
	return next > now ? next - now : 0.1;
}

/* The describe view: the header's fields in full, the selected property with its item as
 * the API sent it, and the device's detail (QueryDeviceDetail, asked for again). */
static void
device_describe(struct pane *p)
{
	struct device *d = p->priv;
	struct table_row *r = table_cursor_row(p->table);
	struct params q = PARAMS_INIT;
	struct describe *ds;
	const struct tsl_property *tp;
	const char *text;
	cJSON *item;
	char *desc;
	int f;

	ds = describe_new(d->fields[F_NAME] ? d->fields[F_NAME] : "device");
	describe_section(ds, "the device");
	for (f = 0; f < F_COUNT; f++)
		describe_field(ds, field_names[f], d->fields[f]);
	if (r != NULL) {
		describe_section(ds, is_group_row(r) ? "the selected group" : "the selected property");
		describe_row(ds, p->table, r);
		if (!is_group_row(r) && (tp = tsl_prop(d, r->key)) != NULL) {
			desc = tslvalue_describe(&tp->type);
			describe_field(ds, "Thing model", desc);
			free(desc);
		}
		text = r->data;
		if (text != NULL && (item = cJSON_Parse(text)) != NULL) {
			jsonout_keep_number_text(item, text, strlen(text));
			describe_json(ds, is_group_row(r) ? ACT_QueryDeviceGroupByDevice :
			    ACT_QueryDevicePropertyStatus, item);
			cJSON_Delete(item);
		}
	}
	params_set(&q, "ProductKey", d->product_key);
	params_set(&q, "DeviceName", d->device_name);
	describe_fetch(ds, ACT_QueryDeviceDetail, &q);
	params_free(&q);
	describe_open(p->ui, ds);
}

/* Enter on a property: a struct or array laid out a member a row, a number's history;
 * another type says what it is. */
static void
open_property(struct pane *p, const struct table_row *r)
{
	struct device *d = p->priv;
	const struct tsl_property *tp = tsl_prop(d, r->key);
	enum tsl_type t = row_type(d, r);
	char *name = row_field(r, "Name"), *value, *unit, *time, *desc;
	int64_t ms = MODEL_NONE;

	if (name == NULL && tp != NULL && tp->name != NULL)
		name = xstrdup(tp->name);
	if (t == TSL_TYPE_STRUCT || t == TSL_TYPE_ARRAY) {
		value = row_field(r, "Value");
		if ((time = row_field(r, "Time")) != NULL && timefmt_parse(time, &ms) != 0)
			ms = MODEL_NONE;
		pane_value_push(p->ui, r->key, name, tp != NULL ? &tp->type : NULL, value, ms);
		free(value);
		free(time);
	} else if (is_numeric(t)) {
		unit = row_unit(d, r);
		pane_history_push(p->ui, d->product_key, d->device_name, r->key, name, unit);
		free(unit);
	} else if (tp != NULL) {
		desc = tslvalue_describe(&tp->type);
		ui_message(p->ui, "%s: %s", r->key, desc);
		free(desc);
	}
	free(name);
}

static int
device_action(struct pane *p, enum ui_action a)
{
	struct device *d = p->priv;
	struct table_row *r;

	switch (a) {
	case UI_A_REFRESH:
		ask(p, ACT_QueryDeviceDetail, KIND_DETAIL, WORKER_INTERACTIVE);
		ask(p, ACT_QueryDeviceGroupByDevice, KIND_GROUPS, WORKER_INTERACTIVE);
		ask(p, ACT_QueryDeviceProp, KIND_TAGS, WORKER_INTERACTIVE);
		ask_tsl(p, WORKER_INTERACTIVE);
		if (!d->props_busy) {
			ask(p, ACT_QueryDevicePropertyStatus, KIND_PROPS, WORKER_INTERACTIVE);
			d->props_busy = 1;
		}
		propspark_refresh(d->spark, clock_mono_s());
		return 1;
	case UI_A_THING_MODEL:
		ui_open_thing_model(p->ui, d->product_key);
		return 1;
	case UI_A_ENTER:
		r = table_cursor_row(p->table);
		if (r != NULL && is_group_row(r))
			open_group(p, r);
		else if (r != NULL)
			open_property(p, r);
		return 1;
	case UI_A_DESCRIBE:
		device_describe(p);
		return 1;
	default:
		return 0;
	}
}

static void
device_info(struct pane *p, struct buf *out)
{
	struct device *d = p->priv;

	char live[32];

	snprintf(live, sizeof live, "live every %g s", ui_live_every(p->ui, &props_live));
	if (d->ngroups > 0)
		buf_addf(out, "%zu group%s, ", d->ngroups,
		    d->ngroups == 1 ? "" : "s");
	buf_addf(out, "%zu properties, ", table_count(p->table) - d->group_rows);
	fresh_info(&d->props_fresh, clock_mono_s(), live, out);
	if (!d->loaded_props && !d->props_fresh.stale)
		buf_adds(out, " (loading\xE2\x80\xA6)");
	else if (d->tsl_state < 0)
		buf_adds(out, "; no published thing model: raw values");
}

/* The value of a property as the API sent it, for a form's current values. */
static char *
device_value_of(struct pane *p, const char *identifier)
{
	struct table_row *r = table_find(p->table, identifier);

	if (r == NULL || is_group_row(r))
		return NULL;
	return row_field(r, "Value");
}

/* An operation in the device pane applies to the device. */
static size_t
device_targets(struct pane *p, struct ui_target **out, int *marked)
{
	struct device *d = p->priv;

	*out = xcalloc(1, sizeof **out);
	(*out)->product_key = xstrdup(d->product_key);
	(*out)->device_name = xstrdup(d->device_name);
	*marked = 0;
	return 1;
}

const struct pane_ops pane_device_ops = {
	.kind = UI_P_DEVICE,
	.open = device_open,
	.close = device_close,
	.draw = device_draw,
	.action = device_action,
	.result = device_result,
	.tick = device_tick,
	.info = device_info,
	.targets = device_targets,
	.value_of = device_value_of,
};
