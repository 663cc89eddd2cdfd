/* input.c — what keys and the mouse do when no prompt, question or form has them: the
 * generic actions (movement, filter, sort, help, the view-* keys) and mouse clicks and
 * wheels. ui.c reads the keys and maps them through the keymap (handle_key). */
#include "ui/ui_impl.h"

#include <stdlib.h>

#include "ui/commands.h"
#include "ui/describe.h"
#include "ui/table.h"
#include "ui/uiops.h"

static void
sort_step(struct table *t, int dir, int ncols)
{
	int c = table_sort_col(t) + dir;

	if (c >= ncols)
		c = -1;
	if (c < -1)
		c = ncols - 1;
	table_sort(t, c, table_sort_desc(t));
}

/* Moves t's cursor for a movement action; 0 when a is not one. */
static int
move_cursor(struct table *t, enum ui_action a)
{
	int page = table_page(t), half = page / 2 > 0 ? page / 2 : 1;

	switch (a) {
	case UI_A_UP:		table_move(t, -1); return 1;
	case UI_A_DOWN:		table_move(t, 1); return 1;
	case UI_A_PAGE_UP:	table_move(t, -page); return 1;
	case UI_A_PAGE_DOWN:	table_move(t, page); return 1;
	case UI_A_HALF_UP:	table_move(t, -half); return 1;
	case UI_A_HALF_DOWN:	table_move(t, half); return 1;
	case UI_A_HOME:		table_move_to(t, 0); return 1;
	case UI_A_END:
		if (table_shown(t) > 0)
			table_move_to(t, table_shown(t) - 1);
		return 1;
	default:
		return 0;
	}
}

/* The generic actions, for any pane. */
void
ui_generic_action(struct ui *ui, enum ui_action a)
{
	struct pane *p = ui_top(ui);
	struct table *t = p != NULL ? p->table : NULL;
	char *cause = NULL;

	if (t != NULL && move_cursor(t, a))
		return;
	switch (a) {
	case UI_A_QUIT:
		ui_ask_quit(ui);
		break;
	case UI_A_BACK:
		if (t != NULL && table_filter_text(t) != NULL) {
			table_filter(t, NULL, &cause);
			p->dirty = 1;
		} else
			ui_pop(ui);
		break;
	case UI_A_SCROLL_LEFT:
		if (t) table_hscroll(t, -1);
		break;
	case UI_A_SCROLL_RIGHT:
		if (t) table_hscroll(t, 1);
		break;
	case UI_A_COMMAND:
		prompt_open(ui, ':');
		break;
	case UI_A_FILTER:
		if (t != NULL)
			prompt_open(ui, '/');
		break;
	case UI_A_CLEAR_FILTER:
		if (t != NULL) {
			table_filter(t, NULL, &cause);
			p->dirty = 1;
		}
		break;
	case UI_A_SEARCH:
		if (t != NULL)
			prompt_open(ui, '?');
		break;
	case UI_A_SEARCH_NEXT:
	case UI_A_SEARCH_PREV:
		if (t == NULL)
			break;
		if (ui->search == NULL) {
			ui_message(ui, "no search yet");
			break;
		}
		if (table_search(t, ui->search, a == UI_A_SEARCH_NEXT ? 1 : -1, &cause) == 0)
			ui_message(ui, "not found: %s", ui->search);
		break;
	case UI_A_SORT_NEXT:
	case UI_A_SORT_PREV:
		if (t != NULL)
			sort_step(t, a == UI_A_SORT_NEXT ? 1 : -1, table_columns(t));
		break;
	case UI_A_SORT_REVERSE:
		if (t != NULL)
			table_sort(t, table_sort_col(t), !table_sort_desc(t));
		break;
	case UI_A_REDRAW:
		clearok(curscr, TRUE);
		ui->full = 1;
		break;
	case UI_A_HELP:
		ui_show_help(ui);
		break;
	case UI_A_SHOW_ERROR:
		ui_show_errors(ui);
		break;
	case UI_A_DESCRIBE:
		if (p != NULL)
			describe_pane(p);
		break;
	case UI_A_RELOAD_CONFIG:
		ui_reload_config(ui);
		break;
	case UI_A_MARK:
		if (t != NULL) {
			struct table_row *r = table_cursor_row(t);
			if (r != NULL) {
				table_mark(t, r, !(r->marks & TABLE_ROW_MARKED));
				table_move(t, 1);
			}
		}
		break;
	case UI_A_OPERATIONS_MENU:
		uiops_menu(ui);
		break;
	default:
		/* The view-* keys (panes.def); refresh, enter, retry... are the panes'. */
		commands_view_action(ui, a);
		break;
	}
	free(cause);
}

/* A double click is Enter on the row. */
static void
handle_enter(struct ui *ui)
{
	struct pane *p = ui_top(ui);

	if (p != NULL && p->ops->action != NULL && p->ops->action(p, UI_A_ENTER))
		return;
	ui_generic_action(ui, UI_A_ENTER);
}

void
ui_mouse_event(struct ui *ui)
{
	MEVENT ev;
	struct pane *p = ui_top(ui);
	int y, x;

	if (getmouse(&ev) != OK || p == NULL || p->table == NULL || ui->w_main == NULL)
		return;
	y = ev.y;
	x = ev.x;
	if (!wmouse_trafo(ui->w_main, &y, &x, FALSE))
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		table_move(p->table, -3);
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		table_move(p->table, 3);
#endif
	else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))
		table_click(p->table, y);
	else if (ev.bstate & BUTTON1_DOUBLE_CLICKED) {
		if (table_click(p->table, y))
			handle_enter(ui);
	}
}
