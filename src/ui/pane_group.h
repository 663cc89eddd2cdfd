/* pane_group.h — one device group (pane_group.c): what it is (type, parent, counts, a
 * dynamic group's rule), its subgroups and its devices. */
#ifndef IOTDECK_PANE_GROUP_H
#define IOTDECK_PANE_GROUP_H

#include "ui/ui.h"

/* The pane is the view UI_V_GROUP (ui_open): its argument's id is the GroupId,
 * group_type its raw GroupType when the opener knows it (NULL or an undocumented value:
 * found out, the dynamic groups are listed and looked in), label the breadcrumb (NULL:
 * the id). */

/* The GroupId of an open group pane (owned by it). */
const char *pane_group_id(struct pane *p);

#endif
