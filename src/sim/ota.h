/* ota.h — OTA firmware, modules, jobs and tasks (guide 4.20).
 *
 * A job's tasks are the indices of its target devices; a task's state is not stored but
 * computed from the world clock: QUEUED until its turn (MaximumPerMinute), NOTIFIED,
 * IN_PROGRESS with rising Progress, then SUCCEEDED or FAILED (a seeded share given by
 * --ota-fail-rate); a task not final at the job's ScheduleFinishTime is CANCELED then.
 * Confirm, cancel and reupgrade only record a time per task (arrays
 * allocated on first use), so a job over a million devices costs 4 bytes a task.
 *
 * An OTA state works on one store (sim_ota.store, not owned: devices, products, the world
 * clock, the id generator) under the store's lock; the store knows nothing of it. struct
 * sim (sim.h) owns both and ticks them together.
 */
#ifndef IOTDECK_SIM_OTA_H
#define IOTDECK_SIM_OTA_H

#include <stddef.h>
#include <stdint.h>

#include "api/params.h"
#include "sim/store.h"

struct sim_firmware {
	char    *id;		/* FirmwareId */
	char    *name;		/* FirmwareName */
	char    *dest;		/* DestVersion */
	char    *src;		/* SrcVersion ("" for a full package) */
	char    *module;	/* ModuleName ("default") */
	char    *desc;		/* FirmwareDesc */
	char    *url;		/* FirmwareUrl */
	char    *sign;		/* FirmwareSign */
	char    *sign_method;	/* SignMethod */
	char    *udi;		/* Udi ("" when none) */
	size_t   product;	/* product index */
	int      type;		/* 0 full, 1 differential */
	int      status;	/* -1 no verification, 0 unverified, 1 verified, 2 verifying, 3 failed */
	long     size;		/* FirmwareSize */
	int      deleted;	/* deleted */
	int64_t  created;	/* epoch ms */
	int64_t  modified;	/* epoch ms */
};

/* Per-task overrides, allocated for a job on first use. */
struct sim_task_ov {
	int64_t  restart;	/* confirm or reupgrade time (0 = none) */
	int64_t  canceled;	/* cancel time (0 = none) */
	uint16_t attempt;	/* reupgrades so far */
	uint8_t  confirmed;	/* ConfirmOTATask done */
};

enum sim_job_type { SIM_JOB_VERIFY, SIM_JOB_STATIC, SIM_JOB_DYNAMIC };

struct sim_job {
	char               *id;			/* JobId */
	size_t              firmware;		/* firmware index */
	size_t              product;		/* product index */
	enum sim_job_type   type;		/* verify, static or dynamic */
	char               *target;		/* TargetSelection: ALL, SPECIFIC, GRAY, GROUP */
	char               *protocol;		/* DownloadProtocol */
	char               *group_id;		/* GroupId ("" when none) */
	char               *group_name;		/* GroupName ("" when none) */
	char               *desc;		/* JobDesc */
	struct params       tags;		/* Tag.N.Key/Value */
	struct params       src_versions;	/* SrcVersion.N (name "v", value the version) */
	int                 need_confirm;	/* NeedConfirm */
	int                 need_push;		/* NeedPush */
	int                 timeout_min;	/* TimeoutInMinutes (0 = none) */
	int                 max_per_min;	/* MaximumPerMinute */
	int                 retry_interval;	/* RetryInterval */
	int                 retry_count;	/* RetryCount */
	int                 dynamic_mode;	/* DynamicMode (dynamic jobs) */
	int                 multi_module;	/* MultiModuleMode */
	int                 overwrite_mode;	/* OverwriteMode */
	double              gray_percent;	/* GrayPercent */
	char               *gray_text;		/* GrayPercent as set (NULL: format gray_percent) */
	int64_t             created;		/* epoch ms */
	int64_t             start;		/* ScheduleTime, else creation */
	int64_t             schedule;		/* ScheduleTime (0 = none) */
	int64_t             finish;		/* ScheduleFinishTime (0 = none) */
	int64_t             canceled;		/* whole job canceled (strategy), 0 = no */
	int64_t             modified;		/* last change */
	uint32_t           *devs;		/* task i upgrades device devs[i] */
	size_t              ndevs;		/* tasks */
	struct sim_task_ov *ov;			/* per-task overrides, NULL until needed */
	size_t              cursor;		/* tasks before it are final and applied */
	int                 done;		/* every task final (results applied) */
};

struct sim_ota_module {
	char   *product_key;	/* ProductKey */
	char   *name;		/* ModuleName */
	char   *alias;		/* AliasName */
	char   *desc;		/* Desc */
	int64_t created;	/* epoch ms */
	int64_t modified;	/* epoch ms */
};

struct sim_ota {
	struct sim_store      *store;	/* the world whose devices the jobs upgrade (not owned) */
	double                 fail_rate;	/* share of tasks that fail (0..1, --ota-fail-rate) */
	struct sim_firmware   *fw;	/* firmware, creation order */
	size_t                 nfw;	/* used */
	struct sim_job        *jobs;	/* jobs, creation order */
	size_t                 njobs;	/* used */
	struct sim_ota_module *mods;	/* OTA modules */
	size_t                 nmods;	/* used */
};

/* A task's state at a time. */
struct sim_task_state {
	const char *status;	/* CONFIRM, QUEUED, NOTIFIED, IN_PROGRESS, SUCCEEDED, FAILED, CANCELED */
	double      progress;	/* 0..100 */
	int64_t     modified;	/* when it entered that state */
	const char *desc;	/* TaskDesc ("" when none) */
	int         final;	/* SUCCEEDED, FAILED or CANCELED */
};

/* A new, empty OTA state over the world s (fail_rate 0.1). */
struct sim_ota *sim_ota_new(struct sim_store *s);
/* Frees an OTA state (not its store). */
void sim_ota_free(struct sim_ota *o);
/* Seeds firmware and a few jobs in flight for the first products (ids from the store's
 * generator). */
void sim_ota_seed(struct sim_ota *o);
/* The state of task i of job j at world time now. */
void sim_ota_task_state(const struct sim_ota *o, const struct sim_job *j, size_t i,
    int64_t now, struct sim_task_state *st);
/* JobStatus of j: PLANNED, IN_PROGRESS, COMPLETED or CANCELED. */
const char *sim_ota_job_status(const struct sim_ota *o, const struct sim_job *j, int64_t now);
/* Applies finished tasks (device firmware versions, verification results). Bounded
 * work per call; run from sim_tick (sim.h). */
void sim_ota_tick(struct sim_ota *o);
/* The per-task overrides of j, allocated on first use. */
struct sim_task_ov *sim_ota_overrides(struct sim_job *j);
/* Writes the TaskId of task i of job j into out (NUL-terminated). */
void sim_ota_task_id(const struct sim_job *j, size_t i, char *out, size_t len);
/* Finds a task by TaskId: returns its job and sets *i, or NULL. */
struct sim_job *sim_ota_find_task(struct sim_ota *o, const char *task_id, size_t *i);
/* Firmware / job lookup by id (deleted firmware is not found), or NULL. */
struct sim_firmware *sim_ota_firmware(struct sim_ota *o, const char *id);
struct sim_job *sim_ota_job(struct sim_ota *o, const char *id);
/* Adds a job (o takes its strings and arrays); returns it. */
struct sim_job *sim_ota_add_job(struct sim_ota *o, struct sim_job *j);
/* Adds firmware; returns it. */
struct sim_firmware *sim_ota_add_firmware(struct sim_ota *o, struct sim_firmware *f);

#endif
