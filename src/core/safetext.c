/* safetext.c — display-safe text (see safetext.h for the rules). */
#include "core/safetext.h"

#include <string.h>

#include "core/xmalloc.h"


size_t
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
utf8_encode(uint32_t c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Characters drawn as nothing (see safetext.h): Unicode's Default_Ignorable_Code_Point
 * (DerivedCoreProperties.txt, Unicode 15) without the variation selectors, plus the
 * interlinear annotation controls. Sorted, inclusive. */
static const struct { uint32_t lo, hi; } invisible[] = {
	{ 0x00AD, 0x00AD },	/* SOFT HYPHEN */
	{ 0x034F, 0x034F },	/* COMBINING GRAPHEME JOINER */
	{ 0x061C, 0x061C },	/* ARABIC LETTER MARK */
	{ 0x115F, 0x1160 },	/* HANGUL CHOSEONG / JUNGSEONG FILLER */
	{ 0x17B4, 0x17B5 },	/* KHMER VOWEL INHERENT AQ, AA */
	{ 0x180E, 0x180E },	/* MONGOLIAN VOWEL SEPARATOR */
	{ 0x200B, 0x200F },	/* ZWSP, ZWNJ, ZWJ, LRM, RLM */
	{ 0x2028, 0x202E },	/* LINE/PARAGRAPH SEPARATOR, LRE RLE PDF LRO RLO */
	{ 0x2060, 0x206F },	/* WORD JOINER, invisible operators, LRI RLI FSI PDI,
				   deprecated format characters */
	{ 0x3164, 0x3164 },	/* HANGUL FILLER */
	{ 0xFEFF, 0xFEFF },	/* ZERO WIDTH NO-BREAK SPACE (BOM) */
	{ 0xFFA0, 0xFFA0 },	/* HALFWIDTH HANGUL FILLER */
	{ 0xFFF0, 0xFFFB },	/* reserved; INTERLINEAR ANNOTATION ANCHOR..TERMINATOR */
	{ 0x1BCA0, 0x1BCA3 },	/* SHORTHAND FORMAT controls */
	{ 0x1D173, 0x1D17A },	/* MUSICAL SYMBOL BEGIN BEAM..END PHRASE */
	{ 0xE0000, 0xE00FF },	/* LANGUAGE TAG, TAG characters, reserved */
	{ 0xE01F0, 0xE0FFF },	/* reserved default ignorables */
};

int
safetext_is_unsafe(uint32_t cp)
{
	size_t lo = 0, hi = sizeof invisible / sizeof invisible[0], mid;

	if (cp < 0x20 || cp == 0x7F)
		return 1;
	if (cp >= 0x80 && cp <= 0x9F)
		return 1;
	if (cp < invisible[0].lo)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < invisible[mid].lo)
			hi = mid;
		else if (cp > invisible[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

static void
put_placeholder(struct buf *out, uint32_t cp)
{
	unsigned char pic[3];
	uint32_t p;

	if (cp < 0x20 || cp == 0x7F) {
		p = cp == 0x7F ? 0x2421 : 0x2400 + cp;	/* control pictures */
		pic[0] = (unsigned char)(0xE0 | (p >> 12));
		pic[1] = (unsigned char)(0x80 | ((p >> 6) & 0x3F));
		pic[2] = (unsigned char)(0x80 | (p & 0x3F));
		buf_add(out, pic, 3);
		return;
	}
	buf_add(out, SAFETEXT_REPLACEMENT, 3);
}

static int
is_safe(uint32_t cp)
{
	return !safetext_is_unsafe(cp);
}

void
safetext_append(struct buf *out, const char *s, size_t len)
{
	safetext_scan(out, s, len, is_safe, put_placeholder);
}

char *
safetext_dup(const char *s, size_t len)
{
	struct buf b = BUF_INIT;

	safetext_append(&b, s, len);
	return buf_detach(&b);
}

char *
safetext_excerpt(const char *s, size_t len, size_t max_chars)
{
	return safetext_excerpt_in("", s, len, max_chars, "");
}

char *
safetext_excerpt_in(const char *before, const char *s, size_t len, size_t max_chars,
    const char *after)
{
	size_t i = 0, chars = 0, n;
	uint32_t cp;
	struct buf b = BUF_INIT;

	while (i < len && chars < max_chars) {
		n = utf8_decode(s + i, len - i, &cp);
		i += n ? n : 1;
		chars++;
	}
	buf_adds(&b, before);
	safetext_append(&b, s, i);
	if (i < len)
		buf_adds(&b, "\xE2\x80\xA6");	/* … */
	buf_adds(&b, after);
	return buf_detach(&b);
}
