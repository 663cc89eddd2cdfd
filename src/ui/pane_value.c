/* pane_value.c — a struct or array property's value, a row per member (pane_value.h).
 *
 * The rows are built when the pane is pushed, from the caller's thing model and value,
 * so the pane keeps no pointer into the device pane's model (which a refresh may
 * replace). Each row keeps its member's value as JSON text (for the describe view). */
#include <stdlib.h>
#include <string.h>

#include "api/tslvalue.h"
#include "core/jsonout.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/pane_value.h"
#include "ui/table.h"

enum { C_MEMBER, C_NAME, C_VALUE, C_UNIT, C_TYPE, C_COUNT };

static const struct table_column columns[C_COUNT] = {
	[C_MEMBER] = { "Member", 6, 32, 0, 1 },
	[C_NAME]   = { "Name", 4, 24, 0, 2 },
	[C_VALUE]  = { "Value", 8, 48, TABLE_COL_KEEP, 1 },
	[C_UNIT]   = { "Unit", 4, 12, 0, 1 },	/* part of the value */
	/* tslvalue_describe: "enum 0 尖, 1 峰, 2 平, 3 谷", "int -120..0, step 1, dBm" */
	[C_TYPE]   = { "Type", 8, 60, 0, 2 },
};

/* A value nested deeper than this is shown as its JSON text (the TSL nests two levels;
 * this bounds a value without a model). */
#define DEPTH_MAX 4

struct value_view {
	struct table *table;	/* the rows (the pane's table once open) */
	char         *info;	/* the info line (raw; the status bar makes it safe) */
	uint64_t      seq;	/* rows so far: the order of the value */
};

static void
add_row(struct value_view *v, const char *path, const char *name, const struct tsl_datatype *dt,
    const char *type, const cJSON *val)
{
	const char *cells[C_COUNT];
	char *shown = NULL, *desc = NULL;

	if (val != NULL)
		shown = dt != NULL ? tslvalue_show(dt, val, (int)fmt_time_style()) :
		    cJSON_IsString(val) ? xstrdup(val->valuestring) :
		    jsonout_print(val, JSONOUT_COMPACT);
	if (type == NULL && dt != NULL)
		type = desc = tslvalue_describe(dt);
	cells[C_MEMBER] = path;
	cells[C_NAME] = fmt_str(name);
	cells[C_UNIT] = dt != NULL ? fmt_str(dt->unit) : "";
	cells[C_TYPE] = fmt_str(type);
	/* A member the value lacks: a dash, not an empty string (which is a value). */
	cells[C_VALUE] = shown != NULL ? shown : "\xE2\x80\x94";
	table_order_from(v->table, v->seq++);
	table_set(v->table, path, cells, val != NULL ? jsonout_print(val, JSONOUT_COMPACT) : NULL,
	    0);
	free(shown);
	free(desc);
}

static int
nested(const struct tsl_datatype *dt, const cJSON *val)
{
	if (dt != NULL)
		return (dt->type == TSL_TYPE_STRUCT && cJSON_IsObject(val)) ||
		    (dt->type == TSL_TYPE_ARRAY && cJSON_IsArray(val));
	return cJSON_IsObject(val) || cJSON_IsArray(val);
}

static int
is_member(const struct tsl_datatype *dt, const char *id)
{
	size_t i;

	for (i = 0; i < dt->member_count; i++)
		if (dt->members[i].identifier != NULL && strcmp(dt->members[i].identifier, id) == 0)
			return 1;
	return 0;
}

/* The rows of val's members (or items) under prefix ("" at the top). */
static void
add_members(struct value_view *v, const char *prefix, const struct tsl_datatype *dt,
    const cJSON *val, int depth)
{
	const struct tsl_param *m;
	const struct tsl_datatype *mdt;
	const cJSON *it;
	char *path;
	size_t i;

	if (depth >= DEPTH_MAX)
		return;
	if (dt != NULL && dt->type == TSL_TYPE_STRUCT) {
		/* The members of the model, in its order, whether the value has them or not. */
		for (i = 0; i < dt->member_count; i++) {
			m = &dt->members[i];
			if (m->identifier == NULL)
				continue;
			it = cJSON_IsObject(val) ? cJSON_GetObjectItemCaseSensitive(val,
			    m->identifier) : NULL;
			path = xasprintf("%s%s%s", prefix, *prefix ? "." : "", m->identifier);
			add_row(v, path, m->name, &m->type, NULL, it);
			if (it != NULL && nested(&m->type, it))
				add_members(v, path, &m->type, it, depth + 1);
			free(path);
		}
		/* Then what the value has that the model does not. */
		if (!cJSON_IsObject(val))
			return;
		cJSON_ArrayForEach(it, val) {
			if (it->string == NULL || is_member(dt, it->string))
				continue;
			path = xasprintf("%s%s%s", prefix, *prefix ? "." : "", it->string);
			add_row(v, path, NULL, NULL, "(not in the thing model)", it);
			free(path);
		}
		return;
	}
	if (cJSON_IsArray(val) && (dt == NULL || dt->type == TSL_TYPE_ARRAY)) {
		mdt = dt != NULL ? dt->item : NULL;
		i = 0;
		cJSON_ArrayForEach(it, val) {
			path = xasprintf("%s[%zu]", prefix, i++);
			add_row(v, path, NULL, mdt, dt != NULL && mdt == NULL ? "" : NULL, it);
			if (nested(mdt, it))
				add_members(v, path, mdt, it, depth + 1);
			free(path);
		}
		return;
	}
	if (dt == NULL && cJSON_IsObject(val)) {
		cJSON_ArrayForEach(it, val) {
			if (it->string == NULL)
				continue;
			path = xasprintf("%s%s%s", prefix, *prefix ? "." : "", it->string);
			add_row(v, path, NULL, NULL, NULL, it);
			if (nested(NULL, it))
				add_members(v, path, NULL, it, depth + 1);
			free(path);
		}
	}
}

static void
value_open(struct pane *p)
{
	struct value_view *v = p->priv;

	p->table = v->table;
	v->table = NULL;
	table_loaded(p->table);
}

static void
value_close(struct pane *p)
{
	struct value_view *v = p->priv;

	free(v->info);
	free(v);
}

static int
value_action(struct pane *p, enum ui_action a)
{
	(void)p;
	/* Nothing to open below a member: its members are rows already. */
	return a == UI_A_ENTER;
}

static void
value_info(struct pane *p, struct buf *out)
{
	struct value_view *v = p->priv;

	buf_adds(out, v->info);
}

const struct pane_ops pane_value_ops = {
	.kind = UI_P_DEVICE,	/* the device's keys: the pane is a view of the device */
	.open = value_open,
	.close = value_close,
	.draw = ui_table_pane_draw,
	.action = value_action,
	.info = value_info,
};

void
pane_value_push(struct ui *ui, const char *identifier, const char *name,
    const struct tsl_datatype *dt, const char *value, int64_t time_ms)
{
	struct value_view *v = xcalloc(1, sizeof *v);
	cJSON *val = value != NULL ? cJSON_Parse(value) : NULL;
	struct buf info = BUF_INIT;
	char when[FMT_TIME_MAX];

	/* Numbers as the device sent them (0.10 stays 0.10). */
	if (val != NULL)
		jsonout_keep_number_text(val, value, strlen(value));
	v->table = table_new(columns, C_COUNT);
	table_own_data(v->table, free);
	add_members(v, "", dt, val, 0);
	buf_addf(&info, "%s%s%s: ", identifier, name != NULL ? " " : "", fmt_str(name));
	if (dt != NULL)
		buf_adds(&info, model_tsl_type_name(dt->type));
	if (value == NULL)
		buf_adds(&info, dt != NULL ? ", never reported" : "never reported");
	else if (val == NULL || (!cJSON_IsObject(val) && !cJSON_IsArray(val)))
		buf_adds(&info, dt != NULL ? ", the value is not JSON" : "the value is not JSON");
	else {
		buf_addf(&info, "%s%zu row%s", dt != NULL ? ", " : "", table_count(v->table),
		    table_count(v->table) == 1 ? "" : "s");
		if (time_ms != MODEL_NONE)
			buf_addf(&info, ", reported %s", fmt_time_ms(time_ms, when, sizeof when));
	}
	v->info = buf_detach(&info);
	cJSON_Delete(val);
	ui_open_with(ui, UI_V_VALUE, &(struct pane_arg){ .label = identifier }, v);
}
