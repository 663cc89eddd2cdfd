/* import.c — reading the files "vault import-aliyun" and "vault import-credentials" take
 * profiles from: the aliyun CLI's config.json and the SDKs' credentials file (INI).
 *
 * Both files hold secrets in plain text. Each is read into guarded memory; the secrets go
 * from there straight into struct secrets (cJSON's copies of the JSON strings are zeroed
 * before they are freed, the INI reader copies no value), and nothing is written anywhere.
 * Putting the profiles into the vault is the caller's (cli.c).
 */
#include "vault/import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "api/place.h"
#include "api/sts.h"
#include "core/buf.h"
#include "core/secret.h"
#include "core/xmalloc.h"
#include "vault/expiry.h"
#include "vault/ini.h"

static void say(const struct import_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Hands one message to the report function. */
static void
say(const struct import_report *r, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r->fn(r->arg, buf_str(&b));
	buf_free(&b);
}

/* The most a file to import may hold. */
#define IMPORT_FILE_MAX (1024 * 1024)

/* Reads path, a regular file of at most IMPORT_FILE_MAX bytes, into guarded memory: *buf
 * (sodium_free) holds *len bytes and a NUL. 0, or 1 with the message reported. */
static int
read_guarded(const struct import_report *r, const char *path, char **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0 || fstat(fd, &st) != 0) {
		say(r, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > IMPORT_FILE_MAX) {
		say(r, "%s is not a regular file of at most 1 MiB", path);
		close(fd);
		return 1;
	}
	if ((*buf = sodium_malloc((size_t)st.st_size + 1)) == NULL) {
		say(r, "out of guarded memory");
		close(fd);
		return 1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			say(r, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			sodium_free(*buf);
			*buf = NULL;
			return 1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return 0;
}

/* A guarded copy of p[0..len) in *out, if it is 1 to max bytes. 0, or -1 (nothing made). */
static int
guarded_value(const char *p, size_t len, size_t max, struct secret **out)
{
	*out = NULL;
	if (p == NULL || len == 0 || len > max || len > SECRET_MAX)
		return -1;
	*out = secret_from(p, len);
	return 0;
}

/* Adds p and where (both taken over) to l. */
static void
import_add(struct import_list *l, struct vault_profile *p, char *where)
{
	l->prof = xreallocarray(l->prof, l->n + 1, sizeof *l->prof);
	l->where = xreallocarray(l->where, l->n + 1, sizeof *l->where);
	l->prof[l->n] = p;
	l->where[l->n] = where;
	l->n++;
}

void
import_list_free(struct import_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		vault_profile_free(l->prof[i]);
		free(l->where[i]);
	}
	free(l->prof);
	free(l->where);
	memset(l, 0, sizeof *l);
}

/* The https:// STS endpoint of a region, as the aliyun CLI makes it from sts_region. */
static char *
sts_endpoint_of(const char *region)
{
	return xasprintf("https://sts.%s.aliyuncs.com", region);
}

/* ---- the aliyun CLI's config.json --------------------------------------------------- */

/* The string member key of o, or NULL when absent, not a string or empty. */
static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(j) && j->valuestring != NULL && *j->valuestring != '\0' ?
	    j->valuestring : NULL;
}

/* The number member key of o, 0 when absent; *bad set when not a whole number. */
static double
jnum(const cJSON *o, const char *key, int *bad)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (j == NULL || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsNumber(j) || j->valuedouble != (double)(int64_t)j->valuedouble) {
		*bad = 1;
		return 0;
	}
	return j->valuedouble;
}

/* Turns one aliyun CLI profile into a vault profile, or says why not (*why, static text
 * or caller-freed in *whyf). */
static struct vault_profile *
aliyun_profile(const cJSON *it, const char *name, int64_t now, const char **why,
    char **whyf)
{
	const char *mode = jstr(it, "mode"), *id = jstr(it, "access_key_id"),
	    *sec = jstr(it, "access_key_secret"), *tok = jstr(it, "sts_token"),
	    *region = jstr(it, "region_id"), *arn = jstr(it, "ram_role_arn"),
	    *session = jstr(it, "ram_session_name"), *src = jstr(it, "source_profile"),
	    *sts_region = jstr(it, "sts_region");
	struct vault_profile *p = xcalloc(1, sizeof *p);
	int bad = 0, chained = 0;
	double dur, exp;
	char when[48];

	*why = NULL;
	*whyf = NULL;
	dur = jnum(it, "expired_seconds", &bad);
	exp = jnum(it, "sts_expiration", &bad);
	if (mode == NULL) {
		*why = "it has no mode";
		goto fail;
	}
	if (strcasecmp(mode, "AK") == 0)
		p->kind = VAULT_KIND_ACCESS_KEY;
	else if (strcasecmp(mode, "StsToken") == 0)
		p->kind = VAULT_KIND_STS;
	else if (strcasecmp(mode, "RamRoleArn") == 0)
		p->kind = VAULT_KIND_RAM_ROLE;
	else if (strcasecmp(mode, "ChainableRamRoleArn") == 0) {
		p->kind = VAULT_KIND_RAM_ROLE;
		chained = 1;
	} else {
		*whyf = xasprintf("mode %s is not imported (iotdeck imports AK, StsToken, "
		    "RamRoleArn and ChainableRamRoleArn profiles)", mode);
		goto fail;
	}
	if (!vault_name_valid(name)) {
		*why = "name not usable as a vault profile name (1 to 64 of A-Z a-z 0-9 . _ -)";
		goto fail;
	}
	if (bad) {
		*why = "expired_seconds or sts_expiration is not a whole number";
		goto fail;
	}
	if (chained) {
		if (src == NULL || arn == NULL) {
			*why = "a ChainableRamRoleArn profile needs source_profile and ram_role_arn";
			goto fail;
		}
		p->source_profile = xstrdup(src);
	} else {
		if (id == NULL || sec == NULL) {
			*why = "no access_key_id or access_key_secret";
			goto fail;
		}
		if (guarded_value(sec, strlen(sec), 256, &p->access_key_secret) != 0) {
			*why = "its access_key_secret is longer than 256 bytes";
			goto fail;
		}
		p->access_key_id = xstrdup(id);
	}
	if (p->kind == VAULT_KIND_STS) {
		if (tok == NULL) {
			*why = "a StsToken profile without sts_token";
			goto fail;
		}
		if (guarded_value(tok, strlen(tok), VAULT_TOKEN_MAX, &p->security_token) != 0) {
			*whyf = xasprintf("its sts_token is longer than %d bytes", VAULT_TOKEN_MAX);
			goto fail;
		}
		if (exp > 0 && (int64_t)exp <= now) {
			*whyf = xasprintf("its token expired at %s", vault_expiry_when((int64_t)exp,
			    when, sizeof when));
			goto fail;
		}
		if (exp > 0)
			p->expires = (int64_t)exp;
	}
	if (p->kind == VAULT_KIND_RAM_ROLE) {
		if (arn == NULL) {
			*why = "a RamRoleArn profile without ram_role_arn";
			goto fail;
		}
		p->role_arn = xstrdup(arn);
		p->role_session_name = session != NULL ? xstrdup(session) : NULL;
		if (dur != 0 && (dur < STS_MIN_DURATION_S || dur > STS_MAX_DURATION_S)) {
			*whyf = xasprintf("expired_seconds %.0f is outside %d..%d", dur,
			    STS_MIN_DURATION_S, STS_MAX_DURATION_S);
			goto fail;
		}
		p->duration_s = (int)dur;
		if (sts_region != NULL) {
			if (!api_region_valid(sts_region)) {
				*why = "its sts_region is not a region id";
				goto fail;
			}
			p->sts_endpoint = sts_endpoint_of(sts_region);
		}
	}
	p->name = xstrdup(name);
	p->region = region != NULL ? xstrdup(region) : NULL;
	return p;
fail:
	vault_profile_free(p);
	return NULL;
}

int
import_aliyun_read(const char *path, char **names, int nnames, int64_t now,
    struct import_list *l, char **current, const struct import_report *r)
{
	const cJSON *arr, *it, *j;
	struct vault_profile *p;
	cJSON *root = NULL;
	char *buf = NULL, *whyf;
	const char *why;
	size_t len = 0;
	int rc = -1, i, *seen = xcalloc((size_t)nnames + 1, sizeof *seen);

	*current = NULL;
	if (read_guarded(r, path, &buf, &len) != 0)
		goto out;
	root = cJSON_ParseWithLength(buf, len);
	arr = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	if (root == NULL || !cJSON_IsArray(arr)) {
		say(r, "%s is not an aliyun CLI configuration (no \"profiles\" list)", path);
		goto out;
	}
	j = cJSON_GetObjectItemCaseSensitive(root, "current");
	if (cJSON_IsString(j) && vault_name_valid(j->valuestring))
		*current = xstrdup(j->valuestring);
	cJSON_ArrayForEach(it, arr) {
		const char *name = jstr(it, "name");
		int want = nnames == 0;

		if (name == NULL)
			continue;
		for (i = 0; i < nnames; i++)
			if (strcmp(names[i], name) == 0)
				want = seen[i] = 1;
		if (!want)
			continue;
		if ((p = aliyun_profile(it, name, now, &why, &whyf)) == NULL) {
			say(r, "skipping aliyun profile %s: %s", name, whyf != NULL ? whyf : why);
			free(whyf);
			continue;
		}
		import_add(l, p, xasprintf("aliyun profile %s", name));
	}
	rc = 0;
	for (i = 0; i < nnames; i++)
		if (!seen[i]) {
			say(r, "no profile named %s in %s", names[i], path);
			rc = -1;
		}
	if (rc == 0 && l->n == 0) {
		say(r, "nothing to import from %s", path);
		rc = -1;
	}
out:
	secret_json_delete(root);
	if (buf != NULL)
		sodium_free(buf);
	free(seen);
	if (rc != 0) {
		free(*current);
		*current = NULL;
	}
	return rc;
}

/* ---- the SDKs' credentials file (INI) ----------------------------------------------- */

/* The value of key in s when present and not empty, else NULL (and *len 0). */
static const char *
ini_val(const struct ini_section *s, const char *key, size_t *len)
{
	const struct ini_pair *p = ini_find(s, key);

	if (p == NULL || p->len == 0) {
		*len = 0;
		return NULL;
	}
	*len = p->len;
	return p->value;
}

/* A copy of the value of key in s (not a secret), or NULL. */
static char *
ini_dup(const struct ini_section *s, const char *key)
{
	size_t n;
	const char *v = ini_val(s, key, &n);

	return v != NULL ? xstrndup(v, n) : NULL;
}

/* Turns one section of the credentials file into a vault profile, or says why not (*why
 * static, or caller-freed in *whyf). */
static struct vault_profile *
cred_profile(const struct ini_section *s, const char **why, char **whyf)
{
	static const char *const dur_keys[] = { "role_session_expiration", "durationSeconds",
	    "duration_seconds" };
	struct vault_profile *p = xcalloc(1, sizeof *p);
	const char *id, *sec, *tok, *v;
	size_t idn, secn, tokn, n, i;
	char *type = ini_dup(s, "type"), *end, *num;
	long dur;

	*why = NULL;
	*whyf = NULL;
	if (!vault_name_valid(s->name)) {
		*why = "the section name is not usable as a vault profile name (1 to 64 of A-Z "
		    "a-z 0-9 . _ -)";
		goto fail;
	}
	if (s->dup_line != 0 || s->dup_keys != 0) {
		*why = "the section is ambiguous (a section or key appears twice)";
		goto fail;
	}
	if (type == NULL) {
		*why = "no type";
		goto fail;
	}
	if (strcmp(type, "access_key") == 0)
		p->kind = VAULT_KIND_ACCESS_KEY;
	else if (strcmp(type, "sts") == 0)
		p->kind = VAULT_KIND_STS;
	else if (strcmp(type, "ram_role_arn") == 0)
		p->kind = VAULT_KIND_RAM_ROLE;
	else {
		*whyf = xasprintf("type %s is not imported (iotdeck imports access_key, sts and "
		    "ram_role_arn)", type);
		goto fail;
	}
	id = ini_val(s, "access_key_id", &idn);
	sec = ini_val(s, "access_key_secret", &secn);
	if (id == NULL || sec == NULL) {
		*why = "no access_key_id or access_key_secret";
		goto fail;
	}
	if (guarded_value(sec, secn, 256, &p->access_key_secret) != 0) {
		*why = "its access_key_secret is longer than 256 bytes";
		goto fail;
	}
	p->access_key_id = xstrndup(id, idn);
	if (p->kind == VAULT_KIND_STS) {
		if ((tok = ini_val(s, "security_token", &tokn)) == NULL) {
			*why = "an sts section without security_token";
			goto fail;
		}
		if (guarded_value(tok, tokn, VAULT_TOKEN_MAX, &p->security_token) != 0) {
			*whyf = xasprintf("its security_token is longer than %d bytes",
			    VAULT_TOKEN_MAX);
			goto fail;
		}
	}
	if (p->kind == VAULT_KIND_RAM_ROLE) {
		if ((p->role_arn = ini_dup(s, "role_arn")) == NULL) {
			*why = "a ram_role_arn section without role_arn";
			goto fail;
		}
		if (ini_val(s, "policy", &n) != NULL) {
			*why = "it has a policy, which iotdeck cannot apply; importing the role "
			    "without it would grant more than the file allows";
			goto fail;
		}
		p->role_session_name = ini_dup(s, "role_session_name");
		for (i = 0; i < sizeof dur_keys / sizeof dur_keys[0]; i++) {
			if ((v = ini_val(s, dur_keys[i], &n)) == NULL)
				continue;
			num = xstrndup(v, n);
			errno = 0;
			dur = strtol(num, &end, 10);
			if (*end != '\0' || errno != 0 || dur < STS_MIN_DURATION_S ||
			    dur > STS_MAX_DURATION_S) {
				*whyf = xasprintf("%s is not %d to %d seconds", dur_keys[i],
				    STS_MIN_DURATION_S, STS_MAX_DURATION_S);
				free(num);
				goto fail;
			}
			free(num);
			p->duration_s = (int)dur;
			break;
		}
	}
	p->name = xstrdup(s->name);
	p->region = ini_dup(s, "region_id");
	free(type);
	return p;
fail:
	free(type);
	vault_profile_free(p);
	return NULL;
}

int
import_credentials_read(const char *path, struct import_list *l,
    const struct import_report *r)
{
	struct vault_profile *p;
	struct ini ini;
	char *buf = NULL, *whyf;
	const char *why;
	size_t len, i, k;
	int rc = -1;

	if (read_guarded(r, path, &buf, &len) != 0)
		return -1;
	ini_parse(&ini, buf, len);
	/* Problems and sections in line order, as a reader of the file expects. */
	for (i = 0, k = 0; i < ini.nsections || k < ini.nproblems; ) {
		if (k < ini.nproblems && (i == ini.nsections ||
		    ini.problems[k].line < ini.sections[i].line)) {
			say(r, "%s:%d: %s", path, ini.problems[k].line, ini.problems[k].msg);
			k++;
			continue;
		}
		if ((p = cred_profile(&ini.sections[i], &why, &whyf)) == NULL) {
			say(r, "%s:%d: skipping [%s]: %s", path, ini.sections[i].line,
			    ini.sections[i].name, whyf != NULL ? whyf : why);
			free(whyf);
		} else
			import_add(l, p, xasprintf("%s:%d [%s]", path, ini.sections[i].line,
			    ini.sections[i].name));
		i++;
	}
	if (l->n == 0)
		say(r, "nothing to import from %s", path);
	else
		rc = 0;
	ini_free(&ini);
	sodium_free(buf);	/* wipes the file's secrets */
	return rc;
}

