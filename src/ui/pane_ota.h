/* pane_ota.h — what the OTA panes (pane_ota.c) tell the OTA operations (otaops.c). */
#ifndef IOTDECK_PANE_OTA_H
#define IOTDECK_PANE_OTA_H

#include <stdint.h>

#include "ui/ui.h"

/* The task states, in the order of counts[] below. */
#define PANE_OTA_STATES { "CONFIRM", "QUEUED", "NOTIFIED", "IN_PROGRESS", "SUCCEEDED", \
	"FAILED", "CANCELED" }

/* A job's tasks pane: its job and what it knows (borrowed from the pane). */
struct pane_tasks_job {
	const char    *job_id;		/* JobId */
	const char    *product_key;	/* its ProductKey, NULL until QueryOTAJob answered */
	const char    *firmware_id;	/* its FirmwareId, the same */
	const int64_t *counts;		/* tasks per state (PANE_OTA_STATES; -1 unknown) */
	int            loaded;		/* every task row is loaded */
};

/* Fills out when p is a job's tasks pane: 0, else -1. */
int pane_tasks_job(struct pane *p, struct pane_tasks_job *out);

#endif
