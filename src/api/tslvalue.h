/* tslvalue.h — values of the thing model (TSL): what an operator types, checked against
 * a property's or parameter's data type (api/model.h, guide 4.11.19) and turned into the
 * JSON value the API takes in Items (SetDeviceProperty, SetDeviceDesiredProperty) and
 * Args (InvokeThingService); and the values the API sends, shown through the type.
 *
 * What is accepted, by type:
 *   int            an integer in int32 (and in [min, max] on the step from min)
 *   float, double  a decimal number in [min, max] on the step from min (to 1e-9 of a step)
 *   bool, enum     the value (0, 1, 2...) or its label ("开", "平"); bool also true/false
 *   text           any valid UTF-8 of at most `length` bytes (default 2048)
 *   date           epoch milliseconds, or a time as the API writes them (2024-01-01
 *                  09:00:00, 2024-01-01T01:00:00Z...): sent as the epoch ms string
 *   struct         a JSON object of its members ({"a":1,"b":"x"}), each checked
 *   array          a JSON array of at most `size` items ([1,2,3]), each checked
 * A refusal says exactly why, naming the identifier, the value and the rule:
 *   "Voltage: 300.5 is above the maximum 300 (float, step 0.1, V)".
 */
#ifndef IOTDECK_TSLVALUE_H
#define IOTDECK_TSLVALUE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "api/model.h"

/* Text of at most this many bytes when the TSL gives no length (4.11.19's maximum). */
#define TSL_TEXT_MAX 2048

/* Turns text (what the operator typed) into the JSON value for data type dt. id names the
 * value in messages. Returns 0 and a caller-deleted *out, or -1 with a caller-freed *cause. */
int tslvalue_parse(const struct tsl_datatype *dt, const char *id, const char *text,
    cJSON **out, char **cause);
/* Checks a JSON value (a struct member, an array item, a value the user gave as JSON)
 * against dt. Returns 0, or -1 with *cause; on success *out is a checked copy (numbers
 * as the type wants them: "1" becomes 1 for an int). */
int tslvalue_check(const struct tsl_datatype *dt, const char *id, const cJSON *v, cJSON **out,
    char **cause);

/* A one-line description of dt for forms and messages: "float 0..300, step 0.1, V",
 * "enum 0 谷, 1 平, 2 峰", "text up to 64 bytes", "struct {a int, b text}". Caller frees. */
char *tslvalue_describe(const struct tsl_datatype *dt);

/* The display of a value v of type dt: enum and bool as "2 平", dates as times (in the
 * console's time format: core/timefmt.h style), other values as their JSON text. v may be
 * a string holding the value (the API sends property values as strings). Caller frees. */
char *tslvalue_show(const struct tsl_datatype *dt, const cJSON *v, int time_style);

/* One "ID=VALUE" assignment of a property. */
struct tslvalue_set {
	const char *id;		/* the identifier */
	const char *text;	/* what was typed */
};

/* Builds the Items of SetDeviceProperty from n assignments against the properties of t:
 * every identifier must be a property (writable ones only when writable_only), every value
 * valid. Returns 0 and a caller-freed compact JSON object in *items, or -1 with *cause
 * naming the first problem (nothing is half built). */
int tslvalue_items(const struct model_tsl *t, const struct tslvalue_set *sets, size_t n,
    int writable_only, char **items, char **cause);
/* The same for the Args of service: its input parameters. */
int tslvalue_args(const struct tsl_service *service, const struct tslvalue_set *sets,
    size_t n, char **args, char **cause);

/* The property, service or parameter named id, or NULL. */
const struct tsl_property *tslvalue_property(const struct model_tsl *t, const char *id);
const struct tsl_service *tslvalue_service(const struct model_tsl *t, const char *id);

#endif
