/* seed.h — deterministic fleets: the same (seed, products, devices) always makes the
 * same products, TSLs, devices, nicknames, groups and states. */
#ifndef IOTDECK_SIM_SEED_H
#define IOTDECK_SIM_SEED_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

/* Nicknames planted for display-safety tests: product 0's second device carries an ANSI
 * escape sequence, its third a bidi override (when the product has that many). */
#define SIM_SEED_NICK_ANSI "\033[31mALERT\033[0m 告警"
#define SIM_SEED_NICK_BIDI "\xE2\x80\xAE" "exe.tnemhcatta"

/* Fills an empty simulator with nproducts products and ndevices devices spread over them,
 * plus groups, firmware and OTA jobs. Returns 0, or -1 with *cause set. */
int sim_seed(struct sim *sim, uint64_t seed, size_t nproducts, size_t ndevices,
    char **cause);

#endif
