/* sorted.c — where a key is, or would go, in a sorted array (see sorted.h). */
#include "core/sorted.h"

size_t
sorted_find(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *key, const void *element), int *found)
{
	size_t lo = 0, hi = n, mid;
	int c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp(key, (const char *)base + mid * size);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
