/* dialog.c — questions the console asks: a yes/no box over the pane (ui_confirm), wrapped
 * to the screen, answered with y, or n / Esc / q; and quitting while writes are in flight.
 * The overlay views (help, :stats, errors) are drawn here too, in the same window. */
#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/config.h"
#include "ui/keys.h"
#include "ui/text.h"
#include "ui/fwupload.h"
#include "ui/uiops.h"
#include "ui/ui_impl.h"

void
ui_confirm(struct ui *ui, struct pane *p, const char *question,
    void (*fn)(struct pane *p, void *arg), void *arg, void (*free_arg)(void *))
{
	struct confirm *c = &ui->confirm;

	if (ui->mode == MODE_CONFIRM && c->free_arg != NULL)
		c->free_arg(c->arg);
	free(c->question);
	c->question = safetext_dup(question, strlen(question));
	c->pane = p;
	c->pane_tag = p != NULL ? p->tag : 0;
	c->fn = fn;
	c->arg = arg;
	c->free_arg = free_arg;
	ui->mode = MODE_CONFIRM;
	ui->full = 1;
}

void
ui_confirm_typed(struct ui *ui, struct pane *p, const char *question, const char *expect,
    void (*fn)(struct pane *p, void *arg), void *arg, void (*free_arg)(void *))
{
	struct confirm *c = &ui->confirm;

	ui_confirm(ui, p, question, fn, arg, free_arg);
	free(c->expect);
	lineedit_free(&c->typed);
	c->expect = xstrdup(expect);
	lineedit_init(&c->typed, 256);
	c->wrong = 0;
}

void
confirm_end(struct ui *ui, int yes)
{
	struct confirm *c = &ui->confirm;
	struct pane *p = c->pane_tag ? ui_find_pane(ui, c->pane_tag) : NULL;
	struct confirm done = *c;

	/* Cleared first: the action may ask a new question. */
	free(c->expect);
	lineedit_free(&c->typed);
	memset(c, 0, sizeof *c);
	ui->mode = MODE_NORMAL;
	ui->full = 1;
	if (yes && done.fn != NULL && (done.pane_tag == 0 || p != NULL))
		done.fn(p, done.arg);
	if (done.free_arg != NULL)
		done.free_arg(done.arg);
	free(done.question);
}

void
confirm_key(struct ui *ui, uint32_t key)
{
	struct confirm *c = &ui->confirm;

	if (c->expect != NULL) {
		switch (lineedit_key(&c->typed, key)) {
		case LINEEDIT_ENTER:
			if (strcmp(lineedit_text(&c->typed), c->expect) == 0)
				confirm_end(ui, 1);
			else {
				c->wrong = 1;
				ui->full = 1;
			}
			return;
		case LINEEDIT_CANCEL:
			confirm_end(ui, 0);
			return;
		default:
			c->wrong = 0;
			ui->full = 1;
			return;
		}
	}
	if (key == 'y' || key == 'Y')
		confirm_end(ui, 1);
	else if (key == 'n' || key == 'N' || key == KEYS_ESC || key == 'q')
		confirm_end(ui, 0);
}

void
confirm_free(struct ui *ui)
{
	struct confirm *c = &ui->confirm;

	if (ui->mode == MODE_CONFIRM && c->free_arg != NULL)
		c->free_arg(c->arg);
	free(c->question);
	free(c->expect);
	lineedit_free(&c->typed);
	memset(c, 0, sizeof *c);
}

static void
quit_now(struct pane *p, void *arg)
{
	struct ui *ui = arg;

	(void)p;
	ui->quit = 1;
}

void
ui_ask_quit(struct ui *ui)
{
	char *q;

	int wire = ui->writes + (int)uiops_in_flight(ui), unsent = (int)uiops_unsent(ui);

	if (wire <= 0 && unsent <= 0 && !fwupload_active()) {
		ui->quit = 1;
		return;
	}
	if (wire <= 0 && unsent <= 0)
		q = xstrdup("A firmware upload is under way: quitting stops it (nothing is created). "
		    "Quit anyway?");
	else if (unsent > 0)
		q = xasprintf("%d write%s on the wire (the outcome will be unknown) and %d not sent "
		    "yet (they will not be). Quit anyway?", wire, wire == 1 ? " is" : "s are",
		    unsent);
	else
		q = xasprintf("%d write%s still in flight: its outcome will be unknown. Quit "
		    "anyway?", wire, wire == 1 ? " is" : "s are");
	ui_confirm(ui, NULL, q, quit_now, ui, NULL);
	free(q);
}

/* The typed answer's two lines: what to type (or that it was wrong), and the field. */
static void
draw_typed(struct ui *ui, WINDOW *o, int h, int w)
{
	struct confirm *c = &ui->confirm;
	struct buf b = BUF_INIT, fit = BUF_INIT;
	char *say;
	int col;

	if (c->wrong)
		say = xasprintf("That is not %s: type %s and Enter (Esc cancels)", c->expect,
		    c->expect);
	else
		say = xasprintf("Type %s and Enter to confirm (Esc cancels)", c->expect);
	wattrset(o, ui_attr(ui, c->wrong ? UI_E_ERROR : UI_E_DIALOG_BUTTON));
	text_fit(&fit, say, w - 4, 0, 0);
	mvwaddstr(o, h - 3, 2, buf_str(&fit));
	free(say);
	wattrset(o, ui_attr(ui, UI_E_COMMAND));
	mvwaddstr(o, h - 2, 2, "> ");
	col = lineedit_render(&c->typed, w - 7, &b);
	waddstr(o, buf_str(&b));
	wmove(o, h - 2, 4 + col);	/* the cursor: draw() shows it there */
	buf_free(&b);
	buf_free(&fit);
}

/* The question box: the question wrapped to at most 72 columns (or the screen), and the
 * answers. */
static void
draw_confirm(struct ui *ui)
{
	char **lines = NULL;
	size_t n = 0, i;
	int w, h, qw, cols = ui->cols - 4;
	struct buf b = BUF_INIT;
	WINDOW *o;

	qw = text_width(ui->confirm.question);
	w = qw + 4;
	if (w > 76)
		w = 76;
	if (w < 40)
		w = 40;
	if (w > cols)
		w = cols;
	if (w < 10)
		return;
	overlay_wrap(ui->confirm.question, w - 4, &lines, &n);
	h = (int)n + 4 + (ui->confirm.expect != NULL);
	if (h > ui->lines - 2)
		h = ui->lines - 2;
	if (h < 3) {
		for (i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		return;
	}
	if (ui->w_overlay != NULL)
		delwin(ui->w_overlay);
	ui->w_overlay = newwin(h, w, (ui->lines - h) / 2, (ui->cols - w) / 2);
	o = ui->w_overlay;
	wattrset(o, ui_attr(ui, UI_E_DIALOG));
	werase(o);
	box(o, 0, 0);
	wattrset(o, ui_attr(ui, UI_E_DIALOG_TITLE));
	wmove(o, 0, 2);
	text_fit(&b, " Confirm ", w - 4, 0, 0);
	waddstr(o, buf_str(&b));
	wattrset(o, ui_attr(ui, UI_E_DIALOG));
	for (i = 0; i < n; i++) {
		if ((int)i + 1 < h - 2)
			mvwaddstr(o, (int)i + 1, 2, lines[i]);
		free(lines[i]);
	}
	free(lines);
	if (ui->confirm.expect != NULL)
		draw_typed(ui, o, h, w);
	else {
		wattrset(o, ui_attr(ui, UI_E_DIALOG_BUTTON));
		mvwaddstr(o, h - 2, 2, "[y] yes   [n] no");
	}
	wnoutrefresh(o);
	buf_free(&b);
}

void
dialog_draw(struct ui *ui)
{
	int h = ui->lines - 4, w = ui->cols - 4;

	if (ui->w_main == NULL)
		return;
	if (ui->mode == MODE_CONFIRM) {
		draw_confirm(ui);
		return;
	}
	if (h < 3 || w < 10)
		return;
	if (ui->w_overlay == NULL)
		ui->w_overlay = newwin(h, w, (ui->lines - h) / 2, (ui->cols - w) / 2);
	overlay_draw(&ui->ov, ui->w_overlay, ui_attr(ui, UI_E_DIALOG),
	    ui_attr(ui, UI_E_DIALOG_TITLE), ui_attr(ui, UI_E_DIALOG));
	wnoutrefresh(ui->w_overlay);
}
