/* options.c — global options and configuration resolution. */
#include "cli/options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "api/place.h"
#include "cli/credentials.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "vault/passphrase.h"
#include "vault/vault.h"

struct opt_def {
	const char *name;	/* long name with dashes */
	char        short_name;	/* one-letter alias or 0 */
	int         has_value;	/* takes a value */
};

static const struct opt_def opt_defs[] = {
	{ "--endpoint", 0, 1 },
	{ "--region", 0, 1 },
	{ "--instance", 0, 1 },
	{ "--timeout", 0, 1 },
	{ "--cacert", 0, 1 },
	{ "--profile", 0, 1 },
	{ "--vault", 0, 1 },
	{ "--passphrase-fd", 0, 1 },
	{ "--theme", 0, 1 },
	{ "--keymap", 0, 1 },
	{ "--config", 0, 1 },
	{ "--audit-log", 0, 1 },
	{ "--signature", 0, 1 },
	{ "--readonly", 0, 0 },
	{ "--demo", 0, 0 },
	{ "--no-mouse", 0, 0 },
	{ "--verbose", 'v', 0 },
	{ "--help", 'h', 0 },
	{ "--version", 'V', 0 },
	{ NULL, 0, 0 }
};

/* Options that belong to one subcommand: opts_parse passes them (and their value)
 * through in *words, in order, for the subcommand to parse. */
struct cmd_opt_def {
	const char *command;	/* the subcommand (first word) */
	const char *name;	/* the option */
	int         has_value;	/* takes a value */
};

static const struct cmd_opt_def cmd_opt_defs[] = {
	{ "export", "--product", 1 },
	{ "export", "--format", 1 },
	{ "export", "--output", 1 },
	{ "export", "-o", 1 },
	{ "set", "--from", 1 },
	{ "set", "--group", 1 },
	{ "set", "--json", 0 },
	{ "invoke", "--from", 1 },
	{ "invoke", "--group", 1 },
	{ "invoke", "--json", 0 },
	{ "audit", "--since", 1 },
	{ "audit", "--json", 0 },
	{ NULL, NULL, 0 }
};

int
opts_match(const char *arg, const char *name, int has_value, const char **inline_value)
{
	size_t n = strlen(name);

	*inline_value = NULL;
	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=' && has_value)
		*inline_value = arg + n + 1;
	return arg[n] == '\0' || *inline_value != NULL;
}

/* The subcommand option arg of command (NULL if none); *inline_value as opt_find. */
static const struct cmd_opt_def *
cmd_opt_find(const char *command, const char *arg, const char **inline_value)
{
	size_t i;

	*inline_value = NULL;
	for (i = 0; command != NULL && cmd_opt_defs[i].name != NULL; i++)
		if (strcmp(cmd_opt_defs[i].command, command) == 0 && opts_match(arg,
		    cmd_opt_defs[i].name, cmd_opt_defs[i].has_value, inline_value))
			return &cmd_opt_defs[i];
	return NULL;
}

/* The global option arg ("-v", "--x" or "--x=v": *inline_value), or NULL. */
static const struct opt_def *
opt_find(const char *arg, const char **inline_value)
{
	size_t i;

	*inline_value = NULL;
	if (arg[0] == '-' && arg[1] != '-' && arg[1] != '\0' && arg[2] == '\0') {
		for (i = 0; opt_defs[i].name != NULL; i++)
			if (opt_defs[i].short_name == arg[1])
				return &opt_defs[i];
		return NULL;
	}
	for (i = 0; opt_defs[i].name != NULL; i++)
		if (opts_match(arg, opt_defs[i].name, opt_defs[i].has_value, inline_value))
			return &opt_defs[i];
	return NULL;
}

int
opts_takes_value(const char *arg)
{
	const char *iv;
	const struct opt_def *d = opt_find(arg, &iv);

	return d != NULL && d->has_value && iv == NULL;
}

int
opts_parse(int argc, char **argv, int first, struct global_opts *o, char ***words,
    int *nwords, char **cause)
{
	int i, n = 0, only_words = 0;
	const struct opt_def *d;
	const struct cmd_opt_def *cd;
	const char *value;
	char **w = xcalloc((size_t)(argc > 0 ? argc : 1), sizeof *w);
	char *safe, *end;
	double secs;

	for (i = first; i < argc; i++) {
		const char *arg = argv[i];

		if (only_words || arg[0] != '-' || arg[1] == '\0') {
			w[n++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_words = 1;
			continue;
		}
		d = opt_find(arg, &value);
		if (d == NULL && (cd = cmd_opt_find(n > 0 ? w[0] : NULL, arg, &value)) != NULL) {
			w[n++] = argv[i];
			if (cd->has_value && value == NULL) {
				if (i + 1 >= argc) {
					*cause = xasprintf("option %s needs a value", cd->name);
					goto fail;
				}
				w[n++] = argv[++i];
			}
			continue;
		}
		if (d == NULL) {
			safe = safetext_dup(arg, strlen(arg));
			*cause = xasprintf("unknown option '%s'", safe);
			free(safe);
			goto fail;
		}
		if (d->has_value && value == NULL) {
			if (i + 1 >= argc) {
				*cause = xasprintf("option %s needs a value", d->name);
				goto fail;
			}
			value = argv[++i];
		}
		if (strcmp(d->name, "--endpoint") == 0)
			xstrset(&o->endpoint, value);
		else if (strcmp(d->name, "--region") == 0)
			xstrset(&o->region, value);
		else if (strcmp(d->name, "--instance") == 0)
			xstrset(&o->instance, value);
		else if (strcmp(d->name, "--cacert") == 0)
			xstrset(&o->cacert, value);
		else if (strcmp(d->name, "--profile") == 0)
			xstrset(&o->profile, value);
		else if (strcmp(d->name, "--vault") == 0)
			xstrset(&o->vault, value);
		else if (strcmp(d->name, "--passphrase-fd") == 0) {
			long fd = strtol(value, &end, 10);
			if (*value == '\0' || *end != '\0' || fd < 0 || fd > 1024) {
				safe = safetext_dup(value, strlen(value));
				*cause = xasprintf("--passphrase-fd '%s': give a file descriptor number",
				    safe);
				free(safe);
				goto fail;
			}
			o->passphrase_fd = (int)fd;
		} else if (strcmp(d->name, "--theme") == 0)
			xstrset(&o->theme, value);
		else if (strcmp(d->name, "--keymap") == 0)
			xstrset(&o->keymap, value);
		else if (strcmp(d->name, "--config") == 0)
			xstrset(&o->config, value);
		else if (strcmp(d->name, "--audit-log") == 0)
			xstrset(&o->audit_log, value);
		else if (strcmp(d->name, "--signature") == 0) {
			if ((o->signature = api_signature_parse(value)) == 0) {
				safe = safetext_excerpt(value, strlen(value), 40);
				*cause = xasprintf("--signature '%s': give v1 (HMAC-SHA1, the "
				    "default) or v3 (ACS3-HMAC-SHA256)", safe);
				free(safe);
				goto fail;
			}
		} else if (strcmp(d->name, "--readonly") == 0)
			o->readonly = 1;
		else if (strcmp(d->name, "--demo") == 0)
			o->demo = 1;
		else if (strcmp(d->name, "--no-mouse") == 0)
			o->no_mouse = 1;
		else if (strcmp(d->name, "--timeout") == 0) {
			errno = 0;
			secs = strtod(value, &end);
			if (errno != 0 || end == value || *end != '\0' || !(secs > 0) ||
			    secs > 3600) {
				safe = safetext_dup(value, strlen(value));
				*cause = xasprintf("--timeout '%s': give seconds between 0 and 3600",
				    safe);
				free(safe);
				goto fail;
			}
			o->timeout_ms = (long)(secs * 1000.0 + 0.5);
			if (o->timeout_ms < 1)
				o->timeout_ms = 1;
		} else if (strcmp(d->name, "--verbose") == 0)
			o->verbose = 1;
		else if (strcmp(d->name, "--help") == 0)
			o->help = 1;
		else if (strcmp(d->name, "--version") == 0)
			o->version = 1;
	}
	*words = w;
	*nwords = n;
	return 0;
fail:
	free(w);
	*words = NULL;
	*nwords = 0;
	return -1;
}

void
opts_free(struct global_opts *o)
{
	free(o->endpoint);
	free(o->region);
	free(o->instance);
	free(o->cacert);
	free(o->profile);
	free(o->vault);
	free(o->theme);
	free(o->keymap);
	free(o->config);
	free(o->audit_log);
	memset(o, 0, sizeof *o);
}

int
opts_exit_status(enum api_status st)
{
	switch (st) {
	case API_OK:
		return EXIT_OK;
	case API_ERR_BUSINESS:
	case API_ERR_GATEWAY:
		return EXIT_API;
	case API_ERR_BAD_RESPONSE:
	case API_ERR_NETWORK:
	case API_ERR_TIMEOUT:
		return EXIT_NETWORK;
	case API_ERR_CONFIG:
		return EXIT_CONFIG;
	}
	return EXIT_API;
}

/* --cacert and --timeout. */
static int
apply_transport(const struct global_opts *o, struct api_config *cfg, char **cause)
{
	char *safe;

	if (o->cacert != NULL) {
		if (access(o->cacert, R_OK) != 0) {
			safe = safetext_dup(o->cacert, strlen(o->cacert));
			*cause = xasprintf("--cacert %s: %s", safe, strerror(errno));
			free(safe);
			return -1;
		}
		cfg->cacert = xstrdup(o->cacert);
	}
	if (o->timeout_ms > 0) {
		cfg->timeout_ms = o->timeout_ms;
		if (cfg->connect_timeout_ms > cfg->timeout_ms)
			cfg->connect_timeout_ms = cfg->timeout_ms;
	}
	return 0;
}

int
opts_resolve_signature(const struct global_opts *o, struct api_config *cfg, char **cause)
{
	const char *env = getenv(API_SIGNATURE_ENV);
	int from_env = 0;
	char *safe;

	if (env != NULL && *env != '\0' && (from_env = api_signature_parse(env)) == 0) {
		safe = safetext_excerpt(env, strlen(env), 40);
		*cause = xasprintf(API_SIGNATURE_ENV " is '%s': set it to v1 or v3, or unset it",
		    safe);
		free(safe);
		return -1;
	}
	if (o->signature != 0)
		cfg->signature = o->signature;
	else if (cfg->signature != API_SIGNATURE_V1 && cfg->signature != API_SIGNATURE_V3)
		cfg->signature = from_env != 0 ? from_env : API_SIGNATURE_V1;
	return 0;
}

int
opts_vault_wanted(const struct global_opts *o)
{
	char *path = NULL, *cause = NULL;
	int yes;

	if (o->profile != NULL)
		return 1;
	if (credential_env_has_key())
		return 0;
	if (vault_path(o->vault, &path, &cause) != VAULT_OK) {
		free(cause);
		return 0;
	}
	yes = access(path, F_OK) == 0;
	free(path);
	return yes;
}

int
opts_resolve_without_credentials(const struct global_opts *o, struct api_config *cfg,
    int *region_fixed, int *endpoint_fixed, char **cause)
{
	struct credential_env env;
	struct place_sources src;

	credential_env_read(&env);
	memset(&src, 0, sizeof src);
	src.opt_region = o->region;
	src.opt_endpoint = o->endpoint;
	src.env_region = env.region;
	src.env_endpoint = env.endpoint;
	/* Only --region outranks the profile's region; an endpoint from the command line or
	 * the environment outranks the profile's (api_config_set_place_from). */
	*region_fixed = o->region != NULL;
	*endpoint_fixed = o->endpoint != NULL || env.endpoint != NULL;
	/* Nothing given: the profile says where, at unlock. */
	if ((o->region != NULL || env.region != NULL || *endpoint_fixed) &&
	    api_config_set_place_from(cfg, &src, cause) != 0)
		return EXIT_CONFIG;
	if (o->instance != NULL && *o->instance != '\0')
		cfg->instance_id = xstrdup(o->instance);
	/* No profile yet: the option, else the environment (the profile's comes at unlock). */
	cfg->signature = 0;
	if (opts_resolve_signature(o, cfg, cause) != 0)
		return EXIT_CONFIG;
	return apply_transport(o, cfg, cause) == 0 ? EXIT_OK : EXIT_CONFIG;
}

int
opts_resolve_config(const struct global_opts *o, struct api_config *cfg, char **cause)
{
	struct passphrase_src pass = { o->passphrase_fd };
	struct credential_request req = {
		.vault_opt = o->vault, .profile = o->profile,
		.ask = passphrase_ask, .ask_arg = &pass
	};
	struct credential *cred = NULL;
	struct credential_env env;
	struct place_sources src;
	char *msg = NULL;
	int rc = EXIT_CONFIG;

	/* Credentials first, in their order (credentials.h). */
	if (credential_resolve(&req, &cred, &msg) != VAULT_OK) {
		*cause = msg != NULL ? msg : xstrdup("no credentials");
		credential_env_scrub();
		return EXIT_CONFIG;
	}
	credential_env_read(&env);
	src = (struct place_sources){
		.opt_region = o->region, .opt_endpoint = o->endpoint,
		.env_region = env.region, .env_endpoint = env.endpoint,
		.prof_region = cred->region, .prof_endpoint = cred->endpoint
	};
	if (src.opt_region == NULL && src.prof_region == NULL && src.env_region == NULL &&
	    src.opt_endpoint == NULL && src.env_endpoint == NULL && src.prof_endpoint == NULL) {
		*cause = xstrdup("no region: give --region ID (for example cn-shanghai), set "
		    CREDENTIAL_ENV_REGION ", or store one in the vault profile");
		goto fail;
	}
	if (api_config_set_place_from(cfg, &src, &msg) != 0) {
		*cause = msg;
		goto fail;
	}
	if (o->instance != NULL && *o->instance != '\0')
		cfg->instance_id = xstrdup(o->instance);
	else if (cred->instance_id != NULL && *cred->instance_id != '\0')
		cfg->instance_id = xstrdup(cred->instance_id);
	if (apply_transport(o, cfg, cause) != 0)
		goto fail;
	if (o->verbose)
		cfg->trace = stderr;	/* a role's AssumeRole is traced too */
	if (credential_apply(cred, cfg, cause) != 0 ||
	    opts_resolve_signature(o, cfg, cause) != 0)
		goto fail;
	rc = EXIT_OK;
fail:
	credential_free(cred);
	/* Keep the secret out of the environment of anything this process starts. */
	credential_env_scrub();
	return rc;
}
