/* fuzz_vault.c — libFuzzer target for the vault's parsers of outside input: the fixed
 * header (vault_header_parse, which runs on any file before the KDF) and the payload
 * decoder (vault_payload_parse, which runs on decrypted JSON).
 *
 * Every input is given to both. Built by tests/fuzz/run with -DIOTDECK_VAULT_TEST_KDF
 * (the header's KDF bounds are then the test ones, so more headers pass validation).
 *
 * fuzz-sources: src/vault/vault.c src/vault/profile.c src/api/sts_names.c src/vault/vault_file.c src/core/sorted.c src/core/atomicfile.c src/core/safetext.c src/core/clock.c src/core/secret.c src/core/xmalloc.c src/core/buf.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vault/vault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vault_header h;
	struct vault *v;
	char *cause = NULL;
	size_t i;

	if (vault_header_parse(data, size, &h, &cause) == VAULT_OK) {
		/* What the parser accepted must be what the format allows. */
		const struct vault_kdf_limits *l = vault_kdf_limits();

		if (h.version != 1 || h.kdf != 1 || h.aead != 1 ||
		    h.opslimit < l->ops_min || h.opslimit > l->ops_max ||
		    h.memlimit < l->mem_min || h.memlimit > l->mem_max ||
		    h.ct_len + VAULT_HEADER_SIZE != size || h.ct_len < 16)
			abort();
		for (i = 72; i < VAULT_HEADER_SIZE; i++)
			if (data[i] != 0)
				abort();
		if (cause != NULL)
			abort();
	} else if (cause == NULL)
		abort();
	free(cause);
	cause = NULL;

	v = vault_new_detached();
	if (vault_payload_parse(v, (const char *)data, size, &cause) == VAULT_OK) {
		const char *def = vault_default_name(v);

		if (def != NULL && vault_profile_find(v, def) == NULL)
			abort();
		for (i = 0; i < vault_profile_count(v); i++)
			if (!vault_name_valid(vault_profile_at(v, i)->name))
				abort();
	} else if (cause == NULL || vault_profile_count(v) != 0)
		abort();
	free(cause);
	vault_close(v);
	return 0;
}
