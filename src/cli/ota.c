/* ota.c — `iotdeck ota ...` (see ota.h): the words, and the commands that are one
 * write or one list. upload is in ota_upload.c, upgrade in ota_upgrade.c, watch in
 * ota_watch.c, the value checks in ota_check.c, what they share in ota_run.c. */
#include "cli/ota.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "cli/ota_check.h"
#include "cli/ota_run.h"
#include "cli/ota_upgrade.h"
#include "cli/ota_upload.h"
#include "cli/ota_watch.h"
#include "core/buf.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/text.h"

static const char ota_usage_text[] =
"Usage: iotdeck [OPTIONS] ota COMMAND ...\n"
"  upload FILE --product PK --dest-version V [--name NAME] [--module M]\n"
"         [--type full|diff --src-version V] [--sign-method MD5|SHA256] [--desc TEXT]\n"
"         [--no-verify]                       prints the FirmwareId\n"
"  verify FIRMWAREID --devices NAME[,NAME...] [--timeout MIN] [--need-confirm] [--no-push]\n"
"  upgrade FIRMWAREID --devices N,N | --devices-from FILE | --group ID | --all |\n"
"         --gray PERCENT [--src-version V...] [--schedule TIME] [--finish TIME]\n"
"         [--per-minute N] [--retry-interval MIN --retry-count N] [--timeout MIN]\n"
"         [--overwrite] [--need-confirm] [--no-push] [--dn-list]   prints the JobId\n"
"  upgrade FIRMWAREID --dynamic (--src-version V... | --group ID) [--dynamic-mode 1|2]\n"
"  watch JOBID [--max-failed N|P%] [--cancel-on-fail] [--interval SECONDS]\n"
"  cancel JOBID [--scheduled] [--queued] [--notified] [--in-progress] [--unconfirmed]\n"
"         [--strategy]                        (a dynamic job's strategy)\n"
"  cancel-devices FIRMWAREID --devices N,N | --devices-from FILE [--job JOBID]\n"
"  confirm TASKID...\n"
"  retry JOBID [--failed] [--canceled]\n"
"  delete FIRMWAREID\n"
"  jobs FIRMWAREID [--json]\n"
"  tasks JOBID [--status STATE] [--json]\n"
"--product PK: the firmware's product (else read with QueryOTAFirmware); TIME: +30m,\n"
"+2h, +1d or 2024-05-01T08:00:00Z; --timeout MIN here is the job's TimeoutInMinutes.\n"
"Writes: --json prints each result as a JSON line. Exit status as set's; watch: 0 every\n"
"task succeeded, 1 some failed or were cancelled (or --max-failed tripped).\n";

/* The options of each subcommand. */
struct ota_opt_def {
	const char *sub;	/* subcommand, or NULL for all */
	const char *name;	/* option */
	int         has_value;	/* takes a value */
	int         repeat;	/* may be given more than once */
};

static const struct ota_opt_def opt_defs[] = {
	{ NULL, "--json", 0, 0 },
	{ NULL, "--product", 1, 0 },
	{ "upload", "--dest-version", 1, 0 },
	{ "upload", "--name", 1, 0 },
	{ "upload", "--module", 1, 0 },
	{ "upload", "--type", 1, 0 },
	{ "upload", "--src-version", 1, 0 },
	{ "upload", "--sign-method", 1, 0 },
	{ "upload", "--desc", 1, 0 },
	{ "upload", "--no-verify", 0, 0 },
	{ "verify", "--devices", 1, 1 },
	{ "verify", "--devices-from", 1, 1 },
	{ "verify", "--timeout", 1, 0 },
	{ "verify", "--need-confirm", 0, 0 },
	{ "verify", "--no-push", 0, 0 },
	{ "upgrade", "--devices", 1, 1 },
	{ "upgrade", "--devices-from", 1, 1 },
	{ "upgrade", "--group", 1, 0 },
	{ "upgrade", "--all", 0, 0 },
	{ "upgrade", "--gray", 1, 0 },
	{ "upgrade", "--src-version", 1, 1 },
	{ "upgrade", "--schedule", 1, 0 },
	{ "upgrade", "--finish", 1, 0 },
	{ "upgrade", "--per-minute", 1, 0 },
	{ "upgrade", "--retry-interval", 1, 0 },
	{ "upgrade", "--retry-count", 1, 0 },
	{ "upgrade", "--timeout", 1, 0 },
	{ "upgrade", "--overwrite", 0, 0 },
	{ "upgrade", "--need-confirm", 0, 0 },
	{ "upgrade", "--no-push", 0, 0 },
	{ "upgrade", "--dynamic", 0, 0 },
	{ "upgrade", "--dynamic-mode", 1, 0 },
	{ "upgrade", "--dn-list", 0, 0 },
	{ "watch", "--max-failed", 1, 0 },
	{ "watch", "--cancel-on-fail", 0, 0 },
	{ "watch", "--interval", 1, 0 },
	{ "cancel", "--scheduled", 0, 0 },
	{ "cancel", "--queued", 0, 0 },
	{ "cancel", "--notified", 0, 0 },
	{ "cancel", "--in-progress", 0, 0 },
	{ "cancel", "--unconfirmed", 0, 0 },
	{ "cancel", "--strategy", 0, 0 },
	{ "cancel-devices", "--devices", 1, 1 },
	{ "cancel-devices", "--devices-from", 1, 1 },
	{ "cancel-devices", "--job", 1, 0 },
	{ "retry", "--failed", 0, 0 },
	{ "retry", "--canceled", 0, 0 },
	{ "tasks", "--status", 1, 0 },
	{ NULL, NULL, 0, 0 }
};

static const char *const subcommands[] = { "upload", "verify", "upgrade", "watch", "cancel",
	"cancel-devices", "confirm", "retry", "delete", "jobs", "tasks", NULL };

/* The definition of arg for sub ("--x" or "--x=v": *inline_value), or NULL. */
static const struct ota_opt_def *
opt_find(const char *sub, const char *arg, const char **inline_value)
{
	size_t i;

	*inline_value = NULL;
	for (i = 0; sub != NULL && opt_defs[i].name != NULL; i++)
		if ((opt_defs[i].sub == NULL || strcmp(opt_defs[i].sub, sub) == 0) &&
		    opts_match(arg, opt_defs[i].name, opt_defs[i].has_value, inline_value))
			return &opt_defs[i];
	return NULL;
}

const char *
ota_opt(const struct ota_args *a, const char *name)
{
	size_t i;
	const char *v = NULL;

	for (i = 0; i < a->opts.n; i++)
		if (strcmp(a->opts.v[i].name, name) == 0)
			v = a->opts.v[i].value;
	return v;
}


/* ---- verify ------------------------------------------------------------------------ */

static int
cmd_verify(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota verify", *what = "CreateOTAVerifyJob TargetDeviceName.N";
	struct ota_ctx c;
	struct ota_item *items = NULL;
	struct op *op = NULL;
	char **devs = NULL, *cause = NULL, *pk = NULL, num[32];
	size_t ndevs = 0, nitems = 0;
	const char *t;
	long timeout = 0;
	int rc;

	if (a->npos != 1) {
		ota_list_free(devs, ndevs);
		return ota_usage(cmd, "give one FIRMWAREID");
	}
	if (ota_named_devices(a, &devs, &ndevs, &cause) != 0 ||
	    ota_check_count("--devices", ndevs, OTA_MAX_VERIFY_DEVICES, what, &cause) != 0 ||
	    ota_no_duplicates(devs, ndevs, &cause) != 0 ||
	    ((t = ota_opt(a, "--timeout")) != NULL && ota_check_long("--timeout", t, 1, 1440,
	    "CreateOTAVerifyJob TimeoutInMinutes", &timeout, &cause) != 0)) {
		rc = ota_usage(cmd, cause);
		free(cause);
		ota_list_free(devs, ndevs);
		return rc;
	}
	rc = ota_ctx_open(&c, cmd, o, a, ACT_CreateOTAVerifyJob, OTA_CTX_PRINTS_ID);
	if (rc != EXIT_OK)
		goto done;
	if ((pk = ota_firmware_product(&c, a, a->pos[0], &rc)) == NULL)
		goto done;
	ota_item_new(&items, &nitems, xasprintf("firmware %s", a->pos[0]));
	params_set(&items[0].params, "FirmwareId", a->pos[0]);
	params_set(&items[0].params, "ProductKey", pk);
	ota_add_numbered(&items[0].params, "TargetDeviceName", devs, 0, ndevs);
	if (timeout > 0) {
		snprintf(num, sizeof num, "%ld", timeout);
		params_set(&items[0].params, "TimeoutInMinutes", num);
	}
	if (ota_opt(a, "--need-confirm") != NULL)
		params_set(&items[0].params, "NeedConfirm", "true");
	if (ota_opt(a, "--no-push") != NULL)
		params_set(&items[0].params, "NeedPush", "false");
	rc = ota_write(&c, ACT_CreateOTAVerifyJob, NULL, items, nitems, &op);
	ota_print_created(&c, op, "JobId");
done:
	op_free(op);
	ota_items_free(items, nitems);
	free(pk);
	ota_list_free(devs, ndevs);
	ota_ctx_close(&c);
	return rc;
}


/* ---- cancel, cancel-devices, confirm, delete ---------------------------------------- */

static int
cmd_cancel(const struct global_opts *o, const struct ota_args *a)
{
	static const char *const flags[][2] = {
		{ "--scheduled", "CancelScheduledTask" }, { "--queued", "CancelQueuedTask" },
		{ "--notified", "CancelNotifiedTask" }, { "--in-progress", "CancelInProgressTask" },
		{ "--unconfirmed", "CancelUnconfirmedTask" } };
	const char *cmd = "ota cancel";
	struct ota_ctx c;
	struct ota_item *items = NULL;
	size_t nitems = 0, i, nflags = 0;
	int rc, strategy = ota_opt(a, "--strategy") != NULL;

	memset(&c, 0, sizeof c);
	if (a->npos != 1)
		return ota_usage(cmd, "give one JOBID");
	for (i = 0; i < 5; i++)
		nflags += ota_opt(a, flags[i][0]) != NULL;
	if (nflags == 0 && !strategy)
		return ota_usage(cmd, "say which tasks to cancel: --scheduled, --queued, "
		    "--notified, --in-progress, --unconfirmed (CancelOTATaskByJob cancels none "
		    "by default), or --strategy (a dynamic job's: CancelOTAStrategyByJob)");
	rc = ota_ctx_open(&c, cmd, o, a, strategy ? ACT_CancelOTAStrategyByJob :
	    ACT_CancelOTATaskByJob, 0);
	if (rc != EXIT_OK)
		goto done;
	/* A dynamic job's strategy first: no new device joins while its tasks are cancelled. */
	if (strategy) {
		ota_item_new(&items, &nitems, xasprintf("job %s", a->pos[0]));
		params_set(&items[0].params, "JobId", a->pos[0]);
		rc = ota_write(&c, ACT_CancelOTAStrategyByJob, NULL, items, nitems, NULL);
		ota_items_free(items, nitems);
		items = NULL;
		nitems = 0;
		if (rc != EXIT_OK || nflags == 0)
			goto done;
	}
	ota_item_new(&items, &nitems, xasprintf("job %s", a->pos[0]));
	params_set(&items[0].params, "JobId", a->pos[0]);
	for (i = 0; i < 5; i++)
		params_set(&items[0].params, flags[i][1],
		    ota_opt(a, flags[i][0]) != NULL ? "true" : "false");
	rc = ota_write(&c, ACT_CancelOTATaskByJob, NULL, items, nitems, NULL);
done:
	ota_items_free(items, nitems);
	ota_ctx_close(&c);
	return rc;
}

/* Items of chunk names each: "WHAT 1-10 of 25". */
static void
chunk_items(struct ota_item **items, size_t *nitems, char *const *names, size_t n,
    size_t chunk, const char *what, const char *param)
{
	struct ota_item *it;
	size_t i, to;

	for (i = 0; i < n; i += chunk) {
		to = i + chunk < n ? i + chunk : n;
		it = ota_item_new(items, nitems, n <= chunk ? xasprintf("%s (%zu)", what, n) :
		    xasprintf("%s %zu-%zu of %zu", what, i + 1, to, n));
		ota_add_numbered(&it->params, param, names, i, to);
	}
}

static int
cmd_cancel_devices(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota cancel-devices", *job = ota_opt(a, "--job");
	struct ota_ctx c;
	struct ota_item *items = NULL;
	struct params common = PARAMS_INIT;
	char **devs = NULL, *cause = NULL, *pk = NULL;
	size_t ndevs = 0, nitems = 0;
	int rc;

	memset(&c, 0, sizeof c);
	if (a->npos != 1)
		return ota_usage(cmd, "give one FIRMWAREID");
	if (ota_named_devices(a, &devs, &ndevs, &cause) != 0 ||
	    ota_check_count("--devices", ndevs, (size_t)-1, "CancelOTATaskByDevice "
	    "DeviceName.N", &cause) != 0 || ota_no_duplicates(devs, ndevs, &cause) != 0) {
		rc = ota_usage(cmd, cause);
		free(cause);
		ota_list_free(devs, ndevs);
		return rc;
	}
	rc = ota_ctx_open(&c, cmd, o, a, ACT_CancelOTATaskByDevice, 0);
	if (rc != EXIT_OK)
		goto done;
	if ((pk = ota_firmware_product(&c, a, a->pos[0], &rc)) == NULL)
		goto done;
	params_set(&common, "FirmwareId", a->pos[0]);
	params_set(&common, "ProductKey", pk);
	if (job != NULL)
		params_set(&common, "JobId", job);
	/* At most 200 devices a request (guide 4.20.16). */
	chunk_items(&items, &nitems, devs, ndevs, OTA_MAX_CANCEL_DEVICES, "devices",
	    "DeviceName");
	rc = ota_write(&c, ACT_CancelOTATaskByDevice, &common, items, nitems, NULL);
done:
	ota_items_free(items, nitems);
	params_free(&common);
	free(pk);
	ota_list_free(devs, ndevs);
	ota_ctx_close(&c);
	return rc;
}

static int
cmd_confirm(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota confirm";
	struct ota_ctx c;
	struct ota_item *items = NULL;
	size_t nitems = 0, d;
	int rc;

	memset(&c, 0, sizeof c);
	if (a->npos == 0)
		return ota_usage(cmd, "give the TASKIDs to confirm");
	if ((d = ota_first_duplicate(a->pos, a->npos)) != a->npos) {
		char *s = safetext_excerpt(a->pos[d], strlen(a->pos[d]), 60), *m;
		m = xasprintf("task %s is named twice", s);
		rc = ota_usage(cmd, m);
		free(m);
		free(s);
		return rc;
	}
	rc = ota_ctx_open(&c, cmd, o, a, ACT_ConfirmOTATask, 0);
	if (rc != EXIT_OK)
		goto done;
	/* At most 10 tasks a request (guide 4.20.21). */
	chunk_items(&items, &nitems, a->pos, a->npos, OTA_MAX_TASK_IDS, "tasks", "TaskId");
	rc = ota_write(&c, ACT_ConfirmOTATask, NULL, items, nitems, NULL);
done:
	ota_items_free(items, nitems);
	ota_ctx_close(&c);
	return rc;
}

static int
cmd_delete(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota delete";
	struct ota_ctx c;
	struct ota_item *items = NULL;
	size_t nitems = 0;
	int rc;

	memset(&c, 0, sizeof c);
	if (a->npos != 1)
		return ota_usage(cmd, "give one FIRMWAREID");
	rc = ota_ctx_open(&c, cmd, o, a, ACT_DeleteOTAFirmware, 0);
	if (rc != EXIT_OK)
		goto done;
	ota_item_new(&items, &nitems, xasprintf("firmware %s", a->pos[0]));
	params_set(&items[0].params, "FirmwareId", a->pos[0]);
	rc = ota_write(&c, ACT_DeleteOTAFirmware, NULL, items, nitems, NULL);
done:
	ota_items_free(items, nitems);
	ota_ctx_close(&c);
	return rc;
}

/* ---- retry -------------------------------------------------------------------------- */

struct task_ids {
	char  **v;	/* TaskIds (owned) */
	size_t  n;	/* how many */
};

static int
collect_task(void *arg, const cJSON *item)
{
	struct task_ids *t = arg;
	const char *id = ota_str(item, "TaskId");

	if (id != NULL) {
		t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
		t->v[t->n++] = xstrdup(id);
	}
	return 0;
}

static int
cmd_retry(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota retry", *states[2];
	struct ota_ctx c;
	struct ota_item *items = NULL;
	struct params p = PARAMS_INIT, common = PARAMS_INIT;
	struct task_ids ids = { NULL, 0 };
	size_t nitems = 0, nstates = 0, i;
	enum api_status st;
	int rc;

	memset(&c, 0, sizeof c);
	if (a->npos != 1)
		return ota_usage(cmd, "give one JOBID");
	if (ota_opt(a, "--failed") != NULL || ota_opt(a, "--canceled") == NULL)
		states[nstates++] = "FAILED";
	if (ota_opt(a, "--canceled") != NULL)
		states[nstates++] = "CANCELED";
	rc = ota_ctx_open(&c, cmd, o, a, ACT_ReupgradeOTATask, 0);
	if (rc != EXIT_OK)
		goto done;
	for (i = 0; i < nstates; i++) {
		params_free(&p);
		params_set(&p, "JobId", a->pos[0]);
		params_set(&p, "TaskStatus", states[i]);
		st = ota_list(&c, ACT_ListOTATaskByJob, &p, collect_task, &ids);
		if (st != API_OK) {
			rc = ops_interrupted ? 130 : opts_exit_status(st);
			fprintf(stderr, "iotdeck %s: nothing was sent\n", cmd);
			goto done;
		}
	}
	if (ids.n == 0) {
		fprintf(stderr, "iotdeck %s: the job has no %s%s%s task: nothing to do\n", cmd,
		    states[0], nstates > 1 ? " or " : "", nstates > 1 ? states[1] : "");
		rc = EXIT_OK;
		goto done;
	}
	fprintf(stderr, "iotdeck %s: %zu task%s to upgrade again\n", cmd, ids.n,
	    ids.n == 1 ? "" : "s");
	params_set(&common, "JobId", a->pos[0]);
	/* At most 10 tasks a request (guide 4.20.23). */
	chunk_items(&items, &nitems, ids.v, ids.n, OTA_MAX_TASK_IDS, "tasks", "TaskId");
	rc = ota_write(&c, ACT_ReupgradeOTATask, &common, items, nitems, NULL);
done:
	ota_items_free(items, nitems);
	ota_list_free(ids.v, ids.n);
	params_free(&p);
	params_free(&common);
	ota_ctx_close(&c);
	return rc;
}

/* ---- jobs, tasks -------------------------------------------------------------------- */

struct lister {
	int    json;	/* --json */
	size_t n;	/* items printed */
	int    tasks;	/* listing tasks (else jobs) */
};

static void
cell(struct buf *b, const cJSON *item, const char *name, int cols)
{
	const char *v = ota_str(item, name);
	char *s = safetext_dup(v != NULL ? v : "", v != NULL ? strlen(v) : 0);

	text_fit(b, s, cols, 1, 0);
	buf_adds(b, "  ");
	free(s);
}

static int
print_item(void *arg, const cJSON *item)
{
	struct lister *l = arg;
	struct buf b = BUF_INIT;

	if (l->json) {
		jsonout_value(&b, item, JSONOUT_COMPACT);
	} else if (l->tasks) {
		cell(&b, item, "TaskId", 28);
		cell(&b, item, "DeviceName", 24);
		cell(&b, item, "TaskStatus", 11);
		cell(&b, item, "Progress", 6);
		cell(&b, item, "TaskDesc", 40);
	} else {
		cell(&b, item, "JobId", 28);
		cell(&b, item, "JobType", 16);
		cell(&b, item, "JobStatus", 11);
		cell(&b, item, "TargetSelection", 9);
		cell(&b, item, "UtcCreate", 24);
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	l->n++;
	return 0;
}

static int
cmd_list(const struct global_opts *o, const struct ota_args *a, int tasks)
{
	static const char *const states[] = { "CONFIRM", "QUEUED", "NOTIFIED", "IN_PROGRESS",
		"SUCCEEDED", "FAILED", "CANCELED" };
	const char *cmd = tasks ? "ota tasks" : "ota jobs", *status = ota_opt(a, "--status");
	struct ota_ctx c;
	struct params p = PARAMS_INIT;
	struct lister l;
	enum api_status st;
	size_t i;
	int rc, ok = status == NULL;

	memset(&c, 0, sizeof c);
	if (a->npos != 1)
		return ota_usage(cmd, tasks ? "give one JOBID" : "give one FIRMWAREID");
	for (i = 0; !ok && i < 7; i++)
		ok = strcmp(status, states[i]) == 0;
	if (!ok) {
		char *s = safetext_excerpt(status, strlen(status), 40), *m;
		m = xasprintf("--status %s: expected CONFIRM, QUEUED, NOTIFIED, IN_PROGRESS, "
		    "SUCCEEDED, FAILED or CANCELED (ListOTATaskByJob TaskStatus)", s);
		rc = ota_usage(cmd, m);
		free(m);
		free(s);
		return rc;
	}
	rc = ota_ctx_open(&c, cmd, o, NULL, NULL, 0);
	if (rc != EXIT_OK)
		goto done;
	memset(&l, 0, sizeof l);
	l.json = ota_opt(a, "--json") != NULL;
	l.tasks = tasks;
	params_set(&p, tasks ? "JobId" : "FirmwareId", a->pos[0]);
	if (status != NULL)
		params_set(&p, "TaskStatus", status);
	if (!l.json)
		printf(tasks ? "TASKID                        DEVICE                    STATUS       "
		    "PROGRESS  DESC\n" : "JOBID                         TYPE              STATUS"
		    "       TARGET     CREATED\n");
	st = ota_list(&c, tasks ? ACT_ListOTATaskByJob : ACT_ListOTAJobByFirmware, &p, print_item,
	    &l);
	rc = st == API_OK ? EXIT_OK : ops_interrupted ? 130 : opts_exit_status(st);
	if (fflush(stdout) != 0 && rc == EXIT_OK)
		rc = EXIT_CONFIG;
	fprintf(stderr, "iotdeck %s: %zu %s\n", cmd, l.n, tasks ? (l.n == 1 ? "task" : "tasks") :
	    (l.n == 1 ? "job" : "jobs"));
done:
	params_free(&p);
	ota_ctx_close(&c);
	return rc;
}

/* ---- the words ---------------------------------------------------------------------- */

/* Splits argv after the word `ota`: its subcommand, positional words and options into
 * a; the rest (argv[0] and the global options with their values) into gargv. Returns 1
 * when argv's command is ota, 0 when it is not, -1 on a usage error (*cause). */
static int
split_argv(int argc, char **argv, char **gargv, int *gargc, struct ota_args *a,
    char **cause)
{
	const struct ota_opt_def *d;
	const char *value;
	int i, found = 0, words_only = 0;
	size_t k;

	*gargc = 0;
	gargv[(*gargc)++] = argv[0];
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!found) {
			if (strcmp(arg, "--") == 0)
				return 0;
			if (arg[0] == '-' && arg[1] != '\0') {
				gargv[(*gargc)++] = argv[i];
				if (opts_takes_value(arg) && i + 1 < argc)
					gargv[(*gargc)++] = argv[++i];
				continue;
			}
			if (strcmp(arg, "ota") != 0)
				return 0;
			found = 1;
			continue;
		}
		if (!words_only && strcmp(arg, "--") == 0) {
			words_only = 1;
			continue;
		}
		if (words_only || arg[0] != '-' || arg[1] == '\0') {
			if (a->sub == NULL) {
				for (k = 0; subcommands[k] != NULL; k++)
					if (strcmp(subcommands[k], arg) == 0)
						a->sub = subcommands[k];
				if (a->sub == NULL) {
					char *s = safetext_excerpt(arg, strlen(arg), 40);
					*cause = xasprintf("unknown command '%s'", s);
					free(s);
					return -1;
				}
				continue;
			}
			a->pos = xreallocarray(a->pos, a->npos + 1, sizeof *a->pos);
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if ((d = opt_find(a->sub, arg, &value)) != NULL) {
			if (d->has_value && value == NULL) {
				if (i + 1 >= argc) {
					*cause = xasprintf("option %s needs a value", d->name);
					return -1;
				}
				value = argv[++i];
			}
			if (!d->repeat && params_get(&a->opts, d->name) != NULL) {
				*cause = xasprintf("option %s is given twice", d->name);
				return -1;
			}
			params_add(&a->opts, d->name, d->has_value ? value : "1");
			continue;
		}
		/* A global option (opts_parse says if it is not one). */
		gargv[(*gargc)++] = argv[i];
		if (opts_takes_value(arg) && i + 1 < argc)
			gargv[(*gargc)++] = argv[++i];
	}
	return found;	/* options only (--version, the console): not ota */
}

int
cmd_ota_argv(int argc, char **argv)
{
	struct global_opts o;
	struct ota_args a;
	char **gargv, **words = NULL, *cause = NULL;
	int gargc = 0, nwords = 0, rc;

	memset(&o, 0, sizeof o);
	memset(&a, 0, sizeof a);
	o.passphrase_fd = -1;
	params_init(&a.opts);
	gargv = xcalloc((size_t)argc + 1, sizeof *gargv);
	rc = split_argv(argc, argv, gargv, &gargc, &a, &cause);
	if (rc == 0) {
		rc = -1;
		goto done;
	}
	if (rc < 0) {
		rc = ota_usage("ota", cause);
		free(cause);
		goto done;
	}
	if (opts_parse(gargc, gargv, 1, &o, &words, &nwords, &cause) != 0) {
		rc = ota_usage(a.sub != NULL ? a.sub : "ota", cause);
		free(cause);
		goto done;
	}
	if (o.help || a.sub == NULL) {
		fputs(ota_usage_text, o.help ? stdout : stderr);
		rc = o.help ? EXIT_OK : EXIT_USAGE;
		goto done;
	}
	if (nwords != 0) {
		rc = ota_usage(a.sub, "unexpected words");
		goto done;
	}
	if (strcmp(a.sub, "upload") == 0)
		rc = ota_upload_main(&o, &a);
	else if (strcmp(a.sub, "verify") == 0)
		rc = cmd_verify(&o, &a);
	else if (strcmp(a.sub, "upgrade") == 0)
		rc = ota_upgrade_main(&o, &a);
	else if (strcmp(a.sub, "watch") == 0)
		rc = ota_watch_main(&o, &a);
	else if (strcmp(a.sub, "cancel") == 0)
		rc = cmd_cancel(&o, &a);
	else if (strcmp(a.sub, "cancel-devices") == 0)
		rc = cmd_cancel_devices(&o, &a);
	else if (strcmp(a.sub, "confirm") == 0)
		rc = cmd_confirm(&o, &a);
	else if (strcmp(a.sub, "retry") == 0)
		rc = cmd_retry(&o, &a);
	else if (strcmp(a.sub, "delete") == 0)
		rc = cmd_delete(&o, &a);
	else
		rc = cmd_list(&o, &a, strcmp(a.sub, "tasks") == 0);
done:
	free(words);
	free(gargv);
	free(a.pos);
	params_free(&a.opts);
	opts_free(&o);
	return rc;
}
