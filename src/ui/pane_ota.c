/* pane_ota.c — OTA, the firmware list (ListOTAFirmware). Enter goes to a firmware's jobs
 * (pane_ota_jobs.c: ListOTAJobByFirmware, or every firmware's jobs of a product), and from
 * a job to its device tasks and dashboard (pane_ota_tasks.c: ListOTATaskByJob), where an
 * operator watches a rollout: live counts per task status, a progress bar for the job and
 * one per device task, refreshed while the pane is open. */
#include <stdlib.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/listpane.h"
#include "ui/pane_ota.h"

enum { F_NAME, F_ID, F_VERSION, F_SRC, F_PRODUCT, F_MODULE, F_TYPE, F_VERIFY, F_CREATED,
	F_COUNT };

static const struct table_column firmware_columns[F_COUNT] = {
	[F_NAME]    = { "Name", 10, 40, 0, 1 },
	[F_ID]      = { "FirmwareId", 16, 28, 0, 5 },
	[F_VERSION] = { "Version", 7, 20, 0, 1 },
	[F_SRC]     = { "From", 4, 20, 0, 4 },
	[F_PRODUCT] = { "Product", 8, 24, 0, 2 },
	[F_MODULE]  = { "Module", 6, 16, 0, 6 },
	[F_TYPE]    = { "Type", 4, 5, 0, 6 },
	[F_VERIFY]  = { "Verification", 10, 12, 0, 3 },
	[F_CREATED] = { "Created", FMT_TIME_COLS, FMT_TIME_COLS, 0, 4 },
};

/* The package verification Status of the guide (4.20.5). */
static const char *
verify_text(int64_t status)
{
	switch (status) {
	case -1: return "not needed";
	case 0:  return "unverified";
	case 1:  return "verified";
	case 2:  return "verifying";
	case 3:  return "failed";
	}
	return "";
}

static void
firmware_row(struct pane *p, const void *item, double now)
{
	const struct model_firmware *f = item;
	const char *cells[F_COUNT];
	char created[FMT_TIME_MAX];

	if (f->firmware_id == NULL)
		return;
	cells[F_NAME] = fmt_str(f->firmware_name);
	cells[F_ID] = f->firmware_id;
	cells[F_VERSION] = fmt_str(f->dest_version);
	cells[F_SRC] = fmt_str(f->src_version);
	cells[F_PRODUCT] = fmt_str(f->product_name ? f->product_name : f->product_key);
	cells[F_MODULE] = fmt_str(f->module_name);
	cells[F_TYPE] = f->type == 1 ? "diff" : f->type == 0 ? "full" : "";
	cells[F_VERIFY] = verify_text(f->status);
	cells[F_CREATED] = fmt_time(f->utc_create, created, sizeof created);
	table_set(p->table, f->firmware_id, cells, NULL, now);
}

/* The pane's argument, when there is one, is a ProductKey: that product's firmware. */
static void
firmware_params(struct pane *p, struct params *q)
{
	if (p->arg.product_key != NULL)
		params_set(q, "ProductKey", p->arg.product_key);
}

static const struct listpane_def firmware_def = {
	.action = ACT_ListOTAFirmware,
	.kind = MODEL_FIRMWARE,
	.columns = firmware_columns,
	.ncols = F_COUNT,
	.what = "firmware",
	.params = firmware_params,
	.row = firmware_row,
};

static void
firmware_open(struct pane *p)
{
	listpane_open(p, &firmware_def, NULL);
}

static int
firmware_action(struct pane *p, enum ui_action a)
{
	struct table_row *r = table_cursor_row(p->table);
	char *crumb;

	switch (a) {
	case UI_A_ENTER:
		if (r == NULL)
			return 1;
		crumb = xasprintf("%s %s", r->cells[F_NAME], r->cells[F_VERSION]);
		ui_open(p->ui, UI_V_JOBS, &(struct pane_arg){ .id = r->key, .label = crumb });
		free(crumb);
		return 1;
	default:
		return listpane_action(p, a);
	}
}

const struct pane_ops pane_firmware_ops = {
	.kind = UI_P_FIRMWARE,
	.open = firmware_open,
	.close = listpane_close,
	.draw = listpane_draw,
	.action = firmware_action,
	.result = listpane_result,
	.tick = listpane_tick,
	.info = listpane_info,
};
