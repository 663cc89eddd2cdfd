/* form.c — forms generated from the thing model, and the pick list (form.h). The fields,
 * their values, checks and what a submit sends are formfield.c's; this file lays them out,
 * draws them and routes keys.
 *
 * DESIGN
 *
 * Why not ncurses' form and menu libraries (formw, menuw). They were weighed first:
 *   - formw keeps each field's text in its own buffer and edits it with its own driver
 *     (REQ_* requests): a field would not be typed through lineedit.c, the one line editor
 *     the prompt and the unlock screen use, so the keys (readline's), the refusal of
 *     unsafe characters (safetext.h) and the horizontal scrolling would differ in forms.
 *     Its buffers are sized in cells while wide characters take two, so a field of
 *     Chinese text is cut differently from every other field of the console, and
 *     field_buffer hands back blank-padded text to trim. Its validation types
 *     (TYPE_INTEGER, TYPE_NUMERIC, TYPE_REGEXP) are not the thing model's rules (range,
 *     step from min, bytes of text, dates, nested struct/array), which tslvalue.h already
 *     checks with the reason the form must show; the reason lines under a field change
 *     the field's height, which formw's fixed field grid does not allow for.
 *   - menuw shows an item's description beside its name, cut without "…", and matches
 *     typing only as a prefix of names; the pick list shows a line of description under
 *     each item and filters by substring. Its widths do not go through text.h (wcwidth,
 *     the "…" the rest of the console draws).
 *   - Both take their labels as given: every text from the network (names, descriptions,
 *     enum labels, current values) must be made display-safe first anyway, and themed
 *     with elements.def, which they do not know.
 * What is left to write by hand is small: a list of rows of known height with a focus and
 * a scroll offset (the pick list is the same with two rows an item), and no library is
 * added to the build (libformw, libmenuw).
 *
 * Layout (the form covers the pane window; the pick list is a box centred over it): a
 * frame with the title; one label row per field (identifier, name, the type as
 * tslvalue_describe writes it), an input row (typed text, or "< 2 平 >" for a choice; the
 * current value after it), and the reason a value is refused under it, wrapped. A struct
 * is a heading with its members indented under it. The last inner row says which keys
 * apply, or why the last submit was refused. Only the rows in view are drawn; the view
 * follows the focus, and PageUp/PageDown move it a screen at a time.
 *
 * The form draws into a window of its own, touched and copied to the screen last on each
 * turn (after the pane's, which may have redrawn beneath it), and leaves the cursor in
 * the field being typed. It owns copies of everything it shows: the thing model it
 * points into outlives it (form.h), the pane giving current values is read once, at
 * open.
 */
#include "ui/form.h"

#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/config.h"
#include "ui/fmt.h"
#include "ui/formfield.h"
#include "ui/keys.h"
#include "ui/text.h"
#include "ui/ui_impl.h"

/* The most rows a refusal takes under its field. */
#define ERROR_ROWS 3
/* The most rows a type takes under its label when it does not fit beside it. */
#define TYPE_ROWS 2
/* Columns a member is indented under its struct. */
#define MEMBER_INDENT 2

#define KEY_C_S 0x13u	/* C-s: submit */

enum form_kind {
	FORM_FIELDS,	/* a form of fields */
	FORM_PICK	/* a pick list */
};

struct form {
	enum form_kind     kind;	/* what it is */
	char              *title;	/* the title (display-safe) */
	form_done_fn      *done;	/* FORM_FIELDS: called on submit */
	form_check_fn     *check;	/* FORM_FIELDS: asked first (form_check), or NULL */
	form_pick_fn      *picked;	/* FORM_PICK: called with the item picked */
	void              *arg;		/* their argument */
	void             (*free_arg)(void *);	/* frees arg (may be NULL) */
	WINDOW            *w;		/* its window, or NULL until drawn */
	int                dirty;	/* redraw the window */
	int                cursor;	/* the last draw left the cursor where typing goes */

	/* FORM_FIELDS */
	struct formfields  ff;		/* the fields */
	size_t             focus;	/* the field with the focus */
	int                top;		/* first content row in view */
	int                page;	/* content rows at the last draw */
	int                need_one;	/* a submit needs a value (a property form) */
	char              *note;	/* why the last submit was refused (display-safe),
					   or NULL */

	/* FORM_PICK */
	char             **items;	/* the labels (raw, owned) */
	char             **desc;	/* their descriptions (raw, owned; entries may be
					   NULL) */
	size_t             n;		/* items */
	struct lineedit    filter;	/* what is typed to filter */
	size_t            *shown;	/* indexes of the items that match, best first */
	size_t             nshown;	/* how many */
	size_t             sel;		/* the selected one, in shown */
	size_t             first;	/* the first one in view, in shown */
	char              *keys;	/* keys[i] picks item i at once (form_pick_hotkeys),
					   or NULL: typing filters */
};

/* ---- opening and closing ------------------------------------------------------------ */

static struct form *
form_new(struct ui *ui, enum form_kind kind, const char *title, void *arg,
    void (*free_arg)(void *))
{
	struct form *fm = xcalloc(1, sizeof *fm);

	form_close(ui);	/* one form at a time: the one open is cancelled */
	fm->kind = kind;
	fm->title = safetext_dup(title, strlen(title));
	fm->arg = arg;
	fm->free_arg = free_arg;
	fm->dirty = 1;
	fm->page = 1;
	formfields_init(&fm->ff);
	lineedit_init(&fm->filter, 256);
	return fm;
}

/* Frees fm (not its arg). */
static void
form_free(struct form *fm)
{
	size_t i;

	if (fm->w != NULL)
		delwin(fm->w);
	free(fm->title);
	free(fm->note);
	formfields_free(&fm->ff);
	for (i = 0; i < fm->n; i++) {
		free(fm->items[i]);
		free(fm->desc[i]);
	}
	free(fm->items);
	free(fm->desc);
	free(fm->shown);
	free(fm->keys);
	lineedit_free(&fm->filter);
	free(fm);
}

static void
form_show(struct ui *ui, struct form *fm)
{
	ui->form = fm;
	ui->mode = MODE_FORM;
	ui->full = 1;
}

/* Takes the form off the screen; it is the caller's to free. */
static struct form *
form_detach(struct ui *ui)
{
	struct form *fm = ui->form;

	ui->form = NULL;
	if (ui->mode == MODE_FORM)
		ui->mode = MODE_NORMAL;
	ui->full = 1;
	return fm;
}

void
form_close(struct ui *ui)
{
	struct form *fm;

	if (ui->form == NULL)
		return;
	fm = form_detach(ui);
	if (fm->free_arg != NULL)
		fm->free_arg(fm->arg);
	form_free(fm);
}

/* The first focusable field at or after i (dir 1) or at or before it (dir -1); n when
 * none. */
static size_t
focusable_from(const struct formfields *ff, size_t i, int dir)
{
	while (i < ff->n) {
		if (formfield_focusable(&ff->v[i]))
			return i;
		if (dir < 0 && i == 0)
			break;
		i = dir > 0 ? i + 1 : i - 1;
	}
	return ff->n;
}

static char *
pane_value(void *ctx, const char *identifier)
{
	struct pane *p = ctx;

	return p->ops->value_of(p, identifier);
}

int
form_open_properties(struct ui *ui, const char *title, const struct model_tsl *t,
    struct pane *values, form_done_fn *done, void *arg, void (*free_arg)(void *))
{
	struct form *fm = form_new(ui, FORM_FIELDS, title, arg, free_arg);
	int have = values != NULL && values->ops != NULL && values->ops->value_of != NULL;

	fm->done = done;
	fm->need_one = 1;
	if (formfields_add_properties(&fm->ff, t, have ? pane_value : NULL,
	    have ? values : NULL, (int)fmt_time_style()) == 0) {
		ui_error(ui, "the thing model has no writable property");
		if (free_arg != NULL)
			free_arg(arg);
		form_free(fm);
		return -1;
	}
	fm->focus = focusable_from(&fm->ff, 0, 1);
	form_show(ui, fm);
	return 0;
}

int
form_open_service(struct ui *ui, const char *title, const struct tsl_service *s,
    form_done_fn *done, void *arg, void (*free_arg)(void *))
{
	struct form *fm = form_new(ui, FORM_FIELDS, title, arg, free_arg);

	fm->done = done;
	formfields_add_params(&fm->ff, s->inputs, s->input_count);
	fm->focus = focusable_from(&fm->ff, 0, 1);
	form_show(ui, fm);
	return 0;
}

static void
pick_refilter(struct form *fm)
{
	fm->nshown = formpick_filter((const char *const *)fm->items,
	    (const char *const *)fm->desc, fm->n, lineedit_text(&fm->filter), fm->shown);
	fm->sel = 0;
	fm->first = 0;
}

int
form_open_pick(struct ui *ui, const char *title, const char *const *items,
    const char *const *desc, size_t n, form_pick_fn *picked, void *arg,
    void (*free_arg)(void *))
{
	struct form *fm;
	size_t i;

	if (n == 0) {
		if (free_arg != NULL)
			free_arg(arg);
		ui_error(ui, "nothing to pick from");
		return -1;
	}
	fm = form_new(ui, FORM_PICK, title, arg, free_arg);
	fm->picked = picked;
	fm->n = n;
	fm->items = xcalloc(n, sizeof *fm->items);
	fm->desc = xcalloc(n, sizeof *fm->desc);
	fm->shown = xcalloc(n, sizeof *fm->shown);
	for (i = 0; i < n; i++) {
		fm->items[i] = xstrdup(items[i] != NULL ? items[i] : "");
		fm->desc[i] = desc != NULL && desc[i] != NULL ? xstrdup(desc[i]) : NULL;
	}
	pick_refilter(fm);
	form_show(ui, fm);
	return 0;
}

void
form_pick_hotkeys(struct ui *ui, const char *keys)
{
	struct form *fm = ui->form;

	if (fm == NULL || fm->kind != FORM_PICK)
		return;
	free(fm->keys);
	fm->keys = xstrdup(keys);
}

void
form_check(struct ui *ui, form_check_fn *check)
{
	if (ui->form != NULL && ui->form->kind == FORM_FIELDS)
		ui->form->check = check;
}

/* ---- the form's layout -------------------------------------------------------------- */

/* The columns field f starts at (members are indented). */
static int
indent_of(const struct formfield *f)
{
	return f->parent >= 0 ? MEMBER_INDENT : 0;
}

/* Rows s takes wrapped at cols columns, at most max. */
static int
wrapped_rows(const char *s, int cols, int max)
{
	int n = 0;

	while (s != NULL && *s != '\0' && n < max) {
		s += text_wrap(s, cols);
		while (*s == ' ')
			s++;
		n++;
	}
	return n;
}

/* Appends row k of s wrapped at cols columns, at most max rows: the last one allowed holds
 * the rest of s (whoever draws it cuts it with "…"). */
static void
wrapped_row(const char *s, int cols, int k, int max, struct buf *out)
{
	size_t len;
	int at;

	for (at = 0; s != NULL && *s != '\0'; at++) {
		len = text_wrap(s, cols);
		if (at == k) {
			buf_add(out, s, at == max - 1 ? strlen(s) : len);
			return;
		}
		s += len;
		while (*s == ' ')
			s++;
	}
}

/* Columns of the reason and of a type that does not fit beside its label. */
static int
under_cols(const struct formfield *f, int iw)
{
	int c = iw - indent_of(f) - 4;

	return c > 8 ? c : 8;
}

/* Appends what is said of f's type, display-safe: its description, or for a struct shown
 * as its members, that they follow (and its current value when the members cannot show
 * it: not an object). */
static void
type_text(const struct formfield *f, struct buf *out)
{
	if (f->kind != FORMFIELD_STRUCT) {
		safetext_append(out, f->type, strlen(f->type));
		return;
	}
	buf_addf(out, "struct: fill in the members below (%d)", f->members);
	if (f->current != NULL) {
		buf_adds(out, "  now ");
		safetext_append(out, f->current, strlen(f->current));
	}
}

/* Rows f's type takes under its label: 0 when it fits beside it. */
static int
type_rows(const struct formfield *f, int iw)
{
	struct buf l = BUF_INIT, t = BUF_INIT;
	int n = 0;

	formfield_label(f, &l);
	type_text(f, &t);
	if (text_width(buf_str(&l)) + 2 + text_width(buf_str(&t)) > iw - indent_of(f))
		n = wrapped_rows(buf_str(&t), under_cols(f, iw), TYPE_ROWS);
	buf_free(&l);
	buf_free(&t);
	return n;
}

/* Rows field f takes: its label, its type when it does not fit beside it, its input (not a
 * heading's), its refusal. */
static int
field_rows(const struct formfield *f, int iw)
{
	return 1 + type_rows(f, iw) + (f->kind != FORMFIELD_STRUCT) +
	    wrapped_rows(f->error, under_cols(f, iw), ERROR_ROWS);
}

/* The first content row of each field into y (room for n + 1: y[n] is the total). */
static void
layout(const struct form *fm, int iw, int *y)
{
	size_t i;

	y[0] = 0;
	for (i = 0; i < fm->ff.n; i++)
		y[i + 1] = y[i] + field_rows(&fm->ff.v[i], iw);
}

/* Scrolls so the focused field is in view (with its struct's heading when both fit). */
static void
follow_focus(struct form *fm, const int *y, int iw, int page)
{
	const struct formfield *f;
	int start, end, total = y[fm->ff.n];

	if (fm->focus < fm->ff.n) {
		f = &fm->ff.v[fm->focus];
		start = y[fm->focus];
		end = start + field_rows(f, iw);
		if (f->parent >= 0 && end - y[f->parent] <= page)
			start = y[f->parent];
		if (start < fm->top)
			fm->top = start;
		if (end > fm->top + page)
			fm->top = end - page;
	}
	if (fm->top > total - page)
		fm->top = total - page;
	if (fm->top < 0)
		fm->top = 0;
}

/* ---- drawing ------------------------------------------------------------------------ */

/* Makes fm->w cover h x w at y, x (a new window when the place changed). */
static void
place_window(struct ui *ui, struct form *fm, int h, int w, int y, int x)
{
	int oh = -1, ow = -1, oy = -1, ox = -1;

	if (fm->w != NULL) {
		getmaxyx(fm->w, oh, ow);
		getbegyx(fm->w, oy, ox);
	}
	if (fm->w == NULL || oh != h || ow != w || oy != y || ox != x) {
		if (fm->w != NULL)
			delwin(fm->w);
		fm->w = newwin(h, w, y, x);
		fm->dirty = 1;
	}
	if (fm->w != NULL)
		wbkgdset(fm->w, (chtype)ui_attr(ui, UI_E_DEFAULT) | ' ');
}

/* Writes display-safe s at the cursor in at most cols columns (cut with "…"); returns the
 * columns written. */
static int
put(WINDOW *w, attr_t a, const char *s, int cols)
{
	struct buf b = BUF_INIT;
	int n;

	if (cols <= 0)
		return 0;
	n = text_fit(&b, s, cols, 0, 0);
	wattrset(w, a);
	waddstr(w, buf_str(&b));
	buf_free(&b);
	return n;
}

/* The frame and its title; scroll marks when rows are above or below the view. */
static void
draw_frame(struct ui *ui, struct form *fm, int above, int below)
{
	WINDOW *w = fm->w;
	int h = getmaxy(w), wd = getmaxx(w);
	struct buf b = BUF_INIT;

	wattrset(w, ui_attr(ui, UI_E_DEFAULT));
	werase(w);
	box(w, 0, 0);
	buf_addc(&b, ' ');
	buf_adds(&b, fm->title);
	buf_addc(&b, ' ');
	wmove(w, 0, 2);
	put(w, ui_attr(ui, UI_E_DIALOG_TITLE), buf_str(&b), wd - 14);
	if (above && wd > 14) {
		wmove(w, 0, wd - 10);
		put(w, ui_attr(ui, UI_E_DIM), " \xE2\x86\x91 more ", 8);
	}
	if (below && wd > 14 && h > 2) {
		wmove(w, h - 1, wd - 10);
		put(w, ui_attr(ui, UI_E_DIM), " \xE2\x86\x93 more ", 8);
	}
	buf_free(&b);
}

/* Row r (0: the label) of field i, at window row wy; iw columns from column 2. Sets *cy,
 * *cx when it is where typing goes. */
static void
draw_field_row(struct ui *ui, struct form *fm, size_t i, int r, int wy, int iw, int *cy,
    int *cx)
{
	WINDOW *w = fm->w;
	struct formfield *f = &fm->ff.v[i];
	int focused = i == fm->focus, x = 2 + indent_of(f), room = iw - indent_of(f);
	int inrow = f->kind != FORMFIELD_STRUCT, trows = type_rows(f, iw), used, ew, curw = 0;
	int col;
	struct buf b = BUF_INIT, cur = BUF_INIT;

	if (r == 0) {
		if (focused) {
			wattrset(w, ui_attr(ui, UI_E_DIALOG_TITLE));
			mvwaddstr(w, wy, 1, ">");
		}
		wmove(w, wy, x);
		formfield_label(f, &b);
		used = put(w, ui_attr(ui, focused ? UI_E_DIALOG_TITLE : UI_E_DEFAULT),
		    buf_str(&b), room);
		if (trows == 0) {
			buf_reset(&b);
			buf_adds(&b, "  ");
			type_text(f, &b);
			put(w, ui_attr(ui, UI_E_DIM), buf_str(&b), room - used);
		}
		buf_free(&b);
		return;
	}
	if (r <= trows) {
		type_text(f, &cur);
		wrapped_row(buf_str(&cur), under_cols(f, iw), r - 1, TYPE_ROWS, &b);
		wmove(w, wy, x + 2);
		put(w, ui_attr(ui, UI_E_DIM), buf_str(&b), under_cols(f, iw));
		buf_free(&b);
		buf_free(&cur);
		return;
	}
	r -= 1 + trows;
	if (r == 0 && inrow) {
		x += 2;
		room -= 2;
		if (f->current != NULL) {
			buf_adds(&cur, "  now ");
			safetext_append(&cur, f->current, strlen(f->current));
			curw = text_width(buf_str(&cur));
			if (curw > room / 3)
				curw = room / 3;
		}
		ew = room - curw;
		if (ew < 4)
			ew = room, curw = 0;
		wmove(w, wy, x);
		wattrset(w, ui_attr(ui, UI_E_DIALOG));
		if (f->kind == FORMFIELD_CHOICE) {
			formfield_choice_text(f, &b);
			used = put(w, ui_attr(ui, UI_E_DIALOG), "< ", ew);
			used += put(w, ui_attr(ui, UI_E_DIALOG),
			    f->choice < 0 ? "not sent" : buf_str(&b), ew - used - 2);
			used += put(w, ui_attr(ui, UI_E_DIALOG), " >", ew - used);
			wattrset(w, ui_attr(ui, UI_E_DEFAULT));
			for (; used < ew; used++)
				waddch(w, ' ');
		} else {
			col = lineedit_render(&f->edit, ew - 1, &b);
			used = text_width(buf_str(&b));
			waddstr(w, buf_str(&b));
			for (; used < ew; used++)
				waddch(w, ' ');
			if (focused) {
				*cy = wy;
				*cx = x + col;
			}
		}
		if (curw > 0) {
			wmove(w, wy, x + ew);
			put(w, ui_attr(ui, UI_E_DIM), buf_str(&cur), curw);
		}
		buf_free(&b);
		buf_free(&cur);
		return;
	}
	/* The reason, wrapped. */
	wrapped_row(f->error, under_cols(f, iw), r - inrow, ERROR_ROWS, &b);
	wmove(w, wy, x + 2);
	put(w, ui_attr(ui, UI_E_ERROR), buf_str(&b), under_cols(f, iw));
	buf_free(&b);
}

static const char *
hint_of(const struct form *fm)
{
	const struct formfield *f = fm->focus < fm->ff.n ? &fm->ff.v[fm->focus] : NULL;

	if (f == NULL)
		return "Enter or C-s sends \xC2\xB7 Esc cancels";
	if (f->kind == FORMFIELD_CHOICE)
		return "\xE2\x86\x90\xE2\x86\x92/Space choose \xC2\xB7 Tab/\xE2\x86\x93 next \xC2\xB7 "
		    "\xE2\x86\x91 back \xC2\xB7 C-s sends \xC2\xB7 Esc cancels";
	return "Tab/\xE2\x86\x93 next \xC2\xB7 \xE2\x86\x91 back \xC2\xB7 C-s sends \xC2\xB7 "
	    "Esc cancels \xC2\xB7 empty fields are not sent";
}

static void
draw_fields(struct ui *ui, struct form *fm)
{
	WINDOW *w = fm->w;
	int h = getmaxy(w), wd = getmaxx(w), iw = wd - 4, page = h - 3;
	int *y = xcalloc(fm->ff.n + 1, sizeof *y), cy = -1, cx = -1, r, wy, rows;
	size_t i;

	if (page < 1)
		page = 1;
	fm->page = page;
	layout(fm, iw, y);
	follow_focus(fm, y, iw, page);
	draw_frame(ui, fm, fm->top > 0, y[fm->ff.n] > fm->top + page);
	if (fm->ff.n == 0) {
		wmove(w, 1, 2);
		put(w, ui_attr(ui, UI_E_DEFAULT), "This service takes no input.", iw);
	}
	for (i = 0; i < fm->ff.n; i++) {
		if (y[i + 1] <= fm->top || y[i] >= fm->top + page)
			continue;
		rows = y[i + 1] - y[i];
		for (r = 0; r < rows; r++) {
			wy = 1 + y[i] + r - fm->top;
			if (wy >= 1 && wy <= page)
				draw_field_row(ui, fm, i, r, wy, iw, &cy, &cx);
		}
	}
	wmove(w, h - 2, 2);
	if (fm->note != NULL)
		put(w, ui_attr(ui, UI_E_ERROR), fm->note, iw);
	else
		put(w, ui_attr(ui, UI_E_DIM), hint_of(fm), iw);
	fm->cursor = cy >= 0;
	if (cy >= 0)
		wmove(w, cy, cx < wd - 1 ? cx : wd - 2);
	else
		wmove(w, h - 1, wd - 1);
	free(y);
}

/* Rows of the pick list's box (a frame, the filter, two rows an item). */
static int
pick_height(const struct form *fm)
{
	return 3 + 2 * (int)fm->n;
}

static int
pick_width(const struct form *fm)
{
	int w = text_width(fm->title) + 6, x;
	size_t i;
	char *s;

	for (i = 0; i < fm->n; i++) {
		s = safetext_dup(fm->items[i], strlen(fm->items[i]));
		if ((x = text_width(s) + 6) > w)
			w = x;
		free(s);
		if (fm->desc[i] != NULL) {
			s = safetext_dup(fm->desc[i], strlen(fm->desc[i]));
			if ((x = text_width(s) + 8) > w)
				w = x;
			free(s);
		}
	}
	return w < 40 ? 40 : w;
}

static void
draw_pick(struct ui *ui, struct form *fm)
{
	WINDOW *w = fm->w;
	int h = getmaxy(w), wd = getmaxx(w), iw = wd - 4, fit = (h - 3) / 2, row, col = -1;
	struct buf b = BUF_INIT, s = BUF_INIT;
	size_t k, it;

	if (fit < 1)
		fit = 1;
	if (fm->sel < fm->first)
		fm->first = fm->sel;
	if (fm->sel >= fm->first + (size_t)fit)
		fm->first = fm->sel - (size_t)fit + 1;
	draw_frame(ui, fm, fm->first > 0, fm->nshown > fm->first + (size_t)fit);
	if (h > 2 && wd > 14) {
		wmove(w, h - 1, 2);
		put(w, ui_attr(ui, UI_E_DIM), " Enter picks \xC2\xB7 Esc cancels ", wd - 14);
	}
	wmove(w, 1, 2);
	if (*lineedit_text(&fm->filter) != '\0') {
		put(w, ui_attr(ui, UI_E_PROMPT), "/", 1);
		wattrset(w, ui_attr(ui, UI_E_COMMAND));
		col = 3 + lineedit_render(&fm->filter, iw - 2, &b);
		waddstr(w, buf_str(&b));
	} else
		put(w, ui_attr(ui, UI_E_DIM), fm->keys != NULL ?
		    "an item's key picks it; other letters filter" : "type to filter", iw);
	if (fm->nshown == 0) {
		wmove(w, 2, 2);
		put(w, ui_attr(ui, UI_E_DIM), "nothing matches", iw);
	}
	for (k = fm->first, row = 2; k < fm->nshown && row + 1 < h - 1; k++, row += 2) {
		it = fm->shown[k];
		buf_reset(&s);
		buf_addc(&s, ' ');
		safetext_append(&s, fm->items[it], strlen(fm->items[it]));
		buf_reset(&b);
		text_fit(&b, buf_str(&s), iw, 1, 0);
		wattrset(w, ui_attr(ui, k == fm->sel ? UI_E_SELECTED : UI_E_DEFAULT));
		mvwaddstr(w, row, 2, buf_str(&b));
		if (fm->desc[it] != NULL) {
			buf_reset(&s);
			safetext_append(&s, fm->desc[it], strlen(fm->desc[it]));
			wmove(w, row + 1, 5);
			put(w, ui_attr(ui, UI_E_DIM), buf_str(&s), iw - 3);
		}
	}
	fm->cursor = col >= 0;
	if (col >= 0)
		wmove(w, 1, col < wd - 1 ? col : wd - 2);
	else
		wmove(w, h - 1, wd - 1);
	buf_free(&b);
	buf_free(&s);
}

void
form_draw(struct ui *ui)
{
	struct form *fm = ui->form;
	int ph, pw, py, px, h, w;

	if (fm == NULL || ui->w_main == NULL)
		return;
	getmaxyx(ui->w_main, ph, pw);
	getbegyx(ui->w_main, py, px);
	if (fm->kind == FORM_FIELDS)
		place_window(ui, fm, ph, pw, py, px);
	else {
		h = pick_height(fm);
		w = pick_width(fm);
		if (h > ph)
			h = ph;
		if (w > pw - 4)
			w = pw - 4 > 20 ? pw - 4 : pw;
		place_window(ui, fm, h, w, py + (ph - h) / 2, px + (pw - w) / 2);
	}
	if (fm->w == NULL || getmaxy(fm->w) < 4 || getmaxx(fm->w) < 16)
		return;
	/* Redrawn only when something changed, but always copied again: the pane may have
	 * drawn under it this turn. Drawing leaves the cursor where typing goes. */
	if (fm->dirty || ui->full) {
		if (fm->kind == FORM_FIELDS)
			draw_fields(ui, fm);
		else
			draw_pick(ui, fm);
		fm->dirty = 0;
	}
	if (fm->cursor)
		curs_set(1);
	touchwin(fm->w);
	wnoutrefresh(fm->w);
}

/* ---- keys: the form ----------------------------------------------------------------- */

/* Leaves the focused field for field to (checked as it is left; a struct too, when the
 * focus leaves its members). */
static void
focus_to(struct form *fm, size_t to)
{
	const struct formfield *f;

	if (fm->focus < fm->ff.n && to != fm->focus) {
		f = &fm->ff.v[fm->focus];
		formfields_check(&fm->ff, fm->focus);
		if (f->parent >= 0 && (to >= fm->ff.n || fm->ff.v[to].parent != f->parent))
			formfields_check(&fm->ff, (size_t)f->parent);
	}
	if (to < fm->ff.n)
		fm->focus = to;
}

/* The next (dir 1) or previous (dir -1) focusable field from the focus; wrap: go round. */
static size_t
step(const struct form *fm, int dir, int wrap)
{
	size_t to;

	if (fm->ff.n == 0)
		return 0;
	if (dir > 0)
		to = fm->focus + 1 < fm->ff.n ? focusable_from(&fm->ff, fm->focus + 1, 1) : fm->ff.n;
	else
		to = fm->focus > 0 ? focusable_from(&fm->ff, fm->focus - 1, -1) : fm->ff.n;
	if (to < fm->ff.n || !wrap)
		return to < fm->ff.n ? to : fm->focus;
	return focusable_from(&fm->ff, dir > 0 ? 0 : fm->ff.n - 1, dir);
}

/* 1 when the focus is on the last field that takes it. */
static int
on_last(const struct form *fm)
{
	return fm->ff.n == 0 || step(fm, 1, 0) == fm->focus;
}

/* A screen down (dir 1) or up: the focus goes to the first field that starts there. */
static void
page_move(struct form *fm, int dir)
{
	int *y = xcalloc(fm->ff.n + 1, sizeof *y), iw, at;
	size_t i, to = fm->ff.n;

	if (fm->ff.n == 0) {
		free(y);
		return;
	}
	iw = fm->w != NULL ? getmaxx(fm->w) - 4 : 76;
	layout(fm, iw, y);
	at = fm->top + dir * fm->page;
	if (at > y[fm->ff.n] - fm->page)
		at = y[fm->ff.n] - fm->page;
	if (at < 0)
		at = 0;
	for (i = 0; i < fm->ff.n && to == fm->ff.n; i++)
		if (y[i] >= at && formfield_focusable(&fm->ff.v[i]))
			to = i;
	if (to == fm->ff.n)
		to = focusable_from(&fm->ff, fm->ff.n - 1, -1);
	focus_to(fm, to);
	fm->top = at;
	free(y);
}

static void
submit(struct ui *ui, struct form *fm)
{
	struct formsets sets;
	size_t first, bad;
	char *cause = NULL;

	xstrset(&fm->note, NULL);
	if (formfields_sets(&fm->ff, &sets) != 0) {
		bad = formfields_check_all(&fm->ff, &first);
		if (first < fm->ff.n)
			fm->focus = first;
		fm->note = xasprintf("%zu value%s refused: correct %s or empty %s (Esc cancels)",
		    bad, bad == 1 ? " is" : "s are", bad == 1 ? "it" : "them",
		    bad == 1 ? "it" : "them");
		return;
	}
	if (sets.n == 0 && fm->need_one) {
		formsets_free(&sets);
		fm->note = xstrdup("nothing is filled in: fill in a value to send (Esc cancels)");
		return;
	}
	if (fm->check != NULL && fm->check(ui, fm->arg, sets.v, sets.n, &cause) != 0) {
		/* Refused as a whole: the values stay for the operator to correct. */
		formsets_free(&sets);
		fm->note = safetext_dup(cause, strlen(cause));
		free(cause);
		return;
	}
	fm = form_detach(ui);
	if (fm->done != NULL)
		fm->done(ui, fm->arg, sets.v, sets.n);
	if (fm->free_arg != NULL)
		fm->free_arg(fm->arg);
	formsets_free(&sets);
	form_free(fm);
}

static void
fields_key(struct ui *ui, struct form *fm, uint32_t key)
{
	fm->dirty = 1;
	xstrset(&fm->note, NULL);
	if (key == KEYS_ESC || key == 0x07 /* C-g */) {
		form_close(ui);
		return;
	}
	if (key == KEY_C_S) {
		submit(ui, fm);
		return;
	}
	if (key == KEYS_TAB || key == (KEYS_CODE | KEY_DOWN) || key == 0x0E /* C-n */) {
		focus_to(fm, step(fm, 1, key == KEYS_TAB));
		return;
	}
	if (key == (KEYS_CODE | KEY_BTAB) || key == (KEYS_CODE | KEY_UP) || key == 0x10 /* C-p */) {
		focus_to(fm, step(fm, -1, key == (KEYS_CODE | KEY_BTAB)));
		return;
	}
	if (key == (KEYS_CODE | KEY_NPAGE) || key == (KEYS_CODE | KEY_PPAGE)) {
		page_move(fm, key == (KEYS_CODE | KEY_NPAGE) ? 1 : -1);
		return;
	}
	if (fm->focus >= fm->ff.n) {	/* no field: Enter sends */
		if (key == KEYS_ENTER || key == '\r')
			submit(ui, fm);
		return;
	}
	switch (formfields_key(&fm->ff, fm->focus, key)) {
	case LINEEDIT_ENTER:
		if (on_last(fm))
			submit(ui, fm);
		else
			focus_to(fm, step(fm, 1, 0));
		break;
	case LINEEDIT_CANCEL:
		form_close(ui);
		break;
	case LINEEDIT_FULL:
		fm->note = xasprintf("the field is full (%d bytes)", FORMFIELD_MAX);
		break;
	default:
		break;
	}
}

/* ---- keys: the pick list ------------------------------------------------------------ */

/* Item it (an index into the items given) was picked: closes the list, then calls back. */
static void
pick_item(struct ui *ui, size_t it)
{
	struct form *fm = form_detach(ui);

	if (fm->picked != NULL)
		fm->picked(ui, fm->arg, it);
	if (fm->free_arg != NULL)
		fm->free_arg(fm->arg);
	form_free(fm);
}

static void
pick_key(struct ui *ui, struct form *fm, uint32_t key)
{
	int fit = fm->w != NULL ? (getmaxy(fm->w) - 3) / 2 : 1;
	size_t it;

	fm->dirty = 1;
	if (fit < 1)
		fit = 1;
	if (key == KEYS_ESC && *lineedit_text(&fm->filter) != '\0') {
		lineedit_clear(&fm->filter);	/* Esc clears the filter first, as in panes */
		pick_refilter(fm);
		return;
	}
	if (key == KEYS_ESC || key == 0x07 /* C-g */) {
		form_close(ui);
		return;
	}
	if (key == KEYS_ENTER || key == '\r') {
		if (fm->nshown > 0)
			pick_item(ui, fm->shown[fm->sel]);
		return;
	}
	if (fm->keys != NULL && key > ' ' && key < 0x7f && strchr(fm->keys, (int)key) != NULL) {
		/* A menu's hotkey: the item at once (the operations menu). */
		it = (size_t)(strchr(fm->keys, (int)key) - fm->keys);
		if (it < fm->n)
			pick_item(ui, it);
		return;
	}
	if (key == (KEYS_CODE | KEY_DOWN) || key == KEYS_TAB || key == 0x0E /* C-n */) {
		if (fm->sel + 1 < fm->nshown)
			fm->sel++;
	} else if (key == (KEYS_CODE | KEY_UP) || key == (KEYS_CODE | KEY_BTAB) ||
	    key == 0x10 /* C-p */) {
		if (fm->sel > 0)
			fm->sel--;
	} else if (key == (KEYS_CODE | KEY_NPAGE)) {
		fm->sel = fm->sel + (size_t)fit < fm->nshown ? fm->sel + (size_t)fit :
		    (fm->nshown > 0 ? fm->nshown - 1 : 0);
	} else if (key == (KEYS_CODE | KEY_PPAGE)) {
		fm->sel = fm->sel > (size_t)fit ? fm->sel - (size_t)fit : 0;
	} else if (lineedit_key(&fm->filter, key) == LINEEDIT_CHANGED)
		pick_refilter(fm);
}

void
form_key(struct ui *ui, uint32_t key)
{
	struct form *fm = ui->form;

	if (fm == NULL) {
		ui->mode = MODE_NORMAL;
		return;
	}
	if (key == (KEYS_CODE | KEY_MOUSE))
		return;
	if (fm->kind == FORM_PICK)
		pick_key(ui, fm, key);
	else
		fields_key(ui, fm, key);
}
