/* profile.h — private to src/vault: the table of a profile's text fields, shared by the
 * checks (profile.c) and the payload (vault.c). The functions on one profile (check, dup,
 * free, the name checks) are declared in vault.h. */
#ifndef IOTDECK_VAULT_PROFILE_H
#define IOTDECK_VAULT_PROFILE_H

#include <stddef.h>

#include "vault/vault.h"

/* One text field of struct vault_profile (the secrets, the kind and the numbers are
 * handled apart). */
struct profile_field {
	const char	*key;		/* its key in the payload */
	size_t		 offset;	/* its char * in struct vault_profile */
	size_t		 max;		/* longest value (printable ASCII, no spaces) */
	int		(*valid)(const char *); /* or this check instead, when not NULL */
	int		 role;		/* only a ram_role profile may have it */
	const char	*invalid;	/* what is wrong with a bad one, after "profile NAME: " */
};

/* The text fields, in payload order ("name" first): one table for copying, freeing,
 * checking, reading and writing them. */
extern const struct profile_field profile_fields[];
extern const size_t profile_nfields;

/* The field f of profile p. */
char **profile_field_of(const struct vault_profile *p, const struct profile_field *f);

#endif
