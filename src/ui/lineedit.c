/* lineedit.c — the one line editor (see lineedit.h). */
#include "ui/lineedit.h"

#include <string.h>

#include <curses.h>
#include <sodium.h>

#include "core/safetext.h"
#include "ui/keys.h"
#include "ui/text.h"

void
lineedit_init(struct lineedit *e, size_t max)
{
	memset(e, 0, sizeof *e);
	buf_init(&e->text);
	e->max = max;
}

void
lineedit_init_secret(struct lineedit *e, struct secret *s)
{
	lineedit_init(e, 0);
	e->secret = s;
}

void
lineedit_free(struct lineedit *e)
{
	buf_free(&e->text);
	e->cursor = 0;
	e->scroll = 0;
}

const char *
lineedit_text(const struct lineedit *e)
{
	return e->text.len > 0 ? buf_str(&e->text) : "";
}

static size_t
prev_char(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	return at;
}

static size_t
next_char(const char *s, size_t len, size_t at)
{
	if (at >= len)
		return len;
	at++;
	while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
		at++;
	return at;
}

/* Replaces text[from, to) with ins[0, n); the cursor goes to from + n. */
static void
splice(struct lineedit *e, size_t from, size_t to, const char *ins, size_t n)
{
	struct buf nb = BUF_INIT;
	const char *s = lineedit_text(e);

	buf_add(&nb, s, from);
	if (n > 0)
		buf_add(&nb, ins, n);
	buf_adds(&nb, s + to);
	buf_free(&e->text);
	e->text = nb;
	e->cursor = from + n;
}

void
lineedit_set(struct lineedit *e, const char *s)
{
	size_t len = strlen(s), at = 0, n;
	uint32_t cp;
	char utf[4];

	lineedit_clear(e);
	if (e->secret != NULL)
		return;
	while (at < len) {
		n = utf8_decode(s + at, len - at, &cp);
		if (n == 0)
			break;
		at += n;
		if (cp < 0x20 || cp == 0x7F || safetext_is_unsafe(cp))
			continue;
		n = utf8_encode(cp, utf);
		if (e->text.len + n > e->max)
			break;
		buf_add(&e->text, utf, n);
	}
	e->cursor = e->text.len;
}

void
lineedit_clear(struct lineedit *e)
{
	if (e->secret != NULL)
		secret_clear(e->secret);
	buf_reset(&e->text);
	e->cursor = 0;
	e->scroll = 0;
}

static int
is_space(const char *s, size_t at)
{
	return s[at] == ' ';
}

static enum lineedit_result
secret_key(struct lineedit *e, uint32_t key)
{
	uint32_t c = key & KEYS_VALUE;
	char utf[4];
	size_t n;

	if (key == (KEYS_CODE | KEY_BACKSPACE) || key == 0x08) {
		if (secret_len(e->secret) == 0)
			return LINEEDIT_EMPTY;
		secret_pop(e->secret);
		return LINEEDIT_CHANGED;
	}
	if (key == 0x15) {	/* C-u */
		secret_clear(e->secret);
		return LINEEDIT_CHANGED;
	}
	if ((key & (KEYS_CODE | KEYS_META)) || c < 0x20 || c == 0x7F)
		return LINEEDIT_IGNORED;
	n = utf8_encode(c, utf);
	if (secret_append(e->secret, utf, n) != 0) {
		sodium_memzero(utf, sizeof utf);
		return LINEEDIT_FULL;
	}
	sodium_memzero(utf, sizeof utf);
	return LINEEDIT_CHANGED;
}

enum lineedit_result
lineedit_key(struct lineedit *e, uint32_t key)
{
	const char *s = lineedit_text(e);
	size_t len = e->text.len, at;
	uint32_t c = key & KEYS_VALUE;
	char utf[4];
	size_t n;

	if (key == KEYS_ENTER || key == '\r')
		return LINEEDIT_ENTER;
	if (key == KEYS_ESC || key == 0x07 /* C-g */)
		return LINEEDIT_CANCEL;
	if (e->secret != NULL)
		return secret_key(e, key);
	if (key == (KEYS_CODE | KEY_BACKSPACE) || key == 0x08) {
		if (e->cursor == 0)
			return len == 0 ? LINEEDIT_EMPTY : LINEEDIT_MOVED;
		splice(e, prev_char(s, e->cursor), e->cursor, NULL, 0);
		return LINEEDIT_CHANGED;
	}
	if (key == (KEYS_CODE | KEY_DC) || key == 0x04 /* C-d */) {
		if (e->cursor >= len)
			return LINEEDIT_MOVED;
		splice(e, e->cursor, next_char(s, len, e->cursor), NULL, 0);
		return LINEEDIT_CHANGED;
	}
	if (key == (KEYS_CODE | KEY_LEFT) || key == 0x02 /* C-b */) {
		e->cursor = prev_char(s, e->cursor);
		return LINEEDIT_MOVED;
	}
	if (key == (KEYS_CODE | KEY_RIGHT) || key == 0x06 /* C-f */) {
		e->cursor = next_char(s, len, e->cursor);
		return LINEEDIT_MOVED;
	}
	if (key == (KEYS_CODE | KEY_HOME) || key == 0x01 /* C-a */) {
		e->cursor = 0;
		return LINEEDIT_MOVED;
	}
	if (key == (KEYS_CODE | KEY_END) || key == 0x05 /* C-e */) {
		e->cursor = len;
		return LINEEDIT_MOVED;
	}
	if (key == 0x15 /* C-u */) {
		if (e->cursor == 0)
			return LINEEDIT_MOVED;
		splice(e, 0, e->cursor, NULL, 0);
		return LINEEDIT_CHANGED;
	}
	if (key == 0x0B /* C-k */) {
		if (e->cursor >= len)
			return LINEEDIT_MOVED;
		splice(e, e->cursor, len, NULL, 0);
		return LINEEDIT_CHANGED;
	}
	if (key == 0x17 /* C-w: the word before the cursor and the spaces after it */) {
		at = e->cursor;
		while (at > 0 && is_space(s, prev_char(s, at)))
			at = prev_char(s, at);
		while (at > 0 && !is_space(s, prev_char(s, at)))
			at = prev_char(s, at);
		if (at == e->cursor)
			return LINEEDIT_MOVED;
		splice(e, at, e->cursor, NULL, 0);
		return LINEEDIT_CHANGED;
	}
	if ((key & (KEYS_CODE | KEYS_META)) || c < 0x20 || c == 0x7F || safetext_is_unsafe(c))
		return LINEEDIT_IGNORED;
	n = utf8_encode(c, utf);
	if (len + n > e->max)
		return LINEEDIT_FULL;
	splice(e, e->cursor, e->cursor, utf, n);
	return LINEEDIT_CHANGED;
}

int
lineedit_render(struct lineedit *e, int cols, struct buf *out)
{
	const char *s = lineedit_text(e);
	int cur, total, from, shown;
	size_t skip = 0, n;
	uint32_t cp;

	if (e->secret != NULL || cols <= 0)
		return 0;
	cur = text_width_n(s, e->cursor);
	total = text_width(s);
	/* Keep the cursor inside [scroll, scroll + cols - 1], with a third of the width of
	 * context on the side it moves towards, and no blank past the end. */
	if (total < cols)
		e->scroll = 0;
	else {
		if (cur < e->scroll)
			e->scroll = cur - cols / 3;
		else if (cur > e->scroll + cols - 1)
			e->scroll = cur - cols + 1 + cols / 3;
		if (e->scroll > total - cols + 1)
			e->scroll = total - cols + 1;
		if (e->scroll < 0)
			e->scroll = 0;
	}
	/* Skip whole characters up to the scroll column (a wide one cut in two is skipped). */
	from = 0;
	while (s[skip] != '\0' && from < e->scroll) {
		n = utf8_decode(s + skip, strlen(s + skip), &cp);
		if (n == 0)
			n = 1;
		from += text_width_n(s + skip, n);
		skip += n;
	}
	shown = cols;
	n = text_prefix_bytes(s + skip, shown);
	buf_add(out, s + skip, n);
	return cur - from >= 0 ? cur - from : 0;
}
