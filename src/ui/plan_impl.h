/* plan_impl.h — what plan.c (a plan's life: thing models, desired versions, the form, the
 * confirmation, the operation) and plan_cmd.c (the : commands, the menu and completion that
 * make plans) share. Private to those two files. */
#ifndef IOTDECK_PLAN_IMPL_H
#define IOTDECK_PLAN_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "ui/uiops_impl.h"

enum verb_id {
	V_SET, V_INVOKE, V_DESIRED, V_ENABLE, V_DISABLE, V_NICKNAME, V_GROUP_ADD,
	V_GROUP_REMOVE, V_DELETE, V_GROUP_CREATE, V_GROUP_DELETE, V_COUNT
};

enum scope { S_DEVICES, S_GROUPS };

/* The verbs, indexed by enum verb_id (plan.c). */
extern const struct uiops_verb plan_verbs[V_COUNT];

/* A product of a plan, and what its devices get (Items, Args). */
struct plan_product {
	char *pk;		/* ProductKey */
	char *value;		/* the JSON text built from the assignments */
};

struct plan {
	struct ui           *ui;		/* the console */
	enum verb_id         verb;
	uint64_t             id;		/* matches the answers of its reads */
	struct ui_target    *t;		/* the devices (S_DEVICES) */
	size_t               n;
	int                  marked;		/* they are marked rows */
	char                *group_id;	/* S_GROUPS: the group (delete), or the parent
					   (create, NULL: top level) */
	char                *group_type;	/* its GroupType (delete) */
	char                *group_name;	/* its name as shown (delete) */
	char                *service;	/* V_INVOKE: the service, once known */
	char               **ids;		/* assignments: identifiers ... */
	char               **texts;		/* ... and what was typed */
	size_t               nsets;
	char                *text;		/* V_NICKNAME, group verbs: the text argument */
	char                *desc;		/* V_GROUP_CREATE: the description */
	struct plan_product *prods;		/* the products of the devices */
	size_t               nprods;
	char               **versions;	/* V_DESIRED: each device's Versions JSON */
	size_t               versions_got;	/* answers so far */
	int                  versions_asked;
	int                  formed;		/* the assignments came from a form */
	uint64_t             pane_tag;	/* the pane it came from (current values) */
};

/* Moves the plan on: reads what it needs, asks the operator, confirms, or starts its
 * operation; on any refusal it ends (freed) with the reason on the status bar. */
void plan_step(struct ui *ui, struct plan *pl);
/* Adds the assignment id[0..idlen) = text (copied). */
void plan_add_set(struct plan *pl, const char *id, size_t idlen, const char *text);
/* Collects the distinct products of the plan's devices. */
void plan_products(struct plan *pl);

#endif
