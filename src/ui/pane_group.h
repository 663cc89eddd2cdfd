/* pane_group.h — one device group (pane_group.c): what it is (type, parent, counts, a
 * dynamic group's rule), its subgroups and its devices. */
#ifndef IOTDECK_PANE_GROUP_H
#define IOTDECK_PANE_GROUP_H

#include "ui/ui.h"

/* The pane. Its argument (p->priv at open, a caller-freed string) is "static:ID",
 * "dynamic:ID" or "ID" (the type is then found out: the dynamic groups are listed and
 * looked in). */
extern const struct pane_ops pane_group_ops;

/* Opens group_id on top of the stack. group_type is its raw GroupType when the caller
 * knows it (NULL or an undocumented value: found out); name is the breadcrumb (NULL: the
 * id until the group's name arrives). Everything is copied. */
void pane_group_push(struct ui *ui, const char *group_id, const char *group_type,
    const char *name);

/* The GroupId of an open group pane (owned by it). */
const char *pane_group_id(struct pane *p);

#endif
