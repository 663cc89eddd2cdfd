/* h_ota_task.c — OTA upgrade tasks (guide 4.20): listing a job's tasks, cancelling,
 * confirming and re-upgrading them. A task's state is computed by ota.c from the world
 * clock (ota.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "sim/h_ota.h"
#include "sim/handler.h"
#include "sim/ota.h"

static cJSON *
task_info(struct sim_call *c, const struct sim_job *j, size_t i, const struct sim_task_state *st)
{
	struct sim_ota *o = c->sim->ota;
	const struct sim_firmware *f = &o->fw[j->firmware];
	const struct sim_device *d = &c->store->devs[j->devs[i]];
	const struct sim_product *p = &c->store->products[d->product];
	cJSON *it = cJSON_CreateObject();
	char tid[96], num[32];

	cJSON_AddStringToObject(it, "SrcVersion", f->type == 1 ? f->src : d->firmware != NULL &&
	    strcmp(st->status, "SUCCEEDED") != 0 ? d->firmware : "");
	cJSON_AddStringToObject(it, "DeviceName", d->name);
	cJSON_AddStringToObject(it, "FirmwareId", f->id);
	cJSON_AddStringToObject(it, "IotId", d->iotid);
	cJSON_AddStringToObject(it, "ProductKey", p->key);
	cJSON_AddStringToObject(it, "JobId", j->id);
	cJSON_AddStringToObject(it, "TaskDesc", st->desc);
	cJSON_AddStringToObject(it, "DestVersion", f->dest);
	snprintf(num, sizeof num, "%d", j->timeout_min > 0 ? j->timeout_min : 1440);
	cJSON_AddStringToObject(it, "Timeout", num);
	sim_add_time(it, "UtcCreate", j->created, 0);
	sim_add_time(it, "UtcModified", st->modified, 0);
	cJSON_AddStringToObject(it, "TaskStatus", st->status);
	cJSON_AddStringToObject(it, "ProductName", p->name);
	sim_ota_task_id(j, i, tid, sizeof tid);
	cJSON_AddStringToObject(it, "TaskId", tid);
	snprintf(num, sizeof num, "%.2f", st->progress);
	cJSON_AddStringToObject(it, "Progress", num);
	cJSON_AddStringToObject(it, "ModuleName", f->module);
	return it;
}

static int
list_ota_task_by_job(struct sim_call *c)
{
	struct sim_job *j = sim_need_job(c);
	const char *want = sim_arg(c, "TaskStatus");
	int64_t now = sim_store_now(c->store);
	struct sim_task_state st;
	long page, size;
	size_t i, total = 0, skip;
	cJSON *arr, *data;

	if (j == NULL || sim_page_args(c, 100, &page, &size) != 0)
		return -1;
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	for (i = 0; i < j->ndevs; i++) {
		if (want != NULL || (total >= skip && (size_t)cJSON_GetArraySize(arr) < (size_t)size))
			sim_ota_task_state(c->sim->ota, j, i, now, &st);
		if (want != NULL && strcmp(st.status, want) != 0)
			continue;
		if (total++ < skip || cJSON_GetArraySize(arr) >= size)
			continue;
		cJSON_AddItemToArray(arr, task_info(c, j, i, &st));
	}
	sim_add_paging(c->out, "CurrentPage", page, size, total);
	data = cJSON_AddObjectToObject(c->out, "Data");
	/* The tasks are SimpleOTATaskInfo items (the guide's table, and the official SDK's
	 * model); the guide's example wraps them in SimpleOTAJobInfo, which clients accept
	 * too, but only the one name is sent. */
	cJSON_AddItemToObject(data, "SimpleOTATaskInfo", arr);
	return 0;
}

static void
cancel_task(struct sim_job *j, size_t i, int64_t now)
{
	struct sim_task_ov *ov = sim_ota_overrides(j);

	ov[i].canceled = now;
	j->done = 0;
	if (j->cursor > i)
		j->cursor = i;
}

static int
cancel_ota_task_by_job(struct sim_call *c)
{
	struct sim_job *j = sim_need_job(c);
	int64_t now = sim_store_now(c->store);
	struct sim_task_state st;
	int confirm, queued, notified, in_progress, scheduled;
	size_t i;

	/* CancelUnconfirmedTask has no default (guide 4.20.15 line 24311): when it is not
	 * passed, CancelQueuedTask=true cancels the CONFIRM tasks too; when it is passed
	 * (true or false), CancelQueuedTask cancels only the QUEUED ones (line 24308). */
	if (j == NULL || sim_arg_bool(c, "CancelQueuedTask", 0, &queued) != 0 ||
	    sim_arg_bool(c, "CancelUnconfirmedTask", queued, &confirm) != 0 ||
	    sim_arg_bool(c, "CancelNotifiedTask", 0, &notified) != 0 ||
	    sim_arg_bool(c, "CancelInProgressTask", 0, &in_progress) != 0 ||
	    sim_arg_bool(c, "CancelScheduledTask", 0, &scheduled) != 0)
		return -1;
	if (!confirm && !queued && !notified && !in_progress && !scheduled)
		return sim_fail(c, "iot.firmware.CancelOptionsMandatory", "choose at least one task state to cancel.");
	for (i = 0; i < j->ndevs; i++) {
		sim_ota_task_state(c->sim->ota, j, i, now, &st);
		if ((confirm && strcmp(st.status, "CONFIRM") == 0) ||
		    (queued && strcmp(st.status, "QUEUED") == 0 && now >= j->start) ||
		    (scheduled && now < j->start) ||
		    (notified && strcmp(st.status, "NOTIFIED") == 0) ||
		    (in_progress && strcmp(st.status, "IN_PROGRESS") == 0))
			cancel_task(j, i, now);
	}
	j->modified = now;
	return 0;
}

static int
cancel_ota_task_by_device(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_firmware *f = sim_need_firmware(c);
	struct sim_ota *o = c->sim->ota;
	const char *jid = sim_arg(c, "JobId");
	int64_t now = sim_store_now(c->store);
	struct sim_task_state st;
	struct sim_job tmp;
	size_t i, k, n;

	if (p == NULL || f == NULL)
		return -1;
	memset(&tmp, 0, sizeof tmp);
	if (sim_need_named_devices(c, "DeviceName", 200, p, &tmp) != 0)
		return -1;
	for (k = 0; k < o->njobs; k++) {
		struct sim_job *j = &o->jobs[k];
		if (j->firmware != (size_t)(f - o->fw) || (jid != NULL && strcmp(j->id, jid) != 0))
			continue;
		for (i = 0; i < j->ndevs; i++) {
			for (n = 0; n < tmp.ndevs; n++) {
				if (j->devs[i] != tmp.devs[n])
					continue;
				sim_ota_task_state(c->sim->ota, j, i, now, &st);
				if (!st.final)
					cancel_task(j, i, now);
			}
		}
	}
	free(tmp.devs);
	return 0;
}

static int
confirm_ota_task(struct sim_call *c)
{
	const char **ids;
	size_t n = sim_arg_list(c, "TaskId", &ids), i, ti;
	int64_t now = sim_store_now(c->store);
	struct sim_task_state st;

	if (n == 0 || n > 10) {
		free(ids);
		return sim_fail(c, n == 0 ? "iot.ota.TaskIdsIsNull" : "iot.ota.TooManyOtaTask",
		    "TaskId.N: 1 to 10 task ids.");
	}
	for (i = 0; i < n; i++) {
		struct sim_job *j = sim_ota_find_task(c->sim->ota, ids[i], &ti);
		if (j == NULL) {
			sim_fail(c, "iot.ota.InvalidTaskId", "task %s does not exist.", ids[i]);
			free(ids);
			return -1;
		}
		sim_ota_task_state(c->sim->ota, j, ti, now, &st);
		if (strcmp(st.status, "CONFIRM") != 0) {
			sim_fail(c, "iot.firmware.InvalidTaskStatus", "task %s is not waiting for confirmation.", ids[i]);
			free(ids);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		struct sim_job *j = sim_ota_find_task(c->sim->ota, ids[i], &ti);
		struct sim_task_ov *ov = sim_ota_overrides(j);
		ov[ti].confirmed = 1;
		ov[ti].restart = now > j->start ? now : j->start;
	}
	free(ids);
	return 0;
}

static int
reupgrade_ota_task(struct sim_call *c)
{
	struct sim_job *j = sim_need_job(c);
	const char **ids;
	size_t n, i, ti;
	int64_t now = sim_store_now(c->store);
	struct sim_task_state st;

	if (j == NULL)
		return -1;
	n = sim_arg_list(c, "TaskId", &ids);
	if (n == 0 || n > 10) {
		free(ids);
		return sim_fail(c, n == 0 ? "iot.ota.TaskIdsIsNull" : "iot.ota.TooManyOtaTask",
		    "TaskId.N: 1 to 10 task ids.");
	}
	for (i = 0; i < n; i++) {
		struct sim_job *tj = sim_ota_find_task(c->sim->ota, ids[i], &ti);
		if (tj == NULL) {
			sim_fail(c, "iot.ota.InvalidTaskId", "task %s does not exist.", ids[i]);
			free(ids);
			return -1;
		}
		if (tj != j) {
			sim_fail(c, "iot.ota.UnmatchedJob", "task %s is not in the job.", ids[i]);
			free(ids);
			return -1;
		}
		sim_ota_task_state(c->sim->ota, j, ti, now, &st);
		if (strcmp(st.status, "FAILED") != 0 && strcmp(st.status, "CANCELED") != 0) {
			sim_fail(c, "iot.ota.InvalidTaskExist", "task %s has not failed or been canceled.", ids[i]);
			free(ids);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		struct sim_task_ov *ov;
		sim_ota_find_task(c->sim->ota, ids[i], &ti);
		ov = sim_ota_overrides(j);
		ov[ti].restart = now;
		ov[ti].canceled = 0;
		ov[ti].confirmed = 1;
		ov[ti].attempt++;
		if (j->cursor > ti)
			j->cursor = ti;
		j->done = 0;
	}
	if (j->canceled != 0)
		j->canceled = 0;
	j->modified = now;
	free(ids);
	return 0;
}

static int
list_ota_unfinished_task_by_device(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	struct sim_ota *o = c->sim->ota;
	const char **want;
	const char *module = sim_arg(c, "ModuleName");
	size_t nw, k, i, w;
	int64_t now = sim_store_now(c->store);
	struct sim_task_state st;
	uint32_t di;
	cJSON *arr;

	if (d == NULL)
		return -1;
	nw = sim_arg_list(c, "TaskStatusList", &want);
	di = sim_store_device_index(c->store, d);
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "Data"), "SimpleOTATaskInfo");
	for (k = 0; k < o->njobs; k++) {
		const struct sim_job *j = &o->jobs[k];
		if (module != NULL && strcmp(o->fw[j->firmware].module, module) != 0)
			continue;
		for (i = 0; i < j->ndevs; i++) {
			int match = nw == 0;
			if (j->devs[i] != di)
				continue;
			sim_ota_task_state(c->sim->ota, j, i, now, &st);
			if (st.final)
				continue;
			for (w = 0; w < nw; w++)
				match |= strcmp(want[w], st.status) == 0;
			if (sim_arg(c, "TaskStatus") != NULL)
				match = strcmp(sim_arg(c, "TaskStatus"), st.status) == 0;
			if (match)
				cJSON_AddItemToArray(arr, task_info(c, j, i, &st));
		}
	}
	free(want);
	return 0;
}

const struct sim_handler sim_ota_task_handlers[] = {
	{ ACT_ListOTATaskByJob, list_ota_task_by_job },
	{ ACT_CancelOTATaskByJob, cancel_ota_task_by_job },
	{ ACT_CancelOTATaskByDevice, cancel_ota_task_by_device },
	{ ACT_ConfirmOTATask, confirm_ota_task },
	{ ACT_ReupgradeOTATask, reupgrade_ota_task },
	{ ACT_ListOTAUnfinishedTaskByDevice, list_ota_unfinished_task_by_device },
	{ NULL, NULL }
};
