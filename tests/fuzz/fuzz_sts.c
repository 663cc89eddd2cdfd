/* fuzz_sts.c — libFuzzer target for the STS AssumeRole answer reader (sts_parse_answer),
 * which reads what an STS endpoint (any server a profile or IOTDECK_STS_ENDPOINT names)
 * sends back, under every HTTP status class. An accepted answer must hold a credential
 * whose every part is usable; a refused one must say why in display-safe text.
 *
 * fuzz-sources: src/api/sts.c src/api/sts_names.c src/api/client.c src/api/endpoint.c src/api/renew.c src/api/response.c src/api/sign.c src/api/sign_v3.c src/api/params.c src/api/actions.c src/core/jsonout.c src/core/safetext.c src/core/secret.c src/core/clock.c src/core/timefmt.c src/core/buf.c src/core/xmalloc.c
 * fuzz-pkgs: libcurl openssl
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 302, 400, 403, 404, 500 };
	struct api_cred c;
	struct api_error err;
	size_t i, k;

	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		if (sts_parse_answer(statuses[i], (const char *)data, size, &c, &err) == API_OK) {
			if (c.id == NULL || *c.id == '\0' || c.secret == NULL || c.token == NULL ||
			    *c.token == '\0' || c.expiry_ms <= 0)
				abort();
			for (k = 0; c.token[k] != '\0'; k++)
				if ((unsigned char)c.token[k] <= 0x20 || (unsigned char)c.token[k] >= 0x7F)
					abort();
			api_cred_clear(&c);
		} else {
			if (err.message == NULL || c.id != NULL || c.secret != NULL)
				abort();
			for (k = 0; err.message[k] != '\0'; k++)
				if ((unsigned char)err.message[k] < 0x20 || err.message[k] == 0x7F)
					abort();
			api_error_clear(&err);
		}
	}
	return 0;
}
