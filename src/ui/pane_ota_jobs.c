/* pane_ota_jobs.c — the OTA jobs of a firmware (ListOTAJobByFirmware), or of every
 * firmware of a product, newest first, each with its progress (the counts of its tasks by
 * state, for the jobs on screen); Enter opens a job's tasks (pane_ota_tasks.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/listpane.h"
#include "ui/pane_ota.h"

enum { J_ID, J_TYPE, J_STATUS, J_PROGRESS, J_ENDED, J_SELECTION, J_TARGET, J_VERSION,
	J_CREATED, J_START, J_COUNT };

/* A job's progress is a bar of characters (a cell has one colour): succeeded █, failed ✗,
 * canceled ░, the rest ·, and "ended/total" with the failed and canceled counts. */
#define JOB_BAR_COLS 10

static const struct table_column job_columns[J_COUNT] = {
	[J_ID]        = { "JobId", 12, 28, 0, 1 },
	[J_TYPE]      = { "Type", 6, 8, 0, 2 },
	[J_STATUS]    = { "Status", 9, 11, TABLE_COL_KEEP, 1 },
	[J_PROGRESS]  = { "Progress", JOB_BAR_COLS, JOB_BAR_COLS, TABLE_COL_KEEP, 2 },
	[J_ENDED]     = { "Ended", 5, 28, TABLE_COL_KEEP, 2 },
	[J_SELECTION] = { "Selection", 6, 9, 0, 6 },
	[J_TARGET]    = { "Targets", 6, 9, 0, 5 },
	[J_VERSION]   = { "Version", 7, 20, 0, 3 },
	[J_CREATED]   = { "Created", FMT_TIME_COLS, FMT_TIME_COLS, 0, 5 },
	[J_START]     = { "Started", FMT_TIME_COLS, FMT_TIME_COLS, 0, 4 },
};

/* How often an open firmware's job list is loaded again. */
static const struct ui_live jobs_live = { .at_default = 10.0, .least = 2.0 };
/* How often the counts of the jobs on screen are asked (4 ListOTATaskByJob requests a job:
 * its total, succeeded, failed, canceled), and for at most how many jobs a round: 5 jobs
 * every 10 s is 2 of its 10 QPS (every 5 s at the least: 4 QPS). */
static const struct ui_live job_counts_live = { .at_default = 10.0, .least = 5.0 };
#define JOB_COUNTS_MAX 5
enum { JC_TOTAL, JC_SUCCEEDED, JC_FAILED, JC_CANCELED, JC_N };
static const char *const jc_states[JC_N] = { NULL, "SUCCEEDED", "FAILED", "CANCELED" };
#define KIND_JOB_COUNT 1000	/* + slot * JC_N + which */

/* The counts of one job, once asked. */
struct jobcount {
	char    *id;		/* JobId (raw) */
	int64_t  n[JC_N];	/* tasks: all, succeeded, failed, canceled (-1: not yet) */
	int      pending;	/* answers still out */
	int      final;		/* the job had ended when they were asked: not again */
};

struct jobs {
	double           next;		/* the next reload of the list */
	double           next_counts;	/* the next round of counts */
	struct jobcount *jc;		/* jobs counted, in the order first asked */
	size_t           njc;
	char           **fw;		/* a product's jobs: its firmware, as listed */
	size_t           nfw;
};

/* A product's jobs: the pane's argument is a ProductKey; the list is the product's
 * firmware (ListOTAFirmware), and each firmware's jobs are asked as it comes
 * (ListOTAJobByFirmware, 200 a page) and become the rows. */
#define KIND_FW_JOBS 100000	/* + slot * 100 + page */
static int fw_jobs_result(struct pane *p, struct worker_result *r);

static struct jobcount *
jobcount_find(struct jobs *js, const char *id)
{
	size_t i;

	for (i = 0; i < js->njc; i++)
		if (strcmp(js->jc[i].id, id) == 0)
			return &js->jc[i];
	return NULL;
}

/* The progress cells of a job from its counts (empty until they are all in). */
static void
job_progress_cells(const struct jobcount *c, struct buf *bar, struct buf *ended)
{
	static const char *const ch[] = { "\xE2\x96\x88", "\xE2\x9C\x97", "\xE2\x96\x91",
	    "\xC2\xB7" };	/* █ ✗ ░ · */
	int64_t seg[4];
	int widths[4], i, k;

	buf_reset(bar);
	buf_reset(ended);
	if (c == NULL || c->pending > 0 || c->n[JC_TOTAL] < 0)
		return;
	seg[0] = c->n[JC_SUCCEEDED];
	seg[1] = c->n[JC_FAILED];
	seg[2] = c->n[JC_CANCELED];
	seg[3] = c->n[JC_TOTAL] - seg[0] - seg[1] - seg[2];
	fmt_segments(seg, 4, JOB_BAR_COLS, widths);
	for (i = 0; i < 4; i++)
		for (k = 0; k < widths[i]; k++)
			buf_adds(bar, ch[i]);
	buf_addf(ended, "%lld/%lld", (long long)(seg[0] + seg[1] + seg[2]),
	    (long long)c->n[JC_TOTAL]);
	if (seg[1] > 0)
		buf_addf(ended, " %lld failed", (long long)seg[1]);
	if (seg[2] > 0)
		buf_addf(ended, " %lld canceled", (long long)seg[2]);
}

static void
job_params(struct pane *p, struct params *q)
{
	params_set(q, "FirmwareId", p->arg.id);
}

static void
job_row(struct pane *p, const void *item, double now)
{
	const struct model_ota_job *j = item;
	const char *cells[J_COUNT];
	char created[FMT_TIME_MAX], started[FMT_TIME_MAX];
	struct buf bar = BUF_INIT, ended = BUF_INIT;

	if (j->job_id == NULL)
		return;
	cells[J_ID] = j->job_id;
	cells[J_TYPE] = j->job_type == NULL ? "" :
	    strcmp(j->job_type, "VERIFY_FIRMWARE") == 0 ? "verify" :
	    strcmp(j->job_type, "UPGRADE_FIRMWARE") == 0 ? "upgrade" : j->job_type;
	cells[J_STATUS] = fmt_str(j->job_status);
	cells[J_SELECTION] = fmt_str(j->selection_type);
	cells[J_TARGET] = fmt_str(j->target_selection);
	cells[J_VERSION] = fmt_str(j->dest_version);
	cells[J_CREATED] = fmt_time(j->utc_create, created, sizeof created);
	cells[J_START] = fmt_time(j->utc_start_time, started, sizeof started);
	job_progress_cells(jobcount_find(listpane_ext(p), j->job_id), &bar, &ended);
	cells[J_PROGRESS] = buf_str(&bar);
	cells[J_ENDED] = buf_str(&ended);
	table_set(p->table, j->job_id, cells, NULL, now);
	buf_free(&bar);
	buf_free(&ended);
}

/* Asks the counts of the jobs on screen that are not known to have ended. */
static void
ask_job_counts(struct pane *p, struct jobs *js)
{
	struct params q = PARAMS_INIT;
	struct jobcount *c;
	struct table_row *r;
	size_t first, count, i, asked = 0;
	int which;

	table_visible(p->table, &first, &count);
	for (i = first; i < first + count && asked < JOB_COUNTS_MAX; i++) {
		r = table_shown_row(p->table, i);
		if (r == NULL || ((c = jobcount_find(js, r->key)) != NULL && (c->final ||
		    c->pending > 0)))
			continue;
		if (c == NULL) {
			js->jc = xreallocarray(js->jc, js->njc + 1, sizeof *js->jc);
			c = &js->jc[js->njc++];
			memset(c, 0, sizeof *c);
			c->id = xstrdup(r->key);
			for (which = 0; which < JC_N; which++)
				c->n[which] = -1;
		}
		/* A job that has ended is counted once more, then left. */
		c->final = strcmp(r->cells[J_STATUS], "COMPLETED") == 0 ||
		    strcmp(r->cells[J_STATUS], "CANCELED") == 0;
		for (which = 0; which < JC_N; which++) {
			params_set(&q, "JobId", c->id);
			if (jc_states[which] != NULL)
				params_set(&q, "TaskStatus", jc_states[which]);
			params_set(&q, "CurrentPage", "1");
			params_set(&q, "PageSize", "1");
			ui_request(p, ACT_ListOTATaskByJob, &q, WORKER_REFRESH,
			    KIND_JOB_COUNT + (intptr_t)((size_t)(c - js->jc) * JC_N) + which);
			params_free(&q);
			c->pending++;
		}
		asked++;
	}
}

static int
jobs_result(struct pane *p, struct worker_result *r)
{
	struct jobs *js = listpane_ext(p);
	intptr_t kind = (intptr_t)r->udata;
	struct jsonpath_page pg;
	struct buf bar = BUF_INIT, ended = BUF_INIT;
	struct jobcount *c;
	size_t slot;

	if (kind >= KIND_FW_JOBS)
		return fw_jobs_result(p, r);
	if (kind < KIND_JOB_COUNT)
		return listpane_result(p, r);
	slot = (size_t)(kind - KIND_JOB_COUNT) / JC_N;
	if (slot >= js->njc)
		return 0;
	c = &js->jc[slot];
	if (c->pending > 0)
		c->pending--;
	if (r->status == API_OK) {
		jsonpath_page_parse(r->json, &pg);
		c->n[(kind - KIND_JOB_COUNT) % JC_N] = pg.total;
		jsonpath_page_clear(&pg);
	} else
		c->final = 0;	/* ask again next round */
	if (c->pending == 0 && table_find(p->table, c->id) != NULL) {
		job_progress_cells(c, &bar, &ended);
		table_set_cell(p->table, c->id, J_PROGRESS, buf_str(&bar), clock_mono_s());
		table_set_cell(p->table, c->id, J_ENDED, buf_str(&ended), clock_mono_s());
		p->dirty = 1;
	}
	buf_free(&bar);
	buf_free(&ended);
	return 0;
}

static const struct listpane_def jobs_def = {
	.action = ACT_ListOTAJobByFirmware,
	.kind = MODEL_OTA_JOB,
	.columns = job_columns,
	.ncols = J_COUNT,
	.what = "jobs",
	.params = job_params,
	.row = job_row,
};

static void
ask_fw_jobs(struct pane *p, size_t slot, int page)
{
	struct jobs *js = listpane_ext(p);
	struct params q = PARAMS_INIT;
	char num[16];

	params_set(&q, "FirmwareId", js->fw[slot]);
	snprintf(num, sizeof num, "%d", page);
	params_set(&q, "CurrentPage", num);
	params_set(&q, "PageSize", "200");
	ui_request(p, ACT_ListOTAJobByFirmware, &q, WORKER_BACKGROUND,
	    KIND_FW_JOBS + (intptr_t)slot * 100 + page);
	params_free(&q);
}

static void
product_fw_params(struct pane *p, struct params *q)
{
	params_set(q, "ProductKey", p->arg.product_key);
}

/* A firmware of the product: its jobs are asked for. */
static void
product_fw_row(struct pane *p, const void *item, double now)
{
	const struct model_firmware *f = item;
	struct jobs *js = listpane_ext(p);
	size_t i;

	(void)now;
	if (f->firmware_id == NULL)
		return;
	for (i = 0; i < js->nfw; i++)
		if (strcmp(js->fw[i], f->firmware_id) == 0)
			break;
	if (i == js->nfw) {
		js->fw = xreallocarray(js->fw, js->nfw + 1, sizeof *js->fw);
		js->fw[js->nfw++] = xstrdup(f->firmware_id);
	}
	ask_fw_jobs(p, i, 1);
}

static const struct listpane_def product_jobs_def = {
	.action = ACT_ListOTAFirmware,
	.kind = MODEL_FIRMWARE,
	.columns = job_columns,
	.ncols = J_COUNT,
	.what = "firmware",
	.params = product_fw_params,
	.row = product_fw_row,
};

/* An answer of a product's firmware's jobs: rows, and the next page. */
static int
fw_jobs_result(struct pane *p, struct worker_result *r)
{
	struct jobs *js = listpane_ext(p);
	intptr_t k = (intptr_t)r->udata - KIND_FW_JOBS;
	size_t slot = (size_t)(k / 100), i;
	int page = (int)(k % 100);
	struct model_list list;
	struct jsonpath_page pg;

	if (r->status != API_OK) {
		ui_api_error(p->ui, ACT_ListOTAJobByFirmware, r);
		return 0;
	}
	model_list_parse(MODEL_OTA_JOB, r->json, action_get(r->action)->list_path, &list);
	for (i = 0; i < list.count; i++)
		job_row(p, model_list_item(&list, i), clock_mono_s());
	jsonpath_page_parse(r->json, &pg);
	if (slot < js->nfw && list.count > 0 && page < 99 && pg.total > (int64_t)page * 200)
		ask_fw_jobs(p, slot, page + 1);
	jsonpath_page_clear(&pg);
	model_list_free(&list);
	table_loaded(p->table);
	p->dirty = 1;
	return 0;
}

static void
jobs_open(struct pane *p)
{
	struct jobs *js = xcalloc(1, sizeof *js);

	js->next = clock_mono_s() + ui_live_every(p->ui, &jobs_live);
	js->next_counts = clock_mono_s() + 0.5;	/* once the first page is in */
	listpane_open(p, p->arg.product_key != NULL ? &product_jobs_def : &jobs_def, js);
	table_sort(p->table, J_CREATED, 1);	/* newest first */
}

static void
jobs_close(struct pane *p)
{
	struct jobs *js = listpane_ext(p);
	size_t i;

	for (i = 0; i < js->njc; i++)
		free(js->jc[i].id);
	free(js->jc);
	for (i = 0; i < js->nfw; i++)
		free(js->fw[i]);
	free(js->fw);
	free(js);
	listpane_close(p);
}

static int
jobs_action(struct pane *p, enum ui_action a)
{
	struct table_row *r = table_cursor_row(p->table);

	switch (a) {
	case UI_A_ENTER:
		if (r != NULL)
			ui_open(p->ui, UI_V_TASKS, &(struct pane_arg){ .id = r->key });
		return 1;
	default:
		return listpane_action(p, a);
	}
}

static double
jobs_tick(struct pane *p, double now)
{
	struct jobs *js = listpane_ext(p);

	if (now >= js->next) {
		if (listpane_of(p)->loader.done)
			listpane_refresh(p);
		js->next = now + ui_live_every(p->ui, &jobs_live);
	}
	if (now >= js->next_counts) {
		ask_job_counts(p, js);
		js->next_counts = now + ui_live_every(p->ui, &job_counts_live);
	}
	return (js->next < js->next_counts ? js->next : js->next_counts) - now;
}

const struct pane_ops pane_jobs_ops = {
	.kind = UI_P_JOBS,
	.open = jobs_open,
	.close = jobs_close,
	.draw = listpane_draw,
	.action = jobs_action,
	.result = jobs_result,
	.tick = jobs_tick,
	.info = listpane_info,
};
