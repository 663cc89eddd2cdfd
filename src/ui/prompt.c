/* prompt.c — the prompt on the status line: the : command line (Tab completes), the /
 * filter (the table follows each keystroke; a filter that does not compile keeps the
 * prompt open with its error) and the ? search. Typing goes through the one line editor
 * (lineedit.c). */
#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/commands.h"
#include "ui/config.h"
#include "ui/keys.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/ui_impl.h"
#include "ui/uiops.h"

void
prompt_open(struct ui *ui, char kind)
{
	struct prompt *pr = &ui->prompt;
	struct pane *p = ui_top(ui);
	const char *f;

	lineedit_free(&pr->edit);
	lineedit_init(&pr->edit, PROMPT_MAX);
	xstrset(&pr->before, NULL);
	xstrset(&pr->error, NULL);
	xstrset(&pr->choices, NULL);
	pr->kind = kind;
	if (kind == '/' && p != NULL && p->table != NULL) {
		f = table_filter_text(p->table);
		pr->before = f != NULL ? xstrdup(f) : NULL;
		if (f != NULL)
			lineedit_set(&pr->edit, f);
	}
	ui->mode = MODE_PROMPT;
	if (kind == ':')
		uiops_prefetch(ui);	/* Tab completes from the thing model */
}

void
prompt_open_with(struct ui *ui, char kind, const char *text)
{
	prompt_open(ui, kind);
	lineedit_set(&ui->prompt.edit, text);
}

void
prompt_free(struct ui *ui)
{
	struct prompt *pr = &ui->prompt;

	lineedit_free(&pr->edit);
	xstrset(&pr->before, NULL);
	xstrset(&pr->error, NULL);
	xstrset(&pr->choices, NULL);
}

/* Tab: completes the word under the cursor; several candidates are listed above the
 * command line. */
void
prompt_complete(struct ui *ui)
{
	struct prompt *pr = &ui->prompt;
	char *list = NULL, *text;

	if (pr->kind != ':')
		return;
	text = commands_complete(ui, lineedit_text(&pr->edit), &list);
	xstrset(&pr->choices, NULL);
	pr->choices = list;
	if (text != NULL) {
		lineedit_set(&pr->edit, text);
		free(text);
	}
	ui->full = 1;
}

static void
apply_filter(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	char *cause = NULL;

	if (p == NULL || p->table == NULL)
		return;
	xstrset(&ui->prompt.error, NULL);
	if (table_filter(p->table, lineedit_text(&ui->prompt.edit), &cause) != 0)
		ui->prompt.error = cause;
	p->dirty = 1;
}

static void
prompt_end(struct ui *ui, int accept)
{
	struct prompt *pr = &ui->prompt;
	struct pane *p = ui_top(ui);
	char *cause = NULL;
	char kind = pr->kind;
	char *text;

	if (accept && kind == '/' && pr->error != NULL) {
		/* A filter that does not compile stays open with its error: Esc gives up. */
		ui->full = 1;
		return;
	}
	text = xstrdup(lineedit_text(&pr->edit));
	xstrset(&pr->choices, NULL);
	ui->mode = MODE_NORMAL;
	ui->full = 1;
	if (kind == '/' && p != NULL && p->table != NULL) {
		if (!accept || pr->error != NULL) {
			table_filter(p->table, pr->before, &cause);
			free(cause);
		}
	} else if (kind == ':' && accept) {
		commands_run(ui, text);
	} else if (kind == '?' && accept && *text != '\0' && p != NULL && p->table != NULL) {
		xstrset(&ui->search, text);
		switch (table_search(p->table, text, 1, &cause)) {
		case -1:
			ui_error(ui, "search: %s", cause);
			free(cause);
			break;
		case 0:
			ui_message(ui, "not found: %s", text);
			break;
		}
	}
	free(text);
}

void
prompt_key(struct ui *ui, uint32_t key)
{
	struct prompt *pr = &ui->prompt;

	if (key == KEYS_TAB) {
		prompt_complete(ui);
		return;
	}
	switch (lineedit_key(&pr->edit, key)) {
	case LINEEDIT_ENTER:
		prompt_end(ui, 1);
		break;
	case LINEEDIT_CANCEL:
	case LINEEDIT_EMPTY:	/* Backspace on an empty prompt closes it, as in vi */
		prompt_end(ui, 0);
		break;
	case LINEEDIT_CHANGED:
		if (pr->choices != NULL) {
			xstrset(&pr->choices, NULL);
			ui->full = 1;
		}
		if (pr->kind == '/')
			apply_filter(ui);	/* the table follows each keystroke */
		break;
	case LINEEDIT_FULL:
		ui_message(ui, "the line is full (%d bytes)", PROMPT_MAX);
		break;
	case LINEEDIT_MOVED:
	case LINEEDIT_IGNORED:
		break;
	}
}

void
prompt_draw(struct ui *ui)
{
	struct prompt *pr = &ui->prompt;
	WINDOW *w = ui->w_status;
	struct buf b = BUF_INIT, err = BUF_INIT;
	int width = getmaxx(w), room, col, errw = 0;

	if (pr->error != NULL) {
		buf_adds(&err, "   (");
		safetext_append(&err, pr->error, strlen(pr->error));
		buf_adds(&err, ")");
		errw = text_width(buf_str(&err));
		/* The error keeps at most half the line: the text being typed comes first. */
		if (errw > width / 2) {
			struct buf cut = BUF_INIT;

			text_fit(&cut, buf_str(&err), width / 2, 0, 0);
			buf_free(&err);
			err = cut;
			errw = text_width(buf_str(&err));
		}
	}
	room = width - 1 - errw - 1;	/* the kind character, the error, the cursor cell */
	if (room < 1)
		room = 1;
	buf_addc(&b, pr->kind);
	col = 1 + lineedit_render(&pr->edit, room, &b);
	buf_adds(&b, buf_str(&err));
	statusbar_line(w, ui_attr(ui, pr->error ? UI_E_ERROR : UI_E_COMMAND), buf_str(&b));
	wmove(w, 0, col < width ? col : width - 1);
	buf_free(&b);
	buf_free(&err);
}

/* Tab's candidates, one a line, at the bottom of the pane window above the command line
 * (as many as fit in half of it; the count says when some do not). */
void
prompt_draw_choices(struct ui *ui)
{
	WINDOW *w = ui->w_main;
	const char *s = ui->prompt.choices, *nl;
	struct buf line = BUF_INIT, fit = BUF_INIT;
	int h, wd, n = 0, room, y;

	if (w == NULL || s == NULL || ui->mode != MODE_PROMPT)
		return;
	h = getmaxy(w);
	wd = getmaxx(w);
	for (nl = s; *nl; nl++)
		n += *nl == '\n';
	room = h / 2 > 1 ? h / 2 : 1;
	y = h - (n < room ? n : room);
	wattrset(w, ui_attr(ui, UI_E_DIALOG));
	for (; *s && y < h; y++) {
		nl = strchr(s, '\n');
		buf_reset(&line);
		buf_addc(&line, ' ');
		if (y == h - 1 && n > room)
			buf_addf(&line, "... and %d more: type more of it", n - room + 1);
		else
			buf_add(&line, s, nl != NULL ? (size_t)(nl - s) : strlen(s));
		buf_reset(&fit);
		text_fit(&fit, buf_str(&line), wd, 1, 0);
		mvwaddstr(w, y, 0, buf_str(&fit));
		s = nl != NULL ? nl + 1 : s + strlen(s);
	}
	buf_free(&line);
	buf_free(&fit);
}
