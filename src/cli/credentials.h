/* credentials.h — the credential a run uses, found in one documented order, and the one
 * place where the environment variables that carry credentials are read and named.
 *
 * The order (README "Credentials and configuration", iotdeck(1) ENVIRONMENT):
 *   1. --profile NAME: that profile of the vault;
 *   2. the environment: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET,
 *      both set and non-empty (one without the other is an error, never a fall-through),
 *      with ALIBABA_CLOUD_SECURITY_TOKEN making it an STS credential and
 *      ALIBABA_CLOUD_REGION_ID its region;
 *   3. the vault's default profile.
 * None of them: VAULT_NOENT with a message naming all three.
 *
 * A struct credential says what kind it is and where it came from, so that later kinds
 * (RAM-role profiles, files of other tools) are new sources and kinds here, not new
 * lookups elsewhere. The vault itself stays in src/vault; this module only picks.
 */
#ifndef IOTDECK_CLI_CREDENTIALS_H
#define IOTDECK_CLI_CREDENTIALS_H

#include <stdint.h>

#include "api/client.h"
#include "core/secret.h"
#include "vault/vault.h"

/* The environment variables, spelled once (messages and help texts use these too). */
#define CREDENTIAL_ENV_ID	"ALIBABA_CLOUD_ACCESS_KEY_ID"
#define CREDENTIAL_ENV_SECRET	"ALIBABA_CLOUD_ACCESS_KEY_SECRET"
#define CREDENTIAL_ENV_TOKEN	"ALIBABA_CLOUD_SECURITY_TOKEN"
#define CREDENTIAL_ENV_REGION	"ALIBABA_CLOUD_REGION_ID"
#define CREDENTIAL_ENV_ENDPOINT	"IOTDECK_ENDPOINT"

/* What a credential is. */
enum credential_kind {
	CREDENTIAL_ACCESS_KEY,	/* an AccessKey ID and secret */
	CREDENTIAL_STS		/* an AccessKey ID and secret with a security token */
};

/* Where it was found (the order above). */
enum credential_source {
	CREDENTIAL_FROM_PROFILE,	/* --profile NAME, from the vault */
	CREDENTIAL_FROM_ENV,		/* the environment */
	CREDENTIAL_FROM_DEFAULT		/* the vault's default profile */
};

/* One credential and what its source says about where to send requests. Caller-owned
 * (credential_free). */
struct credential {
	enum credential_kind	 kind;		/* AccessKey or STS */
	enum credential_source	 source;	/* where it came from */
	char			*name;		/* the vault profile's name, or "env" */
	char			*id;		/* AccessKey ID */
	struct secret		*secret;	/* AccessKey secret, in guarded memory; never NULL */
	char			*token;		/* STS security token (wiped when freed), or NULL */
	int64_t			 expiry_ms;	/* when token expires (epoch ms), 0 when unknown */
	char			*region;	/* the source's region, or NULL */
	char			*endpoint;	/* the source's endpoint, or NULL (the region's) */
	char			*instance_id;	/* the source's IoT instance id, or NULL */
	int			 readonly;	/* the profile is read-only: writes are refused */
	int			 signature;	/* 0: default, API_SIGNATURE_V1 or _V3 */
};

/* What a run asks for. */
struct credential_request {
	const char	*vault_opt;	/* --vault FILE, or NULL ($IOTDECK_VAULT, the default) */
	const char	*profile;	/* --profile NAME, or NULL */
	vault_ask_fn	 ask;		/* asks for the vault passphrase when the vault is used */
	void		*ask_arg;	/* its argument */
};

/* The environment's part of a run's configuration. Each value is non-empty or NULL,
 * borrowed from the environment (valid until it changes). */
struct credential_env {
	const char	*id;		/* ALIBABA_CLOUD_ACCESS_KEY_ID */
	const char	*secret;	/* ALIBABA_CLOUD_ACCESS_KEY_SECRET */
	const char	*token;		/* ALIBABA_CLOUD_SECURITY_TOKEN */
	const char	*region;	/* ALIBABA_CLOUD_REGION_ID */
	const char	*endpoint;	/* IOTDECK_ENDPOINT */
};

/* Reads the variables above into *e. */
void credential_env_read(struct credential_env *e);
/* Returns 1 when the environment holds a whole AccessKey (ID and secret): without
 * --profile the vault is then not used. */
int credential_env_has_key(void);
/* Removes the secret and the token from the environment, so that nothing this process
 * starts inherits them. */
void credential_env_scrub(void);

/* Finds the credential for a run in the order above. Returns VAULT_OK and a caller-owned
 * *out, or a vault_status (VAULT_NOENT: no source gives one; VAULT_ERR: half a pair in the
 * environment, or a value a profile could not hold) with a caller-freed *cause (cause
 * must not be NULL; no secret is ever in it). */
int credential_resolve(const struct credential_request *req, struct credential **out,
    char **cause);
/* Wipes and frees c; NULL is fine. */
void credential_free(struct credential *c);

/* Puts c's identity into cfg: AccessKey ID, secret (copied into guarded memory), token,
 * read-only flag, signature (0 when the profile names none) and the profile name shown
 * in the status bar. Where requests go is
 * place.h's (api_config_set_place_from). */
void credential_apply(const struct credential *c, struct api_config *cfg);

#endif
