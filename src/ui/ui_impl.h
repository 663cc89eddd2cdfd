/* ui_impl.h — the console's state, shared by the files that make the console (not by
 * panes, which see only ui.h):
 *
 *   ui.c         the loop, the pane stack, routing of results, the windows, ui_run
 *   views.c      opening panes: breadcrumbs, the path to a view (panes.def)
 *   input.c      the generic actions and the mouse
 *   helpview.c   the help, :stats and error history overlays
 *   prompt.c     the : / ? prompt (command line, filter, search) and Tab's candidates
 *   dialog.c     questions: ui_confirm and its box, quitting with writes in flight
 *   statusbar.c  the title, info and status lines
 *   lock.c       the idle lock, the unlock screen and :profile switches
 *   lineedit.c   the one line editor the prompt, the unlock screen and form fields share
 *   form.c       forms generated from the thing model and pick lists (MODE_FORM), with
 *                formfield.c (their fields, checked with api/tslvalue.h; no drawing)
 *   uiops.c, plan.c  the operations (writes): uiops.h, uiops_impl.h
 *   overlay.c, errors.c, commands.c: help/stats/errors views, the error history, the :
 *                commands.
 */
#ifndef IOTDECK_UI_IMPL_H
#define IOTDECK_UI_IMPL_H

#include <stdint.h>

#include "api/client.h"
#include "api/worker.h"
#include "core/buf.h"
#include "core/secret.h"
#include "ui/errors.h"
#include "ui/known.h"
#include "ui/lineedit.h"
#include "ui/lock.h"
#include "ui/overlay.h"
#include "ui/ui.h"
#include "vault/vault.h"

#define STACK_MAX 16
/* The longest passphrase typed on the unlock screen: the vault's own limit. */
#define PASS_MAX VAULT_PASSPHRASE_MAX
/* The longest command line, filter or search (bytes). */
#define PROMPT_MAX 1000
/* How long a transient message stays. */
#define MESSAGE_SECONDS 4.0
/* Transfers of the console's worker at least: operations keep many writes on the wire. */
#define UI_TRANSFERS 40
/* Key-to-frame samples kept for :stats. */
#define FRAME_SAMPLES 1024
/* The smallest screen the console draws on. */
#define MIN_LINES 6
#define MIN_COLS 30

enum ui_mode {
	MODE_NORMAL,	/* keys go to the pane */
	MODE_PROMPT,	/* the command line or a filter/search prompt */
	MODE_OVERLAY,	/* help or the full error: keys scroll or close it */
	MODE_CONFIRM,	/* a yes/no question */
	MODE_FORM	/* a form or a pick list (form.c) */
};

struct form;
struct uiops;

struct prompt {
	char             kind;	/* ':' command, '/' filter, '?' search */
	struct lineedit  edit;	/* what is typed */
	char            *before;/* the filter when the prompt opened (Esc restores it) */
	char            *error;	/* the last problem with what was typed, or NULL */
	char            *choices;	/* Tab's candidates, one a line, shown above it, or NULL */
};

struct confirm {
	char         *question;			/* the question (display-safe) */
	struct pane  *pane;			/* who asked */
	uint64_t      pane_tag;			/* its tag, to check it is still open */
	void        (*fn)(struct pane *, void *);	/* what to do on yes */
	void         *arg;			/* its argument */
	void        (*free_arg)(void *);	/* frees arg (may be NULL) */
	char         *expect;			/* text to type to confirm (a count, a
						   DeviceName), or NULL: y confirms */
	struct lineedit typed;			/* what was typed, when expect is set */
	int           wrong;			/* Enter was pressed on other text */
};

struct ui {
	struct api_config        *cfg;		/* the API configuration (borrowed) */
	struct worker_opts        wopts;	/* worker options */
	struct worker            *worker;	/* the worker thread */
	const struct ui_opts     *opts;		/* command-line options */
	struct config            *conf;		/* theme, keymap, settings */
	struct pane              *stack[STACK_MAX];	/* open panes, [depth-1] on top */
	int                       depth;	/* panes open */
	uint64_t                  next_tag;	/* tag of the next pane */
	enum ui_mode              mode;		/* what keys do */
	struct prompt             prompt;	/* the prompt, in MODE_PROMPT */
	struct confirm            confirm;	/* the question, in MODE_CONFIRM */
	struct overlay            ov;		/* help, stats, errors: MODE_OVERLAY */
	char                     *search;	/* the last search text, or NULL */
	struct errors             errs;		/* the status bar's error and the history */
	char                     *message;	/* a transient message, or NULL */
	double                    message_at;	/* when it was set */
	char                     *last_pk;	/* the last product opened */
	struct known              known;	/* products seen: names for titles, completion */
	int                       writes;	/* writes sent and not answered */
	struct worker_stats       stats;	/* the last statistics snapshot */
	double                    stats_at;	/* when it was taken */
	WINDOW                   *w_title, *w_main, *w_info, *w_status, *w_overlay;
	int                       lines, cols;	/* screen size of the windows */
	int                       full;		/* redraw everything */
	int                       quit;		/* leave the loop */
	int                       colors;	/* colours in use */
	int                       mouse;	/* mouse reporting on */
	struct lock_idle          idle;		/* idle and absolute lock timers */
	int                       can_lock;	/* vault credentials: the console may lock */
	int                       locked;	/* keys wiped, asking for the passphrase */
	struct secret            *pass;		/* the passphrase being typed (guarded) */
	struct lineedit           pass_edit;	/* the unlock screen's editor, typing into pass */
	char                     *lock_error;	/* why the last unlock failed, or NULL */
	int                       pass_given;	/* the ask callback handed pass over */
	char                     *profile;	/* the profile in use (status bar), or NULL */
	char                     *vault_profile;/* the vault profile in use (locking), or NULL */
	int                       readonly;	/* writes are refused */
	char                     *switch_to;	/* :profile NAME waiting for the passphrase */
	int                       first_unlock;	/* opened locked: the profile is not applied yet */
	struct form              *form;		/* the open form, in MODE_FORM, or NULL */
	double                    key_at;	/* when the first key not yet drawn was read (0: none) */
	double                    frame_ms[FRAME_SAMPLES];	/* key-to-frame times, a ring */
	size_t                    nframes;	/* samples taken (the ring holds the last) */
	struct uiops             *uiops;	/* operations and what they need (uiops.c) */
};

/* ---- ui.c ------------------------------------------------------------------------- */

/* The open pane whose worker tag is tag, or NULL. */
struct pane *ui_find_pane(struct ui *ui, uint64_t tag);
/* Closes every pane (their requests are cancelled). */
void ui_pop_all(struct ui *ui);
/* Stops the worker and closes every pane. */
void ui_stop_session(struct ui *ui);
/* Where requests go changes: every pane goes, the worker is made anew with next (checked
 * whole, taken over). 0, or -1 when the worker cannot start (the console then quits). */
int ui_switch_config(struct ui *ui, struct api_config *next);
/* Writes sent and not answered, and writes of running operations not yet sent. */
int ui_writes_pending(struct ui *ui);
/* Fills every window with the theme's default colours. */
void ui_windows_background(struct ui *ui);
/* Opens ops on top of the stack on a (copied into p->arg; NULL: none), priv handed to its
 * open as ui_push does. */
void ui_push_arg(struct ui *ui, const struct pane_ops *ops, const char *crumb, void *priv,
    const struct pane_arg *a);

/* ---- helpview.c ------------------------------------------------------------------- */

/* Shows the overlay (help, stats, errors) filled in ui->ov. */
void ui_overlay_open(struct ui *ui);
/* The error history, newest first (the show-error action). */
void ui_show_errors(struct ui *ui);

/* ---- input.c ---------------------------------------------------------------------- */

/* A generic action (movement, filter, sort, help, a view-* key...), for any pane. */
void ui_generic_action(struct ui *ui, enum ui_action a);
/* A mouse event: the wheel moves the cursor, a click selects, a double click is Enter. */
void ui_mouse_event(struct ui *ui);

/* ---- views.c ---------------------------------------------------------------------- */

/* Copies src (NULL: an empty argument) into dst, every string duplicated. */
void pane_arg_copy(struct pane_arg *dst, const struct pane_arg *src);
/* Frees what pane_arg_copy made. */
void pane_arg_free(struct pane_arg *a);

/* ---- prompt.c --------------------------------------------------------------------- */

/* Opens the prompt of kind ':', '/' (the filter, starting from the current one) or '?'. */
void prompt_open(struct ui *ui, char kind);
/* Opens the prompt with text typed already (":nickname "). */
void prompt_open_with(struct ui *ui, char kind, const char *text);
/* Tab: completes the word under the cursor of the command line. */
void prompt_complete(struct ui *ui);
/* A key while the prompt is open. */
void prompt_key(struct ui *ui, uint32_t key);
/* Draws the prompt on the status line; the cursor is left where typing goes. */
void prompt_draw(struct ui *ui);
/* Draws Tab's candidates at the bottom of the pane window, when there are any. */
void prompt_draw_choices(struct ui *ui);
/* Frees what the prompt holds. */
void prompt_free(struct ui *ui);

/* ---- dialog.c --------------------------------------------------------------------- */

/* Asks a question answered by typing expect (display-safe text: a count, a DeviceName) and
 * Enter; Esc cancels. As ui_confirm otherwise (p NULL: not tied to a pane). */
void ui_confirm_typed(struct ui *ui, struct pane *p, const char *question, const char *expect,
    void (*fn)(struct pane *p, void *arg), void *arg, void (*free_arg)(void *));
/* Ends the question: yes runs its action (if its pane is still open). */
void confirm_end(struct ui *ui, int yes);
/* A key while a question is open. */
void confirm_key(struct ui *ui, uint32_t key);
/* Draws the overlay: the question box, or help/stats/errors. */
void dialog_draw(struct ui *ui);
/* Frees a pending question (at exit). */
void confirm_free(struct ui *ui);

/* ---- statusbar.c ------------------------------------------------------------------ */

/* One line of text in w, made display-safe and cut to its width. */
void statusbar_line(WINDOW *w, attr_t a, const char *text);
/* The title line: breadcrumbs and the help hint. */
void statusbar_draw_title(struct ui *ui);
/* The info line: what the pane is doing, the filter, the row, a message. */
void statusbar_draw_info(struct ui *ui);
/* The status line: profile, region, API budget, requests, the last error (or the prompt). */
void statusbar_draw_status(struct ui *ui);
/* Appends to b the time left of the STS credential cfg signs with at now_ms (epoch ms):
 * "STS 41m", "STS 1h05m", "STS 42s", "STS EXPIRED", or "STS" when its expiry is unknown.
 * Returns 0 when cfg has no STS credential (nothing appended), 1 when plenty is left, 2
 * when less than STATUSBAR_STS_WARN_S seconds are (drawn in the warning colour), 3 when
 * it has expired. */
#define STATUSBAR_STS_WARN_S 300
int statusbar_sts_text(const struct api_config *cfg, int64_t now_ms, struct buf *b);

/* ---- lock.c ----------------------------------------------------------------------- */

/* Locks: every pane and request goes, the AccessKey secret is wiped, the passphrase is
 * asked for again. */
void lock_now(struct ui *ui);
/* Opens the unlock screen fresh (a new guarded passphrase buffer). */
void lock_begin(struct ui *ui);
/* A key while locked (it goes into the passphrase). */
void lock_key(struct ui *ui, uint32_t key);
/* Draws the unlock screen. */
void lock_draw(struct ui *ui);
/* Frees what the lock holds (at exit). */
void lock_free(struct ui *ui);

#endif
