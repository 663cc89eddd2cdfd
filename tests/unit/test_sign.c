/* test_sign.c — percent-encoding, canonical strings and signature v1 vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "api/params.h"
#include "api/sign.h"
#include "core/buf.h"
#include "testutil.h"

static void
check_encode(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	pct_encode(&b, in, strlen(in));
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_encode_unreserved(void **state)
{
	(void)state;
	check_encode("AZaz09-_.~", "AZaz09-_.~");
	check_encode("", "");
}

static void
test_encode_reserved(void **state)
{
	(void)state;
	check_encode(" ", "%20");
	check_encode("+", "%2B");
	check_encode("*", "%2A");
	check_encode("/", "%2F");
	check_encode("a=b&c", "a%3Db%26c");
	check_encode("!'()", "%21%27%28%29");
	check_encode("%", "%25");
	check_encode("\"", "%22");
	check_encode(":", "%3A");
}

static void
test_encode_utf8(void **state)
{
	(void)state;
	check_encode("智能灯", "%E6%99%BA%E8%83%BD%E7%81%AF");
	check_encode("\xF0\x9F\x92\xA1", "%F0%9F%92%A1");	/* U+1F4A1 */
	check_encode("\x01\x7F\xFF", "%01%7F%FF");
}

static void
test_decode(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(pct_decode(&b, "a%20b+c%E6%99%BA", 16, 1), 0);
	assert_string_equal(buf_str(&b), "a b c\xE6\x99\xBA");
	buf_reset(&b);
	assert_int_equal(pct_decode(&b, "a+b", 3, 0), 0);
	assert_string_equal(buf_str(&b), "a+b");
	buf_reset(&b);
	assert_int_equal(pct_decode(&b, "%2", 2, 0), -1);
	buf_reset(&b);
	assert_int_equal(pct_decode(&b, "%zz", 3, 0), -1);
	buf_free(&b);
}

static void
test_canonical_sorted_by_bytes(void **state)
{
	struct params p = PARAMS_INIT;
	struct buf b = BUF_INIT;

	(void)state;
	params_set(&p, "b", "2");
	params_set(&p, "TargetDeviceName.10", "x");
	params_set(&p, "TargetDeviceName.2", "y");
	params_set(&p, "A", "1");
	params_set(&p, "Signature", "skipped");
	params_set(&p, "a", "");
	params_canonical(&p, &b);
	/* Byte order: upper case before lower case, ".10" before ".2". */
	assert_string_equal(buf_str(&b), "A=1&TargetDeviceName.10=x&TargetDeviceName.2=y&a=&b=2");
	/* The caller's order is untouched. */
	assert_string_equal(p.v[0].name, "b");
	buf_free(&b);
	params_free(&p);
}

static void
test_params_set_replaces(void **state)
{
	struct params p = PARAMS_INIT;

	(void)state;
	params_set(&p, "k", "1");
	params_set(&p, "k", "2");
	assert_int_equal(p.n, 1);
	assert_string_equal(params_get(&p, "k"), "2");
	assert_int_equal(params_del(&p, "k"), 1);
	assert_int_equal(params_del(&p, "k"), 0);
	assert_null(params_get(&p, "k"));
	params_free(&p);
}

static void
test_doc_string_to_sign(void **state)
{
	struct params p = PARAMS_INIT;
	struct buf b = BUF_INIT;
	char *sig;

	(void)state;
	/* Guide section 4.5, the Pub example. */
	params_set(&p, "Action", "Pub");
	params_set(&p, "MessageContent", "aGVsbG8gd29ybGQ");
	params_set(&p, "Timestamp", "2018-07-31T07:43:57Z");
	params_set(&p, "SignatureVersion", "1.0");
	params_set(&p, "Format", "XML");
	params_set(&p, "Qos", "0");
	params_set(&p, "SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
	params_set(&p, "Version", "2018-01-20");
	params_set(&p, "AccessKeyId", "testid");
	params_set(&p, "SignatureMethod", "HMAC-SHA1");
	params_set(&p, "RegionId", "cn-shanghai");
	params_set(&p, "ProductKey", "12345abcde");
	params_set(&p, "TopicFullName", "/12345abcde/testdevice/user/get");
	sign_v1_string_to_sign("GET", &p, &b);
	assert_string_equal(buf_str(&b),
	    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DPub%26Format%3DXML%26MessageContent"
	    "%3DaGVsbG8gd29ybGQ%26ProductKey%3D12345abcde%26Qos%3D0%26RegionId%3Dcn-shanghai"
	    "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad8"
	    "2fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2018-07-31T07%253A43%253A57Z%26Top"
	    "icFullName%3D%252F12345abcde%252Ftestdevice%252Fuser%252Fget%26Version%3D2018-01-20");
	sig = sign_v1("GET", &p, "testsecret");
	assert_string_equal(sig, "NUh3otvAoXOZmG/a2gDShh6Ze9w=");
	free(sig);
	buf_free(&b);
	params_free(&p);
}

static void
test_vectors(void **state)
{
	char *text = testutil_read_fixture("signature-v1.jsonl", NULL);
	char *line, *save = NULL;
	int count = 0;

	(void)state;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		cJSON *v = cJSON_Parse(line), *it;
		struct params p = PARAMS_INIT;
		char *sig;

		assert_non_null(v);
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(v, "params"))
			params_set(&p, it->string, it->valuestring);
		sig = sign_v1(cJSON_GetObjectItemCaseSensitive(v, "method")->valuestring, &p,
		    cJSON_GetObjectItemCaseSensitive(v, "secret")->valuestring);
		if (strcmp(sig, cJSON_GetObjectItemCaseSensitive(v, "signature")->valuestring) != 0)
			fail_msg("vector %s: got %s",
			    cJSON_GetObjectItemCaseSensitive(v, "name")->valuestring, sig);
		free(sig);
		params_free(&p);
		cJSON_Delete(v);
		count++;
	}
	assert_true(count >= 5);
	free(text);
}

static void
test_sha256_and_equal(void **state)
{
	char hex[65];

	(void)state;
	sign_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sign_hmac_sha256_hex("key", 3, "The quick brown fox jumps over the lazy dog", 43, hex);
	assert_string_equal(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
	assert_true(sign_equal("abc", "abc"));
	assert_false(sign_equal("abc", "abd"));
	assert_false(sign_equal("abc", "ab"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_unreserved),
		cmocka_unit_test(test_encode_reserved),
		cmocka_unit_test(test_encode_utf8),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_canonical_sorted_by_bytes),
		cmocka_unit_test(test_params_set_replaces),
		cmocka_unit_test(test_doc_string_to_sign),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_sha256_and_equal),
	};
	return cmocka_run_group_tests_name("sign", tests, NULL, NULL);
}
