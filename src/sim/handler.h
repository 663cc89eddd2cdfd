/* handler.h — what an API handler gets and the helpers handlers share.
 *
 * A handler runs with the simulator locked (sim_lock). It adds its fields to c->out (which already
 * holds RequestId; the gateway adds Success:true when the handler returns 0), or returns
 * -1 after sim_fail (an iot.* business error, HTTP 200) or sim_gw_fail (a gateway error).
 */
#ifndef IOTDECK_SIM_HANDLER_H
#define IOTDECK_SIM_HANDLER_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/params.h"
#include "sim/reply.h"
#include "sim/sim.h"

/* Whether a write reached the device it is aimed at (the write log's "applied"). */
enum sim_reach {
	SIM_REACH_IF_OK,	/* when the call succeeds (the default) */
	SIM_REACH_YES,		/* even when it answers an error (a sync service that timed out ran) */
	SIM_REACH_NO		/* not even when it succeeds (a message to a device that is not connected) */
};

/* A device a call is aimed at. */
struct sim_target {
	uint32_t       dev;	/* index in store->devs */
	enum sim_reach reach;	/* whether the write reached it */
};

struct sim_call {
	struct sim          *sim;	/* the simulator (locked): store, OTA state, bucket */
	struct sim_store    *store;	/* sim->store, the world (the handlers' usual need) */
	const struct params *p;		/* request parameters, query and form merged */
	const char          *akid;	/* caller's AccessKeyId */
	const char          *action;	/* API name */
	const char          *base_url;	/* "http(s)://HOST:PORT" the client reached the simulator at */
	cJSON               *out;	/* the response object being built */
	struct sim_error     err;	/* set by sim_fail / sim_gw_fail */
	int                  reply_ms;	/* wait this long (real ms) before answering, store
					   unlocked: a device's reply to a sync service */
	int                  record;	/* record targets (the write log wants them) */
	struct sim_target   *targets;	/* the devices the call is aimed at (owned; record only) */
	size_t               ntargets;	/* targets used */
};

typedef int (*sim_handler_fn)(struct sim_call *c);

struct sim_handler {
	const char     *action;		/* API name */
	sim_handler_fn  fn;		/* the handler */
};

/* Handler tables, each ended by a row with a NULL action. */
extern const struct sim_handler sim_product_handlers[];
extern const struct sim_handler sim_device_handlers[];
extern const struct sim_handler sim_group_handlers[];
extern const struct sim_handler sim_thing_handlers[];
extern const struct sim_handler sim_use_handlers[];
extern const struct sim_handler sim_use_query_handlers[];
extern const struct sim_handler sim_use_shadow_handlers[];
extern const struct sim_handler sim_ota_fw_handlers[];
extern const struct sim_handler sim_ota_job_handlers[];
extern const struct sim_handler sim_ota_task_handlers[];

/* Returns the handler for action, or NULL. */
const struct sim_handler *sim_handler_find(const char *action);

/* Sets an iot.* business error; returns -1. */
int sim_fail(struct sim_call *c, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets a gateway error with HTTP status http; returns -1. */
int sim_gw_fail(struct sim_call *c, int http, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The parameter's value or NULL (an empty value counts as absent). */
const char *sim_arg(const struct sim_call *c, const char *name);
/* Adds the paging totals of a list answer to o: PageCount, PageSize, the page number under
 * page_name ("CurrentPage" or "Page", as each API spells it) and Total. */
void sim_add_paging(cJSON *o, const char *page_name, long page, long size, size_t total);
/* The width of a name as the guide counts it (a Chinese character counts 2): ASCII
 * letters and digits and the characters of extra are allowed; beyond ASCII, CJK ideographs
 * only (cjk_only) or any printable character. -1 for anything else or invalid UTF-8. */
int sim_name_width(const char *s, const char *extra, int cjk_only);
/* Parses an integer parameter: absent -> dflt; malformed or outside [min,max] ->
 * gateway error Invalid{Name} (400) and -1. */
int sim_arg_long(struct sim_call *c, const char *name, long dflt, long min, long max,
    long *out);
/* Parses a boolean parameter ("true"/"false", any case). */
int sim_arg_bool(struct sim_call *c, const char *name, int dflt, int *out);
/* Reads CurrentPage (default 1) and PageSize (default 10, at most max); a value out of
 * range sets iot.common.InvalidPageParams. Returns 0, or -1 after the error. */
int sim_page_args(struct sim_call *c, long max, long *page, long *size);
/* The number of Tag.1.TagKey, Tag.2.TagKey, ... parameters (up to the first gap). */
size_t sim_arg_tag_count(const struct sim_call *c);
/* Whether an object has every tag Tag.N.TagKey (N = 1..ntags) of the call, with the value
 * Tag.N.TagValue when one is given: get(obj, key) returns the object's value of a tag, or
 * NULL when it has no such tag. */
int sim_tags_match(const struct sim_call *c, size_t ntags,
    const char *(*get)(const void *obj, const char *key), const void *obj);
/* Collects Name.1, Name.2, ... (stops at the first gap). Returns the count; *vals is a
 * caller-freed array of pointers into c->p. */
size_t sim_arg_list(const struct sim_call *c, const char *name, const char ***vals);

/* Notes that the call is aimed at device d, which the write did (or did not) reach; a
 * second note of the same device updates its reach. Only when c->record is set (the
 * gateway frees c->targets); sim_need_device notes the device it finds. */
void sim_call_target(struct sim_call *c, const struct sim_device *d, enum sim_reach reach);

/* Finds the product named by ProductKey; sets iot.prod.NullProductKey or
 * iot.prod.NotExistedProduct and returns NULL. */
struct sim_product *sim_need_product(struct sim_call *c);
/* Finds the device by IotId, else by ProductKey + DeviceName; sets the guide's errors
 * and returns NULL. iotid_name is the parameter name of the id ("IotId", or "Id"). The
 * device found is noted as the call's target (sim_call_target, SIM_REACH_IF_OK). */
struct sim_device *sim_need_device(struct sim_call *c, const char *iotid_name);

/* Time formats of the API (ms since the epoch). */
/* "2019-02-20T02:16:09.000Z" */
void sim_fmt_utc(int64_t ms, char out[32]);
/* "2019-02-20 10:16:09" (UTC+8, the console's local time) */
void sim_fmt_local(int64_t ms, char out[32]);
/* "Wed, 20-Feb-2019 02:16:09 GMT" */
void sim_fmt_gmt(int64_t ms, char out[40]);
/* Adds a string field only when s is non-NULL. */
void sim_add_str(cJSON *o, const char *name, const char *s);
/* Adds the time ms to o in format fmt (0: utc, 1: local, 2: gmt) unless ms == 0. */
void sim_add_time(cJSON *o, const char *name, int64_t ms, int fmt);

#endif
