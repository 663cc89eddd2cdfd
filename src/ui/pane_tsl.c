/* pane_tsl.c — a product's thing model (GetThingModelTslPublished, or the draft from
 * GetThingModelTsl when nothing is published): properties, services with their inputs and
 * outputs, and events, with data types, ranges, units and read/write flags.
 * The argument is the ProductKey. */
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/model.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/table.h"
#include "ui/ui.h"

enum { C_KIND, C_ID, C_NAME, C_TYPE, C_SPEC, C_UNIT, C_ACCESS, C_COUNT };

static const struct table_column columns[C_COUNT] = {
	[C_KIND]   = { "Kind", 6, 10, 0, 2 },
	[C_ID]     = { "Identifier", 10, 36, 0, 1 },
	[C_NAME]   = { "Name", 6, 24, 0, 1 },
	[C_TYPE]   = { "Type", 4, 14, 0, 2 },
	[C_SPEC]   = { "Range / values", 14, 60, 0, 4 },
	[C_UNIT]   = { "Unit", 4, 16, 0, 3 },
	[C_ACCESS] = { "Access", 6, 10, 0, 3 },
};

enum { KIND_PUBLISHED = 1, KIND_DRAFT };

struct tsl {
	char *product_key;	/* the product */
	int   state;		/* 0 loading, 1 published, 2 draft, -1 failed */
};

static void
ask(struct pane *p, const char *action, intptr_t kind)
{
	struct tsl *t = p->priv;
	struct params q = PARAMS_INIT;

	params_set(&q, "ProductKey", t->product_key);
	ui_request(p, action, &q, WORKER_INTERACTIVE, kind);
	params_free(&q);
}

static void
tsl_open(struct pane *p)
{
	struct tsl *t = xcalloc(1, sizeof *t);

	t->product_key = xstrdup(p->arg.product_key != NULL ? p->arg.product_key : "");
	p->priv = t;
	p->table = table_new(columns, C_COUNT);
	p->progress = 0;
	ask(p, ACT_GetThingModelTslPublished, KIND_PUBLISHED);
}

static void
tsl_close(struct pane *p)
{
	struct tsl *t = p->priv;

	free(t->product_key);
	free(t);
}

/* "0 .. 100 step 1", "0: off, 1: on", "≤ 2048 bytes", "10 × int", "3 members". */
static void
spec_text(const struct tsl_datatype *dt, struct buf *b)
{
	size_t i;

	switch (dt->type) {
	case TSL_TYPE_INT:
	case TSL_TYPE_FLOAT:
	case TSL_TYPE_DOUBLE:
		if (dt->min || dt->max)
			buf_addf(b, "%s .. %s", fmt_str(dt->min), fmt_str(dt->max));
		if (dt->step)
			buf_addf(b, " step %s", dt->step);
		break;
	case TSL_TYPE_TEXT:
		if (dt->length != MODEL_NONE)
			buf_addf(b, "\xE2\x89\xA4 %lld bytes", (long long)dt->length);	/* ≤ */
		break;
	case TSL_TYPE_DATE:
		buf_adds(b, "UTC ms");
		break;
	case TSL_TYPE_BOOL:
	case TSL_TYPE_ENUM:
		for (i = 0; i < dt->enum_count; i++)
			buf_addf(b, "%s%lld: %s", i ? ", " : "", (long long)dt->enums[i].value,
			    fmt_str(dt->enums[i].name));
		break;
	case TSL_TYPE_ARRAY:
		if (dt->array_size != MODEL_NONE)
			buf_addf(b, "%lld \xC3\x97 %s", (long long)dt->array_size,	/* × */
			    dt->item ? model_tsl_type_name(dt->item->type) : "?");
		break;
	case TSL_TYPE_STRUCT:
		for (i = 0; i < dt->member_count; i++)
			buf_addf(b, "%s%s", i ? ", " : "", fmt_str(dt->members[i].identifier));
		break;
	case TSL_TYPE_UNKNOWN:
		break;
	}
}

static void
add_row(struct pane *p, const char *key, const char *kind, const char *id, const char *name,
    const struct tsl_datatype *dt, const char *access, double now)
{
	struct buf spec = BUF_INIT;
	const char *cells[C_COUNT];

	if (dt != NULL)
		spec_text(dt, &spec);
	cells[C_KIND] = kind;
	cells[C_ID] = fmt_str(id);
	cells[C_NAME] = fmt_str(name);
	cells[C_TYPE] = dt == NULL ? "" : dt->type_name ? dt->type_name :
	    model_tsl_type_name(dt->type);
	cells[C_SPEC] = buf_str(&spec);
	cells[C_UNIT] = dt != NULL ? fmt_str(dt->unit_name ? dt->unit_name : dt->unit) : "";
	cells[C_ACCESS] = fmt_str(access);
	table_set(p->table, key, cells, NULL, now);
	buf_free(&spec);
}

static void
add_params(struct pane *p, const char *parent, const char *dir, const struct tsl_param *v,
    size_t n, double now)
{
	size_t i;
	char *key, *label;

	for (i = 0; i < n; i++) {
		key = xasprintf("%s/%s/%zu", parent, dir, i);
		label = xasprintf("  \xE2\x86\xB3 %s", fmt_str(v[i].identifier));	/* ↳ */
		add_row(p, key, dir, label, v[i].name, &v[i].type, NULL, now);
		free(label);
		free(key);
	}
}

static void
show(struct pane *p, const struct model_tsl *m)
{
	double now = clock_mono_s();
	size_t i;
	char *key;

	for (i = 0; i < m->property_count; i++) {
		const struct tsl_property *pr = &m->properties[i];
		key = xasprintf("p/%s", fmt_str(pr->identifier));
		add_row(p, key, "property", pr->identifier, pr->name, &pr->type,
		    pr->access == TSL_ACCESS_READ_WRITE ? "read-write" :
		    pr->access == TSL_ACCESS_READ ? "read-only" : "", now);
		free(key);
	}
	for (i = 0; i < m->service_count; i++) {
		const struct tsl_service *sv = &m->services[i];
		key = xasprintf("s/%s", fmt_str(sv->identifier));
		add_row(p, key, "service", sv->identifier, sv->name, NULL,
		    sv->call_type == TSL_CALL_SYNC ? "sync" :
		    sv->call_type == TSL_CALL_ASYNC ? "async" : "", now);
		add_params(p, key, "input", sv->inputs, sv->input_count, now);
		add_params(p, key, "output", sv->outputs, sv->output_count, now);
		free(key);
	}
	for (i = 0; i < m->event_count; i++) {
		const struct tsl_event *ev = &m->events[i];
		key = xasprintf("e/%s", fmt_str(ev->identifier));
		add_row(p, key, "event", ev->identifier, ev->name, NULL,
		    ev->type == TSL_EVENT_ALERT ? "alert" : ev->type == TSL_EVENT_ERROR ? "error" :
		    ev->type == TSL_EVENT_INFO ? "info" : "", now);
		add_params(p, key, "output", ev->outputs, ev->output_count, now);
		free(key);
	}
	table_loaded(p->table);
}

static int
tsl_result(struct pane *p, struct worker_result *r)
{
	struct tsl *t = p->priv;
	struct model_tsl m;
	char *cause = NULL;
	intptr_t kind = (intptr_t)r->udata;

	memset(&m, 0, sizeof m);
	if (r->status == API_OK && model_tsl_from_response(r->json, &m, &cause) == 0) {
		table_clear(p->table);
		show(p, &m);
		t->state = kind == KIND_PUBLISHED ? 1 : 2;
		p->progress = -1;
	} else if (kind == KIND_PUBLISHED && r->status != API_ERR_NETWORK &&
	    r->status != API_ERR_TIMEOUT) {
		/* Nothing published (or an empty model): show the draft. */
		ask(p, ACT_GetThingModelTsl, KIND_DRAFT);
	} else {
		t->state = -1;
		p->progress = -1;
		if (r->status != API_OK)
			ui_api_error(p->ui, r->action, r);
		else
			ui_error(p->ui, "%s: %s", r->action, cause ? cause : "no thing model");
	}
	free(cause);
	model_tsl_clear(&m);
	p->dirty = 1;
	return 0;
}

static int
tsl_action(struct pane *p, enum ui_action a)
{
	if (a == UI_A_REFRESH) {
		p->progress = 0;
		ask(p, ACT_GetThingModelTslPublished, KIND_PUBLISHED);
		return 1;
	}
	return a == UI_A_ENTER;
}

static void
tsl_info(struct pane *p, struct buf *out)
{
	struct tsl *t = p->priv;

	buf_addf(out, "thing model of %s: ", t->product_key);
	buf_adds(out, t->state == 0 ? "loading\xE2\x80\xA6" : t->state == 1 ? "published" :
	    t->state == 2 ? "draft (not published)" : "not available");
}

const struct pane_ops pane_thing_model_ops = {
	.kind = UI_P_THING_MODEL,
	.open = tsl_open,
	.close = tsl_close,
	.draw = ui_table_pane_draw,
	.action = tsl_action,
	.result = tsl_result,
	.info = tsl_info,
};
