/* devstates.c — the live states of the device rows on screen (see devstates.h). */
#include "ui/devstates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/model.h"
#include "core/clock.h"
#include "core/xmalloc.h"

static int
is_device(const struct devstates *ds, const struct table_row *r)
{
	return ds->is_device == NULL || ds->is_device(r);
}

int
devstates_ask(struct pane *p, const struct devstates *ds, intptr_t kind)
{
	size_t first, count, i, j, n;
	struct params q = PARAMS_INIT;
	int batch = action_get(ACT_BatchGetDeviceState)->batch_max, sent = 0;
	const struct table_row *r;
	const char *pk;
	char name[32];

	table_visible(p->table, &first, &count);
	for (i = 0; i < count; i = j) {
		r = table_shown_row(p->table, first + i);
		j = i + 1;
		if (!is_device(ds, r))
			continue;
		pk = r->cells[ds->c_product];
		params_set(&q, "ProductKey", pk);
		for (j = i, n = 0; j < count && (int)n < batch; j++) {
			r = table_shown_row(p->table, first + j);
			if (!is_device(ds, r) || strcmp(r->cells[ds->c_product], pk) != 0)
				break;
			snprintf(name, sizeof name, "DeviceName.%zu", ++n);
			params_set(&q, name, r->cells[ds->c_name]);
		}
		ui_request(p, ACT_BatchGetDeviceState, &q, WORKER_REFRESH, kind);
		params_free(&q);
		sent++;
	}
	return sent;
}

void
devstates_apply(struct pane *p, const struct devstates *ds, const cJSON *json)
{
	struct model_list list;
	size_t first, count, i, k;
	double now = clock_mono_s();
	char *key;

	model_list_parse(MODEL_DEVICE_STATUS, json, NULL, &list);
	table_visible(p->table, &first, &count);
	for (i = 0; i < list.count; i++) {
		const struct model_device_status *st = model_list_item(&list, i);
		if (st->device_name == NULL || st->status == NULL)
			continue;
		for (k = 0; k < count; k++) {
			const struct table_row *r = table_shown_row(p->table, first + k);
			if (!is_device(ds, r) || strcmp(r->cells[ds->c_name], st->device_name) != 0)
				continue;
			key = xstrdup(r->key);	/* the row may move when its cell is set */
			table_set_cell(p->table, key, ds->c_status, st->status, now);
			free(key);
			break;
		}
	}
	model_list_free(&list);
}
