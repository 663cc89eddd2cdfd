/* h_ota.h — what the OTA handler files (h_ota_fw.c, h_ota_job.c, h_ota_task.c) share.
 * Not for other files: the rest of the simulator reaches OTA through ota.h.
 */
#ifndef IOTDECK_SIM_H_OTA_H
#define IOTDECK_SIM_H_OTA_H

#include <stddef.h>

#include "sim/handler.h"
#include "sim/ota.h"

/* The firmware named by FirmwareId; sets iot.ota.InvalidFirmwareUid and returns NULL
 * when there is none (h_ota_fw.c). */
struct sim_firmware *sim_need_firmware(struct sim_call *c);
/* The job named by JobId; sets iot.ota.InvalidJobId and returns NULL when there is none
 * (h_ota_job.c). */
struct sim_job *sim_need_job(struct sim_call *c);
/* Sets j's tasks to the devices of product p named by param.1, param.2, ... (DeviceName
 * or TargetDeviceName), at most max; returns 0, or -1 after sim_fail (none, too many, one
 * missing) with j->devs unset (h_ota_job.c). */
int sim_need_named_devices(struct sim_call *c, const char *param, size_t max,
    struct sim_product *p, struct sim_job *j);

#endif
