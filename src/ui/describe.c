/* describe.c — the describe view (see describe.h).
 *
 * DESIGN
 * What the view shows is a list of entries — a heading, a field and its value, a line of
 * raw JSON — kept as display-safe text. The screen is a table of two columns, Field and
 * Value, whose rows are the entries wrapped to the width: rebuilt when the width changes
 * or the detail arrives (a few hundred lines at most), so the table's own keys move,
 * page, search and filter it, and nothing here draws by hand. The column widths are set
 * (min = max) to the widths the text was wrapped to, so the table never cuts a line.
 */
#include "ui/describe.h"
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/actions.h"
#include "api/jsonpath.h"
#include "api/response.h"
#include "core/buf.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/fmt.h"
#include "ui/listpane.h"
#include "ui/text.h"

/* Most fields one JSON item adds, and how deep its objects are followed. */
#define MAX_FIELDS 1000
#define MAX_DEPTH 6
/* Widest the Field column gets. */
#define FIELD_MAX 32

enum entry_kind {
	E_SECTION,	/* a heading */
	E_FIELD,	/* a name and its value */
	E_JSON		/* a line of indented JSON */
};

struct entry {
	enum entry_kind kind;	/* what it is */
	char           *name;	/* display-safe name (E_FIELD), or NULL */
	char           *value;	/* display-safe value, heading or JSON line */
};

struct describe {
	char               *what;	/* what it describes, for the breadcrumb (raw) */
	struct entry       *v;		/* what it shows (owned) */
	size_t              n, cap;	/* entries used, allocated */
	size_t              fixed;	/* entries before the fetched ones (kept on refresh) */
	size_t              nfields;	/* fields the last describe_json added */
	char               *action;	/* the detail to ask for, or NULL */
	struct params       q;		/* its parameters */
	int                 state;	/* 0 nothing to ask, 1 asking, 2 answered, -1 failed */
	struct table_column cols[2];	/* Field, Value: set to the wrap widths (the table
					   borrows them) */
	int                 width;	/* the width the rows were built for (0: rebuild) */
};

enum { KIND_FETCH = 1 };

/* ---- building ------------------------------------------------------------------------ */

struct describe *
describe_new(const char *what)
{
	struct describe *d = xcalloc(1, sizeof *d);

	d->what = what != NULL ? xstrdup(what) : NULL;
	params_init(&d->q);
	d->cols[0] = (struct table_column){ "Field", 5, 5, TABLE_COL_KEEP, 1 };
	d->cols[1] = (struct table_column){ "Value", 5, 5, TABLE_COL_KEEP, 1 };
	return d;
}

static void
entries_truncate(struct describe *d, size_t n)
{
	while (d->n > n) {
		d->n--;
		free(d->v[d->n].name);
		free(d->v[d->n].value);
	}
}

void
describe_free(struct describe *d)
{
	if (d == NULL)
		return;
	entries_truncate(d, 0);
	free(d->v);
	free(d->what);
	free(d->action);
	params_free(&d->q);
	free(d);
}

static void
add(struct describe *d, enum entry_kind kind, const char *name, const char *value)
{
	struct entry *e;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
	}
	e = &d->v[d->n++];
	e->kind = kind;
	e->name = name != NULL ? safetext_dup(name, strlen(name)) : NULL;
	value = value != NULL ? value : "";
	e->value = safetext_dup(value, strlen(value));
	d->width = 0;
}

void
describe_section(struct describe *d, const char *title)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "\xE2\x94\x80\xE2\x94\x80 %s", title);	/* ── */
	add(d, E_SECTION, NULL, buf_str(&b));
	buf_free(&b);
}

void
describe_field(struct describe *d, const char *name, const char *value)
{
	add(d, E_FIELD, name, value);
}

void
describe_row(struct describe *d, const struct table *t, const struct table_row *r)
{
	int c;

	for (c = 0; c < table_columns(t); c++)
		describe_field(d, table_column_def(t, c)->name, r->cells[c]);
}

/* A name that holds a secret: any ending in "Secret" (DeviceSecret, ProductSecret). */
static int
secret_name(const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	return n >= 6 && strcasecmp(name + n - 6, "Secret") == 0;
}

/* Replaces every secret value under item with "(hidden)", wiping the copy it held. */
static void
mask_secrets(cJSON *item, int depth)
{
	cJSON *it, *next;

	if (depth > MAX_DEPTH * 2)
		return;
	for (it = item->child; it != NULL; it = next) {
		next = it->next;
		if (cJSON_IsObject(item) && secret_name(it->string) && !cJSON_IsObject(it) &&
		    !cJSON_IsArray(it)) {
			if (it->valuestring != NULL)
				memset(it->valuestring, 0, strlen(it->valuestring));
			cJSON_ReplaceItemInObjectCaseSensitive(item, it->string,
			    cJSON_CreateString("(hidden)"));
		} else if (cJSON_IsObject(it) || cJSON_IsArray(it))
			mask_secrets(it, depth + 1);
	}
}

/* The text of a scalar: a string as it is, a number as the answer wrote it. */
static char *
scalar_text(const cJSON *it)
{
	if (cJSON_IsString(it))
		return xstrdup(it->valuestring);
	if (cJSON_IsNull(it))
		return xstrdup("");
	return jsonout_print(it, JSONOUT_COMPACT);
}

/* A name that is a time by the API's conventions (GmtCreate, UtcOnline, LastOnlineTime). */
static int
time_name(const char *name)
{
	const char *last = strrchr(name, '.');
	size_t n;

	last = last != NULL ? last + 1 : name;
	n = strlen(last);
	return strncmp(last, "Gmt", 3) == 0 || strncmp(last, "Utc", 3) == 0 ||
	    (n > 4 && strcmp(last + n - 4, "Time") == 0);
}

static void
add_scalar(struct describe *d, const char *name, const cJSON *it)
{
	char *text = scalar_text(it), when[FMT_TIME_MAX];
	struct buf b = BUF_INIT;
	int64_t ms;

	if (time_name(name) && timefmt_parse(text, &ms) == 0) {
		/* the time as every other time is shown, and as the API wrote it */
		buf_addf(&b, "%s  (%s)", fmt_time_ms(ms, when, sizeof when), text);
		describe_field(d, name, buf_str(&b));
	} else
		describe_field(d, name, text);
	d->nfields++;
	buf_free(&b);
	free(text);
}

static int
all_scalars(const cJSON *arr)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsObject(it) || cJSON_IsArray(it))
			return 0;
	return 1;
}

/* The fields of item under name (a prefix; "" at the top). */
static void
flatten(struct describe *d, struct buf *name, const cJSON *item, int depth)
{
	const cJSON *it;
	size_t keep = name->len, i = 0;
	struct buf joined = BUF_INIT;
	char *text;

	if (d->nfields >= MAX_FIELDS)
		return;
	if (depth > MAX_DEPTH || (!cJSON_IsObject(item) && !cJSON_IsArray(item))) {
		if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
			text = jsonout_print(item, JSONOUT_COMPACT);
			describe_field(d, buf_str(name), text);
			free(text);
			d->nfields++;
		} else
			add_scalar(d, buf_str(name), item);
		return;
	}
	if (cJSON_IsArray(item) && all_scalars(item)) {
		cJSON_ArrayForEach(it, item) {
			text = scalar_text(it);
			buf_addf(&joined, "%s%s", i++ ? ", " : "", text);
			free(text);
		}
		describe_field(d, buf_str(name), buf_str(&joined));
		d->nfields++;
		buf_free(&joined);
		return;
	}
	cJSON_ArrayForEach(it, item) {
		if (cJSON_IsArray(item))
			buf_addf(name, "[%zu]", i++);
		else
			buf_addf(name, "%s%s", keep > 0 ? "." : "", it->string != NULL ? it->string : "");
		flatten(d, name, it, depth + 1);
		name->len = keep;
		if (name->data != NULL)
			name->data[keep] = '\0';
	}
}

void
describe_json(struct describe *d, const char *what, const cJSON *obj)
{
	cJSON *copy = cJSON_Duplicate(obj, 1);
	struct buf name = BUF_INIT, title = BUF_INIT;
	char *text, *line, *nl;

	if (copy == NULL)
		return;
	mask_secrets(copy, 0);
	describe_section(d, what);
	d->nfields = 0;
	flatten(d, &name, copy, 0);
	if (d->nfields >= MAX_FIELDS)
		describe_field(d, "\xE2\x80\xA6", "more fields: see the JSON below");
	buf_addf(&title, "%s, raw JSON", what);
	describe_section(d, buf_str(&title));
	text = jsonout_print(copy, JSONOUT_INDENT);
	for (line = text; line != NULL; line = nl) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		add(d, E_JSON, NULL, line);
	}
	free(text);
	cJSON_Delete(copy);
	buf_free(&name);
	buf_free(&title);
}

void
describe_fetch(struct describe *d, const char *action, const struct params *q)
{
	xstrset(&d->action, action);
	params_free(&d->q);
	params_copy(&d->q, q);
	d->fixed = d->n;
}

void
describe_open(struct ui *ui, struct describe *d)
{
	/* The breadcrumb is made first: d is the pane's from the push on. */
	char *what = d->what != NULL ? xstrdup(d->what) : NULL;

	ui_open_with(ui, UI_V_DESCRIBE, &(struct pane_arg){ .label = what }, d);
	free(what);
}

/* ---- what each pane's rows are ------------------------------------------------------- */

/* Where the detail of a pane's row comes from: action with param = the row's raw key. */
static const struct source {
	enum ui_pane kind;	/* the pane */
	const char  *action;	/* the detail action */
	const char  *param;	/* its parameter, the row's key; NULL: made in describe_pane */
} sources[] = {
	{ UI_P_PRODUCTS, ACT_QueryProduct,         "ProductKey" },
	{ UI_P_DEVICES,  ACT_QueryDeviceDetail,    NULL },	/* key: PRODUCTKEY/DEVICENAME */
	{ UI_P_GROUPS,   ACT_QueryDeviceGroupInfo, "GroupId" },
	{ UI_P_FIRMWARE, ACT_QueryOTAFirmware,     "FirmwareId" },
	{ UI_P_JOBS,     ACT_QueryOTAJob,          "JobId" },
	{ UI_P_TASKS,    ACT_ListOTATaskByJob,     NULL },	/* the job's, by the raw DeviceName
							   the row keeps */
};

void
describe_pane(struct pane *p)
{
	struct table_row *r = p->table != NULL ? table_cursor_row(p->table) : NULL;
	const struct source *src = NULL;
	struct params q = PARAMS_INIT;
	struct describe *d;
	const char *slash;
	size_t i;

	if (r == NULL) {
		ui_message(p->ui, "no row to describe");
		return;
	}
	d = describe_new(r->cells[0][0] != '\0' ? r->cells[0] : "row");
	describe_section(d, "the row");
	describe_row(d, p->table, r);
	for (i = 0; i < sizeof sources / sizeof sources[0]; i++)
		if (sources[i].kind == p->ops->kind)
			src = &sources[i];
	if (src != NULL && src->param != NULL)
		params_set(&q, src->param, r->key);
	else if (src != NULL && src->kind == UI_P_DEVICES &&
	    (slash = strchr(r->key, '/')) != NULL) {
		char *pk = xstrndup(r->key, (size_t)(slash - r->key));
		params_set(&q, "ProductKey", pk);
		params_set(&q, "DeviceName", slash + 1);
		free(pk);
	} else if (src != NULL && src->kind == UI_P_TASKS && r->data != NULL) {
		params_set(&q, "JobId", p->arg.id);
		params_set(&q, "DeviceNames.1", r->data);
		params_set(&q, "CurrentPage", "1");
		params_set(&q, "PageSize", "10");
	} else
		src = NULL;
	if (src != NULL)
		describe_fetch(d, src->action, &q);
	params_free(&q);
	describe_open(p->ui, d);
}

/* ---- the pane ------------------------------------------------------------------------ */

static void
ask(struct pane *p)
{
	struct describe *d = p->priv;

	if (d->action == NULL)
		return;
	ui_request(p, d->action, &d->q, WORKER_INTERACTIVE, KIND_FETCH);
	d->state = 1;
	p->progress = 0;
}

static void
describe_pane_open(struct pane *p)
{
	struct describe *d = p->priv;

	p->table = table_new(d->cols, 2);
	p->progress = -1;
	ask(p);
}

static void
describe_pane_close(struct pane *p)
{
	/* The table first: its columns are the describe's (table_new keeps the pointer). */
	table_free(p->table);
	p->table = NULL;
	describe_free(p->priv);
	p->priv = NULL;
}

/* Adds the lines of text wrapped to cols (continuations indented like the first line's
 * leading spaces, up to a third of cols) to lines (one NUL-terminated string each). */
static size_t
wrap(const char *text, int cols, struct buf *lines)
{
	size_t n = 0, len, indent = 0;
	const char *s = text;

	while (s[indent] == ' ')
		indent++;
	if ((int)indent > cols / 3)
		indent = (size_t)(cols / 3);
	do {
		len = text_wrap(s, s == text ? cols : cols - (int)indent);
		if (s != text)
			buf_addf(lines, "%*s", (int)indent, "");
		buf_add(lines, s, len);
		buf_addc(lines, '\0');
		n++;
		s += len;
		if (s != text)
			while (*s == ' ')
				s++;
	} while (*s != '\0');
	return n;
}

/* The i-th NUL-terminated string of b, or "". */
static const char *
nth(const struct buf *b, size_t i, size_t n)
{
	const char *s = b->data;

	if (i >= n || s == NULL)
		return "";
	while (i-- > 0)
		s += strlen(s) + 1;
	return s;
}

/* Wraps the entries to a window width columns wide, into the table. */
static void
build(struct pane *p, int width)
{
	struct describe *d = p->priv;
	struct buf names = BUF_INIT, values = BUF_INIT;
	const char *cells[2];
	char key[24];
	size_t i, j, nn, nv, line = 0, cursor = table_cursor_index(p->table);
	int fw = 5, vw, w;

	for (i = 0; i < d->n; i++)
		if (d->v[i].kind == E_FIELD && (w = text_width(d->v[i].name)) > fw)
			fw = w;
	if (fw > FIELD_MAX)
		fw = FIELD_MAX;
	if (fw > width / 3)
		fw = width / 3 > 5 ? width / 3 : 5;
	vw = width - fw - 2;	/* the marker column, the space between */
	if (vw < 8)
		vw = 8;
	d->cols[0].min = d->cols[0].max = fw;
	d->cols[1].min = d->cols[1].max = vw;
	table_clear(p->table);
	for (i = 0; i < d->n; i++) {
		buf_reset(&names);
		buf_reset(&values);
		nn = d->v[i].name != NULL ? wrap(d->v[i].name, fw, &names) : 0;
		nv = wrap(d->v[i].value, vw, &values);
		for (j = 0; j < nn || j < nv; j++) {
			snprintf(key, sizeof key, "%zu", line++);
			cells[0] = nth(&names, j, nn);
			cells[1] = nth(&values, j, nv);
			table_set(p->table, key, cells, NULL, 0.0);
		}
	}
	buf_free(&names);
	buf_free(&values);
	table_move_to(p->table, cursor);
	d->width = width;
}

static void
describe_pane_draw(struct pane *p, WINDOW *w, int full)
{
	struct describe *d = p->priv;
	struct table_style st;
	int h, wd;

	getmaxyx(w, h, wd);
	if (d->width != wd) {
		build(p, wd);
		full = 1;
	}
	ui_table_style(p->ui, &st);
	table_draw(p->table, w, 0, h, wd, &st, full || p->dirty, clock_mono_s());
}

static int
describe_pane_action(struct pane *p, enum ui_action a)
{
	switch (a) {
	case UI_A_REFRESH:
		ask(p);
		return 1;
	case UI_A_ENTER:
	case UI_A_DESCRIBE:
	case UI_A_SORT_NEXT:
	case UI_A_SORT_PREV:
	case UI_A_SORT_REVERSE:
		return 1;	/* lines have one order */
	default:
		return 0;
	}
}

static int
describe_pane_result(struct pane *p, struct worker_result *r)
{
	struct describe *d = p->priv;
	const char *path;
	struct jsonpath_list l;
	char *err;

	if (r->udata != (void *)KIND_FETCH)
		return 0;
	p->progress = -1;
	entries_truncate(d, d->fixed);
	if (r->status != API_OK) {
		d->state = -1;
		ui_api_error(p->ui, r->action, r);
		err = api_error_format(&r->err);
		describe_section(d, r->action);
		describe_field(d, "error", err);
		free(err);
	} else {
		d->state = 2;
		path = action_get(d->action) != NULL ? action_get(d->action)->list_path : "";
		if (path != NULL && *path != '\0') {
			jsonpath_list(r->json, path, &l);
			if (l.count > 0)
				describe_json(d, d->action, l.items[0]);
			else {
				describe_section(d, d->action);
				describe_field(d, "", "the answer holds no item");
			}
			jsonpath_list_free(&l);
		} else
			describe_json(d, d->action, r->json);
	}
	d->width = 0;
	p->dirty = 1;
	return 0;
}

static void
describe_pane_info(struct pane *p, struct buf *out)
{
	struct describe *d = p->priv;

	buf_addf(out, "describe: %zu lines", table_count(p->table));
	if (d->state == 1)
		buf_addf(out, ", asking %s\xE2\x80\xA6", d->action);
	else if (d->state == -1)
		buf_addf(out, ", %s failed (e shows why)", d->action);
	buf_adds(out, "  \xE2\x94\x82 Esc or q closes");
}

const struct pane_ops pane_describe_ops = {
	.kind = UI_P_DESCRIBE,
	.open = describe_pane_open,
	.close = describe_pane_close,
	.draw = describe_pane_draw,
	.action = describe_pane_action,
	.result = describe_pane_result,
	.info = describe_pane_info,
};
