/* h_ota_job.c — OTA upgrade jobs (guide 4.20): creating verify, static and dynamic jobs,
 * listing and querying them, cancelling a dynamic job's strategy. Tasks are in
 * h_ota_task.c, firmware in h_ota_fw.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "sim/h_ota.h"
#include "sim/handler.h"
#include "sim/oss.h"
#include "sim/ota.h"

/* (h_ota.h) */
struct sim_job *
sim_need_job(struct sim_call *c)
{
	struct sim_job *j = sim_ota_job(c->sim->ota, sim_arg(c, "JobId"));

	if (j == NULL)
		sim_fail(c, "iot.ota.InvalidJobId", "the job does not exist.");
	return j;
}

/* An upgrade job's package must be of its product and verified (or need no verification);
 * returns -1 after the error. */
static int
check_upgrade_firmware(struct sim_call *c, const struct sim_firmware *f, const struct sim_product *p)
{
	if ((size_t)(p - c->store->products) != f->product)
		return sim_fail(c, "iot.firmware.FirmwareAndProductKeyMismatch",
		    "the OTA package belongs to another product.");
	if (f->status != 1 && f->status != -1)
		return sim_fail(c, "iot.ota.FirmwareNotVerified",
		    "the OTA package has not passed verification.");
	return 0;
}

/* Reads the options common to every job kind into j. */
static int
job_options(struct sim_call *c, struct sim_job *j)
{
	long timeout, maxpm, ri, rc, sched, fin;
	int confirm, push;
	const char *proto = sim_arg(c, "DownloadProtocol");
	char kk[32], kv[32];
	size_t n;

	if (sim_arg_long(c, "TimeoutInMinutes", 0, 1, 1440, &timeout) != 0 ||
	    /* MaximumPerMinute 10..10,000, by default 10,000 (guide 4.20.8 line 23434,
	     * 4.20.9 line 23548). */
	    sim_arg_long(c, "MaximumPerMinute", 10000, 10, 10000, &maxpm) != 0 ||
	    sim_arg_long(c, "RetryInterval", 0, 0, 1440, &ri) != 0 ||
	    sim_arg_long(c, "RetryCount", 0, 0, 5, &rc) != 0 ||
	    sim_arg_long(c, "ScheduleTime", 0, 0, 9000000000000L, &sched) != 0 ||
	    sim_arg_long(c, "ScheduleFinishTime", 0, 0, 9000000000000L, &fin) != 0 ||
	    sim_arg_bool(c, "NeedConfirm", 0, &confirm) != 0 || sim_arg_bool(c, "NeedPush", 1, &push) != 0)
		return -1;
	/* RetryInterval 0|10|30|60|1440 below TimeoutInMinutes, RetryCount 1|2|5 and given
	 * with it (guide 4.20.8, 4.20.9). */
	if (sim_arg(c, "RetryInterval") != NULL && ri != 0 && ri != 10 && ri != 30 && ri != 60 &&
	    ri != 1440)
		return sim_fail(c, "iot.firmware.InvalidRetryInterval",
		    "RetryInterval must be 0, 10, 30, 60 or 1440.");
	if ((sim_arg(c, "RetryCount") != NULL && rc != 1 && rc != 2 && rc != 5) ||
	    (sim_arg(c, "RetryInterval") != NULL && sim_arg(c, "RetryCount") == NULL))
		return sim_fail(c, "iot.firmware.InvalidRetryCount",
		    "RetryCount must be 1, 2 or 5, and is required with RetryInterval.");
	if (sim_arg(c, "RetryInterval") != NULL && timeout > 0 && ri >= timeout)
		return sim_fail(c, "iot.firmware.InvalidTimeoutSetting",
		    "RetryInterval must be less than TimeoutInMinutes.");
	if (fin != 0 && sched == 0)
		return sim_fail(c, "iot.firmware.ScheduleFinishTimeWithoutStartTime",
		    "ScheduleFinishTime needs ScheduleTime.");
	if (fin != 0 && fin <= sched)
		return sim_fail(c, "iot.firmware.ScheduleFinishTimeEarlierThanStartTime",
		    "ScheduleFinishTime must be after ScheduleTime.");
	if (fin != 0 && fin < sched + 3600000LL)
		return sim_fail(c, "iot.firmware.ScheduleFinishTimeTooEarly",
		    "ScheduleFinishTime must be at least 60 minutes after ScheduleTime.");
	if (fin != 0 && fin > sched + 30 * 86400000LL)
		return sim_fail(c, "iot.firmware.ScheduleFinishTimeTooLate",
		    "ScheduleFinishTime must be at most 30 days after ScheduleTime.");
	if (proto != NULL && strcmp(proto, "HTTPS") != 0 && strcmp(proto, "MQTT") != 0)
		return sim_fail(c, "iot.ota.DownloadProtocolInvalid", "DownloadProtocol must be HTTPS or MQTT.");
	if (sched != 0 && sched < sim_store_now(c->store) + 5 * 60000)
		return sim_fail(c, "iot.firmware.FireTimeTooShort",
		    "ScheduleTime must be at least 5 minutes from now.");
	if (sched != 0 && sched > sim_store_now(c->store) + 7 * 86400000LL)
		return sim_fail(c, "iot.firmware.FireTimeTooLate", "ScheduleTime must be at most 7 days from now.");
	params_init(&j->tags);
	params_init(&j->src_versions);
	for (n = 1; n <= 11; n++) {
		const char *k, *v;
		snprintf(kk, sizeof kk, "Tag.%zu.Key", n);
		snprintf(kv, sizeof kv, "Tag.%zu.Value", n);
		if ((k = sim_arg(c, kk)) == NULL)
			break;
		if (n > 10 || (v = sim_arg(c, kv)) == NULL || params_get(&j->tags, k) != NULL) {
			params_free(&j->tags);
			return sim_fail(c, n > 10 ? "iot.firmware.JobTagTooMany" : v == NULL ?
			    "iot.firmware.JobTagValueInvalid" : "iot.ota.tag.KeyDuplicated",
			    "tags: at most 10, each with a value, keys unique.");
		}
		params_set(&j->tags, k, v);
	}
	j->timeout_min = (int)timeout;
	j->max_per_min = (int)maxpm;
	j->retry_interval = (int)ri;
	j->retry_count = (int)rc;
	j->need_confirm = confirm;
	j->need_push = push;
	j->protocol = xstrdup(proto != NULL ? proto : "HTTPS");
	j->schedule = sched;
	/* Kept for QueryOTAJob's UtcScheduleFinishTime (guide 4.20.13 line 24119). */
	j->finish = fin;
	j->created = j->modified = sim_store_now(c->store);
	j->start = sched != 0 ? sched : j->created;
	return 0;
}

static void
job_free_partial(struct sim_job *j)
{
	params_free(&j->tags);
	params_free(&j->src_versions);
	free(j->protocol);
	free(j->target);
	free(j->group_id);
	free(j->group_name);
	free(j->desc);
	free(j->gray_text);
	free(j->devs);
}

static int
add_job(struct sim_call *c, struct sim_job *j)
{
	struct sim_job *nj;
	char id[32];
	cJSON *d;

	sim_store_rand_chars(c->store, id, 22);
	j->id = xasprintf("%s0200", id);
	if (j->target == NULL)
		j->target = xstrdup("SPECIFIC");
	if (j->group_id == NULL)
		j->group_id = xstrdup("");
	if (j->group_name == NULL)
		j->group_name = xstrdup("");
	if (j->desc == NULL)
		j->desc = xstrdup("");
	nj = sim_ota_add_job(c->sim->ota, j);
	d = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(d, "JobId", nj->id);
	sim_add_time(d, "UtcCreate", nj->created, 0);
	return 0;
}

/* The first value listed twice in list[0..n), or NULL. */
static const char *
repeated(const char **list, size_t n)
{
	size_t i, k;

	for (i = 1; i < n; i++)
		for (k = 0; k < i; k++)
			if (strcmp(list[i], list[k]) == 0)
				return list[i];
	return NULL;
}

/* A GrayPercent of digits with at most one '.' and 3 decimals, in thousandths of a
 * percent ("10.125" is 10125); values above 100 come out above 100000. */
static uint64_t
gray_milli(const char *gp)
{
	uint64_t v = 0;
	int dec = -1;

	for (; *gp != '\0'; gp++) {
		if (*gp == '.') {
			dec = 0;
			continue;
		}
		if (v > 1000000000ULL)
			return UINT64_MAX;
		v = v * 10 + (uint64_t)(*gp - '0');
		if (dec >= 0)
			dec++;
	}
	for (dec = dec < 0 ? 0 : dec; dec < 3; dec++)
		v *= 10;
	return v;
}

/* Devices named by DeviceName.N (or TargetDeviceName.N) of product p, at most max. */
int
sim_need_named_devices(struct sim_call *c, const char *param, size_t max, struct sim_product *p,
    struct sim_job *j)
{
	const char **names;
	size_t n = sim_arg_list(c, param, &names), i;

	if (n == 0) {
		free(names);
		return sim_fail(c, "iot.ota.EmptyDeviceInfoParams", "no device names.");
	}
	if (n > max) {
		free(names);
		return sim_fail(c, "iot.ota.UpgradeDeviceCountExceedLimit", "at most %zu devices.", max);
	}
	j->devs = xreallocarray(NULL, n, sizeof *j->devs);
	for (i = 0; i < n; i++) {
		struct sim_device *d = sim_store_device_by_name(c->store, (size_t)(p - c->store->products), names[i]);
		if (d == NULL) {
			sim_fail(c, "iot.ota.DeviceNotExist", "device %s does not exist.", names[i]);
			free(names);
			free(j->devs);
			j->devs = NULL;
			return -1;
		}
		j->devs[i] = sim_store_device_index(c->store, d);
	}
	j->ndevs = n;
	free(names);
	return 0;
}

/* The devices of a device-list file (DnListFileUrl, uploaded to the GenerateDeviceName-
 * ListURL host): one DeviceName a line (CSV: the first cell), at most 10,000 of product
 * p, not with TargetDeviceName.N (guide 4.20.2, 4.20.8). A name listed twice is one
 * task. */
static int
list_devices(struct sim_call *c, struct sim_product *p, struct sim_job *j)
{
	const char **names, *data, *line, *end;
	size_t n = sim_arg_list(c, "TargetDeviceName", &names), len, k, cap = 0;
	char name[128];
	uint8_t *seen;

	free(names);
	if (n > 0)
		return sim_fail(c, "iot.firmware.TargetDeviceNamesNotAllowed",
		    "pass TargetDeviceName.N or DnListFileUrl, not both.");
	if (!sim_oss_lookup_data(c->sim->oss, sim_arg(c, "DnListFileUrl"), &data, &len))
		return sim_fail(c, "iot.common.FileNotExist", "the device-list file does not exist.");
	seen = xcalloc(c->store->ndevs ? c->store->ndevs : 1, 1);
	for (line = data; line < data + len; line = end + 1) {
		struct sim_device *d;
		size_t w;
		if ((end = memchr(line, '\n', (size_t)(data + len - line))) == NULL)
			end = data + len;
		for (w = 0; line + w < end && line[w] != ',' && line[w] != '\r'; w++)
			;
		while (w > 0 && (line[w - 1] == ' ' || line[w - 1] == '\t'))
			w--;
		while (w > 0 && (*line == ' ' || *line == '\t' || *line == '"')) {
			line++;
			w--;
		}
		if (w > 0 && line[w - 1] == '"')
			w--;
		if (w == 0)
			continue;
		if (w >= sizeof name) {
			free(seen);
			return sim_fail(c, "iot.common.IllegalFileFormat",
			    "the device-list file holds a line that is not a DeviceName.");
		}
		memcpy(name, line, w);
		name[w] = '\0';
		d = sim_store_device_by_name(c->store, (size_t)(p - c->store->products), name);
		if (d == NULL) {
			free(seen);
			return sim_fail(c, "iot.ota.DeviceNotExist", "device %s does not exist.", name);
		}
		k = sim_store_device_index(c->store, d);
		if (seen[k])
			continue;
		seen[k] = 1;
		if (j->ndevs == 10000) {
			free(seen);
			return sim_fail(c, "iot.ota.UpgradeDeviceCountExceedLimit",
			    "a device-list file holds at most 10,000 devices.");
		}
		if (j->ndevs == cap) {
			cap = cap ? 2 * cap : 256;
			j->devs = xreallocarray(j->devs, cap, sizeof *j->devs);
		}
		j->devs[j->ndevs++] = (uint32_t)k;
	}
	free(seen);
	if (j->ndevs == 0)
		return sim_fail(c, "iot.ota.EmptyDeviceInfoParams", "the device-list file names no device.");
	return 0;
}

static int
create_ota_verify_job(struct sim_call *c)
{
	struct sim_firmware *f = sim_need_firmware(c);
	struct sim_product *p = sim_need_product(c);
	struct sim_job j;

	if (f == NULL || p == NULL)
		return -1;
	if ((size_t)(p - c->store->products) != f->product)
		return sim_fail(c, "iot.firmware.FirmwareAndProductKeyMismatch",
		    "the OTA package belongs to another product.");
	/* A package that is being verified or was verified is not verified again (guide
	 * 4.20.7); one created with NeedToVerify=false needs none. */
	if (f->status == 2)
		return sim_fail(c, "iot.firmware.InProgressVerifyJobExisted",
		    "the OTA package is being verified.");
	if (f->status == -1 || f->status == 1)
		return sim_fail(c, "iot.firmware.VerifyFirmwareNoNeed",
		    "the OTA package needs no verification or is verified already.");
	memset(&j, 0, sizeof j);
	if (job_options(c, &j) != 0)
		return -1;
	if (sim_need_named_devices(c, "TargetDeviceName", 10, p, &j) != 0) {
		job_free_partial(&j);
		return -1;
	}
	j.type = SIM_JOB_VERIFY;
	j.firmware = (size_t)(f - c->sim->ota->fw);
	j.product = f->product;
	f->status = 2;
	f->modified = j.created;
	return add_job(c, &j);
}

static int
create_ota_static_upgrade_job(struct sim_call *c)
{
	struct sim_firmware *f = sim_need_firmware(c);
	struct sim_product *p = sim_need_product(c);
	const char *sel = sim_arg(c, "TargetSelection");
	const char **src = NULL;
	struct sim_job j;
	size_t i, k, nsrc;

	if (f == NULL || p == NULL)
		return -1;
	if (check_upgrade_firmware(c, f, p) != 0)
		return -1;
	if (strcmp(sel, "ALL") != 0 && strcmp(sel, "SPECIFIC") != 0 && strcmp(sel, "GRAY") != 0 &&
	    strcmp(sel, "GROUP") != 0)
		return sim_fail(c, "iot.firmware.InvalidTargetSelection",
		    "TargetSelection must be ALL, SPECIFIC, GRAY or GROUP.");
	/* SrcVersion.N: at most 10, unique, only for ALL and GRAY (guide 4.20.8). */
	nsrc = sim_arg_list(c, "SrcVersion", &src);
	if (nsrc > 10) {
		free(src);
		return sim_fail(c, "iot.firmware.SrcVersionsSizeExceedMax", "at most 10 SrcVersion.N.");
	}
	if (nsrc > 0 && (strcmp(sel, "SPECIFIC") == 0 || strcmp(sel, "GROUP") == 0)) {
		free(src);
		return sim_fail(c, "iot.firmware.SrcVersionsNotAllowed",
		    "SrcVersion.N is only for ALL and GRAY jobs.");
	}
	/* "列表中不能有重复的版本号" (guide 4.20.8 line 23427). The guide names no error code
	 * for it (none in 4.6's iot.firmware / iot.ota tables, none in 4.20.8): the closest
	 * documented one is iot.common.InvalidFormattedParameter (4.6 line 3312). */
	{
		const char *dup = repeated(src, nsrc);
		if (dup != NULL) {
			sim_fail(c, "iot.common.InvalidFormattedParameter", "SrcVersion.N lists %s twice.", dup);
			free(src);
			return -1;
		}
	}
	/* GrayPercent: a percentage with at most 3 decimals. */
	if (strcmp(sel, "GRAY") == 0 && sim_arg(c, "GrayPercent") != NULL) {
		const char *gp = sim_arg(c, "GrayPercent"), *dot = strchr(gp, '.');
		size_t n = strlen(gp);
		if (n == 0 || strspn(gp, "0123456789.") != n || (dot != NULL &&
		    (strchr(dot + 1, '.') != NULL || strlen(dot + 1) > 3 || dot == gp))) {
			free(src);
			return sim_fail(c, "iot.firmware.BadlyFormattedGrayPercent",
			    "GrayPercent is a percentage with at most 3 decimals.");
		}
	}
	memset(&j, 0, sizeof j);
	if (job_options(c, &j) != 0) {
		free(src);
		return -1;
	}
	for (i = 0; i < nsrc; i++)
		params_add(&j.src_versions, "v", src[i]);
	free(src);
	j.type = SIM_JOB_STATIC;
	j.firmware = (size_t)(f - c->sim->ota->fw);
	j.product = f->product;
	j.target = xstrdup(sel);
	if (strcmp(sel, "SPECIFIC") == 0) {
		if (sim_arg(c, "DnListFileUrl") != NULL) {
			if (list_devices(c, p, &j) != 0) {
				job_free_partial(&j);
				return -1;
			}
		} else if (sim_need_named_devices(c, "TargetDeviceName", 200, p, &j) != 0) {
			job_free_partial(&j);
			return -1;
		} else {
			/* "列表中不能有重复的设备名称" (guide 4.20.8 line 23436); no code named for it
			 * either: iot.common.InvalidFormattedParameter (4.6 line 3312), as for
			 * SrcVersion.N above. */
			const char **names, *dup;
			size_t nn = sim_arg_list(c, "TargetDeviceName", &names);
			if ((dup = repeated(names, nn)) != NULL) {
				sim_fail(c, "iot.common.InvalidFormattedParameter",
				    "TargetDeviceName.N lists %s twice.", dup);
				free(names);
				job_free_partial(&j);
				return -1;
			}
			free(names);
		}
	} else if (strcmp(sel, "GROUP") == 0) {
		struct sim_group *g = sim_store_group(c->store, sim_arg(c, "GroupId"));
		if (g == NULL) {
			job_free_partial(&j);
			return sim_fail(c, "iot.ota.GroupNotExist", "the group does not exist.");
		}
		j.group_id = xstrdup(g->id);
		j.group_name = xstrdup(g->name);
		j.devs = xreallocarray(NULL, g->ndevs ? g->ndevs : 1, sizeof *j.devs);
		for (i = 0; i < g->ndevs; i++)
			if (c->store->devs[g->devs[i]].product == j.product)
				j.devs[j.ndevs++] = g->devs[i];
	} else {
		/* GrayPercent in thousandths of a percent (at most 3 decimals, checked above). */
		uint64_t gray = 100000;
		const char *gp = sim_arg(c, "GrayPercent");
		if (strcmp(sel, "GRAY") == 0) {
			if (gp == NULL || (gray = gray_milli(gp)) == 0 || gray > 100000) {
				job_free_partial(&j);
				return sim_fail(c, gp == NULL ? "iot.firmware.NullGrayPercent" :
				    "iot.firmware.InvalidGrayPercent", "GrayPercent must be above 0, at most 100.");
			}
			j.gray_percent = strtod(gp, NULL);
			j.gray_text = xstrdup(gp);
		}
		j.devs = xreallocarray(NULL, p->ndevs ? p->ndevs : 1, sizeof *j.devs);
		for (i = 0; i < p->ndevs; i++) {
			const struct sim_device *d = &c->store->devs[p->devs[i]];
			int on_src = j.src_versions.n == 0;
			/* Differential packages only go to devices on SrcVersion. */
			if (f->type == 1 && (d->firmware == NULL || strcmp(d->firmware, f->src) != 0))
				continue;
			/* SrcVersion.N: only the devices on one of them. */
			for (k = 0; k < j.src_versions.n && !on_src; k++)
				on_src = d->firmware != NULL &&
				    strcmp(d->firmware, j.src_versions.v[k].value) == 0;
			if (!on_src)
				continue;
			j.devs[j.ndevs++] = p->devs[i];
		}
		/* GRAY: floor(devices x GrayPercent / 100), decimals included, and at least one
		 * device ("系统计算结果向下取整。灰度升级的设备至少为1个", guide 4.20.8 line
		 * 23435: 33.33% of 100 is 33, so 10.5% of 500 is 52 and 33.33% of 500 is 166,
		 * rounded down, not up). The devices chosen are spread evenly over the
		 * candidates: candidate e is kept when floor((e+1)*g) > floor(e*g). */
		if (gray < 100000 && j.ndevs > 0) {
			size_t kept = 0;
			for (i = 0; i < j.ndevs; i++)
				if (((uint64_t)i + 1) * gray / 100000 > (uint64_t)i * gray / 100000)
					j.devs[kept++] = j.devs[i];
			if (kept == 0)
				kept = 1;	/* j.devs[0] */
			j.ndevs = kept;
		}
	}
	if (j.ndevs == 0) {
		job_free_partial(&j);
		return sim_fail(c, "iot.firmware.NoDeviceCanUpgrade", "no device matches the job's targets.");
	}
	return add_job(c, &j);
}

static int
create_ota_dynamic_upgrade_job(struct sim_call *c)
{
	struct sim_firmware *f = sim_need_firmware(c);
	struct sim_product *p = sim_need_product(c);
	const char **src;
	struct sim_job j;
	long mode;
	size_t n, i, k;

	if (f == NULL || p == NULL || sim_arg_long(c, "DynamicMode", 1, 1, 2, &mode) != 0)
		return -1;
	if (check_upgrade_firmware(c, f, p) != 0)
		return -1;
	/* One dynamic job in progress per package (guide 4.20.9). */
	for (i = 0; i < c->sim->ota->njobs; i++) {
		const struct sim_job *oj = &c->sim->ota->jobs[i];
		if (oj->type == SIM_JOB_DYNAMIC && oj->firmware == (size_t)(f - c->sim->ota->fw) &&
		    strcmp(sim_ota_job_status(c->sim->ota, oj, sim_store_now(c->store)), "IN_PROGRESS") == 0)
			return sim_fail(c, "iot.firmware.InProgressDynamicJobExisted",
			    "the OTA package has a dynamic job in progress: cancel it first.");
	}
	memset(&j, 0, sizeof j);
	if (job_options(c, &j) != 0)
		return -1;
	n = sim_arg_list(c, "SrcVersion", &src);
	if (n == 0 && sim_arg(c, "GroupId") == NULL) {
		free(src);
		job_free_partial(&j);
		return sim_fail(c, "iot.firmware.NullSrcVersions", "pass SrcVersion.N or GroupId.");
	}
	j.type = SIM_JOB_DYNAMIC;
	j.dynamic_mode = (int)mode;
	j.firmware = (size_t)(f - c->sim->ota->fw);
	j.product = f->product;
	j.target = xstrdup("DYNAMIC");
	for (i = 0; i < n; i++)
		params_add(&j.src_versions, "v", src[i]);
	j.devs = xreallocarray(NULL, p->ndevs ? p->ndevs : 1, sizeof *j.devs);
	/* Mode 1 upgrades the devices already on a source version too; mode 2 only those
	 * that come later (none in the simulator). */
	for (i = 0; mode == 1 && i < p->ndevs; i++) {
		const struct sim_device *d = &c->store->devs[p->devs[i]];
		for (k = 0; k < n; k++)
			if (d->firmware != NULL && strcmp(d->firmware, src[k]) == 0) {
				j.devs[j.ndevs++] = p->devs[i];
				break;
			}
	}
	free(src);
	return add_job(c, &j);
}

static cJSON *
job_summary(struct sim_call *c, const struct sim_job *j)
{
	struct sim_ota *o = c->sim->ota;
	cJSON *it = cJSON_CreateObject(), *tags, *arr;
	size_t t;

	cJSON_AddStringToObject(it, "SelectionType", j->type == SIM_JOB_DYNAMIC ? "DYNAMIC" : "STATIC");
	cJSON_AddStringToObject(it, "TargetSelection", j->target);
	cJSON_AddStringToObject(it, "JobType", j->type == SIM_JOB_VERIFY ? "VERIFY_FIRMWARE" : "UPGRADE_FIRMWARE");
	cJSON_AddStringToObject(it, "FirmwareId", o->fw[j->firmware].id);
	sim_add_time(it, "UtcStartTime", j->start, 0);
	cJSON_AddStringToObject(it, "ProductKey", c->store->products[j->product].key);
	cJSON_AddStringToObject(it, "JobId", j->id);
	sim_add_time(it, "UtcModified", j->modified, 0);
	cJSON_AddStringToObject(it, "JobStatus", sim_ota_job_status(c->sim->ota, j, sim_store_now(c->store)));
	sim_add_time(it, "UtcCreate", j->created, 0);
	if (j->tags.n > 0) {
		tags = cJSON_AddObjectToObject(it, "Tags");
		arr = cJSON_AddArrayToObject(tags, "OtaTagDTO");
		for (t = 0; t < j->tags.n; t++) {
			cJSON *tag = cJSON_CreateObject();
			cJSON_AddStringToObject(tag, "Key", j->tags.v[t].name);
			cJSON_AddStringToObject(tag, "Value", j->tags.v[t].value);
			cJSON_AddItemToArray(arr, tag);
		}
	}
	return it;
}

static int
list_ota_job_by_firmware(struct sim_call *c)
{
	struct sim_firmware *f = sim_need_firmware(c);
	struct sim_ota *o = c->sim->ota;
	long page, size;
	size_t i, total = 0, skip;
	cJSON *arr;

	if (f == NULL || sim_page_args(c, 200, &page, &size) != 0)
		return -1;
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	for (i = o->njobs; i-- > 0;) {
		if (o->jobs[i].firmware != (size_t)(f - o->fw))
			continue;
		if (total++ < skip || cJSON_GetArraySize(arr) >= size)
			continue;
		cJSON_AddItemToArray(arr, job_summary(c, &o->jobs[i]));
	}
	sim_add_paging(c->out, "CurrentPage", page, size, total);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "Data"), "SimpleOTAJobInfo", arr);
	return 0;
}

static int
list_ota_job_by_device(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	struct sim_firmware *f = sim_need_firmware(c);
	struct sim_ota *o = c->sim->ota;
	long page, size;
	size_t i, k, total = 0, skip;
	uint32_t di;
	cJSON *arr;

	if (d == NULL || f == NULL || sim_page_args(c, 100, &page, &size) != 0)
		return -1;
	di = sim_store_device_index(c->store, d);
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	for (i = o->njobs; i-- > 0;) {
		const struct sim_job *j = &o->jobs[i];
		int has = 0;
		if (j->firmware != (size_t)(f - o->fw))
			continue;
		for (k = 0; k < j->ndevs && !has; k++)
			has = j->devs[k] == di;
		if (!has || total++ < skip || cJSON_GetArraySize(arr) >= size)
			continue;
		cJSON_AddItemToArray(arr, job_summary(c, j));
	}
	sim_add_paging(c->out, "CurrentPage", page, size, total);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "Data"), "SimpleOTAJobInfo", arr);
	return 0;
}

static int
query_ota_job(struct sim_call *c)
{
	struct sim_job *j = sim_need_job(c);
	struct sim_ota *o = c->sim->ota;
	const struct sim_firmware *f;
	cJSON *d, *sv;
	size_t i;

	if (j == NULL)
		return -1;
	f = &o->fw[j->firmware];
	d = job_summary(c, j);
	cJSON_AddItemToObject(c->out, "Data", d);
	cJSON_AddNumberToObject(d, "TimeoutInMinutes", j->timeout_min);
	cJSON_AddStringToObject(d, "JobDesc", j->desc);
	cJSON_AddStringToObject(d, "DownloadProtocol", j->protocol);
	cJSON_AddStringToObject(d, "GroupId", j->group_id);
	cJSON_AddStringToObject(d, "GroupName", j->group_name);
	cJSON_AddNumberToObject(d, "RetryInterval", j->retry_interval);
	cJSON_AddNumberToObject(d, "RetryCount", j->retry_count);
	cJSON_AddNumberToObject(d, "OverwriteMode", 1);
	cJSON_AddBoolToObject(d, "MultiModuleMode", j->multi_module);
	cJSON_AddNumberToObject(d, "MaximumPerMinute", j->max_per_min);
	if (j->type == SIM_JOB_DYNAMIC)
		cJSON_AddNumberToObject(d, "DynamicMode", j->dynamic_mode);
	/* GrayPercent as it was set (guide 4.20.8 line 23435 takes up to 3 decimals; 4.20.13
	 * line 24090 returns the string); a job restored from a state file has only the
	 * number: 2 decimals, 3 when it has them. */
	if (j->gray_text != NULL) {
		cJSON_AddStringToObject(d, "GrayPercent", j->gray_text);
	} else if (j->gray_percent > 0) {
		char gp[32];
		snprintf(gp, sizeof gp, "%.3f", j->gray_percent);
		if (gp[strlen(gp) - 1] == '0')
			gp[strlen(gp) - 1] = '\0';
		cJSON_AddStringToObject(d, "GrayPercent", gp);
	}
	sv = cJSON_AddArrayToObject(cJSON_AddObjectToObject(d, "SrcVersions"), "SrcVersion");
	for (i = 0; i < j->src_versions.n; i++)
		cJSON_AddItemToArray(sv, cJSON_CreateString(j->src_versions.v[i].value));
	if (j->type != SIM_JOB_DYNAMIC && *f->src != '\0')
		cJSON_AddItemToArray(sv, cJSON_CreateString(f->src));
	cJSON_AddStringToObject(d, "Name", f->name);
	cJSON_AddBoolToObject(d, "NeedConfirm", j->need_confirm);
	cJSON_AddBoolToObject(d, "NeedPush", j->need_push);
	cJSON_AddStringToObject(d, "DestVersion", f->dest);
	sim_add_time(d, "UtcScheduleTime", j->schedule, 0);
	/* Only for a scheduled job that set ScheduleFinishTime (guide 4.20.13 line 24119). */
	sim_add_time(d, "UtcScheduleFinishTime", j->finish, 0);
	return 0;
}

static int
cancel_ota_strategy_by_job(struct sim_call *c)
{
	struct sim_job *j = sim_need_job(c);

	if (j == NULL)
		return -1;
	if (j->type != SIM_JOB_DYNAMIC)
		return sim_fail(c, "iot.firmware.NotDynamicJob", "only dynamic jobs have a strategy to cancel.");
	if (j->canceled != 0)
		return sim_fail(c, "iot.ota.JobCanceled", "the job was already canceled.");
	j->canceled = j->modified = sim_store_now(c->store);
	return 0;
}

const struct sim_handler sim_ota_job_handlers[] = {
	{ ACT_CreateOTAVerifyJob, create_ota_verify_job },
	{ ACT_CreateOTAStaticUpgradeJob, create_ota_static_upgrade_job },
	{ ACT_CreateOTADynamicUpgradeJob, create_ota_dynamic_upgrade_job },
	{ ACT_ListOTAJobByFirmware, list_ota_job_by_firmware },
	{ ACT_ListOTAJobByDevice, list_ota_job_by_device },
	{ ACT_QueryOTAJob, query_ota_job },
	{ ACT_CancelOTAStrategyByJob, cancel_ota_strategy_by_job },
	{ NULL, NULL }
};
