/* devstates.h — the live device states of a table's rows on screen (BatchGetDeviceState),
 * for the panes that list devices (a product's devices, a group's). */
#ifndef IOTDECK_DEVSTATES_H
#define IOTDECK_DEVSTATES_H

#include <stdint.h>

#include <cJSON.h>

#include "ui/table.h"
#include "ui/ui.h"

/* Where a pane's device rows keep what the states need, and which rows are devices. */
struct devstates {
	int c_product;	/* the column of the row's ProductKey */
	int c_name;	/* the column of its DeviceName */
	int c_status;	/* the column its status goes in */
	/* 1 when row r is a device (NULL: every row is). */
	int (*is_device)(const struct table_row *r);
};

/* Asks for the states of the device rows on screen of p's table: a batch a call (the
 * action's batch_max), one product a call, each with udata kind. Returns the requests
 * sent. */
int devstates_ask(struct pane *p, const struct devstates *ds, intptr_t kind);
/* Puts the states of a BatchGetDeviceState answer into the rows on screen (the answer
 * names devices but not their product: they are matched to those rows). */
void devstates_apply(struct pane *p, const struct devstates *ds, const cJSON *json);

#endif
