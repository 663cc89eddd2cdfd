/* credentials.c — the credential a run uses (see credentials.h for the order). */
#include "cli/credentials.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

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

	c->kind = CREDENTIAL_ACCESS_KEY;
	c->source = source;
	c->name = xstrdup(p->name);
	c->id = xstrdup(p->access_key_id);
	c->secret = secret_dup(p->access_key_secret);
	c->region = dup_or_null(p->region);
	c->endpoint = dup_or_null(p->endpoint);
	c->instance_id = dup_or_null(p->instance_id);
	c->readonly = p->readonly ? 1 : 0;
	c->signature = p->signature == 1 ? API_SIGNATURE_V1 : p->signature == 3 ?
	    API_SIGNATURE_V3 : 0;
	return c;
}

/* The named vault profile (NULL: the default) as a credential. */
static int
from_vault(const struct credential_request *req, const char *name,
    enum credential_source source, struct credential **out, char **cause)
{
	struct vault_profile *p = NULL;
	int status;

	status = vault_resolve_profile(req->vault_opt, name, req->ask, req->ask_arg, &p, cause);
	if (status == VAULT_OK)
		*out = from_profile(p, source);
	vault_profile_free(p);
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
		return from_vault(req, req->profile, CREDENTIAL_FROM_PROFILE, out, cause);
	/* 2. The environment. */
	credential_env_read(&e);
	if ((status = from_env(&e, out, cause)) != VAULT_OK || *out != NULL)
		return status;
	/* 3. The vault's default profile. */
	status = from_vault(req, NULL, CREDENTIAL_FROM_DEFAULT, out, &c);
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
	if (c->token != NULL) {
		sodium_memzero(c->token, strlen(c->token));
		free(c->token);
	}
	free(c->region);
	free(c->endpoint);
	free(c->instance_id);
	free(c);
}

void
credential_apply(const struct credential *c, struct api_config *cfg)
{
	xstrset(&cfg->access_key_id, c->id);
	secret_free(cfg->access_key_secret);
	cfg->access_key_secret = secret_dup(c->secret);
	if (cfg->security_token != NULL) {
		sodium_memzero(cfg->security_token, strlen(cfg->security_token));
		free(cfg->security_token);
	}
	cfg->security_token = dup_or_null(c->token);
	cfg->readonly = c->readonly;
	cfg->signature = c->signature;	/* 0: --signature, the environment or v1 decide */
	xstrset(&cfg->profile, c->name);
}
