/* named.c — a table of names with help lines (see named.h). */
#include "ui/named.h"

#include <string.h>

const char *
named_name(const struct named *t, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? t[i].name : "?";
}

const char *
named_help(const struct named *t, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? t[i].help : "";
}

int
named_find(const struct named *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return (int)i;
	return -1;
}
