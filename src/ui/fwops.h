/* fwops.h — the firmware pane's writes in the console (fwops.c): a verification started
 * (:ota-verify, CreateOTAVerifyJob) and an upgrade job created from a form (:ota-upgrade,
 * CreateOTAStaticUpgradeJob). Each is an operation of uiops.h (listed in :ops, audited,
 * refused at once in a read-only session); otaops.c dispatches its commands here and lists
 * them in the firmware pane's menu. */
#ifndef IOTDECK_FWOPS_H
#define IOTDECK_FWOPS_H

#include "api/worker.h"
#include "ui/ui.h"

/* 1 when name is one of these commands ("ota-verify", "ota-upgrade"). */
int fwops_is_command(const char *name);
/* Runs one (name as typed, its argument text):
 *   :ota-verify FIRMWAREID   in a devices pane: on the marked devices (at most 10);
 *   :ota-verify NAME...      in the firmware pane: the firmware under the cursor, on the
 *                            devices named (spaces or commas; alone, the prompt asks);
 *   :ota-upgrade FIRMWAREID  in a devices pane: the marked devices (at most 200), a form
 *                            for the schedule, pacing and retries;
 *   :ota-upgrade             in the firmware pane: a form with the targets too.
 * Returns 0, or -1 with the reason shown. */
int fwops_command(struct ui *ui, const char *name, const char *arg);
/* An answer of the reads a waiting plan made under the console's tag (QueryOTAFirmware:
 * the firmware's product; QueryProduct, QueryDeviceGroupInfo: how many devices ALL, GRAY
 * or GROUP reaches). Answers of a plan
 * that is no longer waiting are ignored. The caller frees r. */
void fwops_answer(struct ui *ui, struct worker_result *r);

/* The worker goes (quit, region or profile switch): the plan waiting for its reads is
 * dropped (its answers will not come). */
void fwops_stop(void);

#endif
