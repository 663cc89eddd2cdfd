/* keys.c — key names <-> key codes (see keys.h for the encoding). */
#include "ui/keys.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/safetext.h"
#include "core/xmalloc.h"

#define KC(code) (KEYS_CODE | (uint32_t)(code))

/* Named keys; the first name of a key is the one keys_format writes. */
static const struct key_name {
	const char *name;	/* as written inside <>, compared without case */
	uint32_t    key;	/* canonical key */
} key_names[] = {
	{ "Enter",     KEYS_ENTER },
	{ "CR",        KEYS_ENTER },
	{ "Return",    KEYS_ENTER },
	{ "Esc",       KEYS_ESC },
	{ "Escape",    KEYS_ESC },
	{ "Tab",       KEYS_TAB },
	{ "BackTab",   KC(KEY_BTAB) },
	{ "S-Tab",     KC(KEY_BTAB) },
	{ "Space",     ' ' },
	{ "Hash",      '#' },
	{ "Lt",        '<' },
	{ "Backspace", KC(KEY_BACKSPACE) },
	{ "BS",        KC(KEY_BACKSPACE) },
	{ "Up",        KC(KEY_UP) },
	{ "Down",      KC(KEY_DOWN) },
	{ "Left",      KC(KEY_LEFT) },
	{ "Right",     KC(KEY_RIGHT) },
	{ "PgUp",      KC(KEY_PPAGE) },
	{ "PageUp",    KC(KEY_PPAGE) },
	{ "PgDn",      KC(KEY_NPAGE) },
	{ "PageDown",  KC(KEY_NPAGE) },
	{ "Home",      KC(KEY_HOME) },
	{ "End",       KC(KEY_END) },
	{ "Insert",    KC(KEY_IC) },
	{ "Ins",       KC(KEY_IC) },
	{ "Delete",    KC(KEY_DC) },
	{ "Del",       KC(KEY_DC) },
	{ "S-Up",      KC(KEY_SR) },
	{ "S-Down",    KC(KEY_SF) },
	{ "S-Left",    KC(KEY_SLEFT) },
	{ "S-Right",   KC(KEY_SRIGHT) },
	{ "S-Home",    KC(KEY_SHOME) },
	{ "S-End",     KC(KEY_SEND) },
	{ "S-PgUp",    KC(KEY_SPREVIOUS) },
	{ "S-PgDn",    KC(KEY_SNEXT) },
	{ "S-Insert",  KC(KEY_SIC) },
	{ "S-Delete",  KC(KEY_SDC) },
	{ "Resize",    KC(KEY_RESIZE) },
	{ "Mouse",     KC(KEY_MOUSE) },
};
#define NKEY_NAMES (sizeof key_names / sizeof key_names[0])

/* Highest function key number (ncurses has room for 64: KEY_F0..KEY_F(63)). */
#define KEYS_FMAX 63

/* The canonical form of a key (several bytes and codes mean the same key). */
static uint32_t
canonical(uint32_t key)
{
	uint32_t meta = key & KEYS_META;
	uint32_t k = key & ~KEYS_META;

	if (k == '\r' || k == KC(KEY_ENTER))
		k = KEYS_ENTER;
	else if (k == 0x7F)
		k = KC(KEY_BACKSPACE);
	return k | meta;
}

/* Parses an unsigned number of base 10 or 16 taking all of s; -1 when it is not one. */
static long
parse_number(const char *s, int base)
{
	char *end;
	long v;

	if (*s == '\0' || *s == '+' || *s == '-' || *s == ' ')
		return -1;
	v = strtol(s, &end, base);
	if (*end != '\0' || v < 0)
		return -1;
	return v;
}

/* The key of a name without modifiers (inside <> or alone), or KEYS_NONE. */
static uint32_t
parse_base(const char *s)
{
	uint32_t cp;
	size_t i, len = strlen(s);
	long n;

	if (len > 0 && utf8_decode(s, len, &cp) == len)
		return cp == 0 ? KEYS_NONE : cp;
	for (i = 0; i < NKEY_NAMES; i++) {
		if (strcasecmp(s, key_names[i].name) == 0)
			return key_names[i].key;
	}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		n = parse_number(s + 1, 10);
		if (n >= 1 && n <= KEYS_FMAX)
			return KC(KEY_F(n));
		return KEYS_NONE;
	}
	if (strncasecmp(s, "Key-", 4) == 0) {
		n = parse_number(s + 4, 10);
		if (n >= KEY_MIN && n <= KEY_MAX)
			return canonical(KC(n));
		return KEYS_NONE;
	}
	if (strncasecmp(s, "U+", 2) == 0) {
		n = parse_number(s + 2, 16);
		if (n > 0 && n <= 0x10FFFF && !(n >= 0xD800 && n <= 0xDFFF))
			return (uint32_t)n;
	}
	return KEYS_NONE;
}

/* The control form of base, or KEYS_NONE when there is none. */
static uint32_t
control_of(uint32_t base)
{
	if (base >= 'a' && base <= 'z')
		return base - 'a' + 1;
	if (base >= 'A' && base <= 'Z')
		return base - 'A' + 1;
	switch (base) {
	case '[': case '\\': case ']': case '^': case '_':
		return base - '@';
	case '?':
		return 0x7F;
	}
	return KEYS_NONE;
}

int
keys_parse(const char *name, uint32_t *key, char **cause)
{
	size_t len = strlen(name);
	char *inner = NULL, *rem, *shown;
	int ctrl = 0, meta = 0;
	uint32_t k, cp;

	if (len == 0) {
		*cause = xstrdup("empty key name");
		return -1;
	}
	if (utf8_decode(name, len, &cp) == len && cp != 0) {
		*key = canonical(cp);
		return 0;
	}
	if (len == 2 && name[0] == '^') {
		k = control_of((unsigned char)name[1]);
		if (k == KEYS_NONE)
			goto unknown;
		*key = canonical(k);
		return 0;
	}
	if (len < 3 || name[0] != '<' || name[len - 1] != '>')
		goto unknown;
	inner = xstrndup(name + 1, len - 2);
	rem = inner;
	while (strlen(rem) >= 3 && rem[1] == '-') {
		switch (rem[0]) {
		case 'C': case 'c':
			ctrl = 1;
			break;
		case 'M': case 'm': case 'A': case 'a':
			meta = 1;
			break;
		default:
			goto modifiers_done;
		}
		rem += 2;
	}
modifiers_done:
	k = parse_base(rem);
	if (k == KEYS_NONE)
		goto unknown;
	if (ctrl) {
		if ((k & KEYS_CODE) || (k = control_of(k)) == KEYS_NONE) {
			shown = safetext_excerpt(name, len, 40);
			*cause = xasprintf("key '%s' has no control form (C- goes with a letter "
			    "or one of [ \\ ] ^ _ ?)", shown);
			free(shown);
			free(inner);
			return -1;
		}
	}
	k = canonical(k);
	*key = meta ? keys_meta(k) : k;
	free(inner);
	return 0;

unknown:
	free(inner);
	shown = safetext_excerpt(name, len, 40);
	if (name[0] != '<' && parse_base(name) != KEYS_NONE)
		*cause = xasprintf("unknown key '%s' (did you mean <%s>?)", shown, shown);
	else
		*cause = xasprintf("unknown key '%s'", shown);
	free(shown);
	return -1;
}

/* Appends the name of a key without Meta to b (size bytes in all, at offset *off). */
static void
format_base(uint32_t k, char *b, size_t size, size_t *off, int *bracket)
{
	char tmp[KEYS_NAME_MAX];
	const char *name = NULL;
	uint32_t v = k & KEYS_VALUE;
	size_t i, n;

	*bracket = 1;
	for (i = 0; i < NKEY_NAMES && name == NULL; i++) {
		if (key_names[i].key == k)
			name = key_names[i].name;
	}
	if (name != NULL && k != '<')
		n = (size_t)snprintf(tmp, sizeof tmp, "%s", name);
	else if ((k & KEYS_CODE) && v >= (uint32_t)KEY_F(1) && v <= (uint32_t)KEY_F(KEYS_FMAX))
		n = (size_t)snprintf(tmp, sizeof tmp, "F%u", v - (uint32_t)KEY_F0);
	else if (k & KEYS_CODE)
		n = (size_t)snprintf(tmp, sizeof tmp, "Key-%u", v);
	else if (v >= 1 && v <= 26)
		n = (size_t)snprintf(tmp, sizeof tmp, "C-%c", (char)('a' + v - 1));
	else if (v >= 0x1C && v <= 0x1F)
		n = (size_t)snprintf(tmp, sizeof tmp, "C-%c", (char)('@' + v));
	else if (v > 0x10FFFF || safetext_is_unsafe(v))
		n = (size_t)snprintf(tmp, sizeof tmp, "U+%04X", (unsigned)v);
	else {
		n = utf8_encode(v, tmp);
		tmp[n] = '\0';
		*bracket = 0;
	}
	if (*off < size)
		snprintf(b + *off, size - *off, "%s", tmp);
	*off += n;
}

size_t
keys_format(uint32_t key, char *out, size_t size)
{
	char inner[KEYS_NAME_MAX];
	size_t n = 0;
	int bracket;

	if ((key & ~KEYS_META) == KEYS_NONE)
		return (size_t)snprintf(out, size, "<None>");
	format_base(key & ~KEYS_META, inner, sizeof inner, &n, &bracket);
	if (key & KEYS_META)
		return (size_t)snprintf(out, size, "<M-%s>", inner);
	if (bracket)
		return (size_t)snprintf(out, size, "<%s>", inner);
	return (size_t)snprintf(out, size, "%s", inner);
}

uint32_t
keys_from_wch(int rc, wint_t wc)
{
	if (rc == KEY_CODE_YES) {
		if (wc < (wint_t)KEY_MIN || wc > (wint_t)KEY_MAX)
			return KEYS_NONE;
		return canonical(KC(wc));
	}
	if (rc != OK || wc == 0 || wc > 0x10FFFF)
		return KEYS_NONE;
	return canonical((uint32_t)wc);
}

uint32_t
keys_meta(uint32_t key)
{
	return key == KEYS_NONE ? KEYS_NONE : key | KEYS_META;
}
