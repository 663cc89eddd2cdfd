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
 * not sent. Enter on the last field (or Ctrl-S anywhere) submits; Esc cancels.
 *
 * A pick list (form_open_pick) shows items with a line of description each; Enter picks.
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

/* Called when a form is submitted with n >= 1 valid assignments (the text typed, checked;
 * valid until the callback returns). The form is closed before it is called; arg is
 * freed with free_arg after it returns. */
typedef void form_done_fn(struct ui *ui, void *arg, const struct tslvalue_set *sets,
    size_t n);
/* Called with the index picked. */
typedef void form_pick_fn(struct ui *ui, void *arg, size_t i);

/* Opens a form of t's writable properties. values (may be NULL) is the pane whose
 * value_of gives current values. title names what it does ("Set properties of 3
 * devices"). On cancel, arg is freed and done is not called. Returns 0, or -1 with the
 * reason shown (no writable property). */
int form_open_properties(struct ui *ui, const char *title, const struct model_tsl *t,
    struct pane *values, form_done_fn *done, void *arg, void (*free_arg)(void *));
/* Opens a form of service s's input parameters (a service without inputs submits an
 * empty form: done gets n == 0). */
int form_open_service(struct ui *ui, const char *title, const struct tsl_service *s,
    form_done_fn *done, void *arg, void (*free_arg)(void *));
/* Opens a list of n items (labels, and one line of description each, or NULL). */
int form_open_pick(struct ui *ui, const char *title, const char *const *items,
    const char *const *desc, size_t n, form_pick_fn *picked, void *arg,
    void (*free_arg)(void *));

/* A key while the form is open. */
void form_key(struct ui *ui, uint32_t key);
/* Draws the form (over the pane window); leaves the cursor where typing goes. */
void form_draw(struct ui *ui);
/* Closes the form without submitting (at exit, on a profile switch). Harmless when none. */
void form_close(struct ui *ui);

#endif
