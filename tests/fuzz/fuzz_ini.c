/* fuzz_ini.c — libFuzzer target for the INI reader of the SDK credentials file
 * (src/vault/ini.c), which reads a file of outside input holding secrets.
 *
 * Checks, besides no crash, leak or hang: every value lies inside the input, every name is
 * short printable text, lines are in order and every problem has a line.
 *
 * fuzz-sources: src/vault/ini.c src/core/xmalloc.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vault/ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > INI_NAME_MAX)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ini ini;
	size_t i, k;
	int last = 0;

	if (size > 1024 * 1024)
		return 0;
	ini_parse(&ini, buf, size);
	if (ini.nsections > INI_SECTIONS_MAX || ini.nproblems > INI_PROBLEMS_MAX + 1)
		abort();
	for (i = 0; i < ini.nsections; i++) {
		const struct ini_section *s = &ini.sections[i];

		check_name(s->name);
		if (s->line <= last || s->npairs > INI_PAIRS_MAX)
			abort();
		last = s->line;
		for (k = 0; k < s->npairs; k++) {
			const struct ini_pair *p = &s->pairs[k];

			check_name(p->key);
			if (p->value < buf || p->len > size || p->value + p->len > buf + size ||
			    p->line <= s->line || p->len > INI_LINE_MAX)
				abort();
			if (ini_find(s, p->key) == NULL)
				abort();
		}
	}
	for (i = 0; i < ini.nproblems; i++)
		if (ini.problems[i].line < 1 || ini.problems[i].msg == NULL)
			abort();
	ini_free(&ini);
	return 0;
}
