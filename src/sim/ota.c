/* ota.c — OTA state and the computed task lifecycle (see ota.h). */
#include "sim/ota.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

/* World ms a task spends NOTIFIED before the device starts, and the range of its
 * download-and-install time. */
#define NOTIFY_MS 2000
#define INSTALL_MIN_MS 20000
#define INSTALL_SPAN_MS 60000
/* Tasks applied per tick at most. */
#define APPLY_PER_TICK 20000

/* Why a device's upgrade failed (TaskDesc), one chosen per task and attempt: devices fail
 * for different reasons, and the console groups failures by them. */
static const char *const fail_desc[] = {
	"report version is not conform",
	"download failed: connection reset by peer",
	"firmware sign check failed",
	"flash write failed: not enough space",
	"burn failed: the device rolled back",
};

struct sim_ota *
sim_ota_new(struct sim_store *s)
{
	struct sim_ota *o = xcalloc(1, sizeof *o);

	o->store = s;
	o->fail_rate = 0.1;
	return o;
}

void
sim_ota_free(struct sim_ota *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nfw; i++) {
		struct sim_firmware *f = &o->fw[i];
		free(f->id); free(f->name); free(f->dest); free(f->src); free(f->module);
		free(f->desc); free(f->url); free(f->sign); free(f->sign_method); free(f->udi);
	}
	free(o->fw);
	for (i = 0; i < o->njobs; i++) {
		struct sim_job *j = &o->jobs[i];
		free(j->id); free(j->target); free(j->protocol); free(j->group_id);
		free(j->group_name); free(j->desc); free(j->gray_text);
		params_free(&j->tags);
		params_free(&j->src_versions);
		free(j->devs);
		free(j->ov);
	}
	free(o->jobs);
	for (i = 0; i < o->nmods; i++) {
		free(o->mods[i].product_key); free(o->mods[i].name); free(o->mods[i].alias);
		free(o->mods[i].desc);
	}
	free(o->mods);
	free(o);
}

void
sim_ota_task_state(const struct sim_ota *o, const struct sim_job *j, size_t i, int64_t now,
    struct sim_task_state *st)
{
	const struct sim_store *s = o->store;
	const struct sim_task_ov *ov = j->ov != NULL ? &j->ov[i] : NULL;
	const struct sim_device *d = &s->devs[j->devs[i]];
	int64_t base = j->start, notify, run, end, cancel = j->canceled;
	uint64_t h;
	unsigned attempt = 0;
	int failed;

	memset(st, 0, sizeof *st);
	st->desc = "";
	if (ov != NULL && ov->restart != 0) {
		base = ov->restart;
		attempt = ov->attempt;
	}
	if (ov != NULL && ov->canceled != 0 && (cancel == 0 || ov->canceled < cancel))
		cancel = ov->canceled;
	/* ScheduleFinishTime ends the upgrade: what is not done by then is canceled (guide
	 * 4.20.8: "不传入该参数，则表示不会强制结束升级", without it the upgrade is not ended by force). */
	if (j->finish != 0 && (cancel == 0 || j->finish < cancel))
		cancel = j->finish;
	if (j->need_confirm && (ov == NULL || !ov->confirmed)) {
		if (cancel != 0 && cancel <= now) {
			st->status = "CANCELED";
			st->modified = cancel;
			st->final = 1;
			return;
		}
		st->status = "CONFIRM";
		st->modified = j->created;
		return;
	}
	h = sim_store_mix(sim_store_mix(s->seed, (uint64_t)(uintptr_t)(j - o->jobs) * 7919 + attempt), i);
	notify = base + (int64_t)((double)(i % 100000) * 60000.0 / (j->max_per_min > 0 ? j->max_per_min : 10000));
	run = notify + NOTIFY_MS + (int64_t)(h % 3000);
	end = run + INSTALL_MIN_MS + (int64_t)((h >> 12) % INSTALL_SPAN_MS);
	failed = (double)((h >> 24) % 10000) < o->fail_rate * 10000.0;
	/* Devices that never connected (or are disabled) stay NOTIFIED and time out, the
	 * timeout counted from their turn (a task after the first 10 minutes of a slow job
	 * would otherwise time out while still QUEUED, and a cancel could not reach it). */
	if (d->active == 0 || d->disabled || d->deleted) {
		end = notify + (int64_t)(j->timeout_min > 0 ? j->timeout_min : 1440) * 60000;
		run = end;
		failed = 1;
	}
	if (cancel != 0 && cancel < end && cancel <= now) {
		st->status = "CANCELED";
		st->modified = cancel;
		st->final = 1;
		st->progress = cancel > run ? 100.0 * (double)(cancel - run) / (double)(end - run) : 0;
		return;
	}
	if (now < notify) {
		st->status = "QUEUED";
		st->modified = base;
	} else if (now < run) {
		st->status = "NOTIFIED";
		st->modified = notify;
	} else if (now < end) {
		st->status = "IN_PROGRESS";
		st->modified = run;
		st->progress = 100.0 * (double)(now - run) / (double)(end - run);
		if (failed && st->progress > 60.0)
			st->progress = 60.0;
	} else if (failed) {
		st->status = "FAILED";
		st->modified = end;
		st->progress = d->active == 0 ? 0 : 60.0;
		st->desc = d->active == 0 || d->disabled ? "timeout: the device did not respond"
		    : fail_desc[(h >> 40) % (sizeof fail_desc / sizeof fail_desc[0])];
		st->final = 1;
	} else {
		st->status = "SUCCEEDED";
		st->modified = end;
		st->progress = 100.0;
		st->final = 1;
	}
	if (st->progress > 100.0)
		st->progress = 100.0;
}

const char *
sim_ota_job_status(const struct sim_ota *o, const struct sim_job *j, int64_t now)
{
	struct sim_task_state st;
	size_t i;

	if (j->canceled != 0 && j->canceled <= now)
		return "CANCELED";
	if (j->finish != 0 && j->finish <= now && j->type == SIM_JOB_DYNAMIC)
		return "COMPLETED";	/* its strategy ended at ScheduleFinishTime */
	if (now < j->start)
		return "PLANNED";
	if (j->done)
		return "COMPLETED";
	for (i = j->cursor; i < j->ndevs; i++) {
		sim_ota_task_state(o, j, i, now, &st);
		if (!st.final)
			return "IN_PROGRESS";
	}
	return j->type == SIM_JOB_DYNAMIC ? "IN_PROGRESS" : "COMPLETED";
}

struct sim_task_ov *
sim_ota_overrides(struct sim_job *j)
{
	if (j->ov == NULL)
		j->ov = xcalloc(j->ndevs ? j->ndevs : 1, sizeof *j->ov);
	return j->ov;
}

void
sim_ota_tick(struct sim_ota *o)
{
	struct sim_store *s = o->store;
	int64_t now = sim_store_now(s);
	struct sim_task_state st;
	size_t k, budget = APPLY_PER_TICK;

	for (k = 0; k < o->njobs && budget > 0; k++) {
		struct sim_job *j = &o->jobs[k];
		struct sim_firmware *f = &o->fw[j->firmware];
		int all_ok = 1;
		if (j->done || now < j->start)
			continue;
		while (j->cursor < j->ndevs && budget > 0) {
			sim_ota_task_state(o, j, j->cursor, now, &st);
			if (!st.final)
				break;
			if (strcmp(st.status, "SUCCEEDED") == 0 && !s->devs[j->devs[j->cursor]].deleted)
				s->devs[j->devs[j->cursor]].firmware = sim_store_intern(s, f->dest);
			j->cursor++;
			budget--;
		}
		if (j->cursor < j->ndevs || j->type == SIM_JOB_DYNAMIC)
			continue;
		j->done = 1;
		j->modified = now;
		if (j->type == SIM_JOB_VERIFY) {
			size_t i;
			for (i = 0; i < j->ndevs; i++) {
				sim_ota_task_state(o, j, i, now, &st);
				all_ok &= strcmp(st.status, "SUCCEEDED") == 0;
			}
			f->status = all_ok ? 1 : 3;
			f->modified = now;
		}
	}
}

void
sim_ota_task_id(const struct sim_job *j, size_t i, char *out, size_t len)
{
	snprintf(out, len, "%sT%zu", j->id, i);
}

struct sim_job *
sim_ota_find_task(struct sim_ota *o, const char *task_id, size_t *i)
{
	const char *t = strrchr(task_id, 'T');
	char *end;
	size_t k, n;

	if (t == NULL || t[1] < '0' || t[1] > '9')
		return NULL;
	n = strtoul(t + 1, &end, 10);
	if (*end != '\0')
		return NULL;
	for (k = 0; k < o->njobs; k++) {
		struct sim_job *j = &o->jobs[k];
		if (strlen(j->id) == (size_t)(t - task_id) && strncmp(j->id, task_id, (size_t)(t - task_id)) == 0 &&
		    n < j->ndevs) {
			*i = n;
			return j;
		}
	}
	return NULL;
}

struct sim_firmware *
sim_ota_firmware(struct sim_ota *o, const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < o->nfw; i++)
		if (!o->fw[i].deleted && strcmp(o->fw[i].id, id) == 0)
			return &o->fw[i];
	return NULL;
}

struct sim_job *
sim_ota_job(struct sim_ota *o, const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < o->njobs; i++)
		if (strcmp(o->jobs[i].id, id) == 0)
			return &o->jobs[i];
	return NULL;
}

struct sim_job *
sim_ota_add_job(struct sim_ota *o, struct sim_job *j)
{

	o->jobs = xreallocarray(o->jobs, o->njobs + 1, sizeof *o->jobs);
	o->jobs[o->njobs] = *j;
	return &o->jobs[o->njobs++];
}

struct sim_firmware *
sim_ota_add_firmware(struct sim_ota *o, struct sim_firmware *f)
{

	o->fw = xreallocarray(o->fw, o->nfw + 1, sizeof *o->fw);
	o->fw[o->nfw] = *f;
	return &o->fw[o->nfw++];
}

void
sim_ota_seed(struct sim_ota *o)
{
	struct sim_store *s = o->store;
	int64_t now = sim_store_now(s);
	size_t pi;

	for (pi = 0; pi < s->nproducts && pi < 3; pi++) {
		struct sim_product *p = &s->products[pi];
		struct sim_firmware f;
		struct sim_job j;
		char id[32];
		size_t i;

		memset(&f, 0, sizeof f);
		sim_store_rand_chars(s, id, 22);
		f.id = xasprintf("%s0%zu", id, pi);
		f.name = xasprintf("%s-fw-2.1.0", p->key);
		f.dest = xstrdup("2.1.0");
		f.src = xstrdup("");
		f.module = xstrdup("default");
		f.desc = xstrdup("seeded firmware: stability fixes");
		f.url = xasprintf("http://iotdeck-sim.invalid/ota/%s/fw-2.1.0.bin", p->key);
		f.sign = xstrdup("5eb63bbbe01eeed093cb22bb8f5acdc3");
		f.sign_method = xstrdup("MD5");
		f.udi = xstrdup("");
		f.product = pi;
		f.status = 1;
		f.size = 524288;
		f.created = f.modified = now - 86400000;
		sim_ota_add_firmware(o, &f);
		if (p->ndevs == 0)
			continue;
		memset(&j, 0, sizeof j);
		params_init(&j.tags);
		params_init(&j.src_versions);
		sim_store_rand_chars(s, id, 22);
		j.id = xasprintf("%s0%zu", id, pi);
		j.firmware = o->nfw - 1;
		j.product = pi;
		j.type = SIM_JOB_STATIC;
		j.target = xstrdup("SPECIFIC");
		j.protocol = xstrdup("HTTPS");
		j.group_id = xstrdup("");
		j.group_name = xstrdup("");
		j.desc = xstrdup("seeded rollout");
		j.need_push = 1;
		j.timeout_min = 1440;
		j.max_per_min = 20;
		j.created = j.start = j.modified = now - 120000;
		j.ndevs = p->ndevs < 50 ? p->ndevs : 50;
		j.devs = xreallocarray(NULL, j.ndevs, sizeof *j.devs);
		for (i = 0; i < j.ndevs; i++)
			j.devs[i] = p->devs[i];
		params_set(&j.tags, "wave", "1");
		sim_ota_add_job(o, &j);
	}
}
