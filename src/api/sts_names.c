/* sts_names.c — what AssumeRole takes as a role ARN and a session name (api/sts.h); on
 * its own, without the client, so that the vault checks a profile by the same rule. */
#include "api/sts.h"

#include <string.h>

static int
name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '@' || c == '_' || c == '-';
}

int
sts_role_arn_valid(const char *arn)
{
	static const char prefix[] = "acs:ram::";
	const char *p;
	size_t n, i;

	if (arn == NULL || strncmp(arn, prefix, sizeof prefix - 1) != 0)
		return 0;
	p = arn + sizeof prefix - 1;
	n = strspn(p, "0123456789");
	if (n == 0 || n > 32 || strncmp(p + n, ":role/", 6) != 0)
		return 0;
	p += n + 6;
	/* A RAM role's name: 1 to 64 letters, digits, '.', '_' and '-'. */
	for (i = 0; p[i] != '\0'; i++)
		if (p[i] == '@' || !name_char(p[i]))
			return 0;
	return i >= 1 && i <= 64;
}

int
sts_session_name_valid(const char *s)
{
	size_t i, n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n < 2 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!name_char(s[i]))
			return 0;
	return 1;
}
