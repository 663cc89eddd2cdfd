/* vault.c — the encrypted credential vault.
 *
 * DESIGN
 *
 * Threat model: iotdeck runs on shared jump hosts. AccessKeys must not sit in plain text
 * on disk, in argv, in the environment, in logs or in core dumps, and a crafted or damaged
 * vault file must be refused cheaply and never "repaired".
 *
 * File format, version 1 (integers little-endian, header = 80 bytes):
 *
 *	off len  field
 *	  0   8  magic "IOTDECKV"
 *	  8   2  format version (1)
 *	 10   1  KDF id (1 = Argon2id v1.3, crypto_pwhash_ALG_ARGON2ID13)
 *	 11   1  AEAD id (1 = XChaCha20-Poly1305-IETF)
 *	 12   4  KDF opslimit (passes)
 *	 16   8  KDF memlimit (bytes)
 *	 24  16  salt
 *	 40  24  nonce
 *	 64   8  ciphertext length (payload + 16-byte tag)
 *	 72   8  reserved, zero
 *	 80   -  ciphertext
 *
 * The key is crypto_pwhash(passphrase, salt, opslimit, memlimit, ARGON2ID13) — the
 * algorithm always named, never the library default. The payload is sealed with
 * crypto_aead_xchacha20poly1305_ietf with the whole 80-byte header as associated data, so
 * no header byte can be changed without the unlock failing. Every save draws a fresh salt
 * and nonce (randombytes) and uses the current KDF defaults, so old files are upgraded on
 * their next save.
 *
 * KDF parameters (VAULT_KDF_* in vault.h). Default, used by every save: Argon2id with 3
 * passes over 256 MiB (libsodium's "moderate" setting), about 0.5 s and 256 MiB on one
 * core of the 2-core test VM; KeePassXC and age spend about a second. Floor: 2 passes
 * over 32 MiB, above OWASP's minimum for Argon2id (2 passes over 19 MiB): the least a file
 * may ask for; below it the file is refused, never unlocked with a cheap key. The default
 * of older versions (3 passes over 64 MiB, RFC 9106's second recommended setting) is well
 * above the floor, so such files still open, and their next save -- any command that
 * changes the vault, 'vault passwd' included -- re-seals them at the current default
 * (reading never rewrites a file). Ceiling: 10 passes over 1 GiB (libsodium's
 * "sensitive" memory), about 6 s here: room for stronger defaults later, and a bound on
 * what a header can make us spend (it cannot ask for 64 GiB or minutes of CPU).
 *
 * Validation before the KDF (vault_header_parse): size cap, magic, version, algorithm ids,
 * reserved bytes, exact length (header + ciphertext length, so truncations and appended
 * bytes are caught without the KDF) and KDF parameters within [floor, ceiling]: a crafted
 * file can neither make the KDF weak nor make it exhaust memory. Only then is the user
 * asked for the passphrase. A failed authentication has one message, "wrong passphrase or
 * damaged file", and nothing is ever written after a failed unlock.
 *
 * The payload is JSON (cJSON), padded with spaces to a multiple of 256 bytes so the file
 * size says little about its contents:
 *	{"format":1,"default":"prod","profiles":[{"name":..,"access_key_id":..,
 *	 "access_key_secret":..,"region":..,"instance_id":..,"endpoint":..,"readonly":false}]}
 * Unknown keys are ignored (a later version may add fields).
 *
 * Memory: the passphrase, the derived key, the plaintext and every AccessKey secret live
 * in sodium_malloc'd memory (struct secret, or a raw guarded buffer for the plaintext),
 * PROT_NONE while idle and wiped when freed. cJSON copies strings into the ordinary heap:
 * when printing, the secrets are handed to cJSON by reference (cJSON_CreateStringReference)
 * and printed into a guarded buffer (cJSON_PrintPreallocated); when parsing, every string of
 * the tree is zeroed before cJSON_Delete. The passphrase is kept (guarded) only by a
 * VAULT_WRITE vault, which needs it to derive a new key for each save. A passphrase is at
 * most VAULT_PASSPHRASE_MAX bytes wherever it is read (vault.h); a longer one is refused,
 * never truncated.
 *
 * Storage: the vault's directory is opened once (O_NOFOLLOW) and everything else is done
 * relative to that descriptor. The directory and the file must be owned by the user and
 * have no group/other permission bits, and neither may be a symlink; otherwise we refuse,
 * and say what to do without ever advising a change to what is not the user's alone: a
 * chmod only for the user's own file, or own directory that nobody else can write to
 * (and not / or the home directory); for a directory of someone else's or a shared one
 * (sticky or writable by others, like /tmp, where "chmod 700" would break every other
 * user) a private directory to use instead (the default, or mkdir -m 700).
 *
 * A save writes "<dir>/.<name>.tmp.<random>" (0600, O_EXCL), checks every write (short
 * writes, ENOSPC), fsyncs and closes it, hard-links the current file to "<name>.bak" (or
 * writes the old bytes there if links are not supported), renames the temp file over the
 * vault and fsyncs the directory. A crash at any point leaves the old or the new vault in
 * place. Writers serialise on flock(LOCK_EX) of "<name>.lock" in the same directory, held
 * from unlock to close, and a save also refuses if the file is no longer the inode that
 * was unlocked. Readers need no lock: rename is atomic.
 *
 * Tests build this file with -DIOTDECK_VAULT_TEST_KDF, which lowers the KDF floor and
 * defaults (so tests are fast) and compiles in the save hooks; nothing at run time can
 * lower the parameters of a normal build. The tests of the real binary (integration, TUI)
 * pay the default for each save and each unlock of what it saved; where they only need
 * to unlock, they use the committed fixtures in tests/fixtures/vault: v1.vault at the
 * old default, floor.vault at exactly the floor (which is why the floor must stay a
 * sensible minimum on its own, not a test convenience).
 */
#include "vault/vault.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/xmalloc.h"

#define VAULT_VERSION		1
#define VAULT_KDF_ARGON2ID13	1
#define VAULT_AEAD_XCHACHA	1
#define VAULT_KEY_BYTES		crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define VAULT_TAG_BYTES		crypto_aead_xchacha20poly1305_ietf_ABYTES
#define VAULT_PAD		256
#define VAULT_MSG_AUTH		"wrong passphrase or damaged file"

static const unsigned char vault_magic[8] = { 'I', 'O', 'T', 'D', 'E', 'C', 'K', 'V' };

#ifdef IOTDECK_VAULT_TEST_KDF
static const struct vault_kdf_limits kdf_limits = {
	1, 1, 10,
	64 * 1024, 64 * 1024, 256 * 1024 * 1024
};
void (*vault_test_hook)(enum vault_test_point);
long (*vault_test_write)(int, const void *, size_t);
#define TEST_POINT(pt) do { if (vault_test_hook != NULL) vault_test_hook(pt); } while (0)
#else
/* See "KDF parameters" in the DESIGN comment. */
static const struct vault_kdf_limits kdf_limits = {
	VAULT_KDF_OPS_MIN, VAULT_KDF_OPS_DEFAULT, VAULT_KDF_OPS_MAX,
	VAULT_KDF_MEM_MIN, VAULT_KDF_MEM_DEFAULT, VAULT_KDF_MEM_MAX
};
#define TEST_POINT(pt) do { } while (0)
#endif

/* Names of the files next to the vault, relative to its directory. */
#define BAK_SUFFIX	".bak"
#define LOCK_SUFFIX	".lock"

struct vault {
	char			 *path;		/* the vault file as given */
	char			 *dir;		/* its directory */
	char			 *base;		/* its name within dir */
	int			  dirfd;	/* open directory, VAULT_WRITE only; else -1 */
	int			  lockfd;	/* flock'd lock file, VAULT_WRITE only; else -1 */
	enum vault_mode		  mode;		/* as opened */
	int			  exists;	/* the file exists (st and old are valid) */
	struct stat		  st;		/* the file as unlocked (or last saved) */
	uint32_t		  kdf_ops;	/* its KDF passes */
	uint64_t		  kdf_mem;	/* its KDF memory, bytes */
	unsigned char		 *old;		/* the file's bytes as unlocked (ciphertext) */
	size_t			  oldlen;	/* their length */
	struct secret		 *pass;		/* passphrase, VAULT_WRITE only; else NULL */
	struct vault_profile	**prof;		/* profiles sorted by name; owned */
	size_t			  nprof;	/* number of profiles */
	char			 *def;		/* default profile name, or NULL */
};

/* ------------------------------------------------------------------------------------ */
/* Small helpers. */

static int vault_fail(char **cause, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
vault_fail(char **cause, int status, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		buf_vaddf(&b, fmt, ap);
		va_end(ap);
		*cause = buf_detach(&b);
	}
	return status;
}

/* The refusal of a passphrase longer than VAULT_PASSPHRASE_MAX (the readers refuse it
 * first; this is for any other vault_ask_fn). */
static int
pass_too_long(char **cause)
{
	return vault_fail(cause, VAULT_ERR, "passphrase longer than %d bytes, the most "
	    "iotdeck accepts: refused, not truncated", VAULT_PASSPHRASE_MAX);
}

static void
put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static ssize_t
vault_write_some(int fd, const void *p, size_t len)
{
#ifdef IOTDECK_VAULT_TEST_KDF
	if (vault_test_write != NULL)
		return (ssize_t)vault_test_write(fd, p, len);
#endif
	return write(fd, p, len);
}

/* Writes all of p[0..len) or fails with errno set (a zero-length write counts as EIO). */
static int
write_full(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = vault_write_some(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

uint64_t
vault_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const struct vault_kdf_limits *
vault_kdf_limits(void)
{
	return &kdf_limits;
}

/* ------------------------------------------------------------------------------------ */
/* Process hardening and paths. */

int
vault_harden_process(char **cause)
{
	struct rlimit rl = { 0, 0 };

	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		return vault_fail(cause, VAULT_ERR, "cannot disable core dumps: %s",
		    strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return vault_fail(cause, VAULT_ERR, "cannot mark the process non-dumpable: %s",
		    strerror(errno));
	return VAULT_OK;
}

/* The default vault path, without --vault and $IOTDECK_VAULT (caller-freed). */
static int
default_vault_path(char **out, char **cause)
{
	const char *env = getenv("XDG_CONFIG_HOME"), *home;
	struct passwd *pw;

	*out = NULL;
	if (env != NULL && env[0] == '/') {
		*out = xasprintf("%s/iotdeck/vault", env);
		return VAULT_OK;
	}
	home = getenv("HOME");
	if (home == NULL || home[0] != '/') {
		pw = getpwuid(geteuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || home[0] != '/')
		return vault_fail(cause, VAULT_ERR, "cannot find your home directory: set HOME, "
		    "or give --vault FILE");
	*out = xasprintf("%s/.config/iotdeck/vault", home);
	return VAULT_OK;
}

int
vault_path(const char *opt, char **out, char **cause)
{
	const char *env = getenv("IOTDECK_VAULT");
	int status;

	*out = NULL;
	if (opt != NULL) {
		if (*opt == '\0')
			return vault_fail(cause, VAULT_ERR, "--vault needs a file name");
		*out = xstrdup(opt);
	} else if (env != NULL && *env != '\0') {
		*out = xstrdup(env);
	} else if ((status = default_vault_path(out, cause)) != VAULT_OK)
		return status;
	if ((*out)[strlen(*out) - 1] == '/') {
		free(*out);
		*out = NULL;
		return vault_fail(cause, VAULT_ERR, "the vault path must name a file, not a "
		    "directory");
	}
	return VAULT_OK;
}

/* Splits path into a caller-freed directory and name. */
static void
path_split(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		*dir = xstrdup(".");
		*base = xstrdup(path);
	} else if (slash == path) {
		*dir = xstrdup("/");
		*base = xstrdup(slash + 1);
	} else {
		*dir = xstrndup(path, (size_t)(slash - path));
		*base = xstrdup(slash + 1);
	}
}

/* Returns 1 when st is the root directory or the user's home directory: directories
 * whose mode we never advise changing, whoever owns them. */
static int
is_root_or_home(const struct stat *st)
{
	const char *home = getenv("HOME");
	struct passwd *pw = getpwuid(geteuid());
	struct stat hs;

	if (stat("/", &hs) == 0 && hs.st_dev == st->st_dev && hs.st_ino == st->st_ino)
		return 1;
	if (home != NULL && home[0] == '/' && stat(home, &hs) == 0 &&
	    hs.st_dev == st->st_dev && hs.st_ino == st->st_ino)
		return 1;
	if (pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] == '/' &&
	    stat(pw->pw_dir, &hs) == 0 && hs.st_dev == st->st_dev && hs.st_ino == st->st_ino)
		return 1;
	return 0;
}

/* Advice for a vault whose directory dir (st) must not be used or changed: a private
 * directory instead, the default one unless that is dir itself. Caller-freed. */
static char *
private_dir_advice(const char *dir, const struct stat *st)
{
	struct stat ds;
	char *def = NULL, *ddir, *dbase, *advice;

	if (default_vault_path(&def, NULL) == VAULT_OK) {
		path_split(def, &ddir, &dbase);
		free(dbase);
		/* The default directory, if it exists, must be another one. */
		if (stat(ddir, &ds) == 0 && ds.st_dev == st->st_dev && ds.st_ino == st->st_ino) {
			free(def);
			def = NULL;
		}
		free(ddir);
	}
	if (def != NULL)
		advice = xasprintf("keep the vault in a private directory of yours instead: the "
		    "default, %s (give no --vault and no IOTDECK_VAULT), or a new one: mkdir -m "
		    "700 DIR, then --vault DIR/vault", def);
	else
		advice = xasprintf("keep the vault in a private directory of yours instead: "
		    "mkdir -m 700 DIR, then --vault DIR/vault (not inside %s)", dir);
	free(def);
	return advice;
}

/* Checks the owner and mode of a file or directory; name names it for messages. The
 * advice never changes what the user does not own or shares with others: a directory
 * of someone else's, or a shared one (sticky, or writable by group or others, like
 * /tmp), or the root or home directory is refused with a private directory to use
 * instead; only the user's own vault file, or own private-to-be directory, gets a chmod. */
static int
check_stat(const struct stat *st, const char *name, int is_dir, char **cause)
{
	uid_t me = geteuid();
	char *advice;
	int status;

	if (!is_dir) {
		if (st->st_uid != me)
			return vault_fail(cause, VAULT_UNSAFE, "vault file %s belongs to uid %lu, "
			    "not to you (uid %lu); use a vault of your own (create one with "
			    "'iotdeck vault init')", name, (unsigned long)st->st_uid,
			    (unsigned long)me);
		if ((st->st_mode & 077) != 0)
			return vault_fail(cause, VAULT_UNSAFE, "vault file %s is accessible by "
			    "group or others (mode %04o); fix it with: chmod 600 %s", name,
			    (unsigned)(st->st_mode & 07777), name);
		return VAULT_OK;
	}
	if (st->st_uid != me) {
		advice = private_dir_advice(name, st);
		status = vault_fail(cause, VAULT_UNSAFE, "directory %s belongs to uid %lu, not "
		    "to you (uid %lu); %s", name, (unsigned long)st->st_uid, (unsigned long)me,
		    advice);
		free(advice);
		return status;
	}
	if ((st->st_mode & (S_ISVTX | S_IWGRP | S_IWOTH)) != 0) {
		advice = private_dir_advice(name, st);
		status = vault_fail(cause, VAULT_UNSAFE, "directory %s is shared with others "
		    "(mode %04o:%s%s); %s", name, (unsigned)(st->st_mode & 07777),
		    (st->st_mode & S_ISVTX) ? " sticky" : "",
		    (st->st_mode & (S_IWGRP | S_IWOTH)) == 0 ? "" :
		    (st->st_mode & S_ISVTX) ? ", writable by others" : " writable by others",
		    advice);
		free(advice);
		return status;
	}
	if ((st->st_mode & 077) != 0) {
		if (!is_root_or_home(st))
			return vault_fail(cause, VAULT_UNSAFE, "directory %s is accessible by "
			    "group or others (mode %04o); fix it with: chmod 700 %s", name,
			    (unsigned)(st->st_mode & 07777), name);
		advice = private_dir_advice(name, st);
		status = vault_fail(cause, VAULT_UNSAFE, "directory %s is accessible by group "
		    "or others (mode %04o), and it is the root or your home directory, which "
		    "is best left as it is; %s", name, (unsigned)(st->st_mode & 07777), advice);
		free(advice);
		return status;
	}
	return VAULT_OK;
}

/* Opens and checks the vault's directory. */
static int
open_dir(const char *dir, int *dirfd, char **cause)
{
	struct stat st;
	int fd, status;

	*dirfd = -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return vault_fail(cause, VAULT_NOENT, "no vault: directory %s does not "
			    "exist (create a vault with 'iotdeck vault init')", dir);
		if ((errno == ELOOP || errno == ENOTDIR) && lstat(dir, &st) == 0 &&
		    S_ISLNK(st.st_mode))
			return vault_fail(cause, VAULT_UNSAFE, "directory %s is a symbolic link; "
			    "keep the vault in a real directory (or give --vault with the real "
			    "path)", dir);
		return vault_fail(cause, VAULT_ERR, "cannot open directory %s: %s", dir,
		    strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot stat directory %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	if ((status = check_stat(&st, dir, 1, cause)) != VAULT_OK)
		goto fail;
	*dirfd = fd;
	return VAULT_OK;

fail:
	close(fd);
	return status;
}

/* Creates the missing directories of dir with mode 0700 (existing ones are left alone;
 * the last one is checked by open_dir afterwards). */
static int
make_dirs(const char *dir, char **cause)
{
	char *p = xstrdup(dir), *s;
	int status = VAULT_OK;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			status = vault_fail(cause, VAULT_ERR, "cannot create directory %s: %s", p,
			    strerror(errno));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return status;
}

/* Takes the write lock "<name>.lock" next to the vault. */
static int
take_lock(struct vault *v, char **cause)
{
	char *name = xasprintf("%s" LOCK_SUFFIX, v->base);
	struct stat st;
	int fd, status;

	fd = openat(v->dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		status = vault_fail(cause, errno == ELOOP ? VAULT_UNSAFE : VAULT_ERR,
		    "cannot open the lock file %s/%s: %s", v->dir, name, strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		status = vault_fail(cause, VAULT_UNSAFE, "the lock file %s/%s is not a regular "
		    "file of yours; remove it", v->dir, name);
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			status = vault_fail(cause, VAULT_BUSY, "another iotdeck is changing the "
			    "vault %s; try again when it has finished", v->path);
		else
			status = vault_fail(cause, VAULT_ERR, "cannot lock %s/%s: %s", v->dir,
			    name, strerror(errno));
		goto fail;
	}
	v->lockfd = fd;
	free(name);
	return VAULT_OK;

fail:
	if (fd >= 0)
		close(fd);
	free(name);
	return status;
}

/* Reads and checks the vault file: on success *buf (caller-freed) holds its bytes. */
static int
read_vault_file(struct vault *v, int dirfd, unsigned char **bufp, size_t *lenp,
    char **cause)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t len, got = 0;
	int fd, status;

	*bufp = NULL;
	fd = openat(dirfd, v->base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return vault_fail(cause, VAULT_NOENT, "no vault at %s (create one with "
			    "'iotdeck vault init')", v->path);
		if (errno == ELOOP)
			return vault_fail(cause, VAULT_UNSAFE, "vault file %s is a symbolic link; "
			    "replace it with the file it points to (or give --vault with the real "
			    "path)", v->path);
		return vault_fail(cause, VAULT_ERR, "cannot open %s: %s", v->path,
		    strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot stat %s: %s", v->path,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		status = vault_fail(cause, VAULT_UNSAFE, "%s is not a regular file", v->path);
		goto fail;
	}
	if ((status = check_stat(&st, v->path, 0, cause)) != VAULT_OK)
		goto fail;
	if (st.st_size > VAULT_FILE_MAX) {
		status = vault_fail(cause, VAULT_FORMAT, "%s is too large for a vault (%lld "
		    "bytes; the limit is %d)", v->path, (long long)st.st_size, VAULT_FILE_MAX);
		goto fail;
	}
	len = (size_t)st.st_size;
	/* One byte more than expected, to notice a file that grew meanwhile. */
	buf = xmalloc(len + 1);
	for (;;) {
		ssize_t n = read(fd, buf + got, len + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			status = vault_fail(cause, VAULT_ERR, "cannot read %s: %s", v->path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > len) {
			status = vault_fail(cause, VAULT_ERR, "%s changed while being read; try "
			    "again", v->path);
			goto fail;
		}
	}
	close(fd);
	v->exists = 1;
	v->st = st;
	*bufp = buf;
	*lenp = got;
	return VAULT_OK;

fail:
	free(buf);
	close(fd);
	return status;
}

/* ------------------------------------------------------------------------------------ */
/* Header, KDF and AEAD. */

int
vault_header_parse(const unsigned char *buf, size_t len, struct vault_header *h,
    char **cause)
{
	size_t i;

	memset(h, 0, sizeof *h);
	if (len > VAULT_FILE_MAX)
		return vault_fail(cause, VAULT_FORMAT, "file too large for a vault (%zu bytes; "
		    "the limit is %d)", len, VAULT_FILE_MAX);
	if (memcmp(buf, vault_magic, len < sizeof vault_magic ? len : sizeof vault_magic) != 0)
		return vault_fail(cause, VAULT_FORMAT, "not an iotdeck vault");
	if (len < 10)
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	h->version = (uint16_t)get_le(buf + 8, 2);
	if (h->version != VAULT_VERSION)
		return vault_fail(cause, VAULT_FORMAT, "unsupported vault format version %u "
		    "(this iotdeck reads version %d; a newer iotdeck wrote it?)",
		    (unsigned)h->version, VAULT_VERSION);
	if (len < VAULT_HEADER_SIZE)
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	h->kdf = buf[10];
	h->aead = buf[11];
	h->opslimit = (uint32_t)get_le(buf + 12, 4);
	h->memlimit = get_le(buf + 16, 8);
	memcpy(h->salt, buf + 24, sizeof h->salt);
	memcpy(h->nonce, buf + 40, sizeof h->nonce);
	h->ct_len = get_le(buf + 64, 8);
	if (h->kdf != VAULT_KDF_ARGON2ID13)
		return vault_fail(cause, VAULT_FORMAT, "unknown key derivation algorithm %u",
		    (unsigned)h->kdf);
	if (h->aead != VAULT_AEAD_XCHACHA)
		return vault_fail(cause, VAULT_FORMAT, "unknown encryption algorithm %u",
		    (unsigned)h->aead);
	for (i = 72; i < VAULT_HEADER_SIZE; i++)
		if (buf[i] != 0)
			return vault_fail(cause, VAULT_FORMAT, "non-zero reserved header field "
			    "(damaged, or written by a newer iotdeck)");
	if (h->opslimit < kdf_limits.ops_min || h->opslimit > kdf_limits.ops_max ||
	    h->memlimit < kdf_limits.mem_min || h->memlimit > kdf_limits.mem_max)
		return vault_fail(cause, VAULT_FORMAT, "refusing key derivation parameters "
		    "outside the allowed range (passes %lu, memory %llu KiB; allowed %lu-%lu "
		    "passes, %llu-%llu KiB): the file was damaged or tampered with",
		    (unsigned long)h->opslimit, (unsigned long long)(h->memlimit / 1024),
		    (unsigned long)kdf_limits.ops_min, (unsigned long)kdf_limits.ops_max,
		    (unsigned long long)(kdf_limits.mem_min / 1024),
		    (unsigned long long)(kdf_limits.mem_max / 1024));
	if (h->ct_len < VAULT_TAG_BYTES || h->ct_len != len - VAULT_HEADER_SIZE)
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	return VAULT_OK;
}

static void
header_encode(unsigned char *p, const struct vault_header *h)
{
	memset(p, 0, VAULT_HEADER_SIZE);
	memcpy(p, vault_magic, sizeof vault_magic);
	put_le(p + 8, h->version, 2);
	p[10] = h->kdf;
	p[11] = h->aead;
	put_le(p + 12, h->opslimit, 4);
	put_le(p + 16, h->memlimit, 8);
	memcpy(p + 24, h->salt, sizeof h->salt);
	memcpy(p + 40, h->nonce, sizeof h->nonce);
	put_le(p + 64, h->ct_len, 8);
}

/* Derives the key into a sodium_malloc'd buffer (caller sodium_free's it). */
static int
derive_key(const char *pass, size_t passlen, const struct vault_header *h,
    unsigned char **keyp, char **cause)
{
	unsigned char *key;

	*keyp = NULL;
	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	key = sodium_malloc(VAULT_KEY_BYTES);
	if (key == NULL)
		return vault_fail(cause, VAULT_ERR, "out of guarded memory");
	if (crypto_pwhash(key, VAULT_KEY_BYTES, pass, passlen, h->salt, h->opslimit,
	    (size_t)h->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(key);
		return vault_fail(cause, VAULT_ERR, "key derivation failed: not enough memory "
		    "for Argon2id (%llu MiB)", (unsigned long long)(h->memlimit >> 20));
	}
	*keyp = key;
	return VAULT_OK;
}

/* Seals pt[0..ptlen) under pass with h's KDF parameters, salt and nonce. */
static int
seal(const char *pass, size_t passlen, struct vault_header *h, const char *pt,
    size_t ptlen, unsigned char **outp, size_t *outlen, char **cause)
{
	unsigned char *key, *out;
	unsigned long long clen;
	int status;

	*outp = NULL;
	h->version = VAULT_VERSION;
	h->kdf = VAULT_KDF_ARGON2ID13;
	h->aead = VAULT_AEAD_XCHACHA;
	h->ct_len = ptlen + VAULT_TAG_BYTES;
	if (VAULT_HEADER_SIZE + h->ct_len > VAULT_FILE_MAX)
		return vault_fail(cause, VAULT_ERR, "too many profiles: the vault would exceed "
		    "%d bytes", VAULT_FILE_MAX);
	if ((status = derive_key(pass, passlen, h, &key, cause)) != VAULT_OK)
		return status;
	out = xmalloc(VAULT_HEADER_SIZE + h->ct_len);
	header_encode(out, h);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + VAULT_HEADER_SIZE, &clen,
	    (const unsigned char *)pt, ptlen, out, VAULT_HEADER_SIZE, NULL, h->nonce, key);
	sodium_free(key);
	*outp = out;
	*outlen = VAULT_HEADER_SIZE + (size_t)clen;
	return VAULT_OK;
}

/* Opens the ciphertext of a parsed image into a sodium_malloc'd, NUL-terminated,
 * read-only buffer (caller sodium_free's it). */
static int
unseal(struct secret *pass, const struct vault_header *h, const unsigned char *buf,
    char **ptp, size_t *ptlen, char **cause)
{
	unsigned char *key = NULL;
	unsigned long long mlen;
	size_t cap = (size_t)h->ct_len - VAULT_TAG_BYTES;
	char *pt;
	int status, bad;

	*ptp = NULL;
	status = derive_key(secret_reveal(pass), secret_len(pass), h, &key, cause);
	secret_hide(pass);
	if (status != VAULT_OK)
		return status;
	pt = sodium_malloc(cap + 1);
	if (pt == NULL) {
		sodium_free(key);
		return vault_fail(cause, VAULT_ERR, "out of guarded memory");
	}
	bad = crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)pt, &mlen, NULL,
	    buf + VAULT_HEADER_SIZE, h->ct_len, buf, VAULT_HEADER_SIZE, h->nonce, key);
	sodium_free(key);
	if (bad != 0) {
		sodium_free(pt);
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	}
	pt[mlen] = '\0';
	sodium_mprotect_readonly(pt);
	*ptp = pt;
	*ptlen = (size_t)mlen;
	return VAULT_OK;
}

#ifdef IOTDECK_VAULT_TEST_KDF
int
vault_test_seal(const char *pass, size_t passlen, uint32_t opslimit, uint64_t memlimit,
    const unsigned char salt[16], const unsigned char nonce[24], const char *plaintext,
    size_t len, unsigned char **out, size_t *outlen, char **cause)
{
	struct vault_header h;

	memset(&h, 0, sizeof h);
	h.opslimit = opslimit;
	h.memlimit = memlimit;
	memcpy(h.salt, salt, sizeof h.salt);
	memcpy(h.nonce, nonce, sizeof h.nonce);
	return seal(pass, passlen, &h, plaintext, len, out, outlen, cause);
}
#endif

/* ------------------------------------------------------------------------------------ */
/* Profiles. */

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

static int
profile_check(const struct vault_profile *p, char **cause)
{
	const char *name = p->name != NULL ? p->name : "";
	int ok;

	if (!vault_name_valid(name))
		return vault_fail(cause, VAULT_ERR, "invalid profile name: use 1 to 64 of "
		    "A-Z a-z 0-9 . _ -");
	if (p->access_key_id == NULL ||
	    !token_valid(p->access_key_id, strlen(p->access_key_id), 128))
		return vault_fail(cause, VAULT_ERR, "profile %s: the AccessKey ID must be 1 to "
		    "128 printable characters without spaces", name);
	if (p->access_key_secret == NULL)
		return vault_fail(cause, VAULT_ERR, "profile %s: no AccessKey secret", name);
	ok = token_valid(secret_reveal(p->access_key_secret),
	    secret_len(p->access_key_secret), 256);
	secret_hide(p->access_key_secret);
	if (!ok)
		return vault_fail(cause, VAULT_ERR, "profile %s: the AccessKey secret must be 1 "
		    "to 256 printable characters without spaces", name);
	if (p->region != NULL && !token_valid(p->region, strlen(p->region), 64))
		return vault_fail(cause, VAULT_ERR, "profile %s: invalid region id", name);
	if (p->instance_id != NULL && !token_valid(p->instance_id, strlen(p->instance_id), 128))
		return vault_fail(cause, VAULT_ERR, "profile %s: invalid instance id", name);
	if (p->endpoint != NULL && !token_valid(p->endpoint, strlen(p->endpoint), 512))
		return vault_fail(cause, VAULT_ERR, "profile %s: invalid endpoint", name);
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

	d->name = dup_or_null(p->name);
	d->access_key_id = dup_or_null(p->access_key_id);
	d->access_key_secret = secret_dup(p->access_key_secret);
	d->region = dup_or_null(p->region);
	d->instance_id = dup_or_null(p->instance_id);
	d->endpoint = dup_or_null(p->endpoint);
	d->readonly = p->readonly ? 1 : 0;
	return d;
}

void
vault_profile_free(struct vault_profile *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->access_key_id);
	secret_free(p->access_key_secret);
	free(p->region);
	free(p->instance_id);
	free(p->endpoint);
	free(p);
}

size_t
vault_profile_count(const struct vault *v)
{
	return v->nprof;
}

const struct vault_profile *
vault_profile_at(const struct vault *v, size_t i)
{
	return i < v->nprof ? v->prof[i] : NULL;
}

/* Index of name, or of where it would go (with *found 0). */
static size_t
profile_index(const struct vault *v, const char *name, int *found)
{
	size_t lo = 0, hi = v->nprof;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->prof[mid]->name, name);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct vault_profile *
vault_profile_find(const struct vault *v, const char *name)
{
	int found;
	size_t i = profile_index(v, name, &found);

	return found ? v->prof[i] : NULL;
}

const char *
vault_default_name(const struct vault *v)
{
	return v->def;
}

/* Inserts p (taken over) or replaces the profile of the same name. */
static int
profile_insert(struct vault *v, struct vault_profile *p, int replace, char **cause)
{
	int found;
	size_t i = profile_index(v, p->name, &found);

	if (found) {
		if (!replace) {
			int status = vault_fail(cause, VAULT_ERR, "profile %s already exists "
			    "(remove it first)", p->name);
			vault_profile_free(p);
			return status;
		}
		vault_profile_free(v->prof[i]);
		v->prof[i] = p;
		return VAULT_OK;
	}
	v->prof = xreallocarray(v->prof, v->nprof + 1, sizeof *v->prof);
	memmove(v->prof + i + 1, v->prof + i, (v->nprof - i) * sizeof *v->prof);
	v->prof[i] = p;
	v->nprof++;
	if (v->def == NULL)
		v->def = xstrdup(p->name);
	return VAULT_OK;
}

int
vault_profile_put(struct vault *v, const struct vault_profile *p, int replace, char **cause)
{
	int status;

	if ((status = profile_check(p, cause)) != VAULT_OK)
		return status;
	return profile_insert(v, vault_profile_dup(p), replace, cause);
}

int
vault_profile_remove(struct vault *v, const char *name, char **cause)
{
	int found;
	size_t i = profile_index(v, name, &found);

	if (!found)
		return vault_fail(cause, VAULT_NOENT, "no profile named %s in the vault", name);
	vault_profile_free(v->prof[i]);
	memmove(v->prof + i, v->prof + i + 1, (v->nprof - i - 1) * sizeof *v->prof);
	v->nprof--;
	if (v->def != NULL && strcmp(v->def, name) == 0) {
		free(v->def);
		v->def = NULL;
	}
	return VAULT_OK;
}

int
vault_set_default(struct vault *v, const char *name, char **cause)
{
	if (vault_profile_find(v, name) == NULL)
		return vault_fail(cause, VAULT_NOENT, "no profile named %s in the vault", name);
	xstrset(&v->def, name);	/* name may be v->def itself */
	return VAULT_OK;
}

int
vault_set_passphrase(struct vault *v, struct secret *pass, char **cause)
{
	if (v->mode != VAULT_WRITE) {
		secret_free(pass);
		return vault_fail(cause, VAULT_ERR, "the vault is open read-only");
	}
	if (secret_len(pass) > VAULT_PASSPHRASE_MAX) {
		secret_free(pass);
		return pass_too_long(cause);
	}
	secret_free(v->pass);
	v->pass = pass;
	return VAULT_OK;
}

static void
profiles_clear(struct vault *v)
{
	size_t i;

	for (i = 0; i < v->nprof; i++)
		vault_profile_free(v->prof[i]);
	free(v->prof);
	v->prof = NULL;
	v->nprof = 0;
	free(v->def);
	v->def = NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Payload (JSON). */

/* Returns the string member key of o, NULL if absent or null; *bad set if not a string. */
static const char *
json_str(const cJSON *o, const char *key, int *bad)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (j == NULL || cJSON_IsNull(j))
		return NULL;
	if (!cJSON_IsString(j) || j->valuestring == NULL) {
		*bad = 1;
		return NULL;
	}
	return j->valuestring;
}

int
vault_payload_parse(struct vault *v, const char *json, size_t len, char **cause)
{
	const char *end = NULL, *s;
	const cJSON *arr, *item, *j;
	cJSON *root;
	int status = VAULT_OK, bad = 0;
	size_t i;

	profiles_clear(v);
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root == NULL)
		return vault_fail(cause, VAULT_FORMAT, "the vault's contents are not valid JSON");
	for (s = end; s != NULL && s < json + len; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
			status = vault_fail(cause, VAULT_FORMAT, "the vault's contents have "
			    "trailing data");
			goto out;
		}
	if (!cJSON_IsObject(root)) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's contents are not an object");
		goto out;
	}
	j = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsNumber(j) || j->valuedouble != 1) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's contents have an unknown "
		    "format");
		goto out;
	}
	arr = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	if (arr != NULL && !cJSON_IsArray(arr)) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's profiles are not a list");
		goto out;
	}
	i = 0;
	cJSON_ArrayForEach(item, arr) {
		struct vault_profile *p;
		const char *sec;

		i++;
		if (!cJSON_IsObject(item)) {
			status = vault_fail(cause, VAULT_FORMAT, "vault profile %zu is not an "
			    "object", i);
			goto out;
		}
		p = xcalloc(1, sizeof *p);
		p->name = dup_or_null(json_str(item, "name", &bad));
		p->access_key_id = dup_or_null(json_str(item, "access_key_id", &bad));
		sec = json_str(item, "access_key_secret", &bad);
		if (sec != NULL)
			p->access_key_secret = secret_from(sec, strnlen(sec, SECRET_MAX));
		p->region = dup_or_null(json_str(item, "region", &bad));
		p->instance_id = dup_or_null(json_str(item, "instance_id", &bad));
		p->endpoint = dup_or_null(json_str(item, "endpoint", &bad));
		j = cJSON_GetObjectItemCaseSensitive(item, "readonly");
		if (j != NULL && !cJSON_IsBool(j))
			bad = 1;
		p->readonly = cJSON_IsTrue(j);
		if (bad) {
			vault_profile_free(p);
			status = vault_fail(cause, VAULT_FORMAT, "vault profile %zu has a field of "
			    "the wrong type", i);
			goto out;
		}
		if (profile_check(p, cause) != VAULT_OK) {
			vault_profile_free(p);
			status = VAULT_FORMAT;
			goto out;
		}
		if (profile_insert(v, p, 0, cause) != VAULT_OK) {	/* frees p */
			status = VAULT_FORMAT;
			goto out;
		}
	}
	/* profile_insert made the first profile the default; the file decides. */
	free(v->def);
	v->def = NULL;
	s = json_str(root, "default", &bad);
	if (bad || (s != NULL && vault_profile_find(v, s) == NULL)) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's default profile does not "
		    "exist");
		goto out;
	}
	v->def = dup_or_null(s);

out:
	if (status != VAULT_OK) {
		if (cause != NULL && *cause == NULL)
			*cause = xstrdup("invalid vault contents");
		profiles_clear(v);
	}
	secret_json_delete(root);
	return status;
}

/* Serialises the profiles into a sodium_malloc'd buffer padded with spaces to a multiple
 * of VAULT_PAD; the caller sodium_free's it. */
static int
payload_print(struct vault *v, char **outp, size_t *outlen, char **cause)
{
	cJSON *root, *arr, *o;
	size_t i, cap, n;
	char *out = NULL;
	int ok = 0;

	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	root = cJSON_CreateObject();

	cJSON_AddNumberToObject(root, "format", 1);
	if (v->def != NULL)
		cJSON_AddStringToObject(root, "default", v->def);
	else
		cJSON_AddNullToObject(root, "default");
	arr = cJSON_AddArrayToObject(root, "profiles");
	for (i = 0; i < v->nprof; i++) {
		const struct vault_profile *p = v->prof[i];

		o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddStringToObject(o, "access_key_id", p->access_key_id);
		/* By reference: the secret is never copied into the ordinary heap. */
		cJSON_AddItemToObject(o, "access_key_secret",
		    cJSON_CreateStringReference(secret_reveal(p->access_key_secret)));
		if (p->region != NULL)
			cJSON_AddStringToObject(o, "region", p->region);
		if (p->instance_id != NULL)
			cJSON_AddStringToObject(o, "instance_id", p->instance_id);
		if (p->endpoint != NULL)
			cJSON_AddStringToObject(o, "endpoint", p->endpoint);
		cJSON_AddBoolToObject(o, "readonly", p->readonly);
	}
	for (cap = 4096; cap <= VAULT_FILE_MAX; cap *= 2) {
		out = sodium_malloc(cap);
		if (out == NULL)
			break;
		if (cJSON_PrintPreallocated(root, out, (int)cap - VAULT_PAD, 0)) {
			ok = 1;
			break;
		}
		sodium_free(out);
		out = NULL;
	}
	for (i = 0; i < v->nprof; i++)
		secret_hide(v->prof[i]->access_key_secret);
	cJSON_Delete(root);
	if (!ok)
		return vault_fail(cause, VAULT_ERR, "too many profiles: the vault would exceed "
		    "%d bytes", VAULT_FILE_MAX);
	n = strlen(out);
	while (n % VAULT_PAD != 0)
		out[n++] = ' ';
	out[n] = '\0';
	*outp = out;
	*outlen = n;
	return VAULT_OK;
}

/* ------------------------------------------------------------------------------------ */
/* Open, close. */

static struct vault *
vault_alloc(const char *path)
{
	struct vault *v = xcalloc(1, sizeof *v);

	v->dirfd = -1;
	v->lockfd = -1;
	if (path != NULL) {
		v->path = xstrdup(path);
		path_split(path, &v->dir, &v->base);
	}
	return v;
}

struct vault *
vault_new_detached(void)
{
	return vault_alloc(NULL);
}

void
vault_close(struct vault *v)
{
	if (v == NULL)
		return;
	profiles_clear(v);
	secret_free(v->pass);
	if (v->lockfd >= 0)
		close(v->lockfd);	/* releases the flock */
	if (v->dirfd >= 0)
		close(v->dirfd);
	free(v->old);
	free(v->path);
	free(v->dir);
	free(v->base);
	free(v);
}

const char *
vault_file(const struct vault *v)
{
	return v->path;
}

void
vault_kdf_params(const struct vault *v, uint32_t *opslimit, uint64_t *memlimit)
{
	*opslimit = v->kdf_ops;
	*memlimit = v->kdf_mem;
}

/* Adds "cannot unlock PATH: " in front of *cause. */
static int
unlock_fail(struct vault *v, int status, char **cause)
{
	char *c;

	if (cause != NULL && *cause != NULL) {
		c = xasprintf("cannot unlock %s: %s", v->path, *cause);
		free(*cause);
		*cause = c;
	}
	return status;
}

int
vault_unlock(struct vault **out, const char *path, enum vault_mode mode, vault_ask_fn ask,
    void *arg, char **cause)
{
	struct vault *v = vault_alloc(path);
	struct vault_header h;
	struct secret *pass = NULL;
	unsigned char *buf = NULL;
	char *pt = NULL, *c = NULL;
	size_t len = 0, ptlen = 0;
	int status, dirfd = -1, attempt;

	*out = NULL;
	v->mode = mode;
	if (*v->base == '\0') {
		status = vault_fail(cause, VAULT_ERR, "the vault path must name a file");
		goto fail;
	}
	if ((status = open_dir(v->dir, &dirfd, cause)) != VAULT_OK)
		goto fail;
	if (mode == VAULT_WRITE) {
		v->dirfd = dirfd;
		if ((status = take_lock(v, cause)) != VAULT_OK)
			goto fail;
	}
	if ((status = read_vault_file(v, dirfd, &buf, &len, cause)) != VAULT_OK)
		goto fail;
	if ((status = vault_header_parse(buf, len, &h, cause)) != VAULT_OK) {
		status = unlock_fail(v, status, cause);
		goto fail;
	}
	for (attempt = 1; attempt <= VAULT_UNLOCK_TRIES; attempt++) {
		free(c);
		c = NULL;
		status = ask(arg, "Vault passphrase: ", attempt, &pass, &c);
		if (status != VAULT_OK) {
			/* After a wrong passphrase, a source that cannot ask again
			 * reports the failure itself. */
			if (attempt > 1) {
				free(c);
				c = NULL;
				status = vault_fail(&c, VAULT_AUTH, VAULT_MSG_AUTH);
			} else if (c == NULL)
				c = xstrdup("no passphrase given");
			break;
		}
		free(c);
		c = NULL;
		if (secret_len(pass) > VAULT_PASSPHRASE_MAX) {
			status = pass_too_long(&c);
			break;
		}
		status = unseal(pass, &h, buf, &pt, &ptlen, &c);
		if (status == VAULT_OK || status != VAULT_AUTH)
			break;
		secret_free(pass);
		pass = NULL;
	}
	if (status != VAULT_OK) {
		if (cause != NULL) {
			*cause = c;
			c = NULL;
		}
		status = unlock_fail(v, status, cause);
		goto fail;
	}
	status = vault_payload_parse(v, pt, ptlen, cause);
	sodium_free(pt);
	pt = NULL;
	if (status != VAULT_OK) {
		status = unlock_fail(v, status, cause);
		goto fail;
	}
	v->kdf_ops = h.opslimit;
	v->kdf_mem = h.memlimit;
	if (mode == VAULT_WRITE) {
		v->pass = pass;
		v->old = buf;
		v->oldlen = len;
	} else {
		secret_free(pass);
		free(buf);
		close(dirfd);
	}
	*out = v;
	return VAULT_OK;

fail:
	free(c);
	secret_free(pass);
	free(buf);
	if (dirfd >= 0 && v->dirfd != dirfd)
		close(dirfd);
	vault_close(v);
	return status;
}

/* ------------------------------------------------------------------------------------ */
/* Saving. */

/* Removes temp files a killed save left behind (we hold the lock, so they are stale). */
static void
remove_stale_temps(struct vault *v)
{
	char *prefix = xasprintf(".%s.tmp.", v->base);
	struct dirent *de;
	DIR *d;
	int fd;

	fd = openat(v->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		free(prefix);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			unlinkat(v->dirfd, de->d_name, 0);
	closedir(d);
	free(prefix);
}

/* Writes data into a new temp file in the vault's directory (0600, fsync'd, closed).
 * *tmpname is caller-freed; on failure nothing is left behind. */
static int
write_temp(struct vault *v, const unsigned char *data, size_t len, char **tmpname,
    char **cause)
{
	unsigned char rnd[8];
	char *name;
	int fd, status;

	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	randombytes_buf(rnd, sizeof rnd);
	name = xasprintf(".%s.tmp.%02x%02x%02x%02x%02x%02x%02x%02x", v->base, rnd[0], rnd[1],
	    rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	fd = openat(v->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot create a file in %s: %s", v->dir,
		    strerror(errno));
		free(name);
		return status;
	}
	if (fchmod(fd, 0600) != 0 || write_full(fd, data, len) != 0 || fsync(fd) != 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot write %s/%s: %s%s", v->dir, name,
		    strerror(errno), errno == ENOSPC || errno == EDQUOT ?
		    " (free some space; the vault was not changed)" : "");
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot write %s/%s: %s", v->dir, name,
		    strerror(errno));
		goto fail;
	}
	*tmpname = name;
	return VAULT_OK;

fail:
	unlinkat(v->dirfd, name, 0);
	free(name);
	return status;
}

/* Makes "<name>.bak" the file as it was unlocked: a hard link to it, or, where hard links
 * are not supported, a copy of the bytes read at unlock. */
static int
make_backup(struct vault *v, char **cause)
{
	char *bak = xasprintf("%s" BAK_SUFFIX, v->base);
	char *tmp = xasprintf(".%s.tmp.bak", v->base);
	char *copy = NULL;
	int status = VAULT_OK;

	unlinkat(v->dirfd, tmp, 0);
	if (linkat(v->dirfd, v->base, v->dirfd, tmp, 0) != 0) {
		if ((status = write_temp(v, v->old, v->oldlen, &copy, cause)) != VAULT_OK)
			goto out;
		free(tmp);
		tmp = copy;
	}
	if (renameat(v->dirfd, tmp, v->dirfd, bak) != 0)
		status = vault_fail(cause, VAULT_ERR, "cannot keep a backup as %s/%s: %s",
		    v->dir, bak, strerror(errno));
	/* rename(2) does nothing when both names are links to one file (the backup left by a
	 * save killed before its rename): the temporary name must go all the same. */
	unlinkat(v->dirfd, tmp, 0);
out:
	free(bak);
	free(tmp);
	return status;
}

/* Returns 1 when a and b describe the same, unchanged file (an inode number alone can be
 * reused by a file written since). */
static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Puts image in place of the vault file (see the DESIGN comment). */
static int
replace_file(struct vault *v, const unsigned char *image, size_t len, int flags,
    char **cause)
{
	char *tmp = NULL, *bak = NULL;
	struct stat st;
	int status;

	remove_stale_temps(v);
	if (v->exists) {
		if (fstatat(v->dirfd, v->base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !same_file(&st, &v->st))
			return vault_fail(cause, VAULT_ERR, "%s was replaced since it was unlocked; "
			    "nothing saved (run the command again)", v->path);
	} else if (fstatat(v->dirfd, v->base, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return vault_fail(cause, VAULT_ERR, "a vault already exists at %s", v->path);
	if ((status = write_temp(v, image, len, &tmp, cause)) != VAULT_OK)
		return status;
	if (v->exists) {
		if (!(flags & VAULT_SAVE_DROP_BACKUP) &&
		    (status = make_backup(v, cause)) != VAULT_OK)
			goto fail;
		TEST_POINT(VAULT_TP_BEFORE_RENAME);
		if (renameat(v->dirfd, tmp, v->dirfd, v->base) != 0) {
			status = vault_fail(cause, VAULT_ERR, "cannot replace %s: %s", v->path,
			    strerror(errno));
			goto fail;
		}
	} else {
		TEST_POINT(VAULT_TP_BEFORE_RENAME);
		/* link(2) never replaces: a vault created meanwhile is not overwritten. */
		if (linkat(v->dirfd, tmp, v->dirfd, v->base, 0) != 0) {
			status = vault_fail(cause, VAULT_ERR, errno == EEXIST ? "a vault already "
			    "exists at %s" : "cannot create %s: %s", v->path, strerror(errno));
			goto fail;
		}
		unlinkat(v->dirfd, tmp, 0);
	}
	TEST_POINT(VAULT_TP_AFTER_RENAME);
	if (flags & VAULT_SAVE_DROP_BACKUP) {
		bak = xasprintf("%s" BAK_SUFFIX, v->base);
		unlinkat(v->dirfd, bak, 0);
		free(bak);
	}
	if (fstatat(v->dirfd, v->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		v->exists = 1;
		v->st = st;
	}
	free(tmp);
	if (fsync(v->dirfd) != 0)
		return vault_fail(cause, VAULT_ERR, "saved %s, but flushing its directory "
		    "failed: %s", v->path, strerror(errno));
	return VAULT_OK;

fail:
	unlinkat(v->dirfd, tmp, 0);
	free(tmp);
	return status;
}

int
vault_save(struct vault *v, int flags, char **cause)
{
	struct vault_header h;
	unsigned char *image = NULL;
	char *pt = NULL;
	size_t ptlen = 0, len = 0;
	int status;

	if (v->mode != VAULT_WRITE || v->dirfd < 0 || v->pass == NULL)
		return vault_fail(cause, VAULT_ERR, "the vault is not open for writing");
	if ((status = payload_print(v, &pt, &ptlen, cause)) != VAULT_OK)
		return status;
	memset(&h, 0, sizeof h);
	h.opslimit = kdf_limits.ops_default;
	h.memlimit = kdf_limits.mem_default;
	randombytes_buf(h.salt, sizeof h.salt);
	randombytes_buf(h.nonce, sizeof h.nonce);
	status = seal(secret_reveal(v->pass), secret_len(v->pass), &h, pt, ptlen, &image, &len,
	    cause);
	secret_hide(v->pass);
	sodium_free(pt);
	if (status != VAULT_OK)
		return status;
	status = replace_file(v, image, len, flags, cause);
	if (status == VAULT_OK) {
		v->kdf_ops = h.opslimit;
		v->kdf_mem = h.memlimit;
		free(v->old);
		v->old = image;
		v->oldlen = len;
	} else
		free(image);
	return status;
}

int
vault_create(struct vault **out, const char *path, struct secret *pass, char **cause)
{
	struct vault *v = vault_alloc(path);
	struct stat st;
	int status;

	*out = NULL;
	v->mode = VAULT_WRITE;
	v->pass = pass;
	if (secret_len(pass) > VAULT_PASSPHRASE_MAX) {
		status = pass_too_long(cause);
		goto fail;
	}
	if (*v->base == '\0') {
		status = vault_fail(cause, VAULT_ERR, "the vault path must name a file");
		goto fail;
	}
	if ((status = make_dirs(v->dir, cause)) != VAULT_OK ||
	    (status = open_dir(v->dir, &v->dirfd, cause)) != VAULT_OK ||
	    (status = take_lock(v, cause)) != VAULT_OK)
		goto fail;
	if (fstatat(v->dirfd, v->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		status = vault_fail(cause, VAULT_ERR, "a vault already exists at %s (change its "
		    "passphrase with 'iotdeck vault passwd')", path);
		goto fail;
	}
	if ((status = vault_save(v, 0, cause)) != VAULT_OK)
		goto fail;
	*out = v;
	return VAULT_OK;

fail:
	vault_close(v);
	return status;
}

/* ------------------------------------------------------------------------------------ */
/* Credentials for the rest of the program. */

int
vault_resolve_profile(const char *vault_opt, const char *name, vault_ask_fn ask, void *arg,
    struct vault_profile **out, char **cause)
{
	const struct vault_profile *p;
	struct vault *v = NULL;
	char *path = NULL;
	int status;

	*out = NULL;
	if ((status = vault_path(vault_opt, &path, cause)) != VAULT_OK)
		return status;
	if ((status = vault_unlock(&v, path, VAULT_READ, ask, arg, cause)) != VAULT_OK)
		goto out;
	if (name == NULL && (name = vault_default_name(v)) == NULL) {
		status = vault_fail(cause, VAULT_NOENT, "the vault %s has no default profile "
		    "(choose one with 'iotdeck vault default NAME')", path);
		goto out;
	}
	if ((p = vault_profile_find(v, name)) == NULL) {
		status = vault_fail(cause, VAULT_NOENT, "no profile named %s in the vault %s "
		    "(see 'iotdeck vault list')", name, path);
		goto out;
	}
	*out = vault_profile_dup(p);
out:
	vault_close(v);
	free(path);
	return status;
}

int
vault_resolve_credentials(const char *vault_opt, const char *profile, vault_ask_fn ask,
    void *arg, struct vault_profile **out, enum vault_origin *origin, char **cause)
{
	const char *id = getenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
	const char *sec = getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
	const char *region = getenv("ALIBABA_CLOUD_REGION_ID");
	struct vault_profile *p;
	char *c = NULL;
	int status;

	*out = NULL;
	if (profile != NULL) {
		if (origin != NULL)
			*origin = VAULT_ORIGIN_PROFILE;
		return vault_resolve_profile(vault_opt, profile, ask, arg, out, cause);
	}
	if (id != NULL && *id == '\0')
		id = NULL;
	if (sec != NULL && *sec == '\0')
		sec = NULL;
	if ((id == NULL) != (sec == NULL))
		return vault_fail(cause, VAULT_ERR, "%s is set but %s is not; set both, or "
		    "neither to use the vault", id != NULL ? "ALIBABA_CLOUD_ACCESS_KEY_ID" :
		    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", id != NULL ?
		    "ALIBABA_CLOUD_ACCESS_KEY_SECRET" : "ALIBABA_CLOUD_ACCESS_KEY_ID");
	if (id != NULL) {
		p = xcalloc(1, sizeof *p);
		p->name = xstrdup("env");
		p->access_key_id = xstrdup(id);
		p->access_key_secret = secret_from(sec, strnlen(sec, SECRET_MAX));
		p->region = region != NULL && *region != '\0' ? xstrdup(region) : NULL;
		if ((status = profile_check(p, cause)) != VAULT_OK) {
			vault_profile_free(p);
			return status;
		}
		if (origin != NULL)
			*origin = VAULT_ORIGIN_ENV;
		*out = p;
		return VAULT_OK;
	}
	if (origin != NULL)
		*origin = VAULT_ORIGIN_DEFAULT;
	status = vault_resolve_profile(vault_opt, NULL, ask, arg, out, &c);
	if (status == VAULT_NOENT) {
		status = vault_fail(cause, VAULT_NOENT, "no credentials: %s; or give --profile "
		    "NAME, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
		    c);
		free(c);
	} else if (cause != NULL)
		*cause = c;
	else
		free(c);
	return status;
}

/* ------------------------------------------------------------------------------------ */
/* Idle auto-lock. */

void
vault_idle_start(struct vault_idle *t, uint64_t idle_ms, uint64_t max_ms, uint64_t now)
{
	t->idle_ms = idle_ms;
	t->max_ms = max_ms;
	t->unlocked_at = now;
	t->last_active = now;
}

void
vault_idle_touch(struct vault_idle *t, uint64_t now)
{
	if (now > t->last_active)
		t->last_active = now;
}

uint64_t
vault_idle_remaining_ms(const struct vault_idle *t, uint64_t now)
{
	uint64_t left = UINT64_MAX, end;

	if (t->idle_ms != 0) {
		end = t->last_active + t->idle_ms;
		left = now >= end ? 0 : end - now;
	}
	if (t->max_ms != 0) {
		end = t->unlocked_at + t->max_ms;
		if (now >= end)
			left = 0;
		else if (end - now < left)
			left = end - now;
	}
	return left;
}

int
vault_idle_expired(const struct vault_idle *t, uint64_t now)
{
	return vault_idle_remaining_ms(t, now) == 0;
}
