/* test_sim_guide.c — the simulator's refusals follow the guide (issue 9's audit): a rule the
 * guide sets is kept with its documented code (an OTA package name is unique in the account,
 * iot.firmware.AlreadyExistedFirmwareName), a rule it does not set is gone (a product with
 * devices can be deleted, optional tags may be left out, a thing model version may be
 * published again), and what it says about limits is what happens (names past 10,000 are
 * dropped, a nickname is renamed within 32, a descending QueryDevicePropertiesData runs
 * from StartTime down to EndTime). Requests go through the gateway, v1-signed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "api/sign.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/ota.h"
#include "sim/store.h"
#include "simtest.h"

static struct simtest fx;

static int
setup(void **state)
{
	(void)state;
	if (simtest_open(&fx, 5, 2, 40, 1.0) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	simtest_close(&fx);
	return 0;
}

static char *
arg(const char *name, const char *value)
{
	return xasprintf("%s=%s", name, value);
}

/* FirmwareName is unique in the account (guide 4.20.3, line 22885 of the 2022-07-13 guide;
 * 4.6 documents iot.firmware.AlreadyExistedFirmwareName): a second package of the same name
 * is refused with that code (not the undocumented iot.ota.FirmwareNameExisted), and the
 * name is free again once the first package is deleted. */
static void
test_firmware_name(void **state)
{
	char *pk = arg("ProductKey", fx.store->products[0].key), *fid;
	cJSON *r;

	(void)state;
	r = simtest_api(&fx, "CreateOTAFirmware", pk, "FirmwareName=fw_same", "DestVersion=2.0.0", (char *)NULL);
	assert_true(simtest_ok(r));
	fid = arg("FirmwareId", cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "FirmwareId")->valuestring);
	cJSON_Delete(r);
	r = simtest_api(&fx, "CreateOTAFirmware", pk, "FirmwareName=fw_same", "DestVersion=2.0.1", (char *)NULL);
	assert_false(simtest_ok(r));
	assert_string_equal(simtest_code(r), "iot.firmware.AlreadyExistedFirmwareName");
	cJSON_Delete(r);
	r = simtest_api(&fx, "DeleteOTAFirmware", fid, (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	r = simtest_api(&fx, "CreateOTAFirmware", pk, "FirmwareName=fw_same", "DestVersion=2.0.1", (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	/* The other OTA codes this audit replaced by documented ones. */
	r = simtest_api(&fx, "CreateOTAFirmware", pk, "FirmwareName=fw_diff", "DestVersion=2.0.1", "Type=1", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.firmware.SrcVersionsMandatory");
	cJSON_Delete(r);
	r = simtest_api(&fx, "CreateOTAFirmware", pk, "FirmwareName=fw_diff", "DestVersion=2.0.1", "Type=1",
	    "SrcVersion=2.0.1", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.firmware.SrcDestVersionMatched");
	cJSON_Delete(r);
	r = simtest_api(&fx, "CreateOTAFirmware", pk, "FirmwareName=fw_v", "DestVersion=2.0(1)", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.firmware.IncorrectFormattedFirmwareVersion");
	cJSON_Delete(r);
	r = simtest_api(&fx, "GenerateOTAUploadURL", "FileSuffix=exe", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.firmware.InvalidGenerateOTAUploadURLParam");
	cJSON_Delete(r);
	free(pk);
	free(fid);
}

/* DeleteProduct deletes the product's devices with it (guide 4.7.5); nothing documents a
 * refusal (the undocumented iot.prod.DeleteProductFailed is gone). */
static void
test_delete_product_with_devices(void **state)
{
	const struct sim_product *p = &fx.store->products[1];
	char *pk = arg("ProductKey", p->key), *iotid;
	cJSON *r;

	(void)state;
	assert_true(p->ndevs > 0);
	iotid = arg("IotId", fx.store->devs[p->devs[0]].iotid);
	r = simtest_api(&fx, "DeleteProduct", pk, (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceDetail", iotid, (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.device.NotExistedDevice");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryProduct", pk, (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.prod.NotExistedProduct");
	cJSON_Delete(r);
	free(pk);
	free(iotid);
}

/* Product tags are optional parameters (guide 4.7.6): none is no change; more than 10 a
 * call is refused with the generic documented code (no specific one is documented). */
static void
test_product_tags(void **state)
{
	struct params p = PARAMS_INIT;
	char name[48], value[16];
	cJSON *r;
	int i;

	(void)state;
	params_add(&p, "ProductKey", fx.store->products[0].key);
	r = simtest_call(&fx, "CreateProductTags", &p);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	for (i = 1; i <= 11; i++) {
		snprintf(name, sizeof name, "ProductTag.%d.TagKey", i);
		snprintf(value, sizeof value, "k%d", i);
		params_add(&p, name, value);
		snprintf(name, sizeof name, "ProductTag.%d.TagValue", i);
		params_add(&p, name, "v");
	}
	r = simtest_call(&fx, "CreateProductTags", &p);
	assert_string_equal(simtest_code(r), "iot.common.InvalidFormattedParameter");
	cJSON_Delete(r);
	params_free(&p);
}

/* BatchCheckDeviceNames takes at most 10,000 names and drops the rest (guide 4.8.15). */
static void
test_batch_check_drops_excess(void **state)
{
	struct params p = PARAMS_INIT;
	char name[48], value[32];
	cJSON *r, *s;
	int i;

	(void)state;
	params_add(&p, "ProductKey", fx.store->products[0].key);
	for (i = 1; i <= 10001; i++) {
		snprintf(name, sizeof name, "DeviceName.%d", i);
		snprintf(value, sizeof value, "bulk_%05d", i);
		params_add(&p, name, value);
	}
	r = simtest_call(&fx, "BatchCheckDeviceNames", &p);
	assert_true(simtest_ok(r));
	snprintf(value, sizeof value, "ApplyId=%.0f",
	    cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "ApplyId")->valuedouble);
	cJSON_Delete(r);
	params_free(&p);
	{
		char *pk = arg("ProductKey", fx.store->products[0].key);
		r = simtest_api(&fx, "QueryBatchRegisterDeviceStatus", pk, value, (char *)NULL);
		free(pk);
	}
	assert_true(simtest_ok(r));
	s = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "ValidList"), "Name");
	assert_int_equal(cJSON_GetArraySize(s), 10000);
	cJSON_Delete(r);
}

/* BatchCheckDeviceNames takes DeviceNameList.N.DeviceName over DeviceName.N when both are
 * passed (guide 4.8.15), and an empty DeviceName.1 is an invalid name, not a crash (found
 * by fuzz_sim_gateway: the name list was counted with the empty value and read without
 * it, and a NULL name reached strlen). */
static void
test_batch_check_lists(void **state)
{
	char *pk = arg("ProductKey", fx.store->products[0].key), apply[48];
	const cJSON *names, *bad;
	cJSON *r;

	(void)state;
	r = simtest_api(&fx, "BatchCheckDeviceNames", pk, "DeviceName.1=", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.device.InvalidFormattedDeviceName");
	bad = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"),
	    "InvalidDeviceNameList"), "InvalidDeviceName");
	assert_int_equal(cJSON_GetArraySize(bad), 1);
	cJSON_Delete(r);
	r = simtest_api(&fx, "BatchCheckDeviceNames", pk, "DeviceName.1=from_legacy",
	    "DeviceNameList.1.DeviceName=from_list", (char *)NULL);
	assert_true(simtest_ok(r));
	snprintf(apply, sizeof apply, "ApplyId=%.0f",
	    cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "ApplyId")->valuedouble);
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryBatchRegisterDeviceStatus", pk, apply, (char *)NULL);
	names = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "ValidList"),
	    "Name");
	assert_int_equal(cJSON_GetArraySize(names), 1);
	assert_string_equal(cJSON_GetArrayItem(names, 0)->valuestring, "from_list");
	cJSON_Delete(r);
	free(pk);
}

/* BatchUpdateDeviceNickname: nicknames of 4 to 32 (guide 4.8.18, not 64 as when
 * registering), every parameter optional. */
static void
test_nickname_update(void **state)
{
	char *iotid = arg("DeviceNicknameInfo.1.IotId",
	    fx.store->devs[fx.store->products[0].devs[0]].iotid);
	cJSON *r;

	(void)state;
	r = simtest_api(&fx, "BatchUpdateDeviceNickname", iotid, "DeviceNicknameInfo.1.Nickname=abcdefghijklmnopqrstuvwxyz123456",
	    (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	r = simtest_api(&fx, "BatchUpdateDeviceNickname", iotid, "DeviceNicknameInfo.1.Nickname=abcdefghijklmnopqrstuvwxyz1234567",
	    (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.device.InvalidDeviceNickNameExisted");
	cJSON_Delete(r);
	r = simtest_api(&fx, "BatchUpdateDeviceNickname", (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	free(iotid);
}

/* QueryDevicePropertiesData with Asc=0 runs from StartTime down to EndTime, and StartTime
 * must be the later one (guide 4.12.6). */
static void
test_properties_data_descending(void **state)
{
	const struct sim_device *d = NULL;
	char *iotid, *start, *end;
	int64_t now = sim_store_now(fx.store);
	const cJSON *props;
	cJSON *r;
	size_t i;

	(void)state;
	for (i = 0; i < fx.store->products[0].ndevs && d == NULL; i++)
		if (fx.store->devs[fx.store->products[0].devs[i]].active != 0)
			d = &fx.store->devs[fx.store->products[0].devs[i]];
	assert_non_null(d);
	props = cJSON_GetObjectItem(fx.store->products[0].tsl, "properties");
	iotid = arg("IotId", d->iotid);
	start = xasprintf("StartTime=%lld", (long long)now);
	end = xasprintf("EndTime=%lld", (long long)(now - 3600000));
	{
		char *ident = arg("Identifier.1", cJSON_GetObjectItem(cJSON_GetArrayItem(props, 0),
		    "identifier")->valuestring);
		r = simtest_api(&fx, "QueryDevicePropertiesData", iotid, ident, start, end, "Asc=0", "PageSize=10",
		    (char *)NULL);
		assert_true(simtest_ok(r));
		cJSON_Delete(r);
		/* The other way round is refused for a descending query. */
		free(start);
		free(end);
		start = xasprintf("StartTime=%lld", (long long)(now - 3600000));
		end = xasprintf("EndTime=%lld", (long long)now);
		r = simtest_api(&fx, "QueryDevicePropertiesData", iotid, ident, start, end, "Asc=0", "PageSize=10",
		    (char *)NULL);
		assert_string_equal(simtest_code(r), "iot.device.InvalidTimeBucket");
		cJSON_Delete(r);
		r = simtest_api(&fx, "QueryDevicePropertiesData", iotid, ident, start, end, "Asc=1", "PageSize=10",
		    (char *)NULL);
		assert_true(simtest_ok(r));
		cJSON_Delete(r);
		free(ident);
	}
	free(iotid);
	free(start);
	free(end);
}

/* Publishing a thing model version name again is not refused (no rule in guide 4.11.5;
 * the undocumented iot.thing.ModelVersionExisted is gone). */
static void
test_publish_again(void **state)
{
	char *pk = arg("ProductKey", fx.store->products[0].key);
	cJSON *r;

	(void)state;
	r = simtest_api(&fx, "PublishThingModel", pk, "ModelVersion=v9.9", (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	r = simtest_api(&fx, "PublishThingModel", pk, "ModelVersion=v9.9", (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryThingModelPublished", pk, "ModelVersion=v0.0", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.prod.QueryProductAbilitiesFailed");
	cJSON_Delete(r);
	free(pk);
}

/* CopyThingModel onto the product it copies from keeps the thing model (it freed the model
 * and then copied the freed one: fuzz_sim_gateway found it). */
static void
test_copy_thing_model_onto_itself(void **state)
{
	char *src = arg("SourceProductKey", fx.store->products[0].key);
	char *dst = arg("TargetProductKey", fx.store->products[0].key);
	char *pk = arg("ProductKey", fx.store->products[0].key);
	cJSON *r;

	(void)state;
	r = simtest_api(&fx, "CopyThingModel", src, dst, (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryThingModel", pk, (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	free(src);
	free(dst);
	free(pk);
}

/* ListOTATaskByJob lists its tasks under Data.SimpleOTATaskInfo only (the table of guide
 * 4.20.12 and the official SDK's model), not under the example's SimpleOTAJobInfo too. */
static void
test_task_list_path(void **state)
{
	struct sim_ota *o = fx.sim->ota;
	const cJSON *data, *tasks;
	char *jid;
	cJSON *r;

	(void)state;
	assert_true(o->njobs > 0);
	jid = arg("JobId", o->jobs[0].id);
	r = simtest_api(&fx, "ListOTATaskByJob", jid, "CurrentPage=1", "PageSize=10", (char *)NULL);
	assert_true(simtest_ok(r));
	data = cJSON_GetObjectItem(r, "Data");
	tasks = cJSON_GetObjectItem(data, "SimpleOTATaskInfo");
	assert_true(cJSON_IsArray(tasks));
	assert_true(cJSON_GetArraySize(tasks) > 0);
	assert_non_null(cJSON_GetObjectItem(cJSON_GetArrayItem(tasks, 0), "TaskStatus"));
	assert_null(cJSON_GetObjectItem(data, "SimpleOTAJobInfo"));
	cJSON_Delete(r);
	free(jid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firmware_name),
		cmocka_unit_test(test_delete_product_with_devices),
		cmocka_unit_test(test_product_tags),
		cmocka_unit_test(test_batch_check_drops_excess),
		cmocka_unit_test(test_batch_check_lists),
		cmocka_unit_test(test_nickname_update),
		cmocka_unit_test(test_properties_data_descending),
		cmocka_unit_test(test_publish_again),
		cmocka_unit_test(test_task_list_path),
		cmocka_unit_test(test_copy_thing_model_onto_itself),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
