/* text.c — terminal widths of UTF-8 text. */
#include "ui/text.h"

#include <string.h>
#include <wchar.h>

#include "core/safetext.h"

static int
cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : w;
}

int
text_width_n(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;
	int w = 0;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			w++;
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			w++;
			i++;
			continue;
		}
		w += cp_width(cp);
		i += n;
	}
	return w;
}

int
text_width(const char *s)
{
	return text_width_n(s, strlen(s));
}

/* Walks s, stopping before the character that would pass cols; returns bytes used and
 * stores the columns used in *used. */
static size_t
prefix(const char *s, size_t len, int cols, int *used)
{
	size_t i = 0, n;
	uint32_t cp;
	int w = 0, cw;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			n = 1;
			cw = 1;
		} else
			cw = cp_width(cp);
		if (w + cw > cols)
			break;
		w += cw;
		i += n;
	}
	*used = w;
	return i;
}

size_t
text_prefix_bytes(const char *s, int cols)
{
	int used;

	return prefix(s, strlen(s), cols, &used);
}

size_t
text_wrap(const char *s, int cols)
{
	size_t len = strlen(s), n, i, space = 0;
	uint32_t cp;
	int used;

	n = prefix(s, len, cols, &used);
	if (n == len)
		return len;
	if (n == 0) {	/* not even one character fits: take one */
		i = utf8_decode(s, len, &cp);
		return i > 0 ? i : 1;
	}
	/* Break at the space just past the part that fits, or after its last space. */
	if (s[n] == ' ')
		return n;
	for (i = 0; i < n; i++)
		if (s[i] == ' ')
			space = i + 1;
	return space > 0 ? space : n;
}

int
text_fit(struct buf *out, const char *s, int cols, int pad, int right)
{
	size_t len = strlen(s), n;
	int used, total, i;

	if (cols <= 0)
		return 0;
	n = prefix(s, len, cols, &used);
	if (n < len) {
		/* Cut: leave one column for the ellipsis. */
		n = prefix(s, len, cols - 1, &used);
		total = used + 1;
	} else
		total = used;
	if (pad && right)
		for (i = total; i < cols; i++)
			buf_addc(out, ' ');
	buf_add(out, s, n);
	if (n < len)
		buf_adds(out, "\xE2\x80\xA6");
	if (pad && !right)
		for (i = total; i < cols; i++)
			buf_addc(out, ' ');
	return pad ? cols : total;
}
