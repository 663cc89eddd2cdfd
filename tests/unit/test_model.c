/* test_model.c — the list accessor, the lenient getters and every typed model, parsed
 * from the JSON examples of the guide (tests/fixtures/guide/, see its README) and from
 * hostile variations of them. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "api/actions.h"
#include "api/jsonpath.h"
#include "api/model.h"
#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/text.h"
#include "testutil.h"

/* Loads tests/fixtures/guide/NAME.json as a cJSON tree (caller deletes). */
static cJSON *
load(const char *name)
{
	char *path = xasprintf("guide/%s.json", name);
	size_t len;
	char *s = testutil_read_fixture(path, &len);
	cJSON *j = cJSON_ParseWithLength(s, len);

	if (j == NULL)
		fail_msg("fixture %s is not valid JSON", path);
	free(s);
	free(path);
	return j;
}

static cJSON *
parse(const char *s)
{
	cJSON *j = cJSON_Parse(s);

	if (j == NULL)
		fail_msg("test JSON does not parse: %s", s);
	return j;
}

/* The list path the action table gives an action. */
static const char *
path_of(const char *action)
{
	const struct action_info *a = action_lookup(action);

	assert_non_null(a);
	return a->list_path;
}

/* ---- products ------------------------------------------------------------------------- */

static void
test_query_product_list(void **state)
{
	cJSON *j = load("QueryProductList");
	struct model_list l;
	struct model_product *p;

	(void)state;
	model_list_parse(MODEL_PRODUCT, j, NULL, &l);
	assert_int_equal(l.kind, MODEL_PRODUCT);
	assert_int_equal(l.count, 2);
	p = l.items;
	assert_string_equal(p[0].product_key, "a1A0D4t****");
	assert_string_equal(p[0].product_name, "路灯产品");
	assert_int_equal(p[0].node_type, 0);
	assert_int_equal(p[0].data_format, 1);
	assert_int_equal(p[0].device_count, 1);
	assert_true(p[0].gmt_create_ms == INT64_C(1569233025000));
	assert_string_equal(p[0].auth_type, "secret");
	assert_null(p[0].description);
	assert_null(p[0].product_secret);
	assert_int_equal(p[0].owner, -1);
	assert_true(p[0].net_type == MODEL_NONE);
	assert_string_equal(p[1].product_key, "a1dEvuQ****");
	assert_string_equal(p[1].product_name, "子设备custom");
	assert_int_equal(p[1].device_count, 0);
	assert_true(p[1].gmt_create_ms == INT64_C(1568690432000));
	/* the totals sit inside Data here */
	assert_int_equal(l.page.total, 184);
	assert_int_equal(l.page.page_count, 92);
	assert_int_equal(l.page.page_size, 2);
	assert_int_equal(l.page.current_page, 1);
	assert_null(l.page.next_token);
	/* the action table's path finds the same list */
	model_list_free(&l);
	model_list_parse(MODEL_PRODUCT, j, path_of("QueryProductList"), &l);
	assert_int_equal(l.count, 2);
	model_list_free(&l);
	assert_null(l.items);
	assert_int_equal(l.count, 0);
	cJSON_Delete(j);
}

static void
test_query_product(void **state)
{
	cJSON *j = load("QueryProduct");
	struct model_product p;

	(void)state;
	model_product_parse(jsonpath_get(j, "Data"), &p);
	assert_string_equal(p.product_key, "a1BwAGV****");
	assert_string_equal(p.product_name, "路灯");
	assert_string_equal(p.product_secret, "U5tW7i4u1lc****");
	assert_string_equal(p.product_status, "DEVELOPMENT_STATUS");
	assert_string_equal(p.category_key, "Lighting");
	assert_string_equal(p.category_name, "路灯照明");
	assert_string_equal(p.aliyun_commodity_code, "iothub_senior");
	assert_string_equal(p.auth_type, "secret");
	assert_true(p.gmt_create_ms == INT64_C(1581595942000));
	assert_int_equal(p.node_type, 0);
	assert_int_equal(p.data_format, 1);
	assert_int_equal(p.device_count, 0);
	assert_int_equal(p.net_type, 3);
	assert_int_equal(p.validate_type, 1);
	assert_int_equal(p.owner, 1);
	assert_int_equal(p.id2, 0);
	assert_null(p.protocol_type);
	assert_null(p.description);
	model_product_clear(&p);
	assert_null(p.product_key);
	assert_true(p.gmt_create_ms == MODEL_NONE);
	assert_int_equal(p.owner, -1);
	model_product_clear(&p);	/* clearing twice is harmless */
	cJSON_Delete(j);
}

/* ---- devices -------------------------------------------------------------------------- */

static void
test_query_device(void **state)
{
	cJSON *j = load("QueryDevice");
	struct model_list l;
	struct model_device *d;

	(void)state;
	model_list_parse(MODEL_DEVICE, j, path_of("QueryDevice"), &l);
	assert_int_equal(l.count, 2);
	d = l.items;
	assert_string_equal(d[0].device_id, "Av8NGHGtwPrH9BYG****");
	assert_string_equal(d[0].device_name, "Av8NGHGtwPrH9BYGLMBi");
	assert_string_equal(d[0].product_key, "aldafDE****");
	assert_string_equal(d[0].device_secret, "d7GYhf5hfcPHDelbXsd3n9MjO1G3****");
	assert_string_equal(d[0].iot_id, "Av8NGHGtwPrH9BYGLMBi00****");
	assert_string_equal(d[0].status, "UNACTIVE");	/* from DeviceStatus */
	assert_string_equal(d[0].nickname, "SensorInShanghai");
	assert_string_equal(d[0].gmt_create, "Wed, 20-Feb-2019 02:16:09 GMT");
	assert_string_equal(d[0].gmt_modified, "Wed, 20-Feb-2019 02:16:09 GMT");
	assert_string_equal(d[0].utc_create, "2019-02-20T02:16:09.000Z");
	assert_string_equal(d[0].utc_modified, "2019-02-20T02:16:09.000Z");
	assert_null(d[0].product_name);
	assert_true(d[0].node_type == MODEL_NONE);
	assert_string_equal(d[1].nickname, "DriverInShanghai");
	assert_string_equal(d[1].iot_id, "zNlcSmWQ9BPJlkmjn3H100****");
	/* the totals sit at the top level here, with Page for CurrentPage */
	assert_int_equal(l.page.total, 2);
	assert_int_equal(l.page.page_count, 1);
	assert_int_equal(l.page.page_size, 10);
	assert_int_equal(l.page.current_page, 1);
	assert_string_equal(l.page.next_token, "TGlzdFJlc291cm***");
	model_list_free(&l);
	assert_null(l.page.next_token);
	cJSON_Delete(j);
}

static void
test_query_device_detail(void **state)
{
	cJSON *j = load("QueryDeviceDetail");
	struct model_device d;

	(void)state;
	model_device_parse(jsonpath_get(j, "Data"), &d);
	assert_int_equal(d.owner, 1);
	assert_string_equal(d.device_name, "Humidity");
	assert_string_equal(d.product_key, "altsqu****");
	assert_string_equal(d.product_name, "光照温湿度传感器");
	assert_string_equal(d.device_secret, "sLefbFmN9SYfnWlJTePG893XNuRV****");
	assert_string_equal(d.ip_address, "42.120.75.144");
	assert_string_equal(d.iot_id, "dwnS41bhNxlsDAIF****00100");
	assert_string_equal(d.status, "OFFLINE");
	assert_string_equal(d.region, "cn-shanghai");
	assert_string_equal(d.nickname, "温湿度");
	assert_int_equal(d.node_type, 0);
	assert_string_equal(d.gmt_create, "2020-01-08 14:47:08");
	assert_string_equal(d.gmt_active, "2020-01-16 13:33:37");
	assert_string_equal(d.gmt_online, "2020-01-17 16:19:11");
	assert_string_equal(d.utc_create, "2020-01-08T06:47:08.000Z");
	assert_string_equal(d.utc_active, "2020-01-16T05:33:37.830Z");
	assert_string_equal(d.utc_online, "2020-01-17T08:19:11.091Z");
	assert_null(d.firmware_version);	/* documented, absent from the example */
	assert_null(d.device_id);
	model_device_clear(&d);
	assert_null(d.device_secret);
	cJSON_Delete(j);
}

static void
test_batch_query_device_detail(void **state)
{
	cJSON *j = load("BatchQueryDeviceDetail");
	struct model_list l;
	struct model_device *d;

	(void)state;
	model_list_parse(MODEL_DEVICE, j, path_of("BatchQueryDeviceDetail"), &l);
	assert_int_equal(l.count, 2);
	d = l.items;
	assert_string_equal(d[0].device_name, "Humidity");
	assert_string_equal(d[0].gmt_active, "2020-01-16 13:33:37");
	assert_string_equal(d[0].product_name, "光照温湿度传感器");
	assert_string_equal(d[0].iot_id, "dwnS41bhNxjSlDAIF****00100");
	assert_string_equal(d[1].device_name, "TH_sensor");
	assert_string_equal(d[1].status, "OFFLINE");
	assert_string_equal(d[1].utc_active, "2020-01-17T03:39:14.000Z");
	assert_string_equal(d[1].device_secret, "dCYdTU3gw5Z77bsHjPk61PHPVnBT****");
	assert_int_equal(d[1].node_type, 0);
	assert_int_equal(l.page.total, -1);	/* not a paged answer */
	model_list_free(&l);
	cJSON_Delete(j);
}

static void
test_get_device_status(void **state)
{
	cJSON *j = load("GetDeviceStatus");
	struct model_device_status s;

	(void)state;
	model_device_status_parse(jsonpath_get(j, "Data"), &s);
	assert_string_equal(s.status, "ONLINE");
	assert_true(s.timestamp_ms == INT64_C(1557062301656));
	assert_null(s.iot_id);
	assert_null(s.last_online_time);
	model_device_status_clear(&s);
	assert_null(s.status);
	assert_true(s.timestamp_ms == MODEL_NONE);
	cJSON_Delete(j);
}

static void
test_batch_get_device_state(void **state)
{
	cJSON *j = load("BatchGetDeviceState");
	struct model_list l;
	struct model_device_status *s;

	(void)state;
	model_list_parse(MODEL_DEVICE_STATUS, j, NULL, &l);
	assert_int_equal(l.count, 1);
	s = l.items;
	assert_string_equal(s->status, "OFFLINE");
	assert_string_equal(s->device_id, "dwnS41bhNxjslDAI****");
	assert_string_equal(s->device_name, "Humidity");
	assert_string_equal(s->as_address, "192.0.2.1");
	assert_string_equal(s->last_online_time, "2020-01-17 16:19:11");
	assert_string_equal(s->iot_id, "dwnS41bhNxjslDAI****000100");
	assert_true(s->timestamp_ms == MODEL_NONE);
	model_list_free(&l);
	cJSON_Delete(j);
}

/* ---- groups --------------------------------------------------------------------------- */

static void
test_query_device_group_list(void **state)
{
	cJSON *j = load("QueryDeviceGroupList");
	struct model_list l;
	struct model_group *g;

	(void)state;
	model_list_parse(MODEL_GROUP, j, path_of("QueryDeviceGroupList"), &l);
	assert_int_equal(l.count, 10);
	g = l.items;
	assert_string_equal(g[0].group_name, "test1");
	assert_string_equal(g[0].group_id, "Kzt9FD8wje8o****");
	assert_string_equal(g[0].utc_create, "2021-10-01T02:58:34.000Z");
	assert_string_equal(g[0].group_type, "LINK_PLATFORM_DYNAMIC");
	assert_null(g[0].group_desc);
	assert_string_equal(g[2].group_desc, "Test");
	assert_string_equal(g[9].group_name, "testy");
	assert_true(g[9].device_count == MODEL_NONE);
	assert_int_equal(l.page.total, 24);
	assert_int_equal(l.page.page_count, 3);
	assert_int_equal(l.page.page_size, 10);
	assert_int_equal(l.page.current_page, 1);
	model_list_free(&l);
	cJSON_Delete(j);
}

static void
test_query_device_group_info(void **state)
{
	cJSON *j = load("QueryDeviceGroupInfo");
	struct model_group g;

	(void)state;
	model_group_parse(jsonpath_get(j, "Data"), &g);
	assert_string_equal(g.group_name, "aliyun");
	assert_string_equal(g.group_id, "tDQvBjQbUyHs****");
	assert_string_equal(g.group_desc, "usefulGroup");
	assert_string_equal(g.utc_create, "2021-10-14T14:35:51.000Z");
	assert_int_equal(g.device_online, 0);
	assert_int_equal(g.device_active, 1);
	assert_int_equal(g.device_count, 10);
	assert_string_equal(g.dynamic_group_expression,
	    "product_key = \"a1****\" and name LIKE \"test%\"");
	assert_null(g.group_type);
	model_group_clear(&g);
	cJSON_Delete(j);
}

static void
test_query_device_group_by_device(void **state)
{
	cJSON *j = load("QueryDeviceGroupByDevice");
	struct model_list l;
	struct model_group *g;

	(void)state;
	model_list_parse(MODEL_GROUP, j, path_of("QueryDeviceGroupByDevice"), &l);
	assert_int_equal(l.count, 1);
	g = l.items;
	assert_string_equal(g->group_desc, "father desc");
	assert_string_equal(g->group_name, "father1543152336554");
	assert_string_equal(g->group_id, "6a3FF2XE2BKa****");
	assert_string_equal(g->group_type, "LINK_PLATFORM_DYNAMIC");
	model_list_free(&l);
	/* the group kind's default path (Data.GroupInfo) is not here: zero items */
	model_list_parse(MODEL_GROUP, j, NULL, &l);
	assert_int_equal(l.count, 0);
	assert_null(l.items);
	model_list_free(&l);
	cJSON_Delete(j);
}

/* GroupType: LINK_PLATFORM is static, LINK_PLATFORM_DYNAMIC dynamic, no GroupType static
 * (a list asked without GroupTypes), anything else is not guessed at. */
static void
test_group_type(void **state)
{
	(void)state;
	assert_int_equal(model_group_type_kind("LINK_PLATFORM"), 0);
	assert_int_equal(model_group_type_kind("LINK_PLATFORM_DYNAMIC"), 1);
	assert_int_equal(model_group_type_kind(NULL), 0);
	assert_int_equal(model_group_type_kind("LINK_PLATFORM_SOMETHING"), -1);
	assert_int_equal(model_group_type_kind(""), -1);
	assert_string_equal(model_group_type_name("LINK_PLATFORM"), "static");
	assert_string_equal(model_group_type_name("LINK_PLATFORM_DYNAMIC"), "dynamic");
	assert_string_equal(model_group_type_name(NULL), "static");
	assert_null(model_group_type_name("dynamic"));
}

/* ---- OTA ------------------------------------------------------------------------------ */

static void
test_list_ota_firmware(void **state)
{
	cJSON *j = load("ListOTAFirmware");
	struct model_list l;
	struct model_firmware *f;

	(void)state;
	model_list_parse(MODEL_FIRMWARE, j, NULL, &l);
	assert_int_equal(l.count, 1);
	f = l.items;
	assert_string_equal(f->src_version, "1.0.0");
	assert_string_equal(f->firmware_sign, "3d04ab6462633508606e5f3daac8****");
	assert_string_equal(f->product_key, "a19mzPZ****");
	assert_int_equal(f->type, 0);
	assert_string_equal(f->utc_modified, "2019-12-28T02:42:22.000Z");
	assert_string_equal(f->sign_method, "MD5");
	assert_int_equal(f->firmware_size, 924);
	assert_int_equal(f->status, 0);
	assert_string_equal(f->firmware_id, "UfuxnwygsuSkVE0VCN****0100");
	assert_string_equal(f->firmware_desc, "firmwareDesc");
	assert_string_equal(f->dest_version, "4.0.0");
	assert_string_equal(f->product_name, "MyProduct");
	assert_string_equal(f->firmware_name, "t3q5rkNm");
	assert_string_equal(f->module_name, "module1234");
	assert_null(f->firmware_url);
	assert_true(f->verify_progress == MODEL_NONE);
	assert_int_equal(l.page.total, 1);
	assert_int_equal(l.page.page_count, 1);
	assert_int_equal(l.page.page_size, 10);
	assert_int_equal(l.page.current_page, 1);
	model_list_free(&l);
	cJSON_Delete(j);
}

static void
test_query_ota_firmware(void **state)
{
	cJSON *j = load("QueryOTAFirmware");
	struct model_firmware f;

	(void)state;
	model_firmware_parse(jsonpath_get(j, path_of("QueryOTAFirmware")), &f);
	assert_string_equal(f.src_version, "");	/* kept as sent: empty, not absent */
	assert_int_equal(f.status, 2);
	assert_int_equal(f.verify_progress, 0);
	assert_string_equal(f.firmware_desc, "modified-WiFi-module");
	assert_string_equal(f.module_name, "WifiConfigModify");
	assert_string_equal(f.udi, "{\"ota_notice\":\"升级底层摄像头驱动，解决视频图像模糊的问题。\"}");
	assert_non_null(strstr(f.firmware_url, "5E962CF83DB1495E8337E9C8A4D1****.bin?Expires="));
	assert_string_equal(f.utc_modified, "2019-12-28T02:42:41.000Z");
	assert_int_equal(f.file_count, 0);
	assert_null(f.files);
	model_firmware_clear(&f);
	cJSON_Delete(j);
}

static void
test_firmware_multi_files(void **state)
{
	/* MultiFiles as the table documents it (Array of OtaPackageFileDTO), both wrapped
	 * and bare; Size as a string. */
	cJSON *a = parse("{\"FirmwareInfo\":{\"FirmwareId\":\"f1\",\"MultiFiles\":"
	    "{\"OtaPackageFileDTO\":[{\"Name\":\"Firmware1\",\"Size\":200,\"Url\":\"https://x/1.bin\","
	    "\"SignValue\":\"93230c3b\",\"FileMd5\":\"aa\"},{\"Name\":\"Firmware2\",\"Size\":\"300\"}]}}}");
	cJSON *b = parse("{\"FirmwareInfo\":{\"MultiFiles\":[{\"Name\":\"only\"}]}}");
	struct model_firmware f;

	(void)state;
	model_firmware_parse(jsonpath_get(a, "FirmwareInfo"), &f);
	assert_int_equal(f.file_count, 2);
	assert_string_equal(f.files[0].name, "Firmware1");
	assert_int_equal(f.files[0].size, 200);
	assert_string_equal(f.files[0].url, "https://x/1.bin");
	assert_string_equal(f.files[0].sign_value, "93230c3b");
	assert_string_equal(f.files[0].file_md5, "aa");
	assert_int_equal(f.files[1].size, 300);
	assert_null(f.files[1].url);
	model_firmware_clear(&f);
	model_firmware_parse(jsonpath_get(b, "FirmwareInfo"), &f);
	assert_int_equal(f.file_count, 1);
	assert_string_equal(f.files[0].name, "only");
	model_firmware_clear(&f);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void
test_list_ota_job_by_firmware(void **state)
{
	cJSON *j = load("ListOTAJobByFirmware");
	struct model_list l;
	struct model_ota_job *o;

	(void)state;
	model_list_parse(MODEL_OTA_JOB, j, NULL, &l);
	assert_int_equal(l.count, 1);
	o = l.items;
	assert_string_equal(o->selection_type, "STATIC");
	assert_string_equal(o->target_selection, "SPECIFIC");
	assert_string_equal(o->job_type, "UPGRADE_FIRMWARE");
	assert_string_equal(o->firmware_id, "UfuxnwygsuSkVE0VCN***0100");
	assert_string_equal(o->utc_start_time, "2019-12-28T02:43:10.000Z");
	assert_string_equal(o->utc_end_time, "2019-12-29T02:43:10.000Z");
	assert_string_equal(o->product_key, "a19mzPZ****");
	assert_string_equal(o->job_id, "HvKuBpuk3rdk6E92CP***0200");
	assert_string_equal(o->job_status, "IN_PROGRESS");
	assert_int_equal(o->tag_count, 0);
	assert_int_equal(o->src_version_count, 0);
	assert_int_equal(o->need_confirm, -1);
	assert_int_equal(l.page.total, 1);
	model_list_free(&l);
	cJSON_Delete(j);
}

static void
test_query_ota_job(void **state)
{
	cJSON *j = load("QueryOTAJob");
	cJSON *t = parse("{\"Data\":{\"JobId\":\"j\",\"Tags\":{\"OtaTagDTO\":[{\"Key\":\"k1\","
	    "\"Value\":\"v1\"},{\"Key\":\"k2\",\"Value\":2}]},\"SrcVersions\":[\"1.0\",\"1.1\"],"
	    "\"GrayPercent\":50.5,\"NeedPush\":\"false\"}}");
	struct model_ota_job o;

	(void)state;
	model_ota_job_parse(jsonpath_get(j, "Data"), &o);
	assert_int_equal(o.timeout_in_minutes, 5);
	assert_string_equal(o.job_desc, "batch upgrade");
	assert_string_equal(o.download_protocol, "HTTPS");
	assert_string_equal(o.job_status, "IN_PROGRESS");
	assert_string_equal(o.selection_type, "STATIC");
	assert_string_equal(o.target_selection, "SPECIFIC");
	assert_string_equal(o.group_id, "");
	assert_string_equal(o.group_name, "");
	assert_int_equal(o.retry_interval, 60);
	assert_int_equal(o.retry_count, 1);
	assert_int_equal(o.overwrite_mode, 1);
	assert_int_equal(o.multi_module_mode, 1);
	assert_int_equal(o.maximum_per_minute, 1000);
	assert_int_equal(o.src_version_count, 1);
	assert_string_equal(o.src_versions[0], "1.0.0");
	assert_string_equal(o.name, "firmware2");
	assert_int_equal(o.need_confirm, 1);
	assert_int_equal(o.need_push, 0);
	assert_string_equal(o.firmware_id, "UfuxnwygsuSkVE0VCN****0100");
	assert_string_equal(o.job_id, "HvKuBpuk3rdk6E92CP****0200");
	assert_string_equal(o.dest_version, "1.0.1");
	assert_true(o.dynamic_mode == MODEL_NONE);
	assert_null(o.gray_percent);
	assert_null(o.utc_schedule_time);
	model_ota_job_clear(&o);
	/* tags (Array of OtaTagDTO) and the other SrcVersions shape */
	model_ota_job_parse(jsonpath_get(t, "Data"), &o);
	assert_int_equal(o.tag_count, 2);
	assert_string_equal(o.tags[0].key, "k1");
	assert_string_equal(o.tags[0].value, "v1");
	assert_string_equal(o.tags[1].value, "2");
	assert_int_equal(o.src_version_count, 2);
	assert_string_equal(o.src_versions[1], "1.1");
	assert_string_equal(o.gray_percent, "50.5");
	assert_int_equal(o.need_push, 0);
	model_ota_job_clear(&o);
	cJSON_Delete(t);
	cJSON_Delete(j);
}

static void
test_list_ota_task_by_job(void **state)
{
	cJSON *j = load("ListOTATaskByJob");
	cJSON *k = parse("{\"Data\":{\"SimpleOTATaskInfo\":[{\"TaskId\":\"t1\",\"Progress\":42.5,"
	    "\"Timeout\":\"\"}]},\"Total\":1}");
	struct model_list l;
	struct model_ota_task *t;

	(void)state;
	/* the guide's example: tasks under SimpleOTAJobInfo */
	model_list_parse(MODEL_OTA_TASK, j, NULL, &l);
	assert_int_equal(l.count, 2);
	t = l.items;
	assert_string_equal(t[0].src_version, "1.0.0");
	assert_string_equal(t[0].device_name, "testDevice1");
	assert_string_equal(t[0].firmware_id, "q3j9OYBjUAZMv1hlMgdo03****");
	assert_string_equal(t[0].iot_id, "SR8FiTu1R9t1UR2V1bmi00105****");
	assert_string_equal(t[0].product_key, "a1GUfrM****");
	assert_string_equal(t[0].job_id, "7glPHmaDYLAYMD1HHutT02****");
	assert_string_equal(t[0].task_desc, "report version is not conform");
	assert_string_equal(t[0].dest_version, "1.0.1");
	assert_int_equal(t[0].timeout_minutes, 1440);
	assert_string_equal(t[0].utc_create, "2019-11-04T03:38:15.000Z");
	assert_string_equal(t[0].task_status, "FAILED");
	assert_string_equal(t[0].product_name, "MyProduct");
	assert_string_equal(t[0].task_id, "y3tOmCDNgpR8F9jnVEzC01****");
	assert_true(t[0].progress == 0.0);
	assert_string_equal(t[1].task_desc, "");
	assert_int_equal(t[1].timeout_minutes, 1000);
	assert_string_equal(t[1].task_status, "SUCCEEDED");
	assert_true(t[1].progress == 100.0);
	assert_int_equal(l.page.total, 2);
	model_list_free(&l);
	/* the action table's path (the example's) works too */
	model_list_parse(MODEL_OTA_TASK, j, path_of("ListOTATaskByJob"), &l);
	assert_int_equal(l.count, 2);
	model_list_free(&l);
	/* the SDK's name, SimpleOTATaskInfo, through the action table's path (every reader,
	 * the pager too); a numeric Progress; Timeout "" */
	model_list_parse(MODEL_OTA_TASK, k, path_of("ListOTATaskByJob"), &l);
	assert_int_equal(l.count, 1);
	model_list_free(&l);
	model_list_parse(MODEL_OTA_TASK, k, NULL, &l);
	assert_int_equal(l.count, 1);
	t = l.items;
	assert_string_equal(t->task_id, "t1");
	assert_true(t->progress == 42.5);
	assert_true(t->timeout_minutes == MODEL_NONE);
	model_list_free(&l);
	cJSON_Delete(k);
	cJSON_Delete(j);
}

static void
test_query_device_property_status(void **state)
{
	cJSON *j = load("QueryDevicePropertyStatus");
	struct model_list l;
	struct model_property_status *p;

	(void)state;
	model_list_parse(MODEL_PROPERTY_STATUS, j, path_of("QueryDevicePropertyStatus"), &l);
	assert_int_equal(l.count, 2);
	p = l.items;
	assert_string_equal(p[0].name, "湿度");
	assert_string_equal(p[0].value, "48");
	assert_true(p[0].time_ms == INT64_C(1579249151178));	/* sent as a string */
	assert_string_equal(p[0].data_type, "int");
	assert_string_equal(p[0].identifier, "Humidity");
	assert_string_equal(p[0].unit, "%");
	assert_string_equal(p[1].value, "32.46");
	assert_string_equal(p[1].data_type, "float");
	assert_string_equal(p[1].unit, "°C");
	model_list_free(&l);
	cJSON_Delete(j);
}

/* ---- the other list shapes of the guide ----------------------------------------------- */

static void
test_shape_bare_arrays(void **state)
{
	cJSON *t = load("ListThingTemplates");
	cJSON *q = load("QueryDeviceBySQL");
	struct jsonpath_list jl;
	struct model_list l;
	struct model_device *d;

	(void)state;
	assert_int_equal(jsonpath_list(t, path_of("ListThingTemplates"), &jl), 2);
	assert_string_equal(cJSON_GetObjectItem(jl.items[0], "CategoryKey")->valuestring,
	    "SmartRearviewMirror");
	assert_string_equal(cJSON_GetObjectItem(jl.items[1], "CategoryName")->valuestring,
	    "智能车机");
	jsonpath_list_free(&jl);
	assert_null(jl.items);
	/* QueryDeviceBySQL: Data is the array itself */
	model_list_parse(MODEL_DEVICE, q, path_of("QueryDeviceBySQL"), &l);
	assert_int_equal(l.count, 2);
	d = l.items;
	assert_string_equal(d[0].status, "OFFLINE");
	assert_string_equal(d[0].iot_id, "iil*****");
	assert_string_equal(d[0].gmt_create, "2020-04-04 16:38:17.000");
	assert_string_equal(d[0].gmt_active, "2020-04-04 16:38:18.607");	/* ActiveTime */
	assert_string_equal(d[0].device_name, "testDevcieae7f3a");
	assert_string_equal(d[1].status, "UNACTIVE");
	assert_null(d[1].gmt_active);
	model_list_free(&l);
	/* a path that expects a wrapper stops at the array it meets */
	model_list_parse(MODEL_DEVICE, q, NULL, &l);
	assert_int_equal(l.count, 2);
	model_list_free(&l);
	assert_int_equal(jsonpath_list(q, "Data.DeviceInfo.Deeper", &jl), 2);
	jsonpath_list_free(&jl);
	/* lists inside an item: Groups[] of the second device */
	assert_int_equal(jsonpath_list(q, "Data", &jl), 2);
	{
		struct jsonpath_list g;

		assert_int_equal(jsonpath_list(jl.items[1], "Groups", &g), 3);
		assert_string_equal(cJSON_GetObjectItem(g.items[2], "GroupId")->valuestring,
		    "J9l*****");
		jsonpath_list_free(&g);
		assert_int_equal(jsonpath_list(jl.items[0], "Groups", &g), 0);
		jsonpath_list_free(&g);
	}
	jsonpath_list_free(&jl);
	cJSON_Delete(t);
	cJSON_Delete(q);
}

static void
test_shape_single_objects(void **state)
{
	cJSON *g = load("QueryDynamicGroupDevices");
	cJSON *m = load("ListOTAModuleByProduct");
	struct jsonpath_list jl;
	struct model_list l;
	struct model_device *d;

	(void)state;
	model_list_parse(MODEL_DEVICE, g, path_of("QueryDynamicGroupDevices"), &l);
	assert_int_equal(l.count, 1);
	d = l.items;
	assert_string_equal(d->device_name, "light");
	assert_string_equal(d->status, "ONLINE");
	assert_string_equal(d->product_name, "test");
	assert_string_equal(d->nickname, "detectors_in_beijing");
	assert_string_equal(d->gmt_active, "2018-08-06 10:48:41");	/* ActiveTime */
	assert_string_equal(d->gmt_online, "2018-08-06 13:43:12");	/* LastOnlineTime */
	assert_string_equal(d->utc_active, "2018-08-06T02:48:41.000Z");
	assert_string_equal(d->utc_online, "2018-08-06T05:43:12.000Z");
	assert_int_equal(l.page.total, 24);
	assert_int_equal(l.page.page_count, 2);
	assert_int_equal(l.page.current_page, 1);	/* "Page" */
	assert_string_equal(l.page.next_token, "TGlzdFJlc291***");
	model_list_free(&l);
	assert_int_equal(jsonpath_list(m, path_of("ListOTAModuleByProduct"), &jl), 1);
	assert_string_equal(cJSON_GetObjectItem(jl.items[0], "ModuleName")->valuestring,
	    "barcodeScanner");
	assert_string_equal(cJSON_GetObjectItem(jl.items[0], "GmtCreate")->valuestring,
	    "2020-10-13T09:46Z");
	jsonpath_list_free(&jl);
	cJSON_Delete(g);
	cJSON_Delete(m);
}

/* ---- hostile and odd shapes ----------------------------------------------------------- */

static void
test_wrong_types(void **state)
{
	cJSON *j = parse("{\"Data\":{\"List\":{\"ProductInfo\":[{\"ProductKey\":12345,"
	    "\"ProductName\":true,\"NodeType\":\"1\",\"GmtCreate\":\"1581595942000\","
	    "\"DeviceCount\":\"many\",\"DataFormat\":1.5,\"Owner\":\"true\",\"Id2\":\"0\","
	    "\"Description\":null,\"AuthType\":{\"x\":1},\"NetType\":[3],\"ValidateType\":1e300,"
	    "\"ProductStatus\":-0.25,\"CategoryKey\":[\"a\"]}]},\"Total\":\"184\",\"PageSize\":\"x\","
	    "\"PageCount\":true}}");
	cJSON *t = parse("{\"Data\":{\"SimpleOTAJobInfo\":{\"Progress\":\"abc\",\"Timeout\":"
	    "\"99999999999999999999\",\"TaskId\":7.25,\"UtcCreate\":false}}}");
	struct model_list l;
	struct model_product *p;
	struct model_ota_task *k;

	(void)state;
	model_list_parse(MODEL_PRODUCT, j, NULL, &l);
	assert_int_equal(l.count, 1);
	p = l.items;
	assert_string_equal(p->product_key, "12345");
	assert_string_equal(p->product_name, "true");
	assert_int_equal(p->node_type, 1);
	assert_true(p->gmt_create_ms == INT64_C(1581595942000));
	assert_true(p->device_count == MODEL_NONE);
	assert_true(p->data_format == MODEL_NONE);	/* 1.5 is not an integer */
	assert_true(p->validate_type == MODEL_NONE);	/* out of range */
	assert_int_equal(p->owner, 1);
	assert_int_equal(p->id2, 0);
	assert_null(p->description);
	assert_null(p->auth_type);
	assert_null(p->category_key);
	assert_true(p->net_type == MODEL_NONE);
	assert_string_equal(p->product_status, "-0.25");
	assert_int_equal(l.page.total, 184);
	assert_int_equal(l.page.page_size, -1);
	assert_int_equal(l.page.page_count, 1);
	model_list_free(&l);
	model_list_parse(MODEL_OTA_TASK, t, NULL, &l);
	assert_int_equal(l.count, 1);
	k = l.items;
	assert_true(isnan(k->progress));
	assert_true(k->timeout_minutes == MODEL_NONE);
	assert_string_equal(k->task_id, "7.25");
	assert_string_equal(k->utc_create, "false");
	model_list_free(&l);
	cJSON_Delete(j);
	cJSON_Delete(t);
}

static void
test_empty_object(void **state)
{
	cJSON *j = parse("{}");
	struct model_list l;
	struct model_device d;
	struct model_ota_job o;
	int kind;

	(void)state;
	for (kind = 0; kind < MODEL_KIND_COUNT; kind++) {
		model_list_parse((enum model_kind)kind, j, NULL, &l);
		assert_int_equal(l.count, 0);
		assert_null(l.items);
		assert_int_equal(l.page.total, -1);
		assert_int_equal(l.page.page_count, -1);
		assert_int_equal(l.page.page_size, -1);
		assert_int_equal(l.page.current_page, -1);
		assert_null(l.page.next_token);
		model_list_free(&l);
		/* a NULL root is an empty answer too */
		model_list_parse((enum model_kind)kind, NULL, NULL, &l);
		assert_int_equal(l.count, 0);
		model_list_free(&l);
		assert_non_null(model_default_path((enum model_kind)kind));
	}
	model_device_parse(j, &d);
	assert_null(d.iot_id);
	assert_null(d.status);
	assert_true(d.node_type == MODEL_NONE);
	assert_int_equal(d.owner, -1);
	model_device_clear(&d);
	model_device_parse(cJSON_GetObjectItem(j, "Data"), &d);	/* NULL object */
	assert_null(d.device_name);
	model_device_clear(&d);
	model_ota_job_parse(j, &o);
	assert_null(o.tags);
	assert_null(o.src_versions);
	model_ota_job_clear(&o);
	cJSON_Delete(j);
}

static void
test_null_and_empty_lists(void **state)
{
	static const char *const empty[] = {
		"{\"Data\":{\"DeviceInfo\":null}}",
		"{\"Data\":null}",
		"{\"Data\":{\"DeviceInfo\":[]}}",
		"{\"Data\":{\"DeviceInfo\":\"\"}}",
		"{\"Data\":{\"DeviceInfo\":{}}}",
		"{\"Data\":{}}",
		"{\"Data\":\"\"}",
		"{\"Data\":[null,{},\"\"]}",
		"[]",
		"null",
		"17",
	};
	cJSON *j;
	struct model_list l;
	struct jsonpath_list jl;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		j = parse(empty[i]);
		model_list_parse(MODEL_DEVICE, j, NULL, &l);
		if (l.count != 0)
			fail_msg("%s gave %zu items", empty[i], l.count);
		model_list_free(&l);
		cJSON_Delete(j);
	}
	/* nothing-items are dropped, scalars kept by the accessor, skipped by the model */
	j = parse("{\"Data\":{\"DeviceInfo\":[null,{},{\"DeviceName\":\"a\"},5,[]]}}");
	assert_int_equal(jsonpath_list(j, "Data.DeviceInfo", &jl), 3);
	assert_true(cJSON_IsObject(jl.items[0]));
	assert_true(cJSON_IsNumber(jl.items[1]));
	assert_true(cJSON_IsArray(jl.items[2]));
	jsonpath_list_free(&jl);
	model_list_parse(MODEL_DEVICE, j, NULL, &l);
	assert_int_equal(l.count, 1);
	assert_string_equal(((struct model_device *)l.items)->device_name, "a");
	model_list_free(&l);
	cJSON_Delete(j);
}

static void
test_single_object_for_array(void **state)
{
	cJSON *j = parse("{\"Data\":{\"DeviceInfo\":{\"DeviceName\":\"solo\",\"DeviceStatus\":"
	    "\"ONLINE\"}},\"DeviceStatusList\":{\"DeviceStatus\":{\"Status\":\"DISABLE\"}},"
	    "\"FirmwareInfo\":{\"SimpleFirmwareInfo\":{\"FirmwareId\":\"fw\"}}}");
	struct model_list l;

	(void)state;
	model_list_parse(MODEL_DEVICE, j, NULL, &l);
	assert_int_equal(l.count, 1);
	assert_string_equal(((struct model_device *)l.items)->device_name, "solo");
	assert_string_equal(((struct model_device *)l.items)->status, "ONLINE");
	model_list_free(&l);
	model_list_parse(MODEL_DEVICE_STATUS, j, NULL, &l);
	assert_int_equal(l.count, 1);
	assert_string_equal(((struct model_device_status *)l.items)->status, "DISABLE");
	model_list_free(&l);
	model_list_parse(MODEL_FIRMWARE, j, NULL, &l);
	assert_int_equal(l.count, 1);
	assert_string_equal(((struct model_firmware *)l.items)->firmware_id, "fw");
	model_list_free(&l);
	cJSON_Delete(j);
}

/* ---- jsonpath details ----------------------------------------------------------------- */

static void
test_jsonpath_get_and_convert(void **state)
{
	cJSON *j = parse("{\"a\":{\"B\":{\"c\":1}},\"nextPageToken\":\"tok\",\"n\":0.01,"
	    "\"big\":1581595942000,\"neg\":-5.5,\"s3\":\"3.0\",\"s35\":\"3.5\",\"sp\":\" 7 \","
	    "\"e\":\"\",\"T\":\"TRUE\",\"yes\":\"yes\",\"z\":0,\"nul\":null,\"third\":0.1,"
	    "\"huge\":1e21,\"neg0\":\"-12\",\"hex\":\"0x10\"}");
	int64_t i = 99;
	double d = 0;
	int b = -1;
	char *s;

	(void)state;
	assert_ptr_equal(jsonpath_get(j, ""), j);
	assert_int_equal(jsonpath_get(j, "a.B.c")->valueint, 1);
	assert_int_equal(jsonpath_get(j, "A.b.C")->valueint, 1);	/* any case */
	assert_null(jsonpath_get(j, "a.B.c.d"));
	assert_null(jsonpath_get(j, "a.X"));
	assert_null(jsonpath_get(j, "nul"));				/* null = missing */
	assert_int_equal(jsonpath_get(j, "missing|nul|a.B.c")->valueint, 1);
	assert_null(jsonpath_get(NULL, "a"));
	s = jsonpath_strdup(j, "NextPageToken");
	assert_string_equal(s, "tok");
	free(s);
	s = jsonpath_strdup(j, "n");
	assert_string_equal(s, "0.01");
	free(s);
	s = jsonpath_strdup(j, "third");
	assert_string_equal(s, "0.1");
	free(s);
	s = jsonpath_strdup(j, "big");
	assert_string_equal(s, "1581595942000");
	free(s);
	s = jsonpath_strdup(j, "neg");
	assert_string_equal(s, "-5.5");
	free(s);
	s = jsonpath_strdup(j, "huge");
	assert_string_equal(s, "1e+21");
	free(s);
	assert_null(jsonpath_strdup(j, "a"));
	assert_null(jsonpath_strdup(j, "nul"));
	assert_true(jsonpath_int64(j, "s3", &i) && i == 3);
	i = 99;
	assert_false(jsonpath_int64(j, "s35", &i));
	assert_int_equal(i, 99);	/* untouched on failure */
	assert_true(jsonpath_int64(j, "sp", &i) && i == 7);
	assert_false(jsonpath_int64(j, "e", &i));
	assert_false(jsonpath_int64(j, "huge", &i));
	assert_true(jsonpath_int64(j, "neg0", &i) && i == -12);
	assert_false(jsonpath_int64(j, "hex", &i));
	assert_true(jsonpath_int64(j, "e|s35|sp", &i) && i == 7);	/* first that converts */
	assert_true(jsonpath_double(j, "s35", &d) && d == 3.5);
	assert_false(jsonpath_double(j, "e", &d));
	assert_true(jsonpath_bool(j, "T", &b) && b == 1);
	assert_true(jsonpath_bool(j, "z", &b) && b == 0);
	assert_false(jsonpath_bool(j, "yes", &b));
	assert_false(jsonpath_bool(j, "a", &b));
	cJSON_Delete(j);
}

static void
test_jsonpath_page(void **state)
{
	cJSON *a = parse("{\"Total\":\"\",\"Data\":{\"Total\":7,\"PageNo\":3},"
	    "\"nextPageToken\":\"abc\"}");
	cJSON *b = parse("{\"NextToken\":\"\",\"Page\":\"2\",\"TotalCount\":5}");
	struct jsonpath_page p;

	(void)state;
	jsonpath_page_parse(a, &p);
	assert_int_equal(p.total, 7);		/* falls through the unusable top-level "" */
	assert_int_equal(p.current_page, 3);
	assert_string_equal(p.next_token, "abc");
	assert_int_equal(p.page_size, -1);
	jsonpath_page_clear(&p);
	assert_null(p.next_token);
	jsonpath_page_parse(b, &p);
	assert_null(p.next_token);		/* empty token: no more pages */
	assert_int_equal(p.current_page, 2);
	assert_int_equal(p.total, 5);
	jsonpath_page_clear(&p);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* ---- thing model ---------------------------------------------------------------------- */

static void
assert_numeric(const struct tsl_datatype *dt, enum tsl_type type, const char *min,
    const char *max, const char *step, const char *unit)
{
	assert_int_equal(dt->type, type);
	assert_string_equal(dt->min, min);
	assert_string_equal(dt->max, max);
	assert_string_equal(dt->step, step);
	assert_string_equal(dt->unit, unit);
}

static void
test_tsl_guide_published_malformed(void **state)
{
	cJSON *j = load("GetThingModelTslPublished");
	struct model_tsl t;
	char *cause = NULL;

	(void)state;
	/* the guide's TslStr lost its brackets and three closing braces */
	assert_int_equal(model_tsl_from_response(j, &t, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "not valid JSON"));
	assert_int_equal(t.property_count, 0);
	model_tsl_clear(&t);
	free(cause);
	cJSON_Delete(j);
}

static void
test_tsl_guide_reconstructed(void **state)
{
	cJSON *j = load("GetThingModelTslPublished-reconstructed");
	struct model_tsl t;
	const struct tsl_service *s;
	const struct tsl_event *e;
	char *cause = NULL;

	(void)state;
	assert_int_equal(model_tsl_from_response(j, &t, &cause), 0);
	assert_null(cause);
	assert_string_equal(t.schema, "https://iotx-tsl.oss-ap-southeast-1.aliyuncs.com/schema.json");
	assert_string_equal(t.product_key, "a14TeWI****");
	assert_int_equal(t.property_count, 2);
	assert_string_equal(t.properties[0].identifier, "Humidity");
	assert_string_equal(t.properties[0].name, "湿度");
	assert_int_equal(t.properties[0].access, TSL_ACCESS_READ_WRITE);
	assert_int_equal(t.properties[0].required, 0);
	assert_numeric(&t.properties[0].type, TSL_TYPE_INT, "55", "60", "1", "%");
	assert_null(t.properties[0].type.unit_name);
	assert_string_equal(t.properties[1].identifier, "Temperature");
	assert_numeric(&t.properties[1].type, TSL_TYPE_FLOAT, "26", "28", "0.01", "°C");
	assert_int_equal(t.event_count, 1);
	e = &t.events[0];
	assert_string_equal(e->identifier, "post");
	assert_int_equal(e->type, TSL_EVENT_INFO);
	assert_int_equal(e->required, 1);
	assert_string_equal(e->desc, "属性上报");
	assert_string_equal(e->method, "thing.event.property.post");
	assert_int_equal(e->output_count, 2);
	assert_string_equal(e->outputs[1].identifier, "Temperature");
	assert_int_equal(e->outputs[1].type.type, TSL_TYPE_FLOAT);
	assert_int_equal(t.service_count, 2);
	s = &t.services[0];
	assert_string_equal(s->identifier, "set");
	assert_int_equal(s->call_type, TSL_CALL_ASYNC);
	assert_int_equal(s->input_count, 2);
	assert_int_equal(s->output_count, 0);
	assert_null(s->outputs);
	assert_numeric(&s->inputs[0].type, TSL_TYPE_INT, "55", "60", "1", "%");
	s = &t.services[1];
	assert_string_equal(s->identifier, "get");
	assert_string_equal(s->method, "thing.service.property.get");
	assert_int_equal(s->input_count, 2);	/* bare identifier strings */
	assert_string_equal(s->inputs[0].identifier, "Humidity");
	assert_null(s->inputs[0].name);
	assert_int_equal(s->inputs[0].type.type, TSL_TYPE_UNKNOWN);
	assert_string_equal(s->inputs[1].identifier, "Temperature");
	assert_int_equal(s->output_count, 2);
	model_tsl_clear(&t);
	assert_null(t.properties);
	cJSON_Delete(j);
}

static void
test_tsl_all_types(void **state)
{
	size_t len;
	char *s = testutil_read_fixture("guide/tsl-all-types.json", &len);
	struct model_tsl t;
	const struct tsl_datatype *dt, *m;
	char *cause = NULL;

	(void)state;
	assert_int_equal(model_tsl_parse(s, len, &t, &cause), 0);
	assert_string_equal(t.product_key, "a1Test0****");
	assert_int_equal(t.property_count, 9);

	dt = &t.properties[0].type;		/* Brightness: int */
	assert_numeric(dt, TSL_TYPE_INT, "0", "100", "1", "%");
	assert_string_equal(dt->unit_name, "百分比");
	assert_string_equal(dt->type_name, "int");
	assert_int_equal(t.properties[0].access, TSL_ACCESS_READ_WRITE);
	assert_int_equal(t.properties[0].required, 1);

	dt = &t.properties[1].type;		/* Voltage: double, specs as numbers */
	assert_numeric(dt, TSL_TYPE_DOUBLE, "-5.5", "240", "0.1", "V");
	assert_int_equal(t.properties[1].access, TSL_ACCESS_READ);
	assert_int_equal(t.properties[1].required, 0);

	dt = &t.properties[2].type;		/* Label: text, rwFlag */
	assert_int_equal(dt->type, TSL_TYPE_TEXT);
	assert_int_equal(dt->length, 2048);
	assert_int_equal(t.properties[2].access, TSL_ACCESS_READ_WRITE);
	assert_int_equal(t.properties[2].required, -1);

	dt = &t.properties[3].type;		/* BootTime: date */
	assert_int_equal(dt->type, TSL_TYPE_DATE);
	assert_true(dt->length == MODEL_NONE);

	dt = &t.properties[4].type;		/* PowerSwitch: bool; required "true" */
	assert_int_equal(dt->type, TSL_TYPE_BOOL);
	assert_int_equal(dt->enum_count, 2);
	assert_string_equal(model_tsl_enum_name(dt, 0), "关闭");
	assert_string_equal(model_tsl_enum_name(dt, 1), "开启");
	assert_null(model_tsl_enum_name(dt, 2));
	assert_int_equal(t.properties[4].required, 1);

	dt = &t.properties[5].type;		/* Mode: enum, keys out of order */
	assert_int_equal(dt->type, TSL_TYPE_ENUM);
	assert_int_equal(dt->enum_count, 3);
	assert_int_equal(dt->enums[0].value, 0);
	assert_string_equal(dt->enums[0].name, "自动");
	assert_int_equal(dt->enums[2].value, 2);
	assert_string_equal(dt->enums[2].name, "夜间");

	dt = &t.properties[6].type;		/* Location: struct */
	assert_int_equal(dt->type, TSL_TYPE_STRUCT);
	assert_int_equal(t.properties[6].access, TSL_ACCESS_READ);
	assert_int_equal(dt->member_count, 3);
	assert_string_equal(dt->members[0].identifier, "Latitude");
	assert_string_equal(dt->members[0].name, "纬度");
	assert_numeric(&dt->members[1].type, TSL_TYPE_DOUBLE, "-180", "180", "0.000001", "°");
	assert_int_equal(dt->members[2].type.type, TSL_TYPE_BOOL);
	assert_string_equal(model_tsl_enum_name(&dt->members[2].type, 1), "是");

	dt = &t.properties[7].type;		/* Samples: array of float */
	assert_int_equal(dt->type, TSL_TYPE_ARRAY);
	assert_int_equal(dt->array_size, 10);
	assert_non_null(dt->item);
	assert_numeric(dt->item, TSL_TYPE_FLOAT, "0", "1", "0.01", "");
	assert_string_equal(dt->item->unit_name, "无");

	dt = &t.properties[8].type;		/* Cards: array (size a number) of struct */
	assert_int_equal(dt->type, TSL_TYPE_ARRAY);
	assert_int_equal(dt->array_size, 4);
	assert_int_equal(dt->item->type, TSL_TYPE_STRUCT);
	assert_int_equal(dt->item->member_count, 2);
	m = &dt->item->members[0].type;
	assert_int_equal(m->type, TSL_TYPE_TEXT);
	assert_int_equal(m->length, 128);
	m = &dt->item->members[1].type;
	assert_string_equal(model_tsl_enum_name(m, 1), "ID");

	assert_int_equal(t.event_count, 3);
	assert_int_equal(t.events[0].type, TSL_EVENT_INFO);
	assert_int_equal(t.events[1].type, TSL_EVENT_ALERT);
	assert_string_equal(t.events[1].name, "过热告警");
	assert_int_equal(t.events[1].required, 0);
	assert_numeric(&t.events[1].outputs[0].type, TSL_TYPE_FLOAT, "-40", "125", "0.1", "°C");
	assert_int_equal(t.events[2].type, TSL_EVENT_ERROR);
	assert_int_equal(t.events[2].required, -1);
	assert_null(t.events[2].method);
	assert_string_equal(model_tsl_enum_name(&t.events[2].outputs[0].type, 2), "欠压");

	assert_int_equal(t.service_count, 2);
	assert_string_equal(t.services[0].identifier, "Reboot");
	assert_int_equal(t.services[0].call_type, TSL_CALL_SYNC);
	assert_string_equal(t.services[0].desc, "立即重启");
	assert_int_equal(t.services[0].input_count, 1);
	assert_numeric(&t.services[0].inputs[0].type, TSL_TYPE_INT, "0", "60", "1", "s");
	assert_int_equal(t.services[0].output_count, 1);
	assert_int_equal(t.services[0].outputs[0].type.length, 64);
	assert_int_equal(t.services[1].call_type, TSL_CALL_ASYNC);
	assert_int_equal(t.services[1].input_count, 2);
	assert_string_equal(t.services[1].inputs[1].identifier, "Voltage");

	model_tsl_clear(&t);
	free(s);
}

static void
test_tsl_type_names(void **state)
{
	(void)state;
	assert_int_equal(model_tsl_type_from_name("INT"), TSL_TYPE_INT);
	assert_int_equal(model_tsl_type_from_name("struct"), TSL_TYPE_STRUCT);
	assert_int_equal(model_tsl_type_from_name("Array"), TSL_TYPE_ARRAY);
	assert_int_equal(model_tsl_type_from_name("int32"), TSL_TYPE_UNKNOWN);
	assert_int_equal(model_tsl_type_from_name("unknown"), TSL_TYPE_UNKNOWN);
	assert_int_equal(model_tsl_type_from_name(NULL), TSL_TYPE_UNKNOWN);
	assert_string_equal(model_tsl_type_name(TSL_TYPE_DOUBLE), "double");
	assert_string_equal(model_tsl_type_name(TSL_TYPE_UNKNOWN), "unknown");
	assert_string_equal(model_tsl_type_name((enum tsl_type)99), "unknown");
}

static void
check_tsl_fails(const char *s, const char *want)
{
	struct model_tsl t;
	char *cause = NULL;

	if (model_tsl_parse(s, strlen(s), &t, &cause) != -1)
		fail_msg("TSL %s parsed", s);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, want);
	free(cause);
	model_tsl_clear(&t);
}

static void
test_tsl_malformed(void **state)
{
	static const char deep_head[] = "{\"properties\":";
	struct model_tsl t;
	char *cause = NULL, *deep;
	cJSON *j;
	size_t i, n = 5000;

	(void)state;
	check_tsl_fails("", "not valid JSON");
	check_tsl_fails("{", "not valid JSON");
	check_tsl_fails("{\"properties\":[{\"identifier\":\"a\",}]}", "not valid JSON");
	check_tsl_fails("[1,2]", "not a JSON object");
	check_tsl_fails("\"{}\"", "not a JSON object");
	check_tsl_fails("{} trailing", "data after");
	/* not NUL-terminated: only len bytes are read */
	assert_int_equal(model_tsl_parse("{}xxxx", 2, &t, &cause), 0);
	model_tsl_clear(&t);
	/* nesting far beyond cJSON's limit fails cleanly */
	deep = xmalloc(sizeof deep_head + 2 * n + 2);
	memcpy(deep, deep_head, sizeof deep_head - 1);
	for (i = 0; i < n; i++)
		deep[sizeof deep_head - 1 + i] = '[';
	for (i = 0; i < n; i++)
		deep[sizeof deep_head - 1 + n + i] = ']';
	deep[sizeof deep_head - 1 + 2 * n] = '}';
	deep[sizeof deep_head + 2 * n] = '\0';
	assert_int_equal(model_tsl_parse(deep, strlen(deep), &t, &cause), -1);
	free(cause);
	cause = NULL;
	model_tsl_clear(&t);
	free(deep);

	/* wrong types inside a valid TSL are skipped, not fatal */
	j = parse("{\"properties\":{\"identifier\":\"solo\",\"accessMode\":\"x\",\"dataType\":"
	    "{\"type\":\"enum\",\"specs\":{\"x\":\"bad\",\"1\":2,\"2\":{},\" 3\":\"sp\"}}},"
	    "\"services\":\"x\",\"events\":[1,null,{\"identifier\":\"e\",\"type\":7,"
	    "\"outputData\":{\"identifier\":\"o\",\"dataType\":\"INT\"}}],\"profile\":5}");
	assert_int_equal(model_tsl_parse_json(j, &t, &cause), 0);
	assert_int_equal(t.property_count, 1);
	assert_int_equal(t.properties[0].access, TSL_ACCESS_UNKNOWN);
	assert_int_equal(t.properties[0].type.enum_count, 1);
	assert_string_equal(t.properties[0].type.enums[0].name, "2");
	assert_int_equal(t.service_count, 0);
	assert_int_equal(t.event_count, 1);
	assert_int_equal(t.events[0].type, TSL_EVENT_UNKNOWN);
	assert_int_equal(t.events[0].output_count, 1);
	assert_int_equal(t.events[0].outputs[0].type.type, TSL_TYPE_INT);	/* "INT" */
	assert_null(t.product_key);
	model_tsl_clear(&t);
	cJSON_Delete(j);

	/* answers without a usable TslStr */
	j = parse("{\"Data\":{\"TslStr\":12}}");
	assert_int_equal(model_tsl_from_response(j, &t, &cause), -1);
	assert_non_null(strstr(cause, "neither"));
	free(cause);
	model_tsl_clear(&t);
	cJSON_Delete(j);
	j = parse("{\"RequestId\":\"x\",\"Success\":true}");
	assert_int_equal(model_tsl_from_response(j, &t, &cause), -1);
	assert_non_null(strstr(cause, "no thing model"));
	free(cause);
	model_tsl_clear(&t);
	cJSON_Delete(j);
	j = parse("{\"Data\":{\"TslStr\":\"\"}}");
	assert_int_equal(model_tsl_from_response(j, &t, &cause), -1);
	free(cause);
	model_tsl_clear(&t);
	cJSON_Delete(j);
	/* the TSL as an object rather than a string is accepted */
	j = parse("{\"Data\":{\"Tsl\":{\"properties\":[{\"identifier\":\"p\"}]}}}");
	assert_int_equal(model_tsl_from_response(j, &t, &cause), 0);
	assert_int_equal(t.property_count, 1);
	model_tsl_clear(&t);
	cJSON_Delete(j);
}

static void
test_tsl_nesting_limit(void **state)
{
	/* array of array of array of struct: the third container keeps only its type */
	cJSON *j = parse("{\"properties\":[{\"identifier\":\"deep\",\"dataType\":{\"type\":"
	    "\"array\",\"specs\":{\"size\":2,\"item\":{\"type\":\"array\",\"specs\":{\"size\":3,"
	    "\"item\":{\"type\":\"array\",\"specs\":{\"size\":4,\"item\":{\"type\":\"int\"}}}}}}}},"
	    "{\"identifier\":\"st\",\"dataType\":{\"type\":\"struct\",\"specs\":[{\"identifier\":"
	    "\"in\",\"dataType\":{\"type\":\"struct\",\"specs\":[{\"identifier\":\"in2\","
	    "\"dataType\":{\"type\":\"struct\",\"specs\":[{\"identifier\":\"x\"}]}}]}}]}}]}");
	struct model_tsl t;
	const struct tsl_datatype *dt;
	char *cause = NULL;

	(void)state;
	assert_int_equal(model_tsl_parse_json(j, &t, &cause), 0);
	dt = &t.properties[0].type;
	assert_int_equal(dt->array_size, 2);
	assert_non_null(dt->item);
	assert_int_equal(dt->item->array_size, 3);
	assert_non_null(dt->item->item);
	assert_int_equal(dt->item->item->type, TSL_TYPE_ARRAY);
	assert_true(dt->item->item->array_size == 4);	/* scalar specs still read */
	assert_null(dt->item->item->item);		/* but not nested further */
	dt = &t.properties[1].type;
	assert_int_equal(dt->member_count, 1);
	assert_int_equal(dt->members[0].type.member_count, 1);
	assert_int_equal(dt->members[0].type.members[0].type.type, TSL_TYPE_STRUCT);
	assert_int_equal(dt->members[0].type.members[0].type.member_count, 0);
	model_tsl_clear(&t);
	cJSON_Delete(j);
}

/* ---- the field tables, whatever the model -------------------------------------------- */

/* The member of row f in model m. */
#define MEMBER(m, f, type) (*(type *)((char *)(m) + (f)->offset))
#define COUNT_OF(m, f) (*(size_t *)((char *)(m) + (f)->count_offset))

/* Every field of m, a model of kind, is unset. */
static void
assert_unset(enum model_kind kind, void *m)
{
	const struct model_field *f;
	size_t n, i;

	f = model_fields(kind, &n);
	assert_non_null(f);
	for (i = 0; i < n; i++, f++) {
		switch (f->type) {
		case MODEL_F_STR:
		case MODEL_F_SECRET:
			if (MEMBER(m, f, char *) != NULL)
				fail_msg("kind %d: %s is set", (int)kind, f->path);
			break;
		case MODEL_F_I64:
			assert_true(MEMBER(m, f, int64_t) == MODEL_NONE);
			break;
		case MODEL_F_DBL:
			assert_true(isnan(MEMBER(m, f, double)));
			break;
		case MODEL_F_TRI:
			assert_int_equal(MEMBER(m, f, int), -1);
			break;
		case MODEL_F_STRS:
		case MODEL_F_LIST:
			assert_null(MEMBER(m, f, void *));
			assert_int_equal(COUNT_OF(m, f), 0);
			break;
		default:
			fail_msg("row type %d in an answer model", (int)f->type);
		}
	}
}

/* Whether the member name key is the first name of one of the '|' alternatives of a
 * row's path ("MultiFiles" for "MultiFiles.OtaPackageFileDTO|MultiFiles"). */
static int
path_names(const char *path, const char *key)
{
	size_t len = strlen(key);
	const char *p = path;

	for (;;) {
		if (strncmp(p, key, len) == 0 && (p[len] == '\0' || p[len] == '|' ||
		    p[len] == '.'))
			return 1;
		if ((p = strchr(p, '|')) == NULL)
			return 0;
		p++;
	}
}

/* Each model's table against a guide example (tests/fixtures/guide): every member of the
 * example item is read by a row (but for the members listed as not modelled), and what
 * the row read equals what jsonpath reads there on its own. */
static void
test_tables_guide_samples(void **state)
{
	static const struct {
		enum model_kind  kind;
		const char      *fixture;	/* tests/fixtures/guide/NAME.json */
		const char      *action;	/* a list: whose list path finds the items */
		const char      *detail;	/* else: the path of the one object */
		size_t           count;		/* items in the example */
		const char      *ignored;	/* members the model leaves out, ",X,Y," */
	} samples[] = {
		{ MODEL_PRODUCT, "QueryProductList", "QueryProductList", NULL, 2, "" },
		{ MODEL_PRODUCT, "QueryProduct", NULL, "Data", 1, "" },
		{ MODEL_DEVICE, "QueryDevice", "QueryDevice", NULL, 2, "" },
		{ MODEL_DEVICE, "QueryDeviceDetail", NULL, "Data", 1, "" },
		{ MODEL_DEVICE, "BatchQueryDeviceDetail", "BatchQueryDeviceDetail", NULL, 2, "" },
		{ MODEL_DEVICE, "QueryDeviceBySQL", "QueryDeviceBySQL", NULL, 2,
		    ",Groups,OTAModules," },
		{ MODEL_DEVICE, "QueryDynamicGroupDevices", "QueryDynamicGroupDevices", NULL, 1,
		    ",CategoryKey," },
		{ MODEL_DEVICE_STATUS, "GetDeviceStatus", NULL, "Data", 1, "" },
		{ MODEL_DEVICE_STATUS, "BatchGetDeviceState", "BatchGetDeviceState", NULL, 1, "" },
		{ MODEL_GROUP, "QueryDeviceGroupList", "QueryDeviceGroupList", NULL, 10, "" },
		{ MODEL_GROUP, "QueryDeviceGroupInfo", NULL, "Data", 1, "" },
		{ MODEL_GROUP, "QueryDeviceGroupByDevice", "QueryDeviceGroupByDevice", NULL, 1, "" },
		{ MODEL_FIRMWARE, "ListOTAFirmware", "ListOTAFirmware", NULL, 1, "" },
		{ MODEL_FIRMWARE, "QueryOTAFirmware", NULL, "FirmwareInfo", 1, "" },
		{ MODEL_OTA_JOB, "ListOTAJobByFirmware", "ListOTAJobByFirmware", NULL, 1, "" },
		{ MODEL_OTA_JOB, "QueryOTAJob", NULL, "Data", 1, "" },
		{ MODEL_OTA_TASK, "ListOTATaskByJob", "ListOTATaskByJob", NULL, 2, "" },
		{ MODEL_PROPERTY_STATUS, "QueryDevicePropertyStatus", "QueryDevicePropertyStatus",
		    NULL, 2, "" },
	};
	const struct model_field *fields, *f;
	const cJSON *item, *c;
	struct jsonpath_list items, sub;
	struct model_list l;
	size_t i, k, n, nf, want_n;
	char *m, *want, key[64];
	int64_t iv;
	double dv;
	int tv;

	(void)state;
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		cJSON *j = load(samples[i].fixture);

		fields = model_fields(samples[i].kind, &nf);
		if (samples[i].action != NULL) {
			model_list_parse(samples[i].kind, j, path_of(samples[i].action), &l);
			jsonpath_list(j, path_of(samples[i].action), &items);
		} else {
			l.kind = samples[i].kind;
			l.count = 1;
			l.items = xcalloc(1, model_item_size(samples[i].kind));
			jsonpath_page_parse(NULL, &l.page);
			model_parse(samples[i].kind, jsonpath_get(j, samples[i].detail), l.items);
			jsonpath_list(j, samples[i].detail, &items);
		}
		if (l.count != samples[i].count || items.count != l.count)
			fail_msg("%s: %zu items, %zu in the JSON, want %zu", samples[i].fixture,
			    l.count, items.count, samples[i].count);
		for (n = 0; n < l.count; n++) {
			item = items.items[n];
			m = model_list_item(&l, n);
			/* every member is read by some row */
			for (c = item->child; c != NULL; c = c->next) {
				snprintf(key, sizeof key, ",%s,", c->string);
				for (f = fields; f < fields + nf && !path_names(f->path, c->string);
				    f++)
					;
				if (f == fields + nf && strstr(samples[i].ignored, key) == NULL)
					fail_msg("%s: no row reads %s", samples[i].fixture, c->string);
			}
			/* and each row holds what its path says */
			for (f = fields; f < fields + nf; f++) {
				switch (f->type) {
				case MODEL_F_STR:
				case MODEL_F_SECRET:
					want = jsonpath_strdup(item, f->path);
					if (want == NULL)
						assert_null(MEMBER(m, f, char *));
					else
						assert_string_equal(MEMBER(m, f, char *), want);
					free(want);
					break;
				case MODEL_F_I64:
					iv = MODEL_NONE;
					jsonpath_int64(item, f->path, &iv);
					assert_true(MEMBER(m, f, int64_t) == iv);
					break;
				case MODEL_F_DBL:
					dv = NAN;
					if (jsonpath_double(item, f->path, &dv))
						assert_true(MEMBER(m, f, double) == dv);
					else
						assert_true(isnan(MEMBER(m, f, double)));
					break;
				case MODEL_F_TRI:
					tv = -1;
					jsonpath_bool(item, f->path, &tv);
					assert_int_equal(MEMBER(m, f, int), tv);
					break;
				case MODEL_F_STRS:
				case MODEL_F_LIST:
					/* objects are items of a LIST, scalars of a STRS */
					jsonpath_list(item, f->path, &sub);
					for (k = 0, want_n = 0; k < sub.count; k++) {
						want = jsonpath_strdup(sub.items[k], "");
						want_n += f->type == MODEL_F_LIST ?
						    cJSON_IsObject(sub.items[k]) : want != NULL;
						free(want);
					}
					assert_int_equal(COUNT_OF(m, f), want_n);
					assert_true((MEMBER(m, f, void *) != NULL) == (want_n != 0));
					jsonpath_list_free(&sub);
					break;
				default:
					fail_msg("row type %d in an answer model", (int)f->type);
				}
			}
		}
		jsonpath_list_free(&items);
		model_list_free(&l);
		cJSON_Delete(j);
	}
}

/* Sets the first alternative of path ("A.B|C" -> A.B) under root to v, making the
 * objects on the way. */
static void
set_path(cJSON *root, const char *path, cJSON *v)
{
	char name[64];
	const char *p = path, *end;
	cJSON *next;
	size_t len;

	for (;;) {
		len = strcspn(p, ".|");
		assert_true(len < sizeof name);
		memcpy(name, p, len);
		name[len] = '\0';
		end = p + len;
		if (*end != '.') {
			cJSON_AddItemToObject(root, name, v);
			return;
		}
		if ((next = cJSON_GetObjectItemCaseSensitive(root, name)) == NULL)
			next = cJSON_AddObjectToObject(root, name);
		root = next;
		p = end + 1;
	}
}

/* Every kind: a missing object, {}, a non-object and values of the wrong type leave
 * every field unset; values of a convertible other type are converted; clearing frees
 * all (valgrind) and leaves every field unset. */
static void
test_tables_missing_and_wrong_types(void **state)
{
	const struct model_field *fields, *f;
	cJSON *wrong, *other, *arr = parse("[{\"ProductKey\":\"x\"}]");
	size_t nf;
	void *m;
	int kind;

	(void)state;
	for (kind = 0; kind < MODEL_KIND_COUNT; kind++) {
		fields = model_fields((enum model_kind)kind, &nf);
		m = xmalloc(model_item_size((enum model_kind)kind));
		model_parse((enum model_kind)kind, NULL, m);
		assert_unset((enum model_kind)kind, m);
		model_parse((enum model_kind)kind, arr, m);	/* an array, not an object */
		assert_unset((enum model_kind)kind, m);
		wrong = cJSON_CreateObject();
		other = cJSON_CreateObject();
		for (f = fields; f < fields + nf; f++) {
			switch (f->type) {
			case MODEL_F_STR:
			case MODEL_F_SECRET:
				set_path(wrong, f->path, parse("{\"x\":1}"));
				set_path(other, f->path, cJSON_CreateNumber(42));
				break;
			case MODEL_F_I64:
			case MODEL_F_DBL:
			case MODEL_F_TRI:
				set_path(wrong, f->path, cJSON_CreateString("not a number"));
				set_path(other, f->path, cJSON_CreateString(
				    f->type == MODEL_F_TRI ? "true" : "42"));
				break;
			case MODEL_F_STRS:
				set_path(wrong, f->path, parse("{\"x\":{\"y\":1}}"));
				set_path(other, f->path, parse("[1, \"b\", null, {}]"));
				break;
			case MODEL_F_LIST:
				set_path(wrong, f->path, parse("[\"text\", 7]"));
				set_path(other, f->path, parse("{\"Name\":\"one\"}"));
				break;
			default:
				fail_msg("row type %d in an answer model", (int)f->type);
			}
		}
		model_parse((enum model_kind)kind, wrong, m);
		assert_unset((enum model_kind)kind, m);
		model_clear((enum model_kind)kind, m);
		model_parse((enum model_kind)kind, other, m);
		for (f = fields; f < fields + nf; f++) {
			switch (f->type) {
			case MODEL_F_STR:
			case MODEL_F_SECRET:
				assert_string_equal(MEMBER(m, f, char *), "42");
				break;
			case MODEL_F_I64:
				assert_true(MEMBER(m, f, int64_t) == 42);
				break;
			case MODEL_F_DBL:
				assert_true(MEMBER(m, f, double) == 42.0);
				break;
			case MODEL_F_TRI:
				assert_int_equal(MEMBER(m, f, int), 1);
				break;
			case MODEL_F_STRS:
				assert_int_equal(COUNT_OF(m, f), 2);
				assert_string_equal(MEMBER(m, f, char **)[0], "1");
				break;
			case MODEL_F_LIST:
				assert_int_equal(COUNT_OF(m, f), 1);	/* one object for a list */
				break;
			default:
				fail_msg("row type %d in an answer model", (int)f->type);
			}
		}
		model_clear((enum model_kind)kind, m);
		assert_unset((enum model_kind)kind, m);
		model_clear((enum model_kind)kind, m);		/* twice is harmless */
		cJSON_Delete(wrong);
		cJSON_Delete(other);
		free(m);
	}
	cJSON_Delete(arr);
}

/* Chinese text of the guide's examples comes out byte for byte, passes safetext
 * unchanged and takes two columns a character; a control character in it is made
 * visible, not sent to the terminal. */
static void
test_tables_chinese_text(void **state)
{
	cJSON *j = load("QueryProductList"), *d = load("QueryDeviceDetail");
	cJSON *ps = load("QueryDevicePropertyStatus");
	cJSON *bad = parse("{\"Nickname\":\"\\u001b[2J\\u6e29\\u6e7f\\u5ea6\"}");
	struct model_list l, pl;
	struct model_product *p;
	struct model_property_status *s;
	struct model_device dev;
	struct buf b = BUF_INIT;
	char *safe;

	(void)state;
	setlocale(LC_ALL, "C.UTF-8");	/* wcwidth: CJK characters are two columns */
	model_list_parse(MODEL_PRODUCT, j, NULL, &l);
	p = l.items;
	safe = safetext_dup(p[0].product_name, strlen(p[0].product_name));
	assert_string_equal(safe, "路灯产品");
	assert_int_equal(text_width(safe), 8);
	text_fit(&b, safe, 5, 0, 0);
	assert_string_equal(buf_str(&b), "路灯…");
	free(safe);
	assert_int_equal(text_width(p[1].product_name), 12);	/* 子设备custom */
	model_device_parse(jsonpath_get(d, "Data"), &dev);
	assert_string_equal(dev.nickname, "温湿度");
	assert_int_equal(text_width(dev.nickname), 6);
	assert_string_equal(dev.product_name, "光照温湿度传感器");
	model_device_clear(&dev);
	model_list_parse(MODEL_PROPERTY_STATUS, ps, NULL, &pl);
	s = pl.items;
	assert_string_equal(s[0].name, "湿度");
	assert_string_equal(s[1].unit, "°C");
	assert_int_equal(text_width(s[1].unit), 2);
	model_list_free(&pl);
	model_device_parse(bad, &dev);
	assert_string_equal(dev.nickname, "\033[2J温湿度");	/* raw, as the model keeps it */
	safe = safetext_dup(dev.nickname, strlen(dev.nickname));
	assert_string_equal(safe, "\xe2\x90\x9b[2J温湿度");	/* U+241B shown for ESC */
	free(safe);
	model_device_clear(&dev);
	buf_free(&b);
	model_list_free(&l);
	cJSON_Delete(bad);
	cJSON_Delete(ps);
	cJSON_Delete(d);
	cJSON_Delete(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_product_list),
		cmocka_unit_test(test_query_product),
		cmocka_unit_test(test_query_device),
		cmocka_unit_test(test_query_device_detail),
		cmocka_unit_test(test_batch_query_device_detail),
		cmocka_unit_test(test_get_device_status),
		cmocka_unit_test(test_batch_get_device_state),
		cmocka_unit_test(test_query_device_group_list),
		cmocka_unit_test(test_query_device_group_info),
		cmocka_unit_test(test_query_device_group_by_device),
		cmocka_unit_test(test_group_type),
		cmocka_unit_test(test_list_ota_firmware),
		cmocka_unit_test(test_query_ota_firmware),
		cmocka_unit_test(test_firmware_multi_files),
		cmocka_unit_test(test_list_ota_job_by_firmware),
		cmocka_unit_test(test_query_ota_job),
		cmocka_unit_test(test_list_ota_task_by_job),
		cmocka_unit_test(test_query_device_property_status),
		cmocka_unit_test(test_shape_bare_arrays),
		cmocka_unit_test(test_shape_single_objects),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_empty_object),
		cmocka_unit_test(test_null_and_empty_lists),
		cmocka_unit_test(test_single_object_for_array),
		cmocka_unit_test(test_jsonpath_get_and_convert),
		cmocka_unit_test(test_jsonpath_page),
		cmocka_unit_test(test_tsl_guide_published_malformed),
		cmocka_unit_test(test_tsl_guide_reconstructed),
		cmocka_unit_test(test_tsl_all_types),
		cmocka_unit_test(test_tsl_type_names),
		cmocka_unit_test(test_tsl_malformed),
		cmocka_unit_test(test_tsl_nesting_limit),
		cmocka_unit_test(test_tables_guide_samples),
		cmocka_unit_test(test_tables_missing_and_wrong_types),
		cmocka_unit_test(test_tables_chinese_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
