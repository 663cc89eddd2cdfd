/* test_response.c — classifying answers: success, both error shapes, non-JSON bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/response.h"
#include "core/jsonout.h"

static enum api_status
classify(long http, const char *body, cJSON **json, struct api_error *err)
{
	return api_response_classify(http, body, strlen(body), json, err);
}

static void
test_success(void **state)
{
	cJSON *json;
	struct api_error err;

	(void)state;
	assert_int_equal(classify(200, "{\"RequestId\":\"R1\",\"Success\":true,\"Data\":{}}",
	    &json, &err), API_OK);
	assert_non_null(json);
	assert_int_equal(err.status, API_OK);
	cJSON_Delete(json);
	/* No Success member at all (some answers omit it) is a success too. */
	assert_int_equal(classify(200, "{\"RequestId\":\"R1\"}", &json, &err), API_OK);
	cJSON_Delete(json);
	api_error_clear(&err);
}

static void
test_business_error(void **state)
{
	cJSON *json;
	struct api_error err;
	char *line;

	(void)state;
	assert_int_equal(classify(200,
	    "{\"RequestId\":\"57b144cf-09fc-4916-a272-a62902d5b207\",\"Success\":false,"
	    "\"Code\":\"iot.prod.NotExistedProduct\",\"ErrorMessage\":\"product not found\"}",
	    &json, &err), API_ERR_BUSINESS);
	assert_null(json);
	assert_string_equal(err.code, "iot.prod.NotExistedProduct");
	assert_string_equal(err.message, "product not found");
	assert_string_equal(err.request_id, "57b144cf-09fc-4916-a272-a62902d5b207");
	assert_int_equal(err.http_status, 200);
	line = api_error_format(&err);
	assert_string_equal(line, "iot.prod.NotExistedProduct: product not found "
	    "(RequestId 57b144cf-09fc-4916-a272-a62902d5b207)");
	free(line);
	api_error_clear(&err);
	assert_int_equal(err.status, API_OK);
	assert_null(err.code);
	/* Success as a string, message under Message instead of ErrorMessage. */
	assert_int_equal(classify(200, "{\"Success\":\"false\",\"Code\":\"x\",\"Message\":\"m\"}",
	    &json, &err), API_ERR_BUSINESS);
	assert_string_equal(err.message, "m");
	assert_null(err.request_id);
	api_error_clear(&err);
}

static void
test_gateway_error(void **state)
{
	cJSON *json;
	struct api_error err;

	(void)state;
	assert_int_equal(classify(400,
	    "{\"RequestId\":\"8906582E-6722-409A-A6C4-0E7863B733A5\",\"HostId\":\"iot.cn-shanghai"
	    ".aliyuncs.com\",\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"Specified signature "
	    "is not matched with our calculation.\",\"Recommend\":\"https://example/diag\"}",
	    &json, &err), API_ERR_GATEWAY);
	assert_string_equal(err.code, "SignatureDoesNotMatch");
	assert_string_equal(err.request_id, "8906582E-6722-409A-A6C4-0E7863B733A5");
	assert_string_equal(err.host_id, "iot.cn-shanghai.aliyuncs.com");
	assert_string_equal(err.recommend, "https://example/diag");
	assert_int_equal(err.http_status, 400);
	api_error_clear(&err);

	assert_int_equal(classify(503, "{\"Code\":\"ServiceUnavailable\",\"Message\":\"busy\"}",
	    &json, &err), API_ERR_GATEWAY);
	assert_string_equal(err.code, "ServiceUnavailable");
	api_error_clear(&err);
	/* A JSON error without a code still gets one. */
	assert_int_equal(classify(500, "{}", &json, &err), API_ERR_GATEWAY);
	assert_string_equal(err.code, "InternalError");
	assert_non_null(err.message);
	api_error_clear(&err);
}

static void
test_not_json(void **state)
{
	cJSON *json;
	struct api_error err;

	(void)state;
	assert_int_equal(classify(502, "<html>\n<head><title>502 Bad Gateway</title></head>\n"
	    "<body>nginx</body></html>", &json, &err), API_ERR_BAD_RESPONSE);
	assert_null(json);
	assert_int_equal(err.http_status, 502);
	assert_non_null(strstr(err.message, "HTTP 502"));
	assert_non_null(strstr(err.message, "<html> <head><title>502 Bad Gateway"));
	assert_null(strchr(err.message, '\n'));
	api_error_clear(&err);

	assert_int_equal(api_response_classify(200, "", 0, &json, &err), API_ERR_BAD_RESPONSE);
	assert_non_null(strstr(err.message, "empty answer (HTTP 200)"));
	api_error_clear(&err);

	/* Truncated JSON. */
	assert_int_equal(classify(200, "{\"RequestId\":\"R\",\"Data\":{\"List\":[", &json, &err),
	    API_ERR_BAD_RESPONSE);
	api_error_clear(&err);
	/* JSON that is not an object. */
	assert_int_equal(classify(200, "[1,2]", &json, &err), API_ERR_BAD_RESPONSE);
	api_error_clear(&err);
	/* A redirect page is not an answer either. */
	assert_int_equal(classify(302, "{}", &json, &err), API_ERR_BAD_RESPONSE);
	api_error_clear(&err);
}

static void
test_hostile_text_is_made_safe(void **state)
{
	cJSON *json;
	struct api_error err;
	char body[4096];
	size_t i;

	(void)state;
	/* An escape sequence in a message and binary junk in a body must come out inert. */
	assert_int_equal(classify(200, "{\"Success\":false,\"Code\":\"c\\u001b[2J\","
	    "\"ErrorMessage\":\"a\\u001b]0;owned\\u0007b\\u202Ec\"}", &json, &err),
	    API_ERR_BUSINESS);
	assert_null(strchr(err.code, '\033'));
	assert_null(strchr(err.message, '\033'));
	assert_null(strchr(err.message, '\007'));
	assert_null(strstr(err.message, "\xE2\x80\xAE"));
	assert_non_null(strstr(err.message, "\xE2\x90\x9B]0;owned"));	/* ␛]0;owned */
	api_error_clear(&err);

	for (i = 0; i < sizeof body; i++)
		body[i] = (char)(i * 7 + 1);
	assert_int_equal(api_response_classify(500, body, sizeof body, &json, &err),
	    API_ERR_BAD_RESPONSE);
	for (i = 0; err.message[i]; i++)
		assert_true((unsigned char)err.message[i] >= 0x20);
	assert_true(strlen(err.message) < 700);	/* an excerpt, not the whole body */
	api_error_clear(&err);
}

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(api_status_name(API_ERR_TIMEOUT), "timeout");
	assert_string_equal(api_status_name(API_ERR_NETWORK), "network error");
}

/* Numbers of an answer are printed as the service wrote them, not as a double. */
static void
test_numbers_keep_their_text(void **state)
{
	const char *body = "{\"RequestId\":\"r\",\"Success\":true,\"Data\":{\"Big\":"
	    "12345678901234567890,\"Price\":0.10,\"Exp\":1E+3,\"List\":[-0,7]}}";
	struct api_error err;
	cJSON *json = NULL;
	char *text;

	(void)state;
	assert_int_equal(api_response_classify(200, body, strlen(body), &json, &err), API_OK);
	text = jsonout_print(json, JSONOUT_COMPACT);
	assert_string_equal(text, body);
	free(text);
	cJSON_Delete(json);
	api_error_clear(&err);
}

/* x-acs-retry-after: clamped before any arithmetic (a huge value once overflowed a signed
 * multiplication in the worker). */
static void
test_retry_after_clamped(void **state)
{
	const int64_t cap = 120LL * 1000000000;
	const char *huge = "99999999999999999999999999999";

	(void)state;
	assert_true(api_retry_after_ns(" 1500\r\n", 7, cap) == 1500LL * 1000000);
	assert_true(api_retry_after_ns("30", 2, cap) == 30LL * 1000000);
	assert_true(api_retry_after_ns(huge, strlen(huge), cap) == cap);
	assert_true(api_retry_after_ns("9223372036854775807", 19, cap) == cap);
	assert_true(api_retry_after_ns("-5", 2, cap) == 0);
	assert_true(api_retry_after_ns("soon", 4, cap) == 0);
	assert_true(api_retry_after_ns("", 0, cap) == 0);
	assert_true(api_retry_after_ns("1000", 4, 0) == 0);
	assert_true(api_retry_after_ns("1000", 4, -1) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_business_error),
		cmocka_unit_test(test_gateway_error),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_hostile_text_is_made_safe),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_retry_after_clamped),
		cmocka_unit_test(test_numbers_keep_their_text),
	};
	return cmocka_run_group_tests_name("response", tests, NULL, NULL);
}
