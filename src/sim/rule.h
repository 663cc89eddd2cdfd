/* rule.h — the rule of a dynamic group (guide 4.10.2 DynamicGroupExpression): conditions
 * on a device's fields in the SQL-like language of QueryDeviceBySQL's WHERE clause
 * (4.8.40), e.g.  product_key = "a1BwAGV****" and name LIKE "test%".
 *
 * What is accepted, as 4.8.40 documents it:
 *   - at most 5 conditions `field op value`, joined by AND / OR (AND binds first, no
 *     parentheses: "不支持嵌套");
 *   - fields: product_key, iot_id, name, nickname, status, group.group_id, tag.tag_name,
 *     tag.tag_value, ota_module.module_name, ota_module.firmware_version (text), and
 *     active_time, gmt_create, gmt_modified (dates, "yyyy-MM-dd HH:mm:ss[.SSS]" in the
 *     service's time, UTC+8, or epoch milliseconds);
 *   - operators: = and != (text and dates; the value may be null), > and < (dates), LIKE
 *     (text, a prefix of at least 4 characters without special characters, ending in %);
 *   - values in double or single quotes; keywords in any case.
 * A rule that breaks these is refused with 4.6's iot.devicesearch.* code for it.
 */
#ifndef IOTDECK_SIM_RULE_H
#define IOTDECK_SIM_RULE_H

#include "sim/store.h"

struct sim_rule;

/* Parses text. Returns the rule, or NULL with *code set to the documented error code
 * (a static string) and *msg to a caller-freed explanation. */
struct sim_rule *sim_rule_parse(const char *text, const char **code, char **msg);
void sim_rule_free(struct sim_rule *r);
/* 1 when device d (not deleted) matches the rule. */
int sim_rule_match(const struct sim_rule *r, const struct sim_store *s,
    const struct sim_device *d);
/* The product every matching device belongs to (a product_key = "..." that every
 * alternative requires), as an index into s->products; -1 when the rule does not pin one
 * (or names a product that does not exist: then -2, nothing matches). */
long sim_rule_product(const struct sim_rule *r, struct sim_store *s);

#endif
