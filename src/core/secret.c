/* secret.c — secret strings in libsodium guarded memory (see secret.h). */
#include "core/secret.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "core/xmalloc.h"

struct secret {
	pthread_mutex_t	 lock;		/* guards readers and the protection state */
	int		 readers;	/* outstanding secret_reveal() calls */
	size_t		 len;		/* bytes held, without the NUL */
	size_t		 cap;		/* bytes that fit, without the NUL */
	char		*data;		/* sodium_malloc'd, cap + 1 bytes; PROT_NONE when readers == 0 */
};

static void
secret_die(const char *what)
{
	static const char pre[] = "iotdeck: guarded memory: ";

	if (fwrite(pre, 1, sizeof pre - 1, stderr) == 0 ||
	    fwrite(what, 1, strlen(what), stderr) == 0 || fputc('\n', stderr) == EOF)
		abort();
	abort();
}

struct secret *
secret_new(size_t cap)
{
	struct secret *s;

	if (cap > SECRET_MAX)
		cap = SECRET_MAX;
	if (sodium_init() < 0)
		secret_die("libsodium cannot be initialised");
	s = xcalloc(1, sizeof *s);
	if (pthread_mutex_init(&s->lock, NULL) != 0)
		secret_die("cannot create a mutex");
	s->cap = cap;
	s->data = sodium_malloc(cap + 1);
	if (s->data == NULL)
		secret_die("out of memory (sodium_malloc)");
	sodium_memzero(s->data, cap + 1);
	sodium_mprotect_noaccess(s->data);
	return s;
}

/* Both run with s->lock held: make the bytes writable, then back to the state the
 * current readers need. */
static void
secret_writable(struct secret *s)
{
	sodium_mprotect_readwrite(s->data);
}

static void
secret_settle(struct secret *s)
{
	if (s->readers > 0)
		sodium_mprotect_readonly(s->data);
	else
		sodium_mprotect_noaccess(s->data);
}

struct secret *
secret_from(const char *p, size_t len)
{
	struct secret *s = secret_new(len);

	if (secret_append(s, p, len) != 0)
		secret_die("secret too long");
	return s;
}

struct secret *
secret_dup(struct secret *s)
{
	struct secret *d;

	if (s == NULL)
		return NULL;
	d = secret_new(s->cap);
	secret_append(d, secret_reveal(s), s->len);
	secret_hide(s);
	return d;
}

void
secret_free(struct secret *s)
{
	if (s == NULL)
		return;
	sodium_free(s->data);	/* makes it writable, zeroes it, checks the canary */
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int
secret_append(struct secret *s, const char *p, size_t len)
{
	int rc = -1;

	pthread_mutex_lock(&s->lock);
	if (len <= s->cap - s->len) {
		secret_writable(s);
		memcpy(s->data + s->len, p, len);
		s->len += len;
		s->data[s->len] = '\0';
		secret_settle(s);
		rc = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void
secret_pop(struct secret *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->len > 0) {
		secret_writable(s);
		/* Back over UTF-8 continuation bytes to the start of the last character. */
		unsigned char c;

		do {
			s->len--;
			c = (unsigned char)s->data[s->len];
			s->data[s->len] = '\0';
		} while (s->len > 0 && (c & 0xC0) == 0x80);
		secret_settle(s);
	}
	pthread_mutex_unlock(&s->lock);
}

void
secret_clear(struct secret *s)
{
	pthread_mutex_lock(&s->lock);
	secret_writable(s);
	sodium_memzero(s->data, s->cap + 1);
	s->len = 0;
	secret_settle(s);
	pthread_mutex_unlock(&s->lock);
}

size_t
secret_len(const struct secret *s)
{
	return s->len;
}

const char *
secret_reveal(struct secret *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->readers++ == 0)
		sodium_mprotect_readonly(s->data);
	pthread_mutex_unlock(&s->lock);
	return s->data;
}

void
secret_hide(struct secret *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->readers > 0 && --s->readers == 0)
		sodium_mprotect_noaccess(s->data);
	pthread_mutex_unlock(&s->lock);
}

int
secret_readers(struct secret *s)
{
	int n;

	pthread_mutex_lock(&s->lock);
	n = s->readers;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int
secret_equal(struct secret *a, struct secret *b)
{
	const char *pa, *pb;
	int eq;

	if (a->len != b->len)
		return 0;
	pa = secret_reveal(a);
	pb = secret_reveal(b);
	eq = sodium_memcmp(pa, pb, a->len) == 0;
	secret_hide(b);
	secret_hide(a);
	return eq;
}

void
secret_mask_text(const char *p, size_t len, char *out, size_t outsz)
{
	static const char stars[] = "********";
	size_t n = 0, tail = len >= 12 ? 4 : 0, i;

	if (outsz == 0)
		return;
	for (i = 0; i < sizeof stars - 1 && n + 1 < outsz; i++)
		out[n++] = stars[i];
	for (i = len - tail; i < len && n + 1 < outsz; i++) {
		unsigned char c = (unsigned char)p[i];

		/* Only printable ASCII is shown; anything else stays masked. */
		out[n++] = (c >= 0x21 && c <= 0x7E) ? (char)c : '*';
	}
	out[n] = '\0';
}

void
secret_mask(struct secret *s, char *out, size_t outsz)
{
	secret_mask_text(secret_reveal(s), s->len, out, outsz);
	secret_hide(s);
}

static void
secret_json_wipe(cJSON *j)
{
	for (; j != NULL; j = j->next) {
		if (cJSON_IsString(j) && j->valuestring != NULL && !(j->type & cJSON_IsReference))
			sodium_memzero(j->valuestring, strlen(j->valuestring));
		if (j->string != NULL && !(j->type & cJSON_StringIsConst))
			sodium_memzero(j->string, strlen(j->string));
		secret_json_wipe(j->child);
	}
}

void
secret_json_delete(struct cJSON *j)
{
	secret_json_wipe(j);
	cJSON_Delete(j);
}

void
secret_str_free(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}
