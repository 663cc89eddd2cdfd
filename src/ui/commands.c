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

/* What a view's command takes (the arg column of panes.def). */
enum cmd_arg {
	CMD_ARG_NONE,		/* nothing */
	CMD_ARG_PRODUCT,	/* a ProductKey, or nothing */
	CMD_ARG_PRODUCT_OR_LAST,/* a ProductKey, else the last product opened */
	CMD_ARG_DEVICE,		/* PRODUCTKEY/DEVICENAME */
	CMD_ARG_ID,		/* an id (GroupId, JobId) */
	CMD_ARG_ID_OR_PRODUCT	/* an id (FirmwareId), or a ProductKey */
};

/* One command: a view's (view, arg), one with arguments (run) or one without (act). */
struct command {
	const char         *name;	/* as typed (NULL: a view without a command) */
	const char         *alias;	/* another name, or NULL */
	const char         *args;	/* the arguments, for :help ("" when none) */
	const char         *help;	/* what it does, one line */
	enum complete_kind  complete;	/* what its argument completes */
	enum ui_view        view;	/* the view it opens (when run and act are NULL) */
	enum cmd_arg        arg;	/* what the view's argument is */
	int               (*run)(struct ui *ui, const char *name, const char *arg);
	void              (*act)(struct ui *ui);	/* a command without arguments */
};

/* A view's command: its argument made a pane_arg (what its arg column in panes.def says
 * it is), then ui_navigate. */
static int
run_view(struct ui *ui, const char *name, enum ui_view v, enum cmd_arg kind, const char *arg,
    int from_key)
{
	struct pane_arg a = { 0 };
	const char *slash = strchr(arg, '/');
	char *pk = NULL;

	switch (kind) {
	case CMD_ARG_NONE:
		break;
	case CMD_ARG_PRODUCT:
		a.product_key = *arg != '\0' ? arg : NULL;
		break;
	case CMD_ARG_PRODUCT_OR_LAST:
		a.product_key = *arg != '\0' ? arg : ui_last_product(ui);
		if (a.product_key == NULL && from_key) {
			ui_message(ui, "open a product first (Enter on a product)");
			return -1;
		}
		if (a.product_key == NULL) {
			ui_error(ui, ":%s needs a ProductKey (no product opened yet)", name);
			return -1;
		}
		break;
	case CMD_ARG_DEVICE:
		if (slash == NULL || slash == arg || slash[1] == '\0') {
			ui_error(ui, ":%s needs PRODUCTKEY/DEVICENAME", name);
			return -1;
		}
		a.product_key = pk = xstrndup(arg, (size_t)(slash - arg));
		a.device_name = slash + 1;
		break;
	case CMD_ARG_ID:
	case CMD_ARG_ID_OR_PRODUCT:
		if (*arg == '\0') {
			ui_error(ui, ":%s needs an id", name);
			return -1;
		}
		/* A ProductKey (a known one, or 11 characters: FirmwareIds are longer). */
		if (kind == CMD_ARG_ID_OR_PRODUCT && (known_product_name(ui_known(ui), arg) != NULL ||
		    strlen(arg) == PRODUCT_KEY_LEN))
			a.product_key = arg;
		else
			a.id = arg;
		break;
	}
	ui_navigate(ui, v, &a);
	free(pk);
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

static const struct command commands[] = {
	/* The views' commands (panes.def); a view without one has a NULL name. */
#define UI_VIEW(id, ops, title, crumb, parent, action, command, alias_, args_, help_, \
    complete_, arg_) \
	{ .name = command, .alias = alias_, .args = args_, .help = help_, \
	  .complete = complete_, .view = UI_V_##id, .arg = arg_ },
#include "ui/panes.def"
#undef UI_VIEW
	{ .name = "set", .args = "[ID=VALUE ...]",
	  .help = "set properties of the marked devices (or this one); alone: a form",
	  .complete = COMPLETE_TSL, .run = cmd_op },
	{ .name = "invoke", .args = "[SERVICE [ARG=VALUE ...]]",
	  .help = "invoke a service; alone: pick one, then a form",
	  .complete = COMPLETE_TSL, .run = cmd_op },
	{ .name = "desired", .args = "[ID=VALUE ...]",
	  .help = "set desired property values (at the current version)",
	  .complete = COMPLETE_TSL, .run = cmd_op },
	{ .name = "enable", .args = "",
	  .help = "enable the marked devices (or this one)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "disable", .args = "",
	  .help = "disable the marked devices (or this one)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "delete", .args = "",
	  .help = "delete the marked devices (or this one): type the name or count",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "nickname", .args = "TEXT",
	  .help = "set the nickname (4-32 characters, a Chinese one counts 2)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "group-add", .args = "GROUPID",
	  .help = "add the marked devices (or this one) to a group",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "group-remove", .args = "GROUPID",
	  .help = "remove the marked devices (or this one) from a group",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "group-create", .args = "NAME [DESCRIPTION]",
	  .help = "create a group (in a group: a subgroup)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "group-delete", .args = "",
	  .help = "delete the group under the cursor (groups pane)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "job-cancel",
	  .args = "[queued notified unconfirmed scheduled in-progress]",
	  .help = "cancel an OTA job's tasks in those states (default: all but in-progress)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "job-retry", .args = "[canceled]",
	  .help = "re-run an OTA job's failed (and canceled) tasks",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "task-confirm", .args = "",
	  .help = "confirm the marked OTA tasks (waiting for confirmation)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "task-cancel", .args = "",
	  .help = "cancel the marked OTA tasks",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "task-retry", .args = "",
	  .help = "re-run the marked failed or canceled OTA tasks",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "firmware-delete", .args = "",
	  .help = "delete the firmware under the cursor (its name typed)",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "ota-verify", .args = "FIRMWAREID | NAME...",
	  .help = "verify a firmware on the marked devices (devices pane) or on the devices "
	      "named (firmware pane); at most 10",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "ota-upgrade", .args = "[FIRMWAREID]",
	  .help = "an upgrade job from a form: the firmware under the cursor, or FIRMWAREID "
	      "on the marked devices",
	  .complete = COMPLETE_NONE, .run = cmd_op },
	{ .name = "ota-upload", .args = "[FILE]",
	  .help = "upload a firmware: the file (Tab completes), a form, a progress bar",
	  .complete = COMPLETE_FILE, .run = cmd_op },
	{ .name = "mark", .args = "all",
	  .help = "mark every row the filter shows",
	  .complete = COMPLETE_NONE, .run = cmd_mark },
	{ .name = "unmark", .args = "all",
	  .help = "unmark every row the filter shows",
	  .complete = COMPLETE_NONE, .run = cmd_mark },
	{ .name = "region", .args = "[REGIONID]",
	  .help = "show or change the region (a default endpoint follows)",
	  .complete = COMPLETE_NONE, .run = cmd_region },
	{ .name = "profile", .args = "[NAME]",
	  .help = "show, or switch to another vault profile (asks its passphrase)",
	  .complete = COMPLETE_NONE, .run = cmd_profile },
	{ .name = "stats", .args = "",
	  .help = "what the API budget is spent on: rates, throttling, latency",
	  .complete = COMPLETE_NONE, .act = ui_show_stats },
	{ .name = "reload", .args = "",
	  .help = "read the theme, keymap and config file again",
	  .complete = COMPLETE_NONE, .act = ui_reload_config },
	{ .name = "help", .args = "",
	  .help = "the keys of this pane and these commands",
	  .complete = COMPLETE_NONE, .act = ui_show_help },
	{ .name = "quit", .alias = "q", .args = "",
	  .help = "leave (asks while a write is in flight)",
	  .complete = COMPLETE_NONE, .act = ui_ask_quit },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].name == NULL)
			continue;
		else if (strcmp(commands[i].name, name) == 0 ||
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
	} else if (c->run != NULL)
		rc = c->run(ui, start, arg);
	else if (c->act != NULL)
		c->act(ui);
	else
		rc = run_view(ui, start, c->view, c->arg, arg, 0);
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
			if (commands[i].name == NULL || strncmp(commands[i].name, text, wlen) != 0)
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

int
commands_view_action(struct ui *ui, enum ui_action a)
{
	static const enum ui_action opens[UI_V_COUNT] = {
#define UI_VIEW(id, ops, title, crumb, parent, action, command, alias, args, help, complete, \
    arg) [UI_V_##id] = UI_A_##action,
#include "ui/panes.def"
#undef UI_VIEW
	};
	size_t i;

	if (a == UI_A_NONE)
		return 0;
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].name != NULL && commands[i].run == NULL &&
		    commands[i].act == NULL && opens[commands[i].view] == a) {
			run_view(ui, commands[i].name, commands[i].view, commands[i].arg, "", 1);
			return 1;
		}
	return 0;
}

void
commands_help(struct overlay *o)
{
	struct buf line = BUF_INIT, head = BUF_INIT;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].name == NULL)
			continue;
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
