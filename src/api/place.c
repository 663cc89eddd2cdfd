/* place.c — region, endpoint and instance of an api_config, checked as a whole (place.h). */
#include "api/place.h"

#include <stdlib.h>
#include <string.h>

#include "core/safetext.h"
#include "core/xmalloc.h"

/* The region that only gets signed when nothing says which (the SDKs' default). */
#define PLACE_DEFAULT_REGION "cn-shanghai"
#define REGION_MAX 64

int
api_region_valid(const char *r)
{
	const char *p;

	if (r == NULL || *r == '\0' || strlen(r) > REGION_MAX)
		return 0;
	for (p = r; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

int
api_config_set_place(struct api_config *cfg, const char *region, const char *endpoint,
    char **cause)
{
	char *want = NULL, *url = NULL, *safe;
	int loopback = 0;

	if (region == NULL)
		region = cfg->region != NULL ? cfg->region : PLACE_DEFAULT_REGION;
	if (!api_region_valid(region)) {
		safe = safetext_dup(region, strlen(region));
		*cause = xasprintf("region '%s' is not a region id (like cn-shanghai)", safe);
		free(safe);
		return -1;
	}
	if (endpoint == NULL)
		want = api_default_endpoint(region);
	if (api_endpoint_check(want != NULL ? want : endpoint, &url, &loopback, cause) != 0) {
		free(want);
		return -1;
	}
	free(want);
	/* Everything checked: now it changes, all at once. */
	xstrset(&cfg->region, region);
	free(cfg->endpoint);
	cfg->endpoint = url;
	cfg->endpoint_loopback = loopback;
	cfg->endpoint_explicit = endpoint != NULL;
	return 0;
}

int
api_config_set_region(struct api_config *cfg, const char *region, char **cause)
{
	char *keep = cfg->endpoint_explicit && cfg->endpoint != NULL ?
	    xstrdup(cfg->endpoint) : NULL;
	int rc = api_config_set_place(cfg, region, keep, cause);

	free(keep);
	return rc;
}

/* The first of a, b, c that is not NULL. */
static const char *
first_of(const char *a, const char *b, const char *c)
{
	return a != NULL ? a : b != NULL ? b : c;
}

int
api_config_set_place_from(struct api_config *cfg, const struct place_sources *src,
    char **cause)
{
	return api_config_set_place(cfg,
	    first_of(src->opt_region, src->prof_region, src->env_region),
	    first_of(src->opt_endpoint, src->env_endpoint, src->prof_endpoint), cause);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
api_config_copy(struct api_config *dst, const struct api_config *src)
{
	*dst = *src;
	dst->endpoint = dup_or_null(src->endpoint);
	dst->region = dup_or_null(src->region);
	dst->instance_id = dup_or_null(src->instance_id);
	dst->access_key_id = dup_or_null(src->access_key_id);
	dst->access_key_secret = src->access_key_secret != NULL ?
	    secret_dup(src->access_key_secret) : NULL;
	dst->security_token = dup_or_null(src->security_token);
	dst->cacert = dup_or_null(src->cacert);
	dst->profile = dup_or_null(src->profile);
	dst->renew = api_renewable_ref(src->renew);	/* shared: one renewal serves both */
}

void
api_config_move(struct api_config *dst, struct api_config *src)
{
	if (dst == src)
		return;
	api_config_free(dst);
	*dst = *src;
	memset(src, 0, sizeof *src);
}

int
api_config_ready(const struct api_config *cfg, char **cause)
{
	const char *missing = NULL;

	if (cfg->endpoint == NULL)
		missing = "no endpoint";
	else if (cfg->region == NULL)
		missing = "no region";
	else if (cfg->access_key_id == NULL || *cfg->access_key_id == '\0')
		missing = "no AccessKey ID";
	else if (cfg->access_key_secret == NULL)
		missing = "no AccessKey secret";
	if (missing == NULL)
		return 0;
	*cause = xasprintf("the configuration is not complete: %s", missing);
	return -1;
}
