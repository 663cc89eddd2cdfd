/* response.c — classifying an answer of the IoT Platform RPC API. */
#include "api/response.h"

#include "core/jsonout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

/* How much of a non-JSON body an error message quotes. */
#define EXCERPT_CHARS 120

void
api_error_clear(struct api_error *err)
{
	free(err->code);
	free(err->message);
	free(err->request_id);
	free(err->host_id);
	free(err->recommend);
	memset(err, 0, sizeof *err);
}

/* A display-safe, single-line copy: runs of white space become one space. */
static char *
one_line(const char *s, size_t len, size_t max_chars)
{
	struct buf flat = BUF_INIT;
	size_t i;
	int space = 0;
	char *out;

	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') {
			space = flat.len > 0;
			continue;
		}
		if (space)
			buf_addc(&flat, ' ');
		space = 0;
		buf_addc(&flat, c);
	}
	out = safetext_excerpt(buf_str(&flat), flat.len, max_chars);
	buf_free(&flat);
	return out;
}

static char *
dup_safe(const char *s)
{
	return s != NULL ? one_line(s, strlen(s), 2000) : NULL;
}

void
api_error_set(struct api_error *err, enum api_status status, const char *code,
    const char *message)
{
	free(err->code);
	free(err->message);
	err->status = status;
	err->code = dup_safe(code);
	err->message = dup_safe(message);
}

const char *
api_json_string(const cJSON *root, const char *name, char *buf, size_t buflen)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, name);

	if (cJSON_IsString(it) && it->valuestring != NULL)
		return it->valuestring;
	if (cJSON_IsNumber(it)) {
		snprintf(buf, buflen, "%.17g", it->valuedouble);
		return buf;
	}
	return NULL;
}

static int
json_is_false(const cJSON *it)
{
	if (cJSON_IsFalse(it))
		return 1;
	return cJSON_IsString(it) && it->valuestring != NULL &&
	    strcmp(it->valuestring, "false") == 0;
}

enum api_status
api_response_classify(long http_status, const char *body, size_t len, cJSON **json,
    struct api_error *err)
{
	cJSON *root;
	char nb[32];
	const char *code, *msg;
	char *excerpt;

	*json = NULL;
	memset(err, 0, sizeof *err);
	err->http_status = http_status;

	if (len == 0) {
		excerpt = xasprintf("empty answer (HTTP %ld)", http_status);
		api_error_set(err, API_ERR_BAD_RESPONSE, "BadResponse", excerpt);
		free(excerpt);
		return err->status;
	}
	root = cJSON_ParseWithLength(body, len);
	if (root == NULL || !cJSON_IsObject(root)) {
		char *ex = one_line(body, len, EXCERPT_CHARS);
		excerpt = xasprintf("answer is not a JSON object (HTTP %ld, %zu bytes): %s",
		    http_status, len, ex);
		api_error_set(err, API_ERR_BAD_RESPONSE, "BadResponse", excerpt);
		free(ex);
		free(excerpt);
		cJSON_Delete(root);
		return err->status;
	}
	/* Numbers keep the text the answer wrote (cJSON keeps only a double), so what is
	 * printed or exported is what the service sent. */
	jsonout_keep_number_text(root, body, len);

	err->request_id = dup_safe(api_json_string(root, "RequestId", nb, sizeof nb));
	if (http_status >= 400) {
		err->host_id = dup_safe(api_json_string(root, "HostId", nb, sizeof nb));
		err->recommend = dup_safe(api_json_string(root, "Recommend", nb, sizeof nb));
		code = api_json_string(root, "Code", nb, sizeof nb);
		code = code != NULL ? code : (http_status >= 500 ? "InternalError" : "HTTPError");
		err->code = dup_safe(code);
		msg = api_json_string(root, "Message", nb, sizeof nb);
		if (msg == NULL)
			msg = api_json_string(root, "ErrorMessage", nb, sizeof nb);
		if (msg == NULL) {
			excerpt = xasprintf("HTTP %ld without a message", http_status);
			err->message = dup_safe(excerpt);
			free(excerpt);
		} else
			err->message = dup_safe(msg);
		err->status = API_ERR_GATEWAY;
		cJSON_Delete(root);
		return err->status;
	}
	if (http_status < 200 || http_status >= 300) {
		excerpt = xasprintf("unexpected HTTP status %ld", http_status);
		err->status = API_ERR_BAD_RESPONSE;
		err->code = xstrdup("BadResponse");
		err->message = excerpt;
		cJSON_Delete(root);
		return err->status;
	}
	if (json_is_false(cJSON_GetObjectItemCaseSensitive(root, "Success"))) {
		code = api_json_string(root, "Code", nb, sizeof nb);
		err->code = dup_safe(code != NULL ? code : "UnknownError");
		msg = api_json_string(root, "ErrorMessage", nb, sizeof nb);
		if (msg == NULL)
			msg = api_json_string(root, "Message", nb, sizeof nb);
		err->message = dup_safe(msg != NULL ? msg : "the call failed without a message");
		err->status = API_ERR_BUSINESS;
		cJSON_Delete(root);
		return err->status;
	}
	free(err->request_id);
	err->request_id = NULL;
	*json = root;
	return API_OK;
}

char *
api_error_format(const struct api_error *err)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, err->code != NULL ? err->code : api_status_name(err->status));
	buf_adds(&b, ": ");
	buf_adds(&b, err->message != NULL ? err->message : "(no message)");
	if (err->request_id != NULL)
		buf_addf(&b, " (RequestId %s)", err->request_id);
	return buf_detach(&b);
}

int
api_error_not_found(const struct api_error *err)
{
	/* The guide's codes for a thing that is not there: NotExisted..., ...NotExist, and
	 * OTA's Invalid...Id for an id that names nothing. */
	static const char *const invalid_ids[] = {
		".InvalidJobId", ".InvalidTaskId", ".InvalidFirmwareId", ".InvalidFirmwareUid",
		NULL
	};
	const char *c = err->code;
	size_t n, k, i;

	if (err->status != API_ERR_BUSINESS && err->status != API_ERR_GATEWAY)
		return 0;
	if (c == NULL || strncmp(c, "iot.", 4) != 0)
		return 0;
	if (strstr(c, "NotExist") != NULL)
		return 1;
	n = strlen(c);
	for (i = 0; invalid_ids[i] != NULL; i++) {
		k = strlen(invalid_ids[i]);
		if (n > k && strcmp(c + n - k, invalid_ids[i]) == 0)
			return 1;
	}
	return 0;
}

const char *
api_status_name(enum api_status status)
{
	switch (status) {
	case API_OK:			return "ok";
	case API_ERR_BUSINESS:		return "API error";
	case API_ERR_GATEWAY:		return "gateway error";
	case API_ERR_BAD_RESPONSE:	return "bad response";
	case API_ERR_NETWORK:		return "network error";
	case API_ERR_TIMEOUT:		return "timeout";
	case API_ERR_CONFIG:		return "configuration error";
	}
	return "error";
}

int64_t
api_retry_after_ns(const char *value, size_t len, int64_t max_ns)
{
	const int64_t ms_ns = 1000000;
	int64_t max_ms = max_ns / ms_ns, ms = 0;
	size_t i = 0;

	if (max_ns <= 0)
		return 0;
	while (i < len && (value[i] == ' ' || value[i] == '\t'))
		i++;
	if (i == len || value[i] < '0' || value[i] > '9')
		return 0;
	for (; i < len && value[i] >= '0' && value[i] <= '9'; i++) {
		ms = ms * 10 + (value[i] - '0');
		if (ms > max_ms)
			return max_ns;	/* stop before ms * 10 could overflow */
	}
	return ms * ms_ns;
}
