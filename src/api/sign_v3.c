/* sign_v3.c — signature v3 (ACS3-HMAC-SHA256); see sign_v3.h for the algorithm. */
#include "api/sign_v3.h"

#include <stdlib.h>
#include <string.h>

#include "api/sign.h"
#include "core/xmalloc.h"

/* A shallow copy of p's pairs sorted by name (caller frees the array only). */
static struct param *
sorted_pairs(const struct params *p)
{
	struct params s = PARAMS_INIT;

	s.v = xreallocarray(NULL, p->n ? p->n : 1, sizeof *s.v);
	if (p->n > 0)
		memcpy(s.v, p->v, p->n * sizeof *p->v);
	s.n = s.cap = p->n;
	params_sort(&s);
	return s.v;
}

static void
add_trimmed(struct buf *out, const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	buf_add(out, s, len);
}

/* name=value pairs of q[0..n), encoded, joined by '&'. */
static void
add_query(struct buf *out, const struct param *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(out, '&');
		pct_encode(out, q[i].name, strlen(q[i].name));
		buf_addc(out, '=');
		pct_encode(out, q[i].value, strlen(q[i].value));
	}
}

void
sign_v3_canonical_query(const struct params *query, struct buf *out)
{
	struct param *q = sorted_pairs(query);

	add_query(out, q, query->n);
	free(q);
}

void
sign_v3_canonical_request(const char *method, const char *path,
    const struct params *query, const struct params *headers, const char *payload_hash,
    struct buf *out)
{
	struct param *h = sorted_pairs(headers), *q = sorted_pairs(query);
	size_t i;

	buf_adds(out, method);
	buf_addc(out, '\n');
	buf_adds(out, path);
	buf_addc(out, '\n');
	add_query(out, q, query->n);
	buf_addc(out, '\n');
	for (i = 0; i < headers->n; i++) {
		buf_adds(out, h[i].name);
		buf_addc(out, ':');
		add_trimmed(out, h[i].value);
		buf_addc(out, '\n');
	}
	buf_addc(out, '\n');
	for (i = 0; i < headers->n; i++) {
		if (i > 0)
			buf_addc(out, ';');
		buf_adds(out, h[i].name);
	}
	buf_addc(out, '\n');
	buf_adds(out, payload_hash);
	free(q);
	free(h);
}

void
sign_v3_string_to_sign(const char *canonical_request, struct buf *out)
{
	char hex[65];

	sign_sha256_hex(canonical_request, strlen(canonical_request), hex);
	buf_adds(out, SIGN_V3_ALGORITHM "\n");
	buf_adds(out, hex);
}

char *
sign_v3_signature(const char *secret, const char *canonical_request)
{
	struct buf sts = BUF_INIT;
	char hex[65];

	sign_v3_string_to_sign(canonical_request, &sts);
	sign_hmac_sha256_hex(secret, strlen(secret), buf_str(&sts), sts.len, hex);
	buf_free(&sts);
	return xstrdup(hex);
}

char *
sign_v3_authorization(const char *access_key_id, const char *secret,
    const char *method, const char *path, const struct params *query,
    const struct params *headers, const char *payload_hash)
{
	struct buf canon = BUF_INIT, auth = BUF_INIT;
	struct param *h = sorted_pairs(headers);
	char *sig;
	size_t i;

	sign_v3_canonical_request(method, path, query, headers, payload_hash, &canon);
	sig = sign_v3_signature(secret, buf_str(&canon));
	buf_addf(&auth, "%s Credential=%s,SignedHeaders=", SIGN_V3_ALGORITHM, access_key_id);
	for (i = 0; i < headers->n; i++) {
		if (i > 0)
			buf_addc(&auth, ';');
		buf_adds(&auth, h[i].name);
	}
	buf_addf(&auth, ",Signature=%s", sig);
	free(sig);
	free(h);
	buf_free(&canon);
	return buf_detach(&auth);
}
