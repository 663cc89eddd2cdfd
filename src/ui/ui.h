/* ui.h — the console: one ncurses loop on the UI thread, a stack of panes, the worker.
 *
 * Only the UI thread touches ncurses. Panes ask for data with ui_request (the worker
 * carries it) and get the answers in their result handler on the UI thread; nothing
 * here ever waits on the network.
 */
#ifndef IOTDECK_UI_H
#define IOTDECK_UI_H

#include <stdint.h>

#include <curses.h>

#include "api/client.h"
#include "api/params.h"
#include "api/worker.h"
#include "core/buf.h"

/* Every user action (from actions.def). */
enum ui_action {
#define UI_ACTION(id, name, help) UI_A_##id,
#include "ui/actions.def"
#undef UI_ACTION
	UI_A_COUNT
};

/* Every keymap section of the panes (from panes.def). */
enum ui_pane {
#define UI_PANE(id, name, title) UI_P_##id,
#include "ui/panes.def"
#undef UI_PANE
	UI_P_COUNT
};

/* Every view: a pane's ops with its breadcrumb, navigation and : command (panes.def). */
enum ui_view {
#define UI_VIEW(id, ops, title, crumb, parent, action, command, alias, args, help, complete, \
    arg) UI_V_##id,
#include "ui/panes.def"
#undef UI_VIEW
	UI_V_COUNT,
	UI_V_ROOT,	/* a view's parent: none, the view is a root */
	UI_V_TOP	/* a view's parent: the pane on top (it goes over it) */
};

/* How a view's breadcrumb is made from its pane_arg (ui_crumb). "What" is the argument's
 * label, else its device name, else its id. */
enum ui_crumb {
	CRUMB_TITLE,	/* its title */
	CRUMB_PRODUCT,	/* the label; else the product ("name (KEY)") and ": title"; else what */
	CRUMB_LABEL,	/* what */
	CRUMB_BEFORE,	/* "title what" ("job 8Wz...", "describe lamp-1") */
	CRUMB_AFTER	/* "what title" ("temperature history") */
};

/* What a view is opened on: raw identifiers as the API sent them (never display text).
 * Whoever opens a view fills what it needs; the pane keeps copies (pane.arg). */
struct pane_arg {
	const char *product_key;	/* ProductKey, or NULL */
	const char *device_name;	/* DeviceName (of product_key), or NULL */
	const char *id;			/* GroupId, FirmwareId, JobId..., or NULL */
	const char *group_type;		/* a group's raw GroupType when known, or NULL */
	const char *label;		/* the breadcrumb, when the opener knows a better one
					   than ui_crumb's (a nickname, a firmware's name), or
					   NULL (raw text: made display-safe) */
};

struct ui;
struct pane;
struct table;
struct table_row;
struct table_style;

/* A device an operation may be run on: its raw identifiers (as the API sent them, never
 * display text), copied from the pane that lists it (ui_targets_free). */
struct ui_target {
	char *product_key;	/* ProductKey, or NULL */
	char *device_name;	/* DeviceName, or NULL */
	char *iot_id;		/* IotId, or NULL */
};

/* What a pane does; one table per pane file (tig's view_ops). */
struct pane_ops {
	enum ui_pane kind;						/* keymap section and help */
	void   (*open)(struct pane *p);					/* start loading */
	/* Frees priv (its requests are cancelled already); the UI frees p->table after it
	 * (a pane whose table borrows from priv frees it first and sets it NULL). */
	void   (*close)(struct pane *p);
	void   (*draw)(struct pane *p, WINDOW *w, int full);		/* draw into the pane window */
	int    (*action)(struct pane *p, enum ui_action a);		/* handle an action; 1 if it did */
	int    (*result)(struct pane *p, struct worker_result *r);	/* an answer for this pane; 1 when it took r
								   over (and freed it), 0: the UI frees it */
	double (*tick)(struct pane *p, double now);			/* live refresh; seconds until the next tick */
	void   (*info)(struct pane *p, struct buf *out);		/* the info line: "loaded N of M" */
	/* 1 when the pane already shows what a (the argument of ":pane ARG" or a view-* key)
	 * asks for, so that it is kept rather than opened again (NULL: always opened again). */
	int    (*same)(struct pane *p, const struct pane_arg *a);
	/* The devices an operation applies to: the marked rows, else the row under the
	 * cursor (NULL: the pane lists no devices). Fills *out (ui_targets_free) and returns
	 * how many; *marked says whether they are marked rows. */
	size_t (*targets)(struct pane *p, struct ui_target **out, int *marked);
	/* The current value of a thing-model property, as the API sent it (caller frees), or
	 * NULL when the pane does not know it (NULL: it shows no values). For forms. */
	char  *(*value_of)(struct pane *p, const char *identifier);
};

struct pane {
	const struct pane_ops *ops;	/* behaviour */
	struct ui             *ui;	/* the console */
	uint64_t               tag;	/* worker tag of this pane's requests */
	char                  *crumb;	/* breadcrumb text (display-safe, owned) */
	struct pane_arg        arg;	/* what it was opened on (owned copies; all NULL for a
					   pane opened with ui_push) */
	struct table          *table;	/* its table, or NULL (generic table keys use it) */
	int                    dirty;	/* needs a full redraw */
	double                 progress;/* 0..1 while loading, < 0 when idle */
	void                  *priv;	/* the pane's state */
	char                  *gone;	/* what it shows does not exist: why (display-safe,
					   owned); the UI draws that instead of the pane and
					   stops its requests and ticks */
};

/* Options of the console, from the command line and the config file. */
struct ui_opts {
	const char *profile;	/* profile name shown in the status bar, or NULL */
	int         readonly;	/* refuse writes */
	const char *theme;	/* theme name or NULL */
	const char *keymap;	/* keymap name or NULL */
	const char *config_file;/* --config FILE, or NULL for the default place */
	const char *start;	/* a command to run at start (":devices PK"), or NULL */
	int         no_mouse;	/* never enable the mouse */
	const char *vault_opt;	/* --vault FILE, or NULL */
	const char *vault_profile;	/* the vault profile the credentials came from, or NULL
				   (environment, demo): only then does the console lock */
	int         start_locked;	/* no credentials yet: open on the unlock screen and take
				   region, endpoint and instance from the vault profile
				   (vault_profile, NULL for the vault's default) */
	int         region_fixed;	/* --region was given: a profile does not change it
				   (api_config_set_place_from has the whole rule) */
	int         endpoint_fixed;	/* the same for the endpoint (--endpoint or
				   IOTDECK_ENDPOINT) */
	int         instance_fixed;	/* the same for the instance (--instance) */
	int         signature_fixed;	/* --signature was given: a profile's does not change it */
	int         signature_base;	/* the signature when no profile names one: --signature,
				   else IOTDECK_SIGNATURE, else v1 (API_SIGNATURE_V*) */
	const char *audit_log;	/* --audit-log FILE or "off", or NULL (the config's
				   audit-log, else the default place) */
};

/* ui_run's status when the terminal hung up: 128 + SIGHUP, as a shell reports it. */
#define UI_EXIT_HANGUP 129

/* Runs the console until the user quits. cfg is borrowed. Returns an exit status of
 * cli/options.h: EXIT_OK, EXIT_CONFIG (no terminal, the terminal or the worker cannot be
 * used), EXIT_NETWORK (the loop failed); or UI_EXIT_HANGUP. */
int ui_run(struct api_config *cfg, const struct worker_opts *wopts, const struct ui_opts *o);

/* ---- for panes -------------------------------------------------------------------- */

/* The worker carrying the console's requests (for the pager). */
struct worker *ui_worker(struct ui *ui);

/* Sends a request for pane p; the answer comes to p->ops->result with r->udata == kind.
 * params is copied. Returns the request id. */
uint64_t ui_request(struct pane *p, const char *action, const struct params *params,
    enum worker_prio prio, intptr_t kind);
/* Opens a new pane on top of the stack (crumb is copied). arg is handed to the new pane
 * as p->priv when its open runs: open takes it over (and frees it) and may replace
 * p->priv with its own state. */
void ui_push(struct ui *ui, const struct pane_ops *ops, const char *crumb, void *arg);
/* Closes the top pane. */
void ui_pop(struct ui *ui);
/* Reports an error: shown in the status bar (full text with the show-error action). */
void ui_error(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports an API error of action with all its detail (code, HTTP status, RequestId: the
 * `e` view shows them); what names it on the status bar (usually the action). */
void ui_report(struct ui *ui, const char *what, const char *action, const struct api_error *err);
/* Reports a failed request's error. */
void ui_api_error(struct ui *ui, const char *what, const struct worker_result *r);
/* A transient message in the status bar. */
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The attribute the theme gives an element (see elements.def). */
attr_t ui_attr(const struct ui *ui, int element);
/* The attribute of a device status text (ONLINE, OFFLINE, ...; NULL: default). */
attr_t ui_status_attr(const struct ui *ui, const char *status);
/* The table attributes of the current theme. */
void ui_table_style(const struct ui *ui, struct table_style *st);
/* Draws p's table over the whole pane window (a pane_ops draw for panes that are one
 * table: the thing model, the group tree, a property's history...). */
void ui_table_pane_draw(struct pane *p, WINDOW *w, int full);
/* Seconds between the live refreshes of what is on screen (refresh-interval). */
int ui_refresh_interval(const struct ui *ui);
/* refresh-interval's default: the live refreshes below are named at it. */
#define UI_REFRESH_DEFAULT 5
/* A pane's live refresh: how often it runs at the default refresh-interval, and the
 * shortest interval the QPS budget of its action leaves it. */
struct ui_live {
	double at_default;	/* seconds between two runs at refresh-interval 5 */
	double least;		/* never more often than this (seconds) */
};
/* Seconds between two runs of live refresh r when refresh-interval is setting: at_default
 * scaled by setting / 5 (refresh-interval 10 halves every live refresh, 1 makes it five
 * times as frequent), never under least; a setting <= 0 is the default. */
double ui_live_scale(int setting, const struct ui_live *r);
/* The same with the console's refresh-interval. */
double ui_live_every(const struct ui *ui, const struct ui_live *r);
/* 1 when the console refuses writes. */
int ui_readonly(const struct ui *ui);
/* Asks the user to confirm; on yes, calls fn(p, arg). The dialog owns arg (freed with
 * free_arg, which may be NULL) either way. */
void ui_confirm(struct ui *ui, struct pane *p, const char *question,
    void (*fn)(struct pane *p, void *arg), void *arg, void (*free_arg)(void *));
/* The last product the user opened (for :devices without an argument), or NULL. */
const char *ui_last_product(const struct ui *ui);
void ui_set_last_product(struct ui *ui, const char *product_key, const char *name);

/* The console's navigation and session, for the : commands (commands.c). */
struct known;
struct pane *ui_top(struct ui *ui);
/* Opens view v on top of the stack, on a (copied; NULL: no argument), with the breadcrumb
 * ui_crumb makes. For Enter on a row. */
void ui_open(struct ui *ui, enum ui_view v, const struct pane_arg *a);
/* The same for a view whose state the opener builds (describe, a property's history or
 * value): priv is handed to its open as ui_push does. */
void ui_open_with(struct ui *ui, enum ui_view v, const struct pane_arg *a, void *priv);
/* Goes to view v on a (copied) the way a : command or a view-* key does: the panes under
 * it first (its parent in panes.def: Products under a product's devices, the devices
 * under a device...), unless the pane on top already shows it (pane_ops.same). Opening a
 * product's devices makes it the last product. */
void ui_navigate(struct ui *ui, enum ui_view v, const struct pane_arg *a);
/* Opens the thing model of product_key over the current pane. */
void ui_open_thing_model(struct ui *ui, const char *product_key);
/* For a table whose device rows are keyed "PRODUCTKEY/DEVICENAME" (devices, a group):
 * Enter opens the device of row r (its breadcrumb the cell nick, else the cell name);
 * the thing model of its product. */
void ui_open_device_row(struct ui *ui, const struct table_row *r, int nick, int name);
void ui_open_thing_model_row(struct ui *ui, const struct table_row *r);
/* The breadcrumb of view v opened on a (the rule of its crumb in panes.def; raw text, the
 * pane makes it display-safe). Caller frees. */
char *ui_crumb(struct ui *ui, enum ui_view v, const struct pane_arg *a);
/* The breadcrumb of a product: "name (KEY)" when its name is known, else KEY. Caller frees. */
char *ui_product_crumb(struct ui *ui, const char *product_key);
/* The products seen so far (names, completion). */
struct known *ui_known(struct ui *ui);
const char *ui_region(const struct ui *ui);
const char *ui_profile(const struct ui *ui);
/* Changes the region (a default endpoint follows); 0, or -1 with the reason shown. */
int ui_set_region(struct ui *ui, const char *region);
/* Asks for the vault passphrase, then switches to profile name. */
void ui_switch_profile(struct ui *ui, const char *name);
void ui_ask_quit(struct ui *ui);
void ui_show_help(struct ui *ui);
void ui_show_stats(struct ui *ui);
void ui_reload_config(struct ui *ui);

/* The devices of table t an operation applies to (pane_ops.targets for a table whose
 * device rows are keyed "PRODUCTKEY/DEVICENAME"): the marked rows, else the cursor row;
 * rows for which is_device (may be NULL: every row) says 0 are left out. */
size_t ui_table_targets(struct table *t, int (*is_device)(const struct table_row *r),
    struct ui_target **out, int *marked);
/* Frees n targets and the array. */
void ui_targets_free(struct ui_target *v, size_t n);

/* The panes' ops (one file each, from panes.def). */
#define UI_VIEW(id, ops, title, crumb, parent, action, command, alias, args, help, complete, \
    arg) extern const struct pane_ops ops;
#include "ui/panes.def"
#undef UI_VIEW

#endif
