/* credentials.c — the credential a run uses (see credentials.h for the order). */
#include "cli/credentials.h"

#include <stdlib.h>
#include <string.h>


#include "api/sts.h"
#include "core/clock.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

static const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

void
credential_env_read(struct credential_env *e)
{
	e->id = env_nonempty(CREDENTIAL_ENV_ID);
	e->secret = env_nonempty(CREDENTIAL_ENV_SECRET);
	e->token = env_nonempty(CREDENTIAL_ENV_TOKEN);
	e->region = env_nonempty(CREDENTIAL_ENV_REGION);
	e->endpoint = env_nonempty(CREDENTIAL_ENV_ENDPOINT);
}

int
credential_env_has_key(void)
{
	struct credential_env e;

	credential_env_read(&e);
	return e.id != NULL && e.secret != NULL;
}

char *
credential_file_path(const char *given)
{
	const char *env = env_nonempty(CREDENTIAL_ENV_FILE), *home = env_nonempty("HOME");

	if (given != NULL)
		return xstrdup(given);
	if (env != NULL)
		return xstrdup(env);
	return home != NULL ? xasprintf("%s/.alibabacloud/credentials", home) : NULL;
}

void
credential_env_scrub(void)
{
	unsetenv(CREDENTIAL_ENV_SECRET);
	unsetenv(CREDENTIAL_ENV_TOKEN);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* A credential from a vault profile (its fields copied). */
static struct credential *
from_profile(const struct vault_profile *p, enum credential_source source)
{
	struct credential *c = xcalloc(1, sizeof *c);

	c->kind = p->kind == VAULT_KIND_STS ? CREDENTIAL_STS :
	    p->kind == VAULT_KIND_RAM_ROLE ? CREDENTIAL_RAM_ROLE : CREDENTIAL_ACCESS_KEY;
	c->source = source;
	c->name = xstrdup(p->name);
	c->id = dup_or_null(p->access_key_id);
	c->secret = p->access_key_secret != NULL ? secret_dup(p->access_key_secret) : NULL;
	if (p->kind == VAULT_KIND_STS && p->security_token != NULL) {
		c->token = xstrdup(secret_reveal(p->security_token));
		secret_hide(p->security_token);
		c->expiry_ms = p->expires > 0 ? p->expires * 1000 : 0;
	}
	c->region = dup_or_null(p->region);
	c->endpoint = dup_or_null(p->endpoint);
	c->instance_id = dup_or_null(p->instance_id);
	c->readonly = p->readonly ? 1 : 0;
	c->signature = p->signature == 3 ? API_SIGNATURE_V3 :
	    p->signature == 1 ? API_SIGNATURE_V1 : 0;
	if (p->kind == VAULT_KIND_RAM_ROLE) {
		c->role_arn = dup_or_null(p->role_arn);
		c->role_session_name = dup_or_null(p->role_session_name);
		c->duration_s = p->duration_s;
		c->sts_endpoint = dup_or_null(p->sts_endpoint);
		c->source_profile = dup_or_null(p->source_profile);
	}
	return c;
}

/* The AccessKey that assumes ram_role profile p: its own, or its source_profile's from
 * the same vault v (which must hold an AccessKey of its own). */
static int
role_key(const struct vault *v, const struct vault_profile *p, struct credential *c,
    char **cause)
{
	const struct vault_profile *src;

	if (p->role_arn == NULL || *p->role_arn == '\0') {
		*cause = xasprintf("profile %s is a ram_role profile without a role ARN", p->name);
		return VAULT_ERR;
	}
	if (p->source_profile == NULL || *p->source_profile == '\0') {
		if (c->id == NULL || *c->id == '\0' || c->secret == NULL) {
			*cause = xasprintf("profile %s assumes a role but has neither an AccessKey "
			    "of its own nor a source_profile", p->name);
			return VAULT_ERR;
		}
		return VAULT_OK;
	}
	if ((src = vault_profile_find(v, p->source_profile)) == NULL) {
		char *safe = safetext_excerpt(p->source_profile, strlen(p->source_profile), 64);

		*cause = xasprintf("profile %s assumes its role with the AccessKey of profile %s, "
		    "which is not in the vault %s (see 'iotdeck vault list')", p->name, safe,
		    vault_file(v));
		free(safe);
		return VAULT_NOENT;
	}
	if (src->kind != VAULT_KIND_ACCESS_KEY || src->access_key_id == NULL ||
	    src->access_key_secret == NULL) {
		*cause = xasprintf("profile %s assumes its role with the AccessKey of profile %s, "
		    "but %s holds %s, not an AccessKey of its own", p->name, src->name, src->name,
		    src->kind == VAULT_KIND_STS ? "an STS token" : "a role");
		return VAULT_ERR;
	}
	xstrset(&c->id, src->access_key_id);
	secret_free(c->secret);
	c->secret = secret_dup(src->access_key_secret);
	return VAULT_OK;
}

int
credential_from_vault(const struct credential_request *req, const char *name,
    enum credential_source source, struct credential **out, char **cause)
{
	const struct vault_profile *p;
	struct credential *c = NULL;
	struct vault *v = NULL;
	char *path = NULL;
	int status;

	*out = NULL;
	if ((status = vault_path(req->vault_opt, &path, cause)) != VAULT_OK)
		return status;
	if ((status = vault_unlock(&v, path, VAULT_READ, req->ask, req->ask_arg, cause)) !=
	    VAULT_OK)
		goto out;
	if (name == NULL && (name = vault_default_name(v)) == NULL) {
		*cause = xasprintf("the vault %s has no default profile (choose one with "
		    "'iotdeck vault default NAME')", path);
		status = VAULT_NOENT;
		goto out;
	}
	if ((p = vault_profile_find(v, name)) == NULL) {
		*cause = xasprintf("no profile named %s in the vault %s (see 'iotdeck vault list')",
		    name, path);
		status = VAULT_NOENT;
		goto out;
	}
	c = from_profile(p, source);
	if (p->kind == VAULT_KIND_RAM_ROLE &&
	    (status = role_key(v, p, c, cause)) != VAULT_OK) {
		credential_free(c);
		goto out;
	}
	*out = c;
out:
	vault_close(v);
	free(path);
	return status;
}

/* The environment's AccessKey, checked like a vault profile's; *out stays NULL when the
 * environment has none. */
static int
from_env(const struct credential_env *e, struct credential **out, char **cause)
{
	struct vault_profile p;
	struct credential *c;
	int status;

	if ((e->id == NULL) != (e->secret == NULL)) {
		*cause = xasprintf("%s is set but %s is not; set both, or neither to use the "
		    "vault", e->id != NULL ? CREDENTIAL_ENV_ID : CREDENTIAL_ENV_SECRET,
		    e->id != NULL ? CREDENTIAL_ENV_SECRET : CREDENTIAL_ENV_ID);
		return VAULT_ERR;
	}
	if (e->id == NULL)
		return VAULT_OK;
	memset(&p, 0, sizeof p);
	p.name = (char *)"env";
	p.access_key_id = (char *)e->id;
	p.access_key_secret = secret_from(e->secret, strnlen(e->secret, SECRET_MAX));
	p.region = (char *)e->region;
	if ((status = vault_profile_check(&p, cause)) == VAULT_OK) {
		c = from_profile(&p, CREDENTIAL_FROM_ENV);
		if (e->token != NULL) {
			c->kind = CREDENTIAL_STS;
			c->token = xstrdup(e->token);
		}
		*out = c;
	}
	secret_free(p.access_key_secret);
	return status;
}

int
credential_resolve(const struct credential_request *req, struct credential **out,
    char **cause)
{
	struct credential_env e;
	char *c = NULL;
	int status;

	*out = NULL;
	/* 1. --profile NAME. */
	if (req->profile != NULL)
		return credential_from_vault(req, req->profile, CREDENTIAL_FROM_PROFILE, out,
		    cause);
	/* 2. The environment. */
	credential_env_read(&e);
	if ((status = from_env(&e, out, cause)) != VAULT_OK || *out != NULL)
		return status;
	/* 3. The vault's default profile. */
	status = credential_from_vault(req, NULL, CREDENTIAL_FROM_DEFAULT, out, &c);
	if (status == VAULT_NOENT) {
		*cause = xasprintf("no credentials: %s; or give --profile NAME, or set %s and %s",
		    c, CREDENTIAL_ENV_ID, CREDENTIAL_ENV_SECRET);
		free(c);
	} else
		*cause = c;
	return status;
}

void
credential_free(struct credential *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->id);
	secret_free(c->secret);
	secret_str_free(c->token);
	free(c->region);
	free(c->endpoint);
	free(c->instance_id);
	free(c->role_arn);
	free(c->role_session_name);
	free(c->sts_endpoint);
	free(c->source_profile);
	free(c);
}

static void
token_set(struct api_config *cfg, const char *token)
{
	secret_str_free(cfg->security_token);
	cfg->security_token = dup_or_null(token);
}

/* Assumes c's role with cfg's transport: the renewable credential holding its first
 * value, or NULL with *cause. */
static struct api_renewable *
assume_role(const struct credential *c, const struct api_config *cfg, char **cause)
{
	struct sts_role *r = xcalloc(1, sizeof *r);
	struct api_renewable *ren;
	char *why = NULL;

	r->profile = xstrdup(c->name);
	r->role_arn = dup_or_null(c->role_arn);
	r->session_name = dup_or_null(c->role_session_name);
	r->duration_s = c->duration_s;
	r->access_key_id = xstrdup(c->id);
	r->access_key_secret = secret_dup(c->secret);
	r->cacert = dup_or_null(cfg->cacert);
	r->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : API_DEFAULT_TIMEOUT_MS;
	r->connect_timeout_ms = cfg->connect_timeout_ms;
	r->trace = cfg->trace;
	if (sts_role_prepare(r, c->sts_endpoint, cause) != 0) {
		sts_role_free(r);
		return NULL;
	}
	ren = sts_role_renewable(r);	/* r is the renewable's now */
	if (api_renewable_refresh(ren, 1, &why) != 0) {
		*cause = why;
		api_renewable_unref(ren);
		return NULL;
	}
	return ren;
}

int
credential_apply(const struct credential *c, struct api_config *cfg, char **cause)
{
	struct api_renewable *ren = NULL;
	struct api_cred cur;
	int64_t now;

	if (c->kind == CREDENTIAL_STS && c->expiry_ms != 0 &&
	    (now = clock_wall_ms()) >= c->expiry_ms) {
		*cause = api_token_expired_message(c->name, c->expiry_ms, now);
		return -1;
	}
	if (c->kind == CREDENTIAL_RAM_ROLE) {
		if ((ren = assume_role(c, cfg, cause)) == NULL)
			return -1;
		/* The configuration's own fields hold the first value (what the status bar and
		 * the audit log name); requests are signed with the current one. */
		api_renewable_get(ren, &cur);
		xstrset(&cfg->access_key_id, cur.id);
		secret_free(cfg->access_key_secret);
		cfg->access_key_secret = cur.secret;
		cur.secret = NULL;
		token_set(cfg, cur.token);
		cfg->token_expiry_ms = cur.expiry_ms;
		api_cred_clear(&cur);
	} else {
		xstrset(&cfg->access_key_id, c->id);
		secret_free(cfg->access_key_secret);
		cfg->access_key_secret = secret_dup(c->secret);
		token_set(cfg, c->token);
		cfg->token_expiry_ms = c->token != NULL ? c->expiry_ms : 0;
	}
	api_renewable_unref(cfg->renew);
	cfg->renew = ren;
	cfg->readonly = c->readonly;
	cfg->signature = c->signature;	/* 0: --signature, the environment or v1 decide */
	xstrset(&cfg->profile, c->name);
	return 0;
}
