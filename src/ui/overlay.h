/* overlay.h — a scrollable text box over the panes: help, :stats, the error history, a
 * row's description.
 *
 * Lines are kept as given (made display-safe when added) and wrapped to the box's width
 * when drawn, so nothing is cut; a resize rewraps. Keys scroll it (j k arrows, PgUp PgDn
 * space, g G Home End); only Esc and q close it, so a stray key never hides an error the
 * operator is reading.
 */
#ifndef IOTDECK_OVERLAY_H
#define IOTDECK_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>

struct overlay {
	char   *title;	/* shown in the frame (display-safe, owned), NULL: closed */
	char  **lines;	/* the text, display-safe (owned) */
	size_t  n;	/* lines */
	size_t  top;	/* first wrapped line shown */
	size_t  rows;	/* wrapped lines at the last draw (for scrolling) */
	int     page;	/* text rows of the box at the last draw */
};

/* Empties o (closing it); harmless on a zeroed struct. */
void overlay_clear(struct overlay *o);
/* Starts a new text titled title (o is cleared first). */
void overlay_begin(struct overlay *o, const char *title);
/* Appends one line (any text: it is made display-safe). */
void overlay_add(struct overlay *o, const char *line);
void overlay_addf(struct overlay *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 while it is open (begun and not closed). */
int overlay_is_open(const struct overlay *o);

/* Returns 1 when key closed the overlay (Esc, q), 0 otherwise (a scroll key, or a key it
 * ignores). */
int overlay_key(struct overlay *o, uint32_t key);

/* Draws o into w (which it fills): a box with the title, the lines wrapped to the width.
 * frame and text are the attributes. */
void overlay_draw(struct overlay *o, WINDOW *w, attr_t frame, attr_t title, attr_t text);

/* Appends to *lines (growing *n) the wrapped form of s (display-safe) at cols columns:
 * each piece at most cols wide, breaking at spaces when it can. Pieces are caller-freed. */
void overlay_wrap(const char *s, int cols, char ***lines, size_t *n);

#endif
