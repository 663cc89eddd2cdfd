/* cli_add.c — the verbs of "iotdeck vault ..." that make profiles: add (of every kind)
 * and the imports (the environment, the aliyun CLI's config, the credentials file). */
#include "vault/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/place.h"
#include "api/sts.h"
#include "cli/credentials.h"
#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "vault/cli_impl.h"
#include "vault/expiry.h"
#include "vault/import.h"
#include "vault/passphrase.h"

/* Parses a --signature value: 0 and *sig set, or -1 (message printed). */
static int
parse_signature(const char *s, int *sig)
{
	if (strcmp(s, "v1") == 0)
		*sig = 1;
	else if (strcmp(s, "v3") == 0)
		*sig = 3;
	else {
		cli_error("--signature '%s': give v1 or v3", s);
		return -1;
	}
	return 0;
}

/* Fills p's optional fields from the options. Returns 0 or the exit status. */
static int
profile_from_opts(struct cli_args *a, struct vault_profile *p)
{
	p->region = (char *)a->opt[OPT_REGION];
	p->instance_id = (char *)a->opt[OPT_INSTANCE];
	p->endpoint = (char *)a->opt[OPT_ENDPOINT];
	p->readonly = a->opt[OPT_READONLY] != NULL;
	if (a->opt[OPT_SIGNATURE] != NULL &&
	    parse_signature(a->opt[OPT_SIGNATURE], &p->signature) != 0)
		return 2;
	return 0;
}

/* Checks the region and endpoints a profile is about to be stored with, as they will be
 * checked when it is used (api/place.h), so a profile that could never be used is refused
 * before anything is asked or written. Valid endpoints are replaced by their normal form,
 * kept in ep[0] (endpoint) and ep[1] (sts_endpoint), caller-freed. 0, or -1 with a
 * caller-freed *cause. */
static int
profile_check(struct vault_profile *p, char *ep[2], char **cause)
{
	int loopback;
	char *safe;

	ep[0] = ep[1] = NULL;
	if (p->region != NULL && !api_region_valid(p->region)) {
		safe = safetext_dup(p->region, strlen(p->region));
		*cause = xasprintf("region '%s' is not a region id (like cn-shanghai)", safe);
		free(safe);
		return -1;
	}
	if (p->endpoint != NULL) {
		if (api_endpoint_check(p->endpoint, &ep[0], &loopback, cause) != 0)
			return -1;
		p->endpoint = ep[0];
	}
	if (p->sts_endpoint != NULL) {
		char *c = NULL;

		if (api_endpoint_check(p->sts_endpoint, &ep[1], &loopback, &c) != 0) {
			*cause = xasprintf("--sts-endpoint: %s", c);
			free(c);
			return -1;
		}
		p->sts_endpoint = ep[1];
	}
	return 0;
}

/* One line on what p holds besides its name, never a secret or token in clear:
 * "AccessKey LTAI..., secret ********abcd", "sts, AccessKey STS..., secret ****,
 * expires 2026-12-01 11:00 UTC, 41 min left", "ram_role acs:ram::1:role/x via src".
 * Caller-freed. */
static char *
profile_summary(const struct vault_profile *p, int64_t now)
{
	struct buf b = BUF_INIT;
	char mask[32], exp[VAULT_EXPIRY_TEXT_MAX];

	if (p->kind == VAULT_KIND_RAM_ROLE) {
		buf_addf(&b, "ram_role %s, ", p->role_arn);
		if (p->source_profile != NULL)
			buf_addf(&b, "AccessKey of profile %s", p->source_profile);
		else
			buf_addf(&b, "own AccessKey ");
	} else if (p->kind == VAULT_KIND_STS)
		buf_addf(&b, "sts, ");
	if (p->access_key_id != NULL) {
		mask_or_dash(p->access_key_secret, mask, sizeof mask);
		buf_addf(&b, "%s%s, secret %s", p->kind == VAULT_KIND_RAM_ROLE ? "" :
		    "AccessKey ", p->access_key_id, mask);
	}
	if (p->kind == VAULT_KIND_STS)
		buf_addf(&b, ", %s", vault_expiry_text(p->expires, now, exp, sizeof exp));
	if (p->signature != 0)
		buf_addf(&b, ", signature v%d", p->signature);
	return buf_detach(&b);
}

/* Adds p to v, saves and reports; p's strings are borrowed. */
static int
add_and_save(struct vault *v, struct vault_profile *p)
{
	char *cause = NULL, *sum;

	if (vault_profile_put(v, p, 0, &cause) != VAULT_OK)
		return cli_fail(cause);
	if (cli_save(v, 0) != 0)
		return 1;
	sum = profile_summary(p, (int64_t)time(NULL));
	cli_line("added profile %s (%s)%s", p->name, sum, vault_default_name(v) != NULL &&
	    strcmp(vault_default_name(v), p->name) == 0 ? ", the default profile" : "");
	free(sum);
	return 0;
}

/* The options of "vault add" that only one kind takes, with that kind's option. */
static const struct kind_opt {
	enum cli_opt	opt;
	enum vault_kind	kind;
} kind_opts[] = {
	{ OPT_EXPIRES, VAULT_KIND_STS },
	{ OPT_TOKEN_FD, VAULT_KIND_STS },
	{ OPT_SOURCE_PROFILE, VAULT_KIND_RAM_ROLE },
	{ OPT_SESSION_NAME, VAULT_KIND_RAM_ROLE },
	{ OPT_DURATION, VAULT_KIND_RAM_ROLE },
	{ OPT_STS_ENDPOINT, VAULT_KIND_RAM_ROLE },
};

/* Fills the kind and kind-specific fields of p from the options of "vault add". Returns 0
 * or the exit status (message printed). */
static int
add_kind_from_opts(struct cli_args *a, struct vault_profile *p)
{
	char *cause = NULL, *end;
	size_t i;
	long n;

	if (a->opt[OPT_STS] != NULL && a->opt[OPT_ROLE_ARN] != NULL) {
		cli_error("--sts and --role-arn exclude each other: a profile holds an STS token "
		    "or assumes a role");
		return 2;
	}
	p->kind = a->opt[OPT_STS] != NULL ? VAULT_KIND_STS : a->opt[OPT_ROLE_ARN] != NULL ?
	    VAULT_KIND_RAM_ROLE : VAULT_KIND_ACCESS_KEY;
	for (i = 0; i < sizeof kind_opts / sizeof kind_opts[0]; i++)
		if (a->opt[kind_opts[i].opt] != NULL && p->kind != kind_opts[i].kind) {
			cli_error("--%s goes with %s", cli_options[kind_opts[i].opt].name,
			    kind_opts[i].kind == VAULT_KIND_STS ? "--sts" : "--role-arn ARN");
			return 2;
		}
	p->access_key_id = (char *)a->opt[OPT_ACCESS_KEY_ID];
	if (p->kind == VAULT_KIND_RAM_ROLE) {
		p->role_arn = (char *)a->opt[OPT_ROLE_ARN];
		p->source_profile = (char *)a->opt[OPT_SOURCE_PROFILE];
		p->role_session_name = (char *)a->opt[OPT_SESSION_NAME];
		p->sts_endpoint = (char *)a->opt[OPT_STS_ENDPOINT];
		if (!sts_role_arn_valid(p->role_arn)) {
			cli_error("--role-arn '%s': give a RAM role ARN like "
			    "acs:ram::1234567890123456:role/NAME", p->role_arn);
			return 2;
		}
		if ((p->source_profile != NULL) == (p->access_key_id != NULL)) {
			cli_error("a role profile assumes its role with the AccessKey of "
			    "--source-profile P or with its own (--access-key-id ID): give one "
			    "of them");
			return 2;
		}
		if (p->source_profile != NULL && (!vault_name_valid(p->source_profile) ||
		    strcmp(p->source_profile, p->name) == 0)) {
			cli_error("--source-profile '%s': name another profile of the vault",
			    p->source_profile);
			return 2;
		}
		if (p->role_session_name != NULL &&
		    !sts_session_name_valid(p->role_session_name)) {
			cli_error("--session-name '%s': use 2 to 64 of A-Z a-z 0-9 . @ _ -",
			    p->role_session_name);
			return 2;
		}
		if (a->opt[OPT_DURATION] != NULL) {
			errno = 0;
			n = strtol(a->opt[OPT_DURATION], &end, 10);
			if (*a->opt[OPT_DURATION] == '\0' || *end != '\0' || errno != 0 ||
			    n < STS_MIN_DURATION_S || n > STS_MAX_DURATION_S) {
				cli_error("--duration '%s': give %d to %d seconds (STS "
				    "DurationSeconds)", a->opt[OPT_DURATION], STS_MIN_DURATION_S,
				    STS_MAX_DURATION_S);
				return 2;
			}
			p->duration_s = (int)n;
		}
		return 0;
	}
	if (p->access_key_id == NULL) {
		cli_error("add needs --access-key-id ID%s", p->kind == VAULT_KIND_STS ?
		    " (the STS AccessKeyId, STS.…)" : "");
		return 2;
	}
	if (a->opt[OPT_EXPIRES] != NULL &&
	    vault_expiry_parse(a->opt[OPT_EXPIRES], (int64_t)time(NULL), &p->expires,
	    &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return 2;
	}
	return 0;
}

int
cmd_add(struct cli_args *a)
{
	const struct vault_profile *src;
	struct vault_profile p;
	struct vault *v = NULL;
	char *cause = NULL, *prompt, *ep[2] = { NULL, NULL };
	int rc;

	memset(&p, 0, sizeof p);
	p.name = a->pos[0];
	if (!vault_name_valid(p.name)) {
		cli_error("invalid profile name: use 1 to 64 of A-Z a-z 0-9 . _ -");
		return 2;
	}
	if ((rc = add_kind_from_opts(a, &p)) != 0 || (rc = profile_from_opts(a, &p)) != 0)
		return rc;
	if (profile_check(&p, ep, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		rc = 2;
		goto out;
	}
	if ((rc = cli_open(a, VAULT_WRITE, &v)) != 0)
		goto out;
	if (vault_profile_find(v, p.name) != NULL) {
		cli_error("profile %s already exists (remove it first)", p.name);
		rc = 1;
		goto out;
	}
	/* Refused before the secrets are asked for. */
	if (p.source_profile != NULL &&
	    ((src = vault_profile_find(v, p.source_profile)) == NULL ||
	    src->kind != VAULT_KIND_ACCESS_KEY)) {
		cli_error("--source-profile %s: %s", p.source_profile, src == NULL ?
		    "no such profile in the vault" : "not an AccessKey profile (an STS token "
		    "or role cannot assume a role here)");
		rc = 1;
		goto out;
	}
	if (p.access_key_id != NULL) {
		prompt = xasprintf("AccessKey secret for %s: ", p.name);
		rc = passphrase_read_secret(a->secfd, prompt, &p.access_key_secret, &cause);
		free(prompt);
		if (rc != VAULT_OK) {
			rc = cli_fail(cause);
			goto out;
		}
	}
	if (p.kind == VAULT_KIND_STS) {
		prompt = xasprintf("STS security token for %s: ", p.name);
		rc = passphrase_read_token(a->tokfd, prompt, &p.security_token, &cause);
		free(prompt);
		if (rc != VAULT_OK) {
			rc = cli_fail(cause);
			goto out;
		}
	}
	rc = add_and_save(v, &p);
	if (rc == 0 && p.kind == VAULT_KIND_STS && p.expires == 0)
		printf("note: without --expires the vault cannot tell when the token expires\n");
out:
	secret_free(p.access_key_secret);
	secret_free(p.security_token);
	vault_close(v);
	free(ep[0]);
	free(ep[1]);
	return rc;
}


int
cmd_import_env(struct cli_args *a)
{
	struct credential_env env;
	struct vault_profile p;
	struct vault *v = NULL;
	char *ep[2] = { NULL, NULL }, *cause = NULL;
	int rc;

	credential_env_read(&env);
	if (env.id == NULL || env.secret == NULL) {
		cli_error("import-env needs " CREDENTIAL_ENV_ID " and " CREDENTIAL_ENV_SECRET
		    " in the environment");
		return 1;
	}
	if (!vault_name_valid(a->pos[0])) {
		cli_error("invalid profile name: use 1 to 64 of A-Z a-z 0-9 . _ -");
		return 2;
	}
	memset(&p, 0, sizeof p);
	p.name = a->pos[0];
	p.access_key_id = (char *)env.id;
	if ((rc = profile_from_opts(a, &p)) != 0)
		return rc;
	if (p.region == NULL)
		p.region = (char *)env.region;
	if (profile_check(&p, ep, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return 2;
	}
	if ((rc = cli_open(a, VAULT_WRITE, &v)) != 0) {
		free(ep[0]);
		return rc;
	}
	p.access_key_secret = secret_from(env.secret, strnlen(env.secret, SECRET_MAX));
	rc = add_and_save(v, &p);
	secret_free(p.access_key_secret);
	vault_close(v);
	free(ep[0]);
	if (rc == 0)
		printf("you can now unset " CREDENTIAL_ENV_ID " and " CREDENTIAL_ENV_SECRET
		    " and use --profile %s\n", p.name);
	return rc;
}

/* ------------------------------------------------------------------------------------ */
/* Imports (the files are read by vault/import.c). */

/* An import_report_fn: prints one message on stderr, display-safe. */
static void
import_say(void *arg, const char *msg)
{
	(void)arg;
	cli_error("%s", msg);
}

/* ---- into the vault ------------------------------------------------------------------ */

/* Adds the profiles of l to the vault of a, saves it once and reports each profile as
 * imported or skipped. In a vault without a default, current (if imported) becomes it.
 * source names the file for the closing reminder. Returns the exit status. */
static int
import_into_vault(struct cli_args *a, struct import_list *l, const char *current,
    const char *source)
{
	struct vault *v = NULL;
	char *cause = NULL, *sum;
	size_t i, k, added = 0;
	int rc, pass, had_default, *imported = NULL;

	if ((rc = cli_open(a, VAULT_WRITE, &v)) != 0)
		return rc;
	imported = xcalloc(l->n, sizeof *imported);
	had_default = vault_default_name(v) != NULL;
	/* Roles with a source profile last, after the sources they name. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < l->n; i++) {
			struct vault_profile *p = l->prof[i];

			if ((p->source_profile != NULL) != pass)
				continue;
			if (vault_profile_find(v, p->name) != NULL) {
				cli_error("skipping %s: the vault already has a profile of that name "
				    "(remove it first to import it again)", p->name);
				continue;
			}
			if (p->region != NULL && !api_region_valid(p->region)) {
				cli_error("skipping %s: its region is not a region id", p->name);
				continue;
			}
			if (p->source_profile != NULL) {
				for (k = 0; k < l->n; k++)
					if (imported[k] &&
					    strcmp(l->prof[k]->name, p->source_profile) == 0)
						break;
				if (k == l->n) {
					cli_error("skipping %s: its source profile %s was not imported "
					    "with it", p->name, p->source_profile);
					continue;
				}
			}
			if (vault_profile_put(v, p, 0, &cause) != VAULT_OK) {
				cli_error("skipping %s: %s", p->name, cause);
				free(cause);
				cause = NULL;
				continue;
			}
			imported[i] = 1;
			added++;
		}
	if (added == 0) {
		cli_error("no profile imported");
		rc = 1;
		goto out;
	}
	if (!had_default && current != NULL)
		for (i = 0; i < l->n; i++)
			if (imported[i] && strcmp(l->prof[i]->name, current) == 0)
				vault_set_default(v, current, NULL);
	if ((rc = cli_save(v, 0)) != 0)
		goto out;
	for (i = 0; i < l->n; i++) {
		if (!imported[i])
			continue;
		sum = profile_summary(l->prof[i], (int64_t)time(NULL));
		cli_line("imported %s (%s) from %s", l->prof[i]->name, sum, l->where[i]);
		free(sum);
	}
	cli_line("default profile: %s", or_dash(vault_default_name(v)));
	cli_line("%s still holds these secrets in plain text", source);
out:
	vault_close(v);
	free(imported);
	return rc;
}

int
cmd_import_aliyun(struct cli_args *a)
{
	const struct import_report r = { import_say, NULL };
	const char *home = getenv("HOME");
	struct import_list l;
	char *current = NULL, *path;
	int rc = 1;

	if (home == NULL || *home == '\0') {
		cli_error("HOME is not set: cannot find ~/.aliyun/config.json");
		return 1;
	}
	path = xasprintf("%s/.aliyun/config.json", home);
	memset(&l, 0, sizeof l);
	/* The file first: no passphrase is asked for if there is nothing to import. */
	if (import_aliyun_read(path, a->pos, a->npos, (int64_t)time(NULL), &l, &current,
	    &r) == 0)
		rc = import_into_vault(a, &l, current, "the aliyun CLI configuration");
	import_list_free(&l);
	free(current);
	free(path);
	return rc;
}

int
cmd_import_credentials(struct cli_args *a)
{
	const struct import_report r = { import_say, NULL };
	struct import_list l;
	char *path;
	int rc;

	if ((path = credential_file_path(a->npos > 0 ? a->pos[0] : NULL)) == NULL) {
		cli_error("HOME is not set: give the credentials file (import-credentials FILE)");
		return 1;
	}
	memset(&l, 0, sizeof l);
	rc = 1;
	if (import_credentials_read(path, &l, &r) == 0)
		rc = import_into_vault(a, &l, NULL, path);
	import_list_free(&l);
	free(path);
	return rc;
}
