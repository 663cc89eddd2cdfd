/* safetext.h — make text from the network or from files safe to show on a terminal.
 *
 * Anything that could change the terminal's state or mislead the reader is replaced
 * by a visible placeholder:
 *   C0 controls and DEL   -> the Unicode "control picture" (ESC -> U+241B, LF -> U+240A)
 *   C1 controls (U+0080..U+009F), bidi embeddings/overrides/isolates/marks,
 *   line and paragraph separators, and characters drawn as nothing -> U+FFFD
 *   bytes that are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF)
 *                                                         -> U+FFFD, one per bad byte
 * So an escape sequence such as "\033[2J" is shown inert as "␛[2J", and "dev<U+200B>01"
 * as "dev�01", not as "dev01".
 *
 * "Drawn as nothing" is Unicode's Default_Ignorable_Code_Point set (Unicode 15): soft
 * hyphen U+00AD, U+034F, the Hangul fillers U+115F U+1160 U+3164 U+FFA0, U+17B4 U+17B5,
 * U+180E, U+200B..U+200F (zero width space, non-joiner and joiner included: a Persian
 * name or an emoji sequence using them shows a placeholder), U+2060..U+206F (word
 * joiner, invisible operators, deprecated format characters), U+FEFF, U+FFF0..U+FFF8,
 * U+1BCA0..U+1BCA3, U+1D173..U+1D17A, and U+E0000..U+E0FFF (language tag, tag
 * characters) — plus the interlinear annotation controls U+FFF9..U+FFFB. The variation
 * selectors (U+180B..U+180D, U+180F, U+FE00..U+FE0F, U+E0100..U+E01EF) are left alone:
 * they only choose the glyph of the character before them (❤️, ideographic variants),
 * and hide nothing. What iotdeck prints or writes as JSON follows the same rules, as
 * \uXXXX escapes (core/jsonout.h).
 */
#ifndef IOTDECK_SAFETEXT_H
#define IOTDECK_SAFETEXT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Appends the display-safe form of s[0..len) to out. */
void safetext_append(struct buf *out, const char *s, size_t len);
/* Returns a caller-freed display-safe copy of s[0..len). */
char *safetext_dup(const char *s, size_t len);
/* Returns a caller-freed display-safe copy of at most max_chars characters of s[0..len),
 * followed by "…" when something was cut (for excerpts in error messages). */
char *safetext_excerpt(const char *s, size_t len, size_t max_chars);
/* As safetext_excerpt, between before and after (both as they are), for a message that
 * quotes what was typed: safetext_excerpt_in("unexpected '", s, len, 40, "'"). */
char *safetext_excerpt_in(const char *before, const char *s, size_t len, size_t max_chars,
    const char *after);

/* Decodes one UTF-8 sequence at s[0..len): returns its length (1..4) and stores the
 * code point in *cp, or returns 0 for an invalid or truncated sequence (strict:
 * no overlongs, no surrogates, nothing above U+10FFFF). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Number of UTF-8 characters in s (counts lead bytes; invalid bytes count as one each). */
size_t utf8_chars(const char *s);
/* Writes the UTF-8 encoding of code point cp (< 0x110000) into out; returns its length. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Returns nonzero when the code point must not be drawn as it is. */
int safetext_is_unsafe(uint32_t cp);

/* U+FFFD, what an invalid UTF-8 byte becomes. */
#define SAFETEXT_REPLACEMENT "\xEF\xBF\xBD"

/* The scan safetext_append and jsonout_string share: appends s[0..len) to out, runs of
 * code points that keep(cp) accepts copied as they are (one buf_add a run), each other
 * code point through put(out, cp), each invalid UTF-8 byte as U+FFFD. Inline, so that each
 * caller's keep and put are direct calls (JSON export writes every field through it). */
static inline void
safetext_scan(struct buf *out, const char *s, size_t len, int (*keep)(uint32_t cp),
    void (*put)(struct buf *out, uint32_t cp))
{
	size_t i = 0, n, run = 0;	/* run: bytes before i still to copy as they are */
	uint32_t cp;

	buf_reserve(out, len);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n != 0 && keep(cp)) {
			i += n;
			run += n;
			continue;
		}
		buf_add(out, s + i - run, run);
		run = 0;
		if (n == 0) {
			buf_add(out, SAFETEXT_REPLACEMENT, 3);
			i++;
		} else {
			put(out, cp);
			i += n;
		}
	}
	buf_add(out, s + i - run, run);
}

#endif
