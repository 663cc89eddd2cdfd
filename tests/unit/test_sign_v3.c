/* test_sign_v3.c — the client's signature v3 against the official SDK's own signer.
 *
 * tests/fixtures/signature-v3.jsonl was written by tests/conformance/v3vectors.js with
 * @alicloud/openapi-client's doRequest and @alicloud/openapi-util's getAuthorization
 * (fixed date, nonce and key); tests/conformance/run regenerates it and fails when the
 * two differ. $IOTDECK_SIGN_V3_VECTORS names another file (what the conformance run just
 * generated). Every vector is checked: the headers iotdeck signs, the body, the canonical
 * request, the string to sign and the Authorization header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "api/client.h"
#include "api/sign.h"
#include "api/sign_v3.h"
#include "cli/credentials.h"
#include "cli/options.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "testutil.h"

static char *
read_vectors(void)
{
	const char *path = getenv("IOTDECK_SIGN_V3_VECTORS");
	FILE *f;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (path == NULL || *path == '\0')
		return testutil_read_fixture("signature-v3.jsonl", NULL);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static const char *
str(const cJSON *v, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(v, name);

	if (!cJSON_IsString(it))
		fail_msg("vector field %s is not a string", name);
	return it->valuestring;
}

/* [[name, value], ...] into p. */
static void
pairs(const cJSON *v, const char *name, struct params *p)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(v, name))
		params_add(p, cJSON_GetArrayItem(it, 0)->valuestring,
		    cJSON_GetArrayItem(it, 1)->valuestring);
}

static void
expect_equal(const char *vector, const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("vector %s: %s differs from the SDK's\n got: %s\nwant: %s", vector, what,
		    got, want);
}

static void
check_vector(const cJSON *v)
{
	const char *name = str(v, "name");
	const cJSON *token = cJSON_GetObjectItemCaseSensitive(v, "security_token");
	const cJSON *headers = cJSON_GetObjectItemCaseSensitive(v, "headers"), *h;
	struct api_config cfg;
	struct api_prepared req;
	struct params query = PARAMS_INIT, form = PARAMS_INIT;
	struct buf canon = BUF_INIT, sts = BUF_INIT, qs = BUF_INIT;
	const char *got;
	char *url;

	api_config_init(&cfg);
	cfg.endpoint = xstrdup(str(v, "endpoint"));
	cfg.access_key_id = xstrdup(str(v, "access_key_id"));
	api_config_set_secret(&cfg, str(v, "access_key_secret"));
	if (cJSON_IsString(token))
		cfg.security_token = xstrdup(token->valuestring);
	cfg.signature = API_SIGNATURE_V3;
	pairs(v, "query", &query);
	pairs(v, "form", &form);

	api_prepare_v3(&cfg, str(v, "action"), str(v, "version"), &query, &form,
	    str(v, "date"), str(v, "nonce"), &req);
	assert_true(req.v3);
	expect_equal(name, "body", buf_str(&req.body), str(v, "body"));
	expect_equal(name, "path", req.path, str(v, "path"));
	/* The same signed headers with the same values. */
	if ((size_t)cJSON_GetArraySize(headers) != req.headers.n)
		fail_msg("vector %s: %zu signed headers, the SDK signs %d", name, req.headers.n,
		    cJSON_GetArraySize(headers));
	cJSON_ArrayForEach(h, headers) {
		got = params_get(&req.headers, h->string);
		if (got == NULL)
			fail_msg("vector %s: header %s not signed", name, h->string);
		expect_equal(name, h->string, got, h->valuestring);
	}
	sign_v3_canonical_request("POST", req.path, &req.params, &req.headers, req.payload_hash,
	    &canon);
	expect_equal(name, "canonical request", buf_str(&canon), str(v, "canonical_request"));
	sign_v3_string_to_sign(buf_str(&canon), &sts);
	expect_equal(name, "string to sign", buf_str(&sts), str(v, "string_to_sign"));
	expect_equal(name, "Authorization", req.authorization, str(v, "authorization"));
	/* The URL carries the query that was signed. */
	sign_v3_canonical_query(&query, &qs);
	url = qs.len > 0 ? xasprintf("%s?%s", cfg.endpoint, buf_str(&qs)) : xstrdup(cfg.endpoint);
	expect_equal(name, "URL", req.url, url);

	free(url);
	buf_free(&qs);
	buf_free(&canon);
	buf_free(&sts);
	params_free(&query);
	params_free(&form);
	api_prepared_free(&req);
	api_config_free(&cfg);
}

static void
test_sdk_vectors(void **state)
{
	char *text = read_vectors(), *line, *save = NULL;
	int count = 0;

	(void)state;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		cJSON *v = cJSON_Parse(line);

		assert_non_null(v);
		check_vector(v);
		cJSON_Delete(v);
		count++;
	}
	assert_true(count >= 10);
	printf("sign_v3: %d SDK vectors matched\n", count);
	free(text);
}

static void
config_v3(struct api_config *cfg)
{
	api_config_init(cfg);
	cfg->endpoint = xstrdup("http://127.0.0.1:8080/");
	cfg->region = xstrdup("cn-shanghai");
	cfg->access_key_id = xstrdup("LTAItestkey");
	api_config_set_secret(cfg, "very-secret-value");
	cfg->signature = API_SIGNATURE_V3;
}

/* api_prepare's own choices: no common parameters, the API's in the query. */
static void
test_prepare_places_query(void **state)
{
	struct api_config cfg;
	struct api_prepared req;
	struct params user = PARAMS_INIT;

	(void)state;
	config_v3(&cfg);
	cfg.instance_id = xstrdup("iot-cn-0pp1n8t");
	params_set(&user, "ProductKey", "pk");
	params_set(&user, "Nickname", "智能灯 one");
	api_prepare_at(&cfg, "QueryDevice", &user, "2026-01-02T03:04:05Z", &req);
	assert_true(req.v3);
	assert_int_equal(req.params.n, 3);
	assert_string_equal(params_get(&req.params, "IotInstanceId"), "iot-cn-0pp1n8t");
	assert_string_equal(params_get(&req.params, "Nickname"), "智能灯 one");
	assert_null(params_get(&req.params, "RegionId"));
	assert_null(params_get(&req.params, "Action"));
	assert_int_equal(req.form.n, 0);
	assert_int_equal(req.body.len, 0);
	assert_string_equal(params_get(&req.headers, "host"), "127.0.0.1:8080");
	assert_string_equal(params_get(&req.headers, "x-acs-action"), "QueryDevice");
	assert_string_equal(params_get(&req.headers, "x-acs-version"), "2018-01-20");
	assert_string_equal(params_get(&req.headers, "x-acs-date"), "2026-01-02T03:04:05Z");
	assert_string_equal(params_get(&req.headers, "x-acs-signature-nonce"), req.nonce);
	assert_int_equal(strlen(req.nonce), 32);
	assert_null(params_get(&req.headers, "content-type"));
	assert_null(params_get(&req.headers, "x-acs-security-token"));
	assert_string_equal(req.url, "http://127.0.0.1:8080/?IotInstanceId=iot-cn-0pp1n8t&"
	    "Nickname=%E6%99%BA%E8%83%BD%E7%81%AF%20one&ProductKey=pk");
	assert_non_null(strstr(req.authorization, "SignedHeaders=host;x-acs-action;"
	    "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="));
	assert_null(strstr(req.authorization, "very-secret-value"));
	api_prepared_free(&req);

	/* Without the option: v1, as before. */
	cfg.signature = 0;
	api_prepare_at(&cfg, "QueryDevice", &user, "2026-01-02T03:04:05Z", &req);
	assert_false(req.v3);
	assert_non_null(params_get(&req.params, "Signature"));
	api_prepared_free(&req);
	params_free(&user);
	api_config_free(&cfg);
}

/* A query too long for a request line: every parameter goes in a signed form body. */
static void
test_prepare_long_query_in_body(void **state)
{
	struct api_config cfg;
	struct api_prepared req;
	struct params user = PARAMS_INIT;
	char name[32], value[32], hash[65];
	int i;

	(void)state;
	config_v3(&cfg);
	params_set(&user, "ProductKey", "pk");
	for (i = 1; i <= 1000; i++) {
		snprintf(name, sizeof name, "DeviceName.%d", i);
		snprintf(value, sizeof value, "device-%04d", i);
		params_set(&user, name, value);
	}
	api_prepare_at(&cfg, "BatchCheckDeviceNames", &user, "2026-01-02T03:04:05Z", &req);
	assert_true(req.v3);
	assert_int_equal(req.params.n, 0);
	assert_int_equal(req.form.n, 1001);
	assert_string_equal(req.url, "http://127.0.0.1:8080/");
	assert_string_equal(params_get(&req.headers, "content-type"),
	    "application/x-www-form-urlencoded");
	sign_sha256_hex(buf_str(&req.body), req.body.len, hash);
	assert_string_equal(params_get(&req.headers, "x-acs-content-sha256"), hash);
	assert_non_null(strstr(buf_str(&req.body), "&DeviceName.1000=device-1000"));
	assert_non_null(strstr(req.authorization, "SignedHeaders=content-type;host;"));
	api_prepared_free(&req);
	params_free(&user);
	api_config_free(&cfg);
}

/* --verbose: the headers and parameters, never the signature, token or secret. */
static void
test_trace_redacts(void **state)
{
	struct api_config cfg;
	struct api_prepared req;
	char *text = NULL;
	size_t len = 0;
	const char *sig;

	(void)state;
	config_v3(&cfg);
	cfg.security_token = xstrdup("CAIS-secret-token-value");
	cfg.trace = open_memstream(&text, &len);
	api_prepare(&cfg, "QueryProductList", NULL, &req);
	assert_non_null(params_get(&req.headers, "x-acs-security-token"));
	assert_string_equal(params_get(&req.headers, "x-acs-accesskey-id"), "LTAItestkey");
	api_trace_request(&cfg, &req);
	fclose(cfg.trace);
	cfg.trace = NULL;
	assert_non_null(strstr(text, "> POST http://127.0.0.1:8080/ (signature v3; "
	    "RegionId=cn-shanghai picks the endpoint, not sent)"));
	assert_non_null(strstr(text, "x-acs-action: QueryProductList"));
	assert_non_null(strstr(text, "x-acs-security-token: <redacted>"));
	assert_non_null(strstr(text, ",Signature=<redacted>"));
	assert_null(strstr(text, "CAIS-secret-token-value"));
	assert_null(strstr(text, "very-secret-value"));
	sig = strstr(req.authorization, ",Signature=") + strlen(",Signature=");
	assert_int_equal(strlen(sig), 64);
	assert_null(strstr(text, sig));
	free(text);
	api_prepared_free(&req);
	api_config_free(&cfg);
}

static void
test_signature_names(void **state)
{
	(void)state;
	assert_int_equal(api_signature_parse("v1"), API_SIGNATURE_V1);
	assert_int_equal(api_signature_parse("v3"), API_SIGNATURE_V3);
	assert_int_equal(api_signature_parse("V3"), 0);
	assert_int_equal(api_signature_parse("v2"), 0);
	assert_int_equal(api_signature_parse(""), 0);
	assert_int_equal(api_signature_parse(NULL), 0);
	assert_string_equal(api_signature_name(API_SIGNATURE_V3), "v3");
	assert_string_equal(api_signature_name(0), "v1");
}

/* --signature, else the profile's, else IOTDECK_SIGNATURE, else v1. */
static void
test_signature_order(void **state)
{
	struct global_opts o;
	struct api_config cfg;
	struct credential c;
	char *cause = NULL;

	(void)state;
	memset(&o, 0, sizeof o);
	api_config_init(&cfg);
	unsetenv(API_SIGNATURE_ENV);
	assert_int_equal(opts_resolve_signature(&o, &cfg, &cause), 0);
	assert_int_equal(cfg.signature, API_SIGNATURE_V1);

	setenv(API_SIGNATURE_ENV, "v3", 1);
	cfg.signature = 0;
	assert_int_equal(opts_resolve_signature(&o, &cfg, &cause), 0);
	assert_int_equal(cfg.signature, API_SIGNATURE_V3);

	/* The profile's (as credential_apply copies it) beats the environment. */
	memset(&c, 0, sizeof c);
	c.id = (char *)"LTAIorder";
	c.secret = secret_from("s", 1);
	c.name = (char *)"prof";
	c.signature = API_SIGNATURE_V1;
	assert_int_equal(credential_apply(&c, &cfg, &cause), 0);
	assert_int_equal(cfg.signature, API_SIGNATURE_V1);
	assert_int_equal(opts_resolve_signature(&o, &cfg, &cause), 0);
	assert_int_equal(cfg.signature, API_SIGNATURE_V1);
	/* A profile that names none leaves it to the environment. */
	c.signature = 0;
	assert_int_equal(credential_apply(&c, &cfg, &cause), 0);
	assert_int_equal(opts_resolve_signature(&o, &cfg, &cause), 0);
	assert_int_equal(cfg.signature, API_SIGNATURE_V3);
	/* The option beats the profile. */
	c.signature = API_SIGNATURE_V3;
	assert_int_equal(credential_apply(&c, &cfg, &cause), 0);
	o.signature = API_SIGNATURE_V1;
	assert_int_equal(opts_resolve_signature(&o, &cfg, &cause), 0);
	assert_int_equal(cfg.signature, API_SIGNATURE_V1);

	/* A bad environment value is an error, with the value shown safely. */
	setenv(API_SIGNATURE_ENV, "v3\033[2J", 1);
	assert_int_equal(opts_resolve_signature(&o, &cfg, &cause), -1);
	assert_non_null(strstr(cause, "IOTDECK_SIGNATURE is 'v3"));
	assert_null(strchr(cause, '\033'));
	free(cause);
	unsetenv(API_SIGNATURE_ENV);
	secret_free(c.secret);
	api_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdk_vectors),
		cmocka_unit_test(test_prepare_places_query),
		cmocka_unit_test(test_prepare_long_query_in_body),
		cmocka_unit_test(test_trace_redacts),
		cmocka_unit_test(test_signature_names),
		cmocka_unit_test(test_signature_order),
	};
	return cmocka_run_group_tests_name("sign_v3", tests, NULL, NULL);
}
