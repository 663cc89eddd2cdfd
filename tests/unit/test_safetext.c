/* test_safetext.c — display-safe text: controls, escapes, bidi, invisible characters,
 * invalid UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/safetext.h"

static void
check(const char *in, size_t len, const char *want)
{
	char *out = safetext_dup(in, len);

	assert_string_equal(out, want);
	free(out);
}

static void
test_plain_text_unchanged(void **state)
{
	(void)state;
	check("hello", 5, "hello");
	check("智能灯-客厅", strlen("智能灯-客厅"), "智能灯-客厅");
	check("", 0, "");
	check("\xF0\x9F\x92\xA1", 4, "\xF0\x9F\x92\xA1");	/* U+1F4A1 */
}

static void
test_controls(void **state)
{
	(void)state;
	check("\033[31mred", 8, "\xE2\x90\x9B[31mred");		/* ␛[31mred */
	check("a\nb", 3, "a\xE2\x90\x8A" "b");			/* ␊ */
	check("a\tb", 3, "a\xE2\x90\x89" "b");			/* ␉ */
	check("\x7F", 1, "\xE2\x90\xA1");				/* ␡ */
	check("a\0b", 3, "a\xE2\x90\x80" "b");			/* ␀, embedded NUL kept visible */
	check("\xC2\x9B" "2J", 4, "\xEF\xBF\xBD" "2J");		/* C1 CSI */
}

static void
test_bidi(void **state)
{
	(void)state;
	check("abc\xE2\x80\xAE" "fdp.exe", 13, "abc\xEF\xBF\xBD" "fdp.exe");	/* RLO */
	check("\xE2\x81\xA6x\xE2\x81\xA9", 7, "\xEF\xBF\xBDx\xEF\xBF\xBD");	/* LRI..PDI */
	check("\xE2\x80\x8F", 3, "\xEF\xBF\xBD");				/* RLM */
}

/* Characters drawn as nothing: "dev<U+200B>01" must not look like "dev01". */
static void
test_invisible(void **state)
{
	static const uint32_t invisible[] = {
		0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200C,
		0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2065, 0x206A, 0x206F,
		0x3164, 0xFEFF, 0xFFA0, 0xFFF0, 0xFFF8, 0xFFF9, 0xFFFB, 0x1BCA0, 0x1BCA3,
		0x1D173, 0x1D17A, 0xE0000, 0xE0001, 0xE0020, 0xE0041, 0xE007F, 0xE0080,
		0xE01F0, 0xE0FFF,
	};
	/* Variation selectors only choose the glyph of the character before them (❤️,
	 * ideographic variants): they stay. So do visible neighbours of the ranges. */
	static const uint32_t visible[] = {
		0x00AC, 0x00AE, 0x0350, 0x1161, 0x180B, 0x180C, 0x180D, 0x180F, 0x2010,
		0x2070, 0x3165, 0xFE00, 0xFE0F, 0xFFA1, 0xFFFC, 0xFFFD, 0x1D172, 0x1D17B,
		0xE0100, 0xE01EF, 0xE1000, 0x1F4A1,
	};
	char in[16], want[16];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
		if (!safetext_is_unsafe(invisible[i]))
			fail_msg("U+%04X passes as safe", (unsigned)invisible[i]);
		in[0] = 'a';
		n = utf8_encode(invisible[i], in + 1);
		in[n + 1] = 'b';
		check(in, n + 2, "a\xEF\xBF\xBD" "b");
	}
	for (i = 0; i < sizeof visible / sizeof visible[0]; i++) {
		if (safetext_is_unsafe(visible[i]))
			fail_msg("U+%04X is flagged", (unsigned)visible[i]);
		n = utf8_encode(visible[i], in);
		memcpy(want, in, n);
		want[n] = '\0';
		check(in, n, want);
	}
	/* The example. */
	check("dev\xE2\x80\x8B" "01", 8, "dev\xEF\xBF\xBD" "01");
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	check("\xFF", 1, "\xEF\xBF\xBD");
	check("a\xC0\xAF" "b", 4, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");	/* overlong '/' */
	check("\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");	/* surrogate */
	check("\xE6\x99", 2, "\xEF\xBF\xBD\xEF\xBF\xBD");		/* truncated */
	check("\xF4\x90\x80\x80", 4,
	    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");		/* > U+10FFFF */
}

static void
test_excerpt(void **state)
{
	char *e = safetext_excerpt("智能灯abc", strlen("智能灯abc"), 4);

	(void)state;
	assert_string_equal(e, "智能灯a\xE2\x80\xA6");
	free(e);
	e = safetext_excerpt("ab", 2, 4);
	assert_string_equal(e, "ab");
	free(e);
}

static void
test_every_byte_is_safe(void **state)
{
	unsigned char in[256];
	char *out;
	size_t i;
	uint32_t cp;
	size_t n;

	(void)state;
	for (i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	out = safetext_dup((const char *)in, sizeof in);
	for (i = 0; out[i]; i += n) {
		n = utf8_decode(out + i, strlen(out + i), &cp);
		assert_true(n > 0);
		assert_false(safetext_is_unsafe(cp));
	}
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_invisible),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_every_byte_is_safe),
	};
	return cmocka_run_group_tests_name("safetext", tests, NULL, NULL);
}
