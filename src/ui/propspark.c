/* propspark.c — one device property's recent values as a line (propspark.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/model.h"
#include "core/clock.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/pane_history.h"
#include "ui/propspark.h"
#include "ui/sparkline.h"
#include "ui/text.h"
#include "ui/theme.h"

/* The most values it shows (one page of QueryDevicePropertyData). */
#define SPARK_MAX HISTORY_PAGE_MAX

/* One value. */
struct spark_value {
	double  v;		/* the value (NAN: not a number) */
	char   *raw;		/* its text as the API sent it (owned) */
};

struct propspark {
	char    *product_key;	/* the device (owned) */
	char    *device_name;
	intptr_t kind;		/* udata of its requests */
	char    *id;		/* the property it follows (owned), or NULL */
	char    *unit;		/* its unit (raw, owned), or NULL */
	int64_t  last_time;	/* the Time of its latest report known */
	int64_t  asked_time;	/* that Time when the values were asked for */
	double   due;		/* when to ask (0: not due) */
	uint64_t req;		/* the request out (0: none) */
	int      state;		/* 0 not loaded, 1 values holds them, -1 the request failed */
	struct spark_value values[SPARK_MAX];	/* oldest first */
	size_t   n;		/* how many */
	int      dirty;		/* the line needs drawing */
};

struct propspark *
propspark_new(const char *product_key, const char *device_name, intptr_t kind)
{
	struct propspark *s = xcalloc(1, sizeof *s);

	s->product_key = xstrdup(product_key);
	s->device_name = xstrdup(device_name);
	s->kind = kind;
	s->last_time = s->asked_time = MODEL_NONE;
	s->dirty = 1;
	return s;
}

static void
clear_values(struct propspark *s)
{
	while (s->n > 0)
		free(s->values[--s->n].raw);
	s->state = 0;
}

void
propspark_free(struct propspark *s)
{
	if (s == NULL)
		return;
	clear_values(s);
	free(s->product_key);
	free(s->device_name);
	free(s->id);
	free(s->unit);
	free(s);
}

void
propspark_reset(struct propspark *s, struct pane *p)
{
	if (s->req != 0)
		worker_cancel(ui_worker(p->ui), s->req);
	s->req = 0;
	clear_values(s);
	free(s->id);
	free(s->unit);
	s->id = s->unit = NULL;
	s->due = 0;
	s->last_time = s->asked_time = MODEL_NONE;
	s->dirty = 1;
}

void
propspark_follow(struct propspark *s, struct pane *p, const char *identifier,
    const char *unit, int64_t time_ms, double now)
{
	if (identifier == NULL ? s->id == NULL : s->id != NULL && strcmp(identifier, s->id) == 0)
		return;
	propspark_reset(s, p);
	if (identifier == NULL)
		return;
	s->id = xstrdup(identifier);
	s->unit = unit != NULL && *unit != '\0' ? xstrdup(unit) : NULL;
	s->last_time = time_ms;
	s->due = now + PROPSPARK_DEBOUNCE;
}

void
propspark_reported(struct propspark *s, const char *identifier, int64_t time_ms, double now)
{
	if (s->id == NULL || strcmp(s->id, identifier) != 0)
		return;
	s->last_time = time_ms;
	if (s->state != 0 && s->req == 0 && s->due == 0 && time_ms != s->asked_time)
		s->due = now;
}

void
propspark_refresh(struct propspark *s, double now)
{
	if (s->id != NULL && s->req == 0)
		s->due = now;
}

double
propspark_tick(struct propspark *s, struct pane *p, double now)
{
	struct params q = PARAMS_INIT;
	int64_t wall;

	if (s->due == 0 || s->req != 0)
		return 3600;
	if (now < s->due)
		return s->due - now;
	s->due = 0;
	s->asked_time = s->last_time;
	wall = clock_wall_ms();
	history_params(&q, s->product_key, s->device_name, s->id, wall - HISTORY_WINDOW_MS,
	    wall, SPARK_MAX);
	s->req = ui_request(p, ACT_QueryDevicePropertyData, &q, WORKER_INTERACTIVE, s->kind);
	params_free(&q);
	return 3600;
}

int
propspark_result(struct propspark *s, struct pane *p, const struct worker_result *r)
{
	struct jsonpath_list list;
	struct spark_value *sv;
	const char *value;
	int64_t ms, next;
	char *end;
	size_t i;

	if ((intptr_t)r->udata != s->kind)
		return 0;
	if (r->id != s->req)
		return 1;	/* of a property it left */
	s->req = 0;
	s->dirty = 1;
	clear_values(s);
	if (r->status != API_OK) {
		ui_api_error(p->ui, r->action, r);
		s->state = -1;
		return 1;
	}
	history_page(r->json, &list, &next);
	/* Newest first in the answer, oldest first on screen. */
	for (i = list.count < SPARK_MAX ? list.count : SPARK_MAX; i-- > 0;) {
		if (history_item(list.items[i], &value, &ms) != 0 || value == NULL)
			continue;
		sv = &s->values[s->n++];
		sv->raw = xstrdup(value);
		sv->v = strtod(value, &end);	/* LC_NUMERIC is "C" (main.c) */
		if (end == value || *end != '\0' || !isfinite(sv->v))
			sv->v = NAN;
	}
	jsonpath_list_free(&list);
	s->state = 1;
	return 1;
}

int
propspark_dirty(const struct propspark *s)
{
	return s->dirty;
}

/* Appends "min 85.5  max 285  last 216.3 V" for the values from first on (display-safe;
 * nothing when none is a number). */
static void
stats(struct buf *b, const struct propspark *s, size_t first)
{
	static const char *const what[3] = { "min ", "max ", "last " };
	double vals[SPARK_MAX], min, max;
	size_t i, at[3];
	const char *raw;
	char *safe;

	for (i = first; i < s->n; i++)
		vals[i - first] = s->values[i].v;
	if (sparkline_range(vals, s->n - first, &min, &max, &at[0], &at[1]) == 0)
		return;
	at[2] = s->n - 1 - first;
	for (i = 0; i < 3; i++) {
		raw = s->values[first + at[i]].raw;
		safe = safetext_excerpt(raw, strlen(raw), 16);
		buf_addf(b, "%s%s%s", i ? "  " : "", what[i], safe);
		free(safe);
	}
	if (s->unit != NULL) {
		safe = safetext_excerpt(s->unit, strlen(s->unit), 16);
		buf_addf(b, " %s", safe);
		free(safe);
	}
}

void
propspark_draw(struct propspark *s, const struct ui *ui, WINDOW *w, int y, int width,
    const char *label, int label_cols)
{
	struct buf b = BUF_INIT, st = BUF_INIT;
	const char *hint = NULL;
	double vals[SPARK_MAX];
	int cols = width - label_cols, nbars;
	size_t i, first;

	s->dirty = 0;
	wmove(w, y, 0);
	wattrset(w, ui_attr(ui, UI_E_DEFAULT));
	wclrtoeol(w);
	wattrset(w, ui_attr(ui, UI_E_DIM));
	text_fit(&b, label, label_cols, 1, 0);
	waddstr(w, buf_str(&b));
	buf_reset(&b);
	if (s->id == NULL)
		hint = "(the recent values of a numeric property)";
	else if (s->state < 0)
		hint = "not available (e shows why)";
	else if (s->state == 0)
		hint = "loading\xE2\x80\xA6";
	else if (s->n == 0)
		hint = "no values in the last 24 hours";
	if (hint != NULL || cols < 8) {
		text_fit(&b, hint != NULL ? hint : "", cols > 0 ? cols : 0, 0, 0);
		waddstr(w, buf_str(&b));
		buf_free(&b);
		return;
	}
	/* As many of the newest values as fit beside their min, max and last; without those
	 * when fewer than eight bars would fit. */
	stats(&st, s, 0);
	nbars = cols - 2 - text_width(buf_str(&st));
	if (nbars < 8 && nbars < (int)s->n) {
		buf_reset(&st);
		nbars = cols;
	}
	first = (size_t)nbars < s->n ? s->n - (size_t)nbars : 0;
	if (st.len > 0 && first > 0) {
		/* The min, max and last of fewer values may be wider ("max 379.8" for "max
		 * 99.1"): fewer bars then, so the line keeps its unit. */
		for (i = 0; i < 3; i++) {
			int over;
			buf_reset(&st);
			stats(&st, s, first);
			over = (int)(s->n - first) + 2 + text_width(buf_str(&st)) - cols;
			if (over <= 0)
				break;
			first += (size_t)over;
			if (first >= s->n) {
				first = s->n - 1;
				break;
			}
		}
	}
	for (i = first; i < s->n; i++)
		vals[i - first] = s->values[i].v;
	sparkline_render(&b, vals, s->n - first);
	wattrset(w, ui_attr(ui, UI_E_DEFAULT));
	waddstr(w, buf_str(&b));
	if (st.len > 0) {
		/* The min, max and last of the bars drawn. */
		if (first > 0) {
			buf_reset(&st);
			stats(&st, s, first);
		}
		buf_reset(&b);
		text_fit(&b, buf_str(&st), cols - (int)(s->n - first) - 2, 0, 0);
		waddstr(w, "  ");
		waddstr(w, buf_str(&b));
	}
	buf_free(&b);
	buf_free(&st);
}
