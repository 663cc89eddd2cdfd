/* secret.h — a secret string held in libsodium guarded memory.
 *
 * The bytes live in one sodium_malloc() allocation (guard pages, canary, mlock'd,
 * excluded from core dumps) that is kept PROT_NONE while nobody is reading it.
 * secret_reveal() makes it readable and returns a NUL-terminated pointer; every reveal
 * is paired with one secret_hide().  Reveal/hide are counted under a mutex, so two threads
 * (the UI and the API worker signing a request) may read the same secret at once.
 * secret_free() wipes the bytes (sodium_free zeroes them) before releasing them.
 *
 * Whoever holds a struct secret owns it and frees it; functions that take one say so.
 */
#ifndef IOTDECK_SECRET_H
#define IOTDECK_SECRET_H

#include <stddef.h>

struct secret;

/* Largest secret accepted (passphrases, AccessKey secrets, STS security tokens), in
 * bytes. Every secret is allocated at its own capacity, so this only bounds them. */
#define SECRET_MAX 4096

/* Returns an empty secret able to hold up to cap bytes (cap <= SECRET_MAX).
 * Aborts when guarded memory cannot be had, like xmalloc. */
struct secret *secret_new(size_t cap);
/* Returns a new secret holding a copy of p[0..len) (len <= SECRET_MAX). */
struct secret *secret_from(const char *p, size_t len);
/* Returns a new secret with the same contents as s (NULL for NULL). */
struct secret *secret_dup(struct secret *s);
/* Wipes and releases s; NULL is fine. */
void secret_free(struct secret *s);

/* Appends p[0..len); returns 0, or -1 (nothing appended) when it would exceed the capacity. */
int secret_append(struct secret *s, const char *p, size_t len);
/* Removes the last UTF-8 character (for a backspace in an input field). */
void secret_pop(struct secret *s);
/* Empties s (the bytes are wiped). */
void secret_clear(struct secret *s);
/* Wipes and frees a string held in the ordinary heap (a token, a secret's copy on its
 * way elsewhere); NULL is fine. */
void secret_str_free(char *s);
/* Length in bytes; the length itself is not secret. */
size_t secret_len(const struct secret *s);

/* Makes s readable and returns its NUL-terminated bytes, valid until the matching
 * secret_hide(). Never copy the result into ordinary memory. */
const char *secret_reveal(struct secret *s);
/* Ends one secret_reveal(); the memory becomes inaccessible when the last reader hides it. */
void secret_hide(struct secret *s);
/* How many reveals are outstanding (0: the pages are not readable). */
int secret_readers(struct secret *s);

/* Returns 1 when a and b hold the same bytes (constant time in the length), else 0. */
int secret_equal(struct secret *a, struct secret *b);

/* Writes a masked form of s into out[0..outsz): "********" followed by the last 4
 * characters when s has at least 12 bytes (an AccessKey secret has 30), otherwise the
 * mask alone, so a short secret is never mostly shown. The mask does not depend on the
 * length. out is always NUL-terminated; outsz >= 13 holds every result. */
void secret_mask(struct secret *s, char *out, size_t outsz);
/* The same masking for text that is not in a struct secret. */
void secret_mask_text(const char *p, size_t len, char *out, size_t outsz);

struct cJSON;
/* Zeroes every string in a cJSON tree (values that are not references, and keys), then
 * cJSON_Delete's it: for trees parsed from text that held secrets. NULL is fine. */
void secret_json_delete(struct cJSON *j);

#endif
