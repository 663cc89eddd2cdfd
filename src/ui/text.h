/* text.h — terminal widths of UTF-8 text (wcwidth), cut on character boundaries.
 *
 * Strings given here must already be display-safe (core/safetext.h): these functions
 * measure and cut, they do not sanitise. Wide (CJK) characters take two columns, so
 * Chinese product names and nicknames line up.
 */
#ifndef IOTDECK_TEXT_H
#define IOTDECK_TEXT_H

#include <stddef.h>

#include "core/buf.h"

/* Display columns of s (a character wcwidth cannot measure counts as one). */
int text_width(const char *s);
/* Display columns of s[0..len). */
int text_width_n(const char *s, size_t len);
/* Appends to out the longest prefix of s that fits in cols columns; when s is longer, the
 * prefix ends with "…" (one column). With pad, spaces fill the rest so exactly cols columns
 * are appended. right: pad on the left instead (right-aligned). Returns columns appended. */
int text_fit(struct buf *out, const char *s, int cols, int pad, int right);
/* Byte length of the longest prefix of s that fits in cols columns (no ellipsis). */
size_t text_prefix_bytes(const char *s, int cols);
/* Wrapping: the byte length of the first line of s when s is wrapped to cols columns,
 * breaking after the last space that fits (a word longer than the line is cut where it
 * passes cols); at least one character, so a loop over s always ends. The next line
 * starts at s + that length (a leading space of it is the caller's to skip). */
size_t text_wrap(const char *s, int cols);

#endif
