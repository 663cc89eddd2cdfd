/* fwops.c — the firmware pane's writes (fwops.h): :ota-verify (CreateOTAVerifyJob) and
 * :ota-upgrade (CreateOTAStaticUpgradeJob), each an operation like otaops.c's.
 *
 * A plan gathers what the question must say before it is asked: the firmware's product
 * (QueryOTAFirmware; the firmware pane shows its name, not its key, and a devices pane's
 * devices must be of that product) and, for an upgrade of ALL or a GRAY share of the
 * product's devices, how many devices that is (QueryProduct's DeviceCount; a GROUP's:
 * QueryDeviceGroupInfo's), so the confirmation can name the number and have it typed
 * (ALL always, the others when more than 10). The reads go under the console's
 * tag (uiops_read), one plan waiting at a time; a plan's id rides in the read's udata, so
 * the answers of a plan replaced by a newer one are ignored.
 *
 * The upgrade form is a service form (form.h) made from a fixed "service" whose inputs are
 * the job's fields, named as the options of `iotdeck ota upgrade` (gray, schedule,
 * per-minute...): the form checks each field's type and range as it is left, and a submit
 * goes through the CLI's own check (ota_upgrade_params, cli/ota_upgrade.h), so the console
 * and the command line refuse the same values with the same words.
 */
#include "ui/fwops.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/jsonpath.h"
#include "api/model.h"
#include "cli/ota.h"
#include "cli/ota_check.h"
#include "cli/ota_upgrade.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/form.h"
#include "ui/formfield.h"
#include "ui/table.h"
#include "ui/uiops_impl.h"

enum fwverb { FW_VERIFY, FW_UPGRADE };

static const char *const verb_names[] = { "ota-verify", "ota-upgrade" };

struct fwplan {
	struct ui    *ui;
	enum fwverb   verb;
	uint64_t      id;		/* rides in the reads' udata */
	char         *fw_id;		/* FirmwareId */
	char         *fw_name;		/* its name and version (QueryOTAFirmware), or NULL */
	char         *fw_version;
	char         *pk;		/* its ProductKey (QueryOTAFirmware) */
	char         *devs_pk;		/* the devices pane's product, or NULL */
	char        **devs;		/* the devices named or marked */
	size_t        ndevs;
	int           from_devices;	/* the targets are a devices pane's marked devices */
	struct params job;		/* upgrade: the job's parameters, checked */
	const char   *action;		/* the API action */
	char         *target;		/* upgrade: ALL, GRAY, GROUP, SPECIFIC */
	int64_t       count;		/* upgrade ALL/GRAY: the product's devices (-1: not read) */
	char         *product_name;	/* QueryProduct's ProductName (GROUP: QueryDeviceGroupInfo's
					   GroupName), or NULL */
};

static uint64_t next_id = 1;
static struct fwplan *waiting;	/* the plan waiting for its reads, or NULL */

int
fwops_is_command(const char *name)
{
	return strcmp(name, "ota-verify") == 0 || strcmp(name, "ota-upgrade") == 0;
}

static void
fwplan_free(void *arg)
{
	struct fwplan *pl = arg;

	if (pl == NULL)
		return;
	ota_list_free(pl->devs, pl->ndevs);
	params_free(&pl->job);
	free(pl->fw_id);
	free(pl->fw_name);
	free(pl->fw_version);
	free(pl->pk);
	free(pl->devs_pk);
	free(pl->target);
	free(pl->product_name);
	free(pl);
}

static struct fwplan *
plan_new(struct ui *ui, enum fwverb v)
{
	struct fwplan *pl = xcalloc(1, sizeof *pl);

	pl->ui = ui;
	pl->verb = v;
	pl->id = next_id++;
	pl->count = -1;
	params_init(&pl->job);
	pl->action = v == FW_VERIFY ? ACT_CreateOTAVerifyJob : ACT_CreateOTAStaticUpgradeJob;
	return pl;
}

/* Parks pl as the waiting plan (the one before it is dropped) and sends a read. */
static void
ask(struct ui *ui, struct fwplan *pl, const char *action, const char *name,
    const char *value, const char *what)
{
	struct params q = PARAMS_INIT;

	if (waiting != pl) {
		fwplan_free(waiting);
		waiting = pl;
	}
	params_set(&q, name, value);
	uiops_read(ui, action, &q, (void *)(uintptr_t)pl->id);
	params_free(&q);
	ui_message(ui, ":%s: reading %s...", verb_names[pl->verb], what);
}

/* ---- running ------------------------------------------------------------------------- */

static void
run(struct pane *p, void *arg)
{
	struct fwplan *pl = arg;
	struct ui *ui = pl->ui;
	struct params own = PARAMS_INIT;
	struct op_opts oo;
	struct op *op;
	char *label, *cause = NULL, key[48];
	size_t i;

	(void)p;
	if (uiops_may_write(ui, ":%s", verb_names[pl->verb]) != 0)
		return;
	label = xasprintf("%s %s", verb_names[pl->verb], pl->fw_name != NULL ? pl->fw_name :
	    pl->fw_id);
	uiops_op_options(ui, &oo, label, NULL);
	op = op_new(pl->action, NULL, &oo);
	if (pl->verb == FW_UPGRADE)
		params_copy(&own, &pl->job);
	params_set(&own, "FirmwareId", pl->fw_id);
	params_set(&own, "ProductKey", pl->pk);
	if (pl->verb == FW_VERIFY)
		for (i = 0; i < pl->ndevs; i++) {
			snprintf(key, sizeof key, "TargetDeviceName.%zu", i + 1);
			params_set(&own, key, pl->devs[i]);
		}
	op_add_item(op, pl->fw_id, &own, &cause);
	free(cause);
	params_free(&own);
	if (uiops_start(ui, op, NULL, NULL, 1) == 0 && op_state(op) != OP_DONE)
		ui_message(ui, "%s: sent (:ops shows it; the job opens from the firmware's jobs)",
		    label);
	free(label);
}

/* A display-safe copy of s (caller frees). */
static char *
safe(const char *s)
{
	return safetext_dup(s, strlen(s));
}

/* Appends "a, b, c and 7 more". */
static void
add_names(struct buf *q, char *const *v, size_t n)
{
	size_t i, shown = n > 5 ? 4 : n;
	char *s;

	for (i = 0; i < shown; i++) {
		s = safe(v[i]);
		buf_addf(q, "%s%s", i == 0 ? "" : ", ", s);
		free(s);
	}
	if (shown < n)
		buf_addf(q, " and %zu more", n - shown);
}

/* The question, in proportion to what the job reaches: up to 10 devices y; more, or ALL
 * (or a GRAY share) of a product, the number of devices typed. */
static void
confirm(struct ui *ui, struct fwplan *pl)
{
	struct buf q = BUF_INIT;
	char *fw, *id, *ver, *pk, *prod, *s, num[32];
	const char *v;
	int64_t reach = -1;

	fw = safe(pl->fw_name != NULL ? pl->fw_name : pl->fw_id);
	id = safe(pl->fw_id);
	ver = safe(pl->fw_version != NULL ? pl->fw_version : "");
	pk = safe(pl->pk);
	prod = pl->product_name != NULL ? safe(pl->product_name) : xstrdup(pk);
	if (pl->verb == FW_VERIFY) {
		buf_addf(&q, "Verify firmware %s (%s%s%s) on %zu device%s of product %s: ", fw,
		    id, *ver != '\0' ? ", version " : "", ver, pl->ndevs,
		    pl->ndevs == 1 ? "" : "s", pk);
		add_names(&q, pl->devs, pl->ndevs);
		buf_addf(&q, " (%s)?", pl->action);
		reach = (int64_t)pl->ndevs;
	} else {
		buf_addf(&q, "Upgrade ");
		if (strcmp(pl->target, "ALL") == 0) {
			buf_addf(&q, "ALL %lld devices of product %s (%s)", (long long)pl->count,
			    prod, pk);
			reach = pl->count;
		} else if (strcmp(pl->target, "GRAY") == 0) {
			v = params_get(&pl->job, "GrayPercent");
			reach = (int64_t)((double)pl->count * strtod(v, NULL) / 100.0 + 0.999);
			buf_addf(&q, "%s%% of the %lld devices of product %s (%s), about %lld", v,
			    (long long)pl->count, prod, pk, (long long)reach);
		} else if (strcmp(pl->target, "GROUP") == 0) {
			s = safe(params_get(&pl->job, "GroupId"));
			buf_addf(&q, "the %lld devices of group %s (%s) that are of product %s",
			    (long long)pl->count, prod, s, pk);
			free(s);
			reach = pl->count;	/* at most: the group may hold other products */
		} else {
			buf_addf(&q, "%zu device%s of product %s: ", pl->ndevs,
			    pl->ndevs == 1 ? "" : "s", pk);
			add_names(&q, pl->devs, pl->ndevs);
			reach = (int64_t)pl->ndevs;
		}
		buf_addf(&q, " to firmware %s (%s%s%s)", fw, id, *ver != '\0' ? ", version " : "",
		    ver);
		if (params_get(&pl->job, "SrcVersion.1") != NULL)
			buf_addf(&q, ", only those at the source versions given");
		if ((v = params_get(&pl->job, "ScheduleTime")) != NULL)
			buf_addf(&q, ", scheduled");
		if (params_get(&pl->job, "OverwriteMode") != NULL)
			buf_addf(&q, ", overwriting the upgrades they have");
		buf_addf(&q, " (%s)?", pl->action);
	}
	snprintf(num, sizeof num, "%lld", (long long)reach);
	if (reach > CONFIRM_Y_MAX || (pl->target != NULL && strcmp(pl->target, "ALL") == 0))
		ui_confirm_typed(ui, NULL, buf_str(&q), num, run, pl, fwplan_free);
	else
		ui_confirm(ui, NULL, buf_str(&q), run, pl, fwplan_free);
	free(fw);
	free(id);
	free(ver);
	free(pk);
	free(prod);
	buf_free(&q);
}

/* ---- reading what the question needs ------------------------------------------------ */

void
fwops_answer(struct ui *ui, struct worker_result *r)
{
	struct fwplan *pl = waiting;
	const cJSON *info;
	char *s;

	if (pl == NULL || (uint64_t)(uintptr_t)r->udata != pl->id)
		return;		/* a plan replaced since */
	if (r->status != API_OK) {
		ui_report(ui, verb_names[pl->verb], r->action, &r->err);
		waiting = NULL;
		fwplan_free(pl);
		return;
	}
	if (strcmp(r->action, ACT_QueryOTAFirmware) == 0) {
		info = jsonpath_get(r->json, "FirmwareInfo");
		free(pl->pk);
		pl->pk = jsonpath_strdup(info, "ProductKey");
		if (pl->fw_name == NULL)
			pl->fw_name = jsonpath_strdup(info, "FirmwareName");
		pl->fw_version = jsonpath_strdup(info, "DestVersion");
		if (pl->pk == NULL || *pl->pk == '\0') {
			ui_error(ui, ":%s: QueryOTAFirmware names no ProductKey for %s",
			    verb_names[pl->verb], pl->fw_id);
			goto drop;
		}
		if (pl->devs_pk != NULL && strcmp(pl->devs_pk, pl->pk) != 0) {
			s = xasprintf("firmware of %s, devices of %s", pl->pk, pl->devs_pk);
			ui_error(ui, ":%s: %s (nothing was sent)", verb_names[pl->verb], s);
			free(s);
			goto drop;
		}
		if (pl->verb == FW_UPGRADE && (strcmp(pl->target, "ALL") == 0 ||
		    strcmp(pl->target, "GRAY") == 0)) {
			ask(ui, pl, ACT_QueryProduct, "ProductKey", pl->pk,
			    "how many devices it reaches");
			return;
		}
		if (pl->verb == FW_UPGRADE && strcmp(pl->target, "GROUP") == 0) {
			ask(ui, pl, ACT_QueryDeviceGroupInfo, "GroupId",
			    params_get(&pl->job, "GroupId"), "how many devices the group has");
			return;
		}
	} else if (strcmp(r->action, ACT_QueryProduct) == 0) {
		if (!jsonpath_int64(r->json, "Data.DeviceCount", &pl->count)) {
			ui_error(ui, ":%s: QueryProduct gives no DeviceCount for %s: not asking "
			    "without the number", verb_names[pl->verb], pl->pk);
			goto drop;
		}
		pl->product_name = jsonpath_strdup(r->json, "Data.ProductName");
	} else if (strcmp(r->action, ACT_QueryDeviceGroupInfo) == 0) {
		if (!jsonpath_int64(r->json, "Data.DeviceCount", &pl->count)) {
			ui_error(ui, ":%s: QueryDeviceGroupInfo gives no DeviceCount: not asking "
			    "without the number", verb_names[pl->verb]);
			goto drop;
		}
		pl->product_name = jsonpath_strdup(r->json, "Data.GroupName");	/* its name */
	} else
		return;
	waiting = NULL;
	confirm(ui, pl);
	ui->full = 1;	/* the question came from an answer, not a key: draw it now */
	return;
drop:
	waiting = NULL;
	fwplan_free(pl);
}

/* ---- the upgrade form ---------------------------------------------------------------- */

/* The form's fields, named as `iotdeck ota upgrade`'s options: the first TARGET_FIELDS are
 * the targets (not asked in a devices pane: its marked devices are). */
#define TARGET_FIELDS 5

static struct tsl_service upgrade_form;		/* the firmware pane's form */
static struct tsl_service upgrade_form_devs;	/* a devices pane's: upgrade_form's
						   inputs after the targets */

/* Targets, in the form's enum. */
enum { T_ALL = 1, T_GRAY, T_GROUP, T_SPECIFIC };

/* The fields, as `iotdeck ota upgrade`'s options (the targets first: TARGET_FIELDS). */
static const struct formfield_def upgrade_fields[] = {
	{ .id = "target", .name = "the devices: ALL, a GRAY share, a GROUP or SPECIFIC ones",
	  .type = TSL_TYPE_ENUM, .choices = (const struct formfield_choice[]){
		{ T_ALL, "ALL" }, { T_GRAY, "GRAY" }, { T_GROUP, "GROUP" },
		{ T_SPECIFIC, "SPECIFIC" }, { 0, NULL } } },
	{ .id = "gray", .name = "GRAY: percent of the devices (1-100, 3 decimals)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "group", .name = "GROUP: the GroupId", .type = TSL_TYPE_TEXT },
	{ .id = "devices", .name = "SPECIFIC: DeviceNames, commas between (at most 200)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "src-version",
	  .name = "ALL/GRAY: only devices at these versions (commas, at most 10)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "schedule",
	  .name = "start later: +30m, +2h, +1d or 2024-05-01T08:00:00Z (5 min..7 days)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "finish", .name = "with schedule: stop at (1 hour..30 days after it)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "per-minute", .name = "devices pushed per minute", .type = TSL_TYPE_INT,
	  .min = "10", .max = "10000" },
	{ .id = "retry-interval", .name = "retry a failed device after", .type = TSL_TYPE_ENUM,
	  .choices = (const struct formfield_choice[]){ { 0, "at once" }, { 10, "10 min" },
		{ 30, "30 min" }, { 60, "1 hour" }, { 1440, "1 day" }, { 0, NULL } } },
	{ .id = "retry-count", .name = "retries (with retry-interval)", .type = TSL_TYPE_ENUM,
	  .choices = (const struct formfield_choice[]){ { 1, "once" }, { 2, "twice" },
		{ 5, "5 times" }, { 0, NULL } } },
	{ .id = "timeout", .name = "a device's upgrade times out after", .type = TSL_TYPE_INT,
	  .min = "1", .max = "1440", .unit = "min" },
	{ .id = "overwrite", .name = "replace an upgrade a device is waiting for",
	  .type = TSL_TYPE_BOOL, .choices = (const struct formfield_choice[]){ { 0, "no" },
		{ 1, "yes (OverwriteMode 2)" }, { 0, NULL } } },
	{ .id = "need-confirm", .name = "the device's app confirms before it upgrades",
	  .type = TSL_TYPE_BOOL, .choices = formfield_no_yes },
	{ .id = "push", .name = "push the upgrade to the devices (no: they ask for it)",
	  .type = TSL_TYPE_BOOL, .choices = formfield_no_yes_default },
	{ .id = NULL }
};

static void
form_build(void)
{
	if (upgrade_form.input_count > 0)
		return;
	formfield_build(&upgrade_form, "ota-upgrade", upgrade_fields);
	upgrade_form_devs = upgrade_form;
	upgrade_form_devs.inputs += TARGET_FIELDS;
	upgrade_form_devs.input_count -= TARGET_FIELDS;
}

/* The form submitted: its fields made into the CLI's options and checked by the CLI's
 * code into the plan's job, action and target. A refusal keeps the form open with the
 * values and the reason. */
static int
upgrade_check(struct ui *ui, void *arg, const struct tslvalue_set *sets, size_t n,
    char **cause)
{
	struct fwplan *pl = arg;
	struct ota_args a;
	const char *action;
	char **dn = NULL, opt[48];
	size_t ndn = 0, i;
	struct buf b = BUF_INIT;
	const char *target = NULL;
	int rc = -1;

	(void)ui;
	params_free(&pl->job);
	params_init(&pl->job);
	memset(&a, 0, sizeof a);
	a.sub = "upgrade";
	params_init(&a.opts);
	if (pl->from_devices) {
		for (i = 0; i < pl->ndevs; i++)
			buf_addf(&b, "%s%s", i ? "," : "", pl->devs[i]);
		params_add(&a.opts, "--devices", buf_str(&b));
		target = "SPECIFIC";
	}
	for (i = 0; i < n; i++) {
		const char *id = sets[i].id, *t = sets[i].text;

		if (strcmp(id, "target") == 0) {
			long v = strtol(t, NULL, 10);

			target = v == T_ALL ? "ALL" : v == T_GRAY ? "GRAY" : v == T_GROUP ? "GROUP" :
			    "SPECIFIC";
			if (v == T_ALL)
				params_add(&a.opts, "--all", "");
		} else if (strcmp(id, "overwrite") == 0 || strcmp(id, "need-confirm") == 0) {
			if (strcmp(t, "1") == 0) {
				snprintf(opt, sizeof opt, "--%s", id);
				params_add(&a.opts, opt, "");
			}
		} else if (strcmp(id, "push") == 0) {
			if (strcmp(t, "0") == 0)
				params_add(&a.opts, "--no-push", "");
		} else {
			snprintf(opt, sizeof opt, "--%s", id);
			params_add(&a.opts, opt, t);
		}
	}
	/* A target's value without the target chosen (or another one chosen) is refused
	 * rather than taken for it. */
	if (target == NULL) {
		*cause = xstrdup("target: choose ALL, GRAY, GROUP or SPECIFIC");
		goto done;
	}
	if ((params_get(&a.opts, "--gray") != NULL) != (strcmp(target, "GRAY") == 0) ||
	    (params_get(&a.opts, "--group") != NULL) != (strcmp(target, "GROUP") == 0) ||
	    (params_get(&a.opts, "--devices") != NULL) != (strcmp(target, "SPECIFIC") == 0)) {
		*cause = xasprintf("target %s: fill in %s and only it", target,
		    strcmp(target, "GRAY") == 0 ? "gray" : strcmp(target, "GROUP") == 0 ? "group" :
		    strcmp(target, "SPECIFIC") == 0 ? "devices" : "no gray, group or devices");
		goto done;
	}
	if (ota_upgrade_params(&a, &pl->job, &action, &dn, &ndn, cause) != 0)
		goto done;
	pl->action = action;
	free(pl->target);
	pl->target = xstrdup(target);
	if (!pl->from_devices && strcmp(target, "SPECIFIC") == 0)
		ota_split_list(params_get(&a.opts, "--devices"), &pl->devs, &pl->ndevs);
	rc = 0;
done:
	params_free(&a.opts);
	buf_free(&b);
	ota_list_free(dn, ndn);
	return rc;
}

/* The form submitted and checked: the firmware's product is read, and the count for
 * ALL/GRAY. */
static void
upgrade_done(struct ui *ui, void *arg, const struct tslvalue_set *sets, size_t n)
{
	struct fwplan *pl = arg, *keep;

	(void)sets;
	(void)n;
	keep = xcalloc(1, sizeof *keep);
	*keep = *pl;		/* the form frees arg after this returns: the plan goes on */
	memset(pl, 0, sizeof *pl);
	params_init(&pl->job);
	ask(ui, keep, ACT_QueryOTAFirmware, "FirmwareId", keep->fw_id, "the firmware's product");
}

/* ---- commands ------------------------------------------------------------------------ */

/* The firmware under the cursor of the firmware pane. */
static int
firmware_of(struct pane *p, struct fwplan *pl)
{
	struct table_row *r;
	int c;

	if (p == NULL || p->ops != &pane_firmware_ops || p->table == NULL ||
	    (r = table_cursor_row(p->table)) == NULL)
		return -1;
	pl->fw_id = xstrdup(r->key);
	for (c = 0; c < table_columns(p->table); c++)
		if (strcmp(table_column_def(p->table, c)->name, "Name") == 0 &&
		    r->cells[c] != NULL && r->cells[c][0] != '\0')
			pl->fw_name = xstrdup(r->cells[c]);
	return 0;
}

/* The marked devices of a devices pane (else the one under the cursor), all of one
 * product. */
static int
devices_of(struct ui *ui, struct pane *p, struct fwplan *pl, const char *name)
{
	struct ui_target *t = NULL;
	int marked = 0;
	size_t n, i;

	if (p == NULL || p->ops->targets == NULL || (n = p->ops->targets(p, &t, &marked)) == 0) {
		ui_error(ui, ":%s FIRMWAREID applies to the marked devices of a devices pane (or "
		    "in the firmware pane, to the firmware under the cursor)", name);
		ui_targets_free(t, 0);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (t[i].device_name == NULL || t[i].product_key == NULL)
			continue;
		if (pl->devs_pk == NULL)
			pl->devs_pk = xstrdup(t[i].product_key);
		else if (strcmp(pl->devs_pk, t[i].product_key) != 0) {
			ui_error(ui, ":%s: the marked devices are of more than one product (a job "
			    "is for one)", name);
			ui_targets_free(t, n);
			return -1;
		}
		pl->devs = xreallocarray(pl->devs, pl->ndevs + 1, sizeof *pl->devs);
		pl->devs[pl->ndevs++] = xstrdup(t[i].device_name);
	}
	ui_targets_free(t, n);
	pl->from_devices = 1;
	return 0;
}

int
fwops_command(struct ui *ui, const char *name, const char *arg)
{
	struct pane *p = ui_top(ui);
	struct fwplan *pl;
	char *words = xstrdup(arg), *w, *save = NULL, *cause = NULL, *title;
	enum fwverb v;
	size_t k = 0;

	if (!fwops_is_command(name)) {
		free(words);
		return -1;
	}
	v = strcmp(name, "ota-verify") == 0 ? FW_VERIFY : FW_UPGRADE;
	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: :%s is refused (writes are off)", name);
		free(words);
		return -1;
	}
	if (ui->worker == NULL) {
		ui_error(ui, "not connected");
		free(words);
		return -1;
	}
	pl = plan_new(ui, v);
	if (firmware_of(p, pl) == 0) {
		/* The firmware pane: verify takes the names typed; upgrade asks in its form. */
		for (w = strtok_r(words, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
			ota_split_list(w, &pl->devs, &pl->ndevs);
		if (v == FW_VERIFY && pl->ndevs == 0) {
			prompt_open_with(ui, ':', "ota-verify ");
			ui_message(ui, ":ota-verify: type the DeviceNames (at most %d, of the "
			    "firmware's product), then Enter", OTA_MAX_VERIFY_DEVICES);
			goto drop;
		}
		if (v == FW_UPGRADE && pl->ndevs > 0) {
			ui_error(ui, ":ota-upgrade takes no argument in the firmware pane (the form "
			    "asks for the targets)");
			goto fail;
		}
	} else {
		/* A devices pane: the firmware named, the marked devices. */
		w = strtok_r(words, " ", &save);
		if (w == NULL || strtok_r(NULL, " ", &save) != NULL) {
			ui_error(ui, ":%s FIRMWAREID (in a devices pane: on the marked devices; in "
			    "the firmware pane: on the firmware under the cursor)", name);
			goto fail;
		}
		pl->fw_id = xstrdup(w);
		if (devices_of(ui, p, pl, name) != 0)
			goto fail;
	}
	if (v == FW_VERIFY) {
		if (ota_check_count(":ota-verify", pl->ndevs, OTA_MAX_VERIFY_DEVICES,
		    "CreateOTAVerifyJob TargetDeviceName.N", &cause) != 0 ||
		    (k = ota_first_duplicate(pl->devs, pl->ndevs)) != pl->ndevs) {
			if (cause == NULL)
				cause = xasprintf(":ota-verify: %s is named twice", pl->devs[k]);
			ui_error(ui, "%s (nothing was sent)", cause);
			free(cause);
			goto fail;
		}
		free(words);
		ask(ui, pl, ACT_QueryOTAFirmware, "FirmwareId", pl->fw_id, "the firmware's product");
		return 0;
	}
	if (pl->from_devices && ota_check_count(":ota-upgrade", pl->ndevs, OTA_MAX_NAMED_DEVICES,
	    "CreateOTAStaticUpgradeJob TargetDeviceName.N", &cause) != 0) {
		ui_error(ui, "%s (nothing was sent)", cause);
		free(cause);
		goto fail;
	}
	form_build();
	free(words);
	title = pl->from_devices ? xasprintf("Upgrade %zu device%s to firmware %s (%s)",
	    pl->ndevs, pl->ndevs == 1 ? "" : "s", pl->fw_id, pl->action) :
	    xasprintf("Upgrade job for firmware %s (%s)", pl->fw_name != NULL ? pl->fw_name :
	    pl->fw_id, pl->action);
	if (form_open_service(ui, title, pl->from_devices ? &upgrade_form_devs : &upgrade_form,
	    upgrade_done, pl, fwplan_free) == 0)
		form_check(ui, upgrade_check);
	free(title);
	return 0;
drop:
	free(words);
	fwplan_free(pl);
	return 0;
fail:
	free(words);
	fwplan_free(pl);
	return -1;
}

void
fwops_stop(void)
{
	fwplan_free(waiting);
	waiting = NULL;
}
