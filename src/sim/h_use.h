/* h_use.h — what the thing-model handler files (h_use.c, h_use_query.c, h_use_shadow.c)
 * share; all defined in h_use.c. Not for other files.
 */
#ifndef IOTDECK_SIM_H_USE_H
#define IOTDECK_SIM_H_USE_H

#include <cjson/cJSON.h>

#include "sim/handler.h"

/* The draft TSL of d's product (NULL when it has none). */
const cJSON *sim_use_tsl(const struct sim_call *c, const struct sim_device *d);
/* Refuses a call to a disabled device (iot.messagebroker.OFFLINE: a disabled device is
 * never connected; the guide gives no code); returns -1 then, else 0. */
int sim_use_refuse_disabled(struct sim_call *c, const struct sim_device *d);
/* The first member name the JSON object o holds twice (cJSON keeps both), or NULL. */
const char *sim_use_duplicate_key(const cJSON *o);
/* Parses an Items text and checks it against tsl: every identifier a read-write property,
 * every value of its type and in its range (null too when allow_null: it clears a desired
 * value). Returns the object (caller deletes) or NULL with an error set. */
cJSON *sim_use_parse_items(struct sim_call *c, const cJSON *tsl, const char *text, int allow_null);
/* The unit of a TSL property (dataType.specs.unit), or NULL. */
const char *sim_use_unit(const cJSON *prop);

#endif
