/* fuzz_targets.c — libFuzzer target for what `iotdeck set`, `invoke` and `audit` read from
 * outside: the first byte chooses
 *   0  a --from file (one target a line) and the words of set and invoke (split at
 *      spaces): parsed targets are well formed, refusals say why;
 *   1  an audit log (one JSON object a line) shown by `iotdeck audit` as a table and as
 *      JSON, and --since durations.
 * Nothing may crash, leak or hang; nothing unsafe may reach the output (the table's cells
 * are display-safe, JSON goes through core/jsonout).
 *
 * fuzz-sources: src/cli/targets.c src/cli/audit.c src/op/audit.c src/ui/text.c src/api/pager.c src/api/worker.c src/api/worker_transfer.c src/core/clock.c src/api/throttle.c src/api/client.c src/api/endpoint.c src/api/renew.c src/api/place.c src/api/sign.c src/api/sign_v3.c src/api/params.c src/api/actions.c src/api/response.c src/api/jsonpath.c src/api/tslvalue.c src/api/model.c src/core/jsonout.c src/core/safetext.c src/core/buf.c src/core/xmalloc.c src/core/timefmt.c src/core/secret.c
 * fuzz-pkgs: libcurl openssl
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/audit.h"
#include "cli/targets.h"
#include "core/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int devnull;

static void
check_targets(const struct targets_args *a)
{
	size_t i;

	for (i = 0; i < a->targets.n; i++) {
		const struct target *t = &a->targets.v[i];
		if (t->iot_id == NULL && (t->product_key == NULL || t->device_name == NULL ||
		    *t->product_key == '\0' || *t->device_name == '\0'))
			abort();
		if (t->source == NULL)
			abort();
	}
}

static void
fuzz_words(const char *text, size_t len)
{
	struct targets_args a;
	char *copy = xstrndup(text, len), *words[64], *save = NULL, *w, *cause = NULL;
	FILE *f;
	int n = 1, invoke;

	/* The whole input is a --from file as well. */
	f = fopen(path, "w");
	if (f != NULL) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	words[0] = (char *)"set";
	words[n++] = (char *)"--from";
	words[n++] = path;
	for (w = strtok_r(copy, " \n", &save); w != NULL && n < 64; w = strtok_r(NULL, " \n",
	    &save))
		words[n++] = w;
	for (invoke = 0; invoke < 2; invoke++) {
		if (targets_parse(invoke, words, n, &a, &cause) == 0) {
			check_targets(&a);
			targets_args_free(&a);
		} else {
			if (cause == NULL || *cause == '\0')
				abort();
			free(cause);
			cause = NULL;
		}
	}
	free(copy);
}

static void
fuzz_audit(const char *text, size_t len)
{
	struct global_opts o;
	char *words[4], *copy = xstrndup(text, len < 24 ? len : 24);
	int64_t ms;
	int saved;
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		free(copy);
		return;
	}
	fwrite(text, 1, len, f);
	fclose(f);
	memset(&o, 0, sizeof o);
	o.audit_log = path;
	words[0] = (char *)"audit";
	/* Its notes on standard error go nowhere (libFuzzer's reports still do not). */
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(devnull, STDERR_FILENO);
	cmd_audit(&o, words, 1);
	words[1] = (char *)"--json";
	cmd_audit(&o, words, 2);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	(void)audit_parse_duration(copy, &ms);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		snprintf(path, sizeof path, "/tmp/iotdeck-fuzz-targets-%d", (int)getpid());
		/* The table and the JSON go nowhere: only crashes matter. */
		if (freopen("/dev/null", "w", stdout) == NULL)
			abort();
		devnull = open("/dev/null", O_WRONLY);
		ready = 1;
	}
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_audit((const char *)data + 1, size - 1);
	else
		fuzz_words((const char *)data + 1, size - 1);
	return 0;
}
