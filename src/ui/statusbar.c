/* statusbar.c — the console's three fixed lines: the title (breadcrumbs), the info line
 * (what the pane is doing, the filter, the row, a transient message) and the status bar
 * (profile, region, instance, read-only, the API budget, requests, the last error; the
 * prompt replaces it while open). Everything is made display-safe here. */
#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "ui/config.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/ui_impl.h"
#include "ui/uiops.h"

/* Draws one line of text (made display-safe here: it may hold a profile name, a key
 * completed from the network or an error message). */
void
statusbar_line(WINDOW *w, attr_t a, const char *text)
{
	struct buf b = BUF_INIT;
	char *safe = safetext_dup(text, strlen(text));
	int width = getmaxx(w);

	wmove(w, 0, 0);
	wattrset(w, a);
	text_fit(&b, safe, width, 1, 0);
	waddstr(w, buf_str(&b));
	buf_free(&b);
	free(safe);
}

void
statusbar_draw_title(struct ui *ui)
{
	struct buf b = BUF_INIT, out = BUF_INIT;
	int i, width = getmaxx(ui->w_title);
	const char *right = " ?:help ";
	int rw = text_width(right);

	buf_adds(&b, " iotdeck ");
	for (i = 0; i < ui->depth; i++)
		buf_addf(&b, "%s%s", i ? " \xE2\x80\xBA " : "\xE2\x94\x82 ", ui->stack[i]->crumb);
	wmove(ui->w_title, 0, 0);
	wattrset(ui->w_title, ui_attr(ui, UI_E_BREADCRUMB));
	text_fit(&out, buf_str(&b), width - rw > 0 ? width - rw : width, 1, 0);
	waddstr(ui->w_title, buf_str(&out));
	if (width - rw > 0) {
		wattrset(ui->w_title, ui_attr(ui, UI_E_TITLE));
		waddstr(ui->w_title, right);
	}
	buf_free(&b);
	buf_free(&out);
}

void
statusbar_draw_info(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	struct buf b = BUF_INIT;
	const char *f;

	buf_addc(&b, ' ');
	if (p != NULL && p->gone != NULL)
		buf_adds(&b, "not found");
	else if (p != NULL && p->ops->info != NULL)
		p->ops->info(p, &b);
	if (p != NULL && p->table != NULL) {
		f = table_filter_text(p->table);
		if (f != NULL)
			buf_addf(&b, "  \xE2\x94\x82 filter %s: %zu of %zu", f, table_shown(p->table),
			    table_count(p->table));
		if (table_shown(p->table) > 0)
			buf_addf(&b, "  \xE2\x94\x82 row %zu", table_cursor_index(p->table) + 1);
	}
	if (ui->message != NULL && clock_mono_s() - ui->message_at < MESSAGE_SECONDS)
		buf_addf(&b, "  \xE2\x94\x82 %s", ui->message);
	statusbar_line(ui->w_info, ui_attr(ui, UI_E_DIM), buf_str(&b));
	buf_free(&b);
}

/* The busiest action: its rate against its budget. */
static void
budget_text(struct ui *ui, struct buf *b)
{
	const struct worker_action_stats *busiest = NULL, *a;
	double share = -1, s;
	size_t i;

	for (i = 0; i < ui->stats.nactions; i++) {
		a = &ui->stats.actions[i];
		if (a->budget_qps <= 0)
			continue;
		s = a->rate / a->budget_qps;
		if (s > share) {
			share = s;
			busiest = a;
		}
	}
	if (busiest != NULL && busiest->rate > 0)
		buf_addf(b, "api %s %d/%.0f qps", busiest->action, busiest->rate, busiest->budget_qps);
	else
		buf_adds(b, "api idle");
}

int
statusbar_sts_text(const struct api_config *cfg, int64_t now_ms, struct buf *b)
{
	int is_sts = 0;
	int64_t expiry = api_config_token_expiry(cfg, &is_sts), left;

	if (!is_sts)
		return 0;
	if (expiry == 0) {
		buf_adds(b, "STS");
		return 1;
	}
	left = (expiry - now_ms) / 1000;
	if (left <= 0) {
		buf_adds(b, "STS EXPIRED");
		return 3;
	}
	if (left >= 3600)
		buf_addf(b, "STS %lldh%02lldm", (long long)(left / 3600),
		    (long long)(left % 3600 / 60));
	else if (left >= 60)
		buf_addf(b, "STS %lldm", (long long)(left / 60));
	else
		buf_addf(b, "STS %llds", (long long)left);
	return left < STATUSBAR_STS_WARN_S ? 2 : 1;
}

void
statusbar_draw_status(struct ui *ui)
{
	struct buf b = BUF_INIT, out = BUF_INIT;
	WINDOW *w = ui->w_status;
	int width = getmaxx(w);
	const char *err;
	struct pane *p;
	size_t wire, unsent, sts_len;
	int sts_col, sts_width = 0, sts_level;

	wmove(w, 0, 0);
	if (ui->w_main == NULL) {
		statusbar_line(w, ui_attr(ui, UI_E_ERROR), "terminal too small for iotdeck");
		return;
	}
	if (ui->mode == MODE_PROMPT) {
		prompt_draw(ui);
		buf_free(&b);
		return;
	}
	buf_addf(&b, " %s", ui->profile ? ui->profile : "env");
	/* The STS credential's time left, coloured when short, after the profile's name. */
	buf_adds(&b, " \xE2\x94\x82 ");
	sts_col = text_width(buf_str(&b));
	sts_len = b.len;
	sts_level = statusbar_sts_text(ui->cfg, clock_wall_ms(), &b);
	if (sts_level > 0) {
		sts_width = text_width(buf_str(&b) + sts_len);
		buf_adds(&b, " \xE2\x94\x82 ");
	}
	buf_adds(&b, ui->cfg->region);
	if (ui->cfg->instance_id != NULL)
		buf_addf(&b, " \xE2\x94\x82 %s", ui->cfg->instance_id);
	if (ui->readonly)
		buf_adds(&b, " \xE2\x94\x82 READ-ONLY");
	p = ui_top(ui);
	if (p != NULL && p->table != NULL && table_marked(p->table) > 0)
		buf_addf(&b, " \xE2\x94\x82 %zu marked", table_marked(p->table));
	wire = uiops_in_flight(ui);
	unsent = uiops_unsent(ui);
	if (wire + unsent > 0)
		buf_addf(&b, " \xE2\x94\x82 writing: %zu sent, %zu to send", wire, unsent);
	buf_adds(&b, " \xE2\x94\x82 ");
	budget_text(ui, &b);
	buf_addf(&b, " \xE2\x94\x82 %d in flight, %d queued", ui->stats.in_flight, ui->stats.queued);
	wattrset(w, ui_attr(ui, UI_E_STATUSBAR));
	text_fit(&out, buf_str(&b), width, 0, 0);
	waddstr(w, buf_str(&out));
	if (sts_level >= 2 && sts_col + sts_width <= getcurx(w)) {
		attr_t a = ui_attr(ui, sts_level == 3 ? UI_E_STATUSBAR_ERROR : UI_E_WARNING);
		int endx = getcurx(w);

		mvwchgat(w, 0, sts_col, sts_width, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
		wmove(w, 0, endx);
	}
	err = errors_status(&ui->errs, clock_mono_s(), NULL);
	if (err != NULL && getcurx(w) < width - 4) {
		int room = width - getcurx(w) - 3;
		buf_reset(&out);
		wattrset(w, ui_attr(ui, UI_E_STATUSBAR));
		waddstr(w, " \xE2\x94\x82");
		buf_adds(&out, " ! ");
		buf_reset(&b);
		text_fit(&b, err, room - 3 > 0 ? room - 3 : 0, 0, 0);
		buf_adds(&out, buf_str(&b));
		wattrset(w, ui_attr(ui, UI_E_STATUSBAR_ERROR));
		waddstr(w, buf_str(&out));
	}
	wattrset(w, ui_attr(ui, UI_E_STATUSBAR));
	wclrtoeol(w);
	buf_free(&b);
	buf_free(&out);
}
