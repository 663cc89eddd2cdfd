/* known.c — ProductKeys and names the console has seen (see known.h). */
#include "ui/known.h"

#include <stdlib.h>
#include <string.h>

#include "core/sorted.h"
#include "core/xmalloc.h"

void
known_free(struct known *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].key);
		free(k->v[i].name);
	}
	free(k->v);
	memset(k, 0, sizeof *k);
}

static int
key_cmp(const void *key, const void *element)
{
	return strcmp(key, ((const struct known_product *)element)->key);
}

/* The index where key is or would go. */
static size_t
find(const struct known *k, const char *key, int *found)
{
	return sorted_find(key, k->v, k->n, sizeof *k->v, key_cmp, found);
}

void
known_product(struct known *k, const char *key, const char *name)
{
	int found;
	size_t i = find(k, key, &found);

	if (!found) {
		if (k->n == k->cap) {
			k->cap = k->cap ? k->cap * 2 : 32;
			k->v = xreallocarray(k->v, k->cap, sizeof *k->v);
		}
		memmove(k->v + i + 1, k->v + i, (k->n - i) * sizeof *k->v);
		k->n++;
		k->v[i].key = xstrdup(key);
		k->v[i].name = NULL;
		k->v[i].devices = -1;
	}
	xstrset(&k->v[i].name, name != NULL && *name != '\0' ? name : NULL);
}

void
known_product_devices(struct known *k, const char *key, int64_t n)
{
	int found;
	size_t i = find(k, key, &found);

	if (found)
		k->v[i].devices = n >= 0 ? n : -1;
}

int64_t
known_product_device_count(const struct known *k, const char *key)
{
	int found;
	size_t i = find(k, key, &found);

	return found ? k->v[i].devices : -1;
}

const char *
known_product_name(const struct known *k, const char *key)
{
	int found;
	size_t i = find(k, key, &found);

	return found ? k->v[i].name : NULL;
}

size_t
known_prefix(const struct known *k, const char *prefix, size_t *count)
{
	int found;
	size_t first = find(k, prefix, &found), i, len = strlen(prefix);

	for (i = first; i < k->n && strncmp(k->v[i].key, prefix, len) == 0; i++)
		;
	*count = i - first;
	return first;
}
