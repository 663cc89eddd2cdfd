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

/* ---- plan.c ----------------------------------------------------------------------- */

/* Frees a plan (NULL is fine). */
void plan_free(void *arg);
/* A thing model arrived (or failed): the plan waiting for it goes on, or stops. */
void plan_tsl_arrived(struct ui *ui);
/* An answer of QueryDeviceDesiredProperty for the waiting :desired plan. */
void plan_versions_answer(struct ui *ui, struct worker_result *r);

#endif
