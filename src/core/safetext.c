/* safetext.c — display-safe text (see safetext.h for the rules). */
#include "core/safetext.h"

#include <string.h>

#include "core/xmalloc.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD";	/* U+FFFD */

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

int
safetext_is_unsafe(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F)
		return 1;
	if (cp >= 0x80 && cp <= 0x9F)
		return 1;
	switch (cp) {
	case 0x061C:			/* ARABIC LETTER MARK */
	case 0x200E: case 0x200F:	/* LRM, RLM */
	case 0x2028: case 0x2029:	/* LINE/PARAGRAPH SEPARATOR */
		return 1;
	}
	if (cp >= 0x202A && cp <= 0x202E)	/* LRE RLE PDF LRO RLO */
		return 1;
	if (cp >= 0x2066 && cp <= 0x2069)	/* LRI RLI FSI PDI */
		return 1;
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
	buf_add(out, REPLACEMENT, 3);
}

void
safetext_append(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, n, run = 0;
	uint32_t cp;

	buf_reserve(out, len);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n != 0 && !safetext_is_unsafe(cp)) {
			i += n;
			run += n;
			continue;
		}
		buf_add(out, s + i - run, run);
		run = 0;
		if (n == 0) {
			buf_add(out, REPLACEMENT, 3);
			i++;
		} else {
			put_placeholder(out, cp);
			i += n;
		}
	}
	buf_add(out, s + i - run, run);
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
	size_t i = 0, chars = 0, n;
	uint32_t cp;
	struct buf b = BUF_INIT;

	while (i < len && chars < max_chars) {
		n = utf8_decode(s + i, len - i, &cp);
		i += n ? n : 1;
		chars++;
	}
	safetext_append(&b, s, i);
	if (i < len)
		buf_adds(&b, "\xE2\x80\xA6");	/* … */
	return buf_detach(&b);
}
