/* xmalloc.h — allocation wrappers that abort on failure (tmux xmalloc.c). */
#ifndef IOTDECK_XMALLOC_H
#define IOTDECK_XMALLOC_H

#include <stddef.h>

/* Each returns memory owned by the caller; on exhaustion the process exits. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* reallocarray semantics: nmemb * size checked for overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Replaces the owned string *field with a copy of value (NULL: no string). The copy is made
 * before the old string is freed, so value may be *field itself or point into it. */
void xstrset(char **field, const char *value);
/* Formatted allocation; the result is caller-freed. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
