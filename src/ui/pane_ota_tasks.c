/* pane_ota_tasks.c — an OTA job's device tasks (ListOTATaskByJob) under its dashboard:
 * the job's settings, live counts per task state as one bar, the pace and the ETA, the
 * failures by reason; a progress bar per device task. Enter opens a task's device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/clock.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/theme.h"
#include "ui/fmt.h"
#include "ui/fresh.h"
#include "ui/listpane.h"
#include "ui/pane_ota.h"
#include "ui/sparkline.h"
#include "ui/text.h"

enum { T_DEVICE, T_STATUS, T_BAR, T_PERCENT, T_FROM, T_TO, T_DESC, T_MODIFIED, T_COUNT };

/* The device, its state and its percentage are never cut (the bar goes first); a failed
 * task's description takes what is left. */
static const struct table_column task_columns[T_COUNT] = {
	[T_DEVICE]   = { "Device", 12, 32, 0, 1 },
	[T_STATUS]   = { "Status", 9, 11, TABLE_COL_KEEP, 1 },
	[T_BAR]      = { "Progress", 10, 10, 0, 3 },
	[T_PERCENT]  = { "%", 4, 4, TABLE_COL_NUMERIC | TABLE_COL_RIGHT | TABLE_COL_KEEP, 1 },
	[T_FROM]     = { "From", 4, 16, 0, 5 },
	[T_TO]       = { "To", 4, 16, 0, 4 },
	[T_DESC]     = { "Description", 11, 48, 0, 3 },
	[T_MODIFIED] = { "Modified", FMT_TIME_COLS, FMT_TIME_COLS, 0, 4 },
};

/* The text task_cells makes for a task's cells. */
struct task_text {
	struct buf bar;				/* the progress bar */
	char       percent[8];			/* "100%" */
	char       modified[FMT_TIME_MAX];	/* when it last changed */
};
#define TASK_TEXT_INIT { BUF_INIT, "", "" }

/* The task states of guide 4.20.12, in the order a task moves through them. */
static const char *const task_states[] = {
	"CONFIRM", "QUEUED", "NOTIFIED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELED"
};
#define NSTATES (sizeof task_states / sizeof task_states[0])

/* Live refresh: the rows on screen (a ListOTATaskByJob page), the counts (one
 * ListOTATaskByJob a state), the job (QueryOTAJob). At their least they take 4.5 of
 * ListOTATaskByJob's 10 QPS. */
static const struct ui_live rows_live = { .at_default = 3.0, .least = 1.0 };
static const struct ui_live counts_live = { .at_default = 5.0, .least = 2.0 };
static const struct ui_live job_live = { .at_default = 10.0, .least = 2.0 };
/* The most task rows loaded (50 pages: 5 s of ListOTATaskByJob's budget). */
#define TASK_ROWS_MAX   5000

enum { KIND_JOB = 1, KIND_COUNT_BASE = 100, KIND_ROWS = 200 };

/* Samples of the tasks ended (succeeded, failed, canceled) over time, for the rate. */
#define RATE_SAMPLES 24

struct tasks {
	int64_t counts[NSTATES];	/* tasks per state (-1: not known yet) */
	double  at[RATE_SAMPLES];	/* when the counts said ... */
	int64_t ended[RATE_SAMPLES];	/* ... this many tasks had ended (a ring) */
	int64_t succeeded[RATE_SAMPLES];	/* ... and this many had succeeded */
	size_t  nsamples;		/* samples taken */
	char   *job_pk;			/* the job's ProductKey, raw (once QueryOTAJob answered) */
	char   *job_fw;			/* its FirmwareId, raw */
	char   *job_status;		/* JobStatus (display-safe) */
	char   *job_line;		/* what the job is, one line (display-safe) */
	double  next_rows, next_counts, next_job;	/* refresh times */
	int     busy_rows, busy_counts, busy_job;	/* requests out */
	struct fresh live;			/* the live refreshes: answering or stale */
};

static void
task_params(struct pane *p, struct params *q)
{
	params_set(q, "JobId", p->arg.id);
}

static void
task_cells(const struct model_ota_task *t, const char **cells, struct task_text *tx)
{
	double pr = t->progress;

	buf_reset(&tx->bar);
	tx->percent[0] = '\0';
	if (t->task_status != NULL && strcmp(t->task_status, "SUCCEEDED") == 0)
		pr = 100;
	if (pr == pr) {	/* not NAN */
		if (pr < 0)
			pr = 0;
		if (pr > 100)
			pr = 100;
		fmt_bar(&tx->bar, pr / 100.0, 10);
		snprintf(tx->percent, sizeof tx->percent, "%.0f%%", pr);
	}
	cells[T_DEVICE] = fmt_str(t->device_name);
	cells[T_STATUS] = fmt_str(t->task_status);
	cells[T_BAR] = buf_str(&tx->bar);
	cells[T_PERCENT] = tx->percent;
	cells[T_FROM] = fmt_str(t->src_version);
	cells[T_TO] = fmt_str(t->dest_version);
	cells[T_DESC] = fmt_str(t->task_desc);
	cells[T_MODIFIED] = fmt_time(t->utc_modified, tx->modified, sizeof tx->modified);
}

static void
task_row(struct pane *p, const void *item, double now)
{
	const struct model_ota_task *t = item;
	const char *cells[T_COUNT];
	struct task_text tx = TASK_TEXT_INIT;

	if (t->task_id == NULL)
		return;
	task_cells(t, cells, &tx);
	/* The row keeps the raw DeviceName: an API argument (live rows, describe). */
	table_set(p->table, t->task_id, cells, t->device_name ? xstrdup(t->device_name) : NULL,
	    now);
	buf_free(&tx.bar);
}

static int tasks_header(struct pane *p, WINDOW *w, int width, int full);

static const struct listpane_def tasks_def = {
	.action = ACT_ListOTATaskByJob,
	.kind = MODEL_OTA_TASK,
	.columns = task_columns,
	.ncols = T_COUNT,
	.what = "tasks",
	.params = task_params,
	.row = task_row,
	.header = tasks_header,
};

static void
ask_job(struct pane *p, struct tasks *s)
{
	struct params q = PARAMS_INIT;

	params_set(&q, "JobId", p->arg.id);
	ui_request(p, ACT_QueryOTAJob, &q, WORKER_REFRESH, KIND_JOB);
	params_free(&q);
	s->busy_job = 1;
}

/* One ListOTATaskByJob per state with PageSize 1: its Total is the count. */
static void
ask_counts(struct pane *p, struct tasks *s)
{
	struct params q = PARAMS_INIT;
	size_t i;

	for (i = 0; i < NSTATES; i++) {
		params_set(&q, "JobId", p->arg.id);
		params_set(&q, "TaskStatus", task_states[i]);
		params_set(&q, "CurrentPage", "1");
		params_set(&q, "PageSize", "1");
		ui_request(p, ACT_ListOTATaskByJob, &q, WORKER_REFRESH, KIND_COUNT_BASE + (intptr_t)i);
		params_free(&q);
		s->busy_counts++;
	}
}

/* The rows on screen, by DeviceNames.N (at most 50; it overrides paging). */
static void
ask_rows(struct pane *p, struct tasks *s)
{
	struct params q = PARAMS_INIT;
	const struct table_row *r;
	size_t first, count, i, n;
	char name[48];

	table_visible(p->table, &first, &count);
	if (count == 0)
		return;
	if (count > 50)
		count = 50;
	params_set(&q, "JobId", p->arg.id);
	for (i = 0, n = 0; i < count; i++) {
		r = table_shown_row(p->table, first + i);
		if (r->data == NULL)
			continue;
		snprintf(name, sizeof name, "DeviceNames.%zu", ++n);
		params_set(&q, name, r->data);	/* the raw name, not the display-safe cell */
	}
	params_set(&q, "CurrentPage", "1");
	params_set(&q, "PageSize", "100");
	ui_request(p, ACT_ListOTATaskByJob, &q, WORKER_REFRESH, KIND_ROWS);
	params_free(&q);
	s->busy_rows = 1;
}

static void
tasks_open(struct pane *p)
{
	struct tasks *s = xcalloc(1, sizeof *s);
	double now = clock_mono_s();
	size_t i;

	for (i = 0; i < NSTATES; i++)
		s->counts[i] = -1;
	s->next_rows = now + ui_live_every(p->ui, &rows_live);
	s->next_counts = now + ui_live_every(p->ui, &counts_live);
	s->next_job = now + ui_live_every(p->ui, &job_live);
	listpane_open(p, &tasks_def, s);
	/* A job of 100,000 tasks is 1,000 pages: loading them all would take every one of
	 * ListOTATaskByJob's 10 QPS for two minutes. The counts come from the totals per
	 * state; the rows are the first pages. */
	listpane_of(p)->loader.max_items = TASK_ROWS_MAX;
	table_own_data(p->table, free);
	ask_job(p, s);
	ask_counts(p, s);
}

static void
tasks_close(struct pane *p)
{
	struct tasks *s = listpane_ext(p);

	free(s->job_status);
	free(s->job_line);
	free(s->job_pk);
	free(s->job_fw);
	free(s);
	listpane_close(p);
}

/* The segments of a job's bar: which task states each holds, its character, its colour. */
static const struct segment {
	unsigned    states;	/* bits of task_states[] */
	const char *ch;		/* its character */
	int         element;	/* its theme element */
} segments[] = {
	{ 1u << 4, "\xE2\x96\x88", UI_E_PROGRESS_DONE },		/* █ SUCCEEDED */
	{ 1u << 5, "\xE2\x9C\x97", UI_E_PROGRESS_FAILED },		/* ✗ FAILED */
	{ 1u << 6, "\xE2\x96\x91", UI_E_PROGRESS_CANCELED },	/* ░ CANCELED */
	{ (1u << 2) | (1u << 3), "\xE2\x96\x92", UI_E_PROGRESS_ACTIVE },	/* ▒ NOTIFIED, IN_PROGRESS */
	{ (1u << 0) | (1u << 1), "\xC2\xB7", UI_E_PROGRESS_TODO },	/* · CONFIRM, QUEUED */
};
#define NSEGMENTS ((int)(sizeof segments / sizeof segments[0]))

/* Draws the bar of counts (per task state) in cols columns at the cursor. */
static void
draw_segments(struct pane *p, WINDOW *w, const int64_t *counts, int cols)
{
	int64_t seg[NSEGMENTS];
	int widths[NSEGMENTS], i, k;
	size_t st;

	for (i = 0; i < NSEGMENTS; i++) {
		seg[i] = 0;
		for (st = 0; st < NSTATES; st++)
			if ((segments[i].states & (1u << st)) && counts[st] > 0)
				seg[i] += counts[st];
	}
	fmt_segments(seg, NSEGMENTS, cols, widths);
	for (i = 0; i < NSEGMENTS; i++) {
		wattrset(w, ui_attr(p->ui, segments[i].element));
		for (k = 0; k < widths[i]; k++)
			waddstr(w, segments[i].ch);
	}
}

/* What the job is and how it runs, one line: "UPGRADE_FIRMWARE fw → 2.1.0  STATIC/GRAY
 * 50.00%  100/min  retry 2x every 10 min  timeout 60 min  needs confirm". Caller frees. */
static char *
job_settings(const struct model_ota_job *j)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s %s \xE2\x86\x92 %s  %s/%s", fmt_str(j->job_type), fmt_str(j->name),
	    fmt_str(j->dest_version), fmt_str(j->selection_type), fmt_str(j->target_selection));
	if (j->group_name != NULL)
		buf_addf(&b, " %s", j->group_name);
	if (j->gray_percent != NULL)
		buf_addf(&b, " %s%%", j->gray_percent);
	if (j->maximum_per_minute > 0 && j->maximum_per_minute != MODEL_NONE)
		buf_addf(&b, "  %lld/min", (long long)j->maximum_per_minute);
	if (j->retry_count > 0 && j->retry_count != MODEL_NONE)
		buf_addf(&b, "  retry %lldx every %lld min", (long long)j->retry_count,
		    (long long)(j->retry_interval != MODEL_NONE ? j->retry_interval : 0));
	if (j->timeout_in_minutes > 0 && j->timeout_in_minutes != MODEL_NONE)
		buf_addf(&b, "  timeout %lld min", (long long)j->timeout_in_minutes);
	if (j->need_confirm == 1)
		buf_adds(&b, "  needs confirm");
	if (j->need_push == 0)
		buf_adds(&b, "  no push");
	if (j->overwrite_mode == 1)
		buf_adds(&b, "  overwrite");
	return buf_detach(&b);
}

static void
rate_sample(struct tasks *s, double now)
{
	size_t i;

	for (i = 0; i < NSTATES; i++)
		if (s->counts[i] < 0)
			return;
	s->at[s->nsamples % RATE_SAMPLES] = now;
	s->ended[s->nsamples % RATE_SAMPLES] = s->counts[4] + s->counts[5] + s->counts[6];
	s->succeeded[s->nsamples % RATE_SAMPLES] = s->counts[4];
	s->nsamples++;
}

/* The successes of each interval between samples, oldest first, as a sparkline. */
static void
successes_line(const struct tasks *s, struct buf *out)
{
	double v[RATE_SAMPLES];
	size_t n = s->nsamples < RATE_SAMPLES ? s->nsamples : RATE_SAMPLES, i, a, b;

	if (n < 3)
		return;
	for (i = 1; i < n; i++) {
		a = (s->nsamples - n + i - 1) % RATE_SAMPLES;
		b = (s->nsamples - n + i) % RATE_SAMPLES;
		v[i - 1] = (double)(s->succeeded[b] - s->succeeded[a]);
	}
	buf_adds(out, "successes ");
	sparkline_render(out, v, n - 1);
	buf_adds(out, "  ");
}

/* Tasks ended per minute over the samples kept (about a minute), or -1 when unknown. */
static double
rate_per_minute(const struct tasks *s)
{
	size_t last, first;
	double dt;

	if (s->nsamples < 2)
		return -1;
	last = (s->nsamples - 1) % RATE_SAMPLES;
	first = s->nsamples > RATE_SAMPLES ? s->nsamples % RATE_SAMPLES : 0;
	dt = s->at[last] - s->at[first];
	if (dt <= 0)
		return -1;
	return (double)(s->ended[last] - s->ended[first]) * 60.0 / dt;
}

struct failure {
	const char *desc;	/* a TaskDesc (display-safe: a cell) */
	size_t      n;		/* tasks failed with it */
};

/* The failures among the rows loaded, grouped by their description: the three most
 * frequent ("5 download timeout, 2 checksum mismatch"). */
static void
failures_text(struct pane *p, struct buf *out)
{
	struct failure top[64], t;
	size_t ntop = 0, i, j, k, shown = table_shown(p->table), failed = 0;
	struct table_row *r;

	for (i = 0; i < shown; i++) {
		r = table_shown_row(p->table, i);
		if (strcmp(r->cells[T_STATUS], "FAILED") != 0)
			continue;
		failed++;
		for (j = 0; j < ntop && strcmp(top[j].desc, r->cells[T_DESC]) != 0; j++)
			;
		if (j == ntop && ntop < 64) {
			top[ntop].desc = r->cells[T_DESC];
			top[ntop++].n = 0;
		}
		if (j < ntop)
			top[j].n++;
	}
	if (failed == 0)
		return;
	buf_addf(out, "  failures (%zu in the rows loaded):", failed);
	for (k = 0; k < 3 && k < ntop; k++) {
		size_t best = k;
		for (j = k + 1; j < ntop; j++)
			if (top[j].n > top[best].n)
				best = j;
		t = top[k];
		top[k] = top[best];
		top[best] = t;
		buf_addf(out, "%s %zu %s", k ? "," : "", top[k].n,
		    top[k].desc[0] ? top[k].desc : "(no description)");
	}
}

static int
tasks_header(struct pane *p, WINDOW *w, int width, int full)
{
	struct tasks *s = listpane_ext(p);
	struct buf b = BUF_INIT, line = BUF_INIT;
	int64_t total = 0, done = 0;
	size_t i;
	int known = 1, bar;
	double rate;

	if (!full)
		return 4;
	for (i = 0; i < NSTATES; i++) {
		if (s->counts[i] < 0)
			known = 0;
		else
			total += s->counts[i];
	}
	done = (s->counts[4] > 0 ? s->counts[4] : 0) + (s->counts[5] > 0 ? s->counts[5] : 0) +
	    (s->counts[6] > 0 ? s->counts[6] : 0);

	/* Line 0: the job. */
	buf_addf(&line, "Job %s  %s  %s", p->arg.id, s->job_status ? s->job_status : "\xE2\x80\xA6",
	    s->job_line ? s->job_line : "");
	wmove(w, 0, 0);
	wattrset(w, ui_attr(p->ui, UI_E_TITLE));
	text_fit(&b, buf_str(&line), width, 1, 0);
	waddstr(w, buf_str(&b));

	/* Line 1: counts per state. */
	wmove(w, 1, 0);
	wattrset(w, ui_attr(p->ui, UI_E_DEFAULT));
	wclrtoeol(w);
	buf_reset(&line);
	for (i = 0; i < NSTATES; i++) {
		if (s->counts[i] < 0)
			buf_addf(&line, "%s%s ?", i ? "  " : "", task_states[i]);
		else
			buf_addf(&line, "%s%s %lld", i ? "  " : "", task_states[i],
			    (long long)s->counts[i]);
	}
	buf_reset(&b);
	text_fit(&b, buf_str(&line), width, 0, 0);
	waddstr(w, buf_str(&b));

	/* Line 2: the job's progress bar, honest: succeeded, failed, canceled, under way and
	 * waiting are segments of their own (and characters of their own, for the mono
	 * theme), so 40 canceled never looks like 40 done. */
	wmove(w, 2, 0);
	wclrtoeol(w);
	buf_reset(&line);
	bar = width - 44;
	if (bar > 60)
		bar = 60;
	if (bar > 4 && known && total > 0) {
		draw_segments(p, w, s->counts, bar);
		wattrset(w, ui_attr(p->ui, UI_E_DEFAULT));
		buf_addf(&line, " %lld of %lld ended: %lld succeeded, %lld failed, %lld canceled",
		    (long long)done, (long long)total, (long long)s->counts[4],
		    (long long)s->counts[5], (long long)s->counts[6]);
		buf_reset(&b);
		text_fit(&b, buf_str(&line), width - bar, 0, 0);
		waddstr(w, buf_str(&b));
	} else if (bar > 4) {
		wattrset(w, ui_attr(p->ui, UI_E_PROGRESS_TODO));
		fmt_bar(&line, 0, bar);
		waddstr(w, buf_str(&line));
		wattrset(w, ui_attr(p->ui, UI_E_DEFAULT));
		buf_reset(&line);
		if (known)
			buf_adds(&line, " no tasks");
		else if (s->live.stale)
			buf_adds(&line, " counts unknown: e shows why");
		else
			buf_adds(&line, " counting\xE2\x80\xA6");
		waddstr(w, buf_str(&line));
	}
	/* Line 3: the pace, the failures by description, the budget the pane spends. */
	wmove(w, 3, 0);
	wattrset(w, ui_attr(p->ui, UI_E_DIM));
	wclrtoeol(w);
	buf_reset(&line);
	rate = rate_per_minute(s);
	successes_line(s, &line);
	if (rate > 0 && known) {
		buf_addf(&line, "%.1f tasks/min", rate);
		if (total - done - s->counts[0] > 0) {
			double eta = (double)(total - done) / rate;
			if (eta < 2)
				buf_addf(&line, ", ETA %.0f s", eta * 60);
			else
				buf_addf(&line, ", ETA %.0f min", eta);
		}
	} else if (known && done == total && total > 0)
		buf_adds(&line, "every task ended");
	else
		buf_adds(&line, "pace: measuring");
	failures_text(p, &line);
	buf_addf(&line, "  \xE2\x94\x82 ListOTATaskByJob %.1f of 10 QPS",
	    (double)NSTATES / ui_live_every(p->ui, &counts_live) +
	    1.0 / ui_live_every(p->ui, &rows_live));
	buf_reset(&b);
	text_fit(&b, buf_str(&line), width, 0, 0);
	waddstr(w, buf_str(&b));
	buf_free(&b);
	buf_free(&line);
	return 4;
}

static double
tasks_tick(struct pane *p, double now)
{
	struct tasks *s = listpane_ext(p);
	double next;

	if (now >= s->next_counts && s->busy_counts == 0) {
		ask_counts(p, s);
		s->next_counts = now + ui_live_every(p->ui, &counts_live);
	}
	if (now >= s->next_rows && !s->busy_rows && listpane_of(p)->loader.done) {
		ask_rows(p, s);
		s->next_rows = now + ui_live_every(p->ui, &rows_live);
	}
	if (now >= s->next_job && !s->busy_job) {
		ask_job(p, s);
		s->next_job = now + ui_live_every(p->ui, &job_live);
	}
	next = s->next_counts;
	if (s->next_rows < next)
		next = s->next_rows;
	if (s->next_job < next)
		next = s->next_job;
	return next > now ? next - now : 0.2;
}

static void
set_safe(char **dst, const char *raw)
{
	free(*dst);
	*dst = raw != NULL ? safetext_dup(raw, strlen(raw)) : NULL;
}

static int
tasks_result(struct pane *p, struct worker_result *r)
{
	struct tasks *s = listpane_ext(p);
	intptr_t kind = (intptr_t)r->udata;
	struct model_list list;
	struct model_ota_job job;
	const char *cells[T_COUNT];
	struct task_text tx = TASK_TEXT_INIT;
	char *line;
	size_t i;

	if (listpane_result(p, r))
		return 1;
	if (kind == KIND_JOB)
		s->busy_job = 0;
	else if (kind == KIND_ROWS)
		s->busy_rows = 0;
	else if (kind >= KIND_COUNT_BASE && kind < KIND_COUNT_BASE + (intptr_t)NSTATES)
		s->busy_counts--;
	if (r->status != API_OK) {
		ui_api_error(p->ui, r->action, r);
		fresh_failed(&s->live);
		table_set_stale(p->table, 1);
		p->dirty = 1;
		return 0;
	}
	fresh_ok(&s->live, clock_mono_s());
	table_set_stale(p->table, 0);
	if (kind == KIND_JOB) {
		memset(&job, 0, sizeof job);
		model_ota_job_parse(jsonpath_get(r->json, "Data"), &job);
		set_safe(&s->job_status, job.job_status);
		set_safe(&s->job_line, line = job_settings(&job));
		free(line);
		if (job.product_key != NULL)
			xstrset(&s->job_pk, job.product_key);
		if (job.firmware_id != NULL)
			xstrset(&s->job_fw, job.firmware_id);
		model_ota_job_clear(&job);
	} else if (kind == KIND_ROWS) {
		model_list_parse(MODEL_OTA_TASK, r->json, NULL, &list);
		for (i = 0; i < list.count; i++) {
			const struct model_ota_task *t = model_list_item(&list, i);
			if (t->task_id == NULL || table_find(p->table, t->task_id) == NULL)
				continue;
			task_cells(t, cells, &tx);
			table_set(p->table, t->task_id, cells, NULL, clock_mono_s());
		}
		model_list_free(&list);
		buf_free(&tx.bar);
	} else if (kind >= KIND_COUNT_BASE && kind < KIND_COUNT_BASE + (intptr_t)NSTATES) {
		struct jsonpath_page pg;
		jsonpath_page_parse(r->json, &pg);
		if (pg.total >= 0)
			s->counts[kind - KIND_COUNT_BASE] = pg.total;
		jsonpath_page_clear(&pg);
		if (kind == KIND_COUNT_BASE + (intptr_t)NSTATES - 1)
			rate_sample(s, clock_mono_s());	/* the last state of a round */
	}
	p->dirty = 1;
	return 0;
}

static int
tasks_action(struct pane *p, enum ui_action a)
{
	struct tasks *s = listpane_ext(p);
	struct table_row *r = table_cursor_row(p->table);

	if (a == UI_A_REFRESH) {
		listpane_refresh(p);
		ask_counts(p, s);
		ask_job(p, s);
		return 1;
	}
	if (a == UI_A_ENTER) {
		/* A task opens its device (the job's product). */
		if (r == NULL || r->data == NULL || s->job_pk == NULL)
			return 1;
		ui_open(p->ui, UI_V_DEVICE, &(struct pane_arg){ .product_key = s->job_pk,
		    .device_name = r->data });
		return 1;
	}
	return 0;
}

int
pane_tasks_job(struct pane *p, struct pane_tasks_job *out)
{
	struct tasks *s;

	if (p == NULL || p->ops != &pane_tasks_ops)
		return -1;
	s = listpane_ext(p);
	out->job_id = p->arg.id;
	out->product_key = s->job_pk;
	out->firmware_id = s->job_fw;
	out->counts = s->counts;
	out->loaded = listpane_of(p)->loader.done && !listpane_of(p)->loader.failed;
	return 0;
}

static void
tasks_info(struct pane *p, struct buf *out)
{
	struct tasks *s = listpane_ext(p);
	char live[32];

	listpane_info(p, out);
	snprintf(live, sizeof live, "live every %g s", ui_live_every(p->ui, &rows_live));
	buf_adds(out, "  \xE2\x94\x82 ");
	fresh_info(&s->live, clock_mono_s(), live, out);
}

const struct pane_ops pane_tasks_ops = {
	.kind = UI_P_TASKS,
	.open = tasks_open,
	.close = tasks_close,
	.draw = listpane_draw,
	.action = tasks_action,
	.result = tasks_result,
	.tick = tasks_tick,
	.info = tasks_info,
};
