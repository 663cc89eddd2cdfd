/* otaops.h — OTA writes from the console (otaops.c): :job-cancel, :job-retry,
 * :task-confirm, :task-cancel, :task-retry, :firmware-delete, and the OTA panes' operations
 * menu. Each is an operation of uiops.h. */
#ifndef IOTDECK_OTAOPS_H
#define IOTDECK_OTAOPS_H

#include "api/worker.h"
#include "ui/ui.h"

/* 1 when name is an OTA operation command. */
int otaops_is_command(const char *name);
/* Runs one (name as typed, its argument text): 0, or -1 with the reason shown. */
int otaops_command(struct ui *ui, const char *name, const char *arg);
/* Opens the OTA operations menu when the top pane is an OTA pane: 1, else 0 (nothing). */
int otaops_menu(struct ui *ui);
/* An answer of the reads a waiting OTA plan made (ListOTATaskByJob, the console's tag). */
void otaops_answer(struct ui *ui, struct worker_result *r);
/* Frees a plan (NULL is fine). */
void otaops_plan_free(void *arg);

#endif
