/* form.h — forms generated from the thing model, and a list to pick one item from.
 *
 * A form has one field per writable property (form_open_properties) or per input
 * parameter of a service (form_open_service): each shows its name, identifier, type,
 * range, unit (tslvalue_describe) and, for properties, the current value; enum and bool
 * fields are choices (Left/Right or Space cycle through the values with their labels);
 * struct and array fields are edited as their members / items; text, numbers and dates
 * are typed in the one line editor (lineedit.h). A value is checked against its type as
 * the field is left and when the form is submitted (tslvalue_parse): an invalid one is
 * refused in the field, with the reason, and the form stays open. Fields left empty are
 * not sent. Up/Down, Tab/Shift-Tab move between fields, PageUp/PageDown a screen at a
 * time; Enter on the last field (or Ctrl-S anywhere) submits; Esc cancels. The fields
 * themselves (what each holds, its check, what a submit sends) are ui/formfield.h's.
 *
 * A pick list (form_open_pick) shows items with a line of description each; Up/Down move,
 * typing filters (labels starting with the text first), Enter picks, Esc clears the filter
 * and then cancels.
 *
 * The console has at most one form open (ui->form, MODE_FORM). The thing model given must
 * outlive the form (the console's thing-model cache keeps it for the session).
 */
#ifndef IOTDECK_FORM_H
#define IOTDECK_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "api/model.h"
#include "api/tslvalue.h"

struct ui;
struct pane;

/* Called when a form is submitted with n valid assignments (the text typed, checked:
 * tslvalue_parse takes it; a struct's members as its JSON object; valid until the callback
 * returns). n >= 1 for a property form (one with nothing filled in is not submitted); a
 * service form may give n == 0. The form is closed before it is called (the callback may
 * open another form or a question); arg is freed with free_arg after it returns. */
typedef void form_done_fn(struct ui *ui, void *arg, const struct tslvalue_set *sets,
    size_t n);
/* Checks a submitted form's values as a whole before it closes (the values as
 * form_done_fn gets them). Returns 0: the form closes and done is called; or -1 with a
 * caller-freed *cause: the form stays open with its values and shows it (display-safe). */
typedef int form_check_fn(struct ui *ui, void *arg, const struct tslvalue_set *sets,
    size_t n, char **cause);
/* Called with the index picked (in the list given). The list is closed before it is
 * called; arg is freed with free_arg after it returns. */
typedef void form_pick_fn(struct ui *ui, void *arg, size_t i);

/* Opens a form of t's writable properties (every one not read-only). values (may be NULL)
 * is the pane whose value_of gives current values: they are all read now, and the pane is
 * not kept. title names what it does ("Set properties of 3 devices"). A form already open
 * is cancelled. On cancel, arg is freed and done is not called. Returns 0, or -1 with the
 * reason shown and arg freed (no writable property). */
int form_open_properties(struct ui *ui, const char *title, const struct model_tsl *t,
    struct pane *values, form_done_fn *done, void *arg, void (*free_arg)(void *));
/* Opens a form of service s's input parameters (a service without inputs submits an
 * empty form: done gets n == 0). */
int form_open_service(struct ui *ui, const char *title, const struct tsl_service *s,
    form_done_fn *done, void *arg, void (*free_arg)(void *));
/* Opens a list of n items (labels, and one line of description each, or NULL; all are
 * copied). Returns 0, or -1 with arg freed when n is 0. */
int form_open_pick(struct ui *ui, const char *title, const char *const *items,
    const char *const *desc, size_t n, form_pick_fn *picked, void *arg,
    void (*free_arg)(void *));

/* Makes the form of fields just opened ask check before it closes on a submit. */
void form_check(struct ui *ui, form_check_fn *check);

/* Makes the pick list just opened a menu: typing keys[i] picks item i at once (the items'
 * labels should show their keys); other keys still move, Enter picks, Esc cancels. */
void form_pick_hotkeys(struct ui *ui, const char *keys);

/* A key while the form is open. */
void form_key(struct ui *ui, uint32_t key);
/* Draws the form (over the pane window); leaves the cursor where typing goes. */
void form_draw(struct ui *ui);
/* Closes the form without submitting (at exit, on a profile switch). Harmless when none. */
void form_close(struct ui *ui);

#endif
