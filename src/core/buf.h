/* buf.h — a growable byte buffer, always NUL-terminated. */
#ifndef IOTDECK_BUF_H
#define IOTDECK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char   *data;	/* bytes, NUL-terminated; owned by the buf */
	size_t  len;	/* bytes used, not counting the NUL */
	size_t  cap;	/* bytes allocated */
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
/* Frees the storage and leaves the buf empty and reusable. */
void buf_free(struct buf *b);
/* Frees after overwriting the contents with zeros (for secrets). */
void buf_free_wipe(struct buf *b);
void buf_reset(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the storage to the caller (never NULL) and leaves the buf empty. */
char *buf_detach(struct buf *b);
/* Returns the contents as a C string (empty string when nothing was added). */
const char *buf_str(const struct buf *b);

#endif
