/* describe.h — the describe view (k9s's d): the selected row with every field in full,
 * the item's detail as the API answers it, and its raw JSON, wrapped to the width and
 * scrolled like a table (j k PgUp PgDn g G, / and f work on its lines); Esc or q closes
 * it, r asks for the detail again.
 *
 * Nothing is kept for it with the rows of a list: the detail is asked for when the view
 * opens (QueryDeviceDetail, QueryProduct, QueryOTAJob...), from the row's raw key, so
 * 100,000 devices cost no more memory than their cells. A value whose name says it is a
 * secret (DeviceSecret, ProductSecret: any name ending in "Secret") is never shown, in the
 * fields or in the JSON. Everything shown is made display-safe here.
 */
#ifndef IOTDECK_DESCRIBE_H
#define IOTDECK_DESCRIBE_H

#include <cjson/cJSON.h>

#include "api/params.h"
#include "ui/table.h"
#include "ui/ui.h"

/* What a describe view will show, built by the caller and handed to describe_open. */
struct describe;

/* A new, empty view of what (its breadcrumb "describe WHAT": raw, copied; NULL: none). */
struct describe *describe_new(const char *what);
/* Frees a view that was never opened. */
void describe_free(struct describe *d);
/* A heading line (raw text, copied). */
void describe_section(struct describe *d, const char *title);
/* One field: name and value are raw text (copied; NULL value: empty). */
void describe_field(struct describe *d, const char *name, const char *value);
/* Every column of row r of t, named by its header, in full. */
void describe_row(struct describe *d, const struct table *t, const struct table_row *r);
/* The members of obj as fields (an object's members as Parent.Child, an array of
 * scalars joined with ", ", of objects as Parent[i].Child; times also in the console's
 * time format), then obj as indented JSON under a heading naming what (raw). Secrets
 * are masked in both. */
void describe_json(struct describe *d, const char *what, const cJSON *obj);
/* Asks for the item when the view opens (and again on refresh): action with q (copied);
 * the item is the first of the list at the action's list path (action_get), or the
 * answer itself when it has none, added as describe_json does. */
void describe_fetch(struct describe *d, const char *action, const struct params *q);
/* Opens the view on top of the pane stack; it takes d over. */
void describe_open(struct ui *ui, struct describe *d);

/* The describe action for pane p (actions.def's describe; ui.c calls it for a pane that
 * does not handle it): the cursor row in full, and the detail of its item where the
 * pane's kind has a detail action (products, devices, groups, firmware, jobs, tasks). */
void describe_pane(struct pane *p);


#endif
