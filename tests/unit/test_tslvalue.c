/* test_tslvalue.c — thing-model values: every data type, boundaries, steps, labels, text
 * length in bytes, dates, nested struct and array; Items and Args; values shown. The thing
 * model is tests/fixtures/guide/tsl-all-types.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/model.h"
#include "api/tslvalue.h"
#include "core/jsonout.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "testutil.h"

static struct model_tsl tsl;

static int
setup(void **state)
{
	size_t len;
	char *text = testutil_read_fixture("guide/tsl-all-types.json", &len), *cause = NULL;

	(void)state;
	if (model_tsl_parse(text, len, &tsl, &cause) != 0)
		fail_msg("fixture: %s", cause);
	free(text);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	model_tsl_clear(&tsl);
	return 0;
}

static const struct tsl_datatype *
type_of(const char *id)
{
	const struct tsl_property *p = tslvalue_property(&tsl, id);

	assert_non_null(p);
	return &p->type;
}

/* text for id gives the compact JSON want. */
static void
ok(const char *id, const char *text, const char *want)
{
	cJSON *v = NULL;
	char *cause = NULL, *got;

	if (tslvalue_parse(type_of(id), id, text, &v, &cause) != 0)
		fail_msg("%s=%s refused: %s", id, text, cause);
	got = jsonout_print(v, JSONOUT_COMPACT);
	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(v);
}

/* text for id is refused with exactly want. */
static void
no(const char *id, const char *text, const char *want)
{
	cJSON *v = NULL;
	char *cause = NULL;

	if (tslvalue_parse(type_of(id), id, text, &v, &cause) == 0)
		fail_msg("%s=%s accepted", id, text);
	assert_null(v);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_int(void **state)
{
	(void)state;
	ok("Brightness", "0", "0");
	ok("Brightness", "100", "100");
	ok("Brightness", " 42 ", "42");
	no("Brightness", "101", "Brightness: 101 is above the maximum 100 (int 0..100, step 1, %)");
	no("Brightness", "-1", "Brightness: -1 is below the minimum 0 (int 0..100, step 1, %)");
	no("Brightness", "5.5", "Brightness: '5.5' is not a 32-bit integer (int 0..100, step 1, %)");
	no("Brightness", "99999999999", "Brightness: '99999999999' is not a 32-bit integer "
	    "(int 0..100, step 1, %)");
	no("Brightness", "", "Brightness: '' is not a 32-bit integer (int 0..100, step 1, %)");
}

static void
test_double_range_and_step(void **state)
{
	(void)state;
	ok("Voltage", "240", "240");
	ok("Voltage", "-5.5", "-5.5");
	ok("Voltage", "3.1", "3.1");
	no("Voltage", "300.5", "Voltage: 300.5 is above the maximum 240 (double -5.5..240, step 0.1, V)");
	no("Voltage", "3.14", "Voltage: 3.14 is not on the step 0.1 from -5.5 (double -5.5..240, "
	    "step 0.1, V)");
	no("Voltage", "nan", "Voltage: 'nan' is not a number (double -5.5..240, step 0.1, V)");
	no("Voltage", "1e999", "Voltage: '1e999' is not a number (double -5.5..240, step 0.1, V)");
}

static void
test_bool_and_enum(void **state)
{
	(void)state;
	ok("PowerSwitch", "1", "1");
	ok("PowerSwitch", "开启", "1");
	ok("PowerSwitch", "false", "0");
	no("PowerSwitch", "2", "PowerSwitch: 2 is not one of the values (bool 0 关闭, 1 开启)");
	ok("Mode", "2", "2");
	ok("Mode", "手动", "1");
	no("Mode", "3", "Mode: 3 is not one of the values (enum 0 自动, 1 手动, 2 夜间)");
	no("Mode", "快", "Mode: '快' is neither a value nor a label (enum 0 自动, 1 手动, 2 夜间)");
}

static void
test_text_in_bytes(void **state)
{
	char *big = xmalloc(TSL_TEXT_MAX + 2), *cn = xmalloc(3 * 683 + 1);
	int i;

	(void)state;
	ok("Label", "门口 ", "\"门口 \"");
	memset(big, 'x', TSL_TEXT_MAX);
	big[TSL_TEXT_MAX] = '\0';
	{
		cJSON *v = NULL;
		char *cause = NULL;
		assert_int_equal(tslvalue_parse(type_of("Label"), "Label", big, &v, &cause), 0);
		cJSON_Delete(v);
	}
	big[TSL_TEXT_MAX] = 'x';
	big[TSL_TEXT_MAX + 1] = '\0';
	no("Label", big, "Label: the text is 2049 bytes, more than 2048 (text up to 2048 bytes)");
	/* 683 Chinese characters are 2049 bytes: counted in bytes, not characters. */
	for (i = 0; i < 683; i++)
		memcpy(cn + 3 * i, "门", 3);
	cn[3 * 683] = '\0';
	no("Label", cn, "Label: the text is 2049 bytes, more than 2048 (text up to 2048 bytes)");
	no("Label", "a\xFF" "b", "Label: the text is not valid UTF-8 (byte 2) (text up to 2048 bytes)");
	free(big);
	free(cn);
}

static void
test_date(void **state)
{
	(void)state;
	ok("BootTime", "1700000000000", "\"1700000000000\"");
	ok("BootTime", "2024-01-01T01:00:00Z", "\"1704070800000\"");
	no("BootTime", "yesterday", "BootTime: 'yesterday' is not a time (epoch ms, or like "
	    "2024-01-01 09:00:00) (date (epoch ms or a time))");
}

static void
test_struct_and_array(void **state)
{
	(void)state;
	ok("Location", "{\"Latitude\":30.5,\"Longitude\":120,\"Fixed\":\"是\"}",
	    "{\"Latitude\":30.5,\"Longitude\":120,\"Fixed\":1}");
	no("Location", "{\"Latitude\":91}", "Location.Latitude: 91 is above the maximum 90 "
	    "(double -90..90, step 0.000001, °)");
	no("Location", "{\"Altitude\":1}", "Location.Altitude: no such member (struct {Latitude "
	    "double -90..90, step 0.000001, °, Longitude double -180..180, step 0.000001, °, "
	    "Fixed bool 0 否, 1 是})");
	no("Location", "[1]", "Location: a struct is a JSON object (struct {Latitude double "
	    "-90..90, step 0.000001, °, Longitude double -180..180, step 0.000001, °, Fixed bool "
	    "0 否, 1 是})");
	ok("Samples", "[0.5,0.25,1]", "[0.5,0.25,1]");
	no("Samples", "[0.5,2]", "Samples[1]: 2 is above the maximum 1 (float 0..1, step 0.01)");
	no("Samples", "[0,0,0,0,0,0,0,0,0,0,0]", "Samples: 11 items, more than 10 (array of up to "
	    "10 float 0..1, step 0.01)");
	ok("Cards", "[{\"CardNo\":\"A1\",\"Kind\":\"ID\"}]", "[{\"CardNo\":\"A1\",\"Kind\":1}]");
	no("Cards", "[{\"CardNo\":7}]", "Cards[0].CardNo: text is a JSON string (text up to 128 "
	    "bytes)");
	no("Cards", "not json", "Cards: write it as JSON: [value,...] (array of up to 4 struct "
	    "{CardNo text up to 128 bytes, Kind enum 0 IC, 1 ID})");
}

static void
test_items_and_args(void **state)
{
	struct tslvalue_set sets[] = {
		{ "Brightness", "50" }, { "Mode", "夜间" }, { "Brightness", "60" }
	};
	struct tslvalue_set ro[] = { { "Voltage", "3.1" } };
	struct tslvalue_set bad[] = { { "Nope", "1" } };
	struct tslvalue_set delay[] = { { "Delay", "5" } };
	char *items = NULL, *cause = NULL;
	const struct tsl_service *reboot = tslvalue_service(&tsl, "Reboot");

	(void)state;
	assert_int_equal(tslvalue_items(&tsl, sets, 2, 1, &items, &cause), 0);
	assert_string_equal(items, "{\"Brightness\":50,\"Mode\":2}");
	free(items);
	assert_int_equal(tslvalue_items(&tsl, sets, 3, 1, &items, &cause), -1);
	assert_null(items);
	assert_string_equal(cause, "Brightness is given twice");
	free(cause);
	assert_int_equal(tslvalue_items(&tsl, ro, 1, 1, &items, &cause), -1);
	assert_string_equal(cause, "Voltage is read-only");
	free(cause);
	assert_int_equal(tslvalue_items(&tsl, ro, 1, 0, &items, &cause), 0);
	assert_string_equal(items, "{\"Voltage\":3.1}");
	free(items);
	assert_int_equal(tslvalue_items(&tsl, bad, 1, 1, &items, &cause), -1);
	assert_string_equal(cause, "Nope is not a property of the thing model");
	free(cause);
	assert_int_equal(tslvalue_items(&tsl, sets, 0, 1, &items, &cause), -1);
	free(cause);
	assert_non_null(reboot);
	assert_int_equal(tslvalue_args(reboot, delay, 1, &items, &cause), 0);
	assert_string_equal(items, "{\"Delay\":5}");
	free(items);
	delay[0].text = "61";
	assert_int_equal(tslvalue_args(reboot, delay, 1, &items, &cause), -1);
	assert_string_equal(cause, "Delay: 61 is above the maximum 60 (int 0..60, step 1, s)");
	free(cause);
	assert_int_equal(tslvalue_args(reboot, bad, 1, &items, &cause), -1);
	assert_string_equal(cause, "Nope is not an input of the service Reboot");
	free(cause);
}

static void
test_show(void **state)
{
	cJSON *v;
	char *s;

	(void)state;
	v = cJSON_CreateString("2");
	s = tslvalue_show(type_of("Mode"), v, TIMEFMT_UTC);
	assert_string_equal(s, "2 夜间");
	free(s);
	cJSON_Delete(v);
	v = cJSON_CreateString("1704070800000");
	s = tslvalue_show(type_of("BootTime"), v, TIMEFMT_UTC);
	assert_string_equal(s, "2024-01-01 01:00:00");
	free(s);
	cJSON_Delete(v);
	v = cJSON_CreateString("7");
	s = tslvalue_show(type_of("Mode"), v, TIMEFMT_UTC);
	assert_string_equal(s, "7");	/* not a known value: as it came */
	free(s);
	cJSON_Delete(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_double_range_and_step),
		cmocka_unit_test(test_bool_and_enum),
		cmocka_unit_test(test_text_in_bytes),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_struct_and_array),
		cmocka_unit_test(test_items_and_args),
		cmocka_unit_test(test_show),
	};

	return cmocka_run_group_tests_name("tslvalue", tests, setup, teardown);
}
