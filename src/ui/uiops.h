/* uiops.h — the console's operations (writes), for the panes that show them (pane_ops.c)
 * and for the console itself.
 *
 * Every write the console sends is an operation (op/op.h) owned here, never by a pane:
 * closing a pane never cancels one; only the operator does (x in the operations pane,
 * Ctrl-C while one runs), and what is cancelled before it was sent is reported "not
 * sent". An operation starts from a : command (:set, :invoke, :desired, :enable,
 * :disable, :delete, :nickname, :group-add, :group-remove, :group-create, :group-delete)
 * or from the operations menu (a), on the marked rows of the pane or the row under the
 * cursor. Before anything is sent:
 *   1. read-only sessions refuse at once (before asking anything);
 *   2. values are checked against the product's published thing model (fetched once a
 *      session per product, api/tslvalue.h), or a form is generated from it (form.h);
 *   3. the operator confirms, in proportion to the blast radius: up to 10 devices y; more
 *      than 10, the number of devices typed; a delete, the DeviceName (one device) or the
 *      number typed.
 * Then it runs as one operation of single-device calls (per-device results), paced by the
 * worker's throttle, every sent write in the audit log (op/audit.h; --audit-log, set
 * audit-log). :ops lists the operations with live counts; Enter opens one's per-device
 * results; r re-runs it for the failed and unsent devices (those with an unknown outcome
 * only after a second question saying why).
 */
#ifndef IOTDECK_UIOPS_H
#define IOTDECK_UIOPS_H

#include <stddef.h>
#include <stdint.h>

#include "op/op.h"
#include "ui/ui.h"

/* The worker tag of the console's own reads for operations (thing models, desired
 * versions). Neither a pane's (small numbers) nor an operation's (bit 62). */
#define UIOPS_TAG ((uint64_t)1 << 61)

/* Runs one of the operation commands (name as typed: "set", "invoke"...) with its
 * argument text. Returns 0, or -1 with the reason on the status bar. */
int uiops_command(struct ui *ui, const char *name, const char *arg);
/* 1 when name is an operation command. */
int uiops_is_command(const char *name);
/* Opens the operations menu for the top pane (what applies to its selection). */
void uiops_menu(struct ui *ui);

/* The operations of the session, oldest first. */
size_t uiops_count(struct ui *ui);
struct op *uiops_get(struct ui *ui, size_t i);
/* The operation with this id, or NULL. */
struct op *uiops_find(struct ui *ui, const char *id);
/* Re-runs op for its failed and unsent devices (asks first; the unknown ones only after
 * a second question). */
void uiops_retry(struct ui *ui, struct op *op);
/* Cancels what op has not sent yet. */
void uiops_cancel(struct ui *ui, struct op *op);
/* What target t of op came to, one line, display-safe: an invocation's output decoded
 * against the service's outputs ("Result=1 成功, Duration=30 s") or its MessageId; the
 * error's code and message. */
void uiops_target_detail(struct ui *ui, const struct op *op, const struct op_target *t,
    struct buf *b);
/* Changes whenever an operation's counts change (panes redraw when it moved). */
uint64_t uiops_generation(struct ui *ui);

/* For the console (ui.c): */
/* Offers a worker result: 1 when it was an operation's or the console's own read (taken
 * and freed), 0 otherwise. */
int uiops_result(struct ui *ui, struct worker_result *r);
/* Writes on the wire (sent, not answered), and not yet sent, over every operation. */
size_t uiops_in_flight(struct ui *ui);
size_t uiops_unsent(struct ui *ui);
/* Cancels every running operation (Ctrl-C). Returns how many were running. */
int uiops_cancel_all(struct ui *ui);
/* The worker is about to go (quit, region or profile switch): cancels, takes what is
 * waiting, settles what is on the wire as unknown. The operations stay listed. Also
 * forgets the thing models (another account may differ). */
void uiops_stop(struct ui *ui);
/* Frees everything (at exit, after uiops_stop). */
void uiops_free(struct ui *ui);
/* Asks for the thing model of the top pane's devices, if it is not here yet (the command
 * line opens: Tab will want it). */
void uiops_prefetch(struct ui *ui);
/* Candidates for the argument being typed of an operation command (cmd "set"...; before:
 * the arguments typed before it): for :set and :desired the writable properties
 * ("Brightness="), for :invoke the services (first word), then the service's inputs
 * ("Duration="). Fills caller-freed arrays of words and notes (the type described) and
 * returns how many (0: none, or the thing model is still on its way: it is asked for). */
size_t uiops_candidates(struct ui *ui, const char *cmd, const char *before, char ***words,
    char ***notes);

#endif
