/* test_form.c — the fields of the forms made from the thing model (ui/formfield.h): one
 * field per writable property with its type and current value, every data type typed or
 * chosen and sent as tslvalue_parse takes it, a value out of range refused in its field
 * with the reason (and the submit with it), enum and bool choices cycling through their
 * values and back to none, a struct built from its members, empty fields not sent,
 * Chinese labels measured in columns, hostile names made display-safe, a service's
 * inputs, and the pick list's filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>
#include <cmocka.h>
#include <locale.h>

#include "api/model.h"
#include "api/tslvalue.h"
#include "core/safetext.h"
#include "core/timefmt.h"
#include "ui/formfield.h"
#include "ui/keys.h"
#include "ui/text.h"

#define RIGHT (KEYS_CODE | KEY_RIGHT)
#define LEFT  (KEYS_CODE | KEY_LEFT)
#define BS    (KEYS_CODE | KEY_BACKSPACE)

static const char TSL[] =
    "{\"properties\":["
    "{\"identifier\":\"Brightness\",\"name\":\"亮度\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"int\",\"specs\":{\"min\":\"0\",\"max\":\"100\",\"step\":\"1\",\"unit\":\"%\"}}},"
    "{\"identifier\":\"Voltage\",\"name\":\"电压\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"float\",\"specs\":{\"min\":\"0\",\"max\":\"300\",\"step\":\"0.1\",\"unit\":\"V\"}}},"
    "{\"identifier\":\"Ratio\",\"name\":\"比例\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"double\",\"specs\":{\"min\":\"-1\",\"max\":\"1\"}}},"
    "{\"identifier\":\"Current\",\"name\":\"电流\",\"accessMode\":\"r\","
    " \"dataType\":{\"type\":\"float\",\"specs\":{\"min\":\"0\",\"max\":\"10\"}}},"
    "{\"identifier\":\"Label\",\"name\":\"标签\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"text\",\"specs\":{\"length\":\"8\"}}},"
    "{\"identifier\":\"Wake\",\"name\":\"唤醒时间\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"date\",\"specs\":{}}},"
    "{\"identifier\":\"Power\",\"name\":\"电源\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"bool\",\"specs\":{\"0\":\"关\",\"1\":\"开\"}}},"
    "{\"identifier\":\"Tariff\",\"name\":\"电价\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"enum\",\"specs\":{\"0\":\"谷\",\"1\":\"平\",\"2\":\"峰\"}}},"
    "{\"identifier\":\"Location\",\"name\":\"位置\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"struct\",\"specs\":["
    "  {\"identifier\":\"Latitude\",\"name\":\"纬度\",\"dataType\":{\"type\":\"double\",\"specs\":{\"min\":\"-90\",\"max\":\"90\"}}},"
    "  {\"identifier\":\"City\",\"name\":\"城市\",\"dataType\":{\"type\":\"text\",\"specs\":{\"length\":\"32\"}}},"
    "  {\"identifier\":\"Fixed\",\"name\":\"已定位\",\"dataType\":{\"type\":\"bool\",\"specs\":{\"0\":\"否\",\"1\":\"是\"}}}"
    " ]}},"
    "{\"identifier\":\"Levels\",\"name\":\"档位\",\"accessMode\":\"rw\","
    " \"dataType\":{\"type\":\"array\",\"specs\":{\"size\":\"3\",\"item\":{\"type\":\"int\",\"specs\":{\"min\":\"0\",\"max\":\"9\"}}}}}"
    "],"
    "\"services\":["
    "{\"identifier\":\"Reboot\",\"name\":\"重启\",\"callType\":\"sync\",\"inputData\":["
    " {\"identifier\":\"Delay\",\"name\":\"延迟\",\"dataType\":{\"type\":\"int\",\"specs\":{\"min\":\"0\",\"max\":\"60\",\"unit\":\"s\"}}},"
    " {\"identifier\":\"Mode\",\"name\":\"方式\",\"dataType\":{\"type\":\"enum\",\"specs\":{\"0\":\"软\",\"1\":\"硬\"}}}"
    "]}]}";

/* The indexes of the fields in the TSL above (read-only Current has none). */
enum { F_BRIGHTNESS, F_VOLTAGE, F_RATIO, F_LABEL, F_WAKE, F_POWER, F_TARIFF, F_LOCATION,
	F_LATITUDE, F_CITY, F_FIXED, F_LEVELS, F_COUNT };

static struct model_tsl tsl;

static int
setup(void **state)
{
	char *cause = NULL;

	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	if (model_tsl_parse(TSL, strlen(TSL), &tsl, &cause) != 0)
		fail_msg("TSL: %s", cause);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	model_tsl_clear(&tsl);
	return 0;
}

/* Current values as the API sends them (QueryDevicePropertyStatus: all strings). */
static char *
values(void *ctx, const char *id)
{
	int *calls = ctx;

	(*calls)++;
	if (strcmp(id, "Tariff") == 0)
		return strdup("2");
	if (strcmp(id, "Voltage") == 0)
		return strdup("220.5");
	if (strcmp(id, "Wake") == 0)
		return strdup("1704070800000");
	if (strcmp(id, "Location") == 0)
		return strdup("{\"Latitude\":30.10,\"City\":\"杭州\",\"Fixed\":1}");
	if (strcmp(id, "Label") == 0)
		return strdup("a\033[2Jb");	/* hostile: shown display-safe when drawn */
	return NULL;
}

static void
open_form(struct formfields *ff)
{
	int calls = 0;

	formfields_init(ff);
	assert_int_equal(formfields_add_properties(ff, &tsl, values, &calls, TIMEFMT_UTC), 9);
	assert_int_equal(calls, 9);	/* every value read at open, once */
	assert_int_equal(ff->n, F_COUNT);
}

static void
type(struct formfields *ff, size_t i, const char *utf8)
{
	uint32_t cp;
	size_t n, len = strlen(utf8);

	while (len > 0) {
		n = utf8_decode(utf8, len, &cp);
		assert_true(n > 0);
		formfields_key(ff, i, cp);
		utf8 += n;
		len -= n;
	}
}

static const char *
choice(const struct formfield *f)
{
	static char out[64];
	struct buf b = BUF_INIT;

	formfield_choice_text(f, &b);
	snprintf(out, sizeof out, "%s", buf_str(&b));
	buf_free(&b);
	return out;
}

static void
test_fields_from_tsl(void **state)
{
	struct formfields ff;
	const struct formfield *v;

	(void)state;
	open_form(&ff);
	v = ff.v;
	/* One field per writable property, in order; the read-only one is left out. */
	assert_string_equal(v[F_BRIGHTNESS].id, "Brightness");
	assert_string_equal(v[F_VOLTAGE].id, "Voltage");
	assert_string_equal(v[F_LABEL].id, "Label");
	assert_string_equal(v[F_LEVELS].id, "Levels");
	/* Kinds: typed, choices, a structured struct, JSON for arrays. */
	assert_int_equal(v[F_BRIGHTNESS].kind, FORMFIELD_TEXT);
	assert_int_equal(v[F_WAKE].kind, FORMFIELD_TEXT);
	assert_int_equal(v[F_POWER].kind, FORMFIELD_CHOICE);
	assert_int_equal(v[F_TARIFF].kind, FORMFIELD_CHOICE);
	assert_int_equal(v[F_LOCATION].kind, FORMFIELD_STRUCT);
	assert_int_equal(v[F_LOCATION].members, 3);
	assert_int_equal(v[F_LATITUDE].parent, F_LOCATION);
	assert_int_equal(v[F_FIXED].kind, FORMFIELD_CHOICE);
	assert_string_equal(v[F_CITY].path, "Location.City");
	assert_int_equal(v[F_LEVELS].kind, FORMFIELD_JSON);
	assert_false(formfield_focusable(&v[F_LOCATION]));
	assert_true(formfield_focusable(&v[F_LATITUDE]));
	/* Type, range, unit. */
	assert_string_equal(v[F_VOLTAGE].type, "float 0..300, step 0.1, V");
	assert_string_equal(v[F_TARIFF].type, "enum 0 谷, 1 平, 2 峰");
	assert_string_equal(v[F_LEVELS].type, "array of up to 3 int 0..9");
	assert_string_equal(v[F_LABEL].type, "text up to 8 bytes");
	/* Current values, shown through the type; a struct's by member. */
	assert_string_equal(v[F_TARIFF].current, "2 峰");
	assert_string_equal(v[F_VOLTAGE].current, "220.5");
	assert_string_equal(v[F_WAKE].current, "2024-01-01 01:00:00");
	assert_null(v[F_BRIGHTNESS].current);
	assert_null(v[F_LOCATION].current);
	assert_string_equal(v[F_LATITUDE].current, "30.10");
	assert_string_equal(v[F_CITY].current, "杭州");
	assert_string_equal(v[F_FIXED].current, "1 是");
	/* Everything starts empty: nothing would be sent. */
	assert_true(formfields_empty(&ff, F_TARIFF));
	assert_true(formfields_empty(&ff, F_LOCATION));
	formfields_free(&ff);
}

/* Every data type, filled in, is sent as tslvalue_parse takes it, and the Items built
 * from the sets are what SetDeviceProperty gets. */
static void
test_every_type_sent(void **state)
{
	struct formfields ff;
	struct formsets s;
	char *items = NULL, *cause = NULL;

	(void)state;
	open_form(&ff);
	type(&ff, F_BRIGHTNESS, "42");
	type(&ff, F_VOLTAGE, "230.1");
	type(&ff, F_RATIO, "-0.25");
	type(&ff, F_LABEL, "温度");
	type(&ff, F_WAKE, "2024-01-01T01:00:00Z");
	formfields_key(&ff, F_POWER, ' ');		/* none -> 0 关 */
	formfields_key(&ff, F_POWER, ' ');		/* -> 1 开 */
	formfields_key(&ff, F_TARIFF, RIGHT);		/* -> 0 谷 */
	type(&ff, F_LATITUDE, "30.5");
	type(&ff, F_LEVELS, "[1, 2, 3]");
	assert_int_equal(formfields_check_all(&ff, NULL), 0);
	assert_int_equal(formfields_sets(&ff, &s), 0);
	assert_int_equal(s.n, 9);
	assert_string_equal(s.v[0].id, "Brightness");
	assert_string_equal(s.v[0].text, "42");
	assert_string_equal(s.v[3].id, "Label");
	assert_string_equal(s.v[3].text, "温度");
	assert_string_equal(s.v[5].id, "Power");
	assert_string_equal(s.v[5].text, "1");
	assert_string_equal(s.v[6].id, "Tariff");
	assert_string_equal(s.v[6].text, "0");
	assert_string_equal(s.v[7].id, "Location");
	assert_string_equal(s.v[7].text, "{\"Latitude\":30.5}");
	assert_string_equal(s.v[8].id, "Levels");
	assert_string_equal(s.v[8].text, "[1, 2, 3]");
	if (tslvalue_items(&tsl, s.v, s.n, 1, &items, &cause) != 0)
		fail_msg("items: %s", cause);
	assert_string_equal(items, "{\"Brightness\":42,\"Voltage\":230.1,\"Ratio\":-0.25,"
	    "\"Label\":\"温度\",\"Wake\":\"1704070800000\",\"Power\":1,\"Tariff\":0,"
	    "\"Location\":{\"Latitude\":30.5},\"Levels\":[1,2,3]}");
	free(items);
	formsets_free(&s);
	formfields_free(&ff);
}

static void
test_out_of_range_refused(void **state)
{
	struct formfields ff;
	struct formsets s;
	size_t first = 99;

	(void)state;
	open_form(&ff);
	type(&ff, F_BRIGHTNESS, "50");
	type(&ff, F_VOLTAGE, "300.5");
	/* Leaving the field checks it: refused, with the reason, in the field. */
	assert_int_equal(formfields_check(&ff, F_VOLTAGE), -1);
	assert_string_equal(ff.v[F_VOLTAGE].error,
	    "Voltage: 300.5 is above the maximum 300 (float 0..300, step 0.1, V)");
	/* The submit is refused while it is: nothing is handed over. */
	assert_int_equal(formfields_sets(&ff, &s), -1);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
	assert_int_equal(formfields_check_all(&ff, &first), 1);
	assert_int_equal(first, F_VOLTAGE);
	/* A refused field is checked again as it changes: the reason follows the text. */
	formfields_key(&ff, F_VOLTAGE, BS);
	formfields_key(&ff, F_VOLTAGE, BS);
	assert_string_equal(lineedit_text(&ff.v[F_VOLTAGE].edit), "300");
	assert_null(ff.v[F_VOLTAGE].error);
	type(&ff, F_VOLTAGE, ".05");	/* valid meanwhile: checked again on leaving */
	assert_null(ff.v[F_VOLTAGE].error);
	assert_int_equal(formfields_check(&ff, F_VOLTAGE), -1);
	assert_string_equal(ff.v[F_VOLTAGE].error,
	    "Voltage: 300.05 is above the maximum 300 (float 0..300, step 0.1, V)");
	/* Other refusals: not on the step, not a number, text too long in bytes, array too
	 * long, a date that is not one. */
	lineedit_set(&ff.v[F_VOLTAGE].edit, "10.05");
	assert_int_equal(formfields_check(&ff, F_VOLTAGE), -1);
	assert_string_equal(ff.v[F_VOLTAGE].error,
	    "Voltage: 10.05 is not on the step 0.1 from 0 (float 0..300, step 0.1, V)");
	lineedit_set(&ff.v[F_BRIGHTNESS].edit, "bright");
	assert_int_equal(formfields_check(&ff, F_BRIGHTNESS), -1);
	assert_string_equal(ff.v[F_BRIGHTNESS].error,
	    "Brightness: 'bright' is not a 32-bit integer (int 0..100, step 1, %)");
	type(&ff, F_LABEL, "温度计");		/* 9 bytes */
	assert_int_equal(formfields_check(&ff, F_LABEL), -1);
	assert_string_equal(ff.v[F_LABEL].error,
	    "Label: the text is 9 bytes, more than 8 (text up to 8 bytes)");
	type(&ff, F_LEVELS, "[1,2,3,4]");
	assert_int_equal(formfields_check(&ff, F_LEVELS), -1);
	assert_string_equal(ff.v[F_LEVELS].error,
	    "Levels: 4 items, more than 3 (array of up to 3 int 0..9)");
	type(&ff, F_WAKE, "soon");
	assert_int_equal(formfields_check(&ff, F_WAKE), -1);
	assert_int_equal(formfields_check_all(&ff, &first), 5);
	assert_int_equal(first, F_BRIGHTNESS);
	/* Emptied, a field is valid again (not sent). */
	lineedit_clear(&ff.v[F_WAKE].edit);
	assert_int_equal(formfields_check(&ff, F_WAKE), 0);
	assert_null(ff.v[F_WAKE].error);
	formfields_free(&ff);
}

static void
test_enum_cycling(void **state)
{
	struct formfields ff;
	struct formfield *t;

	(void)state;
	open_form(&ff);
	t = &ff.v[F_TARIFF];
	assert_int_equal(formfield_choices(t), 3);
	assert_string_equal(choice(t), "");		/* starts empty: not sent */
	assert_int_equal(formfields_key(&ff, F_TARIFF, RIGHT), LINEEDIT_CHANGED);
	assert_string_equal(choice(t), "0 谷");
	formfields_key(&ff, F_TARIFF, ' ');
	assert_string_equal(choice(t), "1 平");
	formfields_key(&ff, F_TARIFF, RIGHT);
	assert_string_equal(choice(t), "2 峰");
	formfields_key(&ff, F_TARIFF, RIGHT);		/* past the last: none again */
	assert_int_equal(t->choice, -1);
	assert_true(formfields_empty(&ff, F_TARIFF));
	formfields_key(&ff, F_TARIFF, LEFT);		/* none, back: the last */
	assert_string_equal(choice(t), "2 峰");
	formfields_key(&ff, F_TARIFF, LEFT);
	assert_string_equal(choice(t), "1 平");
	assert_int_equal(formfields_key(&ff, F_TARIFF, BS), LINEEDIT_CHANGED);
	assert_int_equal(t->choice, -1);
	formfields_key(&ff, F_TARIFF, '2');		/* a digit names the value */
	assert_string_equal(choice(t), "2 峰");
	assert_int_equal(formfields_key(&ff, F_TARIFF, '7'), LINEEDIT_MOVED);	/* none */
	assert_string_equal(choice(t), "2 峰");
	assert_int_equal(formfields_key(&ff, F_TARIFF, 'x'), LINEEDIT_IGNORED);
	assert_int_equal(formfields_key(&ff, F_TARIFF, KEYS_ENTER), LINEEDIT_ENTER);
	assert_int_equal(formfields_key(&ff, F_TARIFF, KEYS_ESC), LINEEDIT_CANCEL);
	/* A bool the same way. */
	formfields_key(&ff, F_POWER, LEFT);
	assert_string_equal(choice(&ff.v[F_POWER]), "1 开");
	formfields_key(&ff, F_POWER, LEFT);
	assert_string_equal(choice(&ff.v[F_POWER]), "0 关");
	assert_int_equal(formfields_check(&ff, F_POWER), 0);
	formfields_free(&ff);
}

static void
test_struct_from_members(void **state)
{
	struct formfields ff;
	struct formsets s;
	size_t first;

	(void)state;
	open_form(&ff);
	type(&ff, F_LATITUDE, "30.25");
	type(&ff, F_CITY, "杭州");
	formfields_key(&ff, F_FIXED, ' ');
	formfields_key(&ff, F_FIXED, ' ');
	assert_false(formfields_empty(&ff, F_LOCATION));
	assert_int_equal(formfields_check(&ff, F_LOCATION), 0);
	assert_int_equal(formfields_sets(&ff, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].id, "Location");
	assert_string_equal(s.v[0].text, "{\"Latitude\":30.25,\"City\":\"杭州\",\"Fixed\":1}");
	formsets_free(&s);
	/* A member out of range: refused in the member, named by its path. */
	lineedit_set(&ff.v[F_LATITUDE].edit, "91");
	assert_int_equal(formfields_check(&ff, F_LATITUDE), -1);
	assert_string_equal(ff.v[F_LATITUDE].error,
	    "Location.Latitude: 91 is above the maximum 90 (double -90..90)");
	assert_int_equal(formfields_sets(&ff, &s), -1);
	assert_int_equal(formfields_check_all(&ff, &first), 1);
	assert_int_equal(first, F_LATITUDE);
	/* The members left empty are not sent; all of them empty: the struct is not. */
	lineedit_clear(&ff.v[F_LATITUDE].edit);
	formfields_key(&ff, F_FIXED, BS);
	assert_int_equal(formfields_sets(&ff, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].text, "{\"City\":\"杭州\"}");
	formsets_free(&s);
	lineedit_clear(&ff.v[F_CITY].edit);
	assert_true(formfields_empty(&ff, F_LOCATION));
	assert_int_equal(formfields_sets(&ff, &s), 0);
	assert_int_equal(s.n, 0);
	formsets_free(&s);
	formfields_free(&ff);
}

static void
test_empty_not_sent(void **state)
{
	struct formfields ff;
	struct formsets s;

	(void)state;
	open_form(&ff);
	assert_int_equal(formfields_sets(&ff, &s), 0);
	assert_int_equal(s.n, 0);
	formsets_free(&s);
	type(&ff, F_BRIGHTNESS, "7");
	type(&ff, F_LABEL, "x");
	lineedit_clear(&ff.v[F_LABEL].edit);		/* typed, then emptied */
	formfields_key(&ff, F_TARIFF, ' ');
	formfields_key(&ff, F_TARIFF, BS);		/* chosen, then none */
	assert_int_equal(formfields_sets(&ff, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].id, "Brightness");
	assert_string_equal(s.v[0].text, "7");
	formsets_free(&s);
	formfields_free(&ff);
}

static void
test_chinese_labels(void **state)
{
	struct formfields ff;
	struct buf b = BUF_INIT;
	struct tsl_datatype dt = { .type = TSL_TYPE_TEXT };
	struct tsl_param hostile = { .identifier = (char *)"Evil\033[2J",
	    .name = (char *)"\xE2\x80\xAEgnp.exe", .type = dt };

	(void)state;
	open_form(&ff);
	formfield_label(&ff.v[F_VOLTAGE], &b);
	assert_string_equal(buf_str(&b), "Voltage 电压");
	assert_int_equal(text_width(buf_str(&b)), 12);	/* two columns a character */
	buf_reset(&b);
	formfield_label(&ff.v[F_FIXED], &b);
	assert_string_equal(buf_str(&b), "Fixed 已定位");
	assert_int_equal(text_width(buf_str(&b)), 12);
	/* Cut to the room there is on a character boundary, with the ellipsis. */
	{
		struct buf cut = BUF_INIT;
		assert_int_equal(text_fit(&cut, buf_str(&b), 9, 0, 0), 9);
		assert_string_equal(buf_str(&cut), "Fixed 已…");
		buf_free(&cut);
	}
	buf_reset(&b);
	formfield_choice_text(&ff.v[F_TARIFF], &b);
	assert_string_equal(buf_str(&b), "");
	/* Names from the network are shown display-safe: no escape, no bidi override. */
	formfields_free(&ff);
	formfields_add_params(&ff, &hostile, 1);
	buf_reset(&b);
	formfield_label(&ff.v[0], &b);
	assert_null(strchr(buf_str(&b), '\033'));
	assert_null(strstr(buf_str(&b), "\xE2\x80\xAE"));
	assert_string_equal(buf_str(&b), "Evil\xE2\x90\x9B[2J \xEF\xBF\xBDgnp.exe");
	buf_free(&b);
	formfields_free(&ff);
}

static void
test_service_inputs(void **state)
{
	const struct tsl_service *svc = tslvalue_service(&tsl, "Reboot");
	struct formfields ff;
	struct formsets s;
	char *args = NULL, *cause = NULL;

	(void)state;
	assert_non_null(svc);
	formfields_init(&ff);
	formfields_add_params(&ff, svc->inputs, svc->input_count);
	assert_int_equal(ff.n, 2);
	assert_null(ff.v[0].current);
	assert_string_equal(ff.v[0].type, "int 0..60, s");
	assert_int_equal(ff.v[1].kind, FORMFIELD_CHOICE);
	type(&ff, 0, "61");
	assert_int_equal(formfields_sets(&ff, &s), -1);
	assert_string_equal(ff.v[0].error, "Delay: 61 is above the maximum 60 (int 0..60, s)");
	formfields_key(&ff, 0, BS);
	formfields_key(&ff, 1, '1');
	assert_int_equal(formfields_sets(&ff, &s), 0);
	assert_int_equal(s.n, 2);
	if (tslvalue_args(svc, s.v, s.n, &args, &cause) != 0)
		fail_msg("args: %s", cause);
	assert_string_equal(args, "{\"Delay\":6,\"Mode\":1}");
	free(args);
	formsets_free(&s);
	formfields_free(&ff);
}

static void
test_pick_filter(void **state)
{
	const char *items[] = { "s  Set properties", "d  Set desired properties",
	    "i  Invoke a service", "t  Tag devices" };
	const char *desc[] = { ":set ID=VALUE... (SetDeviceProperty)",
	    ":desired ID=VALUE... (SetDeviceDesiredProperty)", ":invoke SERVICE (InvokeThingService)",
	    NULL };
	size_t out[4], n;

	(void)state;
	n = formpick_filter(items, desc, 4, "", out);
	assert_int_equal(n, 4);
	assert_int_equal(out[3], 3);
	/* A label starting with it first, then labels holding it, then descriptions. */
	n = formpick_filter(items, desc, 4, "s", out);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 2);
	assert_int_equal(out[3], 3);
	n = formpick_filter(items, desc, 4, "SET", out);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 1);
	n = formpick_filter(items, desc, 4, "thingservice", out);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 2);
	n = formpick_filter(items, NULL, 4, "zzz", out);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_from_tsl),
		cmocka_unit_test(test_every_type_sent),
		cmocka_unit_test(test_out_of_range_refused),
		cmocka_unit_test(test_enum_cycling),
		cmocka_unit_test(test_struct_from_members),
		cmocka_unit_test(test_empty_not_sent),
		cmocka_unit_test(test_chinese_labels),
		cmocka_unit_test(test_service_inputs),
		cmocka_unit_test(test_pick_filter),
	};

	return cmocka_run_group_tests_name("form", tests, setup, teardown);
}
