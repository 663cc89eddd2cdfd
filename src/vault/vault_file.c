/* vault_file.c — the vault's file on disk: where it is, its directory and lock, reading it,
 * and replacing it atomically with a backup (see vault_file.h).
 *
 * DESIGN
 *
 * The vault's directory is opened once (O_NOFOLLOW) and everything else is done relative
 * to that descriptor. The directory and the file must be owned by the user and have no
 * group/other permission bits, and neither may be a symlink; otherwise we refuse, and say
 * what to do without ever advising a change to what is not the user's alone: a chmod only
 * for the user's own file, or own directory that nobody else can write to (and not / or
 * the home directory); for a directory of someone else's or a shared one (sticky or
 * writable by others, like /tmp, where "chmod 700" would break every other user) a private
 * directory to use instead (the default, or mkdir -m 700).
 *
 * A save writes "<dir>/.<name>.tmp.<random>" (0600, O_EXCL), checks every write (short
 * writes, ENOSPC), fsyncs and closes it, hard-links the current file to "<name>.bak" (or
 * writes the old bytes there if links are not supported), renames the temp file over the
 * vault and fsyncs the directory. A crash at any point leaves the old or the new vault in
 * place. Writers serialise on flock(LOCK_EX) of "<name>.lock" in the same directory, held
 * from unlock to close, and a save also refuses if the file is no longer the inode that
 * was unlocked. Readers need no lock: rename is atomic.
 *
 * Why not core/atomicfile: that helper serves exports (a path opened when writing, the
 * target's mode kept or 0666 less the umask, rename over whatever is there). The vault
 * needs more, and each is a guarantee of its own: the directory descriptor checked at
 * unlock and held (with the lock) until the save, mode 0600 always, a new vault made with
 * link(2) so that one created meanwhile is never overwritten, the file checked to be the
 * one unlocked, a backup of the previous version, and a write hook for the tests of full
 * disks. Sharing the temp-file step alone would save a dozen lines and couple the two.
 */
#include "vault/vault_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/xmalloc.h"

/* Names of the files next to the vault, relative to its directory. */
#define BAK_SUFFIX	".bak"
#define LOCK_SUFFIX	".lock"

#ifdef IOTDECK_VAULT_TEST_KDF
void (*vault_test_hook)(enum vault_test_point);
long (*vault_test_write)(int, const void *, size_t);
#define TEST_POINT(pt) do { if (vault_test_hook != NULL) vault_test_hook(pt); } while (0)
#else
#define TEST_POINT(pt) do { } while (0)
#endif

int
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
take_lock(struct vault_file *f, char **cause)
{
	char *name = xasprintf("%s" LOCK_SUFFIX, f->base);
	struct stat st;
	int fd, status;

	fd = openat(f->dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		status = vault_fail(cause, errno == ELOOP ? VAULT_UNSAFE : VAULT_ERR,
		    "cannot open the lock file %s/%s: %s", f->dir, name, strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		status = vault_fail(cause, VAULT_UNSAFE, "the lock file %s/%s is not a regular "
		    "file of yours; remove it", f->dir, name);
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			status = vault_fail(cause, VAULT_BUSY, "another iotdeck is changing the "
			    "vault %s; try again when it has finished", f->path);
		else
			status = vault_fail(cause, VAULT_ERR, "cannot lock %s/%s: %s", f->dir,
			    name, strerror(errno));
		goto fail;
	}
	f->lockfd = fd;
	free(name);
	return VAULT_OK;

fail:
	if (fd >= 0)
		close(fd);
	free(name);
	return status;
}

int
vault_file_read(struct vault_file *f, unsigned char **bufp, size_t *lenp, char **cause)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t len, got = 0;
	int fd, status;

	*bufp = NULL;
	fd = openat(f->dirfd, f->base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return vault_fail(cause, VAULT_NOENT, "no vault at %s (create one with "
			    "'iotdeck vault init')", f->path);
		if (errno == ELOOP)
			return vault_fail(cause, VAULT_UNSAFE, "vault file %s is a symbolic link; "
			    "replace it with the file it points to (or give --vault with the real "
			    "path)", f->path);
		return vault_fail(cause, VAULT_ERR, "cannot open %s: %s", f->path,
		    strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot stat %s: %s", f->path,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		status = vault_fail(cause, VAULT_UNSAFE, "%s is not a regular file", f->path);
		goto fail;
	}
	if ((status = check_stat(&st, f->path, 0, cause)) != VAULT_OK)
		goto fail;
	if (st.st_size > VAULT_FILE_MAX) {
		status = vault_fail(cause, VAULT_FORMAT, "%s is too large for a vault (%lld "
		    "bytes; the limit is %d)", f->path, (long long)st.st_size, VAULT_FILE_MAX);
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
			status = vault_fail(cause, VAULT_ERR, "cannot read %s: %s", f->path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > len) {
			status = vault_fail(cause, VAULT_ERR, "%s changed while being read; try "
			    "again", f->path);
			goto fail;
		}
	}
	close(fd);
	f->exists = 1;
	f->st = st;
	*bufp = buf;
	*lenp = got;
	return VAULT_OK;

fail:
	free(buf);
	close(fd);
	return status;
}

/* ------------------------------------------------------------------------------------ */
/* Saving. */

/* Removes temp files a killed save left behind (we hold the lock, so they are stale). */
static void
remove_stale_temps(struct vault_file *f)
{
	char *prefix = xasprintf(".%s.tmp.", f->base);
	struct dirent *de;
	DIR *d;
	int fd;

	fd = openat(f->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		free(prefix);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			unlinkat(f->dirfd, de->d_name, 0);
	closedir(d);
	free(prefix);
}

/* Writes data into a new temp file in the vault's directory (0600, fsync'd, closed).
 * *tmpname is caller-freed; on failure nothing is left behind. */
static int
write_temp(struct vault_file *f, const unsigned char *data, size_t len, char **tmpname,
    char **cause)
{
	unsigned char rnd[8];
	char *name;
	int fd, status;

	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	randombytes_buf(rnd, sizeof rnd);
	name = xasprintf(".%s.tmp.%02x%02x%02x%02x%02x%02x%02x%02x", f->base, rnd[0], rnd[1],
	    rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	fd = openat(f->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot create a file in %s: %s", f->dir,
		    strerror(errno));
		free(name);
		return status;
	}
	if (fchmod(fd, 0600) != 0 || write_full(fd, data, len) != 0 || fsync(fd) != 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot write %s/%s: %s%s", f->dir, name,
		    strerror(errno), errno == ENOSPC || errno == EDQUOT ?
		    " (free some space; the vault was not changed)" : "");
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		status = vault_fail(cause, VAULT_ERR, "cannot write %s/%s: %s", f->dir, name,
		    strerror(errno));
		goto fail;
	}
	*tmpname = name;
	return VAULT_OK;

fail:
	unlinkat(f->dirfd, name, 0);
	free(name);
	return status;
}

/* Makes "<name>.bak" the file as it was unlocked: a hard link to it, or, where hard links
 * are not supported, a copy of the bytes read at unlock. */
static int
make_backup(struct vault_file *f, char **cause)
{
	char *bak = xasprintf("%s" BAK_SUFFIX, f->base);
	char *tmp = xasprintf(".%s.tmp.bak", f->base);
	char *copy = NULL;
	int status = VAULT_OK;

	unlinkat(f->dirfd, tmp, 0);
	if (linkat(f->dirfd, f->base, f->dirfd, tmp, 0) != 0) {
		if ((status = write_temp(f, f->old, f->oldlen, &copy, cause)) != VAULT_OK)
			goto out;
		free(tmp);
		tmp = copy;
	}
	if (renameat(f->dirfd, tmp, f->dirfd, bak) != 0)
		status = vault_fail(cause, VAULT_ERR, "cannot keep a backup as %s/%s: %s",
		    f->dir, bak, strerror(errno));
	/* rename(2) does nothing when both names are links to one file (the backup left by a
	 * save killed before its rename): the temporary name must go all the same. */
	unlinkat(f->dirfd, tmp, 0);
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
replace_file(struct vault_file *f, const unsigned char *image, size_t len, int flags,
    char **cause)
{
	char *tmp = NULL, *bak = NULL;
	struct stat st;
	int status;

	remove_stale_temps(f);
	if (f->exists) {
		if (fstatat(f->dirfd, f->base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !same_file(&st, &f->st))
			return vault_fail(cause, VAULT_ERR, "%s was replaced since it was unlocked; "
			    "nothing saved (run the command again)", f->path);
	} else if (fstatat(f->dirfd, f->base, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return vault_fail(cause, VAULT_ERR, "a vault already exists at %s", f->path);
	if ((status = write_temp(f, image, len, &tmp, cause)) != VAULT_OK)
		return status;
	if (f->exists) {
		if (!(flags & VAULT_SAVE_DROP_BACKUP) &&
		    (status = make_backup(f, cause)) != VAULT_OK)
			goto fail;
		TEST_POINT(VAULT_TP_BEFORE_RENAME);
		if (renameat(f->dirfd, tmp, f->dirfd, f->base) != 0) {
			status = vault_fail(cause, VAULT_ERR, "cannot replace %s: %s", f->path,
			    strerror(errno));
			goto fail;
		}
	} else {
		TEST_POINT(VAULT_TP_BEFORE_RENAME);
		/* link(2) never replaces: a vault created meanwhile is not overwritten. */
		if (linkat(f->dirfd, tmp, f->dirfd, f->base, 0) != 0) {
			status = vault_fail(cause, VAULT_ERR, errno == EEXIST ? "a vault already "
			    "exists at %s" : "cannot create %s: %s", f->path, strerror(errno));
			goto fail;
		}
		unlinkat(f->dirfd, tmp, 0);
	}
	TEST_POINT(VAULT_TP_AFTER_RENAME);
	if (flags & VAULT_SAVE_DROP_BACKUP) {
		bak = xasprintf("%s" BAK_SUFFIX, f->base);
		unlinkat(f->dirfd, bak, 0);
		free(bak);
	}
	if (fstatat(f->dirfd, f->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		f->exists = 1;
		f->st = st;
	}
	free(tmp);
	if (fsync(f->dirfd) != 0)
		return vault_fail(cause, VAULT_ERR, "saved %s, but flushing its directory "
		    "failed: %s", f->path, strerror(errno));
	return VAULT_OK;

fail:
	unlinkat(f->dirfd, tmp, 0);
	free(tmp);
	return status;
}

int
vault_file_replace(struct vault_file *f, unsigned char *image, size_t len, int flags,
    char **cause)
{
	int status;

	if (f->dirfd < 0 || f->lockfd < 0)
		return vault_fail(cause, VAULT_ERR, "the vault is not open for writing");
	if ((status = replace_file(f, image, len, flags, cause)) != VAULT_OK)
		return status;
	free(f->old);
	f->old = image;
	f->oldlen = len;
	return VAULT_OK;
}

/* ------------------------------------------------------------------------------------ */
/* Opening and closing. */

void
vault_file_init(struct vault_file *f, const char *path)
{
	memset(f, 0, sizeof *f);
	f->dirfd = -1;
	f->lockfd = -1;
	if (path != NULL) {
		f->path = xstrdup(path);
		path_split(path, &f->dir, &f->base);
	}
}

void
vault_file_close_dir(struct vault_file *f)
{
	if (f->dirfd >= 0)
		close(f->dirfd);
	f->dirfd = -1;
}

void
vault_file_free(struct vault_file *f)
{
	if (f->lockfd >= 0)
		close(f->lockfd);	/* releases the flock */
	vault_file_close_dir(f);
	free(f->old);
	free(f->path);
	free(f->dir);
	free(f->base);
	memset(f, 0, sizeof *f);
	f->dirfd = f->lockfd = -1;
}

int
vault_file_open(struct vault_file *f, enum vault_open how, char **cause)
{
	struct stat st;
	int status;

	if (f->base == NULL || *f->base == '\0')
		return vault_fail(cause, VAULT_ERR, "the vault path must name a file");
	if (how == VAULT_OPEN_CREATE && (status = make_dirs(f->dir, cause)) != VAULT_OK)
		return status;
	if ((status = open_dir(f->dir, &f->dirfd, cause)) != VAULT_OK)
		return status;
	if (how != VAULT_OPEN_READ && (status = take_lock(f, cause)) != VAULT_OK)
		return status;
	if (how == VAULT_OPEN_CREATE &&
	    fstatat(f->dirfd, f->base, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return vault_fail(cause, VAULT_ERR, "a vault already exists at %s (change its "
		    "passphrase with 'iotdeck vault passwd')", f->path);
	return VAULT_OK;
}
