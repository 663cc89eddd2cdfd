/* params.c — request parameters and their encodings. */
#include "api/params.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "core/xmalloc.h"

void
params_init(struct params *p)
{
	p->v = NULL;
	p->n = p->cap = 0;
}

static void
param_free(struct param *pp)
{
	if (pp->value != NULL)
		sodium_memzero(pp->value, strlen(pp->value));
	free(pp->name);
	free(pp->value);
}

void
params_free(struct params *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		param_free(&p->v[i]);
	free(p->v);
	params_init(p);
}

static struct param *
params_find(const struct params *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

void
params_set(struct params *p, const char *name, const char *value)
{
	struct param *pp = params_find(p, name);

	if (pp != NULL) {
		char *nv = xstrdup(value);
		sodium_memzero(pp->value, strlen(pp->value));
		free(pp->value);
		pp->value = nv;
		return;
	}
	params_add(p, name, value);
}

void
params_add(struct params *p, const char *name, const char *value)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n].name = xstrdup(name);
	p->v[p->n].value = xstrdup(value);
	p->n++;
}

int
params_del(struct params *p, const char *name)
{
	struct param *pp = params_find(p, name);
	size_t i;

	if (pp == NULL)
		return 0;
	i = (size_t)(pp - p->v);
	param_free(pp);
	memmove(&p->v[i], &p->v[i + 1], (p->n - i - 1) * sizeof *p->v);
	p->n--;
	return 1;
}

const char *
params_get(const struct params *p, const char *name)
{
	const struct param *pp = params_find(p, name);

	return pp != NULL ? pp->value : NULL;
}

void
params_copy(struct params *dst, const struct params *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		params_set(dst, src->v[i].name, src->v[i].value);
}

void
params_sort(struct params *p)
{
	size_t i, j;
	struct param tmp;

	/* Insertion sort: stable, and requests carry a few dozen pairs at most. */
	for (i = 1; i < p->n; i++) {
		tmp = p->v[i];
		for (j = i; j > 0 && strcmp(p->v[j - 1].name, tmp.name) > 0; j--)
			p->v[j] = p->v[j - 1];
		p->v[j] = tmp;
	}
}

void
pct_encode(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	unsigned char c;
	char esc[3];

	buf_reserve(out, len);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(out, (char)c);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 0xF];
		buf_add(out, esc, 3);
	}
}

int
pct_decode(struct buf *out, const char *s, size_t len, int plus_is_space)
{
	size_t i;
	int hi, lo;

	buf_reserve(out, len);
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (i + 2 >= len)
				return -1;
			hi = OPENSSL_hexchar2int((unsigned char)s[i + 1]);
			lo = OPENSSL_hexchar2int((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			buf_addc(out, (char)(hi << 4 | lo));
			i += 2;
		} else if (s[i] == '+' && plus_is_space)
			buf_addc(out, ' ');
		else
			buf_addc(out, s[i]);
	}
	return 0;
}

void
params_canonical(const struct params *p, struct buf *out)
{
	struct params sorted = PARAMS_INIT;
	size_t i;
	int first = 1;

	/* Sort a shallow copy of the pointers so the caller's order stays. */
	sorted.v = xreallocarray(NULL, p->n ? p->n : 1, sizeof *sorted.v);
	if (p->n > 0)
		memcpy(sorted.v, p->v, p->n * sizeof *p->v);
	sorted.n = sorted.cap = p->n;
	params_sort(&sorted);
	for (i = 0; i < sorted.n; i++) {
		if (strcmp(sorted.v[i].name, "Signature") == 0)
			continue;
		if (!first)
			buf_addc(out, '&');
		first = 0;
		pct_encode(out, sorted.v[i].name, strlen(sorted.v[i].name));
		buf_addc(out, '=');
		pct_encode(out, sorted.v[i].value, strlen(sorted.v[i].value));
	}
	free(sorted.v);
}

void
params_form(const struct params *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (i > 0)
			buf_addc(out, '&');
		pct_encode(out, p->v[i].name, strlen(p->v[i].name));
		buf_addc(out, '=');
		pct_encode(out, p->v[i].value, strlen(p->v[i].value));
	}
}
