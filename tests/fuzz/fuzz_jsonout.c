/* fuzz_jsonout.c — libFuzzer target for the JSON writer (core/jsonout.c), checking its
 * promises rather than only looking for crashes:
 *   - the input bytes written as a JSON string parse back with cJSON to the input, where
 *     the input is valid UTF-8, else to the input with each bad byte as U+FFFD;
 *   - the input parsed by cJSON, when it parses, and written compact and indented, with
 *     and without the numbers' text kept (jsonout_keep_number_text, which must always
 *     keep in step with a tree cJSON made from the same text), parses back to the same
 *     tree: same types, names and order, the same strings (by the rule above), numbers
 *     that read as the very same double (an infinite one, 1e999, is null unless its
 *     text was kept);
 *   - every output is valid UTF-8 holding no character that safetext_is_unsafe flags,
 *     but the newlines of the indented layout.
 *
 * fuzz-sources: src/core/jsonout.c src/core/safetext.c src/core/buf.c src/core/xmalloc.c
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/jsonout.h"
#include "core/safetext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* What s[0..len) reads back as: bad bytes as U+FFFD, up to the first NUL (cJSON's
 * strings end there). */
static void
expected(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			buf_add(out, "\xEF\xBF\xBD", 3);
			i++;
			continue;
		}
		if (cp == 0)
			break;
		buf_add(out, s + i, n);
		i += n;
	}
}

static void
check_inert(const char *s, size_t len, int newlines)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		CHECK(n != 0);
		CHECK(!safetext_is_unsafe(cp) || (newlines && cp == '\n'));
		i += n;
	}
}

static void
check_string_equal(const char *orig, const char *back)
{
	struct buf want = BUF_INIT;

	orig = orig != NULL ? orig : "";
	CHECK(back != NULL);
	expected(&want, orig, strlen(orig));
	CHECK(strcmp(buf_str(&want), back) == 0);
	buf_free(&want);
}

static void
check_same(const cJSON *a, const cJSON *b, int kept)
{
	const cJSON *x, *y;
	double d;

	if ((a->type & 0xFF) == cJSON_Number) {
		d = a->valuedouble;
		/* Infinite (1e999): null, or kept as its text, which reads back the same. */
		if (!isfinite(d) && (b->type & 0xFF) == cJSON_NULL)
			return;
		CHECK((b->type & 0xFF) == cJSON_Number);
		CHECK(b->valuedouble == d);
		CHECK(isfinite(d) || kept);
		return;
	}
	CHECK((a->type & 0xFF) == (b->type & 0xFF));
	switch (a->type & 0xFF) {
	case cJSON_String:
		check_string_equal(a->valuestring, b->valuestring);
		return;
	case cJSON_Array:
	case cJSON_Object:
		for (x = a->child, y = b->child; x != NULL && y != NULL; x = x->next, y = y->next) {
			if ((a->type & 0xFF) == cJSON_Object)
				check_string_equal(x->string, y->string);
			check_same(x, y, kept);
		}
		CHECK(x == NULL && y == NULL);
		return;
	}
}

static void
check_tree(const cJSON *root, int kept)
{
	static const enum jsonout_style styles[] = { JSONOUT_COMPACT, JSONOUT_INDENT };
	cJSON *back;
	char *text;
	size_t i;

	for (i = 0; i < 2; i++) {
		text = jsonout_print(root, styles[i]);
		check_inert(text, strlen(text), styles[i] == JSONOUT_INDENT);
		back = cJSON_ParseWithOpts(text, NULL, 1);
		CHECK(back != NULL);
		check_same(root, back, kept);
		cJSON_Delete(back);
		free(text);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf b = BUF_INIT;
	cJSON *j, *copy;

	/* The string writer. */
	jsonout_string(&b, s, size);
	check_inert(buf_str(&b), b.len, 0);
	j = cJSON_ParseWithLength(buf_str(&b), b.len);
	CHECK(cJSON_IsString(j));
	{
		struct buf want = BUF_INIT;
		expected(&want, s, size);
		CHECK(strcmp(buf_str(&want), j->valuestring) == 0);
		buf_free(&want);
	}
	cJSON_Delete(j);
	buf_free(&b);

	/* Trees. */
	j = cJSON_ParseWithLength(s, size);
	if (j == NULL)
		return 0;
	check_tree(j, 0);
	copy = cJSON_Duplicate(j, 1);
	CHECK(jsonout_keep_number_text(copy, s, size) == 0);
	check_tree(copy, 1);
	cJSON_Delete(copy);
	cJSON_Delete(j);
	return 0;
}
