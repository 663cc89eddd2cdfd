/* sorted.h — where a key is, or would go, in a sorted array. */
#ifndef IOTDECK_SORTED_H
#define IOTDECK_SORTED_H

#include <stddef.h>

/* Returns the index of the first of the n elements at base (each size bytes, sorted by
 * cmp) that is not less than key: where key is, or where it would be inserted. *found is
 * set to 1 when that element equals key, else 0. cmp(key, element) is as for bsearch(3). */
size_t sorted_find(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *key, const void *element), int *found);

#endif
