/* fuzz_config.c — libFuzzer target for the theme, keymap and config file parser (and the
 * key names it reads). Every input must load without a crash, leak or hang.
 *
 * fuzz-sources: src/ui/config.c src/ui/keys.c src/ui/theme.c src/core/safetext.c src/core/buf.c src/core/xmalloc.c
 * fuzz-pkgs: ncursesw
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/config.h"
#include "ui/keys.h"

/* The parser looks these up for "source default"; the fuzzer needs no built-ins. */
const char builtin_theme_default[] = "color default white black\n";
const char builtin_keymap_default[] = "bind generic q quit\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_request req = { 0 };
	struct config *c;
	char *text = malloc(size + 1), *cause = NULL, name[KEYS_NAME_MAX];
	uint32_t key;
	int kind;

	memcpy(text, data, size);
	text[size] = '\0';
	req.config_home = "/nonexistent";
	req.datadir = "/nonexistent";
	for (kind = CONFIG_THEME; kind <= CONFIG_SETTINGS; kind++) {
		c = config_new();
		config_load_text(c, (enum config_kind)kind, "/fuzz/input", text, size, &req);
		config_free(c);
	}
	if (keys_parse(text, &key, &cause) == 0)
		keys_format(key, name, sizeof name);
	free(cause);
	free(text);
	return 0;
}
