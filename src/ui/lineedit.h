/* lineedit.h — the console's one line editor: the : / ? prompt, the unlock screen's
 * passphrase and the fields of a form all edit through it.
 *
 * A line is UTF-8 text of at most max bytes with a cursor on a character boundary. Keys are
 * those of keys.h (readline's and the arrows): Left/Right (C-b C-f), Home/End (C-a C-e),
 * Backspace, Delete (C-d), C-u (to the start), C-k (to the end), C-w (the word before the
 * cursor). Characters that core/safetext.h flags (controls, bidi overrides...) are never
 * inserted, so what is typed is display-safe as it stands.
 *
 * A secret line (lineedit_init_secret) types into guarded memory (core/secret.h): nothing
 * of it is ever copied into ordinary memory or drawn, the cursor stays at the end, and only
 * insertion, Backspace and C-u (or Esc, the caller's choice) apply.
 */
#ifndef IOTDECK_LINEEDIT_H
#define IOTDECK_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/secret.h"

struct lineedit {
	struct buf     text;	/* the line (plain lines; empty for a secret one) */
	size_t         cursor;	/* byte offset of the cursor in text */
	size_t         max;	/* the most bytes the line holds */
	int            scroll;	/* first column shown by the last render */
	struct secret *secret;	/* a secret line: typed here (borrowed), else NULL */
};

/* What a key did. */
enum lineedit_result {
	LINEEDIT_IGNORED,	/* not a key of the editor: the caller's (Tab, Up, F-keys...) */
	LINEEDIT_CHANGED,	/* the text changed */
	LINEEDIT_MOVED,		/* only the cursor moved (or nothing happened: at an end) */
	LINEEDIT_ENTER,		/* Enter */
	LINEEDIT_CANCEL,	/* Esc or C-g */
	LINEEDIT_EMPTY,		/* Backspace on an empty line (a prompt closes on it) */
	LINEEDIT_FULL		/* a character did not fit in max bytes: nothing changed */
};

/* An empty plain line of at most max bytes. */
void lineedit_init(struct lineedit *e, size_t max);
/* A secret line typed into s (its capacity is the limit); s stays the caller's. */
void lineedit_init_secret(struct lineedit *e, struct secret *s);
/* Frees the text (not the secret). The editor may be initialised again. */
void lineedit_free(struct lineedit *e);
/* Replaces the text with s (cut on a character boundary at max bytes; unsafe characters
 * dropped), the cursor at the end. Not for secret lines. */
void lineedit_set(struct lineedit *e, const char *s);
/* Empties the line (a secret one is wiped). */
void lineedit_clear(struct lineedit *e);
/* The text (never NULL; "" for a secret line). */
const char *lineedit_text(const struct lineedit *e);
/* Applies key (keys.h encoding). */
enum lineedit_result lineedit_key(struct lineedit *e, uint32_t key);
/* What to draw in cols columns: appends to out the part of the line that is shown (a
 * secret line shows nothing), scrolled so the cursor is visible, and returns the cursor's
 * column in it. Wide characters count two columns. */
int lineedit_render(struct lineedit *e, int cols, struct buf *out);

#endif
