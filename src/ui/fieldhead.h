/* fieldhead.h — the block of labelled fields above a table that the device and the group
 * panes draw: wide (FIELDHEAD_WIDE columns or more) two fields a line as the pane lays
 * them out, a field taking a whole line where it says so; narrow, a field a line, the
 * most useful first; never more than half the pane's height. An empty field is blank
 * while its answer is on its way and a dim dash once the answer lacked it (never "…",
 * which says a value was cut). */
#ifndef IOTDECK_FIELDHEAD_H
#define IOTDECK_FIELDHEAD_H

#include "ui/ui.h"

/* The narrowest pane that gets the wide layout (80 columns included). */
#define FIELDHEAD_WIDE 72
/* The columns of a label ("Last online" and a space). */
#define FIELDHEAD_LABEL 12
/* In a wide line's right column: the left field takes the whole line. */
#define FIELDHEAD_SPAN -2
/* In a wide line's right column: nothing. */
#define FIELDHEAD_NONE -1

/* A pane's header: its fields (numbers the pane chooses) and their layouts. */
struct fieldhead {
	const char *const *names;	/* each field's label, by field */
	const int (*wide)[2];		/* the wide lines: left field, right field (or SPAN, NONE) */
	int         nwide;		/* how many */
	const int  *narrow;		/* the fields in narrow order, one a line */
	int         nnarrow;	/* how many */
	/* The value of field f of p (raw; NULL or "": empty), and in *f the field it is (a
	 * pane may show one of two fields in one place); *a its attribute when not empty. */
	const char *(*value)(struct pane *p, int *f, attr_t *a);
	/* Whether the answer that carries field f has come. */
	int (*answered)(struct pane *p, int f);
};

/* The lines the header takes in a pane width x height. */
int fieldhead_lines(const struct fieldhead *h, int width, int height);
/* Draws the header's lines (fieldhead_lines of them) at the top of w, width wide. */
void fieldhead_draw(const struct fieldhead *h, struct pane *p, WINDOW *w, int width,
    int lines);

#endif
