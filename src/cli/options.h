/* options.h — the global options shared by every iotdeck command, and how they turn
 * into an API configuration (endpoint, region, credentials, timeouts). */
#ifndef IOTDECK_OPTIONS_H
#define IOTDECK_OPTIONS_H

#include "api/client.h"

/* Exit statuses of every iotdeck command. */
enum exit_status {
	EXIT_OK = 0,		/* success */
	EXIT_API = 1,		/* the API answered with an error */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NETWORK = 3,	/* no usable answer: network, TLS, timeout, malformed answer */
	EXIT_CONFIG = 4		/* no credentials, bad endpoint, unreadable files */
};

struct global_opts {
	char *endpoint;		/* --endpoint URL, or NULL */
	char *region;		/* --region ID, or NULL */
	char *instance;		/* --instance ID, or NULL */
	char *cacert;		/* --cacert FILE, or NULL */
	char *profile;		/* --profile NAME, or NULL */
	char *vault;		/* --vault FILE, or NULL */
	int   passphrase_fd;	/* --passphrase-fd N, or -1 (the terminal) */
	long  timeout_ms;	/* --timeout SECONDS in ms, 0 = default */
	int   verbose;		/* --verbose */
	int   readonly;		/* --readonly: the console refuses writes */
	int   signature;	/* --signature v1|v3: API_SIGNATURE_V1/_V3, 0 not given */
	int   demo;		/* --demo: run the console against a local iotdeck-sim */
	int   no_mouse;		/* --no-mouse */
	char *theme;		/* --theme NAME, or NULL */
	char *keymap;		/* --keymap NAME, or NULL */
	char *config;		/* --config FILE, or NULL */
	char *audit_log;	/* --audit-log FILE or "off", or NULL (the default place) */
	int   help;		/* --help */
	int   version;		/* --version */
};

/* Parses the global options found anywhere in argv[first..argc) (until "--"); the other
 * words, and the options of the subcommand named by the first word (e.g. export's
 * --product PK, listed in options.c), are returned in order in *words (a caller-freed array of pointers into argv, with
 * *nwords entries). Returns 0, or -1 with a caller-freed message in *cause. */
int opts_parse(int argc, char **argv, int first, struct global_opts *o, char ***words,
    int *nwords, char **cause);
void opts_free(struct global_opts *o);
/* Returns 1 when arg is the option name ("--x") or, when has_value, "--x=VALUE" (then
 * *inline_value points at VALUE in arg; it is NULL otherwise). For every option table. */
int opts_match(const char *arg, const char *name, int has_value, const char **inline_value);
/* Returns 1 when arg is a global option that takes a separate value ("--region"). */
int opts_takes_value(const char *arg);

/* The exit status for the outcome of a call. */
int opts_exit_status(enum api_status st);
/* 1 when the credentials will come from the vault: --profile, or no credentials in the
 * environment and a vault file exists. */
int opts_vault_wanted(const struct global_opts *o);
/* Fills what cfg can have before the vault is open: region and endpoint from the options
 * and the environment (both may stay unset: the profile gives them), instance, CA file,
 * timeouts, the signature (without a profile's). *region_fixed says --region was given (it outranks the profile's region);
 * *endpoint_fixed that --endpoint or IOTDECK_ENDPOINT was (it outranks the profile's
 * endpoint): the console applies a profile at unlock with api_config_set_place_from.
 * Returns an exit status with a caller-freed *cause on failure. */
int opts_resolve_without_credentials(const struct global_opts *o, struct api_config *cfg,
    int *region_fixed, int *endpoint_fixed, char **cause);
/* Sets cfg->signature by the rule --signature, else the profile's (cfg->signature as
 * credential_apply left it, 0 for none), else $IOTDECK_SIGNATURE, else v1. Returns 0, or
 * -1 with a caller-freed *cause when IOTDECK_SIGNATURE holds something else than v1 or
 * v3. */
int opts_resolve_signature(const struct global_opts *o, struct api_config *cfg,
    char **cause);
/* Fills cfg from the options, the credential (cli/credentials.h: --profile, the
 * environment, the vault's default profile) and the environment: where requests go by
 * api_config_set_place_from's rule, the instance (--instance, the profile), the transport,
 * the signature (opts_resolve_signature).
 * Then removes the secret and token from the environment. Returns an exit status:
 * EXIT_OK, or EXIT_CONFIG/EXIT_USAGE with a caller-freed message in *cause. */
int opts_resolve_config(const struct global_opts *o, struct api_config *cfg, char **cause);

#endif
