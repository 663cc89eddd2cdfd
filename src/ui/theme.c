/* theme.c — elements, colour names, fitting a theme to the terminal (see theme.h). */
#include "ui/theme.h"

#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/named.h"

/* Each element's name in themes, and what it colours. */
static const struct named elements[UI_E_COUNT] = {
#define UI_ELEMENT(id, name, help) { name, help },
#include "ui/elements.def"
#undef UI_ELEMENT
};

static const char *const color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white"
};

static const struct attr_name {
	const char *name;	/* as themes write it */
	attr_t      attr;	/* the curses attribute (0 for normal) */
} attr_names[] = {
	{ "normal",    A_NORMAL },
	{ "bold",      A_BOLD },
	{ "dim",       A_DIM },
	{ "underline", A_UNDERLINE },
	{ "reverse",   A_REVERSE },
	{ "blink",     A_BLINK },
	{ "italic",    A_ITALIC },
	{ "standout",  A_STANDOUT },
};

/* xterm's RGB values of the 16 basic colours. */
static const unsigned char basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 }
};

/* The element attributes theme_apply settled on (UI thread only). */
static attr_t applied[UI_E_COUNT];

void
theme_init(struct theme *t)
{
	size_t i;

	for (i = 0; i < UI_E_COUNT; i++) {
		t->el[i].fg = THEME_COLOR_DEFAULT;
		t->el[i].bg = THEME_COLOR_DEFAULT;
		t->el[i].attrs = A_NORMAL;
		t->el[i].set = 0;
	}
}

const char *
theme_element_name(enum ui_element e)
{
	return named_name(elements, UI_E_COUNT, (int)e);
}

const char *
theme_element_help(enum ui_element e)
{
	return named_help(elements, UI_E_COUNT, (int)e);
}

int
theme_element_find(const char *name)
{
	return named_find(elements, UI_E_COUNT, name);
}

/* Parses 0-255 taking all of s; -1 when s is not such a number. */
static int
parse_index(const char *s)
{
	int v = 0;

	if (*s == '\0' || strlen(s) > 3)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= 255 ? v : -1;
}

int
theme_parse_color(const char *s, short *color, char **cause)
{
	const char *num = s;
	char *shown;
	int i;

	if (strcmp(s, "default") == 0) {
		*color = THEME_COLOR_DEFAULT;
		return 0;
	}
	for (i = 0; i < 16; i++) {
		if (strcmp(s, color_names[i]) == 0) {
			*color = (short)i;
			return 0;
		}
	}
	if (strncmp(s, "color", 5) == 0)
		num = s + 5;
	else if (strncmp(s, "colour", 6) == 0)
		num = s + 6;
	if ((i = parse_index(num)) >= 0) {
		*color = (short)i;
		return 0;
	}
	shown = safetext_excerpt(s, strlen(s), 40);
	*cause = xasprintf("unknown colour '%s'", shown);
	free(shown);
	return -1;
}

int
theme_parse_attr(const char *s, attr_t *attr, char **cause)
{
	char *shown;
	size_t i;

	for (i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
		if (strcmp(s, attr_names[i].name) == 0) {
			*attr = attr_names[i].attr;
			return 0;
		}
	}
	shown = safetext_excerpt(s, strlen(s), 40);
	*cause = xasprintf("unknown attribute '%s'", shown);
	free(shown);
	return -1;
}

/* The RGB value xterm gives colour c (0-255). */
static void
rgb_of(int c, int rgb[3])
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int i;

	if (c < 16) {
		for (i = 0; i < 3; i++)
			rgb[i] = basic_rgb[c][i];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = level[c / 36];
		rgb[1] = level[(c / 6) % 6];
		rgb[2] = level[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

/* The basic colour (0-15) nearest to colour c (0-255), by hue rather than distance, so a
 * dark green stays green: greys (channels within 40 of each other) go by lightness to
 * black, bright-black, white or bright-white; other colours keep the channels that reach
 * 3/4 of the strongest one (red + green = yellow ...), bright when the strongest is >= 215. */
static int
nearest_basic(int c)
{
	int rgb[3], max, min, avg, idx = 0, i;

	if (c < 16)
		return c;
	rgb_of(c, rgb);
	max = min = rgb[0];
	for (i = 1; i < 3; i++) {
		if (rgb[i] > max)
			max = rgb[i];
		if (rgb[i] < min)
			min = rgb[i];
	}
	if (max - min < 40) {
		avg = (rgb[0] + rgb[1] + rgb[2]) / 3;
		if (avg < 64)
			return 0;
		if (avg < 160)
			return 8;
		return avg < 224 ? 7 : 15;
	}
	for (i = 0; i < 3; i++) {
		if (rgb[i] * 4 >= max * 3)
			idx |= 1 << i;
	}
	return max >= 215 ? idx + 8 : idx;
}

short
theme_degrade(short c, int colors, int *bright)
{
	int b;

	*bright = 0;
	if (c < 0 || colors >= 256)
		return c;
	b = nearest_basic(c);
	if (colors >= 16)
		return (short)b;
	if (b >= 8) {
		*bright = 1;
		b -= 8;
	}
	return (short)b;
}

/* A foreground that shows on basic background bg (0-7). */
static short
contrast_of(short bg)
{
	return (bg == 0 || bg == 1 || bg == 4 || bg == 5) ? 7 : 0;
}

void
theme_resolve(const struct theme *t, const struct theme_caps *caps, struct theme_resolved *out)
{
	const struct theme_spec *d = &t->el[UI_E_DEFAULT];
	const struct theme_spec *s;
	struct theme_style *st;
	short fg, bg;
	int e, i, bright_fg, bright_bg, band;

	memset(out, 0, sizeof *out);
	for (e = 0; e < UI_E_COUNT; e++) {
		s = t->el[e].set ? &t->el[e] : d;
		st = &out->el[e];
		fg = s->fg;
		bg = s->bg;
		if (e != UI_E_DEFAULT) {
			if (fg == THEME_COLOR_DEFAULT)
				fg = d->fg;
			if (bg == THEME_COLOR_DEFAULT)
				bg = d->bg;
		}
		st->attrs = s->attrs;
		st->fg = st->bg = -1;
		st->pair = 0;
		band = e != UI_E_DEFAULT && bg != d->bg && !(st->attrs & A_REVERSE);
		if (caps->colors < 8) {
			if (band)
				st->attrs |= A_REVERSE;
			continue;
		}
		fg = theme_degrade(fg, caps->colors, &bright_fg);
		bg = theme_degrade(bg, caps->colors, &bright_bg);
		if (bright_fg)
			st->attrs |= A_BOLD;
		if (!caps->default_colors) {
			if (fg < 0)
				fg = 7;
			if (bg < 0)
				bg = 0;
		}
		if (caps->colors < 16 && fg >= 0 && fg == bg)
			fg = contrast_of(bg);
		/* a band whose colours became the default element's would vanish */
		if (band && fg == out->el[UI_E_DEFAULT].fg && bg == out->el[UI_E_DEFAULT].bg)
			st->attrs |= A_REVERSE;
		st->fg = fg;
		st->bg = bg;
		if (fg < 0 && bg < 0)
			continue;
		for (i = 1; i <= out->npairs; i++) {
			if (out->pair_fg[i] == fg && out->pair_bg[i] == bg)
				break;
		}
		if (i > out->npairs) {
			if (i >= caps->pairs)
				continue;	/* no pair left: attributes only */
			out->npairs = i;
			out->pair_fg[i] = fg;
			out->pair_bg[i] = bg;
		}
		st->pair = (short)i;
	}
}

attr_t
theme_style_attr(const struct theme_style *s)
{
	return s->attrs | (attr_t)COLOR_PAIR(s->pair);
}

int
theme_apply(const struct theme *t)
{
	struct theme_caps caps = { 0, 0, 0 };
	struct theme_resolved r;
	const char *no_color = getenv("NO_COLOR");
	int i;

	if ((no_color == NULL || *no_color == '\0') && has_colors() && start_color() == OK &&
	    COLORS >= 8) {
		caps.colors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8;
		caps.pairs = COLOR_PAIRS;
		caps.default_colors = use_default_colors() == OK;
	}
	theme_resolve(t, &caps, &r);
	for (i = 1; i <= r.npairs; i++)
		init_pair((short)i, r.pair_fg[i], r.pair_bg[i]);
	for (i = 0; i < UI_E_COUNT; i++)
		applied[i] = theme_style_attr(&r.el[i]);
	return caps.colors;
}

attr_t
theme_attr(enum ui_element e)
{
	return (unsigned)e < UI_E_COUNT ? applied[e] : A_NORMAL;
}
