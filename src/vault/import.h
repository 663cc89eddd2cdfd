/* import.h — reading the profiles of other tools' credential files for "vault
 * import-aliyun" and "vault import-credentials" (the vault side is cli.c's).
 *
 * Both readers report every profile they skip and why through an import_report (one
 * message each, not yet display-safe: the files are outside input), and hand back the
 * profiles they could read, each checked only as far as the file goes (vault_profile_put
 * does the rest). The files' secrets never leave guarded memory (see import.c).
 */
#ifndef IOTDECK_VAULT_IMPORT_H
#define IOTDECK_VAULT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vault/vault.h"

/* Where the readers' messages go. */
struct import_report {
	void	(*fn)(void *arg, const char *msg);	/* one message, no newline */
	void	 *arg;
};

/* What a reader found: the profiles and how to name each in messages. */
struct import_list {
	struct vault_profile	**prof;		/* owned */
	char			**where;	/* "aliyun profile NAME", "FILE:LINE [NAME]"; owned */
	size_t			  n;
};
/* Frees the profiles (wiping their secrets) and names; l may be used again. */
void import_list_free(struct import_list *l);

/* Reads the aliyun CLI configuration at path (~/.aliyun/config.json) and adds its profiles
 * selected by names (all when nnames == 0) to l: AK (access_key), StsToken (sts, with
 * sts_expiration as the expiry; an expired one is skipped), RamRoleArn (ram_role with its
 * own AccessKey, ram_session_name, expired_seconds, sts_region) and ChainableRamRoleArn
 * (ram_role with source_profile); other modes are skipped. Modes are matched without
 * case, as the aliyun CLI does. now is the time (epoch s). *current (caller-freed) is
 * the file's current profile, or NULL. Returns 0, or -1 when the file cannot be read, a
 * name is not in it, or nothing can be imported. */
int import_aliyun_read(const char *path, char **names, int nnames, int64_t now,
    struct import_list *l, char **current, const struct import_report *r);

/* Reads the SDKs' credentials file at path (INI: one [section] per profile, named after
 * it) and adds to l its sections of type access_key (access_key_id, access_key_secret),
 * sts (and security_token) and ram_role_arn (and role_arn, role_session_name,
 * role_session_expiration or durationSeconds; one with a policy is skipped: iotdeck
 * cannot apply it), each with region_id. Other types, ambiguous sections and broken lines
 * are reported as "path:line: why". Returns 0, or -1 when the file cannot be read or
 * nothing can be imported. */
int import_credentials_read(const char *path, struct import_list *l,
    const struct import_report *r);

#endif
