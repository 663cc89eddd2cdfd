/* profile.c — one vault profile: its fields (one table), the checks of each kind, copying
 * and freeing. The set of profiles, the payload and the crypto are vault.c's. */
#include "vault/profile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/sts.h"
#include "core/xmalloc.h"
#include "vault/vault_file.h"

int
vault_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Returns 1 when s is 1..max bytes of printable ASCII without spaces. */
static int
token_valid(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7E)
			return 0;
	return 1;
}

const char *
vault_kind_name(enum vault_kind kind)
{
	switch (kind) {
	case VAULT_KIND_STS:
		return "sts";
	case VAULT_KIND_RAM_ROLE:
		return "ram_role";
	case VAULT_KIND_ACCESS_KEY:
		break;
	}
	return "access_key";
}

const struct profile_field profile_fields[] = {
	{ .key = "name", .offset = offsetof(struct vault_profile, name),
	  .valid = vault_name_valid,
	  .invalid = "invalid profile name: use 1 to 64 of A-Z a-z 0-9 . _ -" },
	{ .key = "access_key_id", .offset = offsetof(struct vault_profile, access_key_id),
	  .max = 128, .invalid = "the AccessKey ID must be 1 to 128 printable "
	  "characters without spaces" },
	{ .key = "region", .offset = offsetof(struct vault_profile, region), .max = 64,
	  .invalid = "invalid region id" },
	{ .key = "instance_id", .offset = offsetof(struct vault_profile, instance_id),
	  .max = 128, .invalid = "invalid instance id" },
	{ .key = "endpoint", .offset = offsetof(struct vault_profile, endpoint), .max = 512,
	  .invalid = "invalid endpoint" },
	{ .key = "role_arn", .offset = offsetof(struct vault_profile, role_arn),
	  .valid = sts_role_arn_valid, .role = 1,
	  .invalid = "the role ARN must look like acs:ram::ACCOUNT:role/NAME (ACCOUNT "
	  "digits, NAME 1 to 64 of A-Z a-z 0-9 . _ -)" },
	{ .key = "source_profile", .offset = offsetof(struct vault_profile, source_profile),
	  .valid = vault_name_valid, .role = 1,
	  .invalid = "the source profile is not a valid profile name" },
	{ .key = "role_session_name", .offset = offsetof(struct vault_profile,
	  role_session_name), .valid = sts_session_name_valid, .role = 1,
	  .invalid = "the role session name must be 2 to 64 of A-Z a-z 0-9 . @ _ -" },
	{ .key = "sts_endpoint", .offset = offsetof(struct vault_profile, sts_endpoint),
	  .max = 512, .role = 1, .invalid = "invalid STS endpoint" },
};
const size_t profile_nfields = sizeof profile_fields / sizeof profile_fields[0];

char **
profile_field_of(const struct vault_profile *p, const struct profile_field *f)
{
	return (char **)((char *)(uintptr_t)p + f->offset);
}

/* Checks a guarded value: 1..max printable bytes without spaces. */
static int
secret_valid(struct secret *s, size_t max)
{
	int ok = token_valid(secret_reveal(s), secret_len(s), max);

	secret_hide(s);
	return ok;
}

int
vault_profile_check(const struct vault_profile *p, char **cause)
{
	const char *name = p->name != NULL ? p->name : "", *val;
	const struct profile_field *f;
	int has_id, has_secret;
	size_t i;

	if (!vault_name_valid(name))
		return vault_fail(cause, VAULT_ERR, "invalid profile name: use 1 to 64 of "
		    "A-Z a-z 0-9 . _ -");
	if (p->kind != VAULT_KIND_ACCESS_KEY && p->kind != VAULT_KIND_STS &&
	    p->kind != VAULT_KIND_RAM_ROLE)
		return vault_fail(cause, VAULT_ERR, "profile %s: unknown kind", name);
	for (i = 1; i < profile_nfields; i++) {
		f = &profile_fields[i];
		if ((val = *profile_field_of(p, f)) == NULL)
			continue;
		if (f->role && p->kind != VAULT_KIND_RAM_ROLE)
			return vault_fail(cause, VAULT_ERR, "profile %s: %s is only for ram_role "
			    "profiles, not %s", name, f->key, vault_kind_name(p->kind));
		if (f->valid != NULL ? !f->valid(val) : !token_valid(val, strlen(val), f->max))
			return vault_fail(cause, VAULT_ERR, "profile %s: %s", name, f->invalid);
	}
	has_id = p->access_key_id != NULL;
	has_secret = p->access_key_secret != NULL;
	if (has_secret && !secret_valid(p->access_key_secret, 256))
		return vault_fail(cause, VAULT_ERR, "profile %s: the AccessKey secret must be 1 "
		    "to 256 printable characters without spaces", name);
	if (p->security_token != NULL && p->kind != VAULT_KIND_STS)
		return vault_fail(cause, VAULT_ERR, "profile %s: a security token is only for "
		    "sts profiles, not %s", name, vault_kind_name(p->kind));
	if (p->expires != 0 && p->kind != VAULT_KIND_STS)
		return vault_fail(cause, VAULT_ERR, "profile %s: an expiry is only for sts "
		    "profiles", name);
	if (p->expires < 0)
		return vault_fail(cause, VAULT_ERR, "profile %s: invalid expiry time", name);
	if (p->duration_s != 0 && p->kind != VAULT_KIND_RAM_ROLE)
		return vault_fail(cause, VAULT_ERR, "profile %s: a duration is only for ram_role "
		    "profiles", name);
	if (p->duration_s != 0 && (p->duration_s < STS_MIN_DURATION_S ||
	    p->duration_s > STS_MAX_DURATION_S))
		return vault_fail(cause, VAULT_ERR, "profile %s: the role duration must be %d to "
		    "%d seconds", name, STS_MIN_DURATION_S, STS_MAX_DURATION_S);
	if (p->signature != 0 && p->signature != 1 && p->signature != 3)
		return vault_fail(cause, VAULT_ERR, "profile %s: the signature version must be "
		    "v1 or v3", name);
	switch (p->kind) {
	case VAULT_KIND_STS:
		if (p->security_token == NULL)
			return vault_fail(cause, VAULT_ERR, "profile %s: an sts profile needs a "
			    "security token", name);
		if (!secret_valid(p->security_token, VAULT_TOKEN_MAX))
			return vault_fail(cause, VAULT_ERR, "profile %s: the security token must "
			    "be 1 to %d printable characters without spaces", name,
			    VAULT_TOKEN_MAX);
		/* FALLTHROUGH */
	case VAULT_KIND_ACCESS_KEY:
		if (!has_id)
			return vault_fail(cause, VAULT_ERR, "profile %s: %s", name,
			    profile_fields[1].invalid);
		if (!has_secret)
			return vault_fail(cause, VAULT_ERR, "profile %s: no AccessKey secret",
			    name);
		break;
	case VAULT_KIND_RAM_ROLE:
		if (p->role_arn == NULL)
			return vault_fail(cause, VAULT_ERR, "profile %s: a ram_role profile needs "
			    "a role ARN", name);
		if (p->source_profile != NULL) {
			if (has_id || has_secret)
				return vault_fail(cause, VAULT_ERR, "profile %s: a ram_role profile "
				    "uses either its source profile's AccessKey or its own, not "
				    "both", name);
			if (strcmp(p->source_profile, name) == 0)
				return vault_fail(cause, VAULT_ERR, "profile %s: a profile cannot "
				    "be its own source profile", name);
		} else if (!has_id || !has_secret)
			return vault_fail(cause, VAULT_ERR, "profile %s: a ram_role profile needs "
			    "an AccessKey ID and secret, or a source profile", name);
		break;
	}
	return VAULT_OK;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct vault_profile *
vault_profile_dup(const struct vault_profile *p)
{
	struct vault_profile *d = xcalloc(1, sizeof *d);
	size_t i;

	for (i = 0; i < profile_nfields; i++)
		*profile_field_of(d, &profile_fields[i]) = dup_or_null(*profile_field_of(p, &profile_fields[i]));
	d->access_key_secret = secret_dup(p->access_key_secret);
	d->security_token = secret_dup(p->security_token);
	d->readonly = p->readonly ? 1 : 0;
	d->kind = p->kind;
	d->expires = p->expires;
	d->duration_s = p->duration_s;
	d->signature = p->signature;
	return d;
}

void
vault_profile_free(struct vault_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < profile_nfields; i++)
		free(*profile_field_of(p, &profile_fields[i]));
	secret_free(p->access_key_secret);
	secret_free(p->security_token);
	free(p);
}

