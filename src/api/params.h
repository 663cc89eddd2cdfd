/* params.h — request parameters (name/value pairs), RFC 3986 encoding, canonical form.
 *
 * Values are wiped when freed: they can hold tokens (SecurityToken).
 */
#ifndef IOTDECK_PARAMS_H
#define IOTDECK_PARAMS_H

#include <stddef.h>

#include "core/buf.h"

struct param {
	char *name;	/* parameter name, owned */
	char *value;	/* parameter value (UTF-8, may be empty), owned */
};

struct params {
	struct param *v;	/* the pairs, in insertion order until params_sort */
	size_t        n;	/* pairs used */
	size_t        cap;	/* pairs allocated */
};

#define PARAMS_INIT { NULL, 0, 0 }

void params_init(struct params *p);
/* Frees every pair (values are zeroed first). */
void params_free(struct params *p);
/* Sets name to value, replacing an existing pair of that name. Both are copied. */
void params_set(struct params *p, const char *name, const char *value);
/* Appends the pair even when the name is already there (a server sees what was sent). */
void params_add(struct params *p, const char *name, const char *value);
/* Removes the pair of that name; returns 1 when one was removed. */
int params_del(struct params *p, const char *name);
/* Returns the value of name, or NULL. Valid until p changes. */
const char *params_get(const struct params *p, const char *name);
/* Deep copy of src into dst (dst must be empty). */
void params_copy(struct params *dst, const struct params *src);
/* Sorts by the byte order of names (ties keep insertion order). */
void params_sort(struct params *p);

/* Appends the RFC 3986 percent-encoding of s[0..len) to out: A-Z a-z 0-9 - _ . ~ kept,
 * every other byte (UTF-8 included) as %XY with upper-case hex; space is %20. */
void pct_encode(struct buf *out, const char *s, size_t len);
/* Appends the decoding of s[0..len) to out. plus_is_space: '+' decodes to ' ' (form
 * bodies and query strings). Returns 0, or -1 on a malformed %-escape. */
int pct_decode(struct buf *out, const char *s, size_t len, int plus_is_space);

/* Appends the canonicalized query string of section 4.5: pairs sorted by name,
 * encode(name)=encode(value) joined by '&'. Pairs named "Signature" are skipped. */
void params_canonical(const struct params *p, struct buf *out);
/* Appends p as an application/x-www-form-urlencoded body (RFC 3986 encoded, in order). */
void params_form(const struct params *p, struct buf *out);

#endif
