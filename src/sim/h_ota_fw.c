/* h_ota_fw.c — OTA firmware packages, their uploads (GenerateOTAUploadURL and
 * GenerateDeviceNameListURL, served by the OSS host of oss.c) and OTA modules (guide 4.20)
 * over the state of ota.c. Jobs are in h_ota_job.c, tasks in h_ota_task.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/actions.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "sim/h_ota.h"
#include "sim/handler.h"
#include "sim/oss.h"
#include "sim/ota.h"

/* An account holds at most 500 firmware packages (guide 4.20.3). */
#define MAX_FIRMWARE 500

/* DestVersion, SrcVersion (guide 4.20.3) and ModuleName (4.20.17): 1~64 of letters, digits,
 * '.', '-' and '_'. */
static int
ota_name_ok(const char *v)
{
	size_t n = strlen(v);

	return n >= 1 && n <= 64 &&
	    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* (h_ota.h) */
struct sim_firmware *
sim_need_firmware(struct sim_call *c)
{
	struct sim_firmware *f = sim_ota_firmware(c->sim->ota, sim_arg(c, "FirmwareId"));

	if (f == NULL)
		sim_fail(c, "iot.ota.InvalidFirmwareUid", "the firmware does not exist.");
	return f;
}

static void
upload_fields(struct sim_call *c, cJSON *d, const char *dir, const char *suffix,
    const char *url_field, const char *akid_field)
{
	struct sim_oss_url u;

	sim_oss_url_make(c->sim->oss, c->base_url != NULL ? c->base_url : "http://127.0.0.1", dir,
	    suffix, &u);
	cJSON_AddStringToObject(d, "Key", u.key);
	cJSON_AddStringToObject(d, "Host", u.host);
	cJSON_AddStringToObject(d, "Policy", u.policy);
	cJSON_AddStringToObject(d, akid_field, SIM_OSS_ACCESS_KEY_ID);
	cJSON_AddStringToObject(d, "ObjectStorage", "OSS");
	sim_add_time(d, "UtcCreate", sim_store_now(c->store), 0);
	cJSON_AddStringToObject(d, "Signature", u.signature);
	cJSON_AddStringToObject(d, url_field, u.url);
	sim_oss_url_free(&u);
}

static int
generate_ota_upload_url(struct sim_call *c)
{
	const char *suffix = sim_arg(c, "FileSuffix");
	static const char *const ok[] = { "bin", "dav", "apk", "tar", "gz", "tar.gz", "zip", "gzip" };
	size_t i;
	int found = suffix == NULL;

	for (i = 0; suffix != NULL && i < sizeof ok / sizeof ok[0]; i++)
		found |= strcmp(suffix, ok[i]) == 0;
	if (!found)
		return sim_fail(c, "iot.firmware.InvalidGenerateOTAUploadURLParam",
		    "FileSuffix must be bin, dav, apk, tar, gz, tar.gz, zip or gzip.");
	upload_fields(c, cJSON_AddObjectToObject(c->out, "Data"), "ota", suffix != NULL ? suffix : "bin",
	    "FirmwareUrl", "OSSAccessKeyId");
	return 0;
}

static int
generate_device_name_list_url(struct sim_call *c)
{
	upload_fields(c, cJSON_AddObjectToObject(c->out, "Data"), "dn", "csv", "FileUrl", "AccessKeyId");
	return 0;
}

static int
create_ota_firmware(struct sim_call *c)
{
	struct sim_ota *o = c->sim->ota;
	const char *dest = sim_arg(c, "DestVersion"), *name = sim_arg(c, "FirmwareName");
	const char *src = sim_arg(c, "SrcVersion"), *pk = sim_arg(c, "ProductKey");
	const char *module = sim_arg(c, "ModuleName"), *sm = sim_arg(c, "SignMethod");
	struct sim_product *p = NULL;
	struct sim_firmware f, *nf;
	long type, size;
	int verify;
	size_t i, live = 0;
	char id[32];
	cJSON *d;

	if (sim_arg_long(c, "Type", 0, 0, 1, &type) != 0 || sim_arg_long(c, "FirmwareSize", 0, 0,
	    2000L * 1024 * 1024, &size) != 0 || sim_arg_bool(c, "NeedToVerify", 1, &verify) != 0)
		return -1;
	if (!ota_name_ok(dest))
		return sim_fail(c, "iot.firmware.IncorrectFormattedFirmwareVersion",
		    "DestVersion is 1-64 letters, digits, '.', '-' and '_'.");
	if (type == 1 && src == NULL)
		return sim_fail(c, "iot.firmware.SrcVersionsMandatory", "a differential package needs SrcVersion.");
	if (type == 1 && !ota_name_ok(src))
		return sim_fail(c, "iot.firmware.IncorrectFormattedSrcVersion",
		    "SrcVersion is 1-64 letters, digits, '.', '-' and '_'.");
	if (type == 1 && strcmp(src, dest) == 0)
		return sim_fail(c, "iot.firmware.SrcDestVersionMatched", "SrcVersion and DestVersion are the same.");
	if (pk != NULL && (p = sim_store_product(c->store, pk)) == NULL)
		return sim_fail(c, "iot.prod.NotExistedProduct", "product does not exist.");
	if (p == NULL)
		return sim_gw_fail(c, 400, "MissingProductKey", "ProductKey is mandatory for this action.");
	if (sm != NULL && strcmp(sm, "MD5") != 0)
		return sim_fail(c, "iot.firmware.InvalidFirmwareSignMethod", "SignMethod must be MD5.");
	/* FirmwareName is unique in the account (guide 4.20.3). */
	for (i = 0; i < o->nfw; i++) {
		if (o->fw[i].deleted)
			continue;
		live++;
		if (strcmp(o->fw[i].name, name) == 0)
			return sim_fail(c, "iot.firmware.AlreadyExistedFirmwareName",
			    "an OTA package of this name already exists.");
	}
	if (live >= MAX_FIRMWARE)
		return sim_fail(c, "iot.firmware.FirmwareCountExceedMax",
		    "an account holds at most 500 OTA packages.");
	if (module != NULL && strcmp(module, "default") != 0) {
		int known = 0;
		for (i = 0; i < o->nmods; i++)
			known |= strcmp(o->mods[i].product_key, p->key) == 0 && strcmp(o->mods[i].name, module) == 0;
		if (!known)
			return sim_fail(c, "iot.ota.OTAModuleNotExist", "the OTA module does not exist.");
	}
	if (sim_arg(c, "FirmwareDesc") != NULL && utf8_chars(sim_arg(c, "FirmwareDesc")) > 100)
		return sim_fail(c, "iot.firmware.FirmwareDescriptionExceedMaxLength",
		    "FirmwareDesc is at most 100 characters.");
	/* A package uploaded to the simulated OSS: what the request states of it must be
	 * what was uploaded (the size, and the MD5 when SignMethod is MD5). */
	{
		const char *url = sim_arg(c, "FirmwareUrl"), *sign = sim_arg(c, "FirmwareSign");
		uint64_t osize;
		char md5[33];

		if (url != NULL && sim_oss_lookup(c->sim->oss, url, &osize, md5)) {
			if (osize == 0)
				return sim_fail(c, "iot.firmware.EmptyFirmwareFile",
				    "the uploaded OTA package file is empty.");
			if (sim_arg(c, "FirmwareSize") != NULL && (uint64_t)size != osize)
				return sim_fail(c, "iot.firmware.InvalidFirmwareSize",
				    "FirmwareSize %ld is not the size of the uploaded file (%llu bytes).",
				    size, (unsigned long long)osize);
			if (sign != NULL && (sm == NULL || strcmp(sm, "MD5") == 0) &&
			    strcasecmp(sign, md5) != 0)
				return sim_fail(c, "iot.firmware.InvalidFirmwareSign",
				    "FirmwareSign is not the MD5 of the uploaded file.");
		}
	}
	memset(&f, 0, sizeof f);
	sim_store_rand_chars(c->store, id, 22);
	f.id = xasprintf("%s0100", id);
	f.name = xstrdup(name);
	f.dest = xstrdup(dest);
	f.src = xstrdup(type == 1 ? src : "");
	f.module = xstrdup(module != NULL ? module : "default");
	f.desc = xstrdup(sim_arg(c, "FirmwareDesc") != NULL ? sim_arg(c, "FirmwareDesc") : "");
	f.url = xstrdup(sim_arg(c, "FirmwareUrl") != NULL ? sim_arg(c, "FirmwareUrl") : "");
	f.sign = xstrdup(sim_arg(c, "FirmwareSign") != NULL ? sim_arg(c, "FirmwareSign") : "");
	f.sign_method = xstrdup(sm != NULL ? sm : "MD5");
	f.udi = xstrdup(sim_arg(c, "Udi") != NULL ? sim_arg(c, "Udi") : "");
	f.product = (size_t)(p - c->store->products);
	f.type = (int)type;
	f.status = verify ? 0 : -1;
	f.size = size;
	/* A package uploaded to the simulated OSS gives its size and MD5 when not stated. */
	{
		uint64_t osize;
		char md5[33];
		if (sim_oss_lookup(c->sim->oss, f.url, &osize, md5)) {
			if (sim_arg(c, "FirmwareSize") == NULL)
				f.size = (long)osize;
			if (sim_arg(c, "FirmwareSign") == NULL) {
				xstrset(&f.sign, md5);
			}
		}
	}
	f.created = f.modified = sim_store_now(c->store);
	nf = sim_ota_add_firmware(c->sim->ota, &f);
	d = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(d, "FirmwareId", nf->id);
	sim_add_time(d, "UtcCreate", nf->created, 0);
	return 0;
}

static int
delete_ota_firmware(struct sim_call *c)
{
	struct sim_firmware *f = sim_need_firmware(c);

	if (f == NULL)
		return -1;
	f->deleted = 1;
	return 0;
}

static void
firmware_fields(struct sim_call *c, cJSON *o, const struct sim_firmware *f, int full)
{
	const struct sim_product *p = &c->store->products[f->product];

	cJSON_AddStringToObject(o, "SrcVersion", f->src);
	cJSON_AddStringToObject(o, "FirmwareSign", f->sign);
	cJSON_AddStringToObject(o, "ProductKey", p->key);
	cJSON_AddNumberToObject(o, "Type", f->type);
	sim_add_time(o, "UtcModified", f->modified, 0);
	cJSON_AddStringToObject(o, "SignMethod", f->sign_method);
	sim_add_time(o, "UtcCreate", f->created, 0);
	cJSON_AddNumberToObject(o, "FirmwareSize", (double)f->size);
	cJSON_AddNumberToObject(o, "Status", f->status);
	cJSON_AddStringToObject(o, "FirmwareId", f->id);
	cJSON_AddStringToObject(o, "FirmwareDesc", f->desc);
	if (full)
		cJSON_AddStringToObject(o, "FirmwareUrl", f->url);
	cJSON_AddStringToObject(o, "DestVersion", f->dest);
	cJSON_AddStringToObject(o, "ProductName", p->name);
	cJSON_AddStringToObject(o, "FirmwareName", f->name);
	cJSON_AddStringToObject(o, "ModuleName", f->module);
	if (full) {
		cJSON_AddStringToObject(o, "Udi", f->udi);
		cJSON_AddNumberToObject(o, "VerifyProgress", f->status == 1 || f->status == 3 ? 100 : 0);
	}
}

static int
list_ota_firmware(struct sim_call *c)
{
	struct sim_ota *o = c->sim->ota;
	const char *pk = sim_arg(c, "ProductKey"), *dest = sim_arg(c, "DestVersion");
	long page, size;
	size_t i, total = 0, skip;
	cJSON *arr;

	if (sim_page_args(c, 100, &page, &size) != 0)
		return -1;
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	for (i = o->nfw; i-- > 0;) {
		const struct sim_firmware *f = &o->fw[i];
		cJSON *it;
		if (f->deleted || (pk != NULL && strcmp(c->store->products[f->product].key, pk) != 0) ||
		    (dest != NULL && strcmp(f->dest, dest) != 0))
			continue;
		if (total++ < skip || cJSON_GetArraySize(arr) >= size)
			continue;
		it = cJSON_CreateObject();
		firmware_fields(c, it, f, 0);
		cJSON_AddItemToArray(arr, it);
	}
	sim_add_paging(c->out, "CurrentPage", page, size, total);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "FirmwareInfo"), "SimpleFirmwareInfo", arr);
	return 0;
}

static int
query_ota_firmware(struct sim_call *c)
{
	struct sim_firmware *f = sim_need_firmware(c);

	if (f == NULL)
		return -1;
	firmware_fields(c, cJSON_AddObjectToObject(c->out, "FirmwareInfo"), f, 1);
	return 0;
}

static struct sim_ota_module *
find_module(struct sim_call *c, const char *pk, const char *name)
{
	struct sim_ota *o = c->sim->ota;
	size_t i;

	/* Module names are matched without regard to case (guide 4.20.17). */
	for (i = 0; i < o->nmods; i++)
		if (strcmp(o->mods[i].product_key, pk) == 0 && strcasecmp(o->mods[i].name, name) == 0)
			return &o->mods[i];
	return NULL;
}

static int
create_ota_module(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_ota *o = c->sim->ota;
	const char *name = sim_arg(c, "ModuleName");
	struct sim_ota_module *m;
	size_t i, count = 0;

	if (p == NULL)
		return -1;
	if (!ota_name_ok(name))
		return sim_fail(c, "iot.ota.InvalidOtaModuleName", "module names are 1-64 of A-Z a-z 0-9 _ . -.");
	if (strcasecmp(name, "default") == 0)
		return sim_fail(c, "iot.firmware.ModuleNameReserved", "default is the name of the default module.");
	if (find_module(c, p->key, name) != NULL)
		return sim_fail(c, "iot.ota.CreateOTAModuleNameExist", "the module already exists.");
	for (i = 0; i < o->nmods; i++)
		count += strcmp(o->mods[i].product_key, p->key) == 0;
	if (count >= 10)
		return sim_fail(c, "iot.ota.CreateOTAModuleExceedLimit", "a product holds at most 10 OTA modules.");
	o->mods = xreallocarray(o->mods, o->nmods + 1, sizeof *o->mods);
	m = &o->mods[o->nmods++];
	m->product_key = xstrdup(p->key);
	m->name = xstrdup(name);
	m->alias = xstrdup(sim_arg(c, "AliasName") != NULL ? sim_arg(c, "AliasName") : "");
	m->desc = xstrdup(sim_arg(c, "Desc") != NULL ? sim_arg(c, "Desc") : "");
	m->created = m->modified = sim_store_now(c->store);
	return 0;
}

static int
update_ota_module(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_ota_module *m;

	if (p == NULL)
		return -1;
	if ((m = find_module(c, p->key, sim_arg(c, "ModuleName"))) == NULL)
		return sim_fail(c, "iot.ota.OTAModuleNotExist", "the module does not exist.");
	if (sim_arg(c, "AliasName") != NULL) {
		xstrset(&m->alias, sim_arg(c, "AliasName"));
	}
	if (sim_arg(c, "Desc") != NULL) {
		xstrset(&m->desc, sim_arg(c, "Desc"));
	}
	m->modified = sim_store_now(c->store);
	return 0;
}

static int
delete_ota_module(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_ota *o = c->sim->ota;
	const char *name = sim_arg(c, "ModuleName");
	struct sim_ota_module *m;
	size_t i;

	if (p == NULL)
		return -1;
	if (strcmp(name, "default") == 0)
		return sim_fail(c, "iot.ota.DeleteOtaDefaultModule", "the default module cannot be deleted.");
	if ((m = find_module(c, p->key, name)) == NULL)
		return sim_fail(c, "iot.ota.OTAModuleNotExist", "the module does not exist.");
	for (i = 0; i < o->nfw; i++)
		if (!o->fw[i].deleted && o->fw[i].product == (size_t)(p - c->store->products) &&
		    strcmp(o->fw[i].module, name) == 0)
			return sim_fail(c, "iot.ota.DeleteOTAModulePackageExist", "the module has firmware packages.");
	free(m->product_key); free(m->name); free(m->alias); free(m->desc);
	i = (size_t)(m - o->mods);
	memmove(m, m + 1, (o->nmods - i - 1) * sizeof *m);
	o->nmods--;
	return 0;
}

static void
module_fmt(int64_t ms, char out[40])
{
	char buf[32];

	/* OTA module times look like "2020-10-13T09:46Z". */
	sim_fmt_utc(ms, buf);
	snprintf(out, 40, "%.16sZ", buf);
}

static int
list_ota_module_by_product(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_ota *o = c->sim->ota;
	cJSON *arr, *it;
	char t[40];
	size_t i;

	if (p == NULL)
		return -1;
	arr = cJSON_AddArrayToObject(c->out, "Data");
	it = cJSON_CreateObject();
	cJSON_AddStringToObject(it, "ProductKey", p->key);
	cJSON_AddStringToObject(it, "ModuleName", "default");
	cJSON_AddStringToObject(it, "AliasName", "默认模块");
	cJSON_AddStringToObject(it, "Desc", "");
	module_fmt(p->created, t);
	cJSON_AddStringToObject(it, "GmtCreate", t);
	cJSON_AddStringToObject(it, "GmtModified", t);
	cJSON_AddItemToArray(arr, it);
	for (i = 0; i < o->nmods; i++) {
		const struct sim_ota_module *m = &o->mods[i];
		if (strcmp(m->product_key, p->key) != 0)
			continue;
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "ProductKey", m->product_key);
		cJSON_AddStringToObject(it, "ModuleName", m->name);
		cJSON_AddStringToObject(it, "AliasName", m->alias);
		cJSON_AddStringToObject(it, "Desc", m->desc);
		module_fmt(m->created, t);
		cJSON_AddStringToObject(it, "GmtCreate", t);
		module_fmt(m->modified, t);
		cJSON_AddStringToObject(it, "GmtModified", t);
		cJSON_AddItemToArray(arr, it);
	}
	return 0;
}

const struct sim_handler sim_ota_fw_handlers[] = {
	{ ACT_GenerateOTAUploadURL, generate_ota_upload_url },
	{ ACT_GenerateDeviceNameListURL, generate_device_name_list_url },
	{ ACT_CreateOTAFirmware, create_ota_firmware },
	{ ACT_DeleteOTAFirmware, delete_ota_firmware },
	{ ACT_ListOTAFirmware, list_ota_firmware },
	{ ACT_QueryOTAFirmware, query_ota_firmware },
	{ ACT_CreateOTAModule, create_ota_module },
	{ ACT_UpdateOTAModule, update_ota_module },
	{ ACT_DeleteOTAModule, delete_ota_module },
	{ ACT_ListOTAModuleByProduct, list_ota_module_by_product },
	{ NULL, NULL }
};
