/* uiops.c — the console's operations (uiops.h): the operations of the session, the
 * thing models they are checked against (asked once a session per product), the audit log
 * (opened at the first write), the results as they come, retrying and cancelling. How a
 * command becomes an operation is plan.c's.
 */
#include "ui/uiops.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/model.h"
#include "api/tslvalue.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/config.h"
#include "ui/form.h"
#include "ui/fwops.h"
#include "ui/otaops.h"
#include "ui/table.h"
#include "ui/uiops_impl.h"

/* ---- thing models ---------------------------------------------------------------- */

struct tslc *
uiops_tsl_entry(struct uiops *u, const char *pk)
{
	size_t i;

	for (i = 0; i < u->ntsl; i++)
		if (strcmp(u->tsl[i].pk, pk) == 0)
			return &u->tsl[i];
	return NULL;
}

/* The thing model of pk: asks for it when it was never asked (or failed before). */
struct tslc *
uiops_tsl_get(struct ui *ui, const char *pk)
{
	struct uiops *u = U(ui);
	struct tslc *e = uiops_tsl_entry(u, pk);
	struct params q = PARAMS_INIT;

	if (e != NULL && e->state >= 0)
		return e;
	if (ui->worker == NULL)
		return e;
	if (e == NULL) {
		u->tsl = xreallocarray(u->tsl, u->ntsl + 1, sizeof *u->tsl);
		e = &u->tsl[u->ntsl++];
		memset(e, 0, sizeof *e);
		e->pk = xstrdup(pk);
	}
	e->state = 0;
	xstrset(&e->error, NULL);
	params_set(&q, "ProductKey", pk);
	uiops_read(ui, ACT_GetThingModelTslPublished, &q, NULL);
	params_free(&q);
	return e;
}

void
uiops_read(struct ui *ui, const char *action, const struct params *params, void *udata)
{
	struct worker_call c;

	memset(&c, 0, sizeof c);
	c.action = action;
	c.params = params;
	c.prio = WORKER_INTERACTIVE;
	c.tag = UIOPS_TAG;
	c.udata = udata;
	worker_submit(ui->worker, &c);
}

static void
tsl_answer(struct ui *ui, struct worker_result *r)
{
	struct uiops *u = U(ui);
	const char *pk = NULL;
	struct tslc *e;
	char *cause = NULL;
	size_t i;

	/* Which product: the one asked for and not answered whose key the answer names, else
	 * the first still asked for (answers come in order of asking per action). */
	for (i = 0; i < u->ntsl && pk == NULL; i++)
		if (u->tsl[i].state == 0)
			pk = u->tsl[i].pk;
	if (r->json != NULL) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(r->json, "Data");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(d, "ProductKey");
		if (cJSON_IsString(k) && uiops_tsl_entry(u, k->valuestring) != NULL)
			pk = k->valuestring;
	}
	if (pk == NULL || (e = uiops_tsl_entry(u, pk)) == NULL)
		return;
	if (r->status != API_OK) {
		e->state = -1;
		e->error = xasprintf("%s: %s", r->err.code != NULL ? r->err.code : "error",
		    r->err.message != NULL ? r->err.message : "no thing model");
	} else if (model_tsl_from_response(r->json, &e->tsl, &cause) != 0) {
		model_tsl_clear(&e->tsl);
		e->state = -1;
		e->error = safetext_dup(cause, strlen(cause));
		free(cause);
	} else
		e->state = 1;
}

const struct model_tsl *
uiops_tsl_of(struct ui *ui, const char *pk)
{
	struct tslc *e = uiops_tsl_entry(U(ui), pk);

	return e != NULL && e->state == 1 ? &e->tsl : NULL;
}

/* The thing models of the plan's products: 1 all here, 0 still coming (asked), -1 one
 * failed (reported). */
/* ---- the audit log --------------------------------------------------------------- */

/* Opens the audit log at the first write. Returns 0 (the log, or none when it is off), or
 * -1 with the reason shown: a write that cannot be logged is not sent. */
int
uiops_audit_ready(struct ui *ui)
{
	struct uiops *u = U(ui);
	const char *path = ui->opts->audit_log;
	char *cause = NULL;

	if (u->audit != NULL)
		return 0;
	if (path == NULL)
		path = config_settings(ui->conf)->audit_log;	/* NULL: the default */
	if (path != NULL && (strcmp(path, "off") == 0 || *path == '\0'))
		return 0;
	u->audit = audit_open(path, &cause);
	if (u->audit == NULL) {
		ui_error(ui, "the audit log: %s; nothing was sent (set audit-log FILE in the config "
		    "puts it elsewhere)", cause);
		free(cause);
		return -1;
	}
	return 0;
}

int
uiops_may_write(struct ui *ui, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (ui_readonly(ui)) {
		va_start(ap, fmt);
		buf_vaddf(&b, fmt, ap);
		va_end(ap);
		ui_error(ui, "read-only session: %s is refused (nothing was sent)", buf_str(&b));
		buf_free(&b);
		return -1;
	}
	return uiops_audit_ready(ui);
}

/* ---- results --------------------------------------------------------------------- */

struct uiop *
uiops_uiop_of(struct uiops *u, const struct op *op)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->ops[i].op == op)
			return &u->ops[i];
	return NULL;
}

/* What an invocation's answer says, decoded against the service's outputs: "Result=1
 * 成功, Duration=30 s", or the MessageId of an asynchronous call. Display-safe. */
static void
answer_text(struct ui *ui, const struct uiop *uo, const struct op_target *t, struct buf *b)
{
	const struct model_tsl *m = uo->pk != NULL ? uiops_tsl_of(ui, uo->pk) : NULL;
	const struct tsl_service *svc = m != NULL && uo->service != NULL ?
	    tslvalue_service(m, uo->service) : NULL;
	const cJSON *data, *v;
	char *text;
	size_t i;
	int first = 1;

	data = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t->answer,
	    "Result"), "data");
	if (svc != NULL && cJSON_IsObject(data)) {
		for (i = 0; i < svc->output_count; i++) {
			v = cJSON_GetObjectItemCaseSensitive(data, svc->outputs[i].identifier);
			if (v == NULL)
				continue;
			text = tslvalue_show(&svc->outputs[i].type, v,
			    config_settings(ui->conf)->time_format);
			if (!first)
				buf_adds(b, ", ");
			first = 0;
			safetext_append(b, svc->outputs[i].identifier,
			    strlen(svc->outputs[i].identifier));
			buf_addc(b, '=');
			safetext_append(b, text, strlen(text));
			if (svc->outputs[i].type.unit != NULL) {
				buf_addc(b, ' ');
				safetext_append(b, svc->outputs[i].type.unit,
				    strlen(svc->outputs[i].type.unit));
			}
			free(text);
		}
		if (!first)
			return;
	}
	/* Not decoded (no outputs known, or none came): the JSON, or the MessageId. */
	op_answer_text(t->answer, OP_TEXT_DATA, b);
}

void
uiops_target_detail(struct ui *ui, const struct op *op, const struct op_target *t,
    struct buf *b)
{
	struct uiop *uo = uiops_uiop_of(U(ui), op);

	if (t->state != OP_T_OK)
		op_target_text(t, 0, b);
	else if (uo != NULL)
		answer_text(ui, uo, t, b);
}

/* An operation ended: say how it went on the status bar. */
static void
announce(struct ui *ui, struct uiop *uo)
{
	struct op_counts c;
	const struct op_target *t;
	struct buf b = BUF_INIT;
	char *label = safetext_dup(op_label(uo->op), strlen(op_label(uo->op)));
	struct api_error err;

	uo->reported = 1;
	op_counts(uo->op, &c);
	if (c.total == 1) {
		t = op_target(uo->op, 0);
		if (t->state == OP_T_OK) {
			/* Short: the output is what matters (it may be long: :ops has it). */
			answer_text(ui, uo, t, &b);
			ui_message(ui, "%s %s%s%s: ok%s%s", t->device_name != NULL ?
			    t->device_name : op_target_name(t), op_action(uo->op),
			    uo->service != NULL ? " " : "", uo->service != NULL ? uo->service : "",
			    b.len ? ": " : "", buf_str(&b));
		} else {
			memset(&err, 0, sizeof err);
			err.code = t->code;
			err.message = t->message;
			err.request_id = t->request_id;
			err.http_status = t->http_status;
			err.outcome_unknown = t->state == OP_T_UNKNOWN;
			ui_report(ui, label, op_action(uo->op), &err);
		}
	} else if (c.n[OP_T_FAILED] + c.n[OP_T_UNKNOWN] + c.n[OP_T_NOT_SENT] == 0)
		ui_message(ui, "%s: all %zu devices ok", label, c.total);
	else
		ui_error(ui, "%s: %zu ok, %zu failed, %zu unknown, %zu not sent (:ops shows each)",
		    label, c.n[OP_T_OK], c.n[OP_T_FAILED], c.n[OP_T_UNKNOWN], c.n[OP_T_NOT_SENT]);
	if (op_audit_error(uo->op) != NULL)
		ui_error(ui, "%s: %s", label, op_audit_error(uo->op));
	if (uo->refresh && c.n[OP_T_OK] > 0) {
		/* Nicknames, states, groups changed: the list on screen shows them. */
		struct pane *top = ui_top(ui);
		if (top != NULL && top->gone == NULL && top->ops->action != NULL)
			top->ops->action(top, UI_A_REFRESH);
	}
	buf_free(&b);
	free(label);
}

static void
on_target(void *arg, struct op *op, size_t i)
{
	struct ui *ui = arg;

	(void)op;
	(void)i;
	U(ui)->generation++;
}

/* Announces operations that ended and were not announced. */
void
uiops_announce_ended(struct ui *ui)
{
	struct uiops *u = U(ui);
	size_t i;

	for (i = 0; i < u->n; i++)
		if (!u->ops[i].reported && op_state(u->ops[i].op) == OP_DONE)
			announce(ui, &u->ops[i]);
}

/* ---- routing --------------------------------------------------------------------- */

int
uiops_result(struct ui *ui, struct worker_result *r)
{
	struct uiops *u;
	size_t i;

	if (op_is_tag(r->tag)) {
		u = U(ui);
		for (i = 0; i < u->n; i++)
			if (op_feed(u->ops[i].op, r)) {
				u->generation++;
				uiops_announce_ended(ui);
				return 1;
			}
		worker_result_free(r);	/* an operation freed before its answer came */
		return 1;
	}
	if (r->tag != UIOPS_TAG)
		return 0;
	u = U(ui);
	if (strcmp(r->action, ACT_GetThingModelTslPublished) == 0) {
		tsl_answer(ui, r);
		if (u->complete_wait && ui->mode == MODE_PROMPT && ui->prompt.kind == ':') {
			u->complete_wait = 0;
			prompt_complete(ui);	/* the Tab that came too early */
			ui->full = 1;
		}
		plan_tsl_arrived(ui);
	} else if (strcmp(r->action, ACT_ListOTATaskByJob) == 0)
		otaops_answer(ui, r);
	else if (strcmp(r->action, ACT_QueryDeviceDesiredProperty) == 0)
		plan_versions_answer(ui, r);
	else if (strcmp(r->action, ACT_QueryOTAFirmware) == 0 ||
	    strcmp(r->action, ACT_QueryProduct) == 0 ||
	    strcmp(r->action, ACT_QueryDeviceGroupInfo) == 0)
		fwops_answer(ui, r);	/* the firmware pane's writes (fwops.c) */
	worker_result_free(r);
	return 1;
}

/* ---- starting --------------------------------------------------------------------- */

static void
uiop_add(struct ui *ui, struct op *op, const char *pk, const char *service, int refresh)
{
	struct uiops *u = U(ui);
	struct uiop *uo;

	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 8;
		u->ops = xreallocarray(u->ops, u->cap, sizeof *u->ops);
	}
	uo = &u->ops[u->n++];
	memset(uo, 0, sizeof *uo);
	uo->op = op;
	uo->pk = pk != NULL ? xstrdup(pk) : NULL;
	uo->service = service != NULL ? xstrdup(service) : NULL;
	uo->refresh = refresh;
	u->generation++;
}

void
uiops_op_options(struct ui *ui, struct op_opts *oo, const char *label, const char *prefix)
{
	op_opts_init(oo);
	oo->audit = U(ui)->audit;
	oo->on_target = on_target;
	oo->arg = ui;
	oo->label = label;
	oo->device_prefix = prefix;
}

/* Starts a started-to-be operation: the worker must be there, the audit log open. */
int
uiops_start(struct ui *ui, struct op *op, const char *pk, const char *service, int refresh)
{
	if (ui->worker == NULL) {
		ui_error(ui, "not connected: nothing was sent");
		op_free(op);
		return -1;
	}
	uiop_add(ui, op, pk, service, refresh);
	op_start(op, ui->worker);
	if (op_state(op) == OP_DONE)
		uiops_announce_ended(ui);
	return 0;
}

/* Yes: the plan becomes an operation. */
/* ---- the operations ------------------------------------------------------------- */

size_t
uiops_count(struct ui *ui)
{
	return U(ui)->n;
}

struct op *
uiops_get(struct ui *ui, size_t i)
{
	struct uiops *u = U(ui);

	return i < u->n ? u->ops[i].op : NULL;
}

struct op *
uiops_find(struct ui *ui, const char *id)
{
	struct uiops *u = U(ui);
	size_t i;

	for (i = 0; i < u->n; i++)
		if (strcmp(op_id(u->ops[i].op), id) == 0)
			return u->ops[i].op;
	return NULL;
}

uint64_t
uiops_generation(struct ui *ui)
{
	return U(ui)->generation;
}

struct retry {
	struct ui *ui;
	char      *id;		/* the operation retried */
	unsigned   which;	/* OP_RETRY_* */
};

static void
retry_free(void *arg)
{
	struct retry *r = arg;

	if (r != NULL)
		free(r->id);
	free(r);
}

static void
retry_run(struct pane *p, void *arg)
{
	struct retry *rt = arg;
	struct ui *ui = rt->ui;
	struct op *old = uiops_find(ui, rt->id), *op;
	struct uiop *uo;

	(void)p;
	if (old == NULL)
		return;
	if (uiops_may_write(ui, "the retry") != 0)
		return;
	op = op_retry(old, rt->which);
	if (op == NULL) {
		ui_message(ui, "nothing to retry");
		return;
	}
	uo = uiops_uiop_of(U(ui), old);
	if (uo != NULL)
		uo->retried |= rt->which;
	uo = uiops_uiop_of(U(ui), old);	/* (uiops_start may move the list) */
	uiops_start(ui, op, uo != NULL ? uo->pk : NULL, uo != NULL ? uo->service : NULL,
	    uo != NULL && uo->refresh);
	ui_message(ui, "retrying %zu device%s (a new operation, in :ops)", op_target_count(op),
	    op_target_count(op) == 1 ? "" : "s");
}

/* The second question, typed: the devices whose outcome is unknown. */
static void
retry_unknown(struct pane *p, void *arg)
{
	struct retry *rt = arg, *r2;
	struct ui *ui = rt->ui;
	struct op *op = uiops_find(ui, rt->id);
	struct op_counts c;
	char *q;

	(void)p;
	if (op == NULL)
		return;
	op_counts(op, &c);
	r2 = xcalloc(1, sizeof *r2);
	r2->ui = ui;
	r2->id = xstrdup(rt->id);
	r2->which = OP_RETRY_UNKNOWN;
	q = xasprintf("%zu device%s got the write and no answer came: it may have been carried "
	    "out, and would then get it twice. Check them (:ops, Enter) first. Send it to them "
	    "again?", c.n[OP_T_UNKNOWN], c.n[OP_T_UNKNOWN] == 1 ? "" : "s");
	ui_confirm_typed(ui, NULL, q, "unknown", retry_run, r2, retry_free);
	free(q);
}

void
uiops_retry(struct ui *ui, struct op *op)
{
	struct op_counts c;
	struct retry *rt;
	struct uiop *uo;
	struct buf q = BUF_INIT;
	size_t n, unknown;
	unsigned done;
	char num[32];
	char *label;

	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: the retry is refused");
		return;
	}
	if (op_state(op) != OP_DONE) {
		ui_message(ui, "the operation is still running: retry when it is done");
		return;
	}
	op_counts(op, &c);
	uo = uiops_uiop_of(U(ui), op);
	done = uo != NULL ? uo->retried : 0;
	/* Each kind once from here: the failed and unsent first, then (a second r, a second
	 * question) the unknown. */
	n = done & OP_RETRY_FAILED ? 0 : c.n[OP_T_FAILED] + c.n[OP_T_NOT_SENT];
	unknown = done & OP_RETRY_UNKNOWN ? 0 : c.n[OP_T_UNKNOWN];
	rt = xcalloc(1, sizeof *rt);
	rt->ui = ui;
	rt->id = xstrdup(op_id(op));
	rt->which = OP_RETRY_FAILED | OP_RETRY_NOT_SENT;
	label = safetext_dup(op_label(op), strlen(op_label(op)));
	if (n == 0 && unknown == 0) {
		ui_message(ui, done != 0 ? "nothing left to retry here (the retries are in :ops)" :
		    "nothing to retry: every device succeeded");
		retry_free(rt);
	} else if (n == 0) {
		retry_unknown(NULL, rt);
		retry_free(rt);
	} else {
		buf_addf(&q, "Retry %s (%s) on the %zu device%s that failed or were not sent?",
		    label, op_action(op), n, n == 1 ? "" : "s");
		if (unknown > 0)
			buf_addf(&q, " (%zu with an unknown outcome are left out: r again asks "
			    "about them.)", unknown);
		snprintf(num, sizeof num, "%zu", n);
		if (n > CONFIRM_Y_MAX)
			ui_confirm_typed(ui, NULL, buf_str(&q), num, retry_run, rt, retry_free);
		else
			ui_confirm(ui, NULL, buf_str(&q), retry_run, rt, retry_free);
	}
	free(label);
	buf_free(&q);
}

void
uiops_cancel(struct ui *ui, struct op *op)
{
	struct op_counts before, after;

	op_counts(op, &before);
	op_cancel(op);
	op_counts(op, &after);
	U(ui)->generation++;
	ui_message(ui, "cancelled: %zu not sent; %zu on the wire finish",
	    after.n[OP_T_NOT_SENT] - before.n[OP_T_NOT_SENT], after.n[OP_T_SENT]);
	uiops_announce_ended(ui);
}

/* Targets in state st, over every operation. */
static size_t
count_in(struct ui *ui, enum op_tstate st)
{
	struct uiops *u = ui->uiops;
	struct op_counts c;
	size_t i, n = 0;

	for (i = 0; u != NULL && i < u->n; i++) {
		op_counts(u->ops[i].op, &c);
		n += c.n[st];
	}
	return n;
}

size_t
uiops_in_flight(struct ui *ui)
{
	return count_in(ui, OP_T_SENT);
}

size_t
uiops_unsent(struct ui *ui)
{
	return count_in(ui, OP_T_PENDING);
}

int
uiops_cancel_all(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	size_t i;
	int n = 0;

	for (i = 0; u != NULL && i < u->n; i++)
		if (op_state(u->ops[i].op) == OP_RUNNING) {
			op_cancel(u->ops[i].op);
			n++;
		}
	if (n > 0) {
		u->generation++;
		ui_message(ui, "cancelled what was not sent yet (%d operation%s; :ops)", n,
		    n == 1 ? "" : "s");
		uiops_announce_ended(ui);
	}
	return n;
}

void
uiops_stop(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	struct worker_result *r, *next;
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++)
		op_cancel(u->ops[i].op);
	/* What did come is not lost. */
	if (ui->worker != NULL)
		for (r = worker_take(ui->worker); r != NULL; r = next) {
			next = r->next;
			r->next = NULL;
			if (!uiops_result(ui, r))
				worker_result_free(r);
		}
	for (i = 0; i < u->n; i++)
		if (op_state(u->ops[i].op) != OP_DONE)
			op_abandon(u->ops[i].op);
	plan_free(u->waiting);
	u->waiting = NULL;
	otaops_plan_free(u->ota_waiting);
	u->ota_waiting = NULL;
	fwops_stop();
	for (i = 0; i < u->ntsl; i++) {
		free(u->tsl[i].pk);
		free(u->tsl[i].error);
		model_tsl_clear(&u->tsl[i].tsl);
	}
	free(u->tsl);
	u->tsl = NULL;
	u->ntsl = 0;
	u->generation++;
	for (i = 0; i < u->n; i++)
		u->ops[i].reported = 1;
}

void
uiops_free(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	size_t i;

	if (u == NULL)
		return;
	uiops_stop(ui);
	for (i = 0; i < u->n; i++) {
		op_free(u->ops[i].op);
		free(u->ops[i].pk);
		free(u->ops[i].service);
	}
	free(u->ops);
	audit_close(u->audit);
	free(u);
	ui->uiops = NULL;
}

/* ---- completion ---------------------------------------------------------------- */

void
uiops_prefetch(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	struct ui_target *t = NULL;
	size_t nt;
	int marked;

	if (p == NULL || p->ops->targets == NULL || ui->worker == NULL)
		return;
	nt = p->ops->targets(p, &t, &marked);
	if (nt > 0 && t[0].product_key != NULL)
		uiops_tsl_get(ui, t[0].product_key);
	ui_targets_free(t, nt);
}

/* ---- targets from the panes ----------------------------------------------------- */

static void
target_from_key(struct ui_target *t, const char *key)
{
	const char *slash = strchr(key, '/');

	memset(t, 0, sizeof *t);
	if (slash == NULL) {
		t->iot_id = xstrdup(key);
		return;
	}
	t->product_key = xstrndup(key, (size_t)(slash - key));
	t->device_name = xstrdup(slash + 1);
}

size_t
ui_table_targets(struct table *t, int (*is_device)(const struct table_row *r),
    struct ui_target **out, int *marked)
{
	struct table_row **rows = NULL, *cur;
	size_t i, n, k = 0;

	*out = NULL;
	*marked = 0;
	if (t == NULL)
		return 0;
	n = table_marked_rows(t, &rows);
	if (n > 0) {
		*marked = 1;
		*out = xcalloc(n, sizeof **out);
		for (i = 0; i < n; i++)
			if (is_device == NULL || is_device(rows[i]))
				target_from_key(&(*out)[k++], rows[i]->key);
		free(rows);
		return k;
	}
	cur = table_cursor_row(t);
	if (cur == NULL || (is_device != NULL && !is_device(cur)))
		return 0;
	*out = xcalloc(1, sizeof **out);
	target_from_key(*out, cur->key);
	return 1;
}

void
ui_targets_free(struct ui_target *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].product_key);
		free(v[i].device_name);
		free(v[i].iot_id);
	}
	free(v);
}


/* ---- verbs ------------------------------------------------------------------------------ */

int
uiops_verb_find(const struct uiops_verb *v, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return i;
	return -1;
}

/* The menu's argument: the verbs offered, in order. */
struct verb_menu {
	const struct uiops_verb *v[UIOPS_MENU_MAX];	/* the verbs (a static table's) */
	size_t                   n;			/* how many */
	uiops_verb_fn           *picked;		/* runs the one picked */
};

static void
verb_picked(struct ui *ui, void *arg, size_t i)
{
	struct verb_menu *m = arg;

	if (i < m->n)
		m->picked(ui, m->v[i]);
}

void
uiops_verb_menu(struct ui *ui, const char *title, const struct uiops_verb *v, const int *idx,
    size_t n, uiops_verb_fn *picked)
{
	struct verb_menu *m = xcalloc(1, sizeof *m);
	const char *items[UIOPS_MENU_MAX];
	char *labels[UIOPS_MENU_MAX], *desc[UIOPS_MENU_MAX], hot[UIOPS_MENU_MAX + 1];
	size_t i;

	m->picked = picked;
	for (i = 0; i < n && i < UIOPS_MENU_MAX; i++) {
		m->v[i] = &v[idx[i]];
		labels[i] = xasprintf("%c  %s", m->v[i]->key, m->v[i]->label);
		items[i] = labels[i];
		desc[i] = xasprintf(":%s %s  (%s)", m->v[i]->name, m->v[i]->args,
		    m->v[i]->action);
		hot[i] = m->v[i]->key;
	}
	m->n = i;
	hot[m->n] = '\0';
	if (form_open_pick(ui, title, items, (const char *const *)desc, m->n, verb_picked, m,
	    free) == 0)
		form_pick_hotkeys(ui, hot);
	for (i = 0; i < m->n; i++) {
		free(labels[i]);
		free(desc[i]);
	}
}
