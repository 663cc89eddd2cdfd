/* plan.c — from a command (:set, :invoke, :desired, :enable, :disable, :delete, :nickname,
 * :group-add/-remove/-create/-delete) or the operations menu (a) to a running operation.
 *
 * A command becomes a plan: the targets (copied from the pane: a pane may close while the
 * plan waits), what to send, and where it is. A plan moves step by step (plan_step) and
 * may wait for the network (a product's thing model, the desired versions of its devices:
 * one plan waits at a time, ui->uiops->waiting) or for the operator (a form, a pick list,
 * the confirmation: the plan is then the dialog's argument, taken back with plan_move). A
 * plan never sends: it ends in an operation (op/op.h, started by uiops.c), or in nothing,
 * with the reason on the status bar.
 *
 * This file is a plan's life, from plan_step on; plan_cmd.c makes plans out of the :
 * commands and the menu (and completes their words).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/model.h"
#include "api/tslvalue.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/form.h"
#include "ui/plan_impl.h"

/* Names listed in a confirmation. */
#define CONFIRM_NAMES 3
/* The most identifiers SetDeviceDesiredProperty takes at once. */
#define DESIRED_MAX 10

/* ---- the verbs ------------------------------------------------------------------- */

const struct uiops_verb plan_verbs[V_COUNT] = {
	[V_SET]          = { .name = "set", .args = "[ID=VALUE ...]", .label = "Set properties",
			     .key = 's', .action = ACT_SetDeviceProperty, .where = S_DEVICES,
			     .tsl = 1 },
	[V_INVOKE]       = { .name = "invoke", .args = "[SERVICE [ARG=VALUE ...]]",
			     .label = "Invoke a service", .key = 'i',
			     .action = ACT_InvokeThingService, .where = S_DEVICES, .tsl = 1 },
	[V_DESIRED]      = { .name = "desired", .args = "[ID=VALUE ...]",
			     .label = "Set desired property values", .key = 'w',
			     .action = ACT_SetDeviceDesiredProperty, .where = S_DEVICES, .tsl = 1 },
	[V_ENABLE]       = { .name = "enable", .args = "", .label = "Enable", .key = 'e',
			     .action = ACT_EnableThing, .where = S_DEVICES },
	[V_DISABLE]      = { .name = "disable", .args = "", .label = "Disable", .key = 'x',
			     .action = ACT_DisableThing, .where = S_DEVICES },
	[V_NICKNAME]     = { .name = "nickname", .args = "TEXT", .label = "Set the nickname",
			     .key = 'n', .action = ACT_BatchUpdateDeviceNickname,
			     .prefix = "DeviceNicknameInfo.1.", .where = S_DEVICES, .text = 1 },
	[V_GROUP_ADD]    = { .name = "group-add", .args = "GROUPID", .label = "Add to a group",
			     .key = 'g', .action = ACT_BatchAddDeviceGroupRelations,
			     .prefix = "Device.1.", .where = S_DEVICES, .text = 1 },
	[V_GROUP_REMOVE] = { .name = "group-remove", .args = "GROUPID",
			     .label = "Remove from a group", .key = 'u',
			     .action = ACT_BatchDeleteDeviceGroupRelations, .prefix = "Device.1.",
			     .where = S_DEVICES, .text = 1 },
	[V_DELETE]       = { .name = "delete", .args = "", .label = "Delete", .key = 'D',
			     .action = ACT_DeleteDevice, .where = S_DEVICES },
	[V_GROUP_CREATE] = { .name = "group-create", .args = "NAME [DESCRIPTION]",
			     .label = "Create a group", .key = 'c', .action = ACT_CreateDeviceGroup,
			     .where = S_GROUPS, .text = 1 },
	[V_GROUP_DELETE] = { .name = "group-delete", .args = "", .label = "Delete the group",
			     .key = 'D', .action = ACT_DeleteDeviceGroup, .where = S_GROUPS },
};

/* ---- plans ----------------------------------------------------------------------- */

void
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

void
plan_add_set(struct plan *pl, const char *id, size_t idlen, const char *text)
{
	pl->ids = xreallocarray(pl->ids, pl->nsets + 1, sizeof *pl->ids);
	pl->texts = xreallocarray(pl->texts, pl->nsets + 1, sizeof *pl->texts);
	pl->ids[pl->nsets] = xstrndup(id, idlen);
	pl->texts[pl->nsets] = xstrdup(text);
	pl->nsets++;
}

/* The distinct products of the plan's devices. */
void
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

static int
plan_models(struct ui *ui, struct plan *pl)
{
	size_t i;
	int waiting = 0;
	struct tslc *e;
	char *pk;

	for (i = 0; i < pl->nprods; i++) {
		e = uiops_tsl_entry(U(ui), pl->prods[i].pk);
		if (e != NULL && e->state == -1 && U(ui)->waiting == pl) {
			pk = safetext_dup(pl->prods[i].pk, strlen(pl->prods[i].pk));
			ui_error(ui, ":%s: the thing model of %s: %s", plan_verbs[pl->verb].name, pk,
			    e->error);
			free(pk);
			return -1;
		}
		if (e == NULL || e->state != 1) {
			e = uiops_tsl_get(ui, pl->prods[i].pk);
			if (e == NULL || e->state != 1)
				waiting = 1;
		}
	}
	return waiting ? 0 : 1;
}

void
plan_tsl_arrived(struct ui *ui)
{
	struct uiops *u = U(ui);
	struct plan *pl = u->waiting;
	int rc;

	/* A plan waiting for models goes on (or stops, when one failed). */
	if (pl == NULL || pl->versions_asked)
		return;
	rc = plan_models(ui, pl);
	if (rc != 0) {
		u->waiting = NULL;
		if (rc > 0)
			plan_step(ui, pl);
		else
			plan_free(pl);
	}
}

/* ---- desired versions ------------------------------------------------------------ */

/* Asks every device of a :desired plan for the versions of the properties it sets. */
static void
versions_ask(struct ui *ui, struct plan *pl)
{
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
		uiops_read(ui, ACT_QueryDeviceDesiredProperty, &q, (void *)(uintptr_t)(i + 1));
	}
	params_free(&q);
}

void
plan_versions_answer(struct ui *ui, struct worker_result *r)
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

/* 1 when the service invoked is synchronous for one of the plan's products. */
static int
plan_sync(struct ui *ui, const struct plan *pl)
{
	const struct model_tsl *m;
	const struct tsl_service *svc;
	size_t i;

	for (i = 0; i < pl->nprods; i++) {
		m = uiops_tsl_of(ui, pl->prods[i].pk);
		svc = m != NULL ? tslvalue_service(m, pl->service) : NULL;
		if (svc != NULL && svc->call_type == TSL_CALL_SYNC)
			return 1;
	}
	return 0;
}

/* A line for lists: "set Brightness=80 Power=1", "invoke Reboot", "delete". */
static char *
plan_label(const struct plan *pl)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, plan_verbs[pl->verb].name);
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
plan_run(struct pane *p, void *arg)
{
	struct plan *pl = arg;
	struct ui *ui = pl->ui;
	const struct uiops_verb *v = &plan_verbs[pl->verb];
	struct op_opts oo;
	struct params common = PARAMS_INIT, own = PARAMS_INIT;
	struct op *op;
	char *label, *cause = NULL;
	const char *action = v->action;
	size_t i;

	(void)p;
	if (uiops_may_write(ui, ":%s", v->name) != 0)
		return;
	label = plan_label(pl);
	if (pl->verb == V_INVOKE)
		params_set(&common, "Identifier", pl->service);
	if (pl->verb == V_GROUP_ADD || pl->verb == V_GROUP_REMOVE)
		params_set(&common, "GroupId", pl->text);
	if (pl->verb == V_GROUP_DELETE && pl->group_type != NULL &&
	    strcmp(pl->group_type, "LINK_PLATFORM_DYNAMIC") == 0)
		action = ACT_DeleteDeviceDynamicGroup;
	uiops_op_options(ui, &oo, label, v->prefix);
	if (pl->verb == V_INVOKE && plan_sync(ui, pl)) {
		/* Each call holds a transfer until its device answers: many on the wire. */
		oo.window = op_sync_window(oo.window);
		if (ui->worker != NULL)
			worker_set_max_in_flight(ui->worker, oo.window + UI_TRANSFERS);
	}
	op = op_new(action, &common, &oo);
	if (v->where == S_GROUPS) {
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
	if (uiops_start(ui, op, pl->nprods == 1 ? pl->prods[0].pk : NULL, pl->service,
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
	const struct uiops_verb *v = &plan_verbs[pl->verb];
	struct buf q = BUF_INIT;
	char *label = plan_label(pl), *expect = NULL, num[32];
	size_t i;
	int del = pl->verb == V_DELETE || pl->verb == V_GROUP_DELETE;

	buf_addf(&q, "%s (%s)", label, v->action);
	if (v->where == S_GROUPS) {
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
		m = uiops_tsl_of(ui, pl->prods[i].pk);
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
				    plan_verbs[pl->verb].name, pk, cause);
			else
				ui_error(ui, ":%s: %s; nothing was sent", plan_verbs[pl->verb].name, cause);
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
		ui_message(ui, ":%s: nothing filled in: nothing was sent", plan_verbs[pl->verb].name);
		plan_free(pl);
		return;
	}
	plan_step(ui, pl);
}

static void
service_picked(struct ui *ui, void *arg, size_t i)
{
	struct plan *pl = plan_move(arg);
	const struct model_tsl *m = uiops_tsl_of(ui, pl->prods[0].pk);

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
void
plan_step(struct ui *ui, struct plan *pl)
{
	struct uiops *u = U(ui);
	const struct model_tsl *m;
	struct pane *values;
	char *title;
	int rc;

	pl->ui = ui;
	if (plan_verbs[pl->verb].tsl) {
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
			ui_message(ui, ":%s: reading the thing model...", plan_verbs[pl->verb].name);
			return;
		}
		m = uiops_tsl_of(ui, pl->prods[0].pk);
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
				    plan_verbs[pl->verb].name, pl->nprods);
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
				title = xasprintf("%s of %zu device%s", plan_verbs[pl->verb].label, pl->n,
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

