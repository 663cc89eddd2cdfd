/* cli.h — "iotdeck vault ...". Which credential a run uses is cli/credentials.h's. */
#ifndef IOTDECK_VAULT_CLI_H
#define IOTDECK_VAULT_CLI_H

#include "vault/vault.h"

/* Runs "iotdeck vault VERB [ARGS] [OPTIONS]". argv[0] is the word "vault" (ignored),
 * argv[1] the verb:
 *	init | add PROFILE | list | show PROFILE | remove PROFILE | default PROFILE |
 *	passwd | import-env PROFILE | import-aliyun [PROFILE...] | import-credentials [FILE] |
 *	help
 * Options (anywhere after the verb, "--opt VALUE" or "--opt=VALUE"):
 *	--vault FILE  --passphrase-fd N  --secret-fd N  --token-fd N  --access-key-id ID
 *	--region R  --instance ID  --endpoint URL  --readonly  --signature v1|v3
 *	--sts  --expires TIME  --role-arn ARN  --source-profile P  --session-name S
 *	--duration SECONDS  --sts-endpoint URL
 * With --passphrase-fd, passwd reads the old passphrase then the new one, one line each;
 * when --secret-fd (and --token-fd) is the same descriptor, the secret is the line after
 * the passphrase(s), and the token the line after the secret.
 * Disables core dumps itself (vault_harden_process). Prints results on stdout and
 * "iotdeck vault: ..." errors on stderr. Returns the exit status: 0, 1 on failure,
 * 2 on a usage error. */
int vault_cli_main(int argc, char **argv);

#endif
