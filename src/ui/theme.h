/* theme.h — what each screen element looks like, and how that fits the terminal.
 *
 * A theme gives each element of elements.def a foreground, a background (0-255 or the
 * default) and attributes, as the theme file wrote them. theme_resolve turns that into
 * what the terminal can show, without touching curses (so tests run with no terminal):
 *
 *   256 colours  as written
 *   16 colours   colours 16-255 become the nearest of the 16 basic ones
 *   8 colours    the same, then bright colours (8-15) become their base colour, in bold
 *                for a foreground; a foreground equal to its background is made to contrast
 *   8 or 16      an element with a background of its own that ends up in the default
 *                element's colours is shown in reverse, so the band does not vanish
 *   no colour    (NO_COLOR set, has_colors() false, fewer than 8 colours) attributes only:
 *                the theme's own, plus reverse for an element whose background differs from
 *                the default element's (the selection, the status bar: bands that would
 *                vanish without colour)
 *
 * In any element but "default", the colour "default" means the default element's colour, so
 * a light theme sets its background once. theme_apply does the curses part (start_color,
 * use_default_colors, init_pair) and must run on the UI thread, after initscr.
 */
#ifndef IOTDECK_THEME_H
#define IOTDECK_THEME_H

#include <curses.h>

/* Every themed element (from elements.def). */
enum ui_element {
#define UI_ELEMENT(id, name, help) UI_E_##id,
#include "ui/elements.def"
#undef UI_ELEMENT
	UI_E_COUNT
};

/* The colour "default": the terminal's own (in the default element) or the default element's. */
#define THEME_COLOR_DEFAULT (-1)

/* One element as the theme file wrote it. */
struct theme_spec {
	short  fg;	/* foreground 0-255, or THEME_COLOR_DEFAULT */
	short  bg;	/* background 0-255, or THEME_COLOR_DEFAULT */
	attr_t attrs;	/* A_BOLD, A_REVERSE ... (no colour pair) */
	int    set;	/* nonzero once a color line set the element */
};

/* A theme: plain data, copied freely. */
struct theme {
	struct theme_spec el[UI_E_COUNT];	/* indexed by enum ui_element */
};

/* What the terminal can show. */
struct theme_caps {
	int colors;		/* 0 (no colour), 8, 16 or 256 */
	int pairs;		/* colour pairs available (COLOR_PAIRS) */
	int default_colors;	/* nonzero when use_default_colors() worked (colour -1 usable) */
};

/* One element as the terminal will show it. */
struct theme_style {
	short  fg;	/* foreground after degradation (-1: terminal default) */
	short  bg;	/* background after degradation (-1: terminal default) */
	attr_t attrs;	/* attributes after degradation, without the pair */
	short  pair;	/* colour pair (0: the terminal's default pair) */
};

/* A theme fitted to a terminal. */
struct theme_resolved {
	struct theme_style el[UI_E_COUNT];	/* indexed by enum ui_element */
	int                npairs;		/* pairs used, numbered 1..npairs */
	short              pair_fg[UI_E_COUNT + 1];	/* foreground of pair i */
	short              pair_bg[UI_E_COUNT + 1];	/* background of pair i */
};

/* Empties t: no element set, every colour the default, no attributes. */
void theme_init(struct theme *t);

/* The name of an element ("selected"), its help line, and the element of a name (-1 when
 * there is no such element). */
const char *theme_element_name(enum ui_element e);
const char *theme_element_help(enum ui_element e);
int theme_element_find(const char *name);

/* Parses a colour: default, black, red, green, yellow, blue, magenta, cyan, white,
 * bright-black .. bright-white (8-15), colorN or N (0-255). Returns 0 with *color set, or
 * -1 with a caller-freed reason in *cause. */
int theme_parse_color(const char *s, short *color, char **cause);
/* Parses an attribute: bold, dim, underline, reverse, blink, italic, standout, normal
 * (normal is 0: the caller clears what came before). Returns 0 or -1 with *cause. */
int theme_parse_attr(const char *s, attr_t *attr, char **cause);

/* The colour to use for colour c (-1, 0-255) on a terminal of colors colours (8, 16 or 256);
 * *bright is set to 1 when an 8-colour terminal needs bold for a bright foreground, else 0. */
short theme_degrade(short c, int colors, int *bright);

/* Fits t to a terminal with caps. Pure: no curses call. */
void theme_resolve(const struct theme *t, const struct theme_caps *caps,
    struct theme_resolved *out);
/* The attr_t to draw a resolved element with: its attributes | COLOR_PAIR(pair). */
attr_t theme_style_attr(const struct theme_style *s);

/* UI thread only, after initscr: decides the terminal's capabilities (NO_COLOR, has_colors,
 * COLORS, COLOR_PAIRS), calls start_color and use_default_colors when colour is wanted,
 * defines the pairs for t and remembers each element's attr_t for theme_attr. Call again
 * after a reload (the pairs are redefined). Returns the colours used (0, 8, 16 or 256). */
int theme_apply(const struct theme *t);
/* The attr_t of element e as the last theme_apply set it (A_NORMAL before any). UI thread. */
attr_t theme_attr(enum ui_element e);

#endif
