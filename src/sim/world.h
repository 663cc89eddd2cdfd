/* world.h — the living fleet: the world clock's effects on devices.
 *
 * Devices come online and go offline (sim_world_tick, every s->flap_ms on average), report their properties every
 * SIM_REPORT_MS of world time (values are a pure function of the seed, the device, the
 * property and the report slot, so history queries need no storage), apply
 * SetDeviceProperty after SIM_APPLY_MS (sim_world_sync), and raise events now and then.
 *
 * Messages to a device (property sets, service calls) reach it only over a working link
 * (sim_world_link): a disabled device cannot connect (guide 4.8.12), an offline one is
 * not connected, and one whose connection dropped less than a heartbeat period ago
 * (SIM_HEARTBEAT_MS of world time) is half connected, the RRPC state HALFCONN of guide
 * 4.17.6; so is a share s->halfconn_rate of the messages to ONLINE devices (--halfconn-rate:
 * a link that died silently, which the platform has not noticed yet). A device answers a
 * sync service after sim_world_reply_ms (s->service_ms plus up to s->service_jitter_ms,
 * by default half of it, real time, drawn
 * from the seed and the MessageId: the same calls in the same order take the same time);
 * the platform waits SIM_SERVICE_TIMEOUT_MS for it (guide 4.12.3).
 */
#ifndef IOTDECK_SIM_WORLD_H
#define IOTDECK_SIM_WORLD_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/store.h"

/* World ms between two property reports of a device. */
#define SIM_REPORT_MS 60000
/* World ms before a device applies a property set. */
#define SIM_APPLY_MS 500
/* World ms of an event slot (a device raises at most one event per slot). */
#define SIM_EVENT_MS (3600LL * 1000)

/* Default reply time of a device to a sync service (real ms; --service-latency-ms). */
#define SIM_SERVICE_MS 200
/* The longest a sync service call waits for the device's answer (guide 4.12.3: 5 s). */
#define SIM_SERVICE_TIMEOUT_MS 5000
/* World ms after a device's connection drops during which it is half connected. */
#define SIM_HEARTBEAT_MS 60000

/* How a message to a device fares. */
enum sim_link {
	SIM_LINK_UP,	/* connected: the device gets it */
	SIM_LINK_HALF,	/* half connected (HALFCONN): lost */
	SIM_LINK_DOWN	/* offline, never connected or disabled (OFFLINE): lost */
};

/* The link to d for the message numbered mid (s->msg_id after sim_world_message_id).
 * Store locked. */
enum sim_link sim_world_link(const struct sim_store *s, const struct sim_device *d,
    uint64_t mid);
/* How long (real ms) d takes to answer the sync service call numbered mid. */
int sim_world_reply_ms(const struct sim_store *s, uint64_t mid);

/* Advances the world to now: status changes since the last tick. Store locked. */
void sim_world_tick(struct sim_store *s);
/* Applies d's property sets that are due. Store locked. */
void sim_world_sync(struct sim_store *s, struct sim_device *d);
/* Queues a property set (items: identifier -> value; copied) to apply at now+delay. */
void sim_world_queue_set(struct sim_store *s, struct sim_device *d, const cJSON *items);
/* Records a service call in d's history (strings copied). */
void sim_world_record_service(struct sim_store *s, struct sim_device *d, const char *id,
    const char *name, int64_t t, const char *in, const char *out);
/* Returns a new MessageId string (caller frees). */
char *sim_world_message_id(struct sim_store *s);

/* The value of property prop (a TSL property object) of d at world time t: a new JSON
 * value (caller deletes) and in *at the time it was reported; NULL when the device had
 * not reported by then. */
cJSON *sim_world_value(struct sim_store *s, const struct sim_device *d, const cJSON *prop,
    int64_t t, int64_t *at);
/* The report slot times of d between from and to (inclusive): the first slot time at or
 * after from; step SIM_REPORT_MS. Returns 0 when d never reports. */
int64_t sim_world_first_report(const struct sim_store *s, const struct sim_device *d,
    int64_t from);
/* The event (a new object {"identifier","name","type","output"}) d raised in the event
 * slot holding t, or NULL; *at gets its time. tsl: d's product TSL. */
cJSON *sim_world_event(const struct sim_store *s, const struct sim_device *d,
    const cJSON *tsl, int64_t slot, int64_t *at);

/* Renders a JSON value as the API's string form ("32.46", "1", "{...}"). Caller frees. */
char *sim_world_value_string(const cJSON *v);

#endif
