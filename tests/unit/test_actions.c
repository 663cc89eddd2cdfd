/* test_actions.c — the generated action table: rows by name and by id, the names as
 * compile-time macros, required and optional parameters, list paths with their aliases
 * (read through jsonpath as a pane reads them), the conservative row of an unknown action
 * and the nearest known name for "did you mean". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "api/actions.h"
#include "api/jsonpath.h"

/* Whether name is an item of the comma-separated list. */
static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* Sorted, unique, and row i is the row of id i; action_by_id and the macros agree. */
static void
test_table_by_id(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(action_count, ACTION_ID_COUNT);
	assert_true(action_count >= 134);
	for (i = 0; i < action_count; i++) {
		assert_ptr_equal(action_by_id((enum action_id)i), &action_table[i]);
		assert_ptr_equal(action_lookup(action_table[i].name), &action_table[i]);
		assert_non_null(action_table[i].required);
		assert_non_null(action_table[i].optional);
		if (i > 0)
			assert_true(strcmp(action_table[i - 1].name, action_table[i].name) < 0);
	}
	assert_null(action_by_id(ACTION_ID_COUNT));
	assert_null(action_by_id((enum action_id)-1));
	assert_string_equal(action_by_id(ACT_ID_QueryDevice)->name, ACT_QueryDevice);
	assert_string_equal(ACT_QueryDevice, "QueryDevice");
	assert_string_equal(action_by_id(ACT_ID_ListOTATaskByJob)->section, "4.20.12");
}

/* A macro is a string literal: usable in a static initialiser. */
static const char *const static_names[] = { ACT_QueryProductList, ACT_SetDeviceProperty };

static void
test_macros_static(void **state)
{
	(void)state;
	assert_string_equal(static_names[0], "QueryProductList");
	assert_int_equal(action_get(static_names[1])->rw, ACTION_WRITE);
	assert_int_equal(action_get(static_names[0])->rw, ACTION_READ);
}

/* The guide's required_params / optional_params columns. */
static void
test_params(void **state)
{
	const struct action_info *a;

	(void)state;
	a = action_by_id(ACT_ID_QueryProduct);
	assert_string_equal(a->required, "ProductKey");
	assert_true(listed(a->optional, "IotInstanceId"));
	a = action_by_id(ACT_ID_CreateProduct);
	assert_string_equal(a->required, "NodeType,ProductName");
	assert_true(listed(a->optional, "Description"));
	assert_false(listed(a->optional, "NodeType"));
	a = action_by_id(ACT_ID_BatchAddDeviceGroupRelations);
	assert_true(listed(a->required, "Device.N.DeviceName"));
	assert_true(listed(a->required, "Device.N.ProductKey"));
	assert_true(listed(a->required, "GroupId"));
	a = action_by_id(ACT_ID_QueryDeviceByTags);
	assert_true(listed(a->required, "Tag.N.TagKey"));
	assert_true(listed(a->required, "Tag.N.TagValue"));
	/* Device actions address the device by IotId or ProductKey+DeviceName: nothing is
	 * required, both ways are optional. */
	a = action_by_id(ACT_ID_QueryDeviceDetail);
	assert_string_equal(a->required, "");
	assert_true(listed(a->optional, "IotId"));
	assert_true(listed(a->optional, "DeviceName"));
	/* No parameter is both required and optional; no "none" placeholders. */
	for (size_t i = 0; i < action_count; i++) {
		char *req = strdup(action_table[i].required), *save = NULL, *tok;
		assert_false(listed(action_table[i].required, "none"));
		for (tok = strtok_r(req, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
			assert_false(listed(action_table[i].optional, tok));
		free(req);
	}
}

/* Every list path and its aliases, read the way the panes read them. */
static void
test_list_aliases(void **state)
{
	static const struct {
		enum action_id id;	/* the action */
		const char    *json;	/* an answer */
		size_t         count;	/* items its list path finds */
	} cases[] = {
#define IT "{\"X\":1}"	/* one item (an empty object would count as none) */
		{ ACT_ID_ListOTATaskByJob, "{\"Data\":{\"SimpleOTATaskInfo\":[" IT "," IT "]}}", 2 },
		{ ACT_ID_ListOTATaskByJob, "{\"Data\":{\"SimpleOTAJobInfo\":[" IT "]}}", 1 },
		{ ACT_ID_QuerySuperDeviceGroup, "{\"Data\":{\"GroupInfo\":[" IT "," IT "," IT "]}}", 3 },
		{ ACT_ID_QueryDeviceFileList, "{\"Data\":{\"FileSummary\":[" IT "]}}", 1 },
		{ ACT_ID_QueryDeviceFileList, "{\"Data\":{\"FileStoreSummary\":[" IT "," IT "]}}", 2 },
		{ ACT_ID_QueryDeviceOriginalPropertyStatus,
		    "{\"Data\":{\"List\":{\"PropertyStatusDataInfo\":[" IT "]}}}", 1 },
		{ ACT_ID_ListOTAModuleVersionsByDevice,
		    "{\"data\":{\"SimpleOTAModuleInfo\":[" IT "," IT "]}}", 2 },
		{ ACT_ID_QueryDevice, "{\"Data\":{\"DeviceInfo\":[" IT "]}}", 1 },
#undef IT
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cJSON *j = cJSON_Parse(cases[i].json);
		struct jsonpath_list l;
		assert_non_null(j);
		assert_int_equal(jsonpath_list(j, action_by_id(cases[i].id)->list_path, &l),
		    cases[i].count);
		jsonpath_list_free(&l);
		cJSON_Delete(j);
	}
	/* The SDK's name comes first. */
	assert_string_equal(action_by_id(ACT_ID_ListOTATaskByJob)->list_path,
	    "Data.SimpleOTATaskInfo|Data.SimpleOTAJobInfo");
	assert_string_equal(action_by_id(ACT_ID_QuerySuperDeviceGroup)->list_path,
	    "Data.GroupInfo|Data");
}

/* An unknown action is a write at 1 QPS with no paging and no parameters. */
static void
test_unknown(void **state)
{
	const struct action_info *u = action_get("QueryDevcie");

	(void)state;
	assert_null(action_lookup("QueryDevcie"));
	assert_string_equal(u->name, "");
	assert_int_equal(u->rw, ACTION_WRITE);
	assert_int_equal(action_effective_qps(u, NULL), 1);
	assert_int_equal(u->paging, PAGING_NONE);
	assert_string_equal(u->list_path, "");
	assert_string_equal(u->required, "");
	assert_string_equal(u->optional, "");
}

static void
test_nearest(void **state)
{
	(void)state;
	assert_string_equal(action_nearest("QueryDevcie"), "QueryDevice");	/* a swap */
	assert_string_equal(action_nearest("QUERYDEVICE"), "QueryDevice");	/* case */
	assert_string_equal(action_nearest("QueryDevic"), "QueryDevice");	/* one short */
	assert_string_equal(action_nearest("QueryDeviceDetial"), "QueryDeviceDetail");
	assert_string_equal(action_nearest("querydevicedetail"), "QueryDeviceDetail");
	assert_string_equal(action_nearest("ListOTAFirmwares"), "ListOTAFirmware");
	assert_string_equal(action_nearest("GetThingModelTSL"), "GetThingModelTsl");
	assert_null(action_nearest("QueryDevice"));	/* known */
	assert_null(action_nearest("NoSuchAction"));	/* nothing near */
	assert_null(action_nearest("Xyz"));
	assert_null(action_nearest(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_by_id),
		cmocka_unit_test(test_macros_static),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_list_aliases),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_nearest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
