/* uiops.c — the console's operations (uiops.h): from a command or the menu to a running
 * operation, through the thing model, a form, the confirmation and the audit log.
 *
 * A command becomes a plan: the targets (copied from the pane: a pane may close while the
 * plan waits), what to send, and where it is. A plan moves step by step (plan_step) and
 * may wait for the network (a product's thing model, the desired versions of its devices:
 * one plan waits at a time, ui->uiops->waiting) or for the operator (a form, a pick list,
 * the confirmation: the plan is then the dialog's argument). A plan never sends: it ends
 * in an operation (op/op.h), or in nothing, with the reason on the status bar.
 */
#include "ui/uiops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/model.h"
#include "api/tslvalue.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/config.h"
#include "ui/form.h"
#include "ui/pane_group.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/ui_impl.h"

/* Up to this many devices, y confirms; more, the number is typed. */
#define CONFIRM_Y_MAX 10
/* Names listed in a confirmation. */
#define CONFIRM_NAMES 3
/* The most identifiers SetDeviceProperty / SetDeviceDesiredProperty take at once. */
#define DESIRED_MAX 10

/* ---- the verbs ------------------------------------------------------------------- */

enum verb_id {
	V_SET, V_INVOKE, V_DESIRED, V_ENABLE, V_DISABLE, V_NICKNAME, V_GROUP_ADD,
	V_GROUP_REMOVE, V_DELETE, V_GROUP_CREATE, V_GROUP_DELETE, V_COUNT
};

enum scope { S_DEVICES, S_GROUPS };

struct verb {
	const char *name;	/* the : command */
	const char *args;	/* its arguments, for :help and the menu */
	const char *label;	/* the menu's line */
	const char *action;	/* the API action */
	const char *prefix;	/* how requests name the device (op.h), or NULL */
	enum scope  scope;	/* devices, or the groups pane */
	int         tsl;	/* needs the thing model */
	int         text;	/* needs text typed after it (menu: opens the prompt) */
};

static const struct verb verbs[V_COUNT] = {
	[V_SET]          = { "set", "[ID=VALUE ...]", "Set properties", "SetDeviceProperty",
			     NULL, S_DEVICES, 1, 0 },
	[V_INVOKE]       = { "invoke", "[SERVICE [ARG=VALUE ...]]", "Invoke a service",
			     "InvokeThingService", NULL, S_DEVICES, 1, 0 },
	[V_DESIRED]      = { "desired", "[ID=VALUE ...]", "Set desired property values",
			     "SetDeviceDesiredProperty", NULL, S_DEVICES, 1, 0 },
	[V_ENABLE]       = { "enable", "", "Enable", "EnableThing", NULL, S_DEVICES, 0, 0 },
	[V_DISABLE]      = { "disable", "", "Disable", "DisableThing", NULL, S_DEVICES, 0, 0 },
	[V_NICKNAME]     = { "nickname", "TEXT", "Set the nickname", "BatchUpdateDeviceNickname",
			     "DeviceNicknameInfo.1.", S_DEVICES, 0, 1 },
	[V_GROUP_ADD]    = { "group-add", "GROUPID", "Add to a group",
			     "BatchAddDeviceGroupRelations", "Device.1.", S_DEVICES, 0, 1 },
	[V_GROUP_REMOVE] = { "group-remove", "GROUPID", "Remove from a group",
			     "BatchDeleteDeviceGroupRelations", "Device.1.", S_DEVICES, 0, 1 },
	[V_DELETE]       = { "delete", "", "Delete", "DeleteDevice", NULL, S_DEVICES, 0, 0 },
	[V_GROUP_CREATE] = { "group-create", "NAME [DESCRIPTION]", "Create a group",
			     "CreateDeviceGroup", NULL, S_GROUPS, 0, 1 },
	[V_GROUP_DELETE] = { "group-delete", "", "Delete the group", "DeleteDeviceGroup", NULL,
			     S_GROUPS, 0, 0 },
};

/* The menu's key of each verb. */
static const char verb_keys[V_COUNT] = {
	[V_SET] = 's', [V_INVOKE] = 'i', [V_DESIRED] = 'w', [V_ENABLE] = 'e', [V_DISABLE] = 'x',
	[V_NICKNAME] = 'n', [V_GROUP_ADD] = 'g', [V_GROUP_REMOVE] = 'u', [V_DELETE] = 'D',
	[V_GROUP_CREATE] = 'c', [V_GROUP_DELETE] = 'D',
};

static int
verb_find(const char *name)
{
	int v;

	for (v = 0; v < V_COUNT; v++)
		if (strcmp(verbs[v].name, name) == 0)
			return v;
	return -1;
}

int
uiops_is_command(const char *name)
{
	return verb_find(name) >= 0;
}

/* ---- state ----------------------------------------------------------------------- */

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
};

/* A product of a plan, and what its devices get (Items, Args). */
struct plan_product {
	char *pk;
	char *value;		/* the JSON text built from the assignments */
};

struct plan {
	struct ui           *ui;		/* the console */
	enum verb_id         verb;
	uint64_t             id;		/* matches the answers of its reads */
	struct ui_target    *t;		/* the devices (S_DEVICES) */
	size_t               n;
	int                  marked;		/* they are marked rows */
	char                *group_id;	/* S_GROUPS: the group (delete), or the parent
					   (create, NULL: top level) */
	char                *group_type;	/* its GroupType (delete) */
	char                *group_name;	/* its name as shown (delete) */
	char                *service;	/* V_INVOKE: the service, once known */
	char               **ids;		/* assignments: identifiers ... */
	char               **texts;		/* ... and what was typed */
	size_t               nsets;
	char                *text;		/* V_NICKNAME, group verbs: the text argument */
	char                *desc;		/* V_GROUP_CREATE: the description */
	struct plan_product *prods;		/* the products of the devices */
	size_t               nprods;
	char               **versions;	/* V_DESIRED: each device's Versions JSON */
	size_t               versions_got;	/* answers so far */
	int                  versions_asked;
	int                  formed;		/* the assignments came from a form */
	uint64_t             pane_tag;	/* the pane it came from (current values) */
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
};

static struct uiops *
U(struct ui *ui)
{
	if (ui->uiops == NULL)
		ui->uiops = xcalloc(1, sizeof *ui->uiops);
	return ui->uiops;
}

static void plan_step(struct ui *ui, struct plan *pl);

/* ---- plans ----------------------------------------------------------------------- */

static void
plan_free(void *arg)
{
	struct plan *pl = arg;
	size_t i;

	if (pl == NULL)
		return;
	ui_targets_free(pl->t, pl->n);
	free(pl->group_id);
	free(pl->group_type);
	free(pl->group_name);
	free(pl->service);
	for (i = 0; i < pl->nsets; i++) {
		free(pl->ids[i]);
		free(pl->texts[i]);
	}
	free(pl->ids);
	free(pl->texts);
	free(pl->text);
	free(pl->desc);
	for (i = 0; i < pl->nprods; i++) {
		free(pl->prods[i].pk);
		free(pl->prods[i].value);
	}
	free(pl->prods);
	if (pl->versions != NULL)
		for (i = 0; i < pl->n; i++)
			free(pl->versions[i]);
	free(pl->versions);
	free(pl);
}

/* Takes the plan out of a dialog that will free its argument: the dialog keeps an empty
 * shell. */
static struct plan *
plan_move(struct plan *pl)
{
	struct plan *np = xmalloc(sizeof *np);

	*np = *pl;
	memset(pl, 0, sizeof *pl);
	return np;
}

static void
plan_add_set(struct plan *pl, const char *id, size_t idlen, const char *text)
{
	pl->ids = xreallocarray(pl->ids, pl->nsets + 1, sizeof *pl->ids);
	pl->texts = xreallocarray(pl->texts, pl->nsets + 1, sizeof *pl->texts);
	pl->ids[pl->nsets] = xstrndup(id, idlen);
	pl->texts[pl->nsets] = xstrdup(text);
	pl->nsets++;
}

/* Splits arg into words: spaces separate, "double quotes" keep spaces (\" and \\ inside).
 * Returns a caller-freed array of n caller-freed words, or NULL with *cause. */
static char **
split_words(const char *arg, size_t *n, char **cause)
{
	char **v = NULL;
	struct buf w = BUF_INIT;
	const char *s = arg;
	int quoted, any;

	*n = 0;
	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		buf_reset(&w);
		quoted = 0;
		any = 0;
		for (; *s != '\0' && (quoted || *s != ' '); s++) {
			if (*s == '"') {
				quoted = !quoted;
				any = 1;
			} else if (quoted && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
				buf_addc(&w, *++s);
			else
				buf_addc(&w, *s);
		}
		if (quoted) {
			size_t i;
			for (i = 0; i < *n; i++)
				free(v[i]);
			free(v);
			buf_free(&w);
			*cause = xstrdup("a \" is not closed");
			*n = 0;
			return NULL;
		}
		(void)any;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(buf_str(&w));
	}
	buf_free(&w);
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	return v;
}

static void
words_free(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

/* The distinct products of the plan's devices. */
static void
plan_products(struct plan *pl)
{
	size_t i, j;

	for (i = 0; i < pl->n; i++) {
		const char *pk = pl->t[i].product_key;
		if (pk == NULL)
			continue;
		for (j = 0; j < pl->nprods; j++)
			if (strcmp(pl->prods[j].pk, pk) == 0)
				break;
		if (j < pl->nprods)
			continue;
		pl->prods = xreallocarray(pl->prods, pl->nprods + 1, sizeof *pl->prods);
		pl->prods[pl->nprods].pk = xstrdup(pk);
		pl->prods[pl->nprods].value = NULL;
		pl->nprods++;
	}
}

/* ---- thing models ---------------------------------------------------------------- */

static struct tslc *
tsl_entry(struct uiops *u, const char *pk)
{
	size_t i;

	for (i = 0; i < u->ntsl; i++)
		if (strcmp(u->tsl[i].pk, pk) == 0)
			return &u->tsl[i];
	return NULL;
}

/* The thing model of pk: asks for it when it was never asked (or failed before). */
static struct tslc *
tsl_get(struct ui *ui, const char *pk)
{
	struct uiops *u = U(ui);
	struct tslc *e = tsl_entry(u, pk);
	struct worker_call c;
	struct params q = PARAMS_INIT;

	if (e != NULL && e->state >= 0)
		return e;
	if (ui->worker == NULL)
		return e;
	if (e == NULL) {
		u->tsl = xreallocarray(u->tsl, u->ntsl + 1, sizeof *u->tsl);
		e = &u->tsl[u->ntsl++];
		memset(e, 0, sizeof *e);
		e->pk = xstrdup(pk);
	}
	e->state = 0;
	xstrset(&e->error, NULL);
	params_set(&q, "ProductKey", pk);
	memset(&c, 0, sizeof c);
	c.action = "GetThingModelTslPublished";
	c.params = &q;
	c.prio = WORKER_INTERACTIVE;
	c.tag = UIOPS_TAG;
	c.udata = NULL;
	worker_submit(ui->worker, &c);
	params_free(&q);
	return e;
}

static void
tsl_answer(struct ui *ui, struct worker_result *r)
{
	struct uiops *u = U(ui);
	const char *pk = NULL;
	struct tslc *e;
	char *cause = NULL;
	size_t i;

	/* Which product: the one asked for and not answered whose key the answer names, else
	 * the first still asked for (answers come in order of asking per action). */
	for (i = 0; i < u->ntsl && pk == NULL; i++)
		if (u->tsl[i].state == 0)
			pk = u->tsl[i].pk;
	if (r->json != NULL) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(r->json, "Data");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(d, "ProductKey");
		if (cJSON_IsString(k) && tsl_entry(u, k->valuestring) != NULL)
			pk = k->valuestring;
	}
	if (pk == NULL || (e = tsl_entry(u, pk)) == NULL)
		return;
	if (r->status != API_OK) {
		e->state = -1;
		e->error = xasprintf("%s: %s", r->err.code != NULL ? r->err.code : "error",
		    r->err.message != NULL ? r->err.message : "no thing model");
	} else if (model_tsl_from_response(r->json, &e->tsl, &cause) != 0) {
		model_tsl_clear(&e->tsl);
		e->state = -1;
		e->error = safetext_dup(cause, strlen(cause));
		free(cause);
	} else
		e->state = 1;
}

static const struct model_tsl *
tsl_of(struct ui *ui, const char *pk)
{
	struct tslc *e = tsl_entry(U(ui), pk);

	return e != NULL && e->state == 1 ? &e->tsl : NULL;
}

/* The thing models of the plan's products: 1 all here, 0 still coming (asked), -1 one
 * failed (reported). */
static int
plan_models(struct ui *ui, struct plan *pl)
{
	size_t i;
	int waiting = 0;
	struct tslc *e;
	char *pk;

	for (i = 0; i < pl->nprods; i++) {
		e = tsl_entry(U(ui), pl->prods[i].pk);
		if (e != NULL && e->state == -1 && U(ui)->waiting == pl) {
			pk = safetext_dup(pl->prods[i].pk, strlen(pl->prods[i].pk));
			ui_error(ui, ":%s: the thing model of %s: %s", verbs[pl->verb].name, pk,
			    e->error);
			free(pk);
			return -1;
		}
		if (e == NULL || e->state != 1) {
			e = tsl_get(ui, pl->prods[i].pk);
			if (e == NULL || e->state != 1)
				waiting = 1;
		}
	}
	return waiting ? 0 : 1;
}

/* ---- the audit log --------------------------------------------------------------- */

/* Opens the audit log at the first write. Returns 0 (the log, or none when it is off), or
 * -1 with the reason shown: a write that cannot be logged is not sent. */
static int
audit_ready(struct ui *ui)
{
	struct uiops *u = U(ui);
	const char *path = ui->opts->audit_log;
	char *cause = NULL;

	if (u->audit != NULL)
		return 0;
	if (path == NULL)
		path = config_settings(ui->conf)->audit_log;	/* NULL: the default */
	if (path != NULL && (strcmp(path, "off") == 0 || *path == '\0'))
		return 0;
	u->audit = audit_open(path, &cause);
	if (u->audit == NULL) {
		ui_error(ui, "the audit log: %s; nothing was sent (set audit-log FILE in the config "
		    "puts it elsewhere)", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* ---- results --------------------------------------------------------------------- */

static struct uiop *
uiop_of(struct uiops *u, const struct op *op)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->ops[i].op == op)
			return &u->ops[i];
	return NULL;
}

/* What an invocation's answer says, decoded against the service's outputs: "Result=1
 * 成功, Duration=30 s", or the MessageId of an asynchronous call. Display-safe. */
static void
answer_text(struct ui *ui, const struct uiop *uo, const struct op_target *t, struct buf *b)
{
	const struct model_tsl *m = uo->pk != NULL ? tsl_of(ui, uo->pk) : NULL;
	const struct tsl_service *svc = m != NULL && uo->service != NULL ?
	    tslvalue_service(m, uo->service) : NULL;
	const cJSON *res, *data, *v, *mid;
	char *text;
	size_t i;
	int first = 1;

	if (t->answer == NULL)
		return;
	res = cJSON_GetObjectItemCaseSensitive(t->answer, "Result");
	mid = cJSON_GetObjectItemCaseSensitive(t->answer, "MessageId");
	if (res != NULL) {
		data = cJSON_GetObjectItemCaseSensitive(res, "data");
		if (svc != NULL && cJSON_IsObject(data)) {
			for (i = 0; i < svc->output_count; i++) {
				v = cJSON_GetObjectItemCaseSensitive(data, svc->outputs[i].identifier);
				if (v == NULL)
					continue;
				text = tslvalue_show(&svc->outputs[i].type, v,
				    config_settings(ui->conf)->time_format);
				if (!first)
					buf_adds(b, ", ");
				first = 0;
				safetext_append(b, svc->outputs[i].identifier,
				    strlen(svc->outputs[i].identifier));
				buf_addc(b, '=');
				safetext_append(b, text, strlen(text));
				if (svc->outputs[i].type.unit != NULL) {
					buf_addc(b, ' ');
					safetext_append(b, svc->outputs[i].type.unit,
					    strlen(svc->outputs[i].type.unit));
				}
				free(text);
			}
			if (!first)
				return;
		}
		text = jsonout_print(data != NULL ? data : res, JSONOUT_COMPACT);
		buf_adds(b, "output ");
		safetext_append(b, text, strlen(text));
		free(text);
	} else if (cJSON_IsString(mid)) {
		buf_adds(b, "MessageId ");
		safetext_append(b, mid->valuestring, strlen(mid->valuestring));
	}
}

void
uiops_target_detail(struct ui *ui, const struct op *op, const struct op_target *t,
    struct buf *b)
{
	struct uiop *uo = uiop_of(U(ui), op);

	if (t->state == OP_T_OK) {
		if (uo != NULL)
			answer_text(ui, uo, t, b);
		return;
	}
	if (t->code != NULL) {
		safetext_append(b, t->code, strlen(t->code));
		buf_adds(b, ": ");
	}
	if (t->message != NULL)
		safetext_append(b, t->message, strlen(t->message));
}

/* An operation ended: say how it went on the status bar. */
static void
announce(struct ui *ui, struct uiop *uo)
{
	struct op_counts c;
	const struct op_target *t;
	struct buf b = BUF_INIT;
	char *label = safetext_dup(op_label(uo->op), strlen(op_label(uo->op)));
	struct api_error err;

	uo->reported = 1;
	op_counts(uo->op, &c);
	if (c.total == 1) {
		t = op_target(uo->op, 0);
		if (t->state == OP_T_OK) {
			/* Short: the output is what matters (it may be long: :ops has it). */
			answer_text(ui, uo, t, &b);
			ui_message(ui, "%s %s%s%s: ok%s%s", t->device_name != NULL ?
			    t->device_name : op_target_name(t), op_action(uo->op),
			    uo->service != NULL ? " " : "", uo->service != NULL ? uo->service : "",
			    b.len ? ": " : "", buf_str(&b));
		} else {
			memset(&err, 0, sizeof err);
			err.code = t->code;
			err.message = t->message;
			err.request_id = t->request_id;
			err.http_status = t->http_status;
			err.outcome_unknown = t->state == OP_T_UNKNOWN;
			ui_report(ui, label, op_action(uo->op), &err);
		}
	} else if (c.n[OP_T_FAILED] + c.n[OP_T_UNKNOWN] + c.n[OP_T_NOT_SENT] == 0)
		ui_message(ui, "%s: all %zu devices ok", label, c.total);
	else
		ui_error(ui, "%s: %zu ok, %zu failed, %zu unknown, %zu not sent (:ops shows each)",
		    label, c.n[OP_T_OK], c.n[OP_T_FAILED], c.n[OP_T_UNKNOWN], c.n[OP_T_NOT_SENT]);
	if (op_audit_error(uo->op) != NULL)
		ui_error(ui, "%s: %s", label, op_audit_error(uo->op));
	if (uo->refresh && c.n[OP_T_OK] > 0) {
		/* Nicknames, states, groups changed: the list on screen shows them. */
		struct pane *top = ui_top(ui);
		if (top != NULL && top->gone == NULL && top->ops->action != NULL)
			top->ops->action(top, UI_A_REFRESH);
	}
	buf_free(&b);
	free(label);
}

static void
on_target(void *arg, struct op *op, size_t i)
{
	struct ui *ui = arg;

	(void)op;
	(void)i;
	U(ui)->generation++;
}

/* Announces operations that ended and were not announced. */
static void
announce_ended(struct ui *ui)
{
	struct uiops *u = U(ui);
	size_t i;

	for (i = 0; i < u->n; i++)
		if (!u->ops[i].reported && op_state(u->ops[i].op) == OP_DONE)
			announce(ui, &u->ops[i]);
}

/* ---- desired versions ------------------------------------------------------------ */

/* Asks every device of a :desired plan for the versions of the properties it sets. */
static void
versions_ask(struct ui *ui, struct plan *pl)
{
	struct worker_call c;
	struct params q = PARAMS_INIT;
	char name[32];
	size_t i, k;

	pl->versions = xcalloc(pl->n, sizeof *pl->versions);
	pl->versions_asked = 1;
	for (i = 0; i < pl->n; i++) {
		params_free(&q);
		params_init(&q);
		params_set(&q, "ProductKey", pl->t[i].product_key);
		params_set(&q, "DeviceName", pl->t[i].device_name);
		for (k = 0; k < pl->nsets; k++) {
			snprintf(name, sizeof name, "Identifier.%zu", k + 1);
			params_set(&q, name, pl->ids[k]);
		}
		memset(&c, 0, sizeof c);
		c.action = "QueryDeviceDesiredProperty";
		c.params = &q;
		c.prio = WORKER_INTERACTIVE;
		c.tag = UIOPS_TAG;
		c.udata = (void *)(uintptr_t)(i + 1);
		worker_submit(ui->worker, &c);
	}
	params_free(&q);
}

static void
versions_answer(struct ui *ui, struct worker_result *r)
{
	struct uiops *u = U(ui);
	struct plan *pl = u->waiting;
	size_t i = (size_t)(uintptr_t)r->udata - 1, k;
	const cJSON *list, *it, *id, *ver;
	cJSON *o;
	char *dn;

	if (pl == NULL || pl->verb != V_DESIRED || pl->versions == NULL || i >= pl->n ||
	    pl->versions[i] != NULL)
		return;
	if (r->status != API_OK) {
		dn = safetext_dup(pl->t[i].device_name, strlen(pl->t[i].device_name));
		ui_report(ui, "reading the desired versions", r->action, &r->err);
		ui_error(ui, ":desired: the desired versions of %s: %s; nothing was sent", dn,
		    r->err.code != NULL ? r->err.code : "error");
		free(dn);
		u->waiting = NULL;
		plan_free(pl);
		return;
	}
	o = cJSON_CreateObject();
	for (k = 0; k < pl->nsets; k++)
		cJSON_AddNumberToObject(o, pl->ids[k], 0);	/* never set: version 0 */
	list = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->json, "Data"),
	    "List"), "DesiredPropertyInfo");
	cJSON_ArrayForEach(it, list) {
		id = cJSON_GetObjectItemCaseSensitive(it, "Identifier");
		ver = cJSON_GetObjectItemCaseSensitive(it, "Version");
		if (cJSON_IsString(id) && cJSON_IsNumber(ver) &&
		    cJSON_GetObjectItemCaseSensitive(o, id->valuestring) != NULL)
			cJSON_ReplaceItemInObjectCaseSensitive(o, id->valuestring,
			    cJSON_CreateNumber(ver->valuedouble));
	}
	pl->versions[i] = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (++pl->versions_got == pl->n) {
		u->waiting = NULL;
		plan_step(ui, pl);
	}
}

/* ---- routing --------------------------------------------------------------------- */

int
uiops_result(struct ui *ui, struct worker_result *r)
{
	struct uiops *u;
	struct plan *pl;
	size_t i;

	if (op_is_tag(r->tag)) {
		u = U(ui);
		for (i = 0; i < u->n; i++)
			if (op_feed(u->ops[i].op, r)) {
				u->generation++;
				announce_ended(ui);
				return 1;
			}
		worker_result_free(r);	/* an operation freed before its answer came */
		return 1;
	}
	if (r->tag != UIOPS_TAG)
		return 0;
	u = U(ui);
	if (strcmp(r->action, "GetThingModelTslPublished") == 0) {
		tsl_answer(ui, r);
		if (u->complete_wait && ui->mode == MODE_PROMPT && ui->prompt.kind == ':') {
			u->complete_wait = 0;
			prompt_complete(ui);	/* the Tab that came too early */
			ui->full = 1;
		}
		/* A plan waiting for models goes on (or stops, when one failed). */
		if ((pl = u->waiting) != NULL && !pl->versions_asked) {
			int rc = plan_models(ui, pl);
			if (rc != 0) {
				u->waiting = NULL;
				if (rc > 0)
					plan_step(ui, pl);
				else
					plan_free(pl);
			}
		}
	} else if (strcmp(r->action, "QueryDeviceDesiredProperty") == 0)
		versions_answer(ui, r);
	worker_result_free(r);
	return 1;
}

/* ---- starting --------------------------------------------------------------------- */

static const char *
prod_value(const struct plan *pl, const char *pk)
{
	size_t i;

	for (i = 0; pk != NULL && i < pl->nprods; i++)
		if (strcmp(pl->prods[i].pk, pk) == 0)
			return pl->prods[i].value;
	return NULL;
}

/* A line for lists: "set Brightness=80 Power=1", "invoke Reboot", "delete". */
static char *
plan_label(const struct plan *pl)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, verbs[pl->verb].name);
	if (pl->service != NULL)
		buf_addf(&b, " %s", pl->service);
	for (i = 0; i < pl->nsets; i++)
		buf_addf(&b, " %s=%s", pl->ids[i], pl->texts[i]);
	if (pl->text != NULL)
		buf_addf(&b, " %s", pl->text);
	if (pl->verb == V_GROUP_DELETE && pl->group_id != NULL)
		buf_addf(&b, " %s", pl->group_id);
	return buf_detach(&b);
}

static void
uiop_add(struct ui *ui, struct op *op, const char *pk, const char *service, int refresh)
{
	struct uiops *u = U(ui);
	struct uiop *uo;

	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 8;
		u->ops = xreallocarray(u->ops, u->cap, sizeof *u->ops);
	}
	uo = &u->ops[u->n++];
	memset(uo, 0, sizeof *uo);
	uo->op = op;
	uo->pk = pk != NULL ? xstrdup(pk) : NULL;
	uo->service = service != NULL ? xstrdup(service) : NULL;
	uo->refresh = refresh;
	u->generation++;
}

static void
op_options(struct ui *ui, struct op_opts *oo, const char *label, const char *prefix)
{
	op_opts_init(oo);
	oo->audit = U(ui)->audit;
	oo->on_target = on_target;
	oo->arg = ui;
	oo->label = label;
	oo->device_prefix = prefix;
}

/* Starts a started-to-be operation: the worker must be there, the audit log open. */
static int
start(struct ui *ui, struct op *op, const char *pk, const char *service, int refresh)
{
	if (ui->worker == NULL) {
		ui_error(ui, "not connected: nothing was sent");
		op_free(op);
		return -1;
	}
	uiop_add(ui, op, pk, service, refresh);
	op_start(op, ui->worker);
	if (op_state(op) == OP_DONE)
		announce_ended(ui);
	return 0;
}

/* Yes: the plan becomes an operation. */
static void
plan_run(struct pane *p, void *arg)
{
	struct plan *pl = arg;
	struct ui *ui = pl->ui;
	const struct verb *v = &verbs[pl->verb];
	struct op_opts oo;
	struct params common = PARAMS_INIT, own = PARAMS_INIT;
	struct op *op;
	char *label, *cause = NULL;
	const char *action = v->action;
	size_t i;

	(void)p;
	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: :%s is refused (nothing was sent)", v->name);
		return;
	}
	if (audit_ready(ui) != 0)
		return;
	label = plan_label(pl);
	if (pl->verb == V_INVOKE)
		params_set(&common, "Identifier", pl->service);
	if (pl->verb == V_GROUP_ADD || pl->verb == V_GROUP_REMOVE)
		params_set(&common, "GroupId", pl->text);
	if (pl->verb == V_GROUP_DELETE && pl->group_type != NULL &&
	    strcmp(pl->group_type, "LINK_PLATFORM_DYNAMIC") == 0)
		action = "DeleteDeviceDynamicGroup";
	op_options(ui, &oo, label, v->prefix);
	op = op_new(action, &common, &oo);
	if (v->scope == S_GROUPS) {
		if (pl->verb == V_GROUP_CREATE) {
			params_set(&own, "GroupName", pl->text);
			if (pl->desc != NULL)
				params_set(&own, "GroupDesc", pl->desc);
			if (pl->group_id != NULL)
				params_set(&own, "SuperGroupId", pl->group_id);
			op_add_item(op, pl->text, &own, &cause);
		} else {
			params_set(&own, "GroupId", pl->group_id);
			op_add_item(op, pl->group_id, &own, &cause);
		}
		free(cause);
		cause = NULL;
	} else
		for (i = 0; i < pl->n; i++) {
			const char *val = prod_value(pl, pl->t[i].product_key);
			params_free(&own);
			params_init(&own);
			if (pl->verb == V_SET || pl->verb == V_DESIRED)
				params_set(&own, "Items", val);
			if (pl->verb == V_DESIRED)
				params_set(&own, "Versions", pl->versions[i]);
			if (pl->verb == V_INVOKE)
				params_set(&own, "Args", val);
			if (pl->verb == V_NICKNAME)
				params_set(&own, "DeviceNicknameInfo.1.Nickname", pl->text);
			if (op_add_target(op, pl->t[i].product_key, pl->t[i].device_name,
			    pl->t[i].iot_id, &own, &cause) < 0) {
				/* Two rows of one device: it gets the write once. */
				free(cause);
				cause = NULL;
			}
		}
	params_free(&common);
	params_free(&own);
	if (start(ui, op, pl->nprods == 1 ? pl->prods[0].pk : NULL, pl->service,
	    pl->verb != V_SET && pl->verb != V_INVOKE && pl->verb != V_DESIRED) == 0 &&
	    op_state(op) != OP_DONE)
		ui_message(ui, "%s: sending to %zu device%s (:ops shows each)", label,
		    op_target_count(op), op_target_count(op) == 1 ? "" : "s");
	free(label);
}

/* The confirmation, in proportion: the action, what is sent, how many devices of which
 * products, the first names; y up to 10 devices, else the number typed; a delete types
 * the DeviceName (one device) or the number. */
static void
plan_confirm(struct ui *ui, struct plan *pl)
{
	const struct verb *v = &verbs[pl->verb];
	struct buf q = BUF_INIT;
	char *label = plan_label(pl), *expect = NULL, num[32];
	size_t i;
	int del = pl->verb == V_DELETE || pl->verb == V_GROUP_DELETE;

	buf_addf(&q, "%s (%s)", label, v->action);
	if (v->scope == S_GROUPS) {
		if (pl->verb == V_GROUP_DELETE) {
			buf_addf(&q, ": group %s", pl->group_id);
			if (pl->group_name != NULL)
				buf_addf(&q, " \"%s\"", pl->group_name);
			buf_adds(&q, ". Its devices stay; the group, its subgroups and their "
			    "relations go.");
			expect = xstrdup(pl->group_id);
		} else if (pl->group_id != NULL)
			buf_addf(&q, ", a subgroup of %s?", pl->group_id);
		else
			buf_adds(&q, "?");
	} else {
		buf_addf(&q, " on %zu device%s", pl->n, pl->n == 1 ? "" : "s");
		if (pl->nprods == 1)
			buf_addf(&q, " of product %s", pl->prods[0].pk);
		else if (pl->nprods > 1)
			buf_addf(&q, " of %zu products", pl->nprods);
		buf_adds(&q, ": ");
		for (i = 0; i < pl->n && i < CONFIRM_NAMES; i++)
			buf_addf(&q, "%s%s", i ? ", " : "", pl->t[i].device_name != NULL ?
			    pl->t[i].device_name : pl->t[i].iot_id);
		if (pl->n > CONFIRM_NAMES)
			buf_addf(&q, " and %zu more", pl->n - CONFIRM_NAMES);
		buf_adds(&q, pl->verb == V_DELETE ? ". Deleting cannot be undone." : ".");
		snprintf(num, sizeof num, "%zu", pl->n);
		if (del)
			expect = xstrdup(pl->n == 1 ? pl->t[0].device_name : num);
		else if (pl->n > CONFIRM_Y_MAX)
			expect = xstrdup(num);
	}
	if (expect != NULL)
		ui_confirm_typed(ui, NULL, buf_str(&q), expect, plan_run, pl, plan_free);
	else
		ui_confirm(ui, NULL, buf_str(&q), plan_run, pl, plan_free);
	free(expect);
	free(label);
	buf_free(&q);
}

/* Checks the assignments against every product's model and builds what each gets. */
static int
plan_values(struct ui *ui, struct plan *pl)
{
	struct tslvalue_set *sets = xcalloc(pl->nsets ? pl->nsets : 1, sizeof *sets);
	const struct model_tsl *m;
	const struct tsl_service *svc;
	char *cause = NULL, *pk, *s;
	size_t i;
	int rc = 0;

	for (i = 0; i < pl->nsets; i++) {
		sets[i].id = pl->ids[i];
		sets[i].text = pl->texts[i];
	}
	for (i = 0; i < pl->nprods && rc == 0; i++) {
		m = tsl_of(ui, pl->prods[i].pk);
		if (pl->verb == V_INVOKE) {
			if ((svc = tslvalue_service(m, pl->service)) == NULL) {
				s = safetext_dup(pl->service, strlen(pl->service));
				cause = xasprintf("%s is not a service of its thing model", s);
				free(s);
				rc = -1;
			} else
				rc = tslvalue_args(svc, sets, pl->nsets, &pl->prods[i].value, &cause);
		} else
			rc = tslvalue_items(m, sets, pl->nsets, 1, &pl->prods[i].value, &cause);
		if (rc != 0) {
			pk = safetext_dup(pl->prods[i].pk, strlen(pl->prods[i].pk));
			if (pl->nprods > 1)
				ui_error(ui, ":%s: product %s: %s; nothing was sent",
				    verbs[pl->verb].name, pk, cause);
			else
				ui_error(ui, ":%s: %s; nothing was sent", verbs[pl->verb].name, cause);
			free(pk);
			free(cause);
		}
	}
	free(sets);
	return rc;
}

static void
form_done(struct ui *ui, void *arg, const struct tslvalue_set *sets, size_t n)
{
	struct plan *pl = plan_move(arg);
	size_t i;

	for (i = 0; i < n; i++)
		plan_add_set(pl, sets[i].id, strlen(sets[i].id), sets[i].text);
	pl->formed = 1;
	if (n == 0 && pl->verb != V_INVOKE) {
		ui_message(ui, ":%s: nothing filled in: nothing was sent", verbs[pl->verb].name);
		plan_free(pl);
		return;
	}
	plan_step(ui, pl);
}

static void
service_picked(struct ui *ui, void *arg, size_t i)
{
	struct plan *pl = plan_move(arg);
	const struct model_tsl *m = tsl_of(ui, pl->prods[0].pk);

	if (m == NULL || i >= m->service_count) {
		plan_free(pl);
		return;
	}
	pl->service = xstrdup(m->services[i].identifier);
	plan_step(ui, pl);
}

/* Opens the pick list of the services of the plan's product. */
static void
pick_service(struct ui *ui, struct plan *pl, const struct model_tsl *m)
{
	const char **items = xcalloc(m->service_count + 1, sizeof *items);
	char **desc = xcalloc(m->service_count + 1, sizeof *desc);
	size_t i, j;

	for (i = 0; i < m->service_count; i++) {
		const struct tsl_service *s = &m->services[i];
		struct buf b = BUF_INIT;
		items[i] = s->identifier;
		buf_addf(&b, "%s%s%s", s->name != NULL ? s->name : "",
		    s->call_type == TSL_CALL_SYNC ? "  (sync)" : s->call_type == TSL_CALL_ASYNC ?
		    "  (async)" : "", s->input_count ? "  inputs:" : "");
		for (j = 0; j < s->input_count; j++)
			buf_addf(&b, " %s", s->inputs[j].identifier);
		desc[i] = buf_detach(&b);
	}
	form_open_pick(ui, "Invoke which service?", items, (const char *const *)desc,
	    m->service_count, service_picked, pl, plan_free);
	for (i = 0; i < m->service_count; i++)
		free(desc[i]);
	free(desc);
	free(items);
}

/* The next step of a plan: wait for what it lacks, ask for what the operator has not
 * said, check, confirm. The plan is handed on (or freed) every time. */
static void
plan_step(struct ui *ui, struct plan *pl)
{
	struct uiops *u = U(ui);
	const struct model_tsl *m;
	struct pane *values;
	char *title;
	int rc;

	pl->ui = ui;
	if (verbs[pl->verb].tsl) {
		rc = plan_models(ui, pl);
		if (rc < 0) {
			plan_free(pl);
			return;
		}
		if (rc == 0) {
			if (u->waiting != NULL && u->waiting != pl) {
				plan_free(u->waiting);
			}
			u->waiting = pl;
			ui_message(ui, ":%s: reading the thing model...", verbs[pl->verb].name);
			return;
		}
		m = tsl_of(ui, pl->prods[0].pk);
		if (pl->verb == V_INVOKE && pl->service == NULL) {
			if (pl->nprods > 1) {
				ui_error(ui, ":invoke: the devices are of %zu products: name the "
				    "service (:invoke SERVICE ARG=VALUE...)", pl->nprods);
				plan_free(pl);
			} else if (m->service_count == 0) {
				ui_error(ui, ":invoke: the thing model has no services");
				plan_free(pl);
			} else
				pick_service(ui, pl, m);
			return;
		}
		if (pl->nsets == 0 && !pl->formed) {
			if (pl->nprods > 1) {
				ui_error(ui, ":%s: the devices are of %zu products: give ID=VALUE",
				    verbs[pl->verb].name, pl->nprods);
				plan_free(pl);
				return;
			}
			values = pl->n == 1 ? ui_find_pane(ui, pl->pane_tag) : NULL;
			if (pl->verb == V_INVOKE) {
				const struct tsl_service *s = tslvalue_service(m, pl->service);
				if (s == NULL) {
					plan_values(ui, pl);	/* says why */
					plan_free(pl);
					return;
				}
				if (s->input_count > 0) {
					title = xasprintf("Invoke %s on %zu device%s", pl->service,
					    pl->n, pl->n == 1 ? "" : "s");
					form_open_service(ui, title, s, form_done, pl, plan_free);
					free(title);
					return;
				}
			} else {
				title = xasprintf("%s of %zu device%s", verbs[pl->verb].label, pl->n,
				    pl->n == 1 ? "" : "s");
				form_open_properties(ui, title, m, values != NULL &&
				    values->ops->value_of != NULL ? values : NULL, form_done, pl,
				    plan_free);
				free(title);
				return;
			}
		}
		if (pl->verb == V_DESIRED && pl->nsets > DESIRED_MAX) {
			ui_error(ui, ":desired: at most %d properties at once", DESIRED_MAX);
			plan_free(pl);
			return;
		}
		if (pl->prods[0].value == NULL && plan_values(ui, pl) != 0) {
			plan_free(pl);
			return;
		}
		if (pl->verb == V_DESIRED && pl->versions_got < pl->n) {
			if (!pl->versions_asked)
				versions_ask(ui, pl);
			if (u->waiting != NULL && u->waiting != pl)
				plan_free(u->waiting);
			u->waiting = pl;
			ui_message(ui, ":desired: reading the current versions of %zu device%s...",
			    pl->n, pl->n == 1 ? "" : "s");
			return;
		}
	}
	plan_confirm(ui, pl);
}

/* ---- commands ------------------------------------------------------------------- */

/* The nickname rules (4.8.18): 4 to 32 characters, a Chinese character counting 2;
 * Chinese characters, letters, digits and underscores. */
static int
nickname_check(const char *s, char **cause)
{
	const unsigned char *p = (const unsigned char *)s;
	int len = 0;

	while (*p != '\0') {
		if (*p < 0x80) {
			if (!(*p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z'))) {
				*cause = xasprintf("a nickname holds Chinese characters, letters, "
				    "digits and _ only, not '%c'", *p >= 0x20 && *p < 0x7f ? *p : '?');
				return -1;
			}
			len++;
			p++;
		} else if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			unsigned cp = ((unsigned)(p[0] & 0x0F) << 12) |
			    ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			if (cp < 0x4E00 || cp > 0x9FFF) {
				*cause = xstrdup("a nickname holds Chinese characters, letters, "
				    "digits and _ only");
				return -1;
			}
			len += 2;
			p += 3;
		} else {
			*cause = xstrdup("a nickname holds Chinese characters, letters, digits and "
			    "_ only");
			return -1;
		}
	}
	if (len < 4 || len > 32) {
		*cause = xasprintf("a nickname is 4 to 32 characters (a Chinese character counts "
		    "2), not %d", len);
		return -1;
	}
	return 0;
}

/* The group of the top pane's cursor row, when it is the groups pane. */
static int
groups_pane_group(struct ui *ui, struct plan *pl)
{
	struct pane *p = ui_top(ui);
	struct table_row *r;
	int c;

	if (p == NULL || p->ops != &pane_groups_ops || p->table == NULL ||
	    (r = table_cursor_row(p->table)) == NULL)
		return -1;
	pl->group_id = xstrdup(r->key);
	pl->group_type = r->data != NULL ? xstrdup(r->data) : NULL;
	for (c = 0; c < table_columns(p->table); c++)
		if (strcmp(table_column_def(p->table, c)->name, "Name") == 0)
			pl->group_name = xstrdup(r->cells[c]);
	return 0;
}

int
uiops_command(struct ui *ui, const char *name, const char *arg)
{
	int v = verb_find(name);
	struct pane *p = ui_top(ui);
	struct plan *pl;
	char **w, *cause = NULL;
	size_t nw = 0, i, first = 0;
	const char *eq;

	if (v < 0)
		return -1;
	/* Read-only refuses before anything is asked. */
	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: :%s is refused (writes are off: --read-only or "
		    "the profile's read-only)", name);
		return -1;
	}
	if ((w = split_words(arg, &nw, &cause)) == NULL) {
		ui_error(ui, ":%s: %s", name, cause);
		free(cause);
		return -1;
	}
	pl = xcalloc(1, sizeof *pl);
	pl->ui = ui;
	pl->verb = (enum verb_id)v;
	pl->id = ++U(ui)->next_plan;
	pl->pane_tag = p != NULL ? p->tag : 0;
	if (verbs[v].scope == S_DEVICES) {
		if (p == NULL || p->ops->targets == NULL ||
		    (pl->n = p->ops->targets(p, &pl->t, &pl->marked)) == 0) {
			ui_error(ui, ":%s: no device here (open a product's or a group's devices, "
			    "or a device; Space marks rows)", name);
			goto fail;
		}
		plan_products(pl);
	}
	switch (pl->verb) {
	case V_INVOKE:
		if (nw > 0 && strchr(w[0], '=') == NULL) {
			pl->service = xstrdup(w[0]);
			first = 1;
		}
		/* FALLTHROUGH */
	case V_SET:
	case V_DESIRED:
		for (i = first; i < nw; i++) {
			if ((eq = strchr(w[i], '=')) == NULL || eq == w[i]) {
				ui_error(ui, ":%s: '%s' is not ID=VALUE", name, w[i]);
				goto fail;
			}
			plan_add_set(pl, w[i], (size_t)(eq - w[i]), eq + 1);
		}
		if (pl->verb == V_INVOKE && pl->service == NULL && pl->nsets > 0) {
			ui_error(ui, ":invoke: name the service first (:invoke SERVICE ARG=VALUE...)");
			goto fail;
		}
		break;
	case V_NICKNAME:
		if (nw != 1) {
			ui_error(ui, ":nickname needs one TEXT (\"quotes\" around spaces)");
			goto fail;
		}
		if (nickname_check(w[0], &cause) != 0) {
			ui_error(ui, ":nickname: %s; nothing was sent", cause);
			free(cause);
			goto fail;
		}
		pl->text = xstrdup(w[0]);
		break;
	case V_GROUP_ADD:
	case V_GROUP_REMOVE:
		if (nw != 1) {
			ui_error(ui, ":%s needs a GROUPID", name);
			goto fail;
		}
		pl->text = xstrdup(w[0]);
		break;
	case V_GROUP_CREATE:
		if (nw < 1 || nw > 2) {
			ui_error(ui, ":group-create needs NAME [DESCRIPTION] (\"quotes\" around "
			    "spaces)");
			goto fail;
		}
		pl->text = xstrdup(w[0]);
		pl->desc = nw > 1 ? xstrdup(w[1]) : NULL;
		if (p != NULL && p->ops == &pane_group_ops)
			pl->group_id = xstrdup(pane_group_id(p));
		else if (p == NULL || p->ops != &pane_groups_ops) {
			ui_error(ui, ":group-create: go to the groups pane (:groups), or a group "
			    "for a subgroup");
			goto fail;
		}
		break;
	case V_GROUP_DELETE:
		if (nw != 0 || groups_pane_group(ui, pl) != 0) {
			ui_error(ui, ":group-delete deletes the group under the cursor in the "
			    "groups pane (:groups)");
			goto fail;
		}
		break;
	default:
		if (nw != 0) {
			ui_error(ui, ":%s takes no arguments", name);
			goto fail;
		}
		break;
	}
	words_free(w, nw);
	plan_step(ui, pl);
	return 0;
fail:
	words_free(w, nw);
	plan_free(pl);
	return -1;
}

/* ---- the menu ------------------------------------------------------------------- */

struct menu {
	struct ui *ui;
	int        v[V_COUNT];	/* the verbs offered, in order */
	size_t     n;
};

static void
menu_picked(struct ui *ui, void *arg, size_t i)
{
	struct menu *m = arg;
	const struct verb *v;
	char *text;

	if (i >= m->n)
		return;
	v = &verbs[m->v[i]];
	if (v->text) {
		/* It needs words: the command line, started for it. */
		text = xasprintf("%s ", v->name);
		prompt_open_with(ui, ':', text);
		free(text);
	} else
		uiops_command(ui, v->name, "");
}

void
uiops_menu(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	struct menu *m;
	const char *items[V_COUNT];
	char *desc[V_COUNT], *labels[V_COUNT], *title;
	struct ui_target *t = NULL;
	size_t nt = 0, i;
	int marked = 0, v;
	enum scope scope;

	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: no operations (writes are off)");
		return;
	}
	if (p != NULL && p->ops->targets != NULL)
		nt = p->ops->targets(p, &t, &marked);
	ui_targets_free(t, nt);
	if (nt > 0)
		scope = S_DEVICES;
	else if (p != NULL && (p->ops == &pane_groups_ops || p->ops == &pane_group_ops))
		scope = S_GROUPS;
	else {
		ui_message(ui, "no operations here: open devices (Space marks rows) or groups");
		return;
	}
	m = xcalloc(1, sizeof *m);
	m->ui = ui;
	for (v = 0; v < V_COUNT; v++) {
		if (verbs[v].scope != scope)
			continue;
		if (v == V_GROUP_DELETE && p->ops != &pane_groups_ops)
			continue;
		m->v[m->n] = v;
		labels[m->n] = xasprintf("%c  %s", verb_keys[v], verbs[v].label);
		items[m->n] = labels[m->n];
		desc[m->n] = xasprintf(":%s %s  (%s)", verbs[v].name, verbs[v].args,
		    verbs[v].action);
		m->n++;
	}
	title = scope == S_GROUPS ? xstrdup("Operations") :
	    xasprintf("Operations on %zu %sdevice%s", nt, marked ? "marked " : "",
	    nt == 1 ? "" : "s");
	form_open_pick(ui, title, items, (const char *const *)desc, m->n, menu_picked, m, free);
	for (i = 0; i < m->n; i++) {
		free(desc[i]);
		free(labels[i]);
	}
	free(title);
}

/* ---- the operations ------------------------------------------------------------- */

size_t
uiops_count(struct ui *ui)
{
	return U(ui)->n;
}

struct op *
uiops_get(struct ui *ui, size_t i)
{
	struct uiops *u = U(ui);

	return i < u->n ? u->ops[i].op : NULL;
}

struct op *
uiops_find(struct ui *ui, const char *id)
{
	struct uiops *u = U(ui);
	size_t i;

	for (i = 0; i < u->n; i++)
		if (strcmp(op_id(u->ops[i].op), id) == 0)
			return u->ops[i].op;
	return NULL;
}

uint64_t
uiops_generation(struct ui *ui)
{
	return U(ui)->generation;
}

struct retry {
	struct ui *ui;
	char      *id;		/* the operation retried */
	unsigned   which;	/* OP_RETRY_* */
};

static void
retry_free(void *arg)
{
	struct retry *r = arg;

	if (r != NULL)
		free(r->id);
	free(r);
}

static void
retry_run(struct pane *p, void *arg)
{
	struct retry *rt = arg;
	struct ui *ui = rt->ui;
	struct op *old = uiops_find(ui, rt->id), *op;
	struct uiop *uo;

	(void)p;
	if (old == NULL)
		return;
	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: the retry is refused (nothing was sent)");
		return;
	}
	if (audit_ready(ui) != 0)
		return;
	op = op_retry(old, rt->which);
	if (op == NULL) {
		ui_message(ui, "nothing to retry");
		return;
	}
	uo = uiop_of(U(ui), old);
	start(ui, op, uo != NULL ? uo->pk : NULL, uo != NULL ? uo->service : NULL,
	    uo != NULL && uo->refresh);
	ui_message(ui, "retrying %zu device%s (a new operation, in :ops)", op_target_count(op),
	    op_target_count(op) == 1 ? "" : "s");
}

/* The second question: the unknown ones too? */
static void
retry_unknown(struct pane *p, void *arg)
{
	struct retry *rt = arg, *r2;
	struct ui *ui = rt->ui;
	struct op *op = uiops_find(ui, rt->id);
	struct op_counts c;
	char *q;

	(void)p;
	if (op == NULL)
		return;
	op_counts(op, &c);
	r2 = xcalloc(1, sizeof *r2);
	r2->ui = ui;
	r2->id = xstrdup(rt->id);
	r2->which = rt->which | OP_RETRY_UNKNOWN;
	q = xasprintf("%zu device%s got the write and no answer came: it may have been carried "
	    "out, and would then get it twice. Check them (:ops, Enter) first. Send to them "
	    "too?", c.n[OP_T_UNKNOWN], c.n[OP_T_UNKNOWN] == 1 ? "" : "s");
	/* "n" still retries the others: answer with the retry without them. */
	ui_confirm_typed(ui, NULL, q, "unknown", retry_run, r2, retry_free);
	free(q);
}

void
uiops_retry(struct ui *ui, struct op *op)
{
	struct op_counts c;
	struct retry *rt;
	struct buf q = BUF_INIT;
	size_t n;
	char num[32];
	char *label;

	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: the retry is refused");
		return;
	}
	if (op_state(op) != OP_DONE) {
		ui_message(ui, "the operation is still running: retry when it is done");
		return;
	}
	op_counts(op, &c);
	n = c.n[OP_T_FAILED] + c.n[OP_T_NOT_SENT];
	rt = xcalloc(1, sizeof *rt);
	rt->ui = ui;
	rt->id = xstrdup(op_id(op));
	rt->which = OP_RETRY_FAILED | OP_RETRY_NOT_SENT;
	label = safetext_dup(op_label(op), strlen(op_label(op)));
	if (n == 0 && c.n[OP_T_UNKNOWN] == 0) {
		ui_message(ui, "nothing to retry: every device succeeded");
		retry_free(rt);
	} else if (n == 0) {
		retry_unknown(NULL, rt);
		retry_free(rt);
	} else {
		buf_addf(&q, "Retry %s (%s) on the %zu device%s that failed or were not sent?",
		    label, op_action(op), n, n == 1 ? "" : "s");
		if (c.n[OP_T_UNKNOWN] > 0)
			buf_addf(&q, " (%zu with an unknown outcome are left out: r again after "
			    "this one asks about them.)", c.n[OP_T_UNKNOWN]);
		snprintf(num, sizeof num, "%zu", n);
		if (n > CONFIRM_Y_MAX)
			ui_confirm_typed(ui, NULL, buf_str(&q), num, retry_run, rt, retry_free);
		else
			ui_confirm(ui, NULL, buf_str(&q), retry_run, rt, retry_free);
	}
	free(label);
	buf_free(&q);
}

void
uiops_cancel(struct ui *ui, struct op *op)
{
	struct op_counts before, after;

	op_counts(op, &before);
	op_cancel(op);
	op_counts(op, &after);
	U(ui)->generation++;
	ui_message(ui, "cancelled: %zu not sent; %zu on the wire finish",
	    after.n[OP_T_NOT_SENT] - before.n[OP_T_NOT_SENT], after.n[OP_T_SENT]);
	announce_ended(ui);
}

size_t
uiops_in_flight(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	struct op_counts c;
	size_t i, n = 0;

	for (i = 0; u != NULL && i < u->n; i++) {
		op_counts(u->ops[i].op, &c);
		n += c.n[OP_T_SENT];
	}
	return n;
}

size_t
uiops_unsent(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	struct op_counts c;
	size_t i, n = 0;

	for (i = 0; u != NULL && i < u->n; i++) {
		op_counts(u->ops[i].op, &c);
		n += c.n[OP_T_PENDING];
	}
	return n;
}

int
uiops_cancel_all(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	size_t i;
	int n = 0;

	for (i = 0; u != NULL && i < u->n; i++)
		if (op_state(u->ops[i].op) == OP_RUNNING) {
			op_cancel(u->ops[i].op);
			n++;
		}
	if (n > 0) {
		u->generation++;
		ui_message(ui, "cancelled what was not sent yet (%d operation%s; :ops)", n,
		    n == 1 ? "" : "s");
		announce_ended(ui);
	}
	return n;
}

void
uiops_stop(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	struct worker_result *r, *next;
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++)
		op_cancel(u->ops[i].op);
	/* What did come is not lost. */
	if (ui->worker != NULL)
		for (r = worker_take(ui->worker); r != NULL; r = next) {
			next = r->next;
			r->next = NULL;
			if (!uiops_result(ui, r))
				worker_result_free(r);
		}
	for (i = 0; i < u->n; i++)
		if (op_state(u->ops[i].op) != OP_DONE)
			op_abandon(u->ops[i].op);
	plan_free(u->waiting);
	u->waiting = NULL;
	for (i = 0; i < u->ntsl; i++) {
		free(u->tsl[i].pk);
		free(u->tsl[i].error);
		model_tsl_clear(&u->tsl[i].tsl);
	}
	free(u->tsl);
	u->tsl = NULL;
	u->ntsl = 0;
	u->generation++;
	for (i = 0; i < u->n; i++)
		u->ops[i].reported = 1;
}

void
uiops_free(struct ui *ui)
{
	struct uiops *u = ui->uiops;
	size_t i;

	if (u == NULL)
		return;
	uiops_stop(ui);
	for (i = 0; i < u->n; i++) {
		op_free(u->ops[i].op);
		free(u->ops[i].pk);
		free(u->ops[i].service);
	}
	free(u->ops);
	audit_close(u->audit);
	free(u);
	ui->uiops = NULL;
}

/* ---- completion ----------------------------------------------------------------- */

size_t
uiops_candidates(struct ui *ui, const char *cmd, const char *before, char ***words,
    char ***notes)
{
	int v = verb_find(cmd);
	struct pane *p = ui_top(ui);
	struct ui_target *t = NULL;
	const struct model_tsl *m;
	const struct tsl_service *svc = NULL;
	size_t nt = 0, n = 0, i, nw = 0;
	int marked;
	char **w, *cause = NULL;
	struct tslc *e;

	*words = *notes = NULL;
	if (v != V_SET && v != V_DESIRED && v != V_INVOKE)
		return 0;
	if (p == NULL || p->ops->targets == NULL || (nt = p->ops->targets(p, &t, &marked)) == 0)
		return 0;
	e = t[0].product_key != NULL ? tsl_get(ui, t[0].product_key) : NULL;
	ui_targets_free(t, nt);
	if (e == NULL || e->state != 1) {
		U(ui)->complete_wait = e != NULL && e->state == 0;
		return 0;
	}
	m = &e->tsl;
	if ((w = split_words(before, &nw, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	if (v == V_INVOKE && nw == 0) {
		*words = xcalloc(m->service_count + 1, sizeof **words);
		*notes = xcalloc(m->service_count + 1, sizeof **notes);
		for (i = 0; i < m->service_count; i++) {
			(*words)[n] = xasprintf("%s ", m->services[i].identifier);
			(*notes)[n++] = xstrdup(m->services[i].name != NULL ?
			    m->services[i].name : "");
		}
	} else if (v == V_INVOKE) {
		if ((svc = tslvalue_service(m, w[0])) != NULL) {
			*words = xcalloc(svc->input_count + 1, sizeof **words);
			*notes = xcalloc(svc->input_count + 1, sizeof **notes);
			for (i = 0; i < svc->input_count; i++) {
				(*words)[n] = xasprintf("%s=", svc->inputs[i].identifier);
				(*notes)[n++] = tslvalue_describe(&svc->inputs[i].type);
			}
		}
	} else {
		*words = xcalloc(m->property_count + 1, sizeof **words);
		*notes = xcalloc(m->property_count + 1, sizeof **notes);
		for (i = 0; i < m->property_count; i++) {
			if (m->properties[i].access == TSL_ACCESS_READ)
				continue;
			(*words)[n] = xasprintf("%s=", m->properties[i].identifier);
			(*notes)[n++] = tslvalue_describe(&m->properties[i].type);
		}
	}
	words_free(w, nw);
	return n;
}

void
uiops_prefetch(struct ui *ui)
{
	struct pane *p = ui_top(ui);
	struct ui_target *t = NULL;
	size_t nt;
	int marked;

	if (p == NULL || p->ops->targets == NULL || ui->worker == NULL)
		return;
	nt = p->ops->targets(p, &t, &marked);
	if (nt > 0 && t[0].product_key != NULL)
		tsl_get(ui, t[0].product_key);
	ui_targets_free(t, nt);
}

/* ---- targets from the panes ----------------------------------------------------- */

static void
target_from_key(struct ui_target *t, const char *key)
{
	const char *slash = strchr(key, '/');

	memset(t, 0, sizeof *t);
	if (slash == NULL) {
		t->iot_id = xstrdup(key);
		return;
	}
	t->product_key = xstrndup(key, (size_t)(slash - key));
	t->device_name = xstrdup(slash + 1);
}

size_t
ui_table_targets(struct table *t, int (*is_device)(const struct table_row *r),
    struct ui_target **out, int *marked)
{
	struct table_row **rows = NULL, *cur;
	size_t i, n, k = 0;

	*out = NULL;
	*marked = 0;
	if (t == NULL)
		return 0;
	n = table_marked_rows(t, &rows);
	if (n > 0) {
		*marked = 1;
		*out = xcalloc(n, sizeof **out);
		for (i = 0; i < n; i++)
			if (is_device == NULL || is_device(rows[i]))
				target_from_key(&(*out)[k++], rows[i]->key);
		free(rows);
		return k;
	}
	cur = table_cursor_row(t);
	if (cur == NULL || (is_device != NULL && !is_device(cur)))
		return 0;
	*out = xcalloc(1, sizeof **out);
	target_from_key(*out, cur->key);
	return 1;
}

void
ui_targets_free(struct ui_target *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].product_key);
		free(v[i].device_name);
		free(v[i].iot_id);
	}
	free(v);
}
