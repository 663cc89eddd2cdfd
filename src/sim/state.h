/* state.h — --state FILE: the world saved on exit and loaded on start.
 *
 * The file is JSON Lines: a header line, then one line per product, device (in index
 * order, tombstones included, so groups and OTA jobs can name devices by index), group,
 * firmware, OTA job and OTA module. It holds the devices' secrets: it is written 0600
 * through savefile.h (a new temporary file, fsynced and renamed over FILE; never through a
 * symbolic link), so a crash never leaves half a state behind.
 */
#ifndef IOTDECK_SIM_STATE_H
#define IOTDECK_SIM_STATE_H

#include "sim/sim.h"

/* Writes sim's world and OTA state to path atomically. Returns 0, or -1 with *cause set. */
int sim_state_save(struct sim *sim, const char *path, char **cause);
/* Loads path into the empty simulator sim. Returns 0, 1 when the file does not exist (sim
 * is untouched), or -1 with *cause set (sim is then unusable: free it). */
int sim_state_load(struct sim *sim, const char *path, char **cause);

#endif
