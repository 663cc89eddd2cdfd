/* sts.c — AssumeRole and the table of STS credentials (see sts.h).
 *
 * DESIGN: credentials live in a chained hash table keyed by their SecurityToken (a keyed
 * SipHash, so no sender can aim lookups at one chain; the stored tokens are random
 * anyway): a request's token finds its entry, whose AccessKeyId must then be the one the
 * request names. An expired credential stays in the table, so that its holder is told
 * InvalidSecurityToken.Expired rather than Malformed, until room is needed: the issued
 * credentials are at most max_creds; issuing one more first drops every expired one, then,
 * when none was, the one nearest its expiry. Preloaded credentials (--sts-token) are not
 * counted and never dropped. Secrets and tokens are plain heap strings wiped on free, as
 * auth.c keeps its keys (thousands of guarded allocations would cost pages each). A mutex
 * guards the table; the roles and the cap are set before the server starts and only read
 * after.
 */
#include "sim/sts.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/xmalloc.h"
#include "sim/auth.h"

#define NBUCKETS 4096	/* a power of two */

struct cred {
	char        *id;		/* AccessKeyId, "STS...." */
	char        *secret;		/* AccessKeySecret (wiped on free) */
	char        *token;		/* SecurityToken (wiped on free) */
	char        *account;		/* the AccessKeyId whose account it is */
	time_t       expires;		/* real wall-clock seconds; expired from then on */
	int          pinned;		/* preloaded (--sts-token): never dropped */
	uint64_t     hash;		/* keyed hash of token */
	struct cred *chain;		/* next in the bucket */
};

struct role {
	char   *arn;		/* acs:ram::DIGITS:role/NAME */
	char  **ids;		/* AccessKeyIds that may assume it (none: every key) */
	size_t  nids;		/* ids used */
};

struct sim_sts {
	struct role     *roles;		/* --role (none: every well-formed ARN exists) */
	size_t           nroles;	/* roles used */
	long             max_duration;	/* --sts-max-duration, 0 = none */
	struct cred     *buckets[NBUCKETS];	/* credentials by token */
	size_t           nissued;	/* issued (not pinned) credentials held */
	size_t           npinned;	/* preloaded ones */
	size_t           max_creds;	/* most issued ones held */
	unsigned char    hkey[crypto_shorthash_KEYBYTES];	/* the table's hash key */
	pthread_mutex_t  lock;		/* guards the table */
};

static const struct action_info assume_role_info = {
	STS_ACTION_ASSUME_ROLE, "", SIM_STS_QPS, ACTION_WRITE, PAGING_NONE, 0, 0, 0, "",
	"RoleArn,RoleSessionName", "DurationSeconds,Policy"
};

struct sim_sts *
sim_sts_new(void)
{
	struct sim_sts *s = xcalloc(1, sizeof *s);

	s->max_creds = SIM_STS_MAX_CREDS;
	randombytes_buf(s->hkey, sizeof s->hkey);
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

static void
wipe_free(char *p)
{
	if (p != NULL) {
		sodium_memzero(p, strlen(p));
		free(p);
	}
}

static void
cred_free(struct cred *c)
{
	free(c->id);
	free(c->account);
	wipe_free(c->secret);
	wipe_free(c->token);
	free(c);
}

void
sim_sts_free(struct sim_sts *s)
{
	struct cred *c, *next;
	size_t i, j;

	if (s == NULL)
		return;
	for (i = 0; i < NBUCKETS; i++) {
		for (c = s->buckets[i]; c != NULL; c = next) {
			next = c->chain;
			cred_free(c);
		}
	}
	for (i = 0; i < s->nroles; i++) {
		free(s->roles[i].arn);
		for (j = 0; j < s->roles[i].nids; j++)
			free(s->roles[i].ids[j]);
		free(s->roles[i].ids);
	}
	free(s->roles);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* acs:ram::DIGITS:role/NAME: 1 to 32 digits of account, a name of 1 to 64 letters,
 * digits, '.', '_' and '-' (RAM role names: letters, digits, '.' and '-'; '_' taken too). */
static int
arn_ok(const char *arn, size_t len)
{
	static const char pre[] = "acs:ram::", mid[] = ":role/";
	size_t i = sizeof pre - 1, d, n;

	if (len <= i || strncmp(arn, pre, i) != 0)
		return 0;
	for (d = 0; i + d < len && arn[i + d] >= '0' && arn[i + d] <= '9'; d++)
		;
	if (d < 1 || d > 32)
		return 0;
	i += d;
	if (len - i < sizeof mid - 1 || strncmp(arn + i, mid, sizeof mid - 1) != 0)
		return 0;
	i += sizeof mid - 1;
	n = len - i;
	if (n < 1 || n > 64)
		return 0;
	for (; i < len; i++) {
		char ch = arn[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return 0;
	}
	return 1;
}

int
sim_sts_add_role(struct sim_sts *s, const char *spec, char **cause)
{
	const char *eq = strchr(spec, '='), *p, *comma;
	size_t len = eq != NULL ? (size_t)(eq - spec) : strlen(spec), n;
	struct role r = { NULL, NULL, 0 };

	if (!arn_ok(spec, len)) {
		*cause = xstrdup("expected acs:ram::ACCOUNT:role/NAME (ACCOUNT digits, NAME "
		    "1-64 of A-Z a-z 0-9 . _ -), optionally =KEYID,KEYID...");
		return -1;
	}
	r.arn = xstrndup(spec, len);
	for (p = eq != NULL ? eq + 1 : NULL; p != NULL; p = comma != NULL ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= SIM_STS_ID_MAX) {
			*cause = xasprintf("%s: an empty or over-long AccessKeyId after '='", r.arn);
			for (n = 0; n < r.nids; n++)
				free(r.ids[n]);
			free(r.ids);
			free(r.arn);
			return -1;
		}
		r.ids = xreallocarray(r.ids, r.nids + 1, sizeof *r.ids);
		r.ids[r.nids++] = xstrndup(p, n);
	}
	s->roles = xreallocarray(s->roles, s->nroles + 1, sizeof *s->roles);
	s->roles[s->nroles++] = r;
	return 0;
}

void
sim_sts_set_max_duration(struct sim_sts *s, long seconds)
{
	s->max_duration = seconds > 0 ? seconds : 0;
}

void
sim_sts_set_max_creds(struct sim_sts *s, size_t n)
{
	pthread_mutex_lock(&s->lock);
	s->max_creds = n;
	pthread_mutex_unlock(&s->lock);
}

size_t
sim_sts_count(struct sim_sts *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->nissued + s->npinned;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int
sim_sts_is_key(const char *akid)
{
	return akid != NULL && strncmp(akid, SIM_STS_PREFIX, sizeof SIM_STS_PREFIX - 1) == 0;
}

static uint64_t
token_hash(const struct sim_sts *s, const char *token)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, (const unsigned char *)token, strlen(token), s->hkey);
	memcpy(&v, h, sizeof v);
	return v;
}

/* The entry of token, or NULL (locked). */
static struct cred *
find(const struct sim_sts *s, const char *token, uint64_t h)
{
	struct cred *c;

	for (c = s->buckets[h & (NBUCKETS - 1)]; c != NULL; c = c->chain)
		if (c->hash == h && strcmp(c->token, token) == 0)
			return c;
	return NULL;
}

/* Unlinks and frees every issued entry for which drop() says so (locked). */
static size_t
drop_where(struct sim_sts *s, int (*drop)(const struct cred *, time_t), time_t arg)
{
	struct cred **pp, *c;
	size_t i, n = 0;

	for (i = 0; i < NBUCKETS; i++) {
		for (pp = &s->buckets[i]; (c = *pp) != NULL;) {
			if (!c->pinned && drop(c, arg)) {
				*pp = c->chain;
				cred_free(c);
				s->nissued--;
				n++;
			} else
				pp = &c->chain;
		}
	}
	return n;
}

static int
expired_by(const struct cred *c, time_t now)
{
	return c->expires <= now;
}

/* Makes room for one more issued credential (locked). */
static void
make_room(struct sim_sts *s, time_t now)
{
	struct cred **pp, **first, *c;
	size_t i;

	if (s->nissued < s->max_creds)
		return;
	drop_where(s, expired_by, now);
	while (s->nissued >= s->max_creds && s->nissued > 0) {
		/* The issued one nearest its expiry goes. */
		first = NULL;
		for (i = 0; i < NBUCKETS; i++)
			for (pp = &s->buckets[i]; *pp != NULL; pp = &(*pp)->chain)
				if (!(*pp)->pinned && (first == NULL || (*pp)->expires < (*first)->expires))
					first = pp;
		if (first == NULL)
			break;
		c = *first;
		*first = c->chain;
		cred_free(c);
		s->nissued--;
	}
}

/* Adds a credential (owning the strings) unless its token is held already; returns 0 or
 * -1 (locked by the caller). */
static int
insert(struct sim_sts *s, struct cred *c)
{
	c->hash = token_hash(s, c->token);
	if (find(s, c->token, c->hash) != NULL)
		return -1;
	c->chain = s->buckets[c->hash & (NBUCKETS - 1)];
	s->buckets[c->hash & (NBUCKETS - 1)] = c;
	if (c->pinned)
		s->npinned++;
	else
		s->nissued++;
	return 0;
}

int
sim_sts_add_token_spec(struct sim_sts *s, const char *spec, time_t now, char **cause)
{
	const char *c1 = strchr(spec, ':'), *c2, *last = strrchr(spec, ':');
	struct cred *c;
	long long secs;
	char *end;
	int rc;

	c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
	if (c1 == NULL || c2 == NULL || last == c2) {
		*cause = xstrdup("expected ID:SECRET:TOKEN:SECONDS");
		return -1;
	}
	if (!sim_sts_is_key(spec) || (size_t)(c1 - spec) <= sizeof SIM_STS_PREFIX - 1 ||
	    (size_t)(c1 - spec) >= SIM_STS_ID_MAX) {
		*cause = xasprintf("the AccessKeyId must start with \"%s\" and have at most %d "
		    "characters", SIM_STS_PREFIX, SIM_STS_ID_MAX - 1);
		return -1;
	}
	if (c2 == c1 + 1 || last == c2 + 1) {
		*cause = xstrdup("an empty AccessKeySecret or SecurityToken");
		return -1;
	}
	errno = 0;
	secs = strtoll(last + 1, &end, 10);
	if (errno != 0 || end == last + 1 || *end != '\0' || secs < -(1LL << 40) ||
	    secs > (1LL << 40)) {
		*cause = xstrdup("SECONDS (after the last ':') must be a whole number of seconds");
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->id = xstrndup(spec, (size_t)(c1 - spec));
	c->account = xstrdup(c->id);
	c->secret = xstrndup(c1 + 1, (size_t)(c2 - c1 - 1));
	c->token = xstrndup(c2 + 1, (size_t)(last - c2 - 1));
	c->expires = now + (time_t)secs;
	c->pinned = 1;
	pthread_mutex_lock(&s->lock);
	rc = insert(s, c);
	pthread_mutex_unlock(&s->lock);
	if (rc != 0) {
		cred_free(c);
		*cause = xstrdup("this SecurityToken is given twice");
		return -1;
	}
	return 0;
}

/* sim_sts_load_tokens's reader: one line, ID:SECRET:TOKEN:SECONDS. */
struct token_file {
	struct sim_sts	*s;
	time_t		 now;
};

static int
token_line(void *arg, const char *line, char **cause)
{
	struct token_file *t = arg;

	return sim_sts_add_token_spec(t->s, line, t->now, cause);
}

int
sim_sts_load_tokens(struct sim_sts *s, const char *path, time_t now, char **cause)
{
	struct token_file t = { s, now };
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return sim_read_secret_lines(f, path, token_line, &t, cause);
}

int
sim_sts_check(struct sim_sts *s, const char *akid, const char *token, time_t now,
    char **secret, char account[SIM_STS_ID_MAX], struct sim_error *err)
{
	struct cred *c;
	uint64_t h;
	int rc = -1;

	if (token == NULL || *token == '\0') {
		sim_error_set(err, 400, "MissingSecurityToken",
		    "SecurityToken is mandatory for this action.");
		return -1;
	}
	h = token_hash(s, token);
	pthread_mutex_lock(&s->lock);
	if ((c = find(s, token, h)) == NULL)
		sim_error_set(err, 400, "InvalidSecurityToken.Malformed",
		    "Specified SecurityToken is malformed.");
	else if (strcmp(c->id, akid) != 0)
		sim_error_set(err, 400, "InvalidSecurityToken.MismatchWithAccessKey",
		    "Specified SecurityToken mismatch with the AccessKey.");
	else if (c->expires <= now)
		sim_error_set(err, 400, "InvalidSecurityToken.Expired",
		    "Specified SecurityToken is expired.");
	else {
		*secret = xstrdup(c->secret);
		snprintf(account, SIM_STS_ID_MAX, "%s", c->account);
		rc = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

const struct action_info *
sim_sts_action(const char *name)
{
	return name != NULL && strcmp(name, STS_ACTION_ASSUME_ROLE) == 0 ? &assume_role_info :
	    NULL;
}

void
sim_sts_fmt_time(time_t t, char out[24])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 24, "1970-01-01T00:00:00Z");
}

/* n random characters of set into out (NUL-terminated). */
static void
random_chars(char *out, size_t n, const char *set)
{
	uint32_t m = (uint32_t)strlen(set);
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = set[randombytes_uniform(m)];
	out[n] = '\0';
}

static const char alnum[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* A new credential for account, valid until expires. */
static struct cred *
new_cred(const char *account, time_t expires)
{
	struct cred *c = xcalloc(1, sizeof *c);
	unsigned char raw[96];
	char id[40], secret[48];
	size_t b64 = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_ORIGINAL);

	/* "STS.NT" + 26, as the real ids look; a 44-character secret; a "CAIS..." token. */
	memcpy(id, SIM_STS_PREFIX "NT", 6);
	random_chars(id + 6, 26, alnum);
	random_chars(secret, 44, alnum);
	randombytes_buf(raw, sizeof raw);
	c->token = xmalloc(4 + b64);
	memcpy(c->token, "CAIS", 4);
	sodium_bin2base64(c->token + 4, b64, raw, sizeof raw, sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(raw, sizeof raw);
	c->id = xstrdup(id);
	c->secret = xstrdup(secret);
	sodium_memzero(secret, sizeof secret);
	c->account = xstrdup(account);
	c->expires = expires;
	return c;
}

static const char *
arg(const struct params *p, const char *name)
{
	const char *v = params_get(p, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
session_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && n <= 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789.@_-") == n;
}

/* The role of arn, or NULL when roles were given and it is not one of them; *open is set
 * when none were (every role exists and every key may assume it). */
static const struct role *
role_find(const struct sim_sts *s, const char *arn, int *open)
{
	size_t i;

	*open = s->nroles == 0;
	for (i = 0; i < s->nroles; i++)
		if (strcasecmp(s->roles[i].arn, arn) == 0)
			return &s->roles[i];
	return NULL;
}

static int
may_assume(const struct role *r, const char *akid, const char *account)
{
	size_t i;

	if (r == NULL || r->nids == 0)
		return 1;
	for (i = 0; i < r->nids; i++)
		if (strcmp(r->ids[i], akid) == 0 || strcmp(r->ids[i], account) == 0)
			return 1;
	return 0;
}

/* The role's id: "3" and 18 digits derived from the ARN, the same on every call. */
static void
role_id(const char *arn, char out[20])
{
	unsigned char h[16];
	uint64_t v;
	size_t i;
	char lower[160];

	for (i = 0; arn[i] != '\0' && i < sizeof lower - 1; i++)
		lower[i] = (arn[i] >= 'A' && arn[i] <= 'Z') ? (char)(arn[i] - 'A' + 'a') : arn[i];
	lower[i] = '\0';
	crypto_generichash(h, sizeof h, (const unsigned char *)lower, i, NULL, 0);
	memcpy(&v, h, sizeof v);
	out[0] = '3';
	for (i = 1; i < 19; i++) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[19] = '\0';
}

int
sim_sts_assume_role(struct sim_sts *s, const struct params *p, const char *akid,
    const char *account, time_t now, cJSON *out, struct sim_error *err)
{
	const char *arn = arg(p, "RoleArn"), *session = arg(p, "RoleSessionName");
	const char *dur = arg(p, "DurationSeconds"), *policy = arg(p, "Policy");
	const struct role *role;
	struct cred *c;
	long duration = SIM_STS_DEFAULT_DURATION, lifetime;
	char when[24], rid[20], *end, *s1;
	cJSON *user, *creds, *pj;
	int open;

	if (arn == NULL) {
		sim_error_set(err, 400, "MissingRoleArn", "RoleArn is mandatory for this action.");
		return -1;
	}
	if (!arn_ok(arn, strlen(arn))) {
		sim_error_set(err, 400, "InvalidParameter.RoleArn",
		    "The parameter RoleArn is wrongly formed.");
		return -1;
	}
	if (session == NULL) {
		sim_error_set(err, 400, "MissingRoleSessionName",
		    "RoleSessionName is mandatory for this action.");
		return -1;
	}
	if (!session_ok(session)) {
		sim_error_set(err, 400, "InvalidParameter.RoleSessionName",
		    "The parameter RoleSessionName is wrongly formed.");
		return -1;
	}
	if (dur != NULL) {
		errno = 0;
		duration = strtol(dur, &end, 10);
		if (errno != 0 || *end != '\0' || end == dur || duration < SIM_STS_MIN_DURATION ||
		    duration > SIM_STS_MAX_DURATION) {
			sim_error_set(err, 400, "InvalidParameter.DurationSeconds",
			    "The Min/Max value of DurationSeconds is 15min/12hr.");
			return -1;
		}
	}
	if (policy != NULL) {
		pj = strlen(policy) <= 2048 ? cJSON_Parse(policy) : NULL;
		open = cJSON_IsObject(pj);
		cJSON_Delete(pj);
		if (!open) {
			sim_error_set(err, 400, "InvalidParameter.PolicyGrammar",
			    "The parameter Policy has not passed grammar check.");
			return -1;
		}
	}
	role = role_find(s, arn, &open);
	if (role == NULL && !open) {
		sim_error_set(err, 404, "EntityNotExist.Role", "The role not exists: %s", arn);
		return -1;
	}
	if (!may_assume(role, akid, account)) {
		sim_error_set(err, 403, "NoPermission",
		    "No permission perform sts:AssumeRole on this Role (iotdeck-sim: its --role "
		    "lists the AccessKeyIds that may assume it).");
		return -1;
	}
	lifetime = s->max_duration > 0 && s->max_duration < duration ? s->max_duration : duration;
	c = new_cred(account, now + (time_t)lifetime);
	user = cJSON_AddObjectToObject(out, "AssumedRoleUser");
	s1 = xasprintf("%s/%s", role != NULL ? role->arn : arn, session);
	cJSON_AddStringToObject(user, "Arn", s1);
	free(s1);
	role_id(arn, rid);
	s1 = xasprintf("%s:%s", rid, session);
	cJSON_AddStringToObject(user, "AssumedRoleId", s1);
	free(s1);
	creds = cJSON_AddObjectToObject(out, "Credentials");
	cJSON_AddStringToObject(creds, "AccessKeyId", c->id);
	cJSON_AddStringToObject(creds, "AccessKeySecret", c->secret);
	cJSON_AddStringToObject(creds, "SecurityToken", c->token);
	sim_sts_fmt_time(c->expires, when);
	cJSON_AddStringToObject(creds, "Expiration", when);
	pthread_mutex_lock(&s->lock);
	make_room(s, now);
	if (insert(s, c) != 0) {
		/* A token drawn twice (odds 2^-768). */
		pthread_mutex_unlock(&s->lock);
		cred_free(c);
		sim_error_set(err, 503, "ServiceUnavailable",
		    "The request has failed due to a temporary failure of the server.");
		return -1;
	}
	pthread_mutex_unlock(&s->lock);
	return 0;
}
