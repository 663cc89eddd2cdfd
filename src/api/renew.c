/* renew.c — credential freshness: static tokens refused once expired, renewable ones
 * (RAM roles) renewed before they expire (declared in api/renew.h). */
#include "api/client.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

/* ---- credential freshness (renew.h) ---------------------------------------------
 *
 * A renewable holds its current value as a reference-counted generation: signing a
 * request takes a reference (api_config_signing) and drops it once the request is
 * prepared, so a renewal on another thread replaces the value without pulling it from
 * under a signature, and the old secret is wiped when its last user lets go. Two locks:
 * mu guards the current generation, the counts and the last error and is held only for
 * a few instructions (the console's status bar reads it); renew_mu is held by the one
 * thread that renews, across the network call, so a second thread that finds the value
 * due waits for the renewal instead of making its own, then finds it fresh. */

struct api_cred_gen {
	int		refs;		/* the renewable's own reference + holds (under mu) */
	struct api_cred	c;		/* the value */
	int64_t		got_ms;		/* when it was received (the renewable's clock) */
};

struct api_renewable {
	pthread_mutex_t		 mu;		/* guards the fields below renew_mu */
	pthread_mutex_t		 renew_mu;	/* held by the one thread renewing */
	int			 refs;		/* references (configurations) */
	char			*profile;	/* for messages */
	api_renew_fn		*renew;		/* gets a new value */
	void			*arg;		/* its argument */
	void			(*arg_free)(void *);	/* frees arg, or NULL */
	int64_t			(*now_ms)(void);	/* wall clock, epoch ms */
	struct api_cred_gen	*cur;		/* the current value, NULL before the first */
	int64_t			 retry_at_ms;	/* after a failed renewal: not before */
	char			*last_error;	/* why the last renewal failed, or NULL */
	unsigned		 count;		/* successful renewals */
};

void
api_cred_clear(struct api_cred *c)
{
	free(c->id);
	secret_free(c->secret);
	secret_str_free(c->token);
	memset(c, 0, sizeof *c);
}

int64_t
api_renew_margin_ms(int64_t lifetime_ms)
{
	int64_t third = lifetime_ms > 0 ? lifetime_ms / 3 : 0;

	return third < 180000 ? third : 180000;
}

int64_t
api_renew_retry_ms(int64_t left_ms)
{
	int64_t d = left_ms / 4;

	if (d < 1000)
		d = 1000;
	if (d > 30000)
		d = 30000;
	return d;
}

/* "N s ago" style text for a duration in ms (>= 0). */
static char *
ago_text(int64_t ms)
{
	int64_t s = ms / 1000;

	if (s < 120)
		return xasprintf("%lld s ago", (long long)s);
	if (s < 120 * 60)
		return xasprintf("%lld min ago", (long long)(s / 60));
	if (s < 48 * 3600)
		return xasprintf("%lld h ago", (long long)(s / 3600));
	return xasprintf("%lld days ago", (long long)(s / 86400));
}

static void
utc_text(int64_t epoch_ms, char out[32])
{
	time_t t = (time_t)(epoch_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

char *
api_token_expired_message(const char *profile, int64_t expiry_ms, int64_t now_ms)
{
	char when[32], *ago, *safe, *msg;
	const char *p = profile != NULL ? profile : "(none)";

	utc_text(expiry_ms, when);
	ago = ago_text(now_ms > expiry_ms ? now_ms - expiry_ms : 0);
	safe = safetext_dup(p, strlen(p));
	msg = xasprintf("the STS token of profile %s expired at %s (%s); get a new one "
	    "(vault add %s --sts ...) or use another profile", safe, when, ago, safe);
	free(safe);
	free(ago);
	return msg;
}

struct api_renewable *
api_renewable_new(const char *profile, api_renew_fn *renew, void *arg,
    void (*arg_free)(void *))
{
	struct api_renewable *r = xcalloc(1, sizeof *r);

	pthread_mutex_init(&r->mu, NULL);
	pthread_mutex_init(&r->renew_mu, NULL);
	r->refs = 1;
	r->profile = xstrdup(profile != NULL ? profile : "(none)");
	r->renew = renew;
	r->arg = arg;
	r->arg_free = arg_free;
	r->now_ms = clock_wall_ms;
	return r;
}

/* Drops a reference on g. r->mu held. */
static void
gen_unref(struct api_cred_gen *g)
{
	if (g != NULL && --g->refs == 0) {
		api_cred_clear(&g->c);
		free(g);
	}
}

struct api_renewable *
api_renewable_ref(struct api_renewable *r)
{
	if (r != NULL) {
		pthread_mutex_lock(&r->mu);
		r->refs++;
		pthread_mutex_unlock(&r->mu);
	}
	return r;
}

void
api_renewable_unref(struct api_renewable *r)
{
	int last;

	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (!last)
		return;
	gen_unref(r->cur);	/* holds are gone with the configurations that lent them */
	if (r->arg_free != NULL)
		r->arg_free(r->arg);
	free(r->profile);
	free(r->last_error);
	pthread_mutex_destroy(&r->mu);
	pthread_mutex_destroy(&r->renew_mu);
	free(r);
}

void
api_renewable_set_clock(struct api_renewable *r, int64_t (*now_ms)(void))
{
	pthread_mutex_lock(&r->mu);
	r->now_ms = now_ms != NULL ? now_ms : clock_wall_ms;
	pthread_mutex_unlock(&r->mu);
}

static int
gen_expired(const struct api_cred_gen *g, int64_t now)
{
	return g->c.expiry_ms != 0 && now >= g->c.expiry_ms;
}

static int
gen_due(const struct api_cred_gen *g, int64_t now)
{
	return g->c.expiry_ms != 0 &&
	    g->c.expiry_ms - now < api_renew_margin_ms(g->c.expiry_ms - g->got_ms);
}

/* Why r cannot sign now (r->mu held; r->cur NULL or expired), caller-freed. */
static char *
renewable_refusal(const struct api_renewable *r, int64_t now)
{
	char when[32], *ago, *msg;

	if (r->cur == NULL)
		return xasprintf("the role of profile %s could not be assumed: %s", r->profile,
		    r->last_error != NULL ? r->last_error : "no credential yet");
	utc_text(r->cur->c.expiry_ms, when);
	ago = ago_text(now - r->cur->c.expiry_ms);
	msg = xasprintf("the STS credential of role profile %s expired at %s (%s) and could "
	    "not be renewed: %s", r->profile, when, ago,
	    r->last_error != NULL ? r->last_error : "no renewal was tried");
	free(ago);
	return msg;
}

int
api_renewable_refresh(struct api_renewable *r, int force, char **cause)
{
	struct api_cred v;
	struct api_cred_gen *g;
	char *why = NULL;
	int64_t now;
	int need, rc;

	pthread_mutex_lock(&r->renew_mu);
	pthread_mutex_lock(&r->mu);
	now = r->now_ms();
	/* After a failure, not before the retry time, even once expired: a worker whose
	 * requests wait for the throttle must not ask STS at every turn. */
	need = force || ((r->cur == NULL || gen_expired(r->cur, now) || gen_due(r->cur, now)) &&
	    now >= r->retry_at_ms);
	pthread_mutex_unlock(&r->mu);

	if (need) {
		memset(&v, 0, sizeof v);
		rc = r->renew(r->arg, &v, &why);
		pthread_mutex_lock(&r->mu);
		now = r->now_ms();
		if (rc == 0) {
			g = xcalloc(1, sizeof *g);
			g->refs = 1;
			g->c = v;
			g->got_ms = now;
			gen_unref(r->cur);
			r->cur = g;
			r->count++;
			r->retry_at_ms = 0;
			free(r->last_error);
			r->last_error = NULL;
		} else {
			api_cred_clear(&v);
			free(r->last_error);
			r->last_error = why != NULL ? why : xstrdup("the renewal failed");
			why = NULL;
			r->retry_at_ms = now + api_renew_retry_ms(r->cur != NULL &&
			    r->cur->c.expiry_ms > now ? r->cur->c.expiry_ms - now : 0);
		}
		pthread_mutex_unlock(&r->mu);
	}

	pthread_mutex_lock(&r->mu);
	now = r->now_ms();
	rc = r->cur != NULL && !gen_expired(r->cur, now) ? 0 : -1;
	if (rc != 0 && cause != NULL)
		*cause = renewable_refusal(r, now);
	pthread_mutex_unlock(&r->mu);
	pthread_mutex_unlock(&r->renew_mu);
	return rc;
}

int
api_renewable_get(struct api_renewable *r, struct api_cred *out)
{
	int rc = -1;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&r->mu);
	if (r->cur != NULL) {
		out->id = xstrdup(r->cur->c.id);
		out->secret = secret_dup(r->cur->c.secret);
		out->token = r->cur->c.token != NULL ? xstrdup(r->cur->c.token) : NULL;
		out->expiry_ms = r->cur->c.expiry_ms;
		rc = 0;
	}
	pthread_mutex_unlock(&r->mu);
	return rc;
}

unsigned
api_renewable_count(struct api_renewable *r)
{
	unsigned n;

	pthread_mutex_lock(&r->mu);
	n = r->count;
	pthread_mutex_unlock(&r->mu);
	return n;
}

int
api_config_signing(const struct api_config *cfg, struct api_config *view,
    struct api_cred_hold *hold, struct api_error *err)
{
	struct api_renewable *r = cfg->renew;
	struct api_cred_gen *g;
	char *msg;
	int64_t now;

	memset(hold, 0, sizeof *hold);
	*view = *cfg;
	if (r == NULL) {
		if (cfg->security_token == NULL || *cfg->security_token == '\0' ||
		    cfg->token_expiry_ms == 0 || (now = clock_wall_ms()) < cfg->token_expiry_ms)
			return 0;
		msg = api_token_expired_message(cfg->profile, cfg->token_expiry_ms, now);
		goto refuse;
	}
	pthread_mutex_lock(&r->mu);
	now = r->now_ms();
	g = r->cur;
	if (g == NULL || gen_expired(g, now)) {
		msg = renewable_refusal(r, now);
		pthread_mutex_unlock(&r->mu);
		goto refuse;
	}
	g->refs++;
	pthread_mutex_unlock(&r->mu);
	hold->r = r;
	hold->gen = g;
	view->access_key_id = g->c.id;
	view->access_key_secret = g->c.secret;
	view->security_token = g->c.token;
	view->token_expiry_ms = g->c.expiry_ms;
	return 0;
refuse:
	memset(err, 0, sizeof *err);
	api_error_set(err, API_ERR_CONFIG, API_CODE_CREDENTIAL_EXPIRED, msg);
	free(msg);
	return -1;
}

void
api_cred_hold_release(struct api_cred_hold *hold)
{
	if (hold->r != NULL) {
		pthread_mutex_lock(&hold->r->mu);
		gen_unref(hold->gen);
		pthread_mutex_unlock(&hold->r->mu);
	}
	memset(hold, 0, sizeof *hold);
}

int
api_config_refresh(const struct api_config *cfg, char **cause)
{
	if (cfg->renew == NULL)
		return 0;
	return api_renewable_refresh(cfg->renew, 0, cause);
}

int64_t
api_config_token_expiry(const struct api_config *cfg, int *is_sts)
{
	int64_t e = 0;

	if (cfg->renew != NULL) {
		*is_sts = 1;
		pthread_mutex_lock(&cfg->renew->mu);
		if (cfg->renew->cur != NULL)
			e = cfg->renew->cur->c.expiry_ms;
		pthread_mutex_unlock(&cfg->renew->mu);
		return e;
	}
	*is_sts = cfg->security_token != NULL && *cfg->security_token != '\0';
	return *is_sts ? cfg->token_expiry_ms : 0;
}
