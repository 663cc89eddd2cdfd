/* otaops.c — OTA writes from the console: a job's tasks cancelled by state or its failed
 * tasks retried (the jobs pane, a job's tasks pane), the marked tasks confirmed, cancelled
 * or retried (the tasks pane), a firmware deleted (the firmware pane). Each is an
 * operation (op/op.h) like the device writes: listed in :ops with its results, audited,
 * never sent twice unless retried, refused at once in a read-only session.
 *
 * What a confirmation must say is sometimes not on screen (how many tasks of a job are
 * QUEUED, the TaskIds of its failed tasks): the plan reads it first (ListOTATaskByJob,
 * under the console's own tag: uiops.h), one plan at a time, then asks. Batch APIs are sent
 * in the batches the guide allows (ConfirmOTATask and ReupgradeOTATask 10 TaskIds,
 * CancelOTATaskByDevice 200 DeviceNames): each batch is one target of the operation.
 */
#include "ui/otaops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/jsonpath.h"
#include "api/model.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/form.h"
#include "ui/fwops.h"
#include "ui/fwupload.h"
#include "ui/pane_ota.h"
#include "ui/table.h"
#include "ui/uiops_impl.h"

/* Task states, as pane_ota.h orders them. */
enum { ST_CONFIRM, ST_QUEUED, ST_NOTIFIED, ST_IN_PROGRESS, ST_SUCCEEDED, ST_FAILED,
	ST_CANCELED, NST, ST_SCHEDULED = NST };
static const char *const state_names[NST] = PANE_OTA_STATES;

/* ListOTATaskByJob's largest page (4.20.12). */
#define TASK_PAGE 100
/* TaskIds per ConfirmOTATask / ReupgradeOTATask, DeviceNames per CancelOTATaskByDevice. */
#define TASK_BATCH 10
#define DEVICE_BATCH 200

enum verb { O_JOB_CANCEL, O_JOB_RETRY, O_TASK_CONFIRM, O_TASK_CANCEL, O_TASK_RETRY,
	O_FIRMWARE_DELETE, O_OTA_VERIFY, O_OTA_UPGRADE, O_OTA_UPLOAD, O_COUNT };	/* O_OTA_*: fwops.c's */

enum where { W_JOB, W_TASKS, W_FIRMWARE };

/* W_JOB: the jobs pane's job or a tasks pane's; W_TASKS: the tasks pane's marked tasks;
 * W_FIRMWARE: the firmware pane's. */
static const struct uiops_verb verbs[O_COUNT] = {
	[O_JOB_CANCEL]      = { .name = "job-cancel", .args = "[queued notified unconfirmed "
				"scheduled in-progress]", .label = "Cancel the job's tasks (by "
				"state)", .key = 'c', .action = ACT_CancelOTATaskByJob,
				.where = W_JOB },
	[O_JOB_RETRY]       = { .name = "job-retry", .args = "[canceled]",
				.label = "Retry the job's failed tasks", .key = 'r',
				.action = ACT_ReupgradeOTATask, .where = W_JOB },
	[O_TASK_CONFIRM]    = { .name = "task-confirm", .args = "",
				.label = "Confirm the marked tasks", .key = 'o',
				.action = ACT_ConfirmOTATask, .where = W_TASKS },
	[O_TASK_CANCEL]     = { .name = "task-cancel", .args = "",
				.label = "Cancel the marked tasks", .key = 'x',
				.action = ACT_CancelOTATaskByDevice, .where = W_TASKS },
	[O_TASK_RETRY]      = { .name = "task-retry", .args = "",
				.label = "Retry the marked tasks", .key = 't',
				.action = ACT_ReupgradeOTATask, .where = W_TASKS },
	[O_FIRMWARE_DELETE] = { .name = "firmware-delete", .args = "",
				.label = "Delete the firmware", .key = 'D',
				.action = ACT_DeleteOTAFirmware, .where = W_FIRMWARE },
	/* fwops.c and fwupload.c run these (listed here for the menu). */
	[O_OTA_VERIFY]      = { .name = "ota-verify", .args = "[NAME...]",
				.label = "Verify the firmware on devices", .key = 'v',
				.action = ACT_CreateOTAVerifyJob, .where = W_FIRMWARE },
	[O_OTA_UPGRADE]     = { .name = "ota-upgrade", .args = "",
				.label = "Create an upgrade job (a form)", .key = 'u',
				.action = ACT_CreateOTAStaticUpgradeJob, .where = W_FIRMWARE },
	[O_OTA_UPLOAD]      = { .name = "ota-upload", .args = "[FILE]",
				.label = "Upload a firmware (a file, a form)", .key = 'n',
				.action = ACT_CreateOTAFirmware, .where = W_FIRMWARE },
};

struct otaplan {
	struct ui *ui;
	enum verb  verb;
	char      *job_id;		/* the job (W_JOB, W_TASKS) */
	char      *pk, *fw;		/* its product and firmware (task-cancel) */
	char      *fw_id, *fw_name;	/* W_FIRMWARE */
	unsigned   states;		/* job-cancel / job-retry: bits of the states */
	int64_t    counts[NST];	/* job-cancel: tasks per state (-1: to read) */
	int        asked;		/* reads out */
	char     **ids;		/* tasks: TaskIds (job-retry: read; W_TASKS: marked) */
	char     **names;		/* their DeviceNames (W_TASKS) */
	size_t     n;
	size_t     skipped;	/* W_TASKS: marked tasks in a state the action does not take */
	int64_t    total;		/* job-retry: tasks to read (-1: not known yet) */
	int        page;		/* job-retry: the next page */
	int        state_i;		/* job-retry: which state is being read */
};

static int
verb_find(const char *name)
{
	return uiops_verb_find(verbs, O_COUNT, name);
}

int
otaops_is_command(const char *name)
{
	return verb_find(name) >= 0;
}

void
otaops_plan_free(void *arg)
{
	struct otaplan *pl = arg;
	size_t i;

	if (pl == NULL)
		return;
	for (i = 0; i < pl->n; i++) {
		free(pl->ids[i]);
		if (pl->names != NULL)
			free(pl->names[i]);
	}
	free(pl->ids);
	free(pl->names);
	free(pl->job_id);
	free(pl->pk);
	free(pl->fw);
	free(pl->fw_id);
	free(pl->fw_name);
	free(pl);
}

static void
add_task(struct otaplan *pl, const char *id, const char *name)
{
	pl->ids = xreallocarray(pl->ids, pl->n + 1, sizeof *pl->ids);
	pl->names = xreallocarray(pl->names, pl->n + 1, sizeof *pl->names);
	pl->ids[pl->n] = xstrdup(id);
	pl->names[pl->n] = name != NULL ? xstrdup(name) : NULL;
	pl->n++;
}

/* A read of the plan (ListOTATaskByJob), answered to otaops_answer. */
static void
ask_tasks(struct ui *ui, const char *job, int state, int page, int size)
{
	struct params q = PARAMS_INIT;
	char num[16];

	params_set(&q, "JobId", job);
	params_set(&q, "TaskStatus", state_names[state]);
	snprintf(num, sizeof num, "%d", page);
	params_set(&q, "CurrentPage", num);
	snprintf(num, sizeof num, "%d", size);
	params_set(&q, "PageSize", num);
	uiops_read(ui, ACT_ListOTATaskByJob, &q, (void *)(intptr_t)state);
	params_free(&q);
}

/* ---- running ------------------------------------------------------------------------- */

static void
run(struct pane *p, void *arg)
{
	struct otaplan *pl = arg;
	struct ui *ui = pl->ui;
	const struct uiops_verb *v = &verbs[pl->verb];
	struct params common = PARAMS_INIT, own = PARAMS_INIT;
	struct op_opts oo;
	struct op *op;
	char name[64], *label, *cause = NULL;
	size_t i, k, batch;
	int st;

	(void)p;
	if (uiops_may_write(ui, ":%s", v->name) != 0)
		return;
	label = pl->job_id != NULL ? xasprintf("%s %s", v->name, pl->job_id) :
	    xasprintf("%s %s", v->name, pl->fw_name != NULL ? pl->fw_name : pl->fw_id);
	if (pl->verb == O_JOB_RETRY || pl->verb == O_TASK_RETRY)
		params_set(&common, "JobId", pl->job_id);
	if (pl->verb == O_TASK_CANCEL) {
		params_set(&common, "ProductKey", pl->pk);
		params_set(&common, "FirmwareId", pl->fw);
		params_set(&common, "JobId", pl->job_id);
	}
	uiops_op_options(ui, &oo, label, NULL);
	op = op_new(v->action, &common, &oo);
	switch (pl->verb) {
	case O_JOB_CANCEL:
		/* Every flag said, true or false: the guide's notes have CancelQueuedTask take
		 * the unconfirmed tasks too unless CancelUnconfirmedTask says false. */
		params_set(&own, "JobId", pl->job_id);
		params_set(&own, "CancelUnconfirmedTask",
		    pl->states & (1u << ST_CONFIRM) ? "true" : "false");
		params_set(&own, "CancelQueuedTask",
		    pl->states & (1u << ST_QUEUED) ? "true" : "false");
		params_set(&own, "CancelNotifiedTask",
		    pl->states & (1u << ST_NOTIFIED) ? "true" : "false");
		params_set(&own, "CancelInProgressTask",
		    pl->states & (1u << ST_IN_PROGRESS) ? "true" : "false");
		params_set(&own, "CancelScheduledTask",
		    pl->states & (1u << ST_SCHEDULED) ? "true" : "false");
		op_add_item(op, pl->job_id, &own, &cause);
		break;
	case O_FIRMWARE_DELETE:
		params_set(&own, "FirmwareId", pl->fw_id);
		op_add_item(op, pl->fw_id, &own, &cause);
		break;
	default:
		/* Batches of tasks: each a target ("tasks 1-10"). */
		batch = pl->verb == O_TASK_CANCEL ? DEVICE_BATCH : TASK_BATCH;
		for (i = 0; i < pl->n; i += batch) {
			params_free(&own);
			params_init(&own);
			for (k = i; k < pl->n && k < i + batch; k++) {
				if (pl->verb == O_TASK_CANCEL)
					snprintf(name, sizeof name, "DeviceName.%zu", k - i + 1);
				else
					snprintf(name, sizeof name, "TaskId.%zu", k - i + 1);
				params_set(&own, name, pl->verb == O_TASK_CANCEL ? pl->names[k] :
				    pl->ids[k]);
			}
			snprintf(name, sizeof name, "tasks %zu-%zu", i + 1, k);
			op_add_item(op, name, &own, &cause);
		}
		break;
	}
	free(cause);
	params_free(&common);
	params_free(&own);
	st = uiops_start(ui, op, NULL, NULL, 1);
	if (st == 0 && op_state(op) != OP_DONE)
		ui_message(ui, "%s: sent (:ops shows it)", label);
	free(label);
}

/* The question, in proportion: more than 10 tasks (or devices) types the number; a
 * firmware's delete types its name. */
static void
confirm(struct ui *ui, struct otaplan *pl)
{
	const struct uiops_verb *v = &verbs[pl->verb];
	struct buf q = BUF_INIT;
	char num[32], *expect = NULL;
	int64_t total = 0;
	int st, first = 1;

	switch (pl->verb) {
	case O_JOB_CANCEL:
		buf_addf(&q, "Cancel the tasks of job %s (%s): ", pl->job_id, v->action);
		for (st = 0; st < NST; st++) {
			if (!(pl->states & (1u << st)))
				continue;
			buf_addf(&q, "%s%lld %s", first ? "" : ", ", (long long)pl->counts[st],
			    state_names[st]);
			total += pl->counts[st] > 0 ? pl->counts[st] : 0;
			first = 0;
		}
		if (pl->states & (1u << ST_SCHEDULED))
			buf_addf(&q, "%sthose of a scheduled job", first ? "" : ", and ");
		buf_adds(&q, ".");
		if (!(pl->states & (1u << ST_IN_PROGRESS)))
			buf_adds(&q, " Tasks IN_PROGRESS are left alone (:job-cancel in-progress "
			    "cancels them too).");
		snprintf(num, sizeof num, "%lld", (long long)total);
		if (total > 10)
			expect = xstrdup(num);
		break;
	case O_JOB_RETRY:
	case O_TASK_CONFIRM:
	case O_TASK_CANCEL:
	case O_TASK_RETRY:
		buf_addf(&q, "%s %zu task%s of job %s (%s, %zu a call)",
		    pl->verb == O_TASK_CONFIRM ? "Confirm" : pl->verb == O_TASK_CANCEL ? "Cancel" :
		    "Retry", pl->n, pl->n == 1 ? "" : "s", pl->job_id, v->action,
		    pl->verb == O_TASK_CANCEL ? (size_t)DEVICE_BATCH : (size_t)TASK_BATCH);
		if (pl->names != NULL && pl->n > 0 && pl->names[0] != NULL)
			buf_addf(&q, ": %s%s", pl->names[0], pl->n > 1 ? " and more" : "");
		buf_adds(&q, "?");
		if (pl->skipped > 0)
			buf_addf(&q, " (%zu marked task%s in another state left out.)", pl->skipped,
			    pl->skipped == 1 ? " is" : "s are");
		snprintf(num, sizeof num, "%zu", pl->n);
		if (pl->n > 10)
			expect = xstrdup(num);
		break;
	case O_FIRMWARE_DELETE:
		buf_addf(&q, "Delete firmware %s \"%s\" (%s)? Its jobs' history goes with it.",
		    pl->fw_id, pl->fw_name, v->action);
		expect = xstrdup(pl->fw_name[0] != '\0' ? pl->fw_name : pl->fw_id);
		break;
	case O_OTA_VERIFY:	/* fwops.c's */
	case O_OTA_UPGRADE:
	case O_OTA_UPLOAD:
	case O_COUNT:
		break;
	}
	if (expect != NULL)
		ui_confirm_typed(ui, NULL, buf_str(&q), expect, run, pl, otaops_plan_free);
	else
		ui_confirm(ui, NULL, buf_str(&q), run, pl, otaops_plan_free);
	free(expect);
	buf_free(&q);
}

/* ---- reading what the question needs ------------------------------------------------ */

static void
park(struct ui *ui, struct otaplan *pl, const char *what)
{
	struct uiops *u = U(ui);

	otaops_plan_free(u->ota_waiting);
	u->ota_waiting = pl;
	ui_message(ui, ":%s: reading %s...", verbs[pl->verb].name, what);
}

/* The next state whose failed (or canceled) tasks job-retry reads, or -1. */
static int
next_retry_state(struct otaplan *pl, int after)
{
	int st;

	for (st = after + 1; st < NST; st++)
		if (pl->states & (1u << st))
			return st;
	return -1;
}

void
otaops_answer(struct ui *ui, struct worker_result *r)
{
	struct uiops *u = U(ui);
	struct otaplan *pl = u->ota_waiting;
	int st = (int)(intptr_t)r->udata, more = 0;
	struct jsonpath_page pg;
	struct model_list list;
	size_t i;

	if (pl == NULL || st < 0 || st >= NST)
		return;
	if (r->status != API_OK) {
		ui_report(ui, verbs[pl->verb].name, r->action, &r->err);
		u->ota_waiting = NULL;
		otaops_plan_free(pl);
		return;
	}
	jsonpath_page_parse(r->json, &pg);
	if (pl->verb == O_JOB_CANCEL) {
		pl->counts[st] = pg.total >= 0 ? pg.total : 0;
		more = --pl->asked > 0;
	} else {
		model_list_parse(MODEL_OTA_TASK, r->json, NULL, &list);
		for (i = 0; i < list.count; i++) {
			const struct model_ota_task *t = model_list_item(&list, i);
			if (t->task_id != NULL)
				add_task(pl, t->task_id, t->device_name);
		}
		if (list.count > 0 && (int64_t)pl->page * TASK_PAGE < pg.total) {
			ask_tasks(ui, pl->job_id, st, ++pl->page, TASK_PAGE);
			more = 1;
		} else if ((pl->state_i = next_retry_state(pl, st)) >= 0) {
			pl->page = 1;
			ask_tasks(ui, pl->job_id, pl->state_i, 1, TASK_PAGE);
			more = 1;
		}
		model_list_free(&list);
	}
	jsonpath_page_clear(&pg);
	if (more)
		return;
	u->ota_waiting = NULL;
	if (pl->verb == O_JOB_RETRY && pl->n == 0) {
		ui_message(ui, ":job-retry: no task of job %s to retry", pl->job_id);
		otaops_plan_free(pl);
		return;
	}
	confirm(ui, pl);
}

/* ---- commands ----------------------------------------------------------------------- */

/* The job a job verb applies to: a tasks pane's, or the jobs pane's row under the
 * cursor. */
static int
job_of(struct pane *p, struct otaplan *pl)
{
	struct pane_tasks_job tj;
	struct table_row *r;

	if (pane_tasks_job(p, &tj) == 0) {
		pl->job_id = xstrdup(tj.job_id);
		return 0;
	}
	if (p != NULL && p->ops == &pane_jobs_ops && p->table != NULL &&
	    (r = table_cursor_row(p->table)) != NULL) {
		pl->job_id = xstrdup(r->key);
		return 0;
	}
	return -1;
}

/* Column named name of table t, or -1. */
static int
column(struct table *t, const char *name)
{
	int c;

	for (c = 0; c < table_columns(t); c++)
		if (strcmp(table_column_def(t, c)->name, name) == 0)
			return c;
	return -1;
}

/* The marked tasks (else the one under the cursor) whose state the action takes. */
static int
tasks_of(struct pane *p, struct otaplan *pl)
{
	struct pane_tasks_job tj;
	struct table_row **rows = NULL, *cur;
	size_t n, i;
	int sc = column(p->table, "Status"), ok;
	const char *s;

	if (pane_tasks_job(p, &tj) != 0 || sc < 0)
		return -1;
	pl->job_id = xstrdup(tj.job_id);
	pl->pk = tj.product_key != NULL ? xstrdup(tj.product_key) : NULL;
	pl->fw = tj.firmware_id != NULL ? xstrdup(tj.firmware_id) : NULL;
	n = table_marked_rows(p->table, &rows);
	if (n == 0 && (cur = table_cursor_row(p->table)) != NULL) {
		rows = xmalloc(sizeof *rows);
		rows[0] = cur;
		n = 1;
	}
	for (i = 0; i < n; i++) {
		s = rows[i]->cells[sc];
		ok = pl->verb == O_TASK_CONFIRM ? strcmp(s, "CONFIRM") == 0 :
		    pl->verb == O_TASK_RETRY ? strcmp(s, "FAILED") == 0 ||
		    strcmp(s, "CANCELED") == 0 :
		    strcmp(s, "SUCCEEDED") != 0 && strcmp(s, "FAILED") != 0 &&
		    strcmp(s, "CANCELED") != 0;
		if (!ok || (pl->verb == O_TASK_CANCEL && rows[i]->data == NULL)) {
			pl->skipped++;
			continue;
		}
		add_task(pl, rows[i]->key, rows[i]->data);
	}
	free(rows);
	return 0;
}

int
otaops_command(struct ui *ui, const char *name, const char *arg)
{
	int v = verb_find(name), st;
	struct pane *p = ui_top(ui);
	struct pane_tasks_job tj;
	struct otaplan *pl;
	struct table_row *r;
	char *words = xstrdup(arg), *w, *save = NULL;
	int c;

	if (v < 0) {
		free(words);
		return -1;
	}
	if (v == O_OTA_VERIFY || v == O_OTA_UPGRADE) {	/* the firmware's writes: fwops.c */
		free(words);
		return fwops_command(ui, name, arg);
	}
	if (v == O_OTA_UPLOAD) {			/* fwupload.c */
		free(words);
		return fwupload_command(ui, arg);
	}
	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: :%s is refused (writes are off)", name);
		free(words);
		return -1;
	}
	pl = xcalloc(1, sizeof *pl);
	pl->ui = ui;
	pl->verb = (enum verb)v;
	for (st = 0; st < NST; st++)
		pl->counts[st] = -1;
	switch (verbs[v].where) {
	case W_JOB:
		if (job_of(p, pl) != 0) {
			ui_error(ui, ":%s: open a firmware's jobs (:ota, Enter) or a job", name);
			goto fail;
		}
		for (w = strtok_r(words, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
			if (v == O_JOB_CANCEL && strcmp(w, "queued") == 0)
				pl->states |= 1u << ST_QUEUED;
			else if (v == O_JOB_CANCEL && strcmp(w, "notified") == 0)
				pl->states |= 1u << ST_NOTIFIED;
			else if (v == O_JOB_CANCEL && strcmp(w, "unconfirmed") == 0)
				pl->states |= 1u << ST_CONFIRM;
			else if (v == O_JOB_CANCEL && strcmp(w, "in-progress") == 0)
				pl->states |= 1u << ST_IN_PROGRESS;
			else if (v == O_JOB_CANCEL && strcmp(w, "scheduled") == 0)
				pl->states |= 1u << ST_SCHEDULED;
			else if (v == O_JOB_RETRY && strcmp(w, "canceled") == 0)
				pl->states |= 1u << ST_CANCELED;
			else {
				ui_error(ui, ":%s: '%s'? (%s)", name, w, verbs[v].args);
				goto fail;
			}
		}
		if (v == O_JOB_CANCEL && pl->states == 0)
			pl->states = (1u << ST_QUEUED) | (1u << ST_NOTIFIED) | (1u << ST_CONFIRM) |
			    (1u << ST_SCHEDULED);
		if (v == O_JOB_RETRY)
			pl->states |= 1u << ST_FAILED;
		break;
	case W_TASKS:
		if (*arg != '\0' || tasks_of(p, pl) != 0) {
			ui_error(ui, ":%s applies to the marked tasks (Space) of a job's tasks pane",
			    name);
			goto fail;
		}
		if (pl->n == 0) {
			ui_error(ui, ":%s: no task here is in a state it takes (%zu left out)", name,
			    pl->skipped);
			goto fail;
		}
		if (v == O_TASK_CANCEL && (pl->pk == NULL || pl->fw == NULL)) {
			ui_error(ui, ":task-cancel: the job's product is not known yet (a moment)");
			goto fail;
		}
		break;
	case W_FIRMWARE:
		if (p == NULL || p->ops != &pane_firmware_ops || p->table == NULL ||
		    (r = table_cursor_row(p->table)) == NULL || *arg != '\0') {
			ui_error(ui, ":%s deletes the firmware under the cursor (:ota)", name);
			goto fail;
		}
		pl->fw_id = xstrdup(r->key);
		c = column(p->table, "Name");
		pl->fw_name = xstrdup(c >= 0 ? r->cells[c] : "");
		break;
	}
	free(words);
	if (ui->worker == NULL) {
		ui_error(ui, "not connected");
		otaops_plan_free(pl);
		return -1;
	}
	if (v == O_JOB_CANCEL) {
		/* The counts of the states it cancels: the tasks pane's, else read. */
		if (pane_tasks_job(p, &tj) == 0)
			for (st = 0; st < NST; st++)
				pl->counts[st] = tj.counts[st];
		for (st = 0; st < NST; st++)
			if ((pl->states & (1u << st)) && pl->counts[st] < 0) {
				ask_tasks(ui, pl->job_id, st, 1, 1);
				pl->asked++;
			}
		if (pl->asked > 0) {
			park(ui, pl, "how many tasks it cancels");
			return 0;
		}
	} else if (v == O_JOB_RETRY) {
		pl->page = 1;
		pl->state_i = next_retry_state(pl, -1);
		ask_tasks(ui, pl->job_id, pl->state_i, 1, TASK_PAGE);
		park(ui, pl, "the tasks to retry");
		return 0;
	}
	confirm(ui, pl);
	return 0;
fail:
	free(words);
	otaops_plan_free(pl);
	return -1;
}

/* ---- the menu ----------------------------------------------------------------------- */

static void
picked(struct ui *ui, const struct uiops_verb *v)
{
	otaops_command(ui, v->name, "");
}

int
otaops_menu(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	struct pane_tasks_job tj;
	int v, tasks, jobs, fw, idx[O_COUNT];
	size_t n = 0;

	if (p == NULL)
		return 0;
	tasks = pane_tasks_job(p, &tj) == 0;
	jobs = p->ops == &pane_jobs_ops;
	fw = p->ops == &pane_firmware_ops;
	if (!tasks && !jobs && !fw)
		return 0;
	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: no operations (writes are off)");
		return 1;
	}
	for (v = 0; v < O_COUNT; v++) {
		if ((verbs[v].where == W_JOB && !tasks && !jobs) ||
		    (verbs[v].where == W_TASKS && !tasks) || (verbs[v].where == W_FIRMWARE && !fw))
			continue;
		idx[n++] = v;
	}
	uiops_verb_menu(ui, "OTA operations", verbs, idx, n, picked);
	return 1;
}
