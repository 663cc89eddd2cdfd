/* auth.c — AccessKeys, signature v1/v3 verification, the nonce cache.
 *
 * DESIGN: keys live in a small array (a handful per run). The nonce cache is a chained
 * hash table of fixed-size entries — a keyed BLAKE2b digest of "AccessKeyId\nNonce", so
 * that a nonce costs the same memory whatever its length — plus a FIFO of the same
 * entries in arrival order: each check first drops entries older than 2*SIM_AUTH_SKEW
 * from the FIFO head, and no more than SIM_AUTH_MAX_NONCES are held, so memory stays
 * bounded by that count. The digest key is random per run, so no one can aim two nonces
 * at one entry. A mutex guards the cache.
 *
 * An "STS." AccessKeyId is looked up in the STS table (sts.c, its own lock) instead of the
 * keys: its token is checked there and a copy of its secret comes back, since another
 * thread may drop the entry meanwhile; every secret used to check a signature is such a
 * copy, wiped when the check ends.
 */
#include "sim/auth.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/sign.h"
#include "api/sign_v3.h"
#include "core/buf.h"
#include "core/xmalloc.h"

struct sim_key {
	char *id;	/* AccessKeyId */
	char *secret;	/* AccessKeySecret (wiped on free) */
};

struct nonce {
	unsigned char digest[16];	/* keyed BLAKE2b of "AccessKeyId\nNonce" */
	uint64_t      hash;		/* the digest's first 8 bytes, for the buckets */
	time_t        seen;		/* when it was first used */
	struct nonce *chain;		/* next in the bucket */
	struct nonce *fifo;		/* next younger entry */
};

struct sim_auth {
	struct sim_key  *keys;		/* the keys */
	size_t           nkeys;		/* keys used */
	struct nonce   **buckets;	/* nonce hash table */
	size_t           nbuckets;	/* a power of two */
	size_t           nnonces;	/* entries in the table */
	size_t           max_nonces;	/* most entries at once */
	struct nonce    *head, *tail;	/* FIFO, oldest first */
	unsigned char    nonce_key[crypto_generichash_KEYBYTES];	/* digest key */
	struct sim_sts  *sts;		/* STS credentials (owned) */
	pthread_mutex_t  lock;		/* guards the nonce cache */
};

struct sim_auth *
sim_auth_new(void)
{
	struct sim_auth *a = xcalloc(1, sizeof *a);

	a->nbuckets = 1024;
	a->buckets = xcalloc(a->nbuckets, sizeof *a->buckets);
	a->max_nonces = SIM_AUTH_MAX_NONCES;
	randombytes_buf(a->nonce_key, sizeof a->nonce_key);
	a->sts = sim_sts_new();
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void
sim_auth_free(struct sim_auth *a)
{
	struct nonce *n, *next;
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nkeys; i++) {
		free(a->keys[i].id);
		sodium_memzero(a->keys[i].secret, strlen(a->keys[i].secret));
		free(a->keys[i].secret);
	}
	free(a->keys);
	for (n = a->head; n != NULL; n = next) {
		next = n->fifo;
		free(n);
	}
	free(a->buckets);
	sim_sts_free(a->sts);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

struct sim_sts *
sim_auth_sts(struct sim_auth *a)
{
	return a->sts;
}

int
sim_auth_add_key(struct sim_auth *a, const char *id, const char *secret, char **cause)
{
	size_t i;

	if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0') {
		*cause = xstrdup("an AccessKey needs a non-empty id and secret");
		return -1;
	}
	if (strlen(id) >= SIM_STS_ID_MAX) {
		*cause = xasprintf("an AccessKeyId has at most %d characters", SIM_STS_ID_MAX - 1);
		return -1;
	}
	if (sim_sts_is_key(id)) {
		*cause = xstrdup("an AccessKeyId starting \"" SIM_STS_PREFIX "\" is an STS "
		    "credential (give it with --sts-token or --sts-token-file)");
		return -1;
	}
	for (i = 0; i < a->nkeys; i++) {
		if (strcmp(a->keys[i].id, id) == 0) {
			sodium_memzero(a->keys[i].secret, strlen(a->keys[i].secret));
			xstrset(&a->keys[i].secret, secret);
			return 0;
		}
	}
	a->keys = xreallocarray(a->keys, a->nkeys + 1, sizeof *a->keys);
	a->keys[a->nkeys].id = xstrdup(id);
	a->keys[a->nkeys].secret = xstrdup(secret);
	a->nkeys++;
	return 0;
}

static int
add_spec(struct sim_auth *a, const char *spec, const char *seps, char **cause)
{
	size_t n = strcspn(spec, seps);
	char *id;
	const char *secret;
	int rc;

	if (spec[n] == '\0') {
		*cause = xstrdup("expected ID:SECRET");
		return -1;
	}
	id = xstrndup(spec, n);
	secret = spec + n + 1;
	while (*secret == ' ' || *secret == '\t')
		secret++;
	rc = sim_auth_add_key(a, id, secret, cause);
	free(id);
	return rc;
}

int
sim_auth_add_key_spec(struct sim_auth *a, const char *spec, char **cause)
{
	return add_spec(a, spec, ":", cause);
}

int
sim_read_secret_lines(FILE *f, const char *label,
    int (*each)(void *arg, const char *line, char **cause), void *arg, char **cause)
{
	char *line = NULL, *sub = NULL;
	size_t cap = 0, len;
	ssize_t got;
	int lineno = 0, rc = -1;

	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		len = (size_t)got;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		    line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (each(arg, line, &sub) != 0) {
			*cause = xasprintf("%s:%d: %s", label, lineno, sub);
			free(sub);
			goto fail;
		}
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: %s", label, strerror(errno));
		goto fail;
	}
	rc = 0;
fail:
	if (line != NULL)
		sodium_memzero(line, cap);
	free(line);
	fclose(f);
	return rc;
}

/* One line of a keys file: ID:SECRET (or separated by blanks). */
static int
key_line(void *arg, const char *line, char **cause)
{
	return add_spec(arg, line, ": \t", cause);
}

/* Reads keys from f, naming them "label:LINE" in errors; closes f. */
static int
load_keys(struct sim_auth *a, FILE *f, const char *label, char **cause)
{
	return sim_read_secret_lines(f, label, key_line, a, cause);
}

int
sim_auth_load_keys(struct sim_auth *a, const char *path, char **cause)
{
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return load_keys(a, f, path, cause);
}

int
sim_auth_load_keys_fd(struct sim_auth *a, int fd, char **cause)
{
	char label[32];
	FILE *f;

	snprintf(label, sizeof label, "fd %d", fd);
	if ((f = fdopen(fd, "r")) == NULL) {
		*cause = xasprintf("%s: %s", label, strerror(errno));
		return -1;
	}
	return load_keys(a, f, label, cause);
}

void
sim_auth_set_max_nonces(struct sim_auth *a, size_t n)
{
	pthread_mutex_lock(&a->lock);
	a->max_nonces = n;
	pthread_mutex_unlock(&a->lock);
}

size_t
sim_auth_key_count(const struct sim_auth *a)
{
	return a->nkeys;
}

/* Finds the secret of id: an STS credential's once its token is checked (sim_sts_check),
 * else an AccessKey's. Returns 0 with *secret a copy (wipe_free it) and who filled, or -1
 * with err set. */
static int
key_secret(struct sim_auth *a, const char *id, const char *token, time_t now, char **secret,
    struct sim_caller *who, struct sim_error *err)
{
	size_t i;

	if (strlen(id) < SIM_STS_ID_MAX) {
		if (sim_sts_is_key(id)) {
			if (sim_sts_check(a->sts, id, token, now, secret, who->account, err) != 0)
				return -1;
			snprintf(who->akid, sizeof who->akid, "%s", id);
			return 0;
		}
		for (i = 0; i < a->nkeys; i++) {
			if (strcmp(a->keys[i].id, id) == 0) {
				*secret = xstrdup(a->keys[i].secret);
				snprintf(who->akid, sizeof who->akid, "%s", id);
				snprintf(who->account, sizeof who->account, "%s", id);
				return 0;
			}
		}
	}
	sim_error_set(err, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
	return -1;
}

static void
wipe_free(char *p)
{
	if (p != NULL) {
		sodium_memzero(p, strlen(p));
		free(p);
	}
}

int
sim_auth_parse_time(const char *s, time_t *t)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0;
	const char *p;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19)
		return -1;
	p = s + n;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (strcmp(p, "Z") != 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = timegm(&tm);
	return 0;
}

static void
nonce_expire(struct sim_auth *a, time_t now)
{
	struct nonce *n, **pp;

	while ((n = a->head) != NULL && now - n->seen > 2 * SIM_AUTH_SKEW) {
		a->head = n->fifo;
		if (a->head == NULL)
			a->tail = NULL;
		for (pp = &a->buckets[n->hash & (a->nbuckets - 1)]; *pp != NULL;
		    pp = &(*pp)->chain) {
			if (*pp == n) {
				*pp = n->chain;
				break;
			}
		}
		free(n);
		a->nnonces--;
	}
}

static void
nonce_grow(struct sim_auth *a)
{
	struct nonce **nb, *n, *next;
	size_t i, nn = a->nbuckets * 2;

	nb = xcalloc(nn, sizeof *nb);
	for (i = 0; i < a->nbuckets; i++) {
		for (n = a->buckets[i]; n != NULL; n = next) {
			next = n->chain;
			n->chain = nb[n->hash & (nn - 1)];
			nb[n->hash & (nn - 1)] = n;
		}
	}
	free(a->buckets);
	a->buckets = nb;
	a->nbuckets = nn;
}

/* Records the nonce. Returns 0, 1 when it was already used, or -1 when the cache is full. */
static int
nonce_use(struct sim_auth *a, const char *akid, const char *nonce, time_t now)
{
	crypto_generichash_state st;
	unsigned char d[16];
	struct nonce *n;
	uint64_t h;
	int rc = 0;

	crypto_generichash_init(&st, a->nonce_key, sizeof a->nonce_key, sizeof d);
	crypto_generichash_update(&st, (const unsigned char *)akid, strlen(akid) + 1);
	crypto_generichash_update(&st, (const unsigned char *)nonce, strlen(nonce));
	crypto_generichash_final(&st, d, sizeof d);
	memcpy(&h, d, sizeof h);

	pthread_mutex_lock(&a->lock);
	nonce_expire(a, now);
	for (n = a->buckets[h & (a->nbuckets - 1)]; n != NULL; n = n->chain) {
		if (n->hash == h && memcmp(n->digest, d, sizeof d) == 0) {
			rc = 1;
			goto out;
		}
	}
	if (a->nnonces >= a->max_nonces) {
		rc = -1;
		goto out;
	}
	if (a->nnonces >= a->nbuckets)
		nonce_grow(a);
	n = xcalloc(1, sizeof *n);
	memcpy(n->digest, d, sizeof d);
	n->hash = h;
	n->seen = now;
	n->chain = a->buckets[h & (a->nbuckets - 1)];
	a->buckets[h & (a->nbuckets - 1)] = n;
	if (a->tail != NULL)
		a->tail->fifo = n;
	else
		a->head = n;
	a->tail = n;
	a->nnonces++;
out:
	pthread_mutex_unlock(&a->lock);
	return rc;
}

/* Checks the nonce's length, then records it; fills err and returns -1 when it is too
 * long, was used, or cannot be remembered. */
static int
check_nonce(struct sim_auth *a, const char *akid, const char *nonce, time_t now,
    struct sim_error *err)
{
	switch (nonce_use(a, akid, nonce, now)) {
	case 0:
		return 0;
	case 1:
		sim_error_set(err, 400, "SignatureNonceUsed",
		    "Specified signature nonce was used already.");
		return -1;
	default:
		sim_error_set(err, 503, "ServiceUnavailable",
		    "The request has failed due to a temporary failure of the server.");
		return -1;
	}
}

static int
nonce_length_ok(const char *nonce, struct sim_error *err)
{
	if (strlen(nonce) <= SIM_AUTH_MAX_NONCE)
		return 0;
	sim_error_set(err, 400, "InvalidParameter",
	    "The specified parameter SignatureNonce is not valid: at most %d characters.",
	    SIM_AUTH_MAX_NONCE);
	return -1;
}

static int
missing(struct sim_error *err, const char *name)
{
	sim_error_set(err, 400, "", "%s is mandatory for this action.", name);
	free(err->code);
	err->code = xasprintf("Missing%s", name);
	return -1;
}

static int
check_time(const char *ts, time_t now, struct sim_error *err)
{
	time_t t;

	if (sim_auth_parse_time(ts, &t) != 0) {
		sim_error_set(err, 400, "InvalidTimeStamp.Format",
		    "Specified time stamp or date value is not well formatted.");
		return -1;
	}
	if (t < now - SIM_AUTH_SKEW || t > now + SIM_AUTH_SKEW) {
		sim_error_set(err, 400, "InvalidTimeStamp.Expired",
		    "Specified time stamp or date value is expired.");
		return -1;
	}
	return 0;
}

static int
check_v1(struct sim_auth *a, const struct sim_request *r, time_t now, struct sim_caller *who,
    struct sim_error *err)
{
	static const char *const need[] = { "AccessKeyId", "Signature", "SignatureMethod",
	    "SignatureVersion", "SignatureNonce", "Timestamp" };
	struct params sorted = PARAMS_INIT;
	const char *id, *sig;
	struct buf sts = BUF_INIT;
	char *want = NULL, *secret = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < sizeof need / sizeof need[0]; i++)
		if (params_get(&r->all, need[i]) == NULL)
			return missing(err, need[i]);
	id = params_get(&r->all, "AccessKeyId");
	sig = params_get(&r->all, "Signature");
	if (strcmp(params_get(&r->all, "SignatureMethod"), "HMAC-SHA1") != 0) {
		sim_error_set(err, 400, "InvalidSignatureMethod",
		    "Specified signature method is not valid.");
		return -1;
	}
	if (strcmp(params_get(&r->all, "SignatureVersion"), "1.0") != 0) {
		sim_error_set(err, 400, "InvalidSignatureVersion",
		    "Specified signature version is not valid.");
		return -1;
	}
	if (nonce_length_ok(params_get(&r->all, "SignatureNonce"), err) != 0)
		return -1;
	if (key_secret(a, id, params_get(&r->all, "SecurityToken"), now, &secret, who, err) != 0)
		return -1;
	if (check_time(params_get(&r->all, "Timestamp"), now, err) != 0)
		goto fail;
	sim_params_sorted_view(&r->all, &sorted);
	want = sign_v1(r->method, &sorted, secret);
	if (!sign_equal(want, sig)) {
		sign_v1_string_to_sign(r->method, &sorted, &sts);
		sim_error_set(err, 400, "SignatureDoesNotMatch",
		    "Specified signature is not matched with our calculation. server string to sign is:%s",
		    buf_str(&sts));
		goto fail;
	}
	if (check_nonce(a, id, params_get(&r->all, "SignatureNonce"), now, err) != 0)
		goto fail;
	rc = 0;
fail:
	wipe_free(secret);
	free(sorted.v);
	buf_free(&sts);
	free(want);
	return rc;
}

void
sim_auth_v3_free(struct sim_auth_v3 *v)
{
	free(v->credential);
	free(v->signature);
	params_free(&v->signed_headers);
	memset(v, 0, sizeof *v);
}

/* Adds the names of a SignedHeaders list ("a;b;c") to v, once each. */
static void
add_signed_names(struct sim_auth_v3 *v, const char *list, size_t len)
{
	const char *end = list + len, *semi;
	char *name;

	while (list < end) {
		semi = memchr(list, ';', (size_t)(end - list));
		if (semi == NULL)
			semi = end;
		if (semi > list && v->signed_headers.n < SIM_MAX_HEADERS) {
			name = xstrndup(list, (size_t)(semi - list));
			if (params_get(&v->signed_headers, name) == NULL)
				params_add(&v->signed_headers, name, "");
			free(name);
		}
		list = semi + (semi < end);
	}
}

int
sim_auth_v3_parse(const char *authz, struct sim_auth_v3 *v, struct sim_error *err)
{
	const char *p, *alg_end = strchr(authz, ' '), *value;
	size_t n, nlen, vlen;

	memset(v, 0, sizeof *v);
	params_init(&v->signed_headers);
	if (alg_end == NULL || (size_t)(alg_end - authz) != strlen(SIGN_V3_ALGORITHM) ||
	    strncmp(authz, SIGN_V3_ALGORITHM, (size_t)(alg_end - authz)) != 0) {
		sim_error_set(err, 400, "InvalidSignatureMethod",
		    "Specified signature method is not valid (only ACS3-HMAC-SHA256).");
		return -1;
	}
	/* Comma-separated NAME=VALUE fields, spaces around them ignored; the first of each
	 * name counts. */
	for (p = alg_end + 1; *p != '\0'; p += n + (p[n] == ',')) {
		while (*p == ' ')
			p++;
		n = strcspn(p, ",");
		if ((value = memchr(p, '=', n)) == NULL)
			continue;
		nlen = (size_t)(value - p);
		value++;
		vlen = n - nlen - 1;
		while (vlen > 0 && value[vlen - 1] == ' ')
			vlen--;
		if (nlen == 10 && strncmp(p, "Credential", nlen) == 0 && v->credential == NULL)
			v->credential = xstrndup(value, vlen);
		else if (nlen == 9 && strncmp(p, "Signature", nlen) == 0 && v->signature == NULL)
			v->signature = xstrndup(value, vlen);
		else if (nlen == 13 && strncmp(p, "SignedHeaders", nlen) == 0 &&
		    v->signed_headers.n == 0)
			add_signed_names(v, value, vlen);
	}
	if (v->credential == NULL || v->signature == NULL || v->signed_headers.n == 0 ||
	    *v->credential == '\0' || *v->signature == '\0') {
		sim_error_set(err, 400, "IncompleteSignature",
		    "The request signature does not conform to Aliyun standards.");
		return -1;
	}
	return 0;
}

int
sim_auth_v3_covers(const struct sim_auth_v3 *v, const struct sim_request *r,
    struct sim_error *err)
{
	const char *left_out = NULL;
	size_t i;

	if (params_get(&v->signed_headers, "host") == NULL)
		left_out = "host";
	for (i = 0; left_out == NULL && i < r->headers.n; i++) {
		const char *h = r->headers.v[i].name;
		if ((strncmp(h, "x-acs-", 6) == 0 || strcmp(h, "content-type") == 0) &&
		    params_get(&v->signed_headers, h) == NULL)
			left_out = h;
	}
	if (left_out == NULL)
		return 0;
	sim_error_set(err, 400, "IncompleteSignature",
	    "The request signature does not conform to Aliyun standards: SignedHeaders must "
	    "list host, every x-acs-* header sent and content-type when one is sent; %s is "
	    "not signed.", left_out);
	return -1;
}

static int
check_v3(struct sim_auth *a, const struct sim_request *r, const char *authz, time_t now,
    struct sim_caller *who, struct sim_error *err)
{
	struct sim_auth_v3 v;
	struct params headers = PARAMS_INIT, sorted = PARAMS_INIT;
	struct buf canon = BUF_INIT, sts = BUF_INIT;
	const char *date, *nonce, *payload, *value;
	char body_hash[65], *want = NULL, *secret = NULL;
	size_t i;
	int rc = -1;

	if (sim_auth_v3_parse(authz, &v, err) != 0 || sim_auth_v3_covers(&v, r, err) != 0)
		goto fail;
	date = sim_request_header(r, "x-acs-date");
	nonce = sim_request_header(r, "x-acs-signature-nonce");
	payload = sim_request_header(r, "x-acs-content-sha256");
	if (date == NULL) {
		missing(err, "x-acs-date");
		goto fail;
	}
	if (nonce == NULL) {
		missing(err, "x-acs-signature-nonce");
		goto fail;
	}
	if (nonce_length_ok(nonce, err) != 0)
		goto fail;
	if (key_secret(a, v.credential, sim_request_header(r, "x-acs-security-token"), now,
	    &secret, who, err) != 0)
		goto fail;
	if (check_time(date, now, err) != 0)
		goto fail;
	sign_sha256_hex(r->body != NULL ? r->body : "", r->body_len, body_hash);
	if (payload == NULL)
		payload = body_hash;
	else if (strcmp(payload, body_hash) != 0) {
		sim_error_set(err, 400, "SignatureDoesNotMatch",
		    "x-acs-content-sha256 does not match the SHA-256 of the request body.");
		goto fail;
	}
	for (i = 0; i < v.signed_headers.n; i++) {
		value = sim_request_header(r, v.signed_headers.v[i].name);
		params_add(&headers, v.signed_headers.v[i].name, value != NULL ? value : "");
	}
	sim_params_sorted_view(&r->query, &sorted);
	sign_v3_canonical_request(r->method, r->path, &sorted, &headers, payload, &canon);
	want = sign_v3_signature(secret, buf_str(&canon));
	if (!sign_equal(want, v.signature)) {
		sign_v3_string_to_sign(buf_str(&canon), &sts);
		sim_error_set(err, 400, "SignatureDoesNotMatch",
		    "Specified signature is not matched with our calculation. server StringToSign is [%s]",
		    buf_str(&sts));
		goto fail;
	}
	if (check_nonce(a, v.credential, nonce, now, err) != 0)
		goto fail;
	rc = 0;
fail:
	wipe_free(secret);
	sim_auth_v3_free(&v);
	params_free(&headers);
	free(sorted.v);
	buf_free(&canon);
	buf_free(&sts);
	free(want);
	return rc;
}

int
sim_auth_check(struct sim_auth *a, const struct sim_request *r, time_t now,
    struct sim_caller *who, struct sim_error *err)
{
	const char *authz = sim_request_header(r, "authorization");
	int rc;

	memset(who, 0, sizeof *who);
	if (authz != NULL && strncmp(authz, "ACS3-", 5) == 0)
		rc = check_v3(a, r, authz, now, who, err);
	else
		rc = check_v1(a, r, now, who, err);
	if (rc != 0)
		memset(who, 0, sizeof *who);
	return rc;
}
