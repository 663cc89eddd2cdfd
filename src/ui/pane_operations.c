/* pane_operations.c — the writes of the session (uiops.h): the operations pane lists every
 * operation with live counts (succeeded, failed, outcome unknown, not sent); Enter opens
 * one onto its devices: outcome, code, message or a service's decoded output, RequestId.
 * r re-runs an operation for its failed and unsent devices, x cancels what it has not
 * sent. The panes read the operations (owned by uiops.c) and keep only their ids: an
 * operation outlives any pane that shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/safetext.h"
#include "core/clock.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/uiops.h"

/* How often a pane looks at running operations. */
#define TICK 0.25

/* A time of an operation (epoch ms, 0: not yet) in the console's time format. */
static const char *
when(int64_t ms, char *out, size_t len)
{
	return ms > 0 ? fmt_time_ms(ms, out, len) : "";
}

/* ---- the list of operations ----------------------------------------------------- */

enum { L_STARTED, L_LABEL, L_STATE, L_TOTAL, L_OK, L_FAILED, L_UNKNOWN, L_NOT_SENT, L_ACTION,
	L_ID, L_COUNT };

static const struct table_column list_columns[L_COUNT] = {
	[L_STARTED]  = { "Started", FMT_TIME_COLS, FMT_TIME_COLS, TABLE_COL_KEEP, 3 },
	[L_LABEL]    = { "Operation", 12, 40, 0, 1 },
	[L_STATE]    = { "State", 7, 10, TABLE_COL_KEEP, 1 },
	[L_TOTAL]    = { "Devices", 7, 8, TABLE_COL_NUMERIC | TABLE_COL_RIGHT | TABLE_COL_KEEP, 1 },
	[L_OK]       = { "OK", 4, 8, TABLE_COL_NUMERIC | TABLE_COL_RIGHT | TABLE_COL_KEEP, 1 },
	[L_FAILED]   = { "Failed", 6, 8, TABLE_COL_NUMERIC | TABLE_COL_RIGHT | TABLE_COL_KEEP, 1 },
	[L_UNKNOWN]  = { "Unknown", 7, 8, TABLE_COL_NUMERIC | TABLE_COL_RIGHT | TABLE_COL_KEEP, 2 },
	[L_NOT_SENT] = { "NotSent", 7, 8, TABLE_COL_NUMERIC | TABLE_COL_RIGHT | TABLE_COL_KEEP, 2 },
	[L_ACTION]   = { "Action", 10, 28, 0, 4 },
	[L_ID]       = { "Id", 10, 32, 0, 6 },
};

struct oplist {
	uint64_t generation;	/* of uiops when the rows were last set */
	size_t   shown;		/* operations listed */
};

/* The state of an operation as the list says it: running shows what is left. */
static void
state_text(const struct op *op, const struct op_counts *c, char *out, size_t len)
{
	if (op_state(op) == OP_DONE)
		snprintf(out, len, "done");
	else
		snprintf(out, len, "%s %zu%%", op_state_name(op_state(op)),
		    c->total ? (c->total - c->n[OP_T_PENDING] - c->n[OP_T_SENT]) * 100 / c->total : 0);
}

static void
list_fill(struct pane *p)
{
	struct oplist *l = p->priv;
	struct ui *ui = p->ui;
	size_t i, n = uiops_count(ui);
	struct op_counts c;
	char num[L_COUNT][24], started[FMT_TIME_MAX], state[32];
	const char *cells[L_COUNT];
	double now = clock_mono_s();
	struct op *op;

	l->generation = uiops_generation(ui);
	for (i = 0; i < n; i++) {
		op = uiops_get(ui, i);
		op_counts(op, &c);
		state_text(op, &c, state, sizeof state);
		snprintf(num[L_TOTAL], sizeof num[0], "%zu", c.total);
		snprintf(num[L_OK], sizeof num[0], "%zu", c.n[OP_T_OK]);
		snprintf(num[L_FAILED], sizeof num[0], "%zu", c.n[OP_T_FAILED]);
		snprintf(num[L_UNKNOWN], sizeof num[0], "%zu", c.n[OP_T_UNKNOWN]);
		snprintf(num[L_NOT_SENT], sizeof num[0], "%zu", c.n[OP_T_NOT_SENT]);
		cells[L_STARTED] = when(op_started_ms(op), started, sizeof started);
		cells[L_LABEL] = op_label(op);
		cells[L_STATE] = state;
		cells[L_TOTAL] = num[L_TOTAL];
		cells[L_OK] = num[L_OK];
		cells[L_FAILED] = num[L_FAILED];
		cells[L_UNKNOWN] = num[L_UNKNOWN];
		cells[L_NOT_SENT] = num[L_NOT_SENT];
		cells[L_ACTION] = op_action(op);
		cells[L_ID] = op_id(op);
		table_set(p->table, op_id(op), cells, NULL, now);
	}
	if (n != l->shown) {
		/* Newest first, the first time; the operator's sort after. */
		if (l->shown == 0 && table_sort_col(p->table) < 0) {
			table_sort(p->table, -1, 1);
			table_move_to(p->table, 0);	/* on the newest */
		}
		l->shown = n;
	}
	table_loaded(p->table);
	p->dirty = 1;
}

static void
list_open(struct pane *p)
{
	p->priv = xcalloc(1, sizeof(struct oplist));
	p->table = table_new(list_columns, L_COUNT);
	list_fill(p);
}

static void
list_close(struct pane *p)
{
	free(p->priv);
	table_free(p->table);
	p->table = NULL;
}

static void
list_draw(struct pane *p, WINDOW *w, int full)
{
	struct oplist *l = p->priv;

	if (l->generation != uiops_generation(p->ui))
		list_fill(p);
	if (table_count(p->table) == 0) {
		werase(w);
		mvwaddstr(w, 1, 2, "No operations yet in this session.");
		mvwaddstr(w, 3, 2, "Mark devices with Space (or stay on one), then a for the "
		    "operations menu,");
		mvwaddstr(w, 4, 2, "or type :set ID=VALUE, :invoke SERVICE, :enable, :delete ...");
		return;
	}
	ui_table_pane_draw(p, w, full);
}

static struct op *
list_current(struct pane *p)
{
	struct table_row *r = table_cursor_row(p->table);

	return r != NULL ? uiops_find(p->ui, r->key) : NULL;
}

/* What both panes do to the operation they point at: 1 when a was that. */
static int
operation_action(struct pane *p, struct op *op, enum ui_action a)
{
	switch (a) {
	case UI_A_RETRY:
		if (op != NULL)
			uiops_retry(p->ui, op);
		return 1;
	case UI_A_CANCEL_OPERATION:
		if (op != NULL)
			uiops_cancel(p->ui, op);
		return 1;
	default:
		return 0;
	}
}

static int
list_action(struct pane *p, enum ui_action a)
{
	struct op *op = list_current(p);

	switch (a) {
	case UI_A_ENTER:
		if (op != NULL)
			ui_push(p->ui, &pane_operation_ops, op_label(op), xstrdup(op_id(op)));
		return 1;
	case UI_A_REFRESH:
		list_fill(p);
		return 1;
	default:
		return operation_action(p, op, a);
	}
}

static int
list_result(struct pane *p, struct worker_result *r)
{
	(void)p;
	(void)r;
	return 0;
}

static double
list_tick(struct pane *p, double now)
{
	struct oplist *l = p->priv;

	(void)now;
	if (l->generation != uiops_generation(p->ui))
		p->dirty = 1;
	return uiops_in_flight(p->ui) + uiops_unsent(p->ui) > 0 ? TICK : 1.0;
}

static void
list_info(struct pane *p, struct buf *out)
{
	size_t n = uiops_count(p->ui), wire = uiops_in_flight(p->ui),
	    unsent = uiops_unsent(p->ui);

	buf_addf(out, "%zu operation%s", n, n == 1 ? "" : "s");
	if (wire + unsent > 0)
		buf_addf(out, ", writing: %zu on the wire, %zu to send (x cancels)", wire, unsent);
	else if (n > 0)
		buf_adds(out, "  (Enter: its devices; r: retry the failed)");
}

const struct pane_ops pane_operations_ops = {
	.kind = UI_P_OPERATIONS,
	.open = list_open,
	.close = list_close,
	.draw = list_draw,
	.action = list_action,
	.result = list_result,
	.tick = list_tick,
	.info = list_info,
};

/* ---- one operation's devices --------------------------------------------------------- */

enum { D_DEVICE, D_OUTCOME, D_DETAIL, D_CODE, D_REQUEST, D_DONE, D_COUNT };

static const struct table_column dev_columns[D_COUNT] = {
	[D_DEVICE]  = { "Device", 12, 48, 0, 1 },
	[D_OUTCOME] = { "Outcome", 8, 8, TABLE_COL_KEEP, 1 },
	[D_DETAIL]  = { "Detail", 12, 80, 0, 2 },
	[D_CODE]    = { "Code", 8, 40, 0, 3 },
	[D_REQUEST] = { "RequestId", 12, 40, 0, 5 },
	[D_DONE]    = { "Done", FMT_TIME_COLS, FMT_TIME_COLS, 0, 4 },
};

struct opview {
	char          *id;		/* the operation's id */
	uint64_t       generation;	/* of uiops when the rows were last set */
	unsigned char *seen;		/* each target's state when its row was set (+1) */
	size_t         nseen;
};

static struct op *
view_op(struct pane *p)
{
	struct opview *v = p->priv;

	return uiops_find(p->ui, v->id);
}

static void
view_fill(struct pane *p)
{
	struct opview *v = p->priv;
	struct op *op = view_op(p);
	const struct op_target *t;
	const char *cells[D_COUNT];
	char key[32], done[FMT_TIME_MAX];
	struct buf detail = BUF_INIT;
	double now = clock_mono_s();
	size_t i, n;

	v->generation = uiops_generation(p->ui);
	if (op == NULL)
		return;
	n = op_target_count(op);
	if (v->nseen < n) {
		v->seen = xreallocarray(v->seen, n, 1);
		memset(v->seen + v->nseen, 0, n - v->nseen);
		v->nseen = n;
	}
	for (i = 0; i < n; i++) {
		t = op_target(op, i);
		if (v->seen[i] == (unsigned char)(t->state + 1))
			continue;	/* its row says this already */
		v->seen[i] = (unsigned char)(t->state + 1);
		buf_reset(&detail);
		uiops_target_detail(p->ui, op, t, &detail);
		cells[D_DEVICE] = op_target_name(t);
		cells[D_OUTCOME] = op_tstate_name(t->state);
		cells[D_DETAIL] = buf_str(&detail);
		cells[D_CODE] = t->code != NULL ? t->code : "";
		cells[D_REQUEST] = t->request_id != NULL ? t->request_id : "";
		cells[D_DONE] = when(t->done_ms, done, sizeof done);
		snprintf(key, sizeof key, "%012zu", i);
		table_set(p->table, key, cells, NULL, now);
	}
	table_loaded(p->table);
	buf_free(&detail);
	p->dirty = 1;
}

static void
view_open(struct pane *p)
{
	struct opview *v = xcalloc(1, sizeof *v);

	v->id = p->priv;	/* the operation's id, taken over */
	p->priv = v;
	p->table = table_new(dev_columns, D_COUNT);
	view_fill(p);
	if (view_op(p) == NULL)
		p->gone = xstrdup("That operation is not in this session any more. Esc goes back.");
}

static void
view_close(struct pane *p)
{
	struct opview *v = p->priv;

	free(v->id);
	free(v->seen);
	free(v);
	table_free(p->table);
	p->table = NULL;
}

static void
view_draw(struct pane *p, WINDOW *w, int full)
{
	struct opview *v = p->priv;

	if (v->generation != uiops_generation(p->ui))
		view_fill(p);
	ui_table_pane_draw(p, w, full);
}

static int
view_action(struct pane *p, enum ui_action a)
{
	switch (a) {
	case UI_A_REFRESH:
		view_fill(p);
		return 1;
	case UI_A_ENTER:
		return 1;
	default:
		return operation_action(p, view_op(p), a);
	}
}

static double
view_tick(struct pane *p, double now)
{
	struct opview *v = p->priv;
	struct op *op = view_op(p);

	(void)now;
	if (v->generation != uiops_generation(p->ui))
		p->dirty = 1;
	return op != NULL && op_state(op) != OP_DONE ? TICK : 1.0;
}

static void
view_info(struct pane *p, struct buf *out)
{
	struct op *op = view_op(p);
	struct op_counts c;
	char *label;

	if (op == NULL)
		return;
	op_counts(op, &c);
	/* (What it is, the breadcrumb says.) */
	label = safetext_dup(op_action(op), strlen(op_action(op)));
	buf_addf(out, "%s: %zu ok, %zu failed, %zu unknown, %zu not sent of %zu", label,
	    c.n[OP_T_OK], c.n[OP_T_FAILED], c.n[OP_T_UNKNOWN], c.n[OP_T_NOT_SENT], c.total);
	if (op_state(op) != OP_DONE)
		buf_addf(out, ", %zu sent, %zu to send", c.n[OP_T_SENT], c.n[OP_T_PENDING]);
	else
		buf_addf(out, ", done in %.1f s", (double)(op_finished_ms(op) -
		    op_started_ms(op)) / 1000.0);
	free(label);
}

const struct pane_ops pane_operation_ops = {
	.kind = UI_P_OPERATION,
	.open = view_open,
	.close = view_close,
	.draw = view_draw,
	.action = view_action,
	.result = list_result,
	.tick = view_tick,
	.info = view_info,
};
