/* jsonout.h — the one JSON writer: every JSON text iotdeck prints or writes (`iotdeck
 * call`, the JSON export) goes through it.
 *
 * cJSON's printer copies the bytes of a string as they are, so a value holding an escape
 * sequence's C1 introducer (U+009B), a bidi override (U+202E), an invisible character or
 * bytes that are not UTF-8 reached the terminal, or made a file that JSON readers refuse.
 * This writer walks the cJSON tree itself and writes each string so that
 *   '"' and '\' are escaped, and \b \f \n \r \t stand for those controls;
 *   every other character that the display-safe rules flag (safetext_is_unsafe in
 *     core/safetext.h: C0 and C1 controls, DEL, bidi controls, line separators,
 *     characters drawn as nothing) is written as \uXXXX, above U+FFFF as a surrogate
 *     pair (U+E0041 -> \udb40\udc41);
 *   each byte that is not part of valid UTF-8 becomes U+FFFD (the character);
 *   everything else is written as it is, in UTF-8.
 * The text is therefore valid JSON in valid UTF-8, reads back to the same value wherever
 * the input was valid UTF-8, and holds no byte that a terminal acts on (the indented form
 * adds only newlines and spaces of its own).
 *
 * Numbers are written as the answer wrote them when the tree carries their text (see
 * jsonout_keep_number_text: cJSON keeps only a double, so 12345678901234567890 or 0.10
 * would change); otherwise in the shortest form that reads back as the same double,
 * integers below 2^63 in full. NaN and infinities, which JSON cannot hold, are null.
 */
#ifndef IOTDECK_JSONOUT_H
#define IOTDECK_JSONOUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/buf.h"

enum jsonout_style {
	JSONOUT_COMPACT,	/* no whitespace at all */
	JSONOUT_INDENT,		/* cJSON's layout, as `iotdeck call` has always printed it: an
				   object's members one per line, two spaces per level, a space
				   after each colon; an array's elements on one line, ", "
				   between them; {} and [] when empty */
};

/* Appends s[0..len) (any bytes, NULs included) as a JSON string literal, quotes included,
 * escaped as described above. */
void jsonout_string(struct buf *out, const char *s, size_t len);

/* Appends the JSON text of item and everything under it (no newline at the end). An
 * object member without a name is written with the name ""; a cJSON_Raw item as a
 * string holding its text (it is never copied out raw). */
void jsonout_value(struct buf *out, const cJSON *item, enum jsonout_style style);

/* Returns the caller-freed JSON text of item (jsonout_value into a fresh buffer). */
char *jsonout_print(const cJSON *item, enum jsonout_style style);

/* Records in the tree root, which cJSON parsed from text[0..len), each number's text as
 * it stands there, so that jsonout writes it unchanged. The text is kept in the number
 * item's valuestring (cJSON leaves it NULL for numbers; cJSON_Delete frees it and
 * cJSON_Duplicate copies it; nothing else looks at a number's valuestring). It is used
 * only while it is a valid JSON number that reads as the item's valuedouble: a number
 * changed later with cJSON_SetNumberValue is written from its new value. Returns 0, or
 * -1 when the text does not match the tree (then some numbers may lack their text,
 * which only makes them fall back to the double). */
int jsonout_keep_number_text(cJSON *root, const char *text, size_t len);

#endif
