/* test_vault.c — the credential vault: known answer, refusals, crash, disk full, lock; and
 * which credential a run uses (cli/credentials.c), which needs a vault to pick from.
 *
 * Built normally, the vault uses the real KDF parameters and has no test hooks: the tests
 * that need the hooks (crash, disk full, known-answer re-seal) or many KDF runs are then
 * left out. Built with -DIOTDECK_VAULT_TEST_KDF (this file and the files of src/vault),
 * everything runs, with cheap KDF parameters.
 *
 * IOTDECK_VAULT_WRITE_FIXTURE=FILE (test build) rewrites the known-answer fixture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/client.h"
#include "cli/credentials.h"
#include "core/xmalloc.h"
#include "testutil.h"
#include "vault/expiry.h"
#include "vault/import.h"
#include "vault/passphrase.h"
#include "core/secret.h"
#include "api/sts.h"
#include "vault/vault.h"

/* Tests that run the KDF many times or need the save hooks start with TEST_BUILD_ONLY():
 * in a normal build they are skipped, so the suite stays quick (about five real KDF runs),
 * also under valgrind. */
#ifdef IOTDECK_VAULT_TEST_KDF
#define TEST_BUILD_ONLY() do { } while (0)
#else
#define TEST_BUILD_ONLY() skip()
#endif

#define PASS "correct horse battery staple"

/* The known-answer fixture: tests/fixtures/vault/v1.vault was sealed from exactly these
 * inputs with the version-1 format and the KDF parameters that were the production
 * default until they were raised (3 passes over 64 MiB): it is also the "older file"
 * that a save upgrades. */
#define KAT_OPS 3
#define KAT_MEM (64ULL * 1024 * 1024)
#ifdef IOTDECK_VAULT_TEST_KDF
static const char kat_plain[] =
    "{\"format\":1,\"default\":\"kat\",\"profiles\":["
    "{\"name\":\"kat\",\"access_key_id\":\"LTAIfixtureKAT01\","
    "\"access_key_secret\":\"fixtureSecretNotReal0000abcd\",\"region\":\"cn-shanghai\","
    "\"instance_id\":\"iot-06z00fixture\","
    "\"endpoint\":\"https://iot.cn-shanghai.aliyuncs.com\",\"readonly\":false},"
    "{\"name\":\"ro\",\"access_key_id\":\"LTAIfixtureRO002\","
    "\"access_key_secret\":\"fixtureReadOnlySecret0000wxyz\",\"region\":\"cn-beijing\","
    "\"readonly\":true}]}";
#endif

/* ------------------------------------------------------------------------------------ */
/* Helpers. */

struct ask {
	const char	*pass;		/* what to answer */
	int		 calls;		/* how often we were asked */
	int		 repeat;	/* answer again on later attempts */
};

static int
ask_fixed(void *arg, const char *prompt, int attempt, struct secret **out, char **cause)
{
	struct ask *a = arg;

	(void)prompt;
	(void)cause;
	a->calls++;
	if (attempt > 1 && !a->repeat)
		return VAULT_CANCEL;
	*out = secret_from(a->pass, strlen(a->pass));
	return VAULT_OK;
}

struct env {
	char	*dir;		/* temp directory, 0700 */
	char	*path;		/* dir/vault */
};

static int
setup(void **state)
{
	struct env *e = xcalloc(1, sizeof *e);
	char tmpl[] = "/tmp/iotdeck-vault-test.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	e->dir = xstrdup(tmpl);
	e->path = xasprintf("%s/vault", e->dir);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	struct dirent *de;
	DIR *d = opendir(e->dir);

	chmod(e->dir, 0700);
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", e->dir, de->d_name);
		if (unlink(p) != 0) {
			/* a subdirectory made by a test: its vault, and the lock and backup
			 * beside it (the lock was left behind, and so the temp directory) */
			static const char *const names[] = { "vault", "vault.lock", "vault.bak" };
			size_t i;

			chmod(p, 0700);
			for (i = 0; i < sizeof names / sizeof names[0]; i++) {
				char *q = xasprintf("%s/%s", p, names[i]);

				unlink(q);
				free(q);
			}
			rmdir(p);
		}
		free(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(e->dir);
	free(e->dir);
	free(e->path);
	free(e);
	return 0;
}

static unsigned char *
read_all(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = xmalloc((size_t)st.st_size + 1);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void
write_all(const char *path, const unsigned char *buf, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
assert_file_is(const char *path, const unsigned char *buf, size_t len)
{
	size_t n;
	unsigned char *now = read_all(path, &n);

	assert_int_equal(n, len);
	assert_memory_equal(now, buf, len);
	free(now);
}

static struct vault_profile *
mkprofile(const char *name, const char *id, const char *secret)
{
	struct vault_profile *p = xcalloc(1, sizeof *p);

	p->name = xstrdup(name);
	p->access_key_id = xstrdup(id);
	p->access_key_secret = secret_from(secret, strlen(secret));
	return p;
}

/* Creates a vault at e->path holding profiles p0..p(n-1). Each KDF run costs real time
 * in a normal build (and much more under valgrind), so the first vault made for each n is
 * kept and later ones are copies of its bytes. */
static unsigned char *made[4];
static size_t made_len[4];

static void
make_vault(struct env *e, int n)
{
	struct vault *v = NULL;
	char *cause = NULL;
	int i;

	assert_true(n >= 0 && n < 4);
	if (made[n] != NULL) {
		write_all(e->path, made[n], made_len[n], 0600);
		return;
	}

	assert_int_equal(vault_create(&v, e->path, secret_from(PASS, strlen(PASS)), &cause),
	    VAULT_OK);
	for (i = 0; i < n; i++) {
		char name[16], secret[40];
		struct vault_profile *p;

		snprintf(name, sizeof name, "p%d", i);
		snprintf(secret, sizeof secret, "secretsecretsecret%04d", i);
		p = mkprofile(name, "LTAIexampleid", secret);
		assert_int_equal(vault_profile_put(v, p, 0, &cause), VAULT_OK);
		vault_profile_free(p);
	}
	assert_int_equal(vault_save(v, 0, &cause), VAULT_OK);
	vault_close(v);
	made[n] = read_all(e->path, &made_len[n]);
}

/* Unlocks e->path (read-only) and returns the status; *cause is freed here unless want. */
static int
try_unlock(const char *path, const char *pass, int *calls, char **want)
{
	struct ask a = { pass, 0, 0 };
	struct vault *v = NULL;
	char *cause = NULL;
	int status;

	status = vault_unlock(&v, path, VAULT_READ, ask_fixed, &a, &cause);
	if (status == VAULT_OK) {
		assert_null(cause);
		assert_non_null(v);
	} else {
		assert_null(v);
		assert_non_null(cause);
		/* No secret ever appears in a message. */
		assert_null(strstr(cause, pass));
	}
	vault_close(v);
	if (calls != NULL)
		*calls = a.calls;
	if (want != NULL)
		*want = cause;
	else
		free(cause);
	return status;
}

static int
count_profiles(const char *path)
{
	struct ask a = { PASS, 0, 0 };
	struct vault *v = NULL;
	char *cause = NULL;
	int n;

	assert_int_equal(vault_unlock(&v, path, VAULT_READ, ask_fixed, &a, &cause), VAULT_OK);
	n = (int)vault_profile_count(v);
	vault_close(v);
	return n;
}

/* Number of leftover temp files in dir. */
static int
count_temps(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, ".vault.tmp.", 11) == 0)
			n++;
	closedir(d);
	return n;
}

static void
copy_fixture(struct env *e)
{
	size_t len;
	char *data = testutil_read_fixture("vault/v1.vault", &len);

	write_all(e->path, (unsigned char *)data, len, 0600);
	free(data);
}

/* ------------------------------------------------------------------------------------ */
/* Known answer. */

static void
test_kat_open(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	const struct vault_profile *p;
	struct vault *v = NULL;
	char *cause = NULL;

	copy_fixture(e);
	assert_int_equal(vault_unlock(&v, e->path, VAULT_READ, ask_fixed, &a, &cause),
	    VAULT_OK);
	assert_int_equal(vault_profile_count(v), 2);
	assert_string_equal(vault_default_name(v), "kat");
	p = vault_profile_find(v, "kat");
	assert_non_null(p);
	assert_string_equal(p->access_key_id, "LTAIfixtureKAT01");
	assert_string_equal(secret_reveal(p->access_key_secret), "fixtureSecretNotReal0000abcd");
	secret_hide(p->access_key_secret);
	assert_string_equal(p->region, "cn-shanghai");
	assert_string_equal(p->instance_id, "iot-06z00fixture");
	assert_string_equal(p->endpoint, "https://iot.cn-shanghai.aliyuncs.com");
	assert_false(p->readonly);
	p = vault_profile_find(v, "ro");
	assert_non_null(p);
	assert_true(p->readonly);
	assert_null(p->instance_id);
	assert_null(p->endpoint);
	vault_close(v);
}

#ifdef IOTDECK_VAULT_TEST_KDF
static void
test_kat_seal(void **state)
{
	unsigned char salt[16], nonce[24], *out = NULL;
	const char *regen = getenv("IOTDECK_VAULT_WRITE_FIXTURE");
	char plain[512], *cause = NULL, *want;
	size_t i, len, wantlen;

	(void)state;
	for (i = 0; i < sizeof salt; i++)
		salt[i] = (unsigned char)i;
	for (i = 0; i < sizeof nonce; i++)
		nonce[i] = (unsigned char)(0xA0 + i);
	assert_true(sizeof kat_plain - 1 <= sizeof plain);
	memset(plain, ' ', sizeof plain);
	memcpy(plain, kat_plain, sizeof kat_plain - 1);
	assert_int_equal(vault_test_seal(PASS, strlen(PASS), KAT_OPS, KAT_MEM, salt, nonce,
	    plain, sizeof plain, &out, &len, &cause), VAULT_OK);
	if (regen != NULL && *regen != '\0')
		write_all(regen, out, len, 0644);
	want = testutil_read_fixture("vault/v1.vault", &wantlen);
	assert_int_equal(len, wantlen);
	assert_memory_equal(out, want, len);
	free(want);
	free(out);
}
#endif

/* The floor fixture, tests/fixtures/vault/floor.vault: one profile, sealed at exactly
 * the production floor (VAULT_KDF_OPS_MIN passes over VAULT_KDF_MEM_MIN) under a
 * passphrase of exactly VAULT_PASSPHRASE_MAX bytes ('p' repeated). The integration tests
 * use it through the real binary to check the floor and the passphrase limit without
 * paying for the default KDF at each unlock (the binary itself only ever writes the
 * default). IOTDECK_VAULT_WRITE_FLOOR_FIXTURE=FILE (test build) rewrites it. */
static const char floor_plain[] =
    "{\"format\":1,\"default\":\"floor\",\"profiles\":["
    "{\"name\":\"floor\",\"access_key_id\":\"LTAIfixtureFLOOR\","
    "\"access_key_secret\":\"fixtureFloorSecretNotReal0000efgh\","
    "\"region\":\"cn-hangzhou\",\"readonly\":false}]}";

static void
floor_pass(char *pass)
{
	memset(pass, 'p', VAULT_PASSPHRASE_MAX);
	pass[VAULT_PASSPHRASE_MAX] = '\0';
}

static void
test_floor_fixture(void **state)
{
	struct env *e = *state;
	static char pass[VAULT_PASSPHRASE_MAX + 1];
	struct ask a = { pass, 0, 0 };
	const struct vault_profile *p;
	struct vault *v = NULL;
	char *cause = NULL, *data;
	uint64_t mem;
	uint32_t ops;
	size_t len;

	floor_pass(pass);
#ifdef IOTDECK_VAULT_TEST_KDF
	{
		unsigned char salt[16], nonce[24], *out = NULL;
		const char *regen = getenv("IOTDECK_VAULT_WRITE_FLOOR_FIXTURE");
		char plain[256];
		size_t i, outlen;

		for (i = 0; i < sizeof salt; i++)
			salt[i] = (unsigned char)(0x10 + i);
		for (i = 0; i < sizeof nonce; i++)
			nonce[i] = (unsigned char)(0xC0 + i);
		assert_true(sizeof floor_plain - 1 <= sizeof plain);
		memset(plain, ' ', sizeof plain);
		memcpy(plain, floor_plain, sizeof floor_plain - 1);
		assert_int_equal(vault_test_seal(pass, strlen(pass), VAULT_KDF_OPS_MIN,
		    VAULT_KDF_MEM_MIN, salt, nonce, plain, sizeof plain, &out, &outlen, &cause),
		    VAULT_OK);
		if (regen != NULL && *regen != '\0')
			write_all(regen, out, outlen, 0644);
		data = testutil_read_fixture("vault/floor.vault", &len);
		assert_int_equal(len, outlen);
		assert_memory_equal(out, data, len);
		free(data);
		free(out);
	}
#endif
	data = testutil_read_fixture("vault/floor.vault", &len);
	write_all(e->path, (unsigned char *)data, len, 0600);
	free(data);
	assert_int_equal(vault_unlock(&v, e->path, VAULT_READ, ask_fixed, &a, &cause),
	    VAULT_OK);
	vault_kdf_params(v, &ops, &mem);
	assert_int_equal(ops, VAULT_KDF_OPS_MIN);
	assert_int_equal(mem, VAULT_KDF_MEM_MIN);
	p = vault_profile_find(v, "floor");
	assert_non_null(p);
	assert_string_equal(p->access_key_id, "LTAIfixtureFLOOR");
	vault_close(v);
}

/* ------------------------------------------------------------------------------------ */
/* Round trip, backup, fresh salt and nonce. */

static void
test_roundtrip(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	unsigned char *first, *second, *bak;
	const struct vault_profile *p;
	struct vault_profile *np;
	struct vault *v = NULL;
	char *cause = NULL, *bakpath;
	struct stat st;
	size_t l1, l2, lb;

	TEST_BUILD_ONLY();

	make_vault(e, 2);
	assert_int_equal(stat(e->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	first = read_all(e->path, &l1);
	assert_int_equal(count_profiles(e->path), 2);

	assert_int_equal(vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	assert_string_equal(vault_default_name(v), "p0");
	np = mkprofile("zeta", "LTAIzeta", "zetazetazetazeta9999");
	np->region = xstrdup("cn-shanghai");
	np->readonly = 1;
	assert_int_equal(vault_profile_put(v, np, 0, &cause), VAULT_OK);
	assert_int_equal(vault_profile_put(v, np, 0, &cause), VAULT_ERR);
	free(cause);
	cause = NULL;
	vault_profile_free(np);
	assert_int_equal(vault_set_default(v, "zeta", &cause), VAULT_OK);
	/* Set from itself: the name is copied before the old one is freed. */
	assert_int_equal(vault_set_default(v, vault_default_name(v), &cause), VAULT_OK);
	assert_string_equal(vault_default_name(v), "zeta");
	assert_int_equal(vault_profile_remove(v, "p1", &cause), VAULT_OK);
	assert_int_equal(vault_save(v, 0, &cause), VAULT_OK);
	vault_close(v);

	second = read_all(e->path, &l2);
	/* Fresh salt (24..40) and nonce (40..64) on every save. */
	assert_memory_not_equal(first + 24, second + 24, 16);
	assert_memory_not_equal(first + 40, second + 40, 24);
	/* The previous version is kept as vault.bak. */
	bakpath = xasprintf("%s.bak", e->path);
	bak = read_all(bakpath, &lb);
	assert_int_equal(lb, l1);
	assert_memory_equal(bak, first, l1);
	assert_int_equal(count_profiles(bakpath), 2);

	v = NULL;
	assert_int_equal(vault_unlock(&v, e->path, VAULT_READ, ask_fixed, &a, &cause),
	    VAULT_OK);
	assert_int_equal(vault_profile_count(v), 2);
	assert_string_equal(vault_default_name(v), "zeta");
	assert_null(vault_profile_find(v, "p1"));
	p = vault_profile_find(v, "zeta");
	assert_non_null(p);
	assert_true(p->readonly);
	assert_string_equal(p->region, "cn-shanghai");
	assert_string_equal(secret_reveal(p->access_key_secret), "zetazetazetazeta9999");
	secret_hide(p->access_key_secret);
	assert_int_equal(vault_save(v, 0, &cause), VAULT_ERR);	/* read-only */
	free(cause);
	vault_close(v);
	assert_int_equal(count_temps(e->dir), 0);
	free(first);
	free(second);
	free(bak);
	free(bakpath);
}

static void
test_passwd(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	struct vault *v = NULL;
	char *cause = NULL, *bakpath;
	const char *np = "another passphrase";

	TEST_BUILD_ONLY();
	bakpath = xasprintf("%s.bak", e->path);

	make_vault(e, 1);
	assert_int_equal(vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	assert_int_equal(vault_set_passphrase(v, secret_from(np, strlen(np)), &cause),
	    VAULT_OK);
	assert_int_equal(vault_save(v, VAULT_SAVE_DROP_BACKUP, &cause), VAULT_OK);
	vault_close(v);
	assert_int_equal(access(bakpath, F_OK), -1);
	assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_AUTH);
	assert_int_equal(try_unlock(e->path, np, NULL, NULL), VAULT_OK);
	free(bakpath);
}

static void
test_create_exists(void **state)
{
	struct env *e = *state;
	struct vault *v = NULL;
	unsigned char *before;
	char *cause = NULL, *sub;
	size_t len;

	TEST_BUILD_ONLY();

	make_vault(e, 1);
	before = read_all(e->path, &len);
	assert_int_equal(vault_create(&v, e->path, secret_from(PASS, strlen(PASS)), &cause),
	    VAULT_ERR);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	assert_null(v);
	assert_file_is(e->path, before, len);
	free(before);

	/* Missing directories are made 0700. */
	sub = xasprintf("%s/sub/vault", e->dir);
	assert_int_equal(vault_create(&v, sub, secret_from(PASS, strlen(PASS)), &cause),
	    VAULT_OK);
	vault_close(v);
	free(sub);
	sub = xasprintf("%s/sub", e->dir);
	{
		struct stat st;

		assert_int_equal(stat(sub, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}
	free(sub);
}

/* ------------------------------------------------------------------------------------ */
/* Refusals: each fails cleanly and leaves the file as it was. */

static void
test_wrong_passphrase(void **state)
{
	struct env *e = *state;
	struct ask a = { "not the passphrase", 0, 1 };
	struct vault *v = NULL;
	unsigned char *before;
	char *cause = NULL, *want;
	size_t len;
	int calls;

	TEST_BUILD_ONLY();

	make_vault(e, 1);
	before = read_all(e->path, &len);
	/* A source that cannot ask again: one attempt. */
	assert_int_equal(try_unlock(e->path, "not the passphrase", &calls, &cause), VAULT_AUTH);
	assert_int_equal(calls, 2);
	want = xasprintf("cannot unlock %s: wrong passphrase or damaged file", e->path);
	assert_string_equal(cause, want);
	free(cause);
	/* An interactive source is asked VAULT_UNLOCK_TRIES times, same message. */
	assert_int_equal(vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_AUTH);
	assert_int_equal(a.calls, VAULT_UNLOCK_TRIES);
	assert_string_equal(cause, want);
	free(cause);
	assert_file_is(e->path, before, len);
	free(want);
	free(before);
}

static void
test_header_flips(void **state)
{
	struct env *e = *state;
	static const unsigned char flips[] = { 0x01, 0x80 };
	unsigned char *good, *bad;
	size_t len, i, f;

	TEST_BUILD_ONLY();

	make_vault(e, 1);
	good = read_all(e->path, &len);
	bad = xmalloc(len);
	for (i = 0; i < VAULT_HEADER_SIZE; i++) {
		for (f = 0; f < sizeof flips; f++) {
			memcpy(bad, good, len);
			bad[i] ^= flips[f];
			write_all(e->path, bad, len, 0600);
			if (try_unlock(e->path, PASS, NULL, NULL) == VAULT_OK)
				fail_msg("header byte %zu ^ 0x%02x was accepted", i, flips[f]);
			assert_file_is(e->path, bad, len);
		}
	}
	/* And a flipped ciphertext byte or two. */
	for (i = VAULT_HEADER_SIZE; i < len; i += (len - VAULT_HEADER_SIZE) / 3) {
		memcpy(bad, good, len);
		bad[i] ^= 0x01;
		write_all(e->path, bad, len, 0600);
		assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_AUTH);
		assert_file_is(e->path, bad, len);
	}
	free(bad);
	free(good);
}

static void
test_truncations(void **state)
{
	struct env *e = *state;
	unsigned char *good;
	size_t len, n;
	int calls, status;

	copy_fixture(e);
	good = read_all(e->path, &len);
	for (n = 0; n < len; n++) {
		write_all(e->path, good, n, 0600);
		status = try_unlock(e->path, PASS, &calls, NULL);
		if (status != VAULT_AUTH && status != VAULT_FORMAT)
			fail_msg("truncation to %zu bytes gave status %d", n, status);
		/* Caught before the KDF: the passphrase is not even asked for. */
		assert_int_equal(calls, 0);
		assert_file_is(e->path, good, n);
	}
	free(good);
}

static void
test_appended(void **state)
{
	struct env *e = *state;
	unsigned char *good, *bad;
	size_t len;
	int calls;

	copy_fixture(e);
	good = read_all(e->path, &len);
	bad = xmalloc(len + 1);
	memcpy(bad, good, len);
	bad[len] = 0;
	write_all(e->path, bad, len + 1, 0600);
	assert_int_equal(try_unlock(e->path, PASS, &calls, NULL), VAULT_AUTH);
	assert_int_equal(calls, 0);
	assert_file_is(e->path, bad, len + 1);
	free(bad);
	free(good);
}

/* Writes good with a patched little-endian field and expects a refusal before the KDF
 * whose message contains want. */
static void
expect_refused(struct env *e, const unsigned char *good, size_t len, size_t off, int width,
    uint64_t value, const char *want)
{
	unsigned char *bad = xmalloc(len);
	char *cause = NULL;
	int calls, i;

	memcpy(bad, good, len);
	for (i = 0; i < width; i++)
		bad[off + (size_t)i] = (unsigned char)(value >> (8 * i));
	write_all(e->path, bad, len, 0600);
	assert_int_equal(try_unlock(e->path, PASS, &calls, &cause), VAULT_FORMAT);
	assert_int_equal(calls, 0);
	if (strstr(cause, want) == NULL)
		fail_msg("message '%s' lacks '%s'", cause, want);
	free(cause);
	assert_file_is(e->path, bad, len);
	free(bad);
}

static void
test_kdf_bounds(void **state)
{
	struct env *e = *state;
	const struct vault_kdf_limits *l = vault_kdf_limits();
	unsigned char *good;
	size_t len;

	copy_fixture(e);
	good = read_all(e->path, &len);
	expect_refused(e, good, len, 12, 4, l->ops_min - 1, "outside the allowed range");
	expect_refused(e, good, len, 12, 4, l->ops_max + 1, "outside the allowed range");
	expect_refused(e, good, len, 12, 4, 0xFFFFFFFFu, "outside the allowed range");
	expect_refused(e, good, len, 16, 8, l->mem_min - 1, "outside the allowed range");
	expect_refused(e, good, len, 16, 8, l->mem_max + 1, "outside the allowed range");
	expect_refused(e, good, len, 16, 8, UINT64_MAX, "outside the allowed range");
	free(good);
	/* This build's bounds are ordered. */
	assert_true(l->ops_min >= 1 && l->ops_min <= l->ops_default &&
	    l->ops_default <= l->ops_max);
	assert_true(l->mem_min <= l->mem_default && l->mem_default <= l->mem_max);
	assert_true(l->ops_max <= VAULT_KDF_OPS_MAX && l->mem_max <= VAULT_KDF_MEM_MAX);
	/* The production parameters, whatever this build uses: a default of at least 3
	 * passes over 256 MiB; a floor above OWASP's minimum for Argon2id (2 passes over
	 * 19 MiB); a ceiling that bounds what a header can make us spend; and files of
	 * earlier versions (the fixture: 3 passes over 64 MiB) within the bounds. */
	assert_true(VAULT_KDF_OPS_DEFAULT >= 3 && VAULT_KDF_MEM_DEFAULT >= 256ULL << 20);
	assert_true(VAULT_KDF_OPS_MIN >= 2 && VAULT_KDF_MEM_MIN >= 19ULL << 20);
	assert_true(VAULT_KDF_OPS_MIN <= VAULT_KDF_OPS_DEFAULT &&
	    VAULT_KDF_OPS_DEFAULT <= VAULT_KDF_OPS_MAX);
	assert_true(VAULT_KDF_MEM_MIN <= VAULT_KDF_MEM_DEFAULT &&
	    VAULT_KDF_MEM_DEFAULT <= VAULT_KDF_MEM_MAX);
	assert_true(VAULT_KDF_OPS_MAX <= 10 && VAULT_KDF_MEM_MAX <= 1ULL << 30);
	assert_true(VAULT_KDF_OPS_MIN <= KAT_OPS && KAT_OPS <= VAULT_KDF_OPS_MAX);
	assert_true(VAULT_KDF_MEM_MIN <= KAT_MEM && KAT_MEM <= VAULT_KDF_MEM_MAX);
#ifndef IOTDECK_VAULT_TEST_KDF
	assert_true(l->ops_min == VAULT_KDF_OPS_MIN && l->ops_default == VAULT_KDF_OPS_DEFAULT &&
	    l->ops_max == VAULT_KDF_OPS_MAX);
	assert_true(l->mem_min == VAULT_KDF_MEM_MIN && l->mem_default == VAULT_KDF_MEM_DEFAULT &&
	    l->mem_max == VAULT_KDF_MEM_MAX);
#endif
}

/* A file with other KDF parameters (here cheap ones; tests/integration/vault_kdf.sh does
 * the same with the fixture and the real binary) is re-sealed with the current defaults
 * by its next save; unlocking alone changes nothing. */
#ifdef IOTDECK_VAULT_TEST_KDF
static uint64_t
header_field(const unsigned char *p, int n)
{
	uint64_t x = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

static void
test_kdf_upgrade(void **state)
{
	struct env *e = *state;
	const struct vault_kdf_limits *l = vault_kdf_limits();
	const uint32_t old_ops = l->ops_default + 1;
	const uint64_t old_mem = l->mem_default * 2;
	struct ask a = { PASS, 0, 0 };
	unsigned char salt[16] = { 1 }, nonce[24] = { 2 }, *old = NULL, *now;
	char plain[256], *cause = NULL;
	struct vault *v = NULL;
	size_t oldlen, len;
	uint64_t mem;
	uint32_t ops;

	memset(plain, ' ', sizeof plain);
	memcpy(plain, "{\"format\":1,\"profiles\":[]}", 26);
	assert_int_equal(vault_test_seal(PASS, strlen(PASS), old_ops, old_mem, salt, nonce,
	    plain, sizeof plain, &old, &oldlen, &cause), VAULT_OK);
	write_all(e->path, old, oldlen, 0600);
	assert_int_equal(vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	vault_kdf_params(v, &ops, &mem);
	assert_int_equal(ops, old_ops);
	assert_int_equal(mem, old_mem);
	assert_file_is(e->path, old, oldlen);
	assert_int_equal(vault_save(v, 0, &cause), VAULT_OK);
	vault_kdf_params(v, &ops, &mem);
	assert_int_equal(ops, l->ops_default);
	assert_int_equal(mem, l->mem_default);
	vault_close(v);
	now = read_all(e->path, &len);
	assert_int_equal(header_field(now + 12, 4), l->ops_default);
	assert_int_equal(header_field(now + 16, 8), l->mem_default);
	assert_int_equal(count_profiles(e->path), 0);
	free(old);
	free(now);
}
#endif

static void
test_unknown_fields(void **state)
{
	struct env *e = *state;
	unsigned char *good;
	size_t len;

	copy_fixture(e);
	good = read_all(e->path, &len);
	expect_refused(e, good, len, 8, 2, 2, "unsupported vault format version 2");
	expect_refused(e, good, len, 8, 2, 0, "unsupported vault format version 0");
	expect_refused(e, good, len, 10, 1, 2, "unknown key derivation algorithm");
	expect_refused(e, good, len, 11, 1, 0, "unknown encryption algorithm");
	expect_refused(e, good, len, 72, 1, 1, "reserved");
	expect_refused(e, good, len, 79, 1, 0x80, "reserved");
	expect_refused(e, good, len, 0, 1, 'X', "not an iotdeck vault");
	free(good);
}

static void
test_too_large(void **state)
{
	struct env *e = *state;
	unsigned char *big = xcalloc(1, VAULT_FILE_MAX + 1);
	char *cause = NULL;
	int calls;

	write_all(e->path, big, VAULT_FILE_MAX + 1, 0600);
	assert_int_equal(try_unlock(e->path, PASS, &calls, &cause), VAULT_FORMAT);
	assert_non_null(strstr(cause, "too large"));
	assert_int_equal(calls, 0);
	free(cause);
	free(big);
}

static void
test_bad_permissions(void **state)
{
	struct env *e = *state;
	unsigned char *good;
	char *cause = NULL;
	size_t len;
	int calls;

	copy_fixture(e);
	good = read_all(e->path, &len);
	chmod(e->path, 0640);
	assert_int_equal(try_unlock(e->path, PASS, &calls, &cause), VAULT_UNSAFE);
	assert_non_null(strstr(cause, "chmod 600"));
	assert_int_equal(calls, 0);
	free(cause);
	chmod(e->path, 0604);
	assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_UNSAFE);
	chmod(e->path, 0600);

	chmod(e->dir, 0750);
	assert_int_equal(try_unlock(e->path, PASS, &calls, &cause), VAULT_UNSAFE);
	assert_non_null(strstr(cause, "chmod 700"));
	free(cause);
	chmod(e->dir, 0701);
	assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_UNSAFE);
	chmod(e->dir, 0700);

	if (geteuid() == 0) {
		/* Root can make the file someone else's: refused, and no chown advised. */
		assert_int_equal(chown(e->path, 4242, (gid_t)-1), 0);
		assert_int_equal(try_unlock(e->path, PASS, NULL, &cause), VAULT_UNSAFE);
		assert_non_null(strstr(cause, "belongs to uid 4242"));
		assert_null(strstr(cause, "chown"));
		assert_null(strstr(cause, "chmod"));
		free(cause);
		assert_int_equal(chown(e->path, 0, (gid_t)-1), 0);
	}
	assert_file_is(e->path, good, len);
	assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_OK);
	free(good);
}

/* Expects the vault in e->dir refused, with a private directory to use and no chmod or
 * chown advised; want is a word of the reason. */
static void
expect_no_change_advised(struct env *e, const char *want)
{
	char *cause = NULL, *new = xasprintf("%s/new", e->dir);
	struct vault *v = NULL;

	assert_int_equal(try_unlock(e->path, PASS, NULL, &cause), VAULT_UNSAFE);
	if (strstr(cause, want) == NULL || strstr(cause, "chmod") != NULL ||
	    strstr(cause, "chown") != NULL || strstr(cause, "mkdir -m 700") == NULL)
		fail_msg("unlock in %s: %s", e->dir, cause);
	free(cause);
	cause = NULL;
	/* Creating a vault there gives the same advice and leaves nothing behind. */
	assert_int_equal(vault_create(&v, new, secret_from(PASS, strlen(PASS)), &cause),
	    VAULT_UNSAFE);
	if (strstr(cause, want) == NULL || strstr(cause, "chmod") != NULL ||
	    strstr(cause, "mkdir -m 700") == NULL)
		fail_msg("create in %s: %s", e->dir, cause);
	free(cause);
	assert_int_equal(access(new, F_OK), -1);
	free(new);
}

/* Never advise changing a directory that is shared (sticky, or writable by group or
 * others: "vault init --vault /tmp/x" once advised "chmod 700 /tmp"), that is someone
 * else's, or that is the home directory: refuse and name a private directory. */
static void
test_shared_dir_advice(void **state)
{
	struct env *e = *state;
	char *cause = NULL, *home = getenv("HOME") != NULL ? xstrdup(getenv("HOME")) : NULL;

	copy_fixture(e);
	chmod(e->dir, 01777);
	expect_no_change_advised(e, "sticky");
	chmod(e->dir, 0777);
	expect_no_change_advised(e, "shared");
	chmod(e->dir, 0770);
	expect_no_change_advised(e, "shared");
	chmod(e->dir, 0703);
	expect_no_change_advised(e, "shared");
	/* Only an own directory that is merely readable gets a chmod. */
	chmod(e->dir, 0755);
	assert_int_equal(try_unlock(e->path, PASS, NULL, &cause), VAULT_UNSAFE);
	assert_non_null(strstr(cause, "chmod 700"));
	free(cause);
	/* Not when it is the home directory. */
	setenv("HOME", e->dir, 1);
	expect_no_change_advised(e, "home directory");
	if (home != NULL)
		setenv("HOME", home, 1);
	else
		unsetenv("HOME");
	chmod(e->dir, 0700);
	if (geteuid() == 0) {
		assert_int_equal(chown(e->dir, 4242, (gid_t)-1), 0);
		expect_no_change_advised(e, "belongs to uid 4242");
		assert_int_equal(chown(e->dir, 0, (gid_t)-1), 0);
	}
	assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_OK);
	free(home);
}

static void
test_symlink(void **state)
{
	struct env *e = *state;
	char *link = xasprintf("%s/link", e->dir), *real = xasprintf("%s/real", e->dir);
	char *dlink = xasprintf("%s/dlink", e->dir), *via = xasprintf("%s/dlink/vault", e->dir);
	char *cause = NULL;
	int calls;

	copy_fixture(e);
	assert_int_equal(symlink(e->path, link), 0);
	assert_int_equal(try_unlock(link, PASS, &calls, &cause), VAULT_UNSAFE);
	assert_non_null(strstr(cause, "symbolic link"));
	assert_int_equal(calls, 0);
	free(cause);

	/* The directory as a symlink. */
	assert_int_equal(symlink(e->dir, dlink), 0);
	assert_int_equal(try_unlock(via, PASS, &calls, &cause), VAULT_UNSAFE);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_OK);
	free(link);
	free(real);
	free(dlink);
	free(via);
}

static void
test_missing(void **state)
{
	struct env *e = *state;
	char *cause = NULL, *nodir = xasprintf("%s/none/vault", e->dir);

	assert_int_equal(try_unlock(e->path, PASS, NULL, &cause), VAULT_NOENT);
	assert_non_null(strstr(cause, "vault init"));
	free(cause);
	assert_int_equal(try_unlock(nodir, PASS, NULL, NULL), VAULT_NOENT);
	free(nodir);
}

/* ------------------------------------------------------------------------------------ */
/* Lock, replaced file. */

static void
test_lock(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	struct vault *v1 = NULL, *v2 = NULL;
	char *cause = NULL;
	pid_t pid;
	int st;

	TEST_BUILD_ONLY();

	make_vault(e, 1);
	assert_int_equal(vault_unlock(&v1, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	/* A second writer, in this process and in another, is refused at once. */
	a.calls = 0;
	assert_int_equal(vault_unlock(&v2, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_BUSY);
	assert_non_null(strstr(cause, "another iotdeck"));
	assert_int_equal(a.calls, 0);
	free(cause);
	cause = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct vault *v3 = NULL;

		_exit(vault_unlock(&v3, e->path, VAULT_WRITE, ask_fixed, &a, NULL) ==
		    VAULT_BUSY ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Readers are not blocked. */
	assert_int_equal(try_unlock(e->path, PASS, NULL, NULL), VAULT_OK);
	vault_close(v1);
	assert_int_equal(vault_unlock(&v2, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	vault_close(v2);
}

static void
test_replaced_since_unlock(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	struct vault *v = NULL;
	unsigned char *data;
	char *cause = NULL;
	size_t len;

	TEST_BUILD_ONLY();

	make_vault(e, 1);
	data = read_all(e->path, &len);
	assert_int_equal(vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	write_all(e->path, data, len, 0600);	/* a new inode, same bytes */
	assert_int_equal(vault_save(v, 0, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "replaced"));
	free(cause);
	vault_close(v);
	free(data);
}

/* ------------------------------------------------------------------------------------ */
/* Crash and disk full (hooks exist only in the test build). */

#ifdef IOTDECK_VAULT_TEST_KDF
static enum vault_test_point crash_at;

static void
crash_hook(enum vault_test_point pt)
{
	if (pt == crash_at)
		raise(SIGKILL);
}

/* In a child: opens the vault, adds a profile and saves, killed at pt. */
static void
crash_child(struct env *e, enum vault_test_point pt)
{
	struct ask a = { PASS, 0, 0 };
	struct vault *v = NULL;
	struct vault_profile *p;
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		crash_at = pt;
		vault_test_hook = crash_hook;
		if (vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, NULL) != VAULT_OK)
			_exit(3);
		p = mkprofile("new", "LTAInew", "newnewnewnewnewnew");
		vault_profile_put(v, p, 0, NULL);
		vault_profile_free(p);
		vault_save(v, 0, NULL);
		_exit(4);	/* not reached */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
}

static void
test_crash(void **state)
{
	struct env *e = *state;
	unsigned char *before;
	size_t len;

	make_vault(e, 1);
	before = read_all(e->path, &len);

	/* Killed between write and rename: the old vault, intact. */
	crash_child(e, VAULT_TP_BEFORE_RENAME);
	assert_file_is(e->path, before, len);
	assert_int_equal(count_profiles(e->path), 1);
	assert_int_equal(count_temps(e->dir), 1);	/* left behind ... */

	/* Killed after the rename: the new vault, complete. */
	crash_child(e, VAULT_TP_AFTER_RENAME);
	assert_int_equal(count_profiles(e->path), 2);
	assert_int_equal(count_temps(e->dir), 0);	/* ... and cleaned up by the next save */
	free(before);
}

static int write_budget;	/* bytes the failing write lets through */
static int write_calls;

static long
enospc_write(int fd, const void *buf, size_t len)
{
	write_calls++;
	if (write_budget <= 0) {
		errno = ENOSPC;
		return -1;
	}
	if (len > (size_t)write_budget)
		len = (size_t)write_budget;	/* a short write first */
	write_budget -= (int)len;
	return (long)write(fd, buf, len);
}

static long
dribble_write(int fd, const void *buf, size_t len)
{
	write_calls++;
	return (long)write(fd, buf, len > 7 ? 7 : len);
}

static void
test_disk_full(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	struct vault_profile *p;
	struct vault *v = NULL;
	unsigned char *before;
	char *cause = NULL;
	size_t len;

	make_vault(e, 1);
	before = read_all(e->path, &len);
	assert_int_equal(vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	p = mkprofile("more", "LTAImore", "moremoremoremore1234");
	assert_int_equal(vault_profile_put(v, p, 0, &cause), VAULT_OK);
	vault_profile_free(p);

	write_budget = 100;
	write_calls = 0;
	vault_test_write = enospc_write;
	assert_int_equal(vault_save(v, 0, &cause), VAULT_ERR);
	vault_test_write = NULL;
	assert_true(write_calls >= 2);
	assert_non_null(strstr(cause, strerror(ENOSPC)));
	free(cause);
	cause = NULL;
	assert_file_is(e->path, before, len);
	assert_int_equal(count_temps(e->dir), 0);
	assert_int_equal(count_profiles(e->path), 1);

	/* Short writes are continued, not mistaken for success or failure. */
	write_calls = 0;
	vault_test_write = dribble_write;
	assert_int_equal(vault_save(v, 0, &cause), VAULT_OK);
	vault_test_write = NULL;
	assert_true(write_calls > 10);
	vault_close(v);
	assert_int_equal(count_profiles(e->path), 2);
	free(before);
}
#else
static void
test_crash(void **state)
{
	(void)state;
	TEST_BUILD_ONLY();
}

static void
test_disk_full(void **state)
{
	(void)state;
	TEST_BUILD_ONLY();
}
#endif

/* ------------------------------------------------------------------------------------ */
/* Payload parser, masking, idle lock, resolution, passphrase input, hardening. */

static void
expect_payload_bad(const char *json)
{
	struct vault *v = vault_new_detached();
	char *cause = NULL;

	if (vault_payload_parse(v, json, strlen(json), &cause) == VAULT_OK)
		fail_msg("payload accepted: %s", json);
	assert_non_null(cause);
	assert_int_equal(vault_profile_count(v), 0);
	free(cause);
	vault_close(v);
}

static void
test_payload(void **state)
{
	struct vault *v = vault_new_detached();
	const char *ok = "{\"format\":1,\"default\":null,\"future\":[1,2],\"profiles\":[{"
	    "\"name\":\"a\",\"access_key_id\":\"id\",\"access_key_secret\":\"s3cr3t\","
	    "\"extra\":{}}]}   ";
	char *cause = NULL;

	(void)state;
	assert_int_equal(vault_payload_parse(v, ok, strlen(ok), &cause), VAULT_OK);
	assert_int_equal(vault_profile_count(v), 1);
	assert_null(vault_default_name(v));
	vault_close(v);
	expect_payload_bad("");
	expect_payload_bad("[]");
	expect_payload_bad("{\"format\":2,\"profiles\":[]}");
	expect_payload_bad("{\"format\":1,\"profiles\":{}}");
	expect_payload_bad("{\"format\":1,\"profiles\":[]} x");
	expect_payload_bad("{\"format\":1,\"default\":\"b\",\"profiles\":[{\"name\":\"a\","
	    "\"access_key_id\":\"id\",\"access_key_secret\":\"s\"}]}");
	expect_payload_bad("{\"format\":1,\"profiles\":[{\"name\":\"a\",\"access_key_id\":"
	    "\"id\",\"access_key_secret\":\"s\"},{\"name\":\"a\",\"access_key_id\":\"id\","
	    "\"access_key_secret\":\"s\"}]}");
	expect_payload_bad("{\"format\":1,\"profiles\":[{\"name\":\"a b\",\"access_key_id\":"
	    "\"id\",\"access_key_secret\":\"s\"}]}");
	expect_payload_bad("{\"format\":1,\"profiles\":[{\"name\":\"a\",\"access_key_id\":"
	    "\"id\"}]}");
	expect_payload_bad("{\"format\":1,\"profiles\":[{\"name\":\"a\",\"access_key_id\":"
	    "\"id\",\"access_key_secret\":\"s\",\"readonly\":1}]}");
	expect_payload_bad("{\"format\":1,\"profiles\":[{\"name\":\"a\",\"access_key_id\":"
	    "\"id\",\"access_key_secret\":\"s\",\"region\":\"a\\u001bb\"}]}");
}

/* Issue 14: the kinds of profile, their fields and how they are checked. */
#define KIND_HEAD "{\"format\":1,\"profiles\":["
#define AK(name) "{\"name\":\"" name "\",\"access_key_id\":\"LTAIsrc\"," \
	"\"access_key_secret\":\"srcsecretsrcsecret\"}"
#define STS_P(extra) "{\"name\":\"t\",\"kind\":\"sts\",\"access_key_id\":\"STS.abc\"," \
	"\"access_key_secret\":\"stssecret\",\"security_token\":\"CAIStoken\"" extra "}"
#define ROLE_P(extra) "{\"name\":\"r\",\"kind\":\"ram_role\"," \
	"\"role_arn\":\"acs:ram::1234567890123456:role/iot-admin\"" extra "}"

static void
test_kinds_payload(void **state)
{
	struct vault *v = vault_new_detached();
	const struct vault_profile *p;
	const char *ok = KIND_HEAD AK("src") ","
	    STS_P(",\"expires\":1796122800,\"signature\":\"v3\"") ","
	    ROLE_P(",\"source_profile\":\"src\",\"role_session_name\":\"ops@x.y\","
	    "\"duration_seconds\":7200,\"sts_endpoint\":\"http://127.0.0.1:9\","
	    "\"signature\":\"v1\"") ","
	    "{\"name\":\"own\",\"kind\":\"ram_role\",\"access_key_id\":\"LTAIown\","
	    "\"access_key_secret\":\"ownsecretownsecret\","
	    "\"role_arn\":\"acs:ram::1:role/a.b_c-d\"}]}";
	char *cause = NULL, big[VAULT_TOKEN_MAX + 200];
	struct vault_profile *d;

	(void)state;
	if (vault_payload_parse(v, ok, strlen(ok), &cause) != VAULT_OK)
		fail_msg("%s", cause);
	assert_int_equal(vault_profile_count(v), 4);
	p = vault_profile_find(v, "src");
	assert_int_equal(p->kind, VAULT_KIND_ACCESS_KEY);	/* no "kind": an older file */
	assert_null(p->security_token);
	assert_int_equal(p->signature, 0);
	p = vault_profile_find(v, "t");
	assert_int_equal(p->kind, VAULT_KIND_STS);
	assert_string_equal(secret_reveal(p->security_token), "CAIStoken");
	secret_hide(p->security_token);
	assert_true(p->expires == 1796122800);
	assert_int_equal(p->signature, 3);
	d = vault_profile_dup(p);		/* dup covers the token and the numbers */
	assert_true(d->security_token != p->security_token);
	assert_string_equal(secret_reveal(d->security_token), "CAIStoken");
	secret_hide(d->security_token);
	assert_true(d->expires == 1796122800 && d->signature == 3 && d->kind == VAULT_KIND_STS);
	vault_profile_free(d);
	p = vault_profile_find(v, "r");
	assert_int_equal(p->kind, VAULT_KIND_RAM_ROLE);
	assert_null(p->access_key_id);
	assert_null(p->access_key_secret);
	assert_string_equal(p->source_profile, "src");
	assert_string_equal(p->role_arn, "acs:ram::1234567890123456:role/iot-admin");
	assert_string_equal(p->role_session_name, "ops@x.y");
	assert_int_equal(p->duration_s, 7200);
	assert_string_equal(p->sts_endpoint, "http://127.0.0.1:9");
	assert_int_equal(p->signature, 1);
	d = vault_profile_dup(p);
	assert_string_equal(d->source_profile, "src");
	assert_string_equal(d->role_session_name, "ops@x.y");
	assert_string_equal(d->sts_endpoint, "http://127.0.0.1:9");
	assert_int_equal(d->duration_s, 7200);
	assert_null(d->access_key_secret);
	vault_profile_free(d);
	p = vault_profile_find(v, "own");
	assert_string_equal(p->access_key_id, "LTAIown");
	assert_null(p->source_profile);
	/* The source of a role stays an access_key profile and cannot be removed. */
	d = mkprofile("src", "STS.x", "s3cr3ts3cr3t");
	d->kind = VAULT_KIND_STS;
	d->security_token = secret_from("tok", 3);
	assert_int_equal(vault_profile_put(v, d, 1, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "source profile of r"));
	free(cause);
	cause = NULL;
	vault_profile_free(d);
	assert_int_equal(vault_profile_remove(v, "src", &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "remove r first"));
	free(cause);
	cause = NULL;
	/* A new role naming a missing source, or an sts one, is refused. */
	d = xcalloc(1, sizeof *d);
	d->name = xstrdup("r2");
	d->kind = VAULT_KIND_RAM_ROLE;
	d->role_arn = xstrdup("acs:ram::1:role/x");
	d->source_profile = xstrdup("nosuch");
	assert_int_equal(vault_profile_put(v, d, 0, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "not in the vault"));
	free(cause);
	cause = NULL;
	xstrset(&d->source_profile, "t");
	assert_int_equal(vault_profile_put(v, d, 0, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "must be an access_key profile"));
	free(cause);
	cause = NULL;
	xstrset(&d->source_profile, "src");
	assert_int_equal(vault_profile_put(v, d, 0, &cause), VAULT_OK);
	vault_profile_free(d);
	assert_int_equal(vault_profile_remove(v, "r", &cause), VAULT_OK);
	assert_int_equal(vault_profile_remove(v, "r2", &cause), VAULT_OK);
	assert_int_equal(vault_profile_remove(v, "src", &cause), VAULT_OK);
	vault_close(v);

	/* Refusals, each in an otherwise valid payload. */
	expect_payload_bad(KIND_HEAD "{\"name\":\"t\",\"kind\":\"sts2\",\"access_key_id\":"
	    "\"STS.abc\",\"access_key_secret\":\"stssecret\",\"security_token\":\"x\"}]}");
	expect_payload_bad(KIND_HEAD "{\"name\":\"t\",\"kind\":\"sts\",\"access_key_id\":"
	    "\"STS.abc\",\"access_key_secret\":\"stssecret\"}]}");	/* no token */
	expect_payload_bad(KIND_HEAD "{\"name\":\"t\",\"kind\":\"sts\",\"access_key_secret\":"
	    "\"stssecret\",\"security_token\":\"CAIS\"}]}");		/* no id */
	expect_payload_bad(KIND_HEAD "{\"name\":\"t\",\"kind\":\"sts\",\"access_key_id\":"
	    "\"STS.abc\",\"access_key_secret\":\"stssecret\",\"security_token\":\"a b\"}]}");
	expect_payload_bad(KIND_HEAD STS_P(",\"expires\":-1") "]}");
	expect_payload_bad(KIND_HEAD STS_P(",\"expires\":1.5") "]}");
	expect_payload_bad(KIND_HEAD STS_P(",\"expires\":\"2026\"") "]}");
	expect_payload_bad(KIND_HEAD STS_P(",\"signature\":\"v2\"") "]}");
	expect_payload_bad(KIND_HEAD STS_P(",\"signature\":3") "]}");
	expect_payload_bad(KIND_HEAD STS_P(",\"role_arn\":\"acs:ram::1:role/x\"") "]}");
	expect_payload_bad(KIND_HEAD AK("a") "," "{\"name\":\"b\",\"access_key_id\":\"x\","
	    "\"access_key_secret\":\"y\",\"security_token\":\"z\"}]}");
	expect_payload_bad(KIND_HEAD AK("a") "," "{\"name\":\"b\",\"access_key_id\":\"x\","
	    "\"access_key_secret\":\"y\",\"expires\":5}]}");
	expect_payload_bad(KIND_HEAD "{\"name\":\"r\",\"kind\":\"ram_role\","
	    "\"access_key_id\":\"x\",\"access_key_secret\":\"y\"}]}");	/* no ARN */
	expect_payload_bad(KIND_HEAD ROLE_P("") "]}");		/* no AccessKey, no source */
	expect_payload_bad(KIND_HEAD ROLE_P(",\"access_key_id\":\"x\"") "]}");
	expect_payload_bad(KIND_HEAD AK("s") "," ROLE_P(",\"source_profile\":\"s\","
	    "\"access_key_id\":\"x\",\"access_key_secret\":\"y\"") "]}");	/* both */
	expect_payload_bad(KIND_HEAD ROLE_P(",\"source_profile\":\"nosuch\"") "]}");
	expect_payload_bad(KIND_HEAD ROLE_P(",\"source_profile\":\"r\"") "]}");
	expect_payload_bad(KIND_HEAD STS_P("") "," ROLE_P(",\"source_profile\":\"t\"") "]}");
	expect_payload_bad(KIND_HEAD AK("s") "," ROLE_P(",\"source_profile\":\"s\","
	    "\"duration_seconds\":899") "]}");
	expect_payload_bad(KIND_HEAD AK("s") "," ROLE_P(",\"source_profile\":\"s\","
	    "\"duration_seconds\":43201") "]}");
	expect_payload_bad(KIND_HEAD AK("s") "," ROLE_P(",\"source_profile\":\"s\","
	    "\"role_session_name\":\"x\"") "]}");
	expect_payload_bad(KIND_HEAD AK("s") "," ROLE_P(",\"source_profile\":\"s\","
	    "\"role_session_name\":\"a b\"") "]}");
	expect_payload_bad(KIND_HEAD AK("s") "," ROLE_P(",\"source_profile\":\"s\","
	    "\"sts_endpoint\":\"a b\"") "]}");
	expect_payload_bad(KIND_HEAD AK("s") ",{\"name\":\"r\",\"kind\":\"ram_role\","
	    "\"source_profile\":\"s\",\"role_arn\":\"acs:ram::12a:role/x\"}]}");
	/* A token longer than VAULT_TOKEN_MAX is refused, not truncated. */
	{
		char *json;

		memset(big, 'A', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		json = xasprintf(KIND_HEAD "{\"name\":\"t\",\"kind\":\"sts\",\"access_key_id\":"
		    "\"STS.a\",\"access_key_secret\":\"s\",\"security_token\":\"%s\"}]}", big);
		expect_payload_bad(json);
		free(json);
		big[VAULT_TOKEN_MAX] = '\0';	/* exactly the limit: fine */
		json = xasprintf(KIND_HEAD "{\"name\":\"t\",\"kind\":\"sts\",\"access_key_id\":"
		    "\"STS.a\",\"access_key_secret\":\"s\",\"security_token\":\"%s\"}]}", big);
		v = vault_new_detached();
		assert_int_equal(vault_payload_parse(v, json, strlen(json), &cause), VAULT_OK);
		assert_int_equal(secret_len(vault_profile_find(v, "t")->security_token),
		    VAULT_TOKEN_MAX);
		vault_close(v);
		free(json);
	}
}

static void
test_kinds_names(void **state)
{
	static const char *const arn_ok[] = { "acs:ram::1:role/a",
	    "acs:ram::1234567890123456:role/AliyunIOTAccessingRole", "acs:ram::5:role/a.b_c-d" };
	static const char *const arn_bad[] = { "", "acs:ram::", "acs:ram:::role/a",
	    "acs:ram::1:role/", "acs:ram::1:role/a/b", "acs:ram::1:user/a", "acs:ram:1:role/a",
	    "acs:ram::1:role/a b", "ACS:ram::1:role/a", "acs:ram::x1:role/a",
	    "acs:ram::1:role/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
	static const char *const sess_ok[] = { "ab", "iotdeck", "a.b@c_d-e",
	    "0123456789012345678901234567890123456789012345678901234567890123" };
	static const char *const sess_bad[] = { "", "a", "a b", "a/b", "a:b", "é1",
	    "01234567890123456789012345678901234567890123456789012345678901234" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof arn_ok / sizeof *arn_ok; i++)
		if (!sts_role_arn_valid(arn_ok[i]))
			fail_msg("refused ARN %s", arn_ok[i]);
	for (i = 0; i < sizeof arn_bad / sizeof *arn_bad; i++)
		if (sts_role_arn_valid(arn_bad[i]))
			fail_msg("accepted ARN %s", arn_bad[i]);
	for (i = 0; i < sizeof sess_ok / sizeof *sess_ok; i++)
		assert_true(sts_session_name_valid(sess_ok[i]));
	for (i = 0; i < sizeof sess_bad / sizeof *sess_bad; i++)
		if (sts_session_name_valid(sess_bad[i]))
			fail_msg("accepted session name %s", sess_bad[i]);
	assert_string_equal(vault_kind_name(VAULT_KIND_ACCESS_KEY), "access_key");
	assert_string_equal(vault_kind_name(VAULT_KIND_STS), "sts");
	assert_string_equal(vault_kind_name(VAULT_KIND_RAM_ROLE), "ram_role");
}

/* Every new field survives a save and an unlock (through the sealed file). */
static void
test_kinds_roundtrip(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	const struct vault_profile *p;
	struct vault_profile *np;
	struct vault *v = NULL;
	char *cause = NULL;

	TEST_BUILD_ONLY();
	make_vault(e, 1);
	assert_int_equal(vault_unlock(&v, e->path, VAULT_WRITE, ask_fixed, &a, &cause),
	    VAULT_OK);
	np = mkprofile("sts1", "STS.NTexample", "stsSecretStsSecret");
	np->kind = VAULT_KIND_STS;
	np->security_token = secret_from("CAISexampletoken==", 18);
	np->expires = 1796122800;
	np->signature = 3;
	assert_int_equal(vault_profile_put(v, np, 0, &cause), VAULT_OK);
	vault_profile_free(np);
	np = xcalloc(1, sizeof *np);
	np->name = xstrdup("role1");
	np->kind = VAULT_KIND_RAM_ROLE;
	np->role_arn = xstrdup("acs:ram::123:role/iot");
	np->source_profile = xstrdup("p0");
	np->role_session_name = xstrdup("deck");
	np->duration_s = 900;
	np->sts_endpoint = xstrdup("https://sts.cn-shanghai.aliyuncs.com");
	np->region = xstrdup("cn-shanghai");
	assert_int_equal(vault_profile_put(v, np, 0, &cause), VAULT_OK);
	vault_profile_free(np);
	assert_int_equal(vault_save(v, 0, &cause), VAULT_OK);
	vault_close(v);
	v = NULL;
	assert_int_equal(vault_unlock(&v, e->path, VAULT_READ, ask_fixed, &a, &cause),
	    VAULT_OK);
	assert_int_equal(vault_profile_count(v), 3);
	p = vault_profile_find(v, "sts1");
	assert_int_equal(p->kind, VAULT_KIND_STS);
	assert_string_equal(secret_reveal(p->security_token), "CAISexampletoken==");
	secret_hide(p->security_token);
	assert_true(p->expires == 1796122800);
	assert_int_equal(p->signature, 3);
	p = vault_profile_find(v, "role1");
	assert_int_equal(p->kind, VAULT_KIND_RAM_ROLE);
	assert_string_equal(p->role_arn, "acs:ram::123:role/iot");
	assert_string_equal(p->source_profile, "p0");
	assert_string_equal(p->role_session_name, "deck");
	assert_int_equal(p->duration_s, 900);
	assert_string_equal(p->sts_endpoint, "https://sts.cn-shanghai.aliyuncs.com");
	assert_null(p->access_key_secret);
	assert_int_equal(p->signature, 0);
	assert_int_equal(vault_profile_find(v, "p0")->kind, VAULT_KIND_ACCESS_KEY);
	vault_close(v);
}

/* --expires and the "41 min left" texts (vault/expiry.h), at a fixed now. */
static void
test_expiry(void **state)
{
	const int64_t now = 1796115600;	/* 2026-12-01T09:00:00Z */
	char *cause = NULL, out[VAULT_EXPIRY_TEXT_MAX];
	int64_t t = 0;

	(void)state;
	assert_int_equal(vault_expiry_parse("2026-12-01T11:00:00Z", now, &t, &cause), 0);
	assert_true(t == now + 7200);
	assert_int_equal(vault_expiry_parse("2026-12-01T11:00:00.000Z", now, &t, &cause), 0);
	assert_true(t == now + 7200);
	assert_int_equal(vault_expiry_parse("2026-12-01T19:00:00+08:00", now, &t, &cause), 0);
	assert_true(t == now + 7200);
	assert_int_equal(vault_expiry_parse("2026-12-01T11:00Z", now, &t, &cause), 0);
	assert_true(t == now + 7200);
	assert_int_equal(vault_expiry_parse("45m", now, &t, &cause), 0);
	assert_true(t == now + 2700);
	assert_int_equal(vault_expiry_parse("2h", now, &t, &cause), 0);
	assert_true(t == now + 7200);
	assert_int_equal(vault_expiry_parse("1d", now, &t, &cause), 0);
	assert_true(t == now + 86400);
	assert_int_equal(vault_expiry_parse("90s", now, &t, &cause), 0);
	assert_true(t == now + 90);
	{
		static const char *const bad[] = { "", "45", "m", "45x", "-5m", "0m", "4 5m",
		    "1.5h", "367d", "99999999999999999999d", "2026-12-01T11:00:00",
		    "2026-12-01 11:00:00", "2026-13-01T11:00:00Z", "tomorrow",
		    "2026-12-01T08:59:59Z", "2026-12-01T09:00:00Z", "1796122800" };
		size_t i;

		for (i = 0; i < sizeof bad / sizeof *bad; i++) {
			if (vault_expiry_parse(bad[i], now, &t, &cause) == 0)
				fail_msg("--expires '%s' accepted", bad[i]);
			assert_non_null(cause);
			free(cause);
			cause = NULL;
		}
	}
	assert_int_equal(vault_expiry_parse("2026-12-01T08:57:00Z", now, &t, &cause), -1);
	assert_non_null(strstr(cause, "has passed (3 min ago)"));
	free(cause);
	cause = NULL;

	assert_string_equal(vault_expiry_text(now + 41 * 60, now, out, sizeof out),
	    "expires 2026-12-01 09:41 UTC, 41 min left");
	assert_string_equal(vault_expiry_text(now - 180, now, out, sizeof out),
	    "EXPIRED 3 min ago (2026-12-01 08:57 UTC)");
	assert_string_equal(vault_expiry_text(0, now, out, sizeof out), "expiry unknown");
	assert_string_equal(vault_span_text(42, out, sizeof out), "42 s");
	assert_string_equal(vault_span_text(44 * 60 + 58, out, sizeof out), "45 min");
	assert_string_equal(vault_span_text(5 * 3600 + 12 * 60, out, sizeof out), "5 h 12 min");
	assert_string_equal(vault_span_text(3 * 86400 + 4 * 3600 + 50, out, sizeof out),
	    "3 d 4 h");
}

/* The import readers (vault/import.c) over the fixtures of tests/fixtures/import. */
struct msgs {
	char	*all;		/* every message, one a line */
};

static void
collect(void *arg, const char *msg)
{
	struct msgs *m = arg;
	char *n = xasprintf("%s%s\n", m->all != NULL ? m->all : "", msg);

	free(m->all);
	m->all = n;
}

static const struct vault_profile *
listed(const struct import_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->prof[i]->name, name) == 0)
			return l->prof[i];
	return NULL;
}

static void
test_import_aliyun(void **state)
{
	struct msgs m = { NULL };
	const struct import_report r = { collect, &m };
	const struct vault_profile *p;
	struct import_list l;
	char n1[] = "ak", n2[] = "nosuch", *names[] = { n1, n2 }, *path, *current = NULL;
	const int64_t now = 1796115600;

	(void)state;
	memset(&l, 0, sizeof l);
	path = xasprintf("%s/import/aliyun-config.json", testutil_fixture_dir());
	assert_int_equal(import_aliyun_read(path, NULL, 0, now, &l, &current, &r), 0);
	assert_string_equal(current, "ak");
	assert_int_equal(l.n, 5);	/* ak ststok role chain badrole */
	p = listed(&l, "ak");
	assert_int_equal(p->kind, VAULT_KIND_ACCESS_KEY);
	assert_string_equal(p->region, "cn-shanghai");
	assert_string_equal(secret_reveal(p->access_key_secret), "importSecretAK00000000000000aaaa");
	secret_hide(p->access_key_secret);
	p = listed(&l, "ststok");
	assert_int_equal(p->kind, VAULT_KIND_STS);
	assert_true(p->expires == 4102444800);
	assert_string_equal(secret_reveal(p->security_token), "CAISimportTokenSTS000000000000cccc");
	secret_hide(p->security_token);
	p = listed(&l, "role");
	assert_int_equal(p->kind, VAULT_KIND_RAM_ROLE);
	assert_string_equal(p->role_session_name, "deck");
	assert_int_equal(p->duration_s, 1800);
	assert_string_equal(p->sts_endpoint, "https://sts.cn-hangzhou.aliyuncs.com");
	assert_non_null(p->access_key_secret);
	p = listed(&l, "chain");
	assert_string_equal(p->source_profile, "ak");
	assert_null(p->access_key_id);
	assert_null(p->access_key_secret);
	/* badrole is read (the vault refuses its ARN); stsold and ecs are not. */
	assert_null(listed(&l, "stsold"));
	assert_null(listed(&l, "ecs"));
	assert_non_null(strstr(m.all, "skipping aliyun profile stsold: its token expired at "
	    "2020-01-01 00:00 UTC\n"));
	assert_non_null(strstr(m.all, "skipping aliyun profile ecs: mode EcsRamRole is not "
	    "imported"));
	assert_null(strstr(m.all, "importSecret"));
	import_list_free(&l);
	free(current);
	current = NULL;
	free(m.all);
	m.all = NULL;
	/* Selected by name: a missing name fails the whole import. */
	assert_int_equal(import_aliyun_read(path, names, 2, now, &l, &current, &r), -1);
	assert_non_null(strstr(m.all, "no profile named nosuch in"));
	import_list_free(&l);
	free(current);
	free(m.all);
	m.all = NULL;
	free(path);
	assert_int_equal(import_aliyun_read("/nonexistent/config.json", NULL, 0, now, &l,
	    &current, &r), -1);
	assert_non_null(strstr(m.all, "cannot read /nonexistent/config.json"));
	assert_null(current);
	free(m.all);
}

static void
test_import_credentials(void **state)
{
	struct msgs m = { NULL };
	const struct import_report r = { collect, &m };
	const struct vault_profile *p;
	struct import_list l;
	char *path, *want;

	(void)state;
	memset(&l, 0, sizeof l);
	path = xasprintf("%s/import/credentials", testutil_fixture_dir());
	assert_int_equal(import_credentials_read(path, &l, &r), 0);
	assert_int_equal(l.n, 3);	/* default tmp assume */
	p = listed(&l, "default");
	assert_int_equal(p->kind, VAULT_KIND_ACCESS_KEY);
	assert_string_equal(p->region, "cn-shenzhen");
	assert_string_equal(secret_reveal(p->access_key_secret), "importSecretCRED00000000000hhhh");
	secret_hide(p->access_key_secret);
	p = listed(&l, "tmp");
	assert_int_equal(p->kind, VAULT_KIND_STS);
	assert_true(p->expires == 0);
	assert_string_equal(secret_reveal(p->security_token), "CAISimportTokenCRED0000000000jjjj");
	secret_hide(p->security_token);
	p = listed(&l, "assume");
	assert_int_equal(p->kind, VAULT_KIND_RAM_ROLE);
	assert_string_equal(p->role_arn, "acs:ram::1234567890123456:role/iot-admin");
	assert_string_equal(p->role_session_name, "iotdeck-import");
	assert_int_equal(p->duration_s, 3600);
	assert_string_equal(secret_reveal(p->access_key_secret), "importSecretCROLE000000000kkkk");
	secret_hide(p->access_key_secret);
	want = xasprintf("%s:14 [assume]", path);
	assert_string_equal(l.where[2], want);
	free(want);
	want = xasprintf("%s:22: skipping [limited]: it has a policy", path);
	assert_non_null(strstr(m.all, want));
	free(want);
	want = xasprintf("%s:38: not a [section]", path);
	assert_non_null(strstr(m.all, want));
	free(want);
	assert_null(strstr(m.all, "importSecret"));
	assert_null(strstr(m.all, "importBrokenLine"));
	import_list_free(&l);
	free(m.all);
	free(path);
}

static void
test_mask(void **state)
{
	struct secret *s = secret_from("abcdefghijklmnopqrstuvwxyz0123", 30);
	char out[32];

	(void)state;
	secret_mask(s, out, sizeof out);
	assert_string_equal(out, "********0123");
	secret_free(s);
	secret_mask_text("short", 5, out, sizeof out);
	assert_string_equal(out, "********");
	secret_mask_text("exactly12chr", 12, out, sizeof out);
	assert_string_equal(out, "********2chr");
	secret_mask_text("abcdefghijk\x01\x02\x03\x04", 15, out, sizeof out);
	assert_string_equal(out, "************");
	secret_mask_text("abcdefghijklmnop", 16, out, 6);
	assert_string_equal(out, "*****");
}

static void
test_secret(void **state)
{
	struct secret *a = secret_new(8), *b;

	(void)state;
	assert_int_equal(secret_append(a, "abc", 3), 0);
	assert_int_equal(secret_append(a, "\xe4\xb8\xad", 3), 0);	/* 中 */
	assert_int_equal(secret_append(a, "xyz", 3), -1);		/* full */
	assert_int_equal(secret_len(a), 6);
	secret_pop(a);
	assert_int_equal(secret_len(a), 3);
	b = secret_dup(a);
	assert_true(secret_equal(a, b));
	/* Two readers at once: the memory stays readable until both hide. */
	assert_string_equal(secret_reveal(a), "abc");
	assert_string_equal(secret_reveal(a), "abc");
	secret_hide(a);
	assert_string_equal(secret_reveal(b), "abc");
	secret_hide(b);
	secret_hide(a);
	secret_clear(b);
	assert_int_equal(secret_len(b), 0);
	assert_false(secret_equal(a, b));
	secret_free(a);
	secret_free(b);
	secret_free(NULL);
}

static void
test_path(void **state)
{
	char *p = NULL, *cause = NULL;

	(void)state;
	setenv("IOTDECK_VAULT", "/x/env-vault", 1);
	setenv("XDG_CONFIG_HOME", "/x/xdg", 1);
	setenv("HOME", "/x/home", 1);
	assert_int_equal(vault_path("/x/opt", &p, &cause), VAULT_OK);
	assert_string_equal(p, "/x/opt");
	free(p);
	assert_int_equal(vault_path(NULL, &p, &cause), VAULT_OK);
	assert_string_equal(p, "/x/env-vault");
	free(p);
	unsetenv("IOTDECK_VAULT");
	assert_int_equal(vault_path(NULL, &p, &cause), VAULT_OK);
	assert_string_equal(p, "/x/xdg/iotdeck/vault");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_int_equal(vault_path(NULL, &p, &cause), VAULT_OK);
	assert_string_equal(p, "/x/home/.config/iotdeck/vault");
	free(p);
	assert_int_equal(vault_path("/x/dir/", &p, &cause), VAULT_ERR);
	free(cause);
	unsetenv("XDG_CONFIG_HOME");
}

/* credential_resolve (cli/credentials.h): --profile, then the environment, then the
 * vault's default profile; one of the two environment variables alone is an error. */
static void
test_resolve(void **state)
{
	struct env *e = *state;
	struct ask a = { PASS, 0, 0 };
	struct credential_request req = { .vault_opt = e->path, .ask = ask_fixed, .ask_arg = &a };
	struct vault_profile *p = NULL;
	struct credential *c = NULL;
	struct api_config cfg;
	char *cause = NULL;

	TEST_BUILD_ONLY();

	make_vault(e, 2);
	unsetenv(CREDENTIAL_ENV_ID);
	unsetenv(CREDENTIAL_ENV_SECRET);
	unsetenv(CREDENTIAL_ENV_TOKEN);
	unsetenv(CREDENTIAL_ENV_REGION);

	/* 1. --profile wins, even with the environment set. */
	setenv(CREDENTIAL_ENV_ID, "LTAIenv", 1);
	setenv(CREDENTIAL_ENV_SECRET, "envsecretenvsecret", 1);
	setenv(CREDENTIAL_ENV_TOKEN, "sts-token", 1);
	req.profile = "p1";
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_OK);
	assert_int_equal(c->source, CREDENTIAL_FROM_PROFILE);
	assert_int_equal(c->kind, CREDENTIAL_ACCESS_KEY);
	assert_null(c->token);	/* the environment's token is not the profile's */
	assert_string_equal(c->name, "p1");
	assert_string_equal(secret_reveal(c->secret), "secretsecretsecret0001");
	secret_hide(c->secret);
	credential_free(c);
	req.profile = NULL;

	/* 2. Then the environment, with its token (STS) and region; the vault is not
	 * opened. */
	a.calls = 0;
	setenv(CREDENTIAL_ENV_REGION, "cn-hangzhou", 1);
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_OK);
	assert_int_equal(c->source, CREDENTIAL_FROM_ENV);
	assert_int_equal(c->kind, CREDENTIAL_STS);
	assert_int_equal(a.calls, 0);
	assert_string_equal(c->name, "env");
	assert_string_equal(c->id, "LTAIenv");
	assert_string_equal(c->token, "sts-token");
	assert_string_equal(c->region, "cn-hangzhou");
	assert_string_equal(secret_reveal(c->secret), "envsecretenvsecret");
	secret_hide(c->secret);
	/* What a run takes from it. */
	api_config_init(&cfg);
	assert_int_equal(credential_apply(c, &cfg, &cause), 0);
	assert_string_equal(cfg.access_key_id, "LTAIenv");
	assert_string_equal(cfg.security_token, "sts-token");
	assert_string_equal(cfg.profile, "env");
	api_config_free(&cfg);
	credential_free(c);
	unsetenv(CREDENTIAL_ENV_TOKEN);
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_OK);
	assert_int_equal(c->kind, CREDENTIAL_ACCESS_KEY);
	assert_null(c->token);
	credential_free(c);
	assert_true(credential_env_has_key());

	/* An environment value is checked as a profile's would be. */
	setenv(CREDENTIAL_ENV_ID, "has space", 1);
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_ERR);
	assert_null(c);
	free(cause);
	cause = NULL;
	setenv(CREDENTIAL_ENV_ID, "LTAIenv", 1);

	/* Half of it is an error, not a silent fallback to the vault; an empty value is an
	 * unset one. */
	setenv(CREDENTIAL_ENV_SECRET, "", 1);
	assert_false(credential_env_has_key());
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, CREDENTIAL_ENV_SECRET));
	assert_int_equal(a.calls, 0);
	free(cause);
	cause = NULL;
	unsetenv(CREDENTIAL_ENV_ID);
	setenv(CREDENTIAL_ENV_SECRET, "envsecretenvsecret", 1);
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, CREDENTIAL_ENV_ID));
	free(cause);
	cause = NULL;

	/* The secret and the token leave the environment when asked. */
	setenv(CREDENTIAL_ENV_TOKEN, "sts-token", 1);
	credential_env_scrub();
	assert_null(getenv(CREDENTIAL_ENV_SECRET));
	assert_null(getenv(CREDENTIAL_ENV_TOKEN));
	unsetenv(CREDENTIAL_ENV_REGION);

	/* 3. Then the vault's default. */
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_OK);
	assert_int_equal(c->source, CREDENTIAL_FROM_DEFAULT);
	assert_string_equal(c->name, "p0");
	assert_int_equal(a.calls, 1);
	credential_free(c);

	assert_int_equal(vault_resolve_profile(e->path, "nope", ask_fixed, &a, &p, &cause),
	    VAULT_NOENT);
	assert_null(p);
	free(cause);
	cause = NULL;
	req.profile = "nope";
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_NOENT);
	assert_null(c);
	free(cause);
	cause = NULL;
	req.profile = NULL;

	/* Nothing anywhere: the message names every source. */
	unlink(e->path);
	assert_int_equal(credential_resolve(&req, &c, &cause), VAULT_NOENT);
	assert_non_null(strstr(cause, "no credentials"));
	assert_non_null(strstr(cause, "--profile"));
	assert_non_null(strstr(cause, CREDENTIAL_ENV_ID));
	free(cause);
	credential_free(NULL);
}

static void
test_passphrase_fd(void **state)
{
	struct secret *s = NULL;
	char *cause = NULL, big[SECRET_MAX + 10];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "first line\nsecond\r\nlast", 23), 23);
	close(fds[1]);
	assert_int_equal(passphrase_read_fd(fds[0], &s, &cause), VAULT_OK);
	assert_string_equal(secret_reveal(s), "first line");
	secret_hide(s);
	secret_free(s);
	assert_int_equal(passphrase_read_fd(fds[0], &s, &cause), VAULT_OK);
	assert_string_equal(secret_reveal(s), "second");
	secret_hide(s);
	secret_free(s);
	assert_int_equal(passphrase_read_fd(fds[0], &s, &cause), VAULT_OK);
	assert_string_equal(secret_reveal(s), "last");
	secret_hide(s);
	secret_free(s);
	assert_int_equal(passphrase_read_fd(fds[0], &s, &cause), VAULT_CANCEL);
	free(cause);
	close(fds[0]);

	assert_int_equal(passphrase_read_fd(987, &s, &cause), VAULT_ERR);
	free(cause);

	/* New passphrases from a descriptor: one line, no confirmation, a minimum length. */
	assert_int_equal(pipe(fds), 0);
	memset(big, 'x', sizeof big);
	assert_int_equal(write(fds[1], "short\nlong enough\n", 18), 18);
	assert_int_equal(write(fds[1], big, sizeof big), (ssize_t)sizeof big);
	close(fds[1]);
	assert_int_equal(passphrase_new(fds[0], "New: ", &s, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "too short"));
	free(cause);
	assert_int_equal(passphrase_new(fds[0], "New: ", &s, &cause), VAULT_OK);
	secret_free(s);
	assert_int_equal(passphrase_read_fd(fds[0], &s, &cause), VAULT_ERR);
	free(cause);
	close(fds[0]);
}

/* Security tokens (--token-fd) take up to VAULT_TOKEN_MAX bytes, more than a passphrase
 * or an AccessKey secret; the three can share one descriptor, one line each. */
static void
test_token_fd(void **state)
{
	static char big[VAULT_TOKEN_MAX + 2];
	struct secret *s = NULL;
	char *cause = NULL;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	memset(big, 'A', sizeof big);
	big[VAULT_TOKEN_MAX] = '\n';
	assert_int_equal(write(fds[1], "stsSecret\n", 10), 10);
	assert_int_equal(write(fds[1], big, VAULT_TOKEN_MAX + 1), VAULT_TOKEN_MAX + 1);
	assert_int_equal(write(fds[1], big, VAULT_PASSPHRASE_MAX + 1), VAULT_PASSPHRASE_MAX + 1);
	big[VAULT_TOKEN_MAX] = 'A';
	assert_int_equal(write(fds[1], big, sizeof big), (ssize_t)sizeof big);
	close(fds[1]);
	assert_int_equal(passphrase_read_secret(fds[0], "x", &s, &cause), VAULT_OK);
	assert_string_equal(secret_reveal(s), "stsSecret");
	secret_hide(s);
	secret_free(s);
	assert_int_equal(passphrase_read_token(fds[0], "x", &s, &cause), VAULT_OK);
	assert_int_equal(secret_len(s), VAULT_TOKEN_MAX);
	secret_free(s);
	/* An AccessKey secret stays at the passphrase limit. */
	assert_int_equal(passphrase_read_secret(fds[0], "x", &s, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "AccessKey secret longer than 1024 bytes"));
	free(cause);
	cause = NULL;
	close(fds[0]);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], big, sizeof big), (ssize_t)sizeof big);
	close(fds[1]);
	assert_int_equal(passphrase_read_token(fds[0], "x", &s, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "security token longer than 4096 bytes"));
	free(cause);
	close(fds[0]);
}

/* One limit, VAULT_PASSPHRASE_MAX, for every reader: exactly the limit is read whole
 * (also before "\r\n"); one byte more is refused with a message, not truncated, and
 * nothing after that byte is read. */
static void
test_passphrase_limit(void **state)
{
	static char line[VAULT_PASSPHRASE_MAX + 16];
	struct secret *s = NULL;
	char *cause = NULL, rest[32];
	int fds[2];

	(void)state;
	assert_true(VAULT_PASSPHRASE_MAX >= 1024 && VAULT_PASSPHRASE_MAX <= SECRET_MAX);
	memset(line, 'x', sizeof line);
	assert_int_equal(pipe(fds), 0);
	/* Exactly the limit, with "\n", then with "\r\n". */
	line[VAULT_PASSPHRASE_MAX] = '\n';
	assert_int_equal(write(fds[1], line, VAULT_PASSPHRASE_MAX + 1),
	    VAULT_PASSPHRASE_MAX + 1);
	line[VAULT_PASSPHRASE_MAX] = '\r';
	line[VAULT_PASSPHRASE_MAX + 1] = '\n';
	assert_int_equal(write(fds[1], line, VAULT_PASSPHRASE_MAX + 2),
	    VAULT_PASSPHRASE_MAX + 2);
	/* One byte more: refused at that byte. */
	line[VAULT_PASSPHRASE_MAX] = 'y';
	line[VAULT_PASSPHRASE_MAX + 1] = 'z';
	line[VAULT_PASSPHRASE_MAX + 2] = '\n';
	assert_int_equal(write(fds[1], line, VAULT_PASSPHRASE_MAX + 3),
	    VAULT_PASSPHRASE_MAX + 3);
	close(fds[1]);
	assert_int_equal(passphrase_read_fd(fds[0], &s, &cause), VAULT_OK);
	assert_int_equal(secret_len(s), VAULT_PASSPHRASE_MAX);
	secret_free(s);
	assert_int_equal(passphrase_new(fds[0], "New: ", &s, &cause), VAULT_OK);
	assert_int_equal(secret_len(s), VAULT_PASSPHRASE_MAX);
	secret_free(s);
	s = NULL;
	assert_int_equal(passphrase_read_fd(fds[0], &s, &cause), VAULT_ERR);
	assert_null(s);
	assert_non_null(strstr(cause, "passphrase longer than 1024 bytes"));
	assert_non_null(strstr(cause, "not truncated"));
	free(cause);
	assert_int_equal(read(fds[0], rest, sizeof rest), 2);	/* "z\n": not read */
	close(fds[0]);

	/* The same for a new passphrase and for an AccessKey secret, which names itself. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], line, VAULT_PASSPHRASE_MAX + 3),
	    VAULT_PASSPHRASE_MAX + 3);
	assert_int_equal(write(fds[1], line, VAULT_PASSPHRASE_MAX + 3),
	    VAULT_PASSPHRASE_MAX + 3);
	close(fds[1]);
	assert_int_equal(passphrase_new(fds[0], "New: ", &s, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "passphrase longer than 1024 bytes"));
	free(cause);
	assert_int_equal(read(fds[0], rest, 2), 2);
	assert_int_equal(passphrase_read_secret(fds[0], "Secret: ", &s, &cause), VAULT_ERR);
	assert_non_null(strstr(cause, "AccessKey secret longer than 1024 bytes"));
	free(cause);
	close(fds[0]);
}

static void
test_harden(void **state)
{
	struct rlimit rl;
	char *cause = NULL;

	(void)state;
	assert_int_equal(vault_harden_process(&cause), VAULT_OK);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kat_open, setup, teardown),
#ifdef IOTDECK_VAULT_TEST_KDF
		cmocka_unit_test(test_kat_seal),
#endif
		cmocka_unit_test_setup_teardown(test_floor_fixture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_passphrase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_flips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kdf_bounds, setup, teardown),
#ifdef IOTDECK_VAULT_TEST_KDF
		cmocka_unit_test_setup_teardown(test_kdf_upgrade, setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_unknown_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_dir_advice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replaced_since_unlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_kinds_payload),
		cmocka_unit_test(test_kinds_names),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_import_aliyun),
		cmocka_unit_test(test_import_credentials),
		cmocka_unit_test_setup_teardown(test_kinds_roundtrip, setup, teardown),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_path),
		cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
		cmocka_unit_test(test_passphrase_fd),
		cmocka_unit_test(test_passphrase_limit),
		cmocka_unit_test(test_token_fd),
		cmocka_unit_test(test_harden),
	};
	int i, rc;

#ifndef IOTDECK_VAULT_TEST_KDF
	fprintf(stderr, "test_vault: built without -DIOTDECK_VAULT_TEST_KDF: real KDF "
	    "parameters, the hook and KDF-heavy tests are skipped\n");
#endif
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	for (i = 0; i < 4; i++)
		free(made[i]);
	return rc;
}
