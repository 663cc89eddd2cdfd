/* cli.h — "iotdeck vault ..." and credential lookup for command-line use. */
#ifndef IOTDECK_VAULT_CLI_H
#define IOTDECK_VAULT_CLI_H

#include "vault/vault.h"

/* Runs "iotdeck vault VERB [ARGS] [OPTIONS]". argv[0] is the word "vault" (ignored),
 * argv[1] the verb:
 *	init | add PROFILE | list | show PROFILE | remove PROFILE | default PROFILE |
 *	passwd | import-env PROFILE | import-aliyun [PROFILE...] | help
 * Options (anywhere after the verb, "--opt VALUE" or "--opt=VALUE"):
 *	--vault FILE  --passphrase-fd N  --secret-fd N  --access-key-id ID  --region R
 *	--instance ID  --endpoint URL  --readonly
 * With --passphrase-fd, passwd reads the old passphrase then the new one, one line each;
 * when --secret-fd is the same descriptor, the secret is the line after the passphrase(s).
 * Disables core dumps itself (vault_harden_process). Prints results on stdout and
 * "iotdeck vault: ..." errors on stderr. Returns the exit status: 0, 1 on failure,
 * 2 on a usage error. */
int vault_cli_main(int argc, char **argv);

/* Credential lookup for one-shot commands (not the console): vault_resolve_credentials
 * with passphrases from the terminal, or from passphrase_fd if it is >= 0 (the
 * --passphrase-fd of the command). vault_opt and profile are the --vault and --profile
 * values or NULL. *out is caller-owned (vault_profile_free); origin may be NULL. */
int vault_cli_credentials(const char *vault_opt, const char *profile, int passphrase_fd,
    struct vault_profile **out, enum vault_origin *origin, char **cause);

#endif
