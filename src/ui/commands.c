/* commands.c — the ":" commands, their help and their completion (see commands.h). */
#include "ui/commands.h"

#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/fwupload.h"
#include "ui/known.h"
#include "ui/pane_group.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/uiops.h"
#include "vault/vault.h"

/* A ProductKey's length (FirmwareIds and JobIds are longer). */
#define PRODUCT_KEY_LEN 11

/* What a command's argument completes. */
enum complete_kind {
	COMPLETE_NONE,
	COMPLETE_PRODUCT,	/* a ProductKey the console has seen */
	COMPLETE_TSL,		/* identifiers of the thing model (uiops_candidates) */
	COMPLETE_FILE		/* a file's path (fwupload_complete) */
};

struct command {
	const char         *name;	/* as typed */
	const char         *alias;	/* another name, or NULL */
	const char         *args;	/* the arguments, for :help ("" when none) */
	const char         *help;	/* what it does, one line */
	enum complete_kind  complete;	/* what its argument completes */
	int               (*run)(struct ui *ui, const char *name, const char *arg);
};

static int
cmd_products(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	(void)arg;
	ui_go_root(ui, &pane_products_ops, "Products");
	return 0;
}

static int
cmd_groups(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	(void)arg;
	ui_go_root(ui, &pane_groups_ops, "Groups");
	return 0;
}

static int
cmd_group(struct ui *ui, const char *name, const char *arg)
{
	struct pane *p = ui_top(ui);

	(void)name;
	if (*arg == '\0') {
		ui_error(ui, ":group needs a GroupId");
		return -1;
	}
	if (p != NULL && p->ops == &pane_group_ops && p->gone == NULL && p->ops->command(p, arg))
		return 0;	/* already there */
	ui_go_root(ui, &pane_groups_ops, "Groups");
	pane_group_push(ui, arg, NULL, NULL);
	return 0;
}

static int
cmd_ota(struct ui *ui, const char *name, const char *arg)
{
	char *crumb, *pc;

	(void)name;
	if (*arg == '\0') {
		ui_go_root(ui, &pane_firmware_ops, "OTA firmware");
		return 0;
	}
	/* A product's firmware (and from there its jobs). */
	pc = ui_product_crumb(ui, arg);
	crumb = xasprintf("%s: OTA firmware", pc);
	ui_go_root(ui, &pane_products_ops, "Products");
	ui_push(ui, &pane_firmware_ops, crumb, xstrdup(arg));
	free(crumb);
	free(pc);
	return 0;
}

static int
cmd_devices(struct ui *ui, const char *name, const char *arg)
{
	struct pane *p = ui_top(ui);
	const char *pk = *arg != '\0' ? arg : ui_last_product(ui);

	(void)name;
	if (p != NULL && p->ops == &pane_devices_ops && p->gone == NULL &&
	    (*arg == '\0' || (p->ops->command != NULL && p->ops->command(p, arg))))
		return 0;	/* already there */
	if (pk == NULL) {
		ui_error(ui, ":devices needs a ProductKey (no product opened yet)");
		return -1;
	}
	ui_open_devices(ui, pk);
	return 0;
}

static int
cmd_device(struct ui *ui, const char *name, const char *arg)
{
	const char *slash = strchr(arg, '/');
	char *pk;

	(void)name;
	if (slash == NULL || slash == arg || slash[1] == '\0') {
		ui_error(ui, ":device needs PRODUCTKEY/DEVICENAME");
		return -1;
	}
	pk = xstrndup(arg, (size_t)(slash - arg));
	ui_open_devices(ui, pk);
	ui_push(ui, &pane_device_ops, slash + 1, xstrdup(arg));
	free(pk);
	return 0;
}

static int
cmd_jobs(struct ui *ui, const char *name, const char *arg)
{
	char *crumb, *pc;

	if (*arg == '\0') {
		ui_error(ui, ":%s needs an id", name);
		return -1;
	}
	if (name[0] == 'j' && (known_product_name(ui_known(ui), arg) != NULL ||
	    strlen(arg) == PRODUCT_KEY_LEN)) {
		/* A ProductKey: the jobs of every firmware of the product. */
		pc = ui_product_crumb(ui, arg);
		crumb = xasprintf("%s: OTA jobs", pc);
		ui_go_root(ui, &pane_products_ops, "Products");
		ui_push(ui, &pane_jobs_ops, crumb, xasprintf("product:%s", arg));
		free(crumb);
		free(pc);
		return 0;
	}
	ui_go_root(ui, &pane_firmware_ops, "OTA firmware");
	ui_push(ui, name[0] == 'j' ? &pane_jobs_ops : &pane_tasks_ops, arg, xstrdup(arg));
	return 0;
}

static int
cmd_thing_model(struct ui *ui, const char *name, const char *arg)
{
	const char *pk = *arg != '\0' ? arg : ui_last_product(ui);
	const char *pname;
	char *crumb;

	if (pk == NULL) {
		ui_error(ui, ":%s needs a ProductKey", name);
		return -1;
	}
	pname = known_product_name(ui_known(ui), pk);
	crumb = xasprintf("%s: thing model", pname != NULL ? pname : pk);
	ui_push(ui, &pane_thing_model_ops, crumb, xstrdup(pk));
	free(crumb);
	return 0;
}

static int
cmd_region(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	if (*arg == '\0') {
		ui_message(ui, "region %s", ui_region(ui));
		return 0;
	}
	return ui_set_region(ui, arg);
}

static int
cmd_profile(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	if (*arg == '\0') {
		ui_message(ui, "profile %s", ui_profile(ui) != NULL ? ui_profile(ui) : "env");
		return 0;
	}
	if (!vault_name_valid(arg)) {
		ui_error(ui, "'%s' is not a profile name", arg);
		return -1;
	}
	ui_switch_profile(ui, arg);
	return 0;
}

static int
cmd_reload(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	(void)arg;
	ui_reload_config(ui);
	return 0;
}

static int
cmd_stats(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	(void)arg;
	ui_show_stats(ui);
	return 0;
}

static int
cmd_help(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	(void)arg;
	ui_show_help(ui);
	return 0;
}

static int
cmd_quit(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	(void)arg;
	ui_ask_quit(ui);
	return 0;
}

static int
cmd_op(struct ui *ui, const char *name, const char *arg)
{
	return uiops_command(ui, name, arg);
}

static int
cmd_mark(struct ui *ui, const char *name, const char *arg)
{
	struct pane *p = ui_top(ui);
	int on = strcmp(name, "mark") == 0;
	size_t n;

	if (strcmp(arg, "all") != 0) {
		ui_error(ui, ":%s all %s every row the filter shows (Space marks one)", name,
		    on ? "marks" : "unmarks");
		return -1;
	}
	if (p == NULL || p->table == NULL) {
		ui_error(ui, ":%s: no rows here", name);
		return -1;
	}
	n = table_mark_shown(p->table, on);
	p->dirty = 1;
	ui_message(ui, "%s %zu row%s: %zu marked", on ? "marked" : "unmarked", n,
	    n == 1 ? "" : "s", table_marked(p->table));
	return 0;
}

static int
cmd_ops(struct ui *ui, const char *name, const char *arg)
{
	(void)name;
	(void)arg;
	ui_go_root(ui, &pane_operations_ops, "Operations");
	return 0;
}

static const struct command commands[] = {
	{ "products", NULL, "", "the products of the account", COMPLETE_NONE, cmd_products },
	{ "devices", NULL, "[PRODUCTKEY]", "the devices of a product (the last one opened)",
	  COMPLETE_PRODUCT, cmd_devices },
	{ "device", NULL, "PRODUCTKEY/DEVICENAME", "one device: identity, status, live properties",
	  COMPLETE_PRODUCT, cmd_device },
	{ "groups", NULL, "", "the device groups, as a tree", COMPLETE_NONE, cmd_groups },
	{ "group", NULL, "GROUPID", "one group: its subgroups, devices, a dynamic group's rule",
	  COMPLETE_NONE, cmd_group },
	{ "ota", "firmware", "[PRODUCTKEY]", "OTA firmware (of a product), then its jobs and their "
	  "device tasks", COMPLETE_PRODUCT, cmd_ota },
	{ "jobs", NULL, "FIRMWAREID|PRODUCTKEY", "the OTA jobs of a firmware, or of every firmware "
	  "of a product", COMPLETE_PRODUCT, cmd_jobs },
	{ "tasks", NULL, "JOBID", "the device tasks of an OTA job, live", COMPLETE_NONE, cmd_jobs },
	{ "thing-model", "tsl", "[PRODUCTKEY]", "a product's thing model (TSL)", COMPLETE_PRODUCT,
	  cmd_thing_model },
	{ "set", NULL, "[ID=VALUE ...]", "set properties of the marked devices (or this one); "
	  "alone: a form", COMPLETE_TSL, cmd_op },
	{ "invoke", NULL, "[SERVICE [ARG=VALUE ...]]", "invoke a service; alone: pick one, then "
	  "a form", COMPLETE_TSL, cmd_op },
	{ "desired", NULL, "[ID=VALUE ...]", "set desired property values (at the current "
	  "version)", COMPLETE_TSL, cmd_op },
	{ "enable", NULL, "", "enable the marked devices (or this one)", COMPLETE_NONE, cmd_op },
	{ "disable", NULL, "", "disable the marked devices (or this one)", COMPLETE_NONE, cmd_op },
	{ "delete", NULL, "", "delete the marked devices (or this one): type the name or count",
	  COMPLETE_NONE, cmd_op },
	{ "nickname", NULL, "TEXT", "set the nickname (4-32 characters, a Chinese one counts 2)",
	  COMPLETE_NONE, cmd_op },
	{ "group-add", NULL, "GROUPID", "add the marked devices (or this one) to a group",
	  COMPLETE_NONE, cmd_op },
	{ "group-remove", NULL, "GROUPID", "remove the marked devices (or this one) from a group",
	  COMPLETE_NONE, cmd_op },
	{ "group-create", NULL, "NAME [DESCRIPTION]", "create a group (in a group: a subgroup)",
	  COMPLETE_NONE, cmd_op },
	{ "group-delete", NULL, "", "delete the group under the cursor (groups pane)",
	  COMPLETE_NONE, cmd_op },
	{ "job-cancel", NULL, "[queued notified unconfirmed scheduled in-progress]", "cancel an "
	  "OTA job's tasks in those states (default: all but in-progress)", COMPLETE_NONE,
	  cmd_op },
	{ "job-retry", NULL, "[canceled]", "re-run an OTA job's failed (and canceled) tasks",
	  COMPLETE_NONE, cmd_op },
	{ "task-confirm", NULL, "", "confirm the marked OTA tasks (waiting for confirmation)",
	  COMPLETE_NONE, cmd_op },
	{ "task-cancel", NULL, "", "cancel the marked OTA tasks", COMPLETE_NONE, cmd_op },
	{ "task-retry", NULL, "", "re-run the marked failed or canceled OTA tasks",
	  COMPLETE_NONE, cmd_op },
	{ "firmware-delete", NULL, "", "delete the firmware under the cursor (its name typed)",
	  COMPLETE_NONE, cmd_op },
	{ "ota-verify", NULL, "FIRMWAREID | NAME...", "verify a firmware on the marked devices "
	  "(devices pane) or on the devices named (firmware pane); at most 10", COMPLETE_NONE,
	  cmd_op },
	{ "ota-upgrade", NULL, "[FIRMWAREID]", "an upgrade job from a form: the firmware under "
	  "the cursor, or FIRMWAREID on the marked devices", COMPLETE_NONE, cmd_op },
	{ "ota-upload", NULL, "[FILE]", "upload a firmware: the file (Tab completes), a form, a "
	  "progress bar", COMPLETE_FILE, cmd_op },
	{ "mark", NULL, "all", "mark every row the filter shows", COMPLETE_NONE, cmd_mark },
	{ "unmark", NULL, "all", "unmark every row the filter shows", COMPLETE_NONE, cmd_mark },
	{ "ops", "operations", "", "the operations (writes) of this session, live",
	  COMPLETE_NONE, cmd_ops },
	{ "region", NULL, "[REGIONID]", "show or change the region (a default endpoint follows)",
	  COMPLETE_NONE, cmd_region },
	{ "profile", NULL, "[NAME]", "show, or switch to another vault profile (asks its "
	  "passphrase)", COMPLETE_NONE, cmd_profile },
	{ "stats", NULL, "", "what the API budget is spent on: rates, throttling, latency",
	  COMPLETE_NONE, cmd_stats },
	{ "reload", NULL, "", "read the theme, keymap and config file again", COMPLETE_NONE,
	  cmd_reload },
	{ "help", NULL, "", "the keys of this pane and these commands", COMPLETE_NONE, cmd_help },
	{ "quit", "q", "", "leave (asks while a write is in flight)", COMPLETE_NONE, cmd_quit },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0 ||
		    (commands[i].alias != NULL && strcmp(commands[i].alias, name) == 0))
			return &commands[i];
	return NULL;
}

int
commands_run(struct ui *ui, const char *line)
{
	char *cmd = xstrdup(line), *arg, *end, *start;
	const struct command *c;
	int rc = 0;

	for (start = cmd; *start == ' '; start++)
		;
	arg = strchr(start, ' ');
	if (arg != NULL) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
	} else
		arg = start + strlen(start);
	end = arg + strlen(arg);
	while (end > arg && end[-1] == ' ')
		*--end = '\0';
	if (*start == '\0') {
		/* nothing typed */
	} else if ((c = find(start)) == NULL) {
		ui_error(ui, "unknown command ':%s' (:help lists them)", start);
		rc = -1;
	} else
		rc = c->run(ui, start, arg);
	free(cmd);
	return rc;
}

/* The longest common prefix of a and b[0..*len): shortens *len. */
static void
common_prefix(const char *a, const char *b, size_t *len)
{
	size_t i;

	for (i = 0; i < *len && a[i] != '\0' && a[i] == b[i]; i++)
		;
	*len = i;
}

/* The last word of an operation command's arguments, from the thing model. */
static char *
complete_tsl(struct ui *ui, const char *cmd, const char *text, const char *args, char **list)
{
	const char *word = strrchr(args, ' ');
	char **words = NULL, **notes = NULL, *before, *safe;
	struct buf b = BUF_INIT, out = BUF_INIT;
	size_t n, i, len = 0, wlen, count = 0, best = 0;

	word = word != NULL ? word + 1 : args;
	wlen = strlen(word);
	before = xstrndup(args, (size_t)(word - args));
	n = uiops_candidates(ui, cmd, before, &words, &notes);
	free(before);
	for (i = 0; i < n; i++) {
		if (strncmp(words[i], word, wlen) != 0)
			continue;
		if (count++ == 0) {
			best = i;
			len = strlen(words[i]);
		} else
			common_prefix(words[i], words[best], &len);
		safe = safetext_dup(words[i], strlen(words[i]));
		buf_addf(&b, "%s  %s\n", safe, notes[i] != NULL ? notes[i] : "");
		free(safe);
	}
	if (count > 0) {
		buf_add(&out, text, (size_t)(word - text));
		buf_add(&out, words[best], len);
		if (count > 1)
			*list = buf_detach(&b);
	}
	for (i = 0; i < n; i++) {
		free(words[i]);
		free(notes[i]);
	}
	free(words);
	free(notes);
	buf_free(&b);
	if (count == 0) {
		buf_free(&out);
		if (n == 0)
			ui_message(ui, "no candidates yet (the thing model is on its way)");
		return NULL;
	}
	return buf_detach(&out);
}

char *
commands_complete(struct ui *ui, const char *text, char **list)
{
	const char *sp = strchr(text, ' '), *word, *best = NULL;
	const struct known *k = ui_known(ui);
	const struct command *c;
	struct buf b = BUF_INIT, out = BUF_INIT;
	size_t i, n = 0, len = 0, first, count, wlen;
	char *safe;

	*list = NULL;
	if (sp == NULL) {
		/* The command word. */
		wlen = strlen(text);
		for (i = 0; i < NCOMMANDS; i++) {
			if (strncmp(commands[i].name, text, wlen) != 0)
				continue;
			if (best == NULL) {
				best = commands[i].name;
				len = strlen(best);
			} else
				common_prefix(commands[i].name, best, &len);
			buf_addf(&b, ":%s %s\n", commands[i].name, commands[i].args);
			n++;
		}
		if (n == 0) {
			buf_free(&b);
			return NULL;
		}
		buf_add(&out, best, len);
		if (n == 1)
			buf_addc(&out, ' ');
	} else {
		/* The argument: a ProductKey, where the command takes one. */
		char *name = xstrndup(text, (size_t)(sp - text));
		c = find(name);
		free(name);
		if (c != NULL && c->complete == COMPLETE_TSL) {
			buf_free(&b);
			return complete_tsl(ui, c->name, text, sp + 1, list);
		}
		if (c != NULL && c->complete == COMPLETE_FILE) {
			buf_free(&b);
			return fwupload_complete(text, sp + 1, list);
		}
		if (c == NULL || c->complete != COMPLETE_PRODUCT) {
			buf_free(&b);
			return NULL;
		}
		word = sp + 1;
		while (*word == ' ')
			word++;
		wlen = strlen(word);
		first = known_prefix(k, word, &count);
		if (count == 0) {
			buf_free(&b);
			return NULL;
		}
		best = k->v[first].key;
		len = strlen(best);
		for (i = first; i < first + count; i++) {
			common_prefix(k->v[i].key, best, &len);
			safe = safetext_dup(k->v[i].key, strlen(k->v[i].key));
			buf_addf(&b, "%s  %s\n", safe, k->v[i].name != NULL ? k->v[i].name : "");
			free(safe);
		}
		n = count;
		buf_add(&out, text, (size_t)(word - text));
		buf_add(&out, best, len);
		if (n == 1 && c == find("device"))
			buf_addc(&out, '/');
	}
	if (n > 1)
		*list = buf_detach(&b);
	buf_free(&b);
	return buf_detach(&out);
}

void
commands_help(struct overlay *o)
{
	struct buf line = BUF_INIT, head = BUF_INIT;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		buf_reset(&line);
		buf_reset(&head);
		buf_addf(&head, ":%s%s%s %s", commands[i].name, commands[i].alias ? " :" : "",
		    commands[i].alias ? commands[i].alias : "", commands[i].args);
		buf_adds(&line, "  ");
		text_fit(&line, buf_str(&head), 34, 1, 0);
		buf_adds(&line, "  ");
		buf_adds(&line, commands[i].help);
		overlay_add(o, buf_str(&line));
	}
	buf_free(&line);
	buf_free(&head);
}
