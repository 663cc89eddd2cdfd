/* place.h — where requests go: the region, the endpoint and the instance of an api_config,
 * changed only as a whole and only after every part was checked.
 *
 * Every path that changes where a session sends its requests (the command-line options,
 * the console's :region, a vault profile at unlock or :profile) goes through these, so a
 * rejected endpoint can never leave a configuration half changed: on any error nothing
 * changes. The endpoint either was given explicitly (--endpoint, IOTDECK_ENDPOINT, the
 * profile) and stays, or is the region's default and follows the region.
 */
#ifndef IOTDECK_PLACE_H
#define IOTDECK_PLACE_H

#include "api/client.h"

/* Returns 1 when region is a region id: lower-case letters, digits and dashes, 1-64 of them
 * (it becomes part of a host name). */
int api_region_valid(const char *region);

/* Sets cfg's region and endpoint together. region NULL: keep cfg's (cn-shanghai when it has
 * none: only signed, the endpoint decides where requests go). endpoint NULL: the region's
 * default, which then follows the region. Returns 0, or -1 with a caller-freed *cause and
 * cfg unchanged. */
int api_config_set_place(struct api_config *cfg, const char *region, const char *endpoint,
    char **cause);
/* Where requests go, as each source says (NULL where it says nothing). */
struct place_sources {
	const char	*opt_region;	/* --region */
	const char	*opt_endpoint;	/* --endpoint */
	const char	*env_region;	/* the environment's region (ALIBABA_CLOUD_REGION_ID) */
	const char	*env_endpoint;	/* the environment's endpoint (IOTDECK_ENDPOINT) */
	const char	*prof_region;	/* the credential's (a vault profile's) region */
	const char	*prof_endpoint;	/* its endpoint */
};

/* The one rule for where requests go, for every path that sets it (the command line, the
 * console's unlock and :profile). Region: --region, else the profile's, else the
 * environment's, else cfg's own (cn-shanghai when it has none). Endpoint: --endpoint, else
 * the environment's, else the profile's, else the region's default, which then follows
 * the region (api_config_set_region). Returns 0, or -1 with a caller-freed *cause and cfg
 * unchanged. */
int api_config_set_place_from(struct api_config *cfg, const struct place_sources *src,
    char **cause);
/* Changes the region; an explicit endpoint stays, a default one follows. 0, or -1 with
 * *cause and cfg unchanged. */
int api_config_set_region(struct api_config *cfg, const char *region, char **cause);

/* Makes dst (uninitialised) a deep copy of src (the secret copied into guarded memory;
 * the trace stream shared). Free it with api_config_free. */
void api_config_copy(struct api_config *dst, const struct api_config *src);
/* Frees dst's contents and moves src's into it (src is left zeroed). */
void api_config_move(struct api_config *dst, struct api_config *src);

/* Returns 0 when cfg can sign and send a request (endpoint, region, AccessKey ID and
 * secret present), else -1 with a caller-freed *cause naming what is missing. */
int api_config_ready(const struct api_config *cfg, char **cause);

#endif
