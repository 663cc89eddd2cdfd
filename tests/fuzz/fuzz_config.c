/* fuzz_config.c — libFuzzer target for the theme, keymap and config file parser (and the
 * key names it reads). Every input must load without a crash, leak or hang.
 *
 * The input is also cut at every "%%\n" into up to 8 files a..h of one directory, loaded
 * from a: their "source b" lines (any number of them, to any depth) exercise the loader's
 * loop, depth, file and line caps.
 *
 * fuzz-sources: src/ui/config.c src/ui/config_parse.c src/ui/named.c src/ui/keys.c src/ui/theme.c src/core/safetext.c src/core/buf.c src/core/xmalloc.c
 * fuzz-pkgs: ncursesw
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ui/config.h"
#include "ui/keys.h"

/* The parser looks these up for "source default"; the fuzzer needs no built-ins. */
const char builtin_theme_default[] = "color default white black\n";
const char builtin_keymap_default[] = "bind generic q quit\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFILES 8

/* Writes the parts of data into dir/a..h (parts beyond the input are empty files). */
static void
write_parts(const char *dir, const uint8_t *data, size_t size)
{
	char path[256];
	size_t start = 0, end;
	int i;
	FILE *f;

	for (i = 0; i < NFILES; i++) {
		for (end = start; end + 2 < size + 0 && !(data[end] == '%' && data[end + 1] == '%' &&
		    data[end + 2] == '\n'); end++)
			;
		if (end + 2 >= size)
			end = size;
		snprintf(path, sizeof path, "%s/%c", dir, 'a' + i);
		f = fopen(path, "wb");
		if (f == NULL)
			abort();
		if (start < end && i < NFILES - 1)
			fwrite(data + start, 1, end - start, f);
		else if (start < size && i == NFILES - 1)
			fwrite(data + start, 1, size - start, f);
		fclose(f);
		start = end < size ? end + 3 : size;
	}
}

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
	{
		static char dir[] = "/dev/shm/iotdeck-fuzz-config-XXXXXX";
		static int made;
		char path[300];

		if (memmem(data, size, "%%\n", 3) == NULL)
			goto keys;	/* one file: config_load_text above had it */
		if (!made) {
			if (mkdtemp(dir) == NULL)
				abort();
			made = 1;
		}
		write_parts(dir, data, size);
		snprintf(path, sizeof path, "%s/a", dir);
		c = config_new();
		config_load_file(c, CONFIG_KEYMAP, path, &req);
		config_free(c);
	}
keys:
	if (keys_parse(text, &key, &cause) == 0)
		keys_format(key, name, sizeof name);
	free(cause);
	free(text);
	return 0;
}
