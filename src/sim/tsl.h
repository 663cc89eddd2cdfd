/* tsl.h — thing models (Alink TSL JSON) of the seeded product templates, and values
 * that fit a TSL data type. */
#ifndef IOTDECK_SIM_TSL_H
#define IOTDECK_SIM_TSL_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* One kind of product the seeder makes. */
struct sim_template {
	const char *name;		/* product name stem, e.g. "温湿度传感器" */
	const char *name_ascii;		/* ASCII stem for device names, e.g. "th-sensor" */
	const char *category_key;	/* CategoryKey */
	const char *category_name;	/* CategoryName */
	int         node_type;		/* 0 device, 1 gateway */
	int         net_type;		/* 3, 6, 7 or 8 */
};

/* Number of templates and the table. */
extern const struct sim_template sim_templates[];
extern const unsigned sim_template_count;

/* Returns a new TSL for template t of productKey pk (caller deletes): properties of every
 * data type (int, float, double, enum, bool, text, date, struct, array), services with
 * input and output data (one sync, one async), events, and the standard
 * set/get services and post event. */
cJSON *sim_tsl_build(unsigned t, const char *pk);

/* Returns a new JSON value valid for the TSL dataType object dt (a "type" and "specs"),
 * drawn from *rng (caller deletes). */
cJSON *sim_tsl_value(const cJSON *dt, uint64_t *rng);
/* Checks value v against dataType dt. Returns 0 or -1 with *cause set. */
int sim_tsl_check(const cJSON *dt, const cJSON *v, char **cause);
/* Finds a property (or service, event) by identifier in tsl's array kind
 * ("properties", "services", "events"); NULL when missing. */
const cJSON *sim_tsl_find(const cJSON *tsl, const char *kind, const char *identifier);

#endif
