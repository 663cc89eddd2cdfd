/* plan_cmd.c — the : commands of the operations (:set, :invoke, :desired, :enable,
 * :disable, :delete, :nickname, :group-add/-remove/-create/-delete), the operations menu
 * (a) and the completion of their words: each command's words are checked and made into a
 * plan (plan.c), which then moves on by itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/model.h"
#include "api/tslvalue.h"
#include "core/xmalloc.h"
#include "ui/form.h"
#include "ui/otaops.h"
#include "ui/pane_group.h"
#include "ui/plan_impl.h"
#include "ui/table.h"

static void
words_free(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

/* Splits arg into words: spaces separate, "double quotes" keep spaces (\" and \\ inside).
 * Returns a caller-freed array of n caller-freed words, or NULL with *cause. */
static char **
split_words(const char *arg, size_t *n, char **cause)
{
	char **v = NULL;
	struct buf w = BUF_INIT;
	const char *s = arg;
	int quoted;

	*n = 0;
	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		buf_reset(&w);
		quoted = 0;
		for (; *s != '\0' && (quoted || *s != ' '); s++) {
			if (*s == '"')
				quoted = !quoted;
			else if (quoted && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
				buf_addc(&w, *++s);
			else
				buf_addc(&w, *s);
		}
		if (quoted) {
			words_free(v, *n);
			buf_free(&w);
			*cause = xstrdup("a \" is not closed");
			*n = 0;
			return NULL;
		}
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(buf_str(&w));
	}
	buf_free(&w);
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	return v;
}

static int
verb_find(const char *name)
{
	return uiops_verb_find(plan_verbs, V_COUNT, name);
}

int
uiops_is_command(const char *name)
{
	return verb_find(name) >= 0 || otaops_is_command(name);
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
		return otaops_command(ui, name, arg);
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
	if (plan_verbs[v].where == S_DEVICES) {
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

static void
menu_picked(struct ui *ui, const struct uiops_verb *v)
{
	char *text;

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
	struct ui_target *t = NULL;
	char *title;
	size_t nt = 0, n = 0;
	int marked = 0, v, idx[V_COUNT];
	enum scope scope;

	if (otaops_menu(ui))
		return;		/* an OTA pane: its own operations */
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
	for (v = 0; v < V_COUNT; v++)
		if (plan_verbs[v].where == (int)scope &&
		    (v != V_GROUP_DELETE || p->ops == &pane_groups_ops))
			idx[n++] = v;
	title = scope == S_GROUPS ? xstrdup("Operations") :
	    xasprintf("Operations on %zu %sdevice%s", nt, marked ? "marked " : "",
	    nt == 1 ? "" : "s");
	uiops_verb_menu(ui, title, plan_verbs, idx, n, menu_picked);
	free(title);
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
	e = t[0].product_key != NULL ? uiops_tsl_get(ui, t[0].product_key) : NULL;
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

