/* pane_history.h — a numeric property's recent values (QueryDevicePropertyData, guide
 * 4.12.5): the history pane (time, value; newest first, paged with NextTime as the cursor
 * comes near the end), and the request and answer helpers the device pane's sparkline
 * shares with it. */
#ifndef IOTDECK_PANE_HISTORY_H
#define IOTDECK_PANE_HISTORY_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/jsonpath.h"
#include "api/params.h"
#include "ui/ui.h"

/* How far back the history looks. */
#define HISTORY_WINDOW_MS (24LL * 3600 * 1000)
/* The largest PageSize QueryDevicePropertyData takes. */
#define HISTORY_PAGE_MAX 50


/* Fills q for one page of QueryDevicePropertyData: property identifier of the device,
 * newest first (Asc=0), the reports from start_ms to end_ms (both epoch ms), page_size
 * of them (1..HISTORY_PAGE_MAX). The strings are copied. */
void history_params(struct params *q, const char *product_key, const char *device_name,
    const char *identifier, int64_t start_ms, int64_t end_ms, int page_size);

/* The reports of an answer into *list (jsonpath_list_free; items borrowed from json),
 * newest first as asked. *next_end is the EndTime of the next page (the answer's NextTime
 * when NextValid says there is one), else -1. Returns how many. */
size_t history_page(const cJSON *json, struct jsonpath_list *list, int64_t *next_end);

/* One report: *value its Value as the API sent it (a string, borrowed; NULL when it has
 * none), *time_ms its Time (sent as a string or a number). Returns 0, or -1 when the
 * item has no usable Time. */
int history_item(const cJSON *item, const char **value, int64_t *time_ms);


/* Opens the history of property identifier (name and unit: for the title and the unit
 * column, may be NULL) of the device product_key/device_name on top of the stack. Raw
 * text, all copied. */
void pane_history_push(struct ui *ui, const char *product_key, const char *device_name,
    const char *identifier, const char *name, const char *unit);

#endif
