/* fuzz_response.c — libFuzzer target for everything that reads an API answer: the answer
 * classifier (both error shapes, non-JSON bodies), the list normaliser and every typed
 * model, the thing-model (TSL) parser, paging totals, and display-safe text.
 *
 * fuzz-sources: src/api/response.c src/api/model.c src/api/jsonpath.c src/api/actions.c src/api/params.c src/core/jsonout.c src/core/safetext.c src/core/buf.c src/core/xmalloc.c
 * fuzz-pkgs: openssl
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "api/jsonpath.h"
#include "api/model.h"
#include "api/response.h"
#include "core/safetext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 404, 500, 503 };
	struct api_error err;
	struct model_list list;
	struct model_tsl tsl;
	struct jsonpath_page page;
	cJSON *json = NULL;
	char *cause = NULL, *s;
	int kind;

	if (api_response_classify(statuses[size % 5], (const char *)data, size, &json,
	    &err) == API_OK) {
		for (kind = 0; kind < MODEL_KIND_COUNT; kind++) {
			model_list_parse((enum model_kind)kind, json, NULL, &list);
			model_list_free(&list);
		}
		model_list_parse(MODEL_DEVICE, json, "Data|Data.SimpleDeviceInfo", &list);
		model_list_free(&list);
		jsonpath_page_parse(json, &page);
		jsonpath_page_clear(&page);
		if (model_tsl_from_response(json, &tsl, &cause) != 0)
			free(cause);
		model_tsl_clear(&tsl);
		cJSON_Delete(json);
	} else {
		s = api_error_format(&err);
		free(s);
		api_error_clear(&err);
	}
	cause = NULL;
	if (model_tsl_parse((const char *)data, size, &tsl, &cause) != 0)
		free(cause);
	model_tsl_clear(&tsl);
	s = safetext_dup((const char *)data, size);
	free(s);
	return 0;
}
