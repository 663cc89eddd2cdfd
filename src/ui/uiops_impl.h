/* uiops_impl.h — what uiops.c (the operations of the session, the thing models, the audit
 * log, the results) and plan.c (a command or the menu made into an operation) share. Not
 * for panes: they see uiops.h. */
#ifndef IOTDECK_UIOPS_IMPL_H
#define IOTDECK_UIOPS_IMPL_H

#include "api/model.h"
#include "core/xmalloc.h"
#include "op/op.h"
#include "ui/ui_impl.h"
#include "ui/uiops.h"

/* Up to this many devices, y confirms; more, the number is typed. */
#define CONFIRM_Y_MAX 10

struct plan;
struct otaplan;

/* A product's thing model, asked for once a session. */
struct tslc {
	char             *pk;		/* ProductKey */
	int               state;	/* 0 asked, 1 here, -1 failed */
	char             *error;	/* why it failed (display-safe) */
	struct model_tsl  tsl;		/* the model, state 1 */
};

/* What the console keeps of an operation besides the engine's. */
struct uiop {
	struct op *op;
	char      *pk;		/* the product of an invocation (its outputs decode), or NULL */
	char      *service;	/* the service invoked, or NULL */
	int        reported;	/* its end was announced */
	int        refresh;	/* it changes what lists show: reload the pane on top then */
	unsigned   retried;	/* OP_RETRY_* already re-run from it (each once from here)*/
};

struct uiops {
	struct audit  *audit;		/* opened at the first write */
	struct uiop   *ops;		/* the session's operations, oldest first */
	size_t         n, cap;
	struct tslc   *tsl;		/* thing models */
	size_t         ntsl;
	struct plan   *waiting;		/* the plan waiting for the network, or NULL */
	uint64_t       next_plan;	/* plan ids */
	uint64_t       generation;	/* bumped as counts change */
	int            complete_wait;	/* Tab found no thing model yet: complete when it comes */
	struct otaplan *ota_waiting;	/* the OTA plan waiting for its reads (otaops.c), or NULL */
};

static inline struct uiops *
U(struct ui *ui)
{
	if (ui->uiops == NULL)
		ui->uiops = xcalloc(1, sizeof *ui->uiops);
	return ui->uiops;
}


/* ---- uiops.c ---------------------------------------------------------------------- */

/* The thing model of product pk: its entry (NULL: none), asking for it when it was never
 * asked or failed before (uiops_tsl_get), or the model when it is here (uiops_tsl_of). */
struct tslc *uiops_tsl_entry(struct uiops *u, const char *pk);
struct tslc *uiops_tsl_get(struct ui *ui, const char *pk);
const struct model_tsl *uiops_tsl_of(struct ui *ui, const char *pk);
/* Sends one of the console's own reads for operations (a thing model, desired versions,
 * an OTA job's tasks) under UIOPS_TAG; its answer comes to uiops_result with udata. */
void uiops_read(struct ui *ui, const char *action, const struct params *params,
    void *udata);
/* Opens the audit log at the first write: 0 (open, or off), or -1 with the reason shown
 * (a write that cannot be logged is not sent). */
int uiops_audit_ready(struct ui *ui);
/* Just before a write is started (its confirmation answered): 0, or -1 with the reason
 * shown ("read-only session: WHAT is refused", WHAT made from fmt; or the audit log's). */
int uiops_may_write(struct ui *ui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The options of a console operation: the audit log, the progress callback. */
void uiops_op_options(struct ui *ui, struct op_opts *oo, const char *label,
    const char *prefix);
/* Lists op and starts it on the console's worker (pk and service: an invocation's, for
 * decoding its outputs; refresh: reload the list on top when it ends). 0, or -1 (op
 * freed, the reason shown). */
int uiops_start(struct ui *ui, struct op *op, const char *pk, const char *service,
    int refresh);
/* What the console keeps of op, or NULL. */
struct uiop *uiops_uiop_of(struct uiops *u, const struct op *op);
/* Says how every operation that ended and was not reported went. */
void uiops_announce_ended(struct ui *ui);

/* ---- verbs: the : commands and the lines of the operations menu (a) -------------------- */

/* A verb. plan.c's device and group verbs and otaops.c's OTA verbs are tables of these,
 * indexed by their family's enum (designated initialisers). */
struct uiops_verb {
	const char *name;	/* the : command */
	const char *args;	/* its arguments, for :help and the menu */
	const char *label;	/* the menu's line */
	char        key;	/* the menu's key */
	const char *action;	/* the API action */
	int         where;	/* where its targets are: the family's own enum (plan.c's
				   scope, otaops.c's where) */
	const char *prefix;	/* how requests name the device (op.h), or NULL */
	int         tsl;	/* needs the thing model */
	int         text;	/* needs text typed after it (the menu opens the prompt) */
};

/* The index of the verb called name in v[0..n), or -1. */
int uiops_verb_find(const struct uiops_verb *v, int n, const char *name);
/* Runs a verb picked from the menu. */
typedef void uiops_verb_fn(struct ui *ui, const struct uiops_verb *v);
/* The most verbs a menu offers. */
#define UIOPS_MENU_MAX 16
/* Opens the operations menu titled title: the verbs v[idx[0..n)] (n <= UIOPS_MENU_MAX),
 * each as "KEY  label" with ":name args  (Action)" under it, its key picking it at once;
 * picked runs the one picked (v must outlive the menu: a static table). */
void uiops_verb_menu(struct ui *ui, const char *title, const struct uiops_verb *v,
    const int *idx, size_t n, uiops_verb_fn *picked);

/* ---- plan.c ----------------------------------------------------------------------- */

/* Frees a plan (NULL is fine). */
void plan_free(void *arg);
/* A thing model arrived (or failed): the plan waiting for it goes on, or stops. */
void plan_tsl_arrived(struct ui *ui);
/* An answer of QueryDeviceDesiredProperty for the waiting :desired plan. */
void plan_versions_answer(struct ui *ui, struct worker_result *r);

#endif
