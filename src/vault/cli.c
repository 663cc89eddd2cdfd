/* cli.c — "iotdeck vault ...": one table row per verb, one function per verb. */
#include "vault/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/credentials.h"
#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "vault/cli_impl.h"
#include "vault/expiry.h"
#include "vault/passphrase.h"

const struct cli_option cli_options[OPT_COUNT] = {
	[OPT_VAULT] = { "vault", 1 },
	[OPT_PASSPHRASE_FD] = { "passphrase-fd", 1 },
	[OPT_SECRET_FD] = { "secret-fd", 1 },
	[OPT_ACCESS_KEY_ID] = { "access-key-id", 1 },
	[OPT_REGION] = { "region", 1 },
	[OPT_INSTANCE] = { "instance", 1 },
	[OPT_ENDPOINT] = { "endpoint", 1 },
	[OPT_READONLY] = { "readonly", 0 },
	[OPT_TOKEN_FD] = { "token-fd", 1 },
	[OPT_STS] = { "sts", 0 },
	[OPT_EXPIRES] = { "expires", 1 },
	[OPT_ROLE_ARN] = { "role-arn", 1 },
	[OPT_SOURCE_PROFILE] = { "source-profile", 1 },
	[OPT_SESSION_NAME] = { "session-name", 1 },
	[OPT_DURATION] = { "duration", 1 },
	[OPT_STS_ENDPOINT] = { "sts-endpoint", 1 },
	[OPT_SIGNATURE] = { "signature", 1 },
};

struct cli_cmd {
	const char	*name;			/* the verb */
	int		(*run)(struct cli_args *a); /* returns the exit status */
	int		 min_pos;		/* fewest words after the verb */
	int		 max_pos;		/* most, or -1 for any number */
	unsigned	 opts;			/* O(OPT_...) it accepts */
	const char	*usage;			/* arguments, for the help text */
	const char	*help;			/* one line */
};

#define COMMON_OPTS (O(OPT_VAULT) | O(OPT_PASSPHRASE_FD))
#define PROFILE_OPTS (O(OPT_REGION) | O(OPT_INSTANCE) | O(OPT_ENDPOINT) | O(OPT_READONLY) | \
	O(OPT_SIGNATURE))
#define KIND_OPTS (O(OPT_TOKEN_FD) | O(OPT_STS) | O(OPT_EXPIRES) | O(OPT_ROLE_ARN) | \
	O(OPT_SOURCE_PROFILE) | O(OPT_SESSION_NAME) | O(OPT_DURATION) | O(OPT_STS_ENDPOINT))

static int cmd_init(struct cli_args *);
static int cmd_list(struct cli_args *);
static int cmd_show(struct cli_args *);
static int cmd_remove(struct cli_args *);
static int cmd_default(struct cli_args *);
static int cmd_passwd(struct cli_args *);
static int cmd_help(struct cli_args *);

static const struct cli_cmd cli_cmds[] = {
	{ "init", cmd_init, 0, 0, COMMON_OPTS, "",
	  "create an empty vault (asks for a new passphrase twice)" },
	{ "add", cmd_add, 1, 1, COMMON_OPTS | O(OPT_SECRET_FD) | O(OPT_ACCESS_KEY_ID) |
	  PROFILE_OPTS | KIND_OPTS, "PROFILE --access-key-id ID [--secret-fd N]\n"
	  "  add PROFILE --sts --access-key-id ID [--expires TIME] [--secret-fd N] "
	  "[--token-fd N]\n"
	  "  add PROFILE --role-arn ARN (--source-profile P | --access-key-id ID [--secret-fd N])\n"
	  "        [--session-name S] [--duration SECONDS] [--sts-endpoint URL]",
	  "add an AccessKey, STS token or RAM role profile; each also takes [--region R]\n"
	  "      [--instance ID] [--endpoint URL] [--readonly] [--signature v1|v3]. The secret\n"
	  "      and the token are asked for without echo. TIME: 2026-12-01T11:00:00Z (UTC,\n"
	  "      as STS prints Expiration) or from now: 45m, 2h, 1d" },
	{ "list", cmd_list, 0, 0, COMMON_OPTS, "",
	  "list the profiles: kind, STS expiry and time left, role (secrets masked)" },
	{ "show", cmd_show, 1, 1, COMMON_OPTS, "PROFILE",
	  "show one profile (secret masked, token never shown)" },
	{ "remove", cmd_remove, 1, 1, COMMON_OPTS, "PROFILE", "remove a profile" },
	{ "default", cmd_default, 1, 1, COMMON_OPTS, "PROFILE",
	  "make PROFILE the one used when no --profile is given" },
	{ "passwd", cmd_passwd, 0, 0, COMMON_OPTS, "",
	  "re-encrypt under a new passphrase (new salt and nonce)" },
	{ "import-env", cmd_import_env, 1, 1, COMMON_OPTS | PROFILE_OPTS, "PROFILE",
	  "store " CREDENTIAL_ENV_ID "/_SECRET as PROFILE" },
	{ "import-aliyun", cmd_import_aliyun, 0, -1, COMMON_OPTS, "[PROFILE...]",
	  "import the aliyun CLI's AK, StsToken, RamRoleArn and ChainableRamRoleArn\n"
	  "      profiles from ~/.aliyun/config.json (others are skipped, each with why)" },
	{ "import-credentials", cmd_import_credentials, 0, 1, COMMON_OPTS, "[FILE]",
	  "import the access_key, sts and ram_role_arn sections of the SDKs' credentials\n"
	  "      file (FILE, else $ALIBABA_CLOUD_CREDENTIALS_FILE, else\n"
	  "      ~/.alibabacloud/credentials); others and broken lines are reported as\n"
	  "      FILE:LINE: why" },
	{ "help", cmd_help, 0, 0, 0, "", "show this help" },
};
#define CLI_NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

/* ------------------------------------------------------------------------------------ */


static void cli_vprint(FILE *f, const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Prints prefix and one line made from fmt on f, made display-safe: profile fields can
 * come from other tools' files (import-aliyun) and must not act on the terminal. */
static void
cli_vprint(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	char *safe;

	buf_vaddf(&b, fmt, ap);
	safe = safetext_dup(b.data != NULL ? b.data : "", b.len);
	fprintf(f, "%s%s\n", prefix, safe);
	free(safe);
	buf_free(&b);
}

/* Prints "iotdeck vault: MESSAGE" on stderr, made display-safe. */
void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vprint(stderr, "iotdeck vault: ", fmt, ap);
	va_end(ap);
}

/* Prints one line on stdout, made display-safe. */
void
cli_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vprint(stdout, "", fmt, ap);
	va_end(ap);
}

/* Prints and frees cause; returns 1. */
int
cli_fail(char *cause)
{
	cli_error("%s", cause != NULL ? cause : "failed");
	free(cause);
	return 1;
}

static void
cli_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: iotdeck vault COMMAND [ARGS] [--vault FILE] [--passphrase-fd N]\n\n");
	for (i = 0; i < CLI_NCMDS; i++)
		fprintf(f, "  %s%s%s\n      %s\n", cli_cmds[i].name,
		    *cli_cmds[i].usage != '\0' ? " " : "", cli_cmds[i].usage, cli_cmds[i].help);
	fprintf(f, "\nThe vault is --vault FILE, else $IOTDECK_VAULT, else "
	    "$XDG_CONFIG_HOME/iotdeck/vault (~/.config/iotdeck/vault).\n"
	    "Passphrases and secrets are read from the terminal without echo, or one line each "
	    "from\n--passphrase-fd N / --secret-fd N / --token-fd N (e.g. --passphrase-fd 3 "
	    "3<passfile);\nnever from the command line or the environment. Given the same "
	    "descriptor, they\nare read in that order, one line each. With --passphrase-fd, "
	    "passwd reads the old\npassphrase, then the new one.\n");
}

static int
cmd_help(struct cli_args *a)
{
	(void)a;
	cli_usage(stdout);
	return 0;
}

/* Parses a descriptor number for option name. */
static int
parse_fd(const char *name, const char *s, int *fd)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 0 || n > INT_MAX) {
		cli_error("--%s '%s': give a file descriptor number", name, s);
		return -1;
	}
	if (fcntl((int)n, F_GETFD) < 0) {
		cli_error("--%s %ld: file descriptor %ld is not open", name, n, n);
		return -1;
	}
	*fd = (int)n;
	return 0;
}

/* Splits argv (after the verb) into options and words. Returns 0 or the exit status. */
static int
parse_args(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *a)
{
	int i, k, only_words = 0;

	a->pos = xcalloc((size_t)argc + 1, sizeof *a->pos);
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq, *val = NULL;
		size_t nlen;

		if (only_words || arg[0] != '-' || arg[1] != '-') {
			if (!only_words && arg[0] == '-' && arg[1] != '\0') {
				cli_error("unknown option '%s' (options are spelled --name)", arg);
				return 2;
			}
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (arg[2] == '\0') {
			only_words = 1;
			continue;
		}
		eq = strchr(arg, '=');
		nlen = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		for (k = 0; k < OPT_COUNT; k++)
			if (strlen(cli_options[k].name) == nlen &&
			    strncmp(cli_options[k].name, arg + 2, nlen) == 0)
				break;
		if (k == OPT_COUNT) {
			cli_error("unknown option '%.*s'", (int)(nlen + 2), arg);
			return 2;
		}
		if (!(cmd->opts & O(k))) {
			cli_error("'vault %s' does not take --%s", cmd->name, cli_options[k].name);
			return 2;
		}
		if (cli_options[k].has_value) {
			if (eq != NULL)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				cli_error("--%s needs a value", cli_options[k].name);
				return 2;
			}
		} else if (eq != NULL) {
			cli_error("--%s takes no value", cli_options[k].name);
			return 2;
		} else
			val = "1";
		a->opt[k] = val;
	}
	if (a->npos < cmd->min_pos || (cmd->max_pos >= 0 && a->npos > cmd->max_pos)) {
		/* Our own constant text (several lines for add): printed as it is. */
		fprintf(stderr, "iotdeck vault: usage: iotdeck vault %s %s\n", cmd->name,
		    cmd->usage);
		return 2;
	}
	if (a->opt[OPT_PASSPHRASE_FD] != NULL &&
	    parse_fd("passphrase-fd", a->opt[OPT_PASSPHRASE_FD], &a->passfd) != 0)
		return 2;
	if (a->opt[OPT_SECRET_FD] != NULL &&
	    parse_fd("secret-fd", a->opt[OPT_SECRET_FD], &a->secfd) != 0)
		return 2;
	if (a->opt[OPT_TOKEN_FD] != NULL &&
	    parse_fd("token-fd", a->opt[OPT_TOKEN_FD], &a->tokfd) != 0)
		return 2;
	return 0;
}

/* Opens the vault of a; returns 0 or the exit status. */
int
cli_open(struct cli_args *a, enum vault_mode mode, struct vault **v)
{
	struct passphrase_src src = { a->passfd };
	char *cause = NULL;

	if (vault_unlock(v, a->path, mode, passphrase_ask, &src, &cause) != VAULT_OK)
		return cli_fail(cause);
	return 0;
}

/* Saves v (which always re-seals with the current KDF defaults) and says so when that
 * upgraded an older file. */
int
cli_save(struct vault *v, int flags)
{
	uint32_t ops, new_ops;
	uint64_t mem, new_mem;
	char *cause = NULL;

	vault_kdf_params(v, &ops, &mem);
	if (vault_save(v, flags, &cause) != VAULT_OK)
		return cli_fail(cause);
	vault_kdf_params(v, &new_ops, &new_mem);
	if (new_ops != ops || new_mem != mem)
		printf("re-sealed with the current key derivation, Argon2id %lu passes over "
		    "%llu MiB (was %lu passes over %llu MiB)\n", (unsigned long)new_ops,
		    (unsigned long long)(new_mem >> 20), (unsigned long)ops,
		    (unsigned long long)(mem >> 20));
	return 0;
}

/* After reading a vault: a hint when its KDF is weaker than today's default. */
static void
kdf_hint(const struct vault *v)
{
	const struct vault_kdf_limits *l = vault_kdf_limits();
	uint32_t ops;
	uint64_t mem;

	vault_kdf_params(v, &ops, &mem);
	if (ops < l->ops_default || mem < l->mem_default)
		cli_error("note: the vault is sealed with older key derivation parameters "
		    "(Argon2id %lu passes over %llu MiB); any change, or 'iotdeck vault passwd' "
		    "(the same passphrase may be given again), re-seals it with the current ones "
		    "(%lu passes over %llu MiB)", (unsigned long)ops,
		    (unsigned long long)(mem >> 20), (unsigned long)l->ops_default,
		    (unsigned long long)(l->mem_default >> 20));
}

const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

/* The masked secret s, or "-" when there is none. */
void
mask_or_dash(struct secret *s, char *out, size_t outsz)
{
	if (s != NULL)
		secret_mask(s, out, outsz);
	else
		snprintf(out, outsz, "-");
}

/* ------------------------------------------------------------------------------------ */

static int
cmd_init(struct cli_args *a)
{
	struct secret *pass = NULL;
	struct vault *v = NULL;
	char *cause = NULL;

	if (passphrase_new(a->passfd, "New vault passphrase: ", &pass, &cause) != VAULT_OK)
		return cli_fail(cause);
	if (vault_create(&v, a->path, pass, &cause) != VAULT_OK)
		return cli_fail(cause);
	vault_close(v);
	printf("created an empty vault at %s\n"
	    "add a profile with: iotdeck vault add NAME --access-key-id ID\n", a->spath);
	return 0;
}

/* The DETAILS column of "vault list": the STS expiry, the role, the signature. Caller-freed. */
static char *
list_details(const struct vault_profile *p, int64_t now)
{
	struct buf b = BUF_INIT;
	char exp[VAULT_EXPIRY_TEXT_MAX];

	if (p->kind == VAULT_KIND_STS)
		buf_addf(&b, "%s", vault_expiry_text(p->expires, now, exp, sizeof exp));
	else if (p->kind == VAULT_KIND_RAM_ROLE) {
		buf_addf(&b, "role %s", p->role_arn);
		if (p->source_profile != NULL)
			buf_addf(&b, " via %s", p->source_profile);
		else
			buf_addf(&b, " (own AccessKey)");
	}
	if (p->signature != 0)
		buf_addf(&b, "%ssignature v%d", b.len > 0 ? ", " : "", p->signature);
	if (b.data == NULL)
		return xstrdup("");
	return buf_detach(&b);
}

static int
cmd_list(struct cli_args *a)
{
	const struct vault_profile *p;
	struct vault *v = NULL;
	const char *def;
	size_t i, n, w[6] = { 7, 10, 13, 6, 8, 10 };
	int64_t now = (int64_t)time(NULL);
	char mask[32], *details;
	int rc;

	if ((rc = cli_open(a, VAULT_READ, &v)) != 0)
		return rc;
	n = vault_profile_count(v);
	def = vault_default_name(v);
	if (n == 0) {
		printf("the vault %s has no profiles; add one with: iotdeck vault add NAME "
		    "--access-key-id ID\n", a->spath);
		fflush(stdout);
		kdf_hint(v);
		vault_close(v);
		return 0;
	}
	for (i = 0; i < n; i++) {
		p = vault_profile_at(v, i);
		if (strlen(p->name) > w[0]) w[0] = strlen(p->name);
		if (strlen(or_dash(p->access_key_id)) > w[2])
			w[2] = strlen(or_dash(p->access_key_id));
		if (strlen(or_dash(p->region)) > w[3]) w[3] = strlen(or_dash(p->region));
		if (strlen(or_dash(p->instance_id)) > w[4]) w[4] = strlen(or_dash(p->instance_id));
	}
	cli_line("  %-*s  %-*s  %-*s  %-12s  %-*s  %-*s  %-*s  %s", (int)w[0], "PROFILE",
	    (int)w[1], "KIND", (int)w[2], "ACCESS KEY ID", "SECRET", (int)w[3], "REGION",
	    (int)w[4], "INSTANCE", (int)w[5], "MODE", "DETAILS");
	for (i = 0; i < n; i++) {
		p = vault_profile_at(v, i);
		mask_or_dash(p->access_key_secret, mask, sizeof mask);
		details = list_details(p, now);
		cli_line("%c %-*s  %-*s  %-*s  %-12s  %-*s  %-*s  %-*s%s%s",
		    def != NULL && strcmp(def, p->name) == 0 ? '*' : ' ', (int)w[0], p->name,
		    (int)w[1], vault_kind_name(p->kind), (int)w[2], or_dash(p->access_key_id),
		    mask, (int)w[3], or_dash(p->region), (int)w[4], or_dash(p->instance_id),
		    *details != '\0' ? (int)w[5] : 0, p->readonly ? "read-only" : "read-write",
		    *details != '\0' ? "  " : "", details);
		free(details);
	}
	printf("(* the default profile)\n");
	fflush(stdout);
	kdf_hint(v);
	vault_close(v);
	return 0;
}

static int
cmd_show(struct cli_args *a)
{
	const struct vault_profile *p;
	struct vault *v = NULL;
	const char *def;
	char mask[32], exp[VAULT_EXPIRY_TEXT_MAX];
	int rc;

	if ((rc = cli_open(a, VAULT_READ, &v)) != 0)
		return rc;
	if ((p = vault_profile_find(v, a->pos[0])) == NULL) {
		vault_close(v);
		cli_error("no profile named %s in the vault (see 'iotdeck vault list')",
		    a->pos[0]);
		return 1;
	}
	def = vault_default_name(v);
	mask_or_dash(p->access_key_secret, mask, sizeof mask);
	cli_line("profile:           %s%s", p->name,
	    def != NULL && strcmp(def, p->name) == 0 ? " (default)" : "");
	cli_line("kind:              %s", vault_kind_name(p->kind));
	if (p->kind == VAULT_KIND_RAM_ROLE) {
		cli_line("role ARN:          %s", p->role_arn);
		if (p->source_profile != NULL)
			cli_line("source profile:    %s (its AccessKey assumes the role)",
			    p->source_profile);
		cli_line("session name:      %s", p->role_session_name != NULL ?
		    p->role_session_name : "iotdeck (default)");
		if (p->duration_s != 0)
			printf("duration:          %d s\n", p->duration_s);
		else
			printf("duration:          3600 s (default)\n");
		cli_line("STS endpoint:      %s", p->sts_endpoint != NULL ? p->sts_endpoint :
		    "https://sts.aliyuncs.com (default)");
	}
	if (p->access_key_id != NULL) {
		cli_line("access key id:     %s", p->access_key_id);
		printf("access key secret: %s\n", mask);
	}
	if (p->kind == VAULT_KIND_STS) {
		printf("security token:    stored, not shown (%zu bytes)\n",
		    secret_len(p->security_token));
		printf("expiry:            %s\n", vault_expiry_text(p->expires,
		    (int64_t)time(NULL), exp, sizeof exp));
	}
	cli_line("region:            %s", or_dash(p->region));
	cli_line("instance id:       %s", or_dash(p->instance_id));
	cli_line("endpoint:          %s", or_dash(p->endpoint));
	printf("mode:              %s\n", p->readonly ? "read-only" : "read-write");
	if (p->signature != 0)
		printf("signature:         v%d\n", p->signature);
	else
		printf("signature:         default (--signature, IOTDECK_SIGNATURE, else v1)\n");
	vault_close(v);
	return 0;
}

static int
cmd_remove(struct cli_args *a)
{
	struct vault *v = NULL;
	char *cause = NULL;
	int rc, was_default;

	if ((rc = cli_open(a, VAULT_WRITE, &v)) != 0)
		return rc;
	was_default = vault_default_name(v) != NULL &&
	    strcmp(vault_default_name(v), a->pos[0]) == 0;
	if (vault_profile_remove(v, a->pos[0], &cause) != VAULT_OK) {
		vault_close(v);
		return cli_fail(cause);
	}
	if ((rc = cli_save(v, 0)) == 0)
		printf("removed profile %s%s\n", a->pos[0], was_default ? "; the vault has no "
		    "default profile now (set one with: iotdeck vault default NAME)" : "");
	vault_close(v);
	return rc;
}

static int
cmd_default(struct cli_args *a)
{
	struct vault *v = NULL;
	char *cause = NULL;
	int rc;

	if ((rc = cli_open(a, VAULT_WRITE, &v)) != 0)
		return rc;
	if (vault_set_default(v, a->pos[0], &cause) != VAULT_OK) {
		vault_close(v);
		return cli_fail(cause);
	}
	if ((rc = cli_save(v, 0)) == 0)
		printf("default profile: %s\n", a->pos[0]);
	vault_close(v);
	return rc;
}

static int
cmd_passwd(struct cli_args *a)
{
	struct secret *pass = NULL;
	struct vault *v = NULL;
	char *cause = NULL;
	int rc;

	if ((rc = cli_open(a, VAULT_WRITE, &v)) != 0)
		return rc;
	if (passphrase_new(a->passfd, "New vault passphrase: ", &pass, &cause) != VAULT_OK ||
	    vault_set_passphrase(v, pass, &cause) != VAULT_OK) {
		vault_close(v);
		return cli_fail(cause);
	}
	/* The backup is sealed under the old passphrase, which may be why it is changed. */
	if ((rc = cli_save(v, VAULT_SAVE_DROP_BACKUP)) == 0)
		printf("passphrase changed; the backup sealed under the old passphrase was "
		    "removed\n");
	vault_close(v);
	return rc;
}

/* ------------------------------------------------------------------------------------ */

int
vault_cli_main(int argc, char **argv)
{
	const struct cli_cmd *cmd = NULL;
	const char *verb;
	struct cli_args a;
	char *cause = NULL;
	size_t i;
	int rc;

	memset(&a, 0, sizeof a);
	a.passfd = a.secfd = a.tokfd = -1;
	if (vault_harden_process(&cause) != VAULT_OK)
		return cli_fail(cause);
	if (argc < 2) {
		cli_usage(stderr);
		return 2;
	}
	verb = argv[1];
	if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0)
		verb = "help";
	for (i = 0; i < CLI_NCMDS; i++)
		if (strcmp(cli_cmds[i].name, verb) == 0)
			cmd = &cli_cmds[i];
	if (cmd == NULL) {
		cli_error("unknown command '%s'", verb);
		cli_usage(stderr);
		return 2;
	}
	if ((rc = parse_args(cmd, argc - 2, argv + 2, &a)) != 0)
		goto out;
	if (cmd->opts & O(OPT_VAULT)) {
		if (vault_path(a.opt[OPT_VAULT], &a.path, &cause) != VAULT_OK) {
			rc = cli_fail(cause);
			goto out;
		}
		a.spath = safetext_dup(a.path, strlen(a.path));
	}
	rc = cmd->run(&a);
	fflush(stdout);
out:
	free(a.pos);
	free(a.path);
	free(a.spath);
	return rc;
}
