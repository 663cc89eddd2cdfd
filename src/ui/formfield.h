/* formfield.h — what a form (form.h) holds, without drawing it: the fields made from the
 * thing model, the value of each, its check, and the assignments a submit hands over;
 * and the pick list's filter. No curses here, so the unit test drives it key by key.
 *
 * One field per writable property (or per input parameter of a service), in the thing
 * model's order. A struct with members is a heading followed by one field per member
 * (structured: each member typed and checked on its own, the struct sent as the JSON
 * object of the members filled in); a struct without members, or nested in another, and
 * every array are typed as JSON. bool and enum fields are choices (none, then each value);
 * every other type is typed text. An empty field (or an empty choice, or a struct whose
 * members are all empty) is not sent.
 *
 * Strings in a field are raw, as the thing model or the API gave them, except `error`,
 * which is display-safe; whatever draws them makes them display-safe first.
 */
#ifndef IOTDECK_FORMFIELD_H
#define IOTDECK_FORMFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "api/model.h"
#include "api/tslvalue.h"
#include "core/buf.h"
#include "ui/lineedit.h"

/* The most bytes a field holds. More than a text's 2048: a longer value is refused by its
 * check, with the reason, rather than stopped silently by the editor. */
#define FORMFIELD_MAX 8192

enum formfield_kind {
	FORMFIELD_TEXT,		/* typed: int, float, double, text, date (and unknown types) */
	FORMFIELD_CHOICE,	/* bool, enum: none or one of the values */
	FORMFIELD_JSON,		/* typed as JSON: arrays, structs that are not structured */
	FORMFIELD_STRUCT	/* a struct's heading; its members are the fields after it */
};

struct formfield {
	enum formfield_kind        kind;	/* how it is edited */
	const struct tsl_datatype *dt;		/* its type (the thing model's: borrowed) */
	char                      *id;		/* the identifier (raw) */
	char                      *path;	/* what messages call it: id, or "Pos.x" for
						   member x of Pos (raw) */
	char                      *name;	/* the name (raw), or NULL */
	char                      *type;	/* tslvalue_describe of dt */
	char                      *current;	/* the current value as tslvalue_show writes
						   it (raw), or NULL when not known */
	int                        parent;	/* a member: its struct heading's index; -1 */
	int                        members;	/* a heading: how many members follow it */
	struct lineedit            edit;	/* TEXT, JSON: what is typed */
	int                        choice;	/* CHOICE: index of the value chosen, -1 none */
	char                      *error;	/* why the value is refused (display-safe), or
						   NULL */
};

/* The fields of one form; owns them. */
struct formfields {
	struct formfield *v;	/* the fields */
	size_t            n;	/* how many */
};

/* Gives the current value of a property as the API sent it (caller frees), or NULL. */
typedef char *formfield_value_fn(void *ctx, const char *identifier);

/* An empty list. */
void formfields_init(struct formfields *ff);
/* Frees the fields; the list is empty again. */
void formfields_free(struct formfields *ff);
/* Adds a field per writable property of t (access not "r"), with its current value from
 * value_of(ctx, identifier) when value_of is not NULL (read now, shown through the type in
 * time_style, an enum timefmt_style). Returns how many properties were added. */
size_t formfields_add_properties(struct formfields *ff, const struct model_tsl *t,
    formfield_value_fn *value_of, void *ctx, int time_style);
/* Adds a field per parameter (a service's inputs). */
void formfields_add_params(struct formfields *ff, const struct tsl_param *params, size_t n);

/* 1 when the field takes the focus (every field but a struct heading). */
int formfield_focusable(const struct formfield *f);
/* 1 when nothing is typed or chosen (a heading: in none of its members). */
int formfields_empty(const struct formfields *ff, size_t i);

/* The number of values a choice offers, and the i-th one's value and label (NULL when the
 * thing model gives none: a bool without specs). */
size_t formfield_choices(const struct formfield *f);
int64_t formfield_choice_value(const struct formfield *f, size_t i);
const char *formfield_choice_label(const struct formfield *f, size_t i);

/* A key for field i (keys.h encoding). A typed field passes it to its line editor; a
 * choice takes Right and Space (the next value, after the last: none), Left (the one
 * before), Backspace and Delete (none) and a digit (the value it names), and answers
 * Enter and Esc/C-g as the editor does. A field showing a refusal is checked again on
 * each change, so the reason goes as soon as the value is right. Returns what the key
 * did (lineedit.h). */
enum lineedit_result formfields_key(struct formfields *ff, size_t i, uint32_t key);

/* Checks field i (as it is left): sets or clears its error. An empty field is valid. A
 * member is checked on its own; a heading checks the object its members make (after
 * them). Returns 0 when valid, -1 when refused. */
int formfields_check(struct formfields *ff, size_t i);
/* Checks every field (as a submit does). Returns how many are refused; *first (may be
 * NULL) is the first focusable field refused (a refused heading: its first member). */
size_t formfields_check_all(struct formfields *ff, size_t *first);

/* The assignments a submit sends: one per top-level field that is not empty, with the
 * text tslvalue_parse takes (a choice's value as a number; a struct's members as a JSON
 * object). Owns its strings. */
struct formsets {
	struct tslvalue_set *v;		/* the assignments; strings point into ids/texts */
	char               **ids;	/* owned identifiers */
	char               **texts;	/* owned texts */
	size_t               n;		/* how many */
};

/* Checks every field and, when none is refused, fills *out (formsets_free) and returns 0
 * (out->n may be 0: nothing filled in). Returns -1 when some field is refused (each shows
 * its reason; *out is empty). */
int formfields_sets(struct formfields *ff, struct formsets *out);
void formsets_free(struct formsets *s);

/* Appends the label of f, display-safe: its identifier, and its name when it has one
 * that differs ("Voltage 电压"). */
void formfield_label(const struct formfield *f, struct buf *out);
/* Appends what a choice shows, display-safe: "2 平", "1" (no label), or "" for none. */
void formfield_choice_text(const struct formfield *f, struct buf *out);

/* The pick list's filter: the indexes of the n items that match filter (case-insensitive
 * in ASCII, as a substring of the label or of the description; desc and its entries may be
 * NULL), best first: labels starting with it, then labels holding it, then descriptions
 * holding it, each in list order. An empty filter keeps all. Writes to out (room for n)
 * and returns how many. */
size_t formpick_filter(const char *const *items, const char *const *desc, size_t n,
    const char *filter, size_t *out);

/* ---- forms built in code (a command's options as a service's inputs) ----------------- */

/* A choice of an enum or bool input. */
struct formfield_choice {
	int64_t     value;		/* the value */
	const char *name;		/* its label; NULL ends a list */
};
/* Choices of a bool input: "no", "yes"; and "no", "yes (the default)" (the API's default
 * when the input is left empty). */
extern const struct formfield_choice formfield_no_yes[];
extern const struct formfield_choice formfield_no_yes_default[];
/* An input of a form built in code. */
struct formfield_def {
	const char                    *id;		/* identifier (an option's name); NULL
							   ends a table */
	const char                    *name;		/* the line shown under it */
	enum tsl_type                  type;		/* TEXT (up to 2048 bytes), INT, ENUM,
							   BOOL */
	const struct formfield_choice *choices;		/* ENUM, BOOL: its choices */
	const char                    *min, *max;	/* INT: its range (step 1), or NULL */
	const char                    *unit;		/* INT: its unit, or NULL */
};
/* Makes s (zeroed; it then lives for the session) a service named identifier whose inputs
 * are defs, in order, for form_open_service. */
void formfield_build(struct tsl_service *s, const char *identifier,
    const struct formfield_def *defs);

#endif
