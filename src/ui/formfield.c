/* formfield.c — a form's fields without the drawing (formfield.h). */
#include "ui/formfield.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/keys.h"

void
formfields_init(struct formfields *ff)
{
	ff->v = NULL;
	ff->n = 0;
}

void
formfields_free(struct formfields *ff)
{
	size_t i;

	for (i = 0; i < ff->n; i++) {
		struct formfield *f = &ff->v[i];

		free(f->id);
		free(f->path);
		free(f->name);
		free(f->type);
		free(f->current);
		free(f->error);
		lineedit_free(&f->edit);
	}
	free(ff->v);
	formfields_init(ff);
}

/* The kind of field a type is edited in; structured: a struct may be a heading. */
static enum formfield_kind
kind_of(const struct tsl_datatype *dt, int structured)
{
	switch (dt->type) {
	case TSL_TYPE_BOOL:
		return FORMFIELD_CHOICE;
	case TSL_TYPE_ENUM:
		/* An enum without its values is typed (any integer is then taken). */
		return dt->enum_count > 0 ? FORMFIELD_CHOICE : FORMFIELD_TEXT;
	case TSL_TYPE_STRUCT:
		return structured && dt->member_count > 0 ? FORMFIELD_STRUCT : FORMFIELD_JSON;
	case TSL_TYPE_ARRAY:
		return FORMFIELD_JSON;
	default:
		return FORMFIELD_TEXT;
	}
}

/* Appends a field; returns its index. */
static size_t
add(struct formfields *ff, const struct tsl_datatype *dt, const char *id, const char *path,
    const char *name, int parent)
{
	struct formfield *f;

	ff->v = xreallocarray(ff->v, ff->n + 1, sizeof *ff->v);
	f = &ff->v[ff->n];
	memset(f, 0, sizeof *f);
	f->kind = kind_of(dt, parent < 0);
	f->dt = dt;
	f->id = xstrdup(id);
	f->path = xstrdup(path);
	f->name = name != NULL && *name != '\0' ? xstrdup(name) : NULL;
	f->type = tslvalue_describe(dt);
	f->parent = parent;
	f->choice = -1;
	lineedit_init(&f->edit, FORMFIELD_MAX);
	return ff->n++;
}

/* Adds a field for a value of type dt, and the fields of its members when it is a
 * structured struct. current is its value as the API sent it (or NULL). */
static void
add_value(struct formfields *ff, const struct tsl_datatype *dt, const char *id,
    const char *name, const char *current, int time_style)
{
	size_t h = add(ff, dt, id, id, name, -1), i, m;
	const struct tsl_datatype *mdt;
	cJSON *v, *root = NULL;
	char *path;

	if (current != NULL) {
		v = cJSON_CreateString(current);
		ff->v[h].current = tslvalue_show(dt, v, time_style);
		cJSON_Delete(v);
	}
	if (ff->v[h].kind != FORMFIELD_STRUCT)
		return;
	if (current != NULL && (root = cJSON_Parse(current)) != NULL)
		jsonout_keep_number_text(root, current, strlen(current));
	for (i = 0; i < dt->member_count; i++) {
		if (dt->members[i].identifier == NULL)
			continue;
		mdt = &dt->members[i].type;
		path = xasprintf("%s.%s", id, dt->members[i].identifier);
		m = add(ff, mdt, dt->members[i].identifier, path, dt->members[i].name, (int)h);
		free(path);
		ff->v[h].members++;
		v = cJSON_IsObject(root) ?
		    cJSON_GetObjectItemCaseSensitive(root, dt->members[i].identifier) : NULL;
		if (v != NULL)
			ff->v[m].current = tslvalue_show(mdt, v, time_style);
	}
	if (ff->v[h].members == 0)	/* no member has an identifier: typed as JSON */
		ff->v[h].kind = FORMFIELD_JSON;
	else if (ff->v[h].current != NULL && cJSON_IsObject(root)) {
		/* The members show their own values. */
		free(ff->v[h].current);
		ff->v[h].current = NULL;
	}
	cJSON_Delete(root);
}

size_t
formfields_add_properties(struct formfields *ff, const struct model_tsl *t,
    formfield_value_fn *value_of, void *ctx, int time_style)
{
	const struct tsl_property *p;
	size_t i, added = 0;
	char *cur;

	for (i = 0; i < t->property_count; i++) {
		p = &t->properties[i];
		if (p->identifier == NULL || p->access == TSL_ACCESS_READ)
			continue;
		cur = value_of != NULL ? value_of(ctx, p->identifier) : NULL;
		add_value(ff, &p->type, p->identifier, p->name, cur, time_style);
		free(cur);
		added++;
	}
	return added;
}

void
formfields_add_params(struct formfields *ff, const struct tsl_param *params, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (params[i].identifier != NULL)
			add_value(ff, &params[i].type, params[i].identifier, params[i].name, NULL,
			    0);
}

int
formfield_focusable(const struct formfield *f)
{
	return f->kind != FORMFIELD_STRUCT;
}

int
formfields_empty(const struct formfields *ff, size_t i)
{
	const struct formfield *f = &ff->v[i];
	int k;

	switch (f->kind) {
	case FORMFIELD_CHOICE:
		return f->choice < 0;
	case FORMFIELD_STRUCT:
		for (k = 1; k <= f->members; k++)
			if (!formfields_empty(ff, i + (size_t)k))
				return 0;
		return 1;
	default:
		return *lineedit_text(&f->edit) == '\0';
	}
}

/* ---- choices ------------------------------------------------------------------------ */

size_t
formfield_choices(const struct formfield *f)
{
	if (f->kind != FORMFIELD_CHOICE)
		return 0;
	if (f->dt->enum_count > 0)
		return f->dt->enum_count;
	return 2;	/* a bool the thing model gives no labels for: 0 and 1 */
}

int64_t
formfield_choice_value(const struct formfield *f, size_t i)
{
	return f->dt->enum_count > 0 ? f->dt->enums[i].value : (int64_t)i;
}

const char *
formfield_choice_label(const struct formfield *f, size_t i)
{
	return f->dt->enum_count > 0 ? f->dt->enums[i].name : NULL;
}

void
formfield_choice_text(const struct formfield *f, struct buf *out)
{
	const char *label;
	size_t i;

	if (f->kind != FORMFIELD_CHOICE || f->choice < 0)
		return;
	i = (size_t)f->choice;
	buf_addf(out, "%lld", (long long)formfield_choice_value(f, i));
	label = formfield_choice_label(f, i);
	if (label != NULL && *label != '\0') {
		buf_addc(out, ' ');
		safetext_append(out, label, strlen(label));
	}
}

void
formfield_label(const struct formfield *f, struct buf *out)
{
	safetext_append(out, f->id, strlen(f->id));
	if (f->name != NULL && strcmp(f->name, f->id) != 0) {
		buf_addc(out, ' ');
		safetext_append(out, f->name, strlen(f->name));
	}
}

/* A choice's key; -1 when it is not one. */
static enum lineedit_result
choice_key(struct formfield *f, uint32_t key)
{
	int n = (int)formfield_choices(f), was = f->choice, i;

	if (key == KEYS_ENTER || key == '\r')
		return LINEEDIT_ENTER;
	if (key == KEYS_ESC || key == 0x07)
		return LINEEDIT_CANCEL;
	if (key == ' ' || key == (KEYS_CODE | KEY_RIGHT) || key == 0x06 /* C-f */)
		f->choice = f->choice + 1 < n ? f->choice + 1 : -1;
	else if (key == (KEYS_CODE | KEY_LEFT) || key == 0x02 /* C-b */)
		f->choice = f->choice < 0 ? n - 1 : f->choice - 1;
	else if (key == (KEYS_CODE | KEY_BACKSPACE) || key == 0x08 ||
	    key == (KEYS_CODE | KEY_DC) || key == 0x04 /* C-d */)
		f->choice = -1;
	else if (key >= '0' && key <= '9') {
		for (i = 0; i < n; i++)
			if (formfield_choice_value(f, (size_t)i) == (int64_t)(key - '0'))
				f->choice = i;
	} else
		return LINEEDIT_IGNORED;
	return f->choice != was ? LINEEDIT_CHANGED : LINEEDIT_MOVED;
}

enum lineedit_result
formfields_key(struct formfields *ff, size_t i, uint32_t key)
{
	struct formfield *f = &ff->v[i];
	enum lineedit_result r;

	switch (f->kind) {
	case FORMFIELD_CHOICE:
		r = choice_key(f, key);
		break;
	case FORMFIELD_STRUCT:
		return LINEEDIT_IGNORED;
	default:
		r = lineedit_key(&f->edit, key);
		break;
	}
	if (r == LINEEDIT_CHANGED) {
		if (f->error != NULL)
			formfields_check(ff, i);
		/* A refused struct is checked again as its members change. */
		if (f->parent >= 0 && ff->v[f->parent].error != NULL)
			formfields_check(ff, (size_t)f->parent);
	}
	return r;
}

/* ---- checks ------------------------------------------------------------------------- */

/* The text field i sends (its own, not a heading's): borrowed, or into tmp. */
static const char *
text_of(const struct formfield *f, char tmp[24])
{
	if (f->kind == FORMFIELD_CHOICE) {
		snprintf(tmp, 24, "%lld", (long long)formfield_choice_value(f, (size_t)f->choice));
		return tmp;
	}
	return lineedit_text(&f->edit);
}

/* Checks a field that is not a heading; *out (may be NULL) gets the value. */
static int
check_one(struct formfield *f, cJSON **out)
{
	char tmp[24], *cause = NULL;
	cJSON *v = NULL;

	xstrset(&f->error, NULL);
	if (out != NULL)
		*out = NULL;
	if ((f->kind == FORMFIELD_CHOICE && f->choice < 0) ||
	    (f->kind != FORMFIELD_CHOICE && *lineedit_text(&f->edit) == '\0'))
		return 0;
	if (tslvalue_parse(f->dt, f->path, text_of(f, tmp), &v, &cause) != 0) {
		f->error = cause;
		return -1;
	}
	if (out != NULL)
		*out = v;
	else
		cJSON_Delete(v);
	return 0;
}

/* The object a heading's members make (NULL when all are empty). -1 when a member, or the
 * whole, is refused (the heading's error says so for the whole). */
static int
build_struct(struct formfields *ff, size_t h, char **text)
{
	struct formfield *f = &ff->v[h];
	cJSON *obj = cJSON_CreateObject(), *v, *checked = NULL;
	char *cause = NULL;
	size_t k;
	int bad = 0, any = 0;

	*text = NULL;
	xstrset(&f->error, NULL);
	for (k = h + 1; k <= h + (size_t)f->members; k++) {
		if (check_one(&ff->v[k], &v) != 0) {
			bad = 1;
			continue;
		}
		if (v != NULL) {
			cJSON_AddItemToObject(obj, ff->v[k].id, v);
			any = 1;
		}
	}
	if (bad || !any) {
		cJSON_Delete(obj);
		return bad ? -1 : 0;
	}
	/* Each member passed; the whole is checked once more as it will be sent. */
	if (tslvalue_check(f->dt, f->path, obj, &checked, &cause) != 0) {
		f->error = cause;
		cJSON_Delete(obj);
		return -1;
	}
	*text = jsonout_print(checked, JSONOUT_COMPACT);
	cJSON_Delete(checked);
	cJSON_Delete(obj);
	return 0;
}

int
formfields_check(struct formfields *ff, size_t i)
{
	char *text;
	int rc;

	if (ff->v[i].kind != FORMFIELD_STRUCT)
		return check_one(&ff->v[i], NULL);
	rc = build_struct(ff, i, &text);
	free(text);
	return rc;
}

size_t
formfields_check_all(struct formfields *ff, size_t *first)
{
	size_t i, bad = 0, at = ff->n;

	for (i = 0; i < ff->n; i++) {
		/* A heading checks its members itself; they are counted on their own. */
		if (ff->v[i].parent >= 0)
			continue;
		formfields_check(ff, i);
	}
	for (i = 0; i < ff->n; i++) {
		if (ff->v[i].error == NULL)
			continue;
		bad++;
		if (at == ff->n)
			at = ff->v[i].kind == FORMFIELD_STRUCT ? i + 1 : i;
	}
	if (first != NULL)
		*first = at;
	return bad;
}

/* ---- what a submit sends ------------------------------------------------------------ */

static void
sets_add(struct formsets *s, const char *id, char *text)
{
	s->ids = xreallocarray(s->ids, s->n + 1, sizeof *s->ids);
	s->texts = xreallocarray(s->texts, s->n + 1, sizeof *s->texts);
	s->ids[s->n] = xstrdup(id);
	s->texts[s->n] = text;
	s->n++;
}

int
formfields_sets(struct formfields *ff, struct formsets *out)
{
	char tmp[24], *text;
	size_t i;

	memset(out, 0, sizeof *out);
	if (formfields_check_all(ff, NULL) > 0)
		return -1;
	for (i = 0; i < ff->n; i++) {
		struct formfield *f = &ff->v[i];

		if (f->parent >= 0 || formfields_empty(ff, i))
			continue;
		if (f->kind == FORMFIELD_STRUCT) {
			if (build_struct(ff, i, &text) != 0 || text == NULL) {
				free(text);	/* not reached: checked above */
				continue;
			}
			sets_add(out, f->id, text);
		} else
			sets_add(out, f->id, xstrdup(text_of(f, tmp)));
	}
	out->v = xcalloc(out->n + 1, sizeof *out->v);
	for (i = 0; i < out->n; i++) {
		out->v[i].id = out->ids[i];
		out->v[i].text = out->texts[i];
	}
	return 0;
}

void
formsets_free(struct formsets *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->ids[i]);
		free(s->texts[i]);
	}
	free(s->ids);
	free(s->texts);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- the pick list's filter --------------------------------------------------------- */

/* 1 when needle (ASCII case folded) is in hay; *at its offset. */
static int
has(const char *hay, const char *needle, size_t *at)
{
	size_t n = strlen(needle), i, k;

	if (hay == NULL)
		return 0;
	for (i = 0; hay[i] != '\0'; i++) {
		for (k = 0; k < n && hay[i + k] != '\0'; k++) {
			unsigned char a = (unsigned char)hay[i + k], b = (unsigned char)needle[k];
			if (a >= 'A' && a <= 'Z')
				a = (unsigned char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (unsigned char)(b - 'A' + 'a');
			if (a != b)
				break;
		}
		if (k == n) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

size_t
formpick_filter(const char *const *items, const char *const *desc, size_t n,
    const char *filter, size_t *out)
{
	size_t i, m = 0, at;
	int rank;

	if (filter == NULL || *filter == '\0') {
		for (i = 0; i < n; i++)
			out[i] = i;
		return n;
	}
	/* Three passes, one per rank: the list is short (a menu, a thing model's services). */
	for (rank = 0; rank < 3; rank++)
		for (i = 0; i < n; i++) {
			int r;
			if (has(items[i], filter, &at))
				r = at == 0 ? 0 : 1;
			else if (desc != NULL && has(desc[i], filter, &at))
				r = 2;
			else
				continue;
			if (r == rank)
				out[m++] = i;
		}
	return m;
}

/* ---- forms built in code ---------------------------------------------------------------- */

const struct formfield_choice formfield_no_yes[] = { { 0, "no" }, { 1, "yes" }, { 0, NULL } };
const struct formfield_choice formfield_no_yes_default[] = { { 0, "no" },
	{ 1, "yes (the default)" }, { 0, NULL } };

void
formfield_build(struct tsl_service *s, const char *identifier, const struct formfield_def *defs)
{
	const struct formfield_def *d;
	const struct formfield_choice *c;
	struct tsl_datatype *dt;
	struct tsl_param *f;

	s->identifier = xstrdup(identifier);
	for (d = defs; d->id != NULL; d++) {
		s->inputs = xreallocarray(s->inputs, s->input_count + 1, sizeof *s->inputs);
		f = &s->inputs[s->input_count++];
		memset(f, 0, sizeof *f);
		f->identifier = xstrdup(d->id);
		f->name = xstrdup(d->name);
		dt = &f->type;
		dt->type = d->type;
		dt->type_name = xstrdup(model_tsl_type_name(d->type));
		if (d->type == TSL_TYPE_TEXT)
			dt->length = 2048;
		for (c = d->choices; c != NULL && c->name != NULL; c++) {
			dt->enums = xreallocarray(dt->enums, dt->enum_count + 1, sizeof *dt->enums);
			dt->enums[dt->enum_count].value = c->value;
			dt->enums[dt->enum_count].name = xstrdup(c->name);
			dt->enum_count++;
		}
		if (d->min != NULL) {
			dt->min = xstrdup(d->min);
			dt->max = xstrdup(d->max);
			dt->step = xstrdup("1");
		}
		if (d->unit != NULL)
			dt->unit = xstrdup(d->unit);
	}
}
