/* fuzz_tslvalue.c — libFuzzer target for thing-model values: the input is a TSL (from the
 * network) and, after the first NUL byte, what an operator typed; the text is checked
 * against every property and service input, and shown. Nothing may crash, leak or hang, and
 * an accepted value must be JSON that checks again to the same text.
 *
 * fuzz-sources: src/api/tslvalue.c src/api/model.c src/api/jsonpath.c src/api/actions.c src/api/params.c src/core/jsonout.c src/core/timefmt.c src/core/safetext.c src/core/buf.c src/core/xmalloc.c
 * fuzz-pkgs: openssl
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/model.h"
#include "api/tslvalue.h"
#include "core/jsonout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
try_type(const struct tsl_datatype *dt, const char *id, const char *text)
{
	cJSON *v = NULL, *again = NULL;
	char *cause = NULL, *a, *b, *shown;

	if (tslvalue_parse(dt, id, text, &v, &cause) != 0) {
		free(cause);
		return;
	}
	/* What was accepted checks again, unchanged. */
	if (tslvalue_check(dt, id, v, &again, &cause) != 0)
		abort();
	a = jsonout_print(v, JSONOUT_COMPACT);
	b = jsonout_print(again, JSONOUT_COMPACT);
	if (strcmp(a, b) != 0)
		abort();
	shown = tslvalue_show(dt, v, 0);
	free(shown);
	free(a);
	free(b);
	cJSON_Delete(v);
	cJSON_Delete(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul != NULL ? (size_t)(nul - data) : size, i, k;
	char *text = NULL, *cause = NULL, *d;
	struct model_tsl t;

	memset(&t, 0, sizeof t);
	if (model_tsl_parse((const char *)data, tlen, &t, &cause) != 0) {
		free(cause);
		model_tsl_clear(&t);
		return 0;
	}
	text = nul != NULL ? strndup((const char *)nul + 1, size - tlen - 1) : strdup("1");
	for (i = 0; i < t.property_count; i++) {
		d = tslvalue_describe(&t.properties[i].type);
		free(d);
		try_type(&t.properties[i].type, "p", text);
	}
	for (i = 0; i < t.service_count; i++)
		for (k = 0; k < t.services[i].input_count; k++)
			try_type(&t.services[i].inputs[k].type, "a", text);
	free(text);
	model_tsl_clear(&t);
	return 0;
}
