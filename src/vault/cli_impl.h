/* cli_impl.h — what the files of "iotdeck vault ..." share (cli.c: the table, the
 * parser and the verbs that read or tidy a vault; cli_add.c: the verbs that make
 * profiles, add and the imports). Private to src/vault. */
#ifndef IOTDECK_VAULT_CLI_IMPL_H
#define IOTDECK_VAULT_CLI_IMPL_H

#include <stddef.h>

#include "core/secret.h"
#include "vault/vault.h"

/* Options; each verb lists the ones it takes. */
enum cli_opt {
	OPT_VAULT,
	OPT_PASSPHRASE_FD,
	OPT_SECRET_FD,
	OPT_ACCESS_KEY_ID,
	OPT_REGION,
	OPT_INSTANCE,
	OPT_ENDPOINT,
	OPT_READONLY,
	OPT_TOKEN_FD,
	OPT_STS,
	OPT_EXPIRES,
	OPT_ROLE_ARN,
	OPT_SOURCE_PROFILE,
	OPT_SESSION_NAME,
	OPT_DURATION,
	OPT_STS_ENDPOINT,
	OPT_SIGNATURE,
	OPT_COUNT
};
#define O(x) (1u << (x))

/* One option: its name and whether it takes a value (cli.c's table, by enum cli_opt). */
struct cli_option {
	const char	*name;		/* without the leading "--" */
	int		 has_value;	/* 1: takes a value */
};
extern const struct cli_option cli_options[OPT_COUNT];

/* A parsed command line. */
struct cli_args {
	const char	 *opt[OPT_COUNT];	/* option values ("1" for --readonly), or NULL */
	int		  passfd;		/* --passphrase-fd, or -1 for the terminal */
	int		  secfd;		/* --secret-fd, or -1 for the terminal */
	int		  tokfd;		/* --token-fd, or -1 for the terminal */
	char		**pos;			/* words after the verb (borrowed from argv) */
	int		  npos;			/* their number */
	char		 *path;			/* the vault file (vault_path) */
	char		 *spath;		/* the same, display-safe */
};

/* Messages: "iotdeck: vault: ..." on stderr (cli_error), one line on stdout (cli_line). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints cause (taken over) as an error and returns the exit status for it. */
int cli_fail(char *cause);
/* Opens a's vault in mode (asking for the passphrase as a says); 0 or an exit status. */
int cli_open(struct cli_args *a, enum vault_mode mode, struct vault **v);
/* Saves v with flags; 0 or an exit status (message printed). */
int cli_save(struct vault *v, int flags);
/* s, or "-" when it is NULL or empty. */
const char *or_dash(const char *s);
/* The masked secret (its last four characters) into out, or "-". */
void mask_or_dash(struct secret *s, char *out, size_t outsz);

/* The verbs of cli_add.c; each returns the exit status. */
int cmd_add(struct cli_args *a);
int cmd_import_env(struct cli_args *a);
int cmd_import_aliyun(struct cli_args *a);
int cmd_import_credentials(struct cli_args *a);

#endif
