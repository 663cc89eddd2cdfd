/* named.h — a table of names, each with a help line or title (the actions, panes and theme
 * elements of the .def lists): one lookup for all of them. */
#ifndef IOTDECK_UI_NAMED_H
#define IOTDECK_UI_NAMED_H

#include <stddef.h>

/* One entry. */
struct named {
	const char *name;	/* as files and commands write it */
	const char *help;	/* its help line or title */
};

/* t[i].name, or "?" when i is not an index of t[0..n). */
const char *named_name(const struct named *t, size_t n, int i);
/* t[i].help, or "" when i is not an index of t[0..n). */
const char *named_help(const struct named *t, size_t n, int i);
/* The index of name in t[0..n), or -1. */
int named_find(const struct named *t, size_t n, const char *name);

#endif
