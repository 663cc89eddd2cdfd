/* sim.c — the simulator's parts made, ticked and freed together (see sim.h). */
#include "sim/sim.h"

#include <stdlib.h>

#include "core/xmalloc.h"
#include "sim/world.h"

struct sim *
sim_new(uint64_t seed)
{
	struct sim *sim = xcalloc(1, sizeof *sim);

	sim->store = sim_store_new(seed);
	sim->ota = sim_ota_new(sim->store);
	sim->oss = sim_oss_new(sim->store);
	return sim;
}

void
sim_free(struct sim *sim)
{
	if (sim == NULL)
		return;
	sim_oss_free(sim->oss);
	sim_ota_free(sim->ota);
	sim_store_free(sim->store);
	free(sim);
}

void
sim_lock(struct sim *sim)
{
	sim_store_lock(sim->store);
}

void
sim_unlock(struct sim *sim)
{
	sim_store_unlock(sim->store);
}

void
sim_tick(struct sim *sim)
{
	sim_ota_tick(sim->ota);
	sim_world_tick(sim->store);
}
