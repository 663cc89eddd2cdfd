/* test_jsonout.c — the one JSON writer: escapes for every character the display-safe rules
 * flag, U+FFFD for bytes that are not UTF-8, round trips through cJSON, both layouts, and
 * numbers written as the answer wrote them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jsonout.h"
#include "core/safetext.h"

static void
check_string(const char *in, size_t len, const char *want)
{
	struct buf b = BUF_INIT;

	jsonout_string(&b, in, len);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("written as [%s], expected [%s]", buf_str(&b), want);
	buf_free(&b);
}

/* The string written and read back by cJSON. */
static char *
round_trip(const char *in, size_t len)
{
	struct buf b = BUF_INIT;
	cJSON *j;
	char *s;

	jsonout_string(&b, in, len);
	j = cJSON_Parse(buf_str(&b));
	if (!cJSON_IsString(j))
		fail_msg("not a JSON string: %s", buf_str(&b));
	s = strdup(j->valuestring);
	cJSON_Delete(j);
	buf_free(&b);
	return s;
}

/* No byte of s that the display-safe rules flag; valid UTF-8. */
static void
assert_inert(const char *s, int newlines_ok)
{
	size_t i = 0, n, len = strlen(s);
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			fail_msg("invalid UTF-8 at %zu of [%s]", i, s);
		if (safetext_is_unsafe(cp) && !(newlines_ok && cp == '\n'))
			fail_msg("U+%04X at %zu of [%s]", (unsigned)cp, i, s);
		i += n;
	}
}

static void
test_plain(void **state)
{
	(void)state;
	check_string("", 0, "\"\"");
	check_string("hello", 5, "\"hello\"");
	check_string("a/b", 3, "\"a/b\"");
	check_string("智能灯", strlen("智能灯"), "\"智能灯\"");
	check_string("\xF0\x9F\x92\xA1", 4, "\"\xF0\x9F\x92\xA1\"");		/* U+1F4A1 */
	check_string("\xE2\x9D\xA4\xEF\xB8\x8F", 6, "\"\xE2\x9D\xA4\xEF\xB8\x8F\"");	/* ❤️ */
	check_string("\xEF\xBF\xBD", 3, "\"\xEF\xBF\xBD\"");
}

static void
test_escapes(void **state)
{
	(void)state;
	check_string("say \"hi\" \\o/", 12, "\"say \\\"hi\\\" \\\\o/\"");
	check_string("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	check_string("\x01\x1B[2J\x7F", 6, "\"\\u0001\\u001b[2J\\u007f\"");
	check_string("a\0b", 3, "\"a\\u0000b\"");
	/* C1 CSI as a character, bidi override, invisible characters. */
	check_string("\xC2\x9B" "2J", 4, "\"\\u009b2J\"");
	check_string("abc\xE2\x80\xAE" "fdp.exe", 13, "\"abc\\u202efdp.exe\"");
	check_string("dev\xE2\x80\x8B" "01", 8, "\"dev\\u200b01\"");
	check_string("\xEF\xBB\xBF", 3, "\"\\ufeff\"");
	check_string("\xE2\x80\xA8", 3, "\"\\u2028\"");
	/* Above U+FFFF: a surrogate pair (U+E0041 TAG LATIN CAPITAL LETTER A). */
	check_string("\xF3\xA0\x81\x81", 4, "\"\\udb40\\udc41\"");
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	check_string("a\x9B" "b", 3, "\"a\xEF\xBF\xBD" "b\"");		/* a raw 0x9B byte */
	check_string("\xFF\xFE", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
	check_string("\xC0\xAF", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");		/* overlong '/' */
	check_string("\xED\xA0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");	/* surrogate */
	check_string("\xE6\x99", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");		/* truncated */
	check_string("\xE6\x99\"", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\\\"\"");
}

/* Every valid character reads back as itself; the text is inert. */
static void
test_round_trip(void **state)
{
	static const char *const samples[] = {
		"plain", "智能灯_one", "\x1B]0;title\x07", "\xC2\x9B" "31m", "\xE2\x80\xAE" "abc",
		"\xE2\x80\x8B\xE2\x80\x8C\xE2\x80\x8D\xE2\x81\xA0\xEF\xBB\xBF",
		"\xE3\x85\xA4\xE1\x85\x9F\xEF\xBE\xA0", "\xF3\xA0\x80\x81\xF3\xA0\x81\xBF",
		"\xF0\x9F\x92\xA1 \\ \" / \t\r\n", "\xF4\x8F\xBF\xBF",
	};
	struct buf b = BUF_INIT;
	uint32_t cp;
	char enc[4], *back;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		back = round_trip(samples[i], strlen(samples[i]));
		assert_string_equal(back, samples[i]);
		free(back);
		jsonout_string(&b, samples[i], strlen(samples[i]));
		assert_inert(buf_str(&b), 0);
		buf_reset(&b);
	}
	/* Every code point but NUL (cJSON strings end there) and the surrogates. */
	for (cp = 1; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = utf8_encode(cp, enc);
		jsonout_string(&b, enc, n);
		assert_inert(buf_str(&b), 0);
		if (cp < 0x80 || safetext_is_unsafe(cp) || cp % 97 == 0) {
			back = round_trip(enc, n);
			if (strlen(back) != n || memcmp(back, enc, n) != 0)
				fail_msg("U+%04X did not round-trip", (unsigned)cp);
			free(back);
		}
		buf_reset(&b);
	}
	buf_free(&b);
	/* Invalid bytes read back as U+FFFD, one each. */
	back = round_trip("x\xFF" "y\xC3", 4);
	assert_string_equal(back, "x\xEF\xBF\xBD" "y\xEF\xBF\xBD");
	free(back);
}

static char *
print_text(const char *json, enum jsonout_style style, int keep)
{
	cJSON *j = cJSON_Parse(json);
	char *s;

	assert_non_null(j);
	if (keep)
		assert_int_equal(jsonout_keep_number_text(j, json, strlen(json)), 0);
	s = jsonout_print(j, style);
	cJSON_Delete(j);
	return s;
}

static void
check_print(const char *json, enum jsonout_style style, int keep, const char *want)
{
	char *s = print_text(json, style, keep);

	if (strcmp(s, want) != 0)
		fail_msg("%s printed as [%s], expected [%s]", json, s, want);
	free(s);
}

static void
test_layout(void **state)
{
	(void)state;
	check_print("{\"a\":{\"b\":[1,\"x\\ty\"]}}", JSONOUT_INDENT, 0,
	    "{\n  \"a\": {\n    \"b\": [1, \"x\\ty\"]\n  }\n}");
	check_print("{\"a\":{\"b\":[1,\"x\\ty\"]}}", JSONOUT_COMPACT, 0,
	    "{\"a\":{\"b\":[1,\"x\\ty\"]}}");
	/* cJSON's layout of objects in arrays, kept as `call` printed it. */
	check_print("{\"L\":[{\"x\":1},{\"x\":2}]}", JSONOUT_INDENT, 0,
	    "{\n  \"L\": [{\n      \"x\": 1\n    }, {\n      \"x\": 2\n    }]\n}");
	check_print(" { } ", JSONOUT_INDENT, 0, "{}");
	check_print("{\"e\":{},\"a\":[],\"n\":null,\"t\":true,\"f\":false}", JSONOUT_INDENT, 0,
	    "{\n  \"e\": {},\n  \"a\": [],\n  \"n\": null,\n  \"t\": true,\n  \"f\": false\n}");
	check_print("[\"\\u202e\",{\"k\\u001b\":\"v\"}]", JSONOUT_COMPACT, 0,
	    "[\"\\u202e\",{\"k\\u001b\":\"v\"}]");
	check_print("\"s\"", JSONOUT_INDENT, 0, "\"s\"");
}

static void
test_numbers_from_double(void **state)
{
	cJSON *n;
	char *s;

	(void)state;
	check_print("[0,-0,1,-17,1.5,0.1,1e300,-2.5e-7,1700000000000]", JSONOUT_COMPACT, 0,
	    "[0,0,1,-17,1.5,0.1,1e+300,-2.5e-07,1700000000000]");
	/* Past 2^53 the double is what cJSON kept: written in full, not 9.0071992547409920e+15. */
	check_print("[9007199254740993]", JSONOUT_COMPACT, 0, "[9007199254740992]");
	check_print("[0.30000000000000004]", JSONOUT_COMPACT, 0, "[0.30000000000000004]");
	n = cJSON_CreateNumber(1.0 / 0.0);
	s = jsonout_print(n, JSONOUT_COMPACT);
	assert_string_equal(s, "null");
	free(s);
	cJSON_Delete(n);
}

static void
test_numbers_as_sent(void **state)
{
	const char *text = "\xEF\xBB\xBF {\"big\": 12345678901234567890, \"s\": \"1.0 \\\" 2\","
	    " \"big\": -0, \"list\" : [ 0.10 , 1E5,{\"x\":1.0e-3}, [ ], {} ], \"t\":true,"
	    " \"n\":null, \"z\":1e999}";
	cJSON *j, *dup;
	char *s;

	(void)state;
	check_print("[12345678901234567890, 0.10, 1E5, -0, 1.0, 2e0]", JSONOUT_COMPACT, 1,
	    "[12345678901234567890,0.10,1E5,-0,1.0,2e0]");
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_int_equal(jsonout_keep_number_text(j, text, strlen(text)), 0);
	s = jsonout_print(j, JSONOUT_COMPACT);
	assert_string_equal(s, "{\"big\":12345678901234567890,\"s\":\"1.0 \\\" 2\",\"big\":-0,"
	    "\"list\":[0.10,1E5,{\"x\":1.0e-3},[],{}],\"t\":true,\"n\":null,\"z\":1e999}");
	free(s);
	/* A copy keeps the text; a number changed afterwards is written from its value. */
	dup = cJSON_Duplicate(j, 1);
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(dup, "big"), 5);
	s = jsonout_print(dup, JSONOUT_COMPACT);
	assert_string_equal(s, "{\"big\":5,\"s\":\"1.0 \\\" 2\",\"big\":-0,"
	    "\"list\":[0.10,1E5,{\"x\":1.0e-3},[],{}],\"t\":true,\"n\":null,\"z\":1e999}");
	free(s);
	cJSON_Delete(dup);
	cJSON_Delete(j);

	/* A text that is not the tree's: -1, and nothing is written wrong. */
	j = cJSON_Parse("[1.50, 2]");
	assert_int_equal(jsonout_keep_number_text(j, "[1.50, \"x\"]", 11), -1);
	s = jsonout_print(j, JSONOUT_COMPACT);
	assert_string_equal(s, "[1.50,2]");
	free(s);
	assert_int_equal(jsonout_keep_number_text(j, "[7, 8]", 6), 0);
	s = jsonout_print(j, JSONOUT_COMPACT);
	assert_string_equal(s, "[1.5,2]");	/* "7" does not read as 1.5 */
	free(s);
	cJSON_Delete(j);
}

/* A whole answer with hostile values: valid JSON, inert, the same values. */
static void
test_answer(void **state)
{
	const char *text = "{\"Data\":{\"Nickname\":\"a\xE2\x80\xAE" "b\",\"Raw\":\"\x9B" "2J\","
	    "\"C1\":\"\xC2\x9B" "2J\",\"Zw\":\"dev\xE2\x80\x8B" "01\",\"Esc\":\"\\u001b]0;x\\u0007\"},"
	    "\"k\xE2\x80\xAE\":[\"\xF3\xA0\x80\x81\"]}";
	cJSON *j = cJSON_Parse(text), *back, *d;
	char *s, *c;

	(void)state;
	assert_non_null(j);
	s = jsonout_print(j, JSONOUT_INDENT);
	c = jsonout_print(j, JSONOUT_COMPACT);
	assert_inert(s, 1);
	assert_inert(c, 0);
	back = cJSON_Parse(s);
	assert_non_null(back);
	d = cJSON_GetObjectItemCaseSensitive(back, "Data");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "Nickname")->valuestring,
	    "a\xE2\x80\xAE" "b");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "Raw")->valuestring,
	    "\xEF\xBF\xBD" "2J");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "C1")->valuestring, "\xC2\x9B" "2J");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "Zw")->valuestring,
	    "dev\xE2\x80\x8B" "01");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "Esc")->valuestring, "\x1B]0;x\x07");
	assert_non_null(cJSON_GetObjectItemCaseSensitive(back, "k\xE2\x80\xAE"));
	assert_non_null(strstr(s, "\"Nickname\": \"a\\u202eb\""));
	cJSON_Delete(back);
	free(s);
	free(c);
	cJSON_Delete(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_numbers_from_double),
		cmocka_unit_test(test_numbers_as_sent),
		cmocka_unit_test(test_answer),
	};
	return cmocka_run_group_tests_name("jsonout", tests, NULL, NULL);
}
