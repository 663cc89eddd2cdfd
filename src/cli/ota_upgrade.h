/* ota_upgrade.h — `iotdeck ota upgrade FIRMWAREID TARGETS [SCHEDULE, PACING]`:
 * CreateOTAStaticUpgradeJob (--devices/--devices-from, --group, --all, --gray PERCENT),
 * or with --dynamic CreateOTADynamicUpgradeJob (--src-version V... or a dynamic --group).
 * Every value is checked against the guide's documented ranges before anything is sent
 * (cli/ota_check.h). At most 200 named devices; with --dn-list up to 10,000, sent as a
 * device-list file (GenerateDeviceNameListURL, its PostObject, DnListFileUrl). Prints
 * the JobId.
 */
#ifndef IOTDECK_OTA_UPGRADE_H
#define IOTDECK_OTA_UPGRADE_H

#include "cli/options.h"
#include "cli/ota.h"

/* The job's parameters from the options (a->opts: "--all", "--gray", "--schedule"...;
 * a->sub and a->pos are not read), every value checked against the guide's ranges: fills
 * p and *action (CreateOTAStaticUpgradeJob, or the dynamic one with --dynamic); with
 * --dn-list the devices go to *dn (caller-freed, *ndn of them) instead of p. Returns 0, or
 * -1 with a caller-freed *cause naming the option (a usage error). The console's
 * :ota-upgrade form (ui/fwops.c) checks its fields with it too. */
int ota_upgrade_params(const struct ota_args *a, struct params *p, const char **action,
    char ***dn, size_t *ndn, char **cause);
/* Runs `ota upgrade` with its parsed words. Returns an exit status. */
int ota_upgrade_main(const struct global_opts *o, const struct ota_args *a);

#endif
