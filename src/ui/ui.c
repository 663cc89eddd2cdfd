/* ui.c — the console's loop.
 *
 * DESIGN
 * One thread, this one, owns ncurses. It poll()s two descriptors: the terminal and the
 * worker's result fd. Keys become actions through the keymap (the pane's own binding,
 * else the generic one); a pane handles its own actions (Enter, refresh...), input.c the
 * generic ones (movement, filter, sort, help, the command line, the view-* keys). Panes
 * are opened by views.c from the table of panes.def. Results are routed to the
 * pane that asked by the worker tag each pane gets; a closed pane's requests are cancelled
 * with its tag, so a late answer never reaches freed state.
 *
 * Drawing: handlers only mark things dirty. Each turn of the loop redraws what is dirty
 * into its window (the table redraws only the rows that changed), calls wnoutrefresh per
 * window and doupdate once. ncurses then sends the terminal only the cells that differ,
 * which is what keeps a live refresh cheap on a slow SSH link.
 *
 * Screen: line 0 title and breadcrumbs; the pane; the info line (what the pane is doing:
 * "loaded N of M", the filter); the status bar (profile, region, instance, read-only,
 * API budget, requests in flight, the last error) which the command line and prompts
 * replace while they are open. Help, the full error and confirmations are overlays.
 */
#include "ui/ui_impl.h"
#include "core/clock.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "api/actions.h"
#include "api/place.h"
#include "cli/options.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/commands.h"
#include "ui/config.h"
#include "ui/describe.h"
#include "ui/errors.h"
#include "ui/fmt.h"
#include "ui/form.h"
#include "ui/fwupload.h"
#include "ui/keys.h"
#include "ui/known.h"
#include "ui/overlay.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/theme.h"
#include "ui/uiops.h"
#include "vault/vault.h"

/* C-s and C-q are keys (the emacs keymap binds C-s), not XOFF/XON: clear IXON. ncurses
 * restores the saved terminal modes at endwin. */
static void
no_flow_control(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_iflag &= ~(tcflag_t)IXON;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
		/* ncurses keeps its own copy of the terminal's modes and puts it back (keypad()
		 * does): make this one the copy, or C-s would freeze the terminal again. */
		def_prog_mode();
	}
}

_Static_assert(UI_EXIT_HANGUP == 128 + SIGHUP, "a shell reports a hangup as 128 + SIGHUP");

static volatile sig_atomic_t got_signal;	/* SIGHUP, SIGTERM or SIGINT arrived */

static void on_signal(int sig) { got_signal = sig; }

attr_t
ui_attr(const struct ui *ui, int element)
{
	(void)ui;
	return element >= 0 && element < UI_E_COUNT ? theme_attr((enum ui_element)element) : 0;
}

attr_t
ui_status_attr(const struct ui *ui, const char *s)
{
	if (s == NULL)
		return ui_attr(ui, UI_E_DEFAULT);
	if (strcmp(s, "ONLINE") == 0)
		return ui_attr(ui, UI_E_STATUS_ONLINE);
	if (strcmp(s, "OFFLINE") == 0)
		return ui_attr(ui, UI_E_STATUS_OFFLINE);
	if (strcmp(s, "UNACTIVE") == 0)
		return ui_attr(ui, UI_E_STATUS_UNACTIVE);
	if (strcmp(s, "DISABLE") == 0)
		return ui_attr(ui, UI_E_STATUS_DISABLED);
	return ui_attr(ui, UI_E_DEFAULT);
}

void
ui_table_style(const struct ui *ui, struct table_style *st)
{
	st->header = ui_attr(ui, UI_E_HEADER);
	st->row = ui_attr(ui, UI_E_ROW);
	st->selected = ui_attr(ui, UI_E_SELECTED);
	st->changed = ui_attr(ui, UI_E_CHANGED);
	st->new_row = ui_attr(ui, UI_E_NEW_ROW);
	st->vanished = ui_attr(ui, UI_E_VANISHED_ROW);
	st->match = ui_attr(ui, UI_E_MATCH);
	st->marked = ui_attr(ui, UI_E_MARKED_ROW);
	st->online = ui_attr(ui, UI_E_STATUS_ONLINE);
	st->offline = ui_attr(ui, UI_E_STATUS_OFFLINE);
	st->unactive = ui_attr(ui, UI_E_STATUS_UNACTIVE);
	st->disabled = ui_attr(ui, UI_E_STATUS_DISABLED);
}

void
ui_table_pane_draw(struct pane *p, WINDOW *w, int full)
{
	struct table_style st;
	int h, wd;

	getmaxyx(w, h, wd);
	ui_table_style(p->ui, &st);
	table_draw(p->table, w, 0, h, wd, &st, full || p->dirty, clock_mono_s());
}

int
ui_readonly(const struct ui *ui)
{
	return ui->readonly;
}

const char *
ui_last_product(const struct ui *ui)
{
	return ui->last_pk;
}

void
ui_set_last_product(struct ui *ui, const char *pk, const char *name)
{
	/* pk may be the field itself (a view opened on the last product). */
	if (name != NULL)
		known_product(&ui->known, pk, name);
	xstrset(&ui->last_pk, pk);
}

struct known *
ui_known(struct ui *ui)
{
	return &ui->known;
}

struct pane *
ui_top(struct ui *ui)
{
	return ui->depth > 0 ? ui->stack[ui->depth - 1] : NULL;
}

int
ui_refresh_interval(const struct ui *ui)
{
	int s = config_settings(ui->conf)->refresh_interval;

	return s > 0 ? s : UI_REFRESH_DEFAULT;
}

double
ui_live_scale(int setting, const struct ui_live *r)
{
	double s;

	if (setting <= 0)
		setting = UI_REFRESH_DEFAULT;
	s = r->at_default * (double)setting / UI_REFRESH_DEFAULT;
	return s > r->least ? s : r->least;
}

double
ui_live_every(const struct ui *ui, const struct ui_live *r)
{
	return ui_live_scale(ui_refresh_interval(ui), r);
}

const char *
ui_region(const struct ui *ui)
{
	return ui->cfg->region;
}

const char *
ui_profile(const struct ui *ui)
{
	return ui->profile;
}

/* ---- messages ---------------------------------------------------------------------- */

static void
set_error(struct ui *ui, const char *text)
{
	errors_add(&ui->errs, clock_mono_s(), NULL, NULL, text);
	ui->full = 1;
}

void
ui_error(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	struct buf b = BUF_INIT;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	set_error(ui, buf_str(&b));
	buf_free(&b);
}

void
ui_report(struct ui *ui, const char *what, const char *action, const struct api_error *err)
{
	char *line = api_error_format(err), *text = xasprintf("%s: %s", what, line);

	errors_add(&ui->errs, clock_mono_s(), action, err, text);
	ui->full = 1;
	free(text);
	free(line);
}

void
ui_api_error(struct ui *ui, const char *what, const struct worker_result *r)
{
	ui_report(ui, what, r->action, &r->err);
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	struct buf b = BUF_INIT, safe = BUF_INIT;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	safetext_append(&safe, buf_str(&b), b.len);
	free(ui->message);
	ui->message = buf_detach(&safe);
	ui->message_at = clock_mono_s();
	buf_free(&b);
}

/* ---- panes ------------------------------------------------------------------------- */

uint64_t
ui_request(struct pane *p, const char *action, const struct params *params,
    enum worker_prio prio, intptr_t kind)
{
	struct worker_call c;

	memset(&c, 0, sizeof c);
	c.action = action;
	c.params = params;
	c.prio = prio;
	c.tag = p->tag;
	c.udata = (void *)kind;
	/* Read-only is the worker's to enforce (api/worker.h): a refused write comes back at
	 * once as an error result (iotdeck.ReadOnly, never sent), like every other failure. */
	if (action_get(action)->rw == ACTION_WRITE && !worker_readonly(p->ui->worker))
		p->ui->writes++;
	return worker_submit(p->ui->worker, &c);
}

static void pane_close(struct ui *ui, struct pane *p);

/* Pushes a pane of ops; priv is handed to its open, a (copied) is its argument. */
static void
push(struct ui *ui, const struct pane_ops *ops, const char *crumb, void *priv,
    const struct pane_arg *a)
{
	struct pane *p = xcalloc(1, sizeof *p);

	p->ops = ops;
	p->ui = ui;
	p->tag = ++ui->next_tag;
	p->priv = priv;
	p->progress = -1;
	pane_arg_copy(&p->arg, a);
	if (ui->depth == STACK_MAX) {
		/* Only the pane's open knows what priv is: let it take priv over, then close
		 * the pane at once (its requests are cancelled with it). */
		ui_error(ui, "too many panes open: go back with Esc first");
		p->crumb = xstrdup("");
		ops->open(p);
		pane_close(ui, p);
		return;
	}
	p->crumb = safetext_dup(crumb, strlen(crumb));
	p->dirty = 1;
	ui->stack[ui->depth++] = p;
	ops->open(p);
	ui->full = 1;
}

void
ui_push(struct ui *ui, const struct pane_ops *ops, const char *crumb, void *arg)
{
	push(ui, ops, crumb, arg, NULL);
}

void
ui_push_arg(struct ui *ui, const struct pane_ops *ops, const char *crumb, void *priv,
    const struct pane_arg *a)
{
	push(ui, ops, crumb, priv, a);
}

static void
pane_close(struct ui *ui, struct pane *p)
{
	if (ui->worker != NULL)
		worker_cancel_tag(ui->worker, p->tag);
	p->ops->close(p);
	table_free(p->table);	/* what close left of it (pane_ops.close) */
	pane_arg_free(&p->arg);
	free(p->crumb);
	free(p->gone);
	free(p);
}

void
ui_pop(struct ui *ui)
{
	if (ui->depth <= 1)
		return;
	pane_close(ui, ui->stack[--ui->depth]);
	ui->full = 1;
}

void
ui_pop_all(struct ui *ui)
{
	while (ui->depth > 0)
		pane_close(ui, ui->stack[--ui->depth]);
	ui->full = 1;
}

struct pane *
ui_find_pane(struct ui *ui, uint64_t tag)
{
	int i;

	for (i = 0; i < ui->depth; i++)
		if (ui->stack[i]->tag == tag)
			return ui->stack[i];
	return NULL;
}

/* The thing p shows does not exist (a not-found answer to one of its requests): it says
 * so, in its title too, and asks for nothing more. */
static void
pane_gone(struct ui *ui, struct pane *p, const struct worker_result *r)
{
	char *crumb;

	if (p->gone != NULL)
		return;
	p->gone = xasprintf("Not found: %s (%s, answering %s). Esc goes back.",
	    r->err.message != NULL ? r->err.message : "it does not exist", r->err.code,
	    r->action);
	crumb = xasprintf("%s (not found)", p->crumb);
	free(p->crumb);
	p->crumb = crumb;
	if (ui->worker != NULL)
		worker_cancel_tag(ui->worker, p->tag);
	p->progress = -1;
	p->dirty = 1;
	ui->full = 1;
}

int
ui_set_region(struct ui *ui, const char *region)
{
	struct api_config next;
	char *cause = NULL;

	api_config_copy(&next, ui->cfg);
	if (api_config_set_region(&next, region, &cause) != 0) {
		ui_error(ui, ":region: %s", cause);
		free(cause);
		api_config_free(&next);
		return -1;
	}
	if (ui_switch_config(ui, &next) != 0)
		return -1;
	ui_navigate(ui, UI_V_PRODUCTS, NULL);
	ui_message(ui, "region %s (%s)", ui->cfg->region, ui->cfg->endpoint);
	return 0;
}

/* ---- configuration ----------------------------------------------------------------- */

static struct config *
load_config(const struct ui_opts *o)
{
	struct config_request req;
	struct config *c;

	memset(&req, 0, sizeof req);
	req.theme = o->theme;
	req.keymap = o->keymap;
	req.config_file = o->config_file;
	c = config_load(&req);
	fmt_set_time_style((enum timefmt_style)config_settings(c)->time_format);
	return c;
}

static void
report_config_errors(struct ui *ui)
{
	size_t n = config_error_count(ui->conf);

	if (n == 1)
		ui_error(ui, "%s", config_error(ui->conf, 0));
	else if (n > 1)
		ui_error(ui, "%s (and %zu more: ? lists them)", config_error(ui->conf, 0), n - 1);
}

void
ui_reload_config(struct ui *ui)
{
	struct config *c = load_config(ui->opts);

	config_free(ui->conf);
	ui->conf = c;
	ui->colors = theme_apply(config_theme(c));
	ui_windows_background(ui);
	ui->full = 1;
	if (config_error_count(c) == 0)
		ui_message(ui, "reloaded %s and %s", config_theme_file(c), config_keymap_file(c));
	else
		report_config_errors(ui);
}

/* ---- the worker -------------------------------------------------------------------- */

static int
start_worker(struct ui *ui, char **cause)
{
	ui->worker = worker_new(ui->cfg, &ui->wopts, cause);
	return ui->worker != NULL ? 0 : -1;
}

/* Stops the worker and closes every pane. */
void
ui_stop_session(struct ui *ui)
{
	form_close(ui);
	ui_pop_all(ui);
	uiops_stop(ui);
	worker_free(ui->worker);
	ui->worker = NULL;
	ui->writes = 0;
}

/* Where requests go changes (:region, a profile): every pane goes, the worker is made
 * anew with next, which was checked whole (api/place.h) and is taken over. Returns 0, or
 * -1 when the worker cannot start (the console then quits with the reason). */
int
ui_switch_config(struct ui *ui, struct api_config *next)
{
	char *cause = NULL;

	ui_stop_session(ui);
	api_config_move(ui->cfg, next);
	if (start_worker(ui, &cause) != 0) {
		ui_error(ui, "cannot restart the worker: %s", cause);
		free(cause);
		ui->quit = 1;
		return -1;
	}
	return 0;
}

int
ui_writes_pending(struct ui *ui)
{
	return ui->writes + (int)uiops_in_flight(ui) + (int)uiops_unsent(ui) +
	    fwupload_active();
}

struct worker *
ui_worker(struct ui *ui)
{
	return ui->worker;
}

static void
take_results(struct ui *ui)
{
	struct worker_result *r, *next;
	struct pane *p;

	for (r = worker_take(ui->worker); r != NULL; r = next) {
		next = r->next;
		r->next = NULL;
		if (uiops_result(ui, r)) {
			/* An operation's write (or its reads): the operations pane shows it. */
			struct pane *top = ui_top(ui);
			if (top != NULL && top->ops->kind == UI_P_OPERATIONS)
				top->dirty = 1;
			continue;
		}
		if (action_get(r->action)->rw == ACTION_WRITE && ui->writes > 0)
			ui->writes--;
		if (r->status == API_OK && errors_status(&ui->errs, clock_mono_s(), NULL) != NULL) {
			errors_succeeded(&ui->errs, r->action);
			ui->full = 1;
		}
		p = ui_find_pane(ui, r->tag);
		if (p != NULL && r->status != API_OK && api_error_not_found(&r->err))
			pane_gone(ui, p, r);
		if (p != NULL) {
			if (p == ui_top(ui) && p->table == NULL)
				p->dirty = 1;
			if (p->ops->result(p, r))
				continue;	/* the pane took it over */
		} else if (r->status != API_OK && r->err.outcome_unknown)
			ui_api_error(ui, r->action, r);
		worker_result_free(r);
	}
}

/* ---- windows and drawing ----------------------------------------------------------- */

static void
windows_free(struct ui *ui)
{
	WINDOW **w[] = { &ui->w_title, &ui->w_main, &ui->w_info, &ui->w_status, &ui->w_overlay };
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (*w[i] != NULL) {
			delwin(*w[i]);
			*w[i] = NULL;
		}
}

/* Every window is filled with the theme's default colours (light themes need it). */
void
ui_windows_background(struct ui *ui)
{
	WINDOW *w[] = { ui->w_title, ui->w_main, ui->w_info, ui->w_status };
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (w[i] != NULL)
			wbkgdset(w[i], (chtype)ui_attr(ui, UI_E_DEFAULT) | ' ');
}

static void
windows_make(struct ui *ui)
{
	windows_free(ui);
	ui->lines = LINES;
	ui->cols = COLS;
	if (LINES < MIN_LINES || COLS < MIN_COLS) {
		ui->w_status = newwin(1, COLS > 0 ? COLS : 1, 0, 0);
	} else {
		ui->w_title = newwin(1, COLS, 0, 0);
		ui->w_main = newwin(LINES - 3, COLS, 1, 0);
		ui->w_info = newwin(1, COLS, LINES - 2, 0);
		ui->w_status = newwin(1, COLS, LINES - 1, 0);
	}
	ui_windows_background(ui);
	/* Keys are read through the status window (never stdscr, whose refresh would wipe
	 * the screen). */
	keypad(ui->w_status, TRUE);
	nodelay(ui->w_status, TRUE);
	ui->full = 1;
}

/* A pane whose subject does not exist: the reason, wrapped, in the middle. */
static void
draw_gone(struct ui *ui, struct pane *p)
{
	WINDOW *w = ui->w_main;
	char **lines = NULL;
	size_t n = 0, i;
	int h = getmaxy(w), y;

	werase(w);
	wattrset(w, ui_attr(ui, UI_E_ERROR));
	overlay_wrap(p->gone, getmaxx(w) > 4 ? getmaxx(w) - 4 : 1, &lines, &n);
	y = (h - (int)n) / 2 > 0 ? (h - (int)n) / 2 : 0;
	for (i = 0; i < n; i++, y++) {
		if (y < h)
			mvwaddstr(w, y, 2, lines[i]);
		free(lines[i]);
	}
	free(lines);
}

static void
draw(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	double now = clock_mono_s();
	int full = ui->full;

	if (ui->lines != LINES || ui->cols != COLS || ui->w_status == NULL)
		windows_make(ui), full = 1;
	if (ui->locked) {
		if (full) {
			if (ui->w_title != NULL)
				statusbar_line(ui->w_title, ui_attr(ui, UI_E_BREADCRUMB), " iotdeck \xE2\x94\x82 locked");
			if (ui->w_info != NULL)
				statusbar_line(ui->w_info, ui_attr(ui, UI_E_DIM), "");
			lock_draw(ui);
		}
		if (ui->w_title != NULL) {
			wnoutrefresh(ui->w_title);
			wnoutrefresh(ui->w_main);
			wnoutrefresh(ui->w_info);
		}
		curs_set(0);
		wnoutrefresh(ui->w_status);
		doupdate();
		ui->full = 0;
		return;
	}
	if (ui->w_main != NULL) {
		if (full)
			statusbar_draw_title(ui);
		if (p != NULL && p->gone != NULL) {
			if (full || p->dirty) {
				draw_gone(ui, p);
				p->dirty = 0;
			}
		} else if (p != NULL && (full || p->dirty ||
		    (p->table != NULL && table_dirty(p->table, now)))) {
			if (full)
				werase(ui->w_main);
			p->ops->draw(p, ui->w_main, full || p->dirty);
			p->dirty = 0;
		}
		prompt_draw_choices(ui);
		statusbar_draw_info(ui);
	}
	statusbar_draw_status(ui);
	if (ui->w_title != NULL) {
		wnoutrefresh(ui->w_title);
		wnoutrefresh(ui->w_main);
		wnoutrefresh(ui->w_info);
	}
	if (ui->mode == MODE_OVERLAY || ui->mode == MODE_CONFIRM)
		dialog_draw(ui);
	else if (ui->w_overlay != NULL) {
		delwin(ui->w_overlay);
		ui->w_overlay = NULL;
	}
	if (ui->mode == MODE_FORM) {
		/* The form goes last: it leaves the cursor in the field being typed. */
		curs_set(0);
		wnoutrefresh(ui->w_status);
		form_draw(ui);
	} else if (ui->mode == MODE_PROMPT) {
		curs_set(1);
		wnoutrefresh(ui->w_status);	/* last: the cursor stays in the prompt */
	} else {
		curs_set(0);
		wnoutrefresh(ui->w_status);
	}
	if (ui->mode == MODE_CONFIRM && ui->confirm.expect != NULL && ui->w_overlay != NULL) {
		curs_set(1);
		wnoutrefresh(ui->w_overlay);	/* last: the cursor stays in the answer */
	}
	doupdate();
	ui->full = 0;
	if (ui->key_at != 0) {
		/* The keys read since the last frame are on screen now. */
		ui->frame_ms[ui->nframes++ % FRAME_SAMPLES] = (clock_mono_s() - ui->key_at) * 1000.0;
		ui->key_at = 0;
	}
}

/* ---- keys -------------------------------------------------------------------------- */

static void
handle_key(struct ui *ui, uint32_t key)
{
	struct pane *p = ui_top(ui);
	enum ui_action a;

	if (key == (KEYS_CODE | KEY_RESIZE)) {
		ui->full = 1;
		return;
	}
	if (ui->locked) {
		lock_key(ui, key);
		return;
	}
	if (ui->can_lock)
		lock_idle_touch(&ui->idle, clock_mono_ms());
	switch (ui->mode) {
	case MODE_PROMPT:
		prompt_key(ui, key);
		return;
	case MODE_CONFIRM:
		confirm_key(ui, key);
		return;
	case MODE_FORM:
		form_key(ui, key);
		return;
	case MODE_OVERLAY:
		if (overlay_key(&ui->ov, key))
			ui->mode = MODE_NORMAL;
		ui->full = 1;
		return;
	case MODE_NORMAL:
		break;
	}
	if (key == (KEYS_CODE | KEY_MOUSE)) {
		ui_mouse_event(ui);
		return;
	}
	a = config_key_action(ui->conf, p != NULL ? p->ops->kind : UI_P_GENERIC, key);
	if (a == UI_A_NONE) {
		char name[KEYS_NAME_MAX];
		keys_format(key, name, sizeof name);
		ui_message(ui, "%s is not bound here (? lists the keys)", name);
		return;
	}
	if (p != NULL && p->ops->action != NULL && p->ops->action(p, a))
		return;
	ui_generic_action(ui, a);
}

static void
read_keys(struct ui *ui)
{
	wint_t wc;
	int rc, n = 0;
	uint32_t key, k2;

	while (n++ < 256 && !ui->quit) {
		rc = wget_wch(ui->w_status, &wc);
		key = keys_from_wch(rc, wc);
		if (key == KEYS_NONE)
			break;
		if (key == KEYS_ESC) {
			/* Alt-x arrives as ESC x: look once more, briefly. */
			wtimeout(ui->w_status, 25);
			rc = wget_wch(ui->w_status, &wc);
			nodelay(ui->w_status, TRUE);
			k2 = keys_from_wch(rc, wc);
			if (k2 != KEYS_NONE)
				key = keys_meta(k2);
		}
		if (ui->key_at == 0)
			ui->key_at = clock_mono_s();
		handle_key(ui, key);
		if (ui->w_status == NULL)
			break;
	}
}

/* ---- the loop ---------------------------------------------------------------------- */

static int
timeout_ms(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	double now = clock_mono_s(), next = 1.0 - (now - ui->stats_at), t;

	if (p != NULL && p->gone == NULL && p->ops->tick != NULL) {
		t = p->ops->tick(p, now);
		if (t < next)
			next = t;
	}
	if (p != NULL && p->table != NULL) {
		t = table_next_expiry(p->table, now);
		if (t < next)
			next = t;
	}
	if (ui->message != NULL && now - ui->message_at < MESSAGE_SECONDS) {
		t = MESSAGE_SECONDS - (now - ui->message_at) + 0.01;
		if (t < next)
			next = t;
	}
	if (errors_status(&ui->errs, now, &next) != NULL)
		next += 0.01;
	if (ui->can_lock && !ui->locked) {
		t = (double)lock_idle_remaining_ms(&ui->idle, clock_mono_ms()) / 1000.0 + 0.01;
		if (t < next)
			next = t;
	}
	if (ui->locked)
		return -1;
	if (next < 0.005)
		next = 0.005;
	return (int)(next * 1000.0);
}

static void
refresh_stats(struct ui *ui)
{
	double now = clock_mono_s();

	if (ui->worker == NULL || now - ui->stats_at < 1.0)
		return;
	worker_stats_free(&ui->stats);
	worker_stats(ui->worker, &ui->stats);
	ui->stats_at = now;
}

static int
loop(struct ui *ui)
{
	struct pollfd fds[3];
	int n;

	while (!ui->quit) {
		fwupload_poll(ui);	/* an :ota-upload under way moves on (fwupload.c) */
		/* Lock when idle too long, but never with a write in flight. */
		if (ui->can_lock && !ui->locked && ui_writes_pending(ui) == 0 &&
		    lock_idle_expired(&ui->idle, clock_mono_ms()))
			lock_now(ui);
		refresh_stats(ui);
		draw(ui);
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = ui->worker != NULL ? worker_fd(ui->worker) : -1;
		fds[1].events = POLLIN;
		fds[1].revents = 0;
		fds[2].fd = fwupload_fd();	/* its thread's news */
		fds[2].events = POLLIN;
		fds[2].revents = 0;
		n = poll(fds, 3, timeout_ms(ui));
		if (got_signal == SIGINT && uiops_cancel_all(ui) + fwupload_cancel(ui) > 0) {
			/* Ctrl-C while operations run cancels what they have not sent; once
			 * nothing runs, it quits as before. */
			got_signal = 0;
			continue;
		}
		if (got_signal)
			break;
		if (n < 0 && errno != EINTR)
			return -1;
		/* Keys first, and drawn before the answers are taken: a batch of results
		 * (an operation's, 500 a second) never stands between a key and its frame.
		 * The answers are still there at the next poll, which returns at once. */
		if (n < 0 || (n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))) {
			if (fds[0].revents & (POLLHUP | POLLERR))
				break;	/* the terminal went away */
			read_keys(ui);
			continue;
		}
		if (n > 0 && (fds[1].revents & POLLIN))
			take_results(ui);
	}
	return 0;
}

int
ui_run(struct api_config *cfg, const struct worker_opts *wopts, const struct ui_opts *o)
{
	struct ui ui;
	struct sigaction sa;
	char *cause = NULL;
	SCREEN *scr;
	int rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("iotdeck: the console needs a terminal (use 'iotdeck call' in scripts)\n",
		    stderr);
		return EXIT_CONFIG;
	}
	memset(&ui, 0, sizeof ui);
	ui.cfg = cfg;
	ui.opts = o;
	if (wopts != NULL)
		ui.wopts = *wopts;
	else
		worker_opts_init(&ui.wopts);
	/* Operations keep the 500 QPS writes paced with many on the wire (op.h); the reads
	 * keep their reserved slots. */
	if (ui.wopts.max_in_flight < UI_TRANSFERS)
		ui.wopts.max_in_flight = UI_TRANSFERS;
	ui.conf = load_config(o);
	if (!o->start_locked && start_worker(&ui, &cause) != 0) {
		fprintf(stderr, "iotdeck: %s\n", cause);
		free(cause);
		config_free(ui.conf);
		return EXIT_CONFIG;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	setenv("ESCDELAY", "25", 0);
	/* Box lines as Unicode, not the terminal's alternate character set, which tmux, screen
	 * and some SSH clients mangle in UTF-8 mode (the user's own setting wins). */
	setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		fprintf(stderr, "iotdeck: cannot use the terminal (TERM=%s)\n",
		    getenv("TERM") ? getenv("TERM") : "");
		worker_free(ui.worker);
		config_free(ui.conf);
		return EXIT_CONFIG;
	}
	set_term(scr);
	cbreak();
	no_flow_control();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	curs_set(0);
	ui.colors = theme_apply(config_theme(ui.conf));
	if (!o->no_mouse && config_settings(ui.conf)->mouse) {
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		    | BUTTON5_PRESSED
#endif
		    , NULL);
		mouseinterval(200);
		ui.mouse = 1;
	}
	windows_make(&ui);
	report_config_errors(&ui);
	ui.readonly = o->readonly;
	ui.profile = o->profile ? xstrdup(o->profile) : NULL;
	ui.vault_profile = o->vault_profile ? xstrdup(o->vault_profile) : NULL;
	if (o->vault_profile != NULL && (config_settings(ui.conf)->idle_lock > 0 ||
	    config_settings(ui.conf)->lock_max > 0)) {
		ui.can_lock = 1;
		lock_timer_start(&ui);
	}

	if (o->start_locked) {
		/* The unlock screen first: the worker starts when the profile is open. */
		ui.first_unlock = 1;
		lock_begin(&ui);
	} else {
		ui_navigate(&ui, UI_V_PRODUCTS, NULL);
		if (o->start != NULL)
			commands_run(&ui, o->start);
	}

	rc = loop(&ui);

	fwupload_stop(&ui);	/* an upload's thread stopped and joined */
	ui_pop_all(&ui);
	windows_free(&ui);
	endwin();
	delscreen(scr);
	uiops_free(&ui);	/* before the worker goes: what is on the wire is settled */
	worker_free(ui.worker);
	worker_stats_free(&ui.stats);
	config_free(ui.conf);
	overlay_clear(&ui.ov);
	errors_free(&ui.errs);
	confirm_free(&ui);
	prompt_free(&ui);
	free(ui.search);
	free(ui.message);
	free(ui.last_pk);
	known_free(&ui.known);
	form_close(&ui);
	lock_free(&ui);
	free(ui.profile);
	free(ui.vault_profile);
	if (got_signal == SIGHUP)
		return UI_EXIT_HANGUP;
	return rc == 0 ? EXIT_OK : EXIT_NETWORK;
}
