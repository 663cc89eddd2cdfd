/* keys.h — key names (as keymaps and the help overlay write them) and key codes.
 *
 * A key is a uint32_t:
 *
 *   bits 0-20   a Unicode code point: the character typed, control characters included
 *               (<C-r> is 0x12), or, when KEYS_CODE is set, an ncurses KEY_* code
 *               (KEY_UP, KEY_F(1), KEY_BTAB ...), as get_wch reports with KEY_CODE_YES
 *   bit 21      KEYS_CODE: the low bits are a KEY_* code, not a character
 *   bit 22      KEYS_META: the key was typed with Alt/Meta, i.e. after an ESC prefix
 *   0           KEYS_NONE: no key (get_wch's ERR; a NUL byte, <C-Space>, is not a key)
 *
 * Keys are kept canonical so that a keymap lookup is an integer compare: keys_parse and
 * keys_from_wch give the same value for the same key however it was named or sent.
 *
 *   <Enter>      '\n'   also for '\r' (nonl mode), KEY_ENTER, <C-j>, <C-m>, <CR>, <Return>
 *   <Backspace>  KEYS_CODE|KEY_BACKSPACE   also for DEL (0x7F) and ^?
 *   <Tab>        '\t'   also <C-i>;  <BackTab> is KEYS_CODE|KEY_BTAB (also <S-Tab>)
 *   <Esc>        0x1B   also <C-[>;  <Space> is ' ';  <Hash> is '#' (a comment otherwise)
 *   <C-a>..<C-z> 0x01..0x1A (the exceptions above aside; <C-h> stays 0x08); ^R = <C-r>
 *   <M-x>        KEYS_META|'x';  <M-C-x> and <C-M-x> are KEYS_META|0x18
 *
 * Meta: terminals send Alt-x as ESC followed by x. The UI loop, on reading <Esc>, reads
 * once more without waiting long (the same short ESCDELAY it gives ncurses); when another
 * key is there, the key is keys_meta(that key), otherwise it is <Esc>:
 *
 *     key = keys_from_wch(get_wch(&wc), wc);
 *     if (key == KEYS_ESC) { wtimeout(w, 25); k2 = keys_from_wch(wget_wch(w, &wc), wc);
 *                            wtimeout(w, old); if (k2 != KEYS_NONE) key = keys_meta(k2); }
 */
#ifndef IOTDECK_KEYS_H
#define IOTDECK_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#define KEYS_NONE	0u		/* no key */
#define KEYS_VALUE	0x001FFFFFu	/* mask of the code point or KEY_* code */
#define KEYS_CODE	0x00200000u	/* the value is an ncurses KEY_* code */
#define KEYS_META	0x00400000u	/* typed with Alt/Meta (after an ESC prefix) */

#define KEYS_ENTER	((uint32_t)'\n')	/* canonical <Enter> */
#define KEYS_ESC	((uint32_t)0x1B)	/* <Esc> */
#define KEYS_TAB	((uint32_t)'\t')	/* <Tab> */

/* Longest name keys_format writes, NUL included. */
#define KEYS_NAME_MAX	32

/* Parses a key name ("q", "G", ":", "<Enter>", "<PgDn>", "<F5>", "<C-r>", "^R", "<M-x>",
 * "<U+00E9>", "é"). Single characters are case-sensitive; names in <> are not, except the
 * character after a modifier (<M-x> and <M-X> differ; <C-r> and <C-R> do not).
 * Returns 0 and stores the canonical key, or -1 with a caller-freed reason in *cause. */
int keys_parse(const char *name, uint32_t *key, char **cause);

/* Writes the name of key into out (at most size bytes, always NUL-terminated) in the form
 * keys_parse reads back ("q", "<Enter>", "<C-r>", "<M-x>", "<U+202E>" for characters that
 * are not safe to show). Returns the length of the full name, as snprintf does. */
size_t keys_format(uint32_t key, char *out, size_t size);

/* Turns what get_wch returned (rc: OK, KEY_CODE_YES or ERR; wc: the character or code)
 * into a canonical key. ERR gives KEYS_NONE. Pure: no curses call. */
uint32_t keys_from_wch(int rc, wint_t wc);

/* The Meta/Alt form of key (KEYS_NONE stays KEYS_NONE). */
uint32_t keys_meta(uint32_t key);

#endif
