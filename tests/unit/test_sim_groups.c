/* test_sim_groups.c — the simulator's device groups as guide 4.10 documents them: the tree
 * of static groups (QueryDeviceGroupList by SuperGroupId, QuerySuperDeviceGroup, three
 * levels at most), GroupType LINK_PLATFORM and LINK_PLATFORM_DYNAMIC, and dynamic groups
 * (CreateDeviceDynamicGroup with its rule, QueryDeviceGroupInfo with GroupType,
 * QueryDynamicGroupDevices with its paging and filters, DeleteDeviceDynamicGroup), with the
 * documented parameters, answer shapes and codes. Requests go through the gateway,
 * v1-signed, on a seeded fleet whose devices keep their status (no flapping). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "api/sign.h"
#include "core/xmalloc.h"
#include "sim/state.h"
#include "sim/store.h"
#include "simtest.h"

static struct simtest fx;

static int
setup(void **state)
{
	(void)state;
	if (simtest_open(&fx, 5, 3, 90, 1.0) != 0)
		return -1;
	fx.store->flap_ms = 0;	/* statuses stay as seeded: counts can be compared */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	simtest_close(&fx);
	return 0;
}

/* The string at a dotted path ("Data.GroupInfo.0.GroupId"), or "". */
static const char *
str_at(const cJSON *r, const char *path)
{
	char *copy = xstrdup(path), *part = copy, *dot;
	const cJSON *o = r;

	while (part != NULL && o != NULL) {
		if ((dot = strchr(part, '.')) != NULL)
			*dot++ = '\0';
		if (*part >= '0' && *part <= '9')
			o = cJSON_GetArrayItem(o, atoi(part));
		else
			o = cJSON_GetObjectItem(o, part);
		part = dot;
	}
	free(copy);
	return cJSON_IsString(o) ? o->valuestring : "";
}

static double
num_at(const cJSON *r, const char *name)
{
	const cJSON *o = cJSON_GetObjectItem(r, name);

	return cJSON_IsNumber(o) ? o->valuedouble : -1;
}

static const cJSON *
list_at(const cJSON *r, const char *a, const char *b)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(r, a), b);
}

static const struct sim_group *
group_named(const char *name)
{
	size_t i;

	for (i = 0; i < fx.store->ngroups; i++)
		if (!fx.store->groups[i].deleted && strcmp(fx.store->groups[i].name, name) == 0)
			return &fx.store->groups[i];
	fail_msg("no group %s", name);
	return NULL;
}

static char *
arg(const char *name, const char *value)
{
	return xasprintf("%s=%s", name, value);
}

/* The seeded tree: QueryDeviceGroupList without SuperGroupId lists the roots (static,
 * GroupType LINK_PLATFORM), with it the children; three levels; QuerySuperDeviceGroup
 * gives the parent then its ancestors; GroupTypes.1=LINK_PLATFORM_DYNAMIC lists the
 * dynamic group, and only it; GroupName matches exactly. */
static void
test_seeded_tree(void **state)
{
	const struct sim_group *east = group_named("华东区域"), *park = group_named("杭州园区");
	const struct sim_group *lab = group_named("西湖实验室"), *dyn = group_named("在线传感器");
	const cJSON *it, *l;
	char *a;
	cJSON *r;
	int seen;

	(void)state;
	r = simtest_api(&fx, "QueryDeviceGroupList", "PageSize=200", (char *)NULL);
	assert_true(simtest_ok(r));
	l = list_at(r, "Data", "GroupInfo");
	assert_int_equal(cJSON_GetArraySize(l), 2);
	assert_int_equal((int)num_at(r, "Total"), 2);
	cJSON_ArrayForEach(it, l) {
		assert_string_equal(str_at(it, "GroupType"), "LINK_PLATFORM");
		assert_true(strcmp(str_at(it, "GroupName"), "华东区域") == 0 ||
		    strcmp(str_at(it, "GroupName"), "华北区域") == 0);
	}
	cJSON_Delete(r);

	a = arg("SuperGroupId", east->id);
	r = simtest_api(&fx, "QueryDeviceGroupList", a, "PageSize=200", (char *)NULL);
	free(a);
	assert_true(simtest_ok(r));
	seen = 0;
	cJSON_ArrayForEach(it, list_at(r, "Data", "GroupInfo"))
		seen += strcmp(str_at(it, "GroupId"), park->id) == 0;
	assert_int_equal(seen, 1);
	cJSON_Delete(r);

	a = arg("SuperGroupId", park->id);
	r = simtest_api(&fx, "QueryDeviceGroupList", a, (char *)NULL);
	free(a);
	assert_int_equal((int)num_at(r, "Total"), 1);
	assert_string_equal(str_at(r, "Data.GroupInfo.0.GroupName"), "西湖实验室");
	cJSON_Delete(r);

	a = arg("GroupId", lab->id);
	r = simtest_api(&fx, "QuerySuperDeviceGroup", a, (char *)NULL);
	free(a);
	assert_true(simtest_ok(r));
	assert_string_equal(str_at(r, "Data.GroupInfo.0.GroupId"), park->id);
	assert_string_equal(str_at(r, "Data.GroupInfo.1.GroupId"), east->id);
	cJSON_Delete(r);

	r = simtest_api(&fx, "QueryDeviceGroupList", "GroupTypes.1=LINK_PLATFORM_DYNAMIC", (char *)NULL);
	assert_true(simtest_ok(r));
	assert_int_equal((int)num_at(r, "Total"), 1);
	assert_string_equal(str_at(r, "Data.GroupInfo.0.GroupId"), dyn->id);
	assert_string_equal(str_at(r, "Data.GroupInfo.0.GroupType"), "LINK_PLATFORM_DYNAMIC");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceGroupList", "GroupTypes.1=dynamic", (char *)NULL);
	assert_string_equal(simtest_code(r), "InvalidGroupTypes.1");
	cJSON_Delete(r);

	/* "不支持分组名称模糊查询" */
	r = simtest_api(&fx, "QueryDeviceGroupList", "GroupName=华东", (char *)NULL);
	assert_int_equal((int)num_at(r, "Total"), 0);
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceGroupList", "GroupName=华东区域", (char *)NULL);
	assert_int_equal((int)num_at(r, "Total"), 1);
	cJSON_Delete(r);
}

/* Three levels at most; a dynamic group holds no subgroups (iot.group.SuperGroupUnsupport). */
static void
test_levels(void **state)
{
	const struct sim_group *lab = group_named("西湖实验室"), *dyn = group_named("在线传感器");
	char *a;
	cJSON *r;

	(void)state;
	a = arg("SuperGroupId", lab->id);
	r = simtest_api(&fx, "CreateDeviceGroup", "GroupName=level_four", a, (char *)NULL);
	free(a);
	assert_string_equal(simtest_code(r), "iot.group.GroupLevelExceedingLimitError");
	cJSON_Delete(r);
	a = arg("SuperGroupId", dyn->id);
	r = simtest_api(&fx, "CreateDeviceGroup", "GroupName=under_dynamic", a, (char *)NULL);
	free(a);
	assert_string_equal(simtest_code(r), "iot.group.SuperGroupUnsupport");
	cJSON_Delete(r);
}

/* Counts the devices of product pi in status st ("" for any). */
static size_t
count_devices(size_t pi, const char *st)
{
	const struct sim_product *p = &fx.store->products[pi];
	size_t i, n = 0;

	for (i = 0; i < p->ndevs; i++)
		n += *st == '\0' || strcmp(sim_device_status_name(&fx.store->devs[p->devs[i]]), st) == 0;
	return n;
}

/* CreateDeviceDynamicGroup (4.10.2): IotInstanceId is required; the answer carries the
 * rule; QueryDeviceGroupInfo finds it with GroupType=LINK_PLATFORM_DYNAMIC only, with its
 * rule and counts; QueryDynamicGroupDevices pages through what it matches by CurrentPage
 * and by NextToken, with the documented item fields and filters. */
static void
test_dynamic_group(void **state)
{
	const struct sim_product *p = &fx.store->products[1];
	char *rule = xasprintf("product_key = \"%s\" and status != \"UNACTIVE\"", p->key);
	char *ra = arg("DynamicGroupExpression", rule), *ga, *token = NULL;
	size_t want = count_devices(1, "") - count_devices(1, "UNACTIVE"), seen = 0, pages = 0;
	const cJSON *it;
	cJSON *r;

	(void)state;
	assert_true(want > 7);
	r = simtest_api(&fx, "CreateDeviceDynamicGroup", "GroupName=active_meters", ra, (char *)NULL);
	assert_string_equal(simtest_code(r), "MissingIotInstanceId");
	cJSON_Delete(r);
	r = simtest_api(&fx, "CreateDeviceDynamicGroup", "GroupName=active_meters", ra, "GroupDesc=测试",
	    "IotInstanceId=iot-sim", (char *)NULL);
	assert_true(simtest_ok(r));
	assert_string_equal(str_at(r, "Data.DynamicGroupExpression"), rule);
	assert_string_equal(str_at(r, "Data.GroupName"), "active_meters");
	assert_string_equal(str_at(r, "Data.GroupDesc"), "测试");
	assert_true(strlen(str_at(r, "Data.UtcCreate")) > 0);
	ga = arg("GroupId", str_at(r, "Data.GroupId"));
	cJSON_Delete(r);

	/* A static lookup does not find it; GroupType does. */
	r = simtest_api(&fx, "QueryDeviceGroupInfo", ga, (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.group.NotExistedGroup");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceListByDeviceGroup", ga, (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.group.NotExistedGroup");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceGroupInfo", ga, "GroupType=LINK_PLATFORM_DYNAMIC", (char *)NULL);
	assert_true(simtest_ok(r));
	assert_string_equal(str_at(r, "Data.DynamicGroupExpression"), rule);
	assert_int_equal((int)num_at(cJSON_GetObjectItem(r, "Data"), "DeviceCount"), (int)want);
	assert_int_equal((int)num_at(cJSON_GetObjectItem(r, "Data"), "DeviceOnline"),
	    (int)count_devices(1, "ONLINE"));
	cJSON_Delete(r);

	/* Its devices: IotInstanceId required, PageSize at most 200. */
	r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, (char *)NULL);
	assert_string_equal(simtest_code(r), "MissingIotInstanceId");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", "PageSize=201", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.common.InvalidPageParams");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", (char *)NULL);
	assert_true(simtest_ok(r));
	assert_int_equal((int)num_at(r, "PageSize"), 10);	/* the default */
	assert_int_equal((int)num_at(r, "Total"), (int)want);
	assert_int_equal((int)num_at(r, "Page"), 1);
	it = cJSON_GetArrayItem(list_at(r, "Data", "SimpleDeviceInfo"), 0);
	assert_string_equal(str_at(it, "ProductKey"), p->key);
	assert_string_equal(str_at(it, "ProductName"), p->name);
	assert_true(strlen(str_at(it, "IotId")) > 0 && strlen(str_at(it, "DeviceName")) > 0);
	assert_true(strcmp(str_at(it, "Status"), "UNACTIVE") != 0 && strlen(str_at(it, "Status")) > 0);
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(it, "NodeType")));
	assert_true(strlen(str_at(it, "UtcActiveTime")) > 0 && strlen(str_at(it, "ActiveTime")) == 19);
	cJSON_Delete(r);

	/* NextToken chain at PageSize 7: every device once, the last page without a token. */
	for (;;) {
		char *ta = token != NULL ? arg("NextToken", token) : xstrdup("CurrentPage=1");
		r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", "PageSize=7", ta, (char *)NULL);
		free(ta);
		assert_true(simtest_ok(r));
		pages++;
		cJSON_ArrayForEach(it, list_at(r, "Data", "SimpleDeviceInfo")) {
			assert_string_equal(str_at(it, "ProductKey"), p->key);
			seen++;
		}
		free(token);
		token = cJSON_IsString(cJSON_GetObjectItem(r, "NextToken")) ?
		    xstrdup(str_at(r, "NextToken")) : NULL;
		assert_int_equal((int)num_at(r, "PageCount"), (int)((want + 6) / 7));
		cJSON_Delete(r);
		if (token == NULL)
			break;
		assert_true(pages < 100);
	}
	assert_int_equal(seen, want);
	assert_int_equal(pages, (want + 6) / 7);
	/* The last page by number holds the rest. */
	{
		char page[32];
		snprintf(page, sizeof page, "CurrentPage=%zu", pages);
		r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", "PageSize=7", page, (char *)NULL);
		assert_int_equal(cJSON_GetArraySize(list_at(r, "Data", "SimpleDeviceInfo")),
		    (int)(want - (pages - 1) * 7));
		assert_null(cJSON_GetObjectItem(r, "NextToken"));
		cJSON_Delete(r);
	}
	r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", "NextToken=bogus", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.common.InvalidFormattedParameter");
	cJSON_Delete(r);

	/* Filters: Status, and a fuzzy DeviceName of more than 4 characters. */
	r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", "Status=ONLINE", "PageSize=200",
	    (char *)NULL);
	assert_int_equal((int)num_at(r, "Total"), (int)count_devices(1, "ONLINE"));
	cJSON_ArrayForEach(it, list_at(r, "Data", "SimpleDeviceInfo"))
		assert_string_equal(str_at(it, "Status"), "ONLINE");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", "Status=online", (char *)NULL);
	assert_string_equal(simtest_code(r), "InvalidStatus");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", "FuzzyName=true", "DeviceName=abcd",
	    (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.device.FuzzyRuntimeSearchMinLengthLimit");
	cJSON_Delete(r);
	{
		const char *name = fx.store->devs[p->devs[p->ndevs - 1]].name;
		char *na = arg("DeviceName", name), prefix[64];
		r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", na, (char *)NULL);
		free(na);
		assert_true((int)num_at(r, "Total") <= 1);
		cJSON_Delete(r);
		snprintf(prefix, sizeof prefix, "DeviceName=%.*s", (int)strlen(name) - 1, name);
		r = simtest_api(&fx, "QueryDynamicGroupDevices", ga, "IotInstanceId=i", prefix, "FuzzyName=true",
		    "PageSize=200", (char *)NULL);
		assert_true(simtest_ok(r));
		assert_true((int)num_at(r, "Total") >= 1);
		cJSON_Delete(r);
	}

	/* A device's groups include the dynamic groups it matches. */
	{
		const struct sim_device *d = NULL;
		size_t i;
		char *pa = arg("ProductKey", p->key), *da;
		int found = 0;
		for (i = 0; i < p->ndevs && d == NULL; i++)
			if (fx.store->devs[p->devs[i]].status == SIM_DEV_ONLINE)
				d = &fx.store->devs[p->devs[i]];
		assert_non_null(d);
		da = arg("DeviceName", d->name);
		r = simtest_api(&fx, "QueryDeviceGroupByDevice", pa, da, (char *)NULL);
		cJSON_ArrayForEach(it, list_at(r, "GroupInfos", "GroupInfo"))
			if (strcmp(str_at(it, "GroupName"), "active_meters") == 0) {
				assert_string_equal(str_at(it, "GroupType"), "LINK_PLATFORM_DYNAMIC");
				found = 1;
			}
		assert_true(found);
		cJSON_Delete(r);
		free(pa);
		free(da);
	}

	/* Deleting: DeleteDeviceGroup does not find it; DeleteDeviceDynamicGroup does. */
	r = simtest_api(&fx, "DeleteDeviceGroup", ga, (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.group.NotExistedGroup");
	cJSON_Delete(r);
	r = simtest_api(&fx, "DeleteDeviceDynamicGroup", ga, (char *)NULL);
	assert_string_equal(simtest_code(r), "MissingIotInstanceId");
	cJSON_Delete(r);
	r = simtest_api(&fx, "DeleteDeviceDynamicGroup", ga, "IotInstanceId=i", (char *)NULL);
	assert_true(simtest_ok(r));
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceGroupInfo", ga, "GroupType=LINK_PLATFORM_DYNAMIC", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.group.NotExistedGroup");
	cJSON_Delete(r);
	free(ga);
	free(ra);
	free(rule);
}

/* Rules that break 4.8.40 are refused with its iot.devicesearch.* codes; at most 10 dynamic
 * groups. */
static void
test_rules_and_limits(void **state)
{
	static const struct {
		const char *rule, *code;
	} bad[] = {
		{ "", "MissingDynamicGroupExpression" },
		{ "colour = \"red\"", "iot.devicesearch.InvalidSQLFieldError" },
		{ "name = \"a\" and name = \"b\" and name = \"c\" or name = \"d\" and name = \"e\" "
		  "or name = \"f\"", "iot.devicesearch.InvalidSQLConditionError" },
		{ "name LIKE \"te%\"", "iot.devicesearch.InvalidSQLParamError" },
		{ "name LIKE \"test\"", "iot.devicesearch.InvalidSQLParamError" },
		{ "name LIKE \"th-sensor%\"", "iot.devicesearch.InvalidSQLParamError" },
		{ "name > \"x\"", "iot.devicesearch.InvalidSQLOperatorTypeError" },
		{ "gmt_create LIKE \"2024%\"", "iot.devicesearch.InvalidSQLOperatorTypeError" },
		{ "gmt_create > \"yesterday\"", "iot.devicesearch.InvalidSQLParamError" },
		{ "name = \"x", "iot.devicesearch.InvalidSQLException" },
		{ "name \"x\"", "iot.devicesearch.InvalidSQLException" },
		{ "name = \"x\" nor status = \"ONLINE\"", "iot.devicesearch.InvalidSQLException" },
	};
	char name[32], *ra;
	size_t i;
	int made = 0;
	cJSON *r;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ra = arg("DynamicGroupExpression", bad[i].rule);
		r = simtest_api(&fx, "CreateDeviceDynamicGroup", "GroupName=bad_rule", ra, "IotInstanceId=i",
		    (char *)NULL);
		if (strcmp(simtest_code(r), bad[i].code) != 0)
			fail_msg("rule %s: %s, expected %s", bad[i].rule, simtest_code(r), bad[i].code);
		cJSON_Delete(r);
		free(ra);
	}
	/* Good ones, up to the limit (the seed made one). */
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "GroupName=dyn_%zu", i);
		r = simtest_api(&fx, "CreateDeviceDynamicGroup", name, "IotInstanceId=i",
		    i % 2 ? "DynamicGroupExpression=nickname = null OR gmt_create > \"2024-01-01 00:00:00\""
		    : "DynamicGroupExpression=tag.tag_name != null and name LIKE 'meter_%'", (char *)NULL);
		if (simtest_ok(r))
			made++;
		else
			assert_string_equal(simtest_code(r), "iot.group.GroupCountExceedMax");
		cJSON_Delete(r);
	}
	assert_int_equal(made, 9);
	r = simtest_api(&fx, "CreateDeviceDynamicGroup", "GroupName=在线传感器", "IotInstanceId=i",
	    "DynamicGroupExpression=status = \"ONLINE\"", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.group.GroupNameExisted");
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceGroupInfo", "GroupId=x", "GroupType=DYNAMIC", (char *)NULL);
	assert_string_equal(simtest_code(r), "InvalidGroupType");
	cJSON_Delete(r);
}

/* --state keeps a dynamic group, its rule with it. */
static void
test_state(void **state)
{
	const struct sim_group *dyn = group_named("在线传感器");
	char dir[] = "/tmp/test_sim_groups.XXXXXX", *path, *cause = NULL;
	struct sim *sim2;
	struct sim_store *s2;
	size_t i;
	int found = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/world.jsonl", dir);
	assert_int_equal(sim_state_save(fx.sim, path, &cause), 0);
	sim2 = sim_new(5);
	s2 = sim2->store;
	assert_int_equal(sim_state_load(sim2, path, &cause), 0);
	for (i = 0; i < s2->ngroups; i++)
		if (strcmp(s2->groups[i].id, dyn->id) == 0) {
			assert_non_null(s2->groups[i].rule);
			assert_string_equal(s2->groups[i].rule, dyn->rule);
			assert_non_null(sim_store_dynamic_group(s2, dyn->id));
			assert_null(sim_store_group(s2, dyn->id));
			found = 1;
		} else
			assert_null(s2->groups[i].rule);
	assert_true(found);
	sim_free(sim2);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* QueryDeviceGroupByTags and QueryDeviceByTags: every Tag.N must match (a Tag.N.TagKey
 * with no Tag.N.TagValue matches any value, but the gateway requires the value), and the
 * matches are paged. */
static void
test_by_tags(void **state)
{
	const char *want[] = { "Tag.1.TagKey=site", "Tag.1.TagValue=hz", "Tag.2.TagKey=floor" };
	struct sim_store *s = fx.store;
	size_t i;
	cJSON *r;

	(void)state;
	/* Groups 0..4 are at site hz, the even ones on a floor; group 5 is elsewhere. */
	for (i = 0; i < 6; i++) {
		params_set(&s->groups[i].tags, "site", i < 5 ? "hz" : "bj");
		if (i % 2 == 0)
			params_set(&s->groups[i].tags, "floor", "3");
	}
	r = simtest_api(&fx, "QueryDeviceGroupByTags", want[0], want[1], want[2], "PageSize=2",
	    "CurrentPage=2", (char *)NULL);
	assert_true(simtest_ok(r));
	assert_int_equal((int)num_at(r, "Total"), 3);	/* groups 0, 2, 4 */
	assert_int_equal(cJSON_GetArraySize(list_at(r, "Data", "DeviceGroup")), 1);
	assert_string_equal(str_at(r, "Data.DeviceGroup.0.GroupId"), s->groups[4].id);
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceGroupByTags", want[0], "Tag.1.TagValue=bj", (char *)NULL);
	assert_int_equal((int)num_at(r, "Total"), 1);	/* group 5 */
	assert_string_equal(str_at(r, "Data.DeviceGroup.0.GroupId"), s->groups[5].id);
	cJSON_Delete(r);
	/* Devices: tags are their SaveDeviceProp properties. */
	for (i = 0; i < 4; i++) {
		struct sim_devx *x = sim_store_devx(&s->devs[i]);
		if (x->props == NULL)
			x->props = cJSON_CreateObject();
		cJSON_AddStringToObject(x->props, "site", i < 3 ? "hz" : "bj");
		if (i != 1)
			cJSON_AddStringToObject(x->props, "floor", "3");
	}
	r = simtest_api(&fx, "QueryDeviceByTags", want[0], want[1], want[2], "PageSize=1",
	    "CurrentPage=2", (char *)NULL);
	assert_true(simtest_ok(r));
	assert_int_equal((int)num_at(r, "Total"), 2);	/* devices 0 and 2 */
	assert_int_equal(cJSON_GetArraySize(list_at(r, "Data", "SimpleDeviceInfo")), 1);
	assert_string_equal(str_at(r, "Data.SimpleDeviceInfo.0.IotId"), s->devs[2].iotid);
	cJSON_Delete(r);
	r = simtest_api(&fx, "QueryDeviceByTags", want[0], want[1], "PageSize=51", (char *)NULL);
	assert_string_equal(simtest_code(r), "iot.common.InvalidPageParams");
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seeded_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dynamic_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_and_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_tags, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
