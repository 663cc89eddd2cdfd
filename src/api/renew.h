/* renew.h — credential freshness (renew.c). Included by api/client.h, whose struct
 * api_config points to a struct api_renewable. */
#ifndef IOTDECK_API_RENEW_H
#define IOTDECK_API_RENEW_H

#include <stdint.h>

#include "api/response.h"
#include "core/secret.h"

struct api_config;
struct api_renewable;

/* ---- credential freshness ---------------------------------------------------------
 *
 * A static credential (an AccessKey; an STS token from the vault or the environment) is
 * the api_config's own fields; a token whose expiry (token_expiry_ms) has passed is
 * refused before anything is sent. A renewable credential (a RAM role assumed with STS
 * AssumeRole, api/sts.h) is a struct api_renewable that the configuration points to: it
 * holds the current value and a function that gets a new one. Whoever sends next renews
 * it (api_config_refresh: the worker thread, or a caller of api_call) once less than
 * api_renew_margin_ms of its lifetime is left; one thread renews while the others wait
 * for it (the requests wait, none fails); a renewal that fails while the old value is
 * still valid keeps the old value and is tried again later (api_renew_retry_ms); once the
 * value has expired and renewing fails, requests fail with API_CODE_CREDENTIAL_EXPIRED
 * (and STS is asked again at most once a second).
 * Requests are signed with the value current when they are prepared (api_config_signing),
 * so a renewal never changes a request half-way. Thread-safe. */

/* One credential value. Owned by whoever holds it (api_cred_clear). */
struct api_cred {
	char		*id;		/* AccessKey ID (an STS one: "STS....") */
	struct secret	*secret;	/* AccessKey secret, guarded */
	char		*token;		/* SecurityToken, or NULL (wiped when cleared) */
	int64_t		 expiry_ms;	/* when it expires (epoch ms), 0: unknown */
};
/* Wipes and frees c's fields and zeroes it. */
void api_cred_clear(struct api_cred *c);

/* Gets a new value into *out (zeroed on entry) and returns 0, or returns -1 with a
 * caller-freed, display-safe one-line *cause. Called by one thread at a time; it may block
 * on the network. */
typedef int api_renew_fn(void *arg, struct api_cred *out, char **cause);

/* Returns a renewable credential for profile (named in messages) that gets its values
 * from renew(arg); arg_free(arg) is called when the last reference goes. Holds no value
 * yet: api_renewable_refresh gets the first one. One reference, the caller's. */
struct api_renewable *api_renewable_new(const char *profile, api_renew_fn *renew, void *arg,
    void (*arg_free)(void *));
/* Adds a reference and returns r; NULL is fine. */
struct api_renewable *api_renewable_ref(struct api_renewable *r);
/* Drops a reference; the last one wipes the value and frees r. NULL is fine. */
void api_renewable_unref(struct api_renewable *r);
/* Replaces the wall clock (epoch ms) r reads, for tests; NULL: clock_wall_ms. */
void api_renewable_set_clock(struct api_renewable *r, int64_t (*now_ms)(void));
/* Renews r when force, or when it has no value or its value is due (api_renew_margin_ms)
 * or expired, and the last failure's retry time (api_renew_retry_ms) has come; another
 * thread renewing at the same time is waited for instead. Returns 0 when r holds a value that
 * has not expired afterwards (a failed renewal of a value still valid returns 0 and
 * keeps it), else -1 with a caller-freed *cause. May block on the network. */
int api_renewable_refresh(struct api_renewable *r, int force, char **cause);
/* Copies r's current value into *out (caller-owned; api_cred_clear). Returns 0, or -1
 * when it holds none. Never blocks on the network. */
int api_renewable_get(struct api_renewable *r, struct api_cred *out);
/* How many successful renewals r has had (the first value counts). */
unsigned api_renewable_count(struct api_renewable *r);

/* The renewal margin for a credential valid lifetime_ms in all: min(180 s, a third of
 * the lifetime). It is renewed once less than this is left. */
int64_t api_renew_margin_ms(int64_t lifetime_ms);
/* How long to wait after a failed renewal of a value with left_ms to go before trying
 * again: a quarter of what is left, between 1 s and 30 s. */
int64_t api_renew_retry_ms(int64_t left_ms);

/* The message for a request refused because the STS token of profile expired at
 * expiry_ms (epoch ms), as seen at now_ms, caller-freed:
 * "the STS token of profile P expired at 2026-12-01 10:00:00 UTC (N min ago); get a new
 * one (vault add P --sts ...) or use another profile". */
char *api_token_expired_message(const char *profile, int64_t expiry_ms, int64_t now_ms);

/* What api_config_signing lends: release it when the request is prepared and set up. */
struct api_cred_gen;
struct api_cred_hold {
	struct api_renewable	*r;	/* the renewable the value came from, or NULL */
	struct api_cred_gen	*gen;	/* a reference on that value, or NULL */
};
/* Fills *view with a shallow copy of cfg whose AccessKey ID, secret, token and expiry
 * are the credential to sign the next request with (cfg's own, or its renewable's
 * current value, kept in *hold), to pass to api_prepare and api_easy_setup. Never renews
 * and never blocks (call api_config_refresh first, without locks others need). Returns 0,
 * or -1 with err set (API_ERR_CONFIG, API_CODE_CREDENTIAL_EXPIRED) when the token has
 * expired: nothing may be sent. view borrows from cfg and hold: use it only before
 * api_cred_hold_release(hold) and while cfg lives. */
int api_config_signing(const struct api_config *cfg, struct api_config *view,
    struct api_cred_hold *hold, struct api_error *err);
/* Ends what api_config_signing lent (the value is wiped once nobody holds it). */
void api_cred_hold_release(struct api_cred_hold *hold);
/* Renews cfg's renewable credential when it is due (api_renewable_refresh); nothing for
 * a static credential. Returns 0, or -1 with a caller-freed *cause (cause may be NULL)
 * when the credential is expired and could not be renewed. May block on the network. */
int api_config_refresh(const struct api_config *cfg, char **cause);
/* The expiry (epoch ms) of the credential cfg signs with now, 0 when unknown or not an
 * STS credential; *is_sts says whether it is one (a token, or a renewable). For the
 * status bar; never blocks on the network. */
int64_t api_config_token_expiry(const struct api_config *cfg, int *is_sts);

#endif
