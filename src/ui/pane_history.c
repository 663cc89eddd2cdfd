/* pane_history.c — a numeric property's values over the last 24 hours, newest first
 * (QueryDevicePropertyData, guide 4.12.5: 50 QPS for the whole account).
 *
 * DESIGN: the history is paged with NextValid/NextTime, which the pager (api/pager.h)
 * does not do, and it is read on demand rather than streamed: each page's cursor comes
 * from the answer before it, so pages cannot be asked for side by side anyway, and a
 * device that reports every second has 86,400 values a day (1,728 pages) that nobody
 * scrolls through. So the pane asks for one page when it opens and the next one whenever
 * the cursor comes within a screen of the last row loaded, one request out at a time, at
 * interactive priority (the operator is waiting for it). Newest first (Asc=0): the next
 * page's EndTime is the answer's NextTime, its StartTime stays where the window began.
 * Leaving the pane cancels what is out (its requests carry the pane's tag).
 *
 * Each row is keyed by the report's Time (epoch ms, as the API sent it) and keeps the
 * report as the API sent it (JSON text) for the describe view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/actions.h"
#include "core/jsonout.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/pane_history.h"
#include "ui/table.h"

enum { C_TIME, C_VALUE, C_UNIT, C_COUNT };

static const struct table_column columns[C_COUNT] = {
	[C_TIME]  = { "Time", FMT_TIME_COLS, FMT_TIME_COLS, 0, 1 },
	[C_VALUE] = { "Value", 6, 24, TABLE_COL_RIGHT | TABLE_COL_NUMERIC | TABLE_COL_KEEP, 1 },
	[C_UNIT]  = { "Unit", 4, 12, TABLE_COL_KEEP, 2 },
};

/* The rows at least between the cursor and the last row before the next page is asked
 * for (a screen, when the table has been drawn). */
#define MORE_ROWS 20

void
history_params(struct params *q, const char *product_key, const char *device_name,
    const char *identifier, int64_t start_ms, int64_t end_ms, int page_size)
{
	char n[24];

	params_set(q, "ProductKey", product_key);
	params_set(q, "DeviceName", device_name);
	params_set(q, "Identifier", identifier);
	snprintf(n, sizeof n, "%lld", (long long)start_ms);
	params_set(q, "StartTime", n);
	snprintf(n, sizeof n, "%lld", (long long)end_ms);
	params_set(q, "EndTime", n);
	snprintf(n, sizeof n, "%d", page_size < 1 ? 1 : page_size > HISTORY_PAGE_MAX ?
	    HISTORY_PAGE_MAX : page_size);
	params_set(q, "PageSize", n);
	params_set(q, "Asc", "0");
}

size_t
history_page(const cJSON *json, struct jsonpath_list *list, int64_t *next_end)
{
	int more = 0;
	int64_t next;

	*next_end = -1;
	if (jsonpath_bool(json, "Data.NextValid", &more) && more &&
	    jsonpath_int64(json, "Data.NextTime", &next) && next > 0)
		*next_end = next;
	return jsonpath_list(json, "Data.List.PropertyInfo", list);
}

int
history_item(const cJSON *item, const char **value, int64_t *time_ms)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "Value");

	*value = cJSON_IsString(v) ? v->valuestring : NULL;
	return jsonpath_int64(item, "Time", time_ms) ? 0 : -1;
}

/* ---- the pane ----------------------------------------------------------------------- */

struct history {
	char    *product_key;	/* ProductKey */
	char    *device_name;	/* DeviceName */
	char    *identifier;	/* the property's Identifier */
	char    *name;		/* its name, or NULL */
	char    *unit;		/* its unit, or NULL */
	int64_t  start_ms;	/* the window's start (StartTime of every page) */
	int64_t  next_end;	/* EndTime of the next page; -1: no more pages */
	uint64_t req;		/* the page request out (0: none) */
	int      failed;	/* the last page failed (r tries again) */
	int      loaded;	/* the first page arrived */
	uint64_t seq;		/* rows so far: the natural order is the API's */
};

/* Asks for the next page. */
static void
ask_page(struct pane *p)
{
	struct history *h = p->priv;
	struct params q = PARAMS_INIT;

	history_params(&q, h->product_key, h->device_name, h->identifier, h->start_ms,
	    h->next_end, HISTORY_PAGE_MAX);
	h->req = ui_request(p, ACT_QueryDevicePropertyData, &q, WORKER_INTERACTIVE, 0);
	h->failed = 0;
	params_free(&q);
}

/* Starts from the newest value again: the last 24 hours up to now. */
static void
restart(struct pane *p)
{
	struct history *h = p->priv;

	if (h->req != 0)
		worker_cancel(ui_worker(p->ui), h->req);
	table_clear(p->table);
	h->seq = 0;
	h->loaded = 0;
	h->next_end = clock_wall_ms();
	h->start_ms = h->next_end - HISTORY_WINDOW_MS;
	p->progress = 0;
	ask_page(p);
}

static void
history_open(struct pane *p)
{
	p->table = table_new(columns, C_COUNT);
	table_own_data(p->table, free);	/* each report, as JSON text */
	restart(p);
}

static void
history_close(struct pane *p)
{
	struct history *h = p->priv;

	free(h->product_key);
	free(h->device_name);
	free(h->identifier);
	free(h->name);
	free(h->unit);
	free(h);
}

static int
history_result(struct pane *p, struct worker_result *r)
{
	struct history *h = p->priv;
	struct jsonpath_list list;
	const char *cells[C_COUNT], *value;
	char when[FMT_TIME_MAX], key[24];
	double now = clock_mono_s();
	int64_t ms, next;
	size_t i;

	if (r->id != h->req)
		return 0;	/* a page of before a refresh */
	h->req = 0;
	p->progress = -1;
	p->dirty = 1;
	if (r->status != API_OK) {
		h->failed = 1;
		ui_api_error(p->ui, r->action, r);
		return 0;
	}
	history_page(r->json, &list, &next);
	for (i = 0; i < list.count; i++) {
		if (history_item(list.items[i], &value, &ms) != 0)
			continue;
		snprintf(key, sizeof key, "%lld", (long long)ms);
		cells[C_TIME] = fmt_time_ms(ms, when, sizeof when);
		cells[C_VALUE] = fmt_str(value);
		cells[C_UNIT] = fmt_str(h->unit);
		table_order_from(p->table, h->seq++);
		table_set(p->table, key, cells, jsonout_print(list.items[i], JSONOUT_COMPACT), now);
	}
	jsonpath_list_free(&list);
	/* A NextTime that does not go back would ask for the same page for ever. */
	h->next_end = next >= 0 && next < h->next_end ? next : -1;
	/* Never table_loaded: an older page's rows are not new ones. */
	h->loaded = 1;
	return 0;
}

/* The next page, once the cursor is within a screen of the last row loaded. */
static double
history_tick(struct pane *p, double now)
{
	struct history *h = p->priv;
	size_t shown = table_shown(p->table), at = table_cursor_index(p->table);
	size_t near = table_page(p->table) > MORE_ROWS ? (size_t)table_page(p->table) : MORE_ROWS;

	(void)now;
	if (h->req == 0 && !h->failed && h->next_end >= 0 && at + near >= shown)
		ask_page(p);
	return 1.0;
}

static int
history_action(struct pane *p, enum ui_action a)
{
	switch (a) {
	case UI_A_REFRESH:
		restart(p);
		return 1;
	case UI_A_ENTER:
		return 1;
	default:
		return 0;
	}
}

static void
history_info(struct pane *p, struct buf *out)
{
	struct history *h = p->priv;
	size_t n = table_count(p->table);

	buf_addf(out, "%s%s%s: ", h->identifier, h->name ? " " : "", fmt_str(h->name));
	if (!h->loaded && h->req != 0) {
		buf_adds(out, "loading\xE2\x80\xA6");
		return;
	}
	buf_addf(out, "%zu value%s of the last 24 h", n, n == 1 ? "" : "s");
	if (h->failed)
		buf_adds(out, "; a page failed (r starts again)");
	else if (h->req != 0)
		buf_adds(out, "; loading more\xE2\x80\xA6");
	else if (h->next_end >= 0)
		buf_adds(out, "; more as you scroll");
	else
		buf_adds(out, "; all loaded");
}

const struct pane_ops pane_history_ops = {
	.kind = UI_P_DEVICE,	/* the device's keys: the pane is a view of the device */
	.open = history_open,
	.close = history_close,
	.draw = ui_table_pane_draw,
	.action = history_action,
	.result = history_result,
	.tick = history_tick,
	.info = history_info,
};

void
pane_history_push(struct ui *ui, const char *product_key, const char *device_name,
    const char *identifier, const char *name, const char *unit)
{
	struct history *h = xcalloc(1, sizeof *h);

	h->product_key = xstrdup(product_key);
	h->device_name = xstrdup(device_name);
	h->identifier = xstrdup(identifier);
	h->name = name != NULL && *name != '\0' ? xstrdup(name) : NULL;
	h->unit = unit != NULL && *unit != '\0' ? xstrdup(unit) : NULL;
	ui_open_with(ui, UI_V_HISTORY, &(struct pane_arg){ .label = identifier }, h);
}
