/* helpview.c — the overlays the console fills itself: the keys and commands (?, :help),
 * the API statistics (:stats) and the error history (e). The box is overlay.c's; the
 * dialog that draws it is dialog.c's. */
#include "ui/ui_impl.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "ui/commands.h"
#include "ui/config.h"
#include "ui/keys.h"
#include "ui/text.h"

void
ui_overlay_open(struct ui *ui)
{
	if (ui->w_overlay != NULL) {	/* a question's box is smaller */
		delwin(ui->w_overlay);
		ui->w_overlay = NULL;
	}
	ui->mode = MODE_OVERLAY;
	ui->full = 1;
}

/* Lines "  KEYS  action  help" for the bindings of pane kind (generic ones included). */
static void
help_lines(struct ui *ui, enum ui_pane kind)
{
	uint32_t keys[8];
	char name[KEYS_NAME_MAX];
	struct buf line = BUF_INIT, k = BUF_INIT;
	size_t n, i;
	int a;

	for (a = 1; a < UI_A_COUNT; a++) {
		n = config_action_keys(ui->conf, kind, (enum ui_action)a, keys, 8);
		if (n == 0)
			continue;
		buf_reset(&k);
		for (i = 0; i < n && i < 8; i++) {
			keys_format(keys[i], name, sizeof name);
			buf_addf(&k, "%s%s", i ? " " : "", name);
		}
		buf_reset(&line);
		buf_adds(&line, "  ");
		text_fit(&line, buf_str(&k), 16, 1, 0);
		buf_adds(&line, "  ");
		text_fit(&line, config_action_name((enum ui_action)a), 18, 1, 0);
		buf_adds(&line, "  ");
		buf_adds(&line, config_action_help((enum ui_action)a));
		overlay_add(&ui->ov, buf_str(&line));
	}
	buf_free(&line);
	buf_free(&k);
}

void
ui_show_help(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	enum ui_pane kind = p != NULL ? p->ops->kind : UI_P_GENERIC;
	char *title = xasprintf("Keys: %s (Esc closes)", config_pane_title(kind));
	size_t i;

	overlay_begin(&ui->ov, title);
	if (config_error_count(ui->conf) > 0) {
		overlay_add(&ui->ov, "Problems in the theme, keymap or config files:");
		for (i = 0; i < config_error_count(ui->conf); i++)
			overlay_add(&ui->ov, config_error(ui->conf, i));
		overlay_add(&ui->ov, "");
	}
	help_lines(ui, kind);
	overlay_add(&ui->ov, "");
	overlay_add(&ui->ov, "Filter (/) and search: words must all match; field:text matches one "
	    "column (status:online), /regex/ a regular expression, !word excludes.");
	overlay_add(&ui->ov, "Commands (: then Tab completes):");
	commands_help(&ui->ov);
	overlay_add(&ui->ov, "");
	overlay_add(&ui->ov, "Theme and keymap:");
	overlay_add(&ui->ov, config_theme_file(ui->conf));
	overlay_add(&ui->ov, config_keymap_file(ui->conf));
	ui_overlay_open(ui);
	free(title);
}

/* :stats — the worker's statistics: what the API budget is spent on. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* "keys to frame: p50 0.4 ms, p99 1.2 ms, max 3.0 ms (last 1024 keys)": how long the
 * console took from reading a key to a finished frame, over the keys since the last
 * :stats (at most the last 1024; make bench reads it). */
static void
frame_stats(struct ui *ui, struct buf *out)
{
	size_t n = ui->nframes < FRAME_SAMPLES ? ui->nframes : FRAME_SAMPLES;
	double v[FRAME_SAMPLES];

	if (n == 0) {
		buf_adds(out, "keys to frame: no keys yet");
		return;
	}
	memcpy(v, ui->frame_ms, n * sizeof v[0]);
	qsort(v, n, sizeof v[0], cmp_double);
	buf_addf(out, "keys to frame: p50 %.2f ms, p99 %.2f ms, max %.2f ms (last %zu keys)",
	    v[n / 2], v[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], v[n - 1], n);
}

void
ui_show_stats(struct ui *ui)
{
	struct worker_stats st;
	struct buf line = BUF_INIT;
	size_t i;

	if (ui->worker == NULL)
		return;
	worker_stats(ui->worker, &st);
	overlay_begin(&ui->ov, "API statistics (Esc closes)");
	buf_addf(&line, "requests: %d in flight, %d queued; %llu submitted, %llu sent, %llu failed",
	    st.in_flight, st.queued, (unsigned long long)st.submitted,
	    (unsigned long long)st.sent, (unsigned long long)st.failed);
	overlay_add(&ui->ov, buf_str(&line));
	buf_reset(&line);
	buf_addf(&line, "throttled %llu, retried %llu, coalesced %llu, cancelled %llu",
	    (unsigned long long)st.throttled, (unsigned long long)st.retried,
	    (unsigned long long)st.coalesced, (unsigned long long)st.cancelled);
	overlay_add(&ui->ov, buf_str(&line));
	buf_reset(&line);
	buf_addf(&line, "latency p50 %.1f ms, p95 %.1f ms; %.1f KiB in, %.1f KiB out",
	    st.latency_p50_ms, st.latency_p95_ms, (double)st.bytes_in / 1024.0,
	    (double)st.bytes_out / 1024.0);
	overlay_add(&ui->ov, buf_str(&line));
	buf_reset(&line);
	frame_stats(ui, &line);
	overlay_add(&ui->ov, buf_str(&line));
	ui->nframes = 0;	/* the next :stats says what came after this one */
	overlay_add(&ui->ov, "");
	overlay_add(&ui->ov, "  action                              now   budget  documented      sent  throttled");
	for (i = 0; i < st.nactions; i++) {
		const struct worker_action_stats *a = &st.actions[i];
		buf_reset(&line);
		buf_adds(&line, "  ");
		text_fit(&line, a->action, 34, 1, 0);
		buf_addf(&line, " %4d/s %6.1f/s %8d/s %9llu %10llu", a->rate, a->budget_qps,
		    a->documented_qps, (unsigned long long)a->sent, (unsigned long long)a->throttled);
		overlay_add(&ui->ov, buf_str(&line));
	}
	worker_stats_free(&st);
	buf_free(&line);
	ui_overlay_open(ui);
}

void
ui_show_errors(struct ui *ui)
{
	char *title;

	if (errors_count(&ui->errs) == 0) {
		ui_message(ui, "no error so far");
		return;
	}
	title = xasprintf("Errors, newest first: %zu (Esc or q closes)",
	    errors_count(&ui->errs));
	overlay_begin(&ui->ov, title);
	free(title);
	errors_view(&ui->errs, &ui->ov);
	ui_overlay_open(ui);
}
