/* thingmodel.h — conversion between the Alink TSL the simulator stores and the
 * ThingModelJson of guide 4.11.19 (upper-case dataType, dataSpecs/dataSpecsList,
 * rwFlag, inputParams/outputParams, eventType). */
#ifndef IOTDECK_SIM_THINGMODEL_H
#define IOTDECK_SIM_THINGMODEL_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* Returns a new ThingModelJson object for tsl (caller deletes). version goes into
 * "_ppk"; created is the createTs of every function. */
cJSON *sim_thingmodel_from_tsl(const cJSON *tsl, const char *pk, const char *version,
    int64_t created);
/* Adds (replace == 0: each identifier must be new) or replaces (replace == 1: each
 * identifier must exist) the properties, services and events of the ThingModelJson
 * items in tsl. Returns 0, or -1 with *cause set (tsl unchanged then). */
int sim_thingmodel_apply(cJSON *tsl, const cJSON *items, int replace, char **cause);
/* Converts one ThingModelJson dataType/dataSpecs/dataSpecsList holder into a TSL
 * dataType object, or NULL with *cause set. */
cJSON *sim_thingmodel_datatype(const cJSON *holder, char **cause);
/* Checks an identifier: 1-50 of [A-Za-z0-9_], not a reserved word. */
int sim_thingmodel_identifier_ok(const char *id);

#endif
