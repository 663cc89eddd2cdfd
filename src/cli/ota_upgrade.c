/* ota_upgrade.c — `iotdeck ota upgrade` (see ota_upgrade.h): the job's parameters from
 * the options, every value checked against the guide's ranges before anything is sent;
 * with --dn-list the devices uploaded as a device-list file first. */
#include "cli/ota_upgrade.h"
#include "core/clock.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "cli/ota_check.h"
#include "cli/ota_run.h"
#include "cli/ota_upload.h"
#include "core/buf.h"
#include "core/xmalloc.h"

int
ota_upgrade_params(const struct ota_args *a, struct params *p, const char **action,
    char ***dn, size_t *ndn, char **cause)
{
	static const long intervals[] = { 0, 10, 30, 60, 1440 }, counts[] = { 1, 2, 5 };
	int dynamic = ota_opt(a, "--dynamic") != NULL;
	const char *job = dynamic ? ACT_CreateOTADynamicUpgradeJob : ACT_CreateOTAStaticUpgradeJob;
	const char *group = ota_opt(a, "--group"), *gray = ota_opt(a, "--gray"), *v;
	char what[96], num[32], key[32], **devs = NULL, **srcs = NULL, *gp = NULL;
	size_t ndevs = 0, nsrcs = 0, i;
	long timeout = 0, interval = -1, count = 0, perm, mode;
	int64_t now = clock_wall_ms(), sched = 0, fin = 0;
	int all = ota_opt(a, "--all") != NULL, nsel, rc = -1;
	int dnlist = ota_opt(a, "--dn-list") != NULL;

	*action = job;
	*dn = NULL;
	*ndn = 0;
	if (dnlist && (dynamic || (ota_opt(a, "--devices") == NULL &&
	    ota_opt(a, "--devices-from") == NULL))) {
		*cause = xstrdup("--dn-list sends --devices/--devices-from as a device-list file "
		    "(a static job's DnListFileUrl)");
		goto done;
	}
	if (ota_named_devices(a, &devs, &ndevs, cause) != 0)
		goto done;
	for (i = 0; i < a->opts.n; i++)
		if (strcmp(a->opts.v[i].name, "--src-version") == 0)
			ota_split_list(a->opts.v[i].value, &srcs, &nsrcs);
	nsel = (ndevs > 0 || ota_opt(a, "--devices") != NULL ||
	    ota_opt(a, "--devices-from") != NULL) + (group != NULL) + all + (gray != NULL);
	if (dynamic) {
		if (ndevs > 0 || all || gray != NULL) {
			*cause = xstrdup("--dynamic targets --src-version or a dynamic --group, not "
			    "--devices, --all or --gray");
			goto done;
		}
		if ((nsrcs > 0) == (group != NULL)) {
			*cause = xstrdup("--dynamic needs --src-version V... or --group ID (one of "
			    "them: CreateOTADynamicUpgradeJob)");
			goto done;
		}
		if (ota_opt(a, "--schedule") != NULL || ota_opt(a, "--finish") != NULL) {
			*cause = xstrdup("--schedule and --finish are for static jobs "
			    "(CreateOTADynamicUpgradeJob has no schedule)");
			goto done;
		}
	} else if (nsel != 1) {
		*cause = xstrdup(nsel == 0 ? "choose the targets: --devices, --devices-from, "
		    "--group, --all or --gray (or --dynamic)" : "choose one kind of target: "
		    "--devices/--devices-from, --group, --all or --gray");
		goto done;
	}
	/* Targets. */
	if (!dynamic && (ndevs > 0 || ota_opt(a, "--devices") != NULL ||
	    ota_opt(a, "--devices-from") != NULL)) {
		if (ndevs > OTA_MAX_NAMED_DEVICES && !dnlist) {
			*cause = xasprintf("--devices: %zu named, at most %d (%s TargetDeviceName.N; "
			    "up to %d go in a device-list file: --dn-list)", ndevs,
			    OTA_MAX_NAMED_DEVICES, job, OTA_MAX_DNLIST_DEVICES);
			goto done;
		}
		snprintf(what, sizeof what, dnlist ? "GenerateDeviceNameListURL: a device-list "
		    "file" : "%s TargetDeviceName.N", job);
		if (ota_check_count("--devices", ndevs, dnlist ? OTA_MAX_DNLIST_DEVICES :
		    OTA_MAX_NAMED_DEVICES, what, cause) != 0 || ota_no_duplicates(devs, ndevs, cause) != 0)
			goto done;
		params_set(p, "TargetSelection", "SPECIFIC");
		if (dnlist) {
			/* Uploaded by the caller; DnListFileUrl is set then. */
			*dn = devs;
			*ndn = ndevs;
			devs = NULL;
			ndevs = 0;
		} else
			ota_add_numbered(p, "TargetDeviceName", devs, 0, ndevs);
	} else if (group != NULL) {
		if (!dynamic)
			params_set(p, "TargetSelection", "GROUP");
		params_set(p, "GroupId", group);
		params_set(p, "GroupType", dynamic ? "LINK_PLATFORM_DYNAMIC" : "LINK_PLATFORM");
	} else if (all)
		params_set(p, "TargetSelection", "ALL");
	else if (gray != NULL) {
		snprintf(what, sizeof what, "%s GrayPercent", job);
		if (ota_check_gray(gray, what, &gp, cause) != 0)
			goto done;
		params_set(p, "TargetSelection", "GRAY");
		params_set(p, "GrayPercent", gp);
	}
	if (nsrcs > 0) {
		snprintf(what, sizeof what, "%s SrcVersion.N", job);
		if (!dynamic && !all && gray == NULL) {
			*cause = xasprintf("--src-version goes with --all or --gray (%s: not with "
			    "SPECIFIC or GROUP targets)", what);
			goto done;
		}
		if (ota_check_count("--src-version", nsrcs, OTA_MAX_SRC_VERSIONS, what, cause) != 0)
			goto done;
		if (ota_first_duplicate(srcs, nsrcs) != nsrcs) {
			*cause = xasprintf("--src-version: %s is given twice (%s must be unique)",
			    srcs[ota_first_duplicate(srcs, nsrcs)], what);
			goto done;
		}
		for (i = 0; i < nsrcs; i++) {
			if (ota_check_version("--src-version", srcs[i], what, cause) != 0)
				goto done;
			snprintf(key, sizeof key, "SrcVersion.%zu", i + 1);
			params_set(p, key, srcs[i]);
		}
	}
	/* Schedule and pacing. */
	if ((v = ota_opt(a, "--schedule")) != NULL &&
	    ota_parse_time("--schedule", v, now, &sched, cause) != 0)
		goto done;
	if ((v = ota_opt(a, "--finish")) != NULL &&
	    ota_parse_time("--finish", v, now, &fin, cause) != 0)
		goto done;
	if (ota_check_schedule(now, sched, fin, cause) != 0)
		goto done;
	if (sched != 0) {
		snprintf(num, sizeof num, "%lld", (long long)sched);
		params_set(p, "ScheduleTime", num);
	}
	if (fin != 0) {
		snprintf(num, sizeof num, "%lld", (long long)fin);
		params_set(p, "ScheduleFinishTime", num);
	}
	snprintf(what, sizeof what, "%s TimeoutInMinutes", job);
	if ((v = ota_opt(a, "--timeout")) != NULL &&
	    ota_check_long("--timeout", v, 1, 1440, what, &timeout, cause) != 0)
		goto done;
	snprintf(what, sizeof what, "%s MaximumPerMinute", job);
	if ((v = ota_opt(a, "--per-minute")) != NULL) {
		if (ota_check_long("--per-minute", v, 10, 10000, what, &perm, cause) != 0)
			goto done;
		params_set(p, "MaximumPerMinute", v);
	}
	snprintf(what, sizeof what, "%s RetryInterval", job);
	if ((v = ota_opt(a, "--retry-interval")) != NULL &&
	    ota_check_choice("--retry-interval", v, intervals, 5, what, &interval, cause) != 0)
		goto done;
	snprintf(what, sizeof what, "%s RetryCount", job);
	if ((v = ota_opt(a, "--retry-count")) != NULL &&
	    ota_check_choice("--retry-count", v, counts, 3, what, &count, cause) != 0)
		goto done;
	if (interval >= 0 && count == 0) {
		*cause = xasprintf("--retry-interval needs --retry-count 1, 2 or 5 (%s: RetryCount "
		    "is required with RetryInterval)", job);
		goto done;
	}
	if (count > 0 && interval < 0) {
		*cause = xasprintf("--retry-count needs --retry-interval 0, 10, 30, 60 or 1440 (%s)",
		    job);
		goto done;
	}
	if (interval >= 0 && ota_check_retry_timeout(interval, timeout, job, cause) != 0)
		goto done;
	if (interval >= 0) {
		snprintf(num, sizeof num, "%ld", interval);
		params_set(p, "RetryInterval", num);
		snprintf(num, sizeof num, "%ld", count);
		params_set(p, "RetryCount", num);
	}
	if (timeout > 0) {
		snprintf(num, sizeof num, "%ld", timeout);
		params_set(p, "TimeoutInMinutes", num);
	}
	if ((v = ota_opt(a, "--dynamic-mode")) != NULL) {
		if (!dynamic) {
			*cause = xstrdup("--dynamic-mode goes with --dynamic");
			goto done;
		}
		if (ota_check_long("--dynamic-mode", v, 1, 2, "CreateOTADynamicUpgradeJob "
		    "DynamicMode", &mode, cause) != 0)
			goto done;
		params_set(p, "DynamicMode", v);
	}
	if (ota_opt(a, "--overwrite") != NULL)
		params_set(p, "OverwriteMode", "2");
	if (ota_opt(a, "--need-confirm") != NULL)
		params_set(p, "NeedConfirm", "true");
	if (ota_opt(a, "--no-push") != NULL)
		params_set(p, "NeedPush", "false");
	rc = 0;
done:
	free(gp);
	ota_list_free(devs, ndevs);
	ota_list_free(srcs, nsrcs);
	return rc;
}

/* The devices as a device-list file (guide 4.20.2: one DeviceName a line): its upload
 * URL (GenerateDeviceNameListURL, a write with its audit line), the PostObject, then
 * DnListFileUrl in the job's parameters. Returns an exit status (printed why). */
static int
upload_dn_list(struct ota_ctx *c, char *const *dn, size_t ndn, struct params *jp)
{
	struct ota_item *it = xcalloc(1, sizeof *it);
	struct buf csv = BUF_INIT;
	struct op *op = NULL;
	const cJSON *data;
	size_t i;
	int rc;

	it->name = xasprintf("device list (%zu)", ndn);
	params_init(&it->params);
	rc = ota_write(c, ACT_GenerateDeviceNameListURL, NULL, it, 1, &op);
	ota_items_free(it, 1);
	if (rc != EXIT_OK)
		goto done;
	data = op_target(op, 0)->answer;
	if (ota_str(data, "FileUrl") == NULL) {
		fprintf(stderr, "iotdeck %s: GenerateDeviceNameListURL's answer has no FileUrl; "
		    "nothing was uploaded\n", c->cmd);
		rc = EXIT_NETWORK;
		goto done;
	}
	for (i = 0; i < ndn; i++) {
		buf_adds(&csv, dn[i]);
		buf_addc(&csv, '\n');
	}
	rc = ota_post_object(c, data, NULL, csv.data, csv.len);
	if (rc == EXIT_OK) {
		params_set(jp, "DnListFileUrl", ota_str(data, "FileUrl"));
		fprintf(stderr, "iotdeck %s: %zu devices uploaded as a device-list file\n", c->cmd,
		    ndn);
	}
done:
	buf_free(&csv);
	op_free(op);
	return rc;
}

int
ota_upgrade_main(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota upgrade", *action = NULL;
	struct ota_ctx c;
	struct ota_item *items = NULL;
	struct params jp = PARAMS_INIT;
	struct op *op = NULL;
	char *cause = NULL, *pk = NULL, **dn = NULL;
	size_t nitems = 0, ndn = 0;
	int rc;

	memset(&c, 0, sizeof c);
	if (a->npos != 1)
		return ota_usage(cmd, "give one FIRMWAREID");
	if (ota_upgrade_params(a, &jp, &action, &dn, &ndn, &cause) != 0) {
		rc = ota_usage(cmd, cause);
		free(cause);
		params_free(&jp);
		ota_list_free(dn, ndn);
		return rc;
	}
	rc = ota_ctx_open(&c, cmd, o, a, dn != NULL ? ACT_GenerateDeviceNameListURL : action,
	    OTA_CTX_PRINTS_ID);
	if (rc != EXIT_OK)
		goto done;
	if ((pk = ota_firmware_product(&c, a, a->pos[0], &rc)) == NULL)
		goto done;
	if (dn != NULL && (rc = upload_dn_list(&c, dn, ndn, &jp)) != EXIT_OK)
		goto done;
	ota_item_new(&items, &nitems, xasprintf("firmware %s", a->pos[0]));
	params_set(&items[0].params, "FirmwareId", a->pos[0]);
	params_set(&items[0].params, "ProductKey", pk);
	rc = ota_write(&c, action, &jp, items, nitems, &op);
	ota_print_created(&c, op, "JobId");
done:
	op_free(op);
	ota_items_free(items, nitems);
	params_free(&jp);
	free(pk);
	ota_list_free(dn, ndn);
	ota_ctx_close(&c);
	return rc;
}
