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

/* Runs `ota upgrade` with its parsed words. Returns an exit status. */
int ota_upgrade_main(const struct global_opts *o, const struct ota_args *a);

#endif
