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
 * Kinds: an AccessKey; an STS credential (AccessKey, SecurityToken and, from the vault,
 * its expiry; the environment's token has none); a RAM role (a vault profile of kind
 * ram_role: the AccessKey that assumes the role, its own or its source_profile's, read
 * in the same unlock, and what to ask STS for). credential_apply turns a RAM role into
 * the STS credential the run signs with (AssumeRole, api/sts.h), renewed while it runs.
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
/* The official credential chain's INI file (vault import-credentials). */
#define CREDENTIAL_ENV_FILE	"ALIBABA_CLOUD_CREDENTIALS_FILE"

/* What a credential is. */
enum credential_kind {
	CREDENTIAL_ACCESS_KEY,	/* an AccessKey ID and secret */
	CREDENTIAL_STS,		/* an AccessKey ID and secret with a security token */
	CREDENTIAL_RAM_ROLE	/* a role assumed with STS AssumeRole by the AccessKey */
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
	/* RAM role: id and secret above are the AccessKey that assumes the role. */
	char			*role_arn;	/* acs:ram::ACCOUNT:role/NAME, else NULL */
	char			*role_session_name;	/* RoleSessionName, NULL: "iotdeck" */
	int			 duration_s;	/* DurationSeconds, 0: 3600 */
	char			*sts_endpoint;	/* the profile's STS endpoint, or NULL */
	char			*source_profile;	/* whose AccessKey it is, NULL: its own */
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
/* The official credential chain's INI file: given when not NULL, else
 * $ALIBABA_CLOUD_CREDENTIALS_FILE, else ~/.alibabacloud/credentials; NULL when none of
 * them can be had (HOME unset). The caller frees it. */
char *credential_file_path(const char *given);
/* Removes the secret and the token from the environment, so that nothing this process
 * starts inherits them. */
void credential_env_scrub(void);

/* Finds the credential for a run in the order above. Returns VAULT_OK and a caller-owned
 * *out, or a vault_status (VAULT_NOENT: no source gives one; VAULT_ERR: half a pair in the
 * environment, or a value a profile could not hold) with a caller-freed *cause (cause
 * must not be NULL; no secret is ever in it). */
int credential_resolve(const struct credential_request *req, struct credential **out,
    char **cause);
/* The named profile of the vault (NULL: its default) as a credential, from one unlock
 * (a ram_role profile's source_profile is read from the same one), marked as coming from
 * source. Returns VAULT_OK and a caller-owned *out, or a vault_status with a caller-freed
 * *cause (VAULT_NOENT: no such profile or source profile; VAULT_ERR: a profile that
 * cannot be used, like a source_profile that holds no AccessKey of its own). */
int credential_from_vault(const struct credential_request *req, const char *name,
    enum credential_source source, struct credential **out, char **cause);
/* Wipes and frees c; NULL is fine. */
void credential_free(struct credential *c);

/* Puts c's identity into cfg: AccessKey ID, secret (copied into guarded memory), token
 * and its expiry, read-only flag, signature (0 when the profile names none) and the profile name shown in the status bar. An STS
 * token whose expiry has passed is refused (api_token_expired_message). A RAM role is
 * assumed now, with cfg's transport (CA file, timeouts, trace) and the STS endpoint of
 * the profile, else $IOTDECK_STS_ENDPOINT, else https://sts.aliyuncs.com: cfg then signs
 * with the STS credential and renews it (cfg->renew; api/client.h); this blocks until
 * STS answers. Where requests go is place.h's (api_config_set_place_from). Returns 0, or
 * -1 with a caller-freed, display-safe *cause and cfg's identity unchanged. */
int credential_apply(const struct credential *c, struct api_config *cfg, char **cause);

#endif
