/* sim.h — the simulator: the world (store.h), its OTA state (ota.h) and its upload host
 * (oss.h), made, ticked and freed together.
 *
 * DESIGN: dependencies run one way: sim -> {ota, oss} -> store. The store holds products,
 * devices and groups and knows nothing of OTA; the OTA state and the bucket each keep a
 * pointer to the store they work on (its devices, clock and id generator); struct sim
 * owns all three and is what the gateway, the handlers (struct sim_call), seeding and
 * the state file get. One lock, the store's, guards all three (sim_lock).
 */
#ifndef IOTDECK_SIM_SIM_H
#define IOTDECK_SIM_SIM_H

#include <stdint.h>

#include "sim/oss.h"
#include "sim/ota.h"
#include "sim/store.h"

struct sim {
	struct sim_store *store;	/* products, devices, groups, clock, lock (owned) */
	struct sim_ota   *ota;		/* firmware, modules, jobs over store (owned) */
	struct sim_oss   *oss;		/* the bucket GenerateOTAUploadURL points at (owned) */
};

/* An empty simulator whose random ids come from seed (sim_store_new). */
struct sim *sim_new(uint64_t seed);
/* Frees the OTA state, the bucket and the store. NULL is a no-op. */
void sim_free(struct sim *sim);
/* Takes / releases the lock that guards the store, the OTA state and the bucket. */
void sim_lock(struct sim *sim);
void sim_unlock(struct sim *sim);
/* Moves the world on to now: OTA tasks that finished are applied (sim_ota_tick), then
 * devices come and go (sim_world_tick). Locked. */
void sim_tick(struct sim *sim);

#endif
