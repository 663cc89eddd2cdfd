/* savefile.c — atomic, durable saves that never follow a symbolic link (see savefile.h). */
#include "sim/savefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/xmalloc.h"

struct sim_savefile {
	char *path;	/* the target, for messages */
	char *base;	/* its last component */
	char *tmp;	/* the temporary file's name in the directory */
	int   dirfd;	/* the directory */
	FILE *f;	/* the temporary file */
};

static void
savefile_free(struct sim_savefile *f)
{
	if (f->f != NULL)
		fclose(f->f);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->path);
	free(f->base);
	free(f->tmp);
	free(f);
}

/* Refuses a symbolic link at the target (a missing target is fine). */
static int
refuse_link(int dirfd, const char *base, const char *path, char **cause)
{
	struct stat st;

	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		*cause = xasprintf("%s: is a symbolic link (refused; give the real path)", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	return 0;
}

struct sim_savefile *
sim_savefile_begin(const char *path, char **cause)
{
	struct sim_savefile *f = xcalloc(1, sizeof *f);
	const char *slash = strrchr(path, '/');
	char *dir, hex[17];
	unsigned char rnd[8];
	int fd = -1, tries;

	f->dirfd = -1;
	f->path = xstrdup(path);
	if (slash == NULL) {
		dir = xstrdup(".");
		f->base = xstrdup(path);
	} else {
		dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
		f->base = xstrdup(slash + 1);
	}
	if (*f->base == '\0' || strcmp(f->base, ".") == 0 || strcmp(f->base, "..") == 0) {
		*cause = xasprintf("%s: not a file name", path);
		free(dir);
		goto fail;
	}
	f->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->dirfd < 0) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		free(dir);
		goto fail;
	}
	free(dir);
	if (refuse_link(f->dirfd, f->base, path, cause) != 0)
		goto fail;
	for (tries = 0; fd < 0 && tries < 16; tries++) {
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
		free(f->tmp);
		f->tmp = xasprintf(".%s.tmp.%s", f->base, hex);
		fd = openat(f->dirfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (fd < 0 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			free(f->tmp);
			f->tmp = NULL;
			goto fail;
		}
	}
	if (fd < 0) {
		*cause = xasprintf("%s: no free temporary name", path);
		free(f->tmp);
		f->tmp = NULL;
		goto fail;
	}
	if ((f->f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		unlinkat(f->dirfd, f->tmp, 0);
		goto fail;
	}
	return f;
fail:
	savefile_free(f);
	return NULL;
}

FILE *
sim_savefile_stream(struct sim_savefile *f)
{
	return f->f;
}

int
sim_savefile_commit(struct sim_savefile *f, char **cause)
{
	int rc = -1, err;

	if (ferror(f->f) || fflush(f->f) != 0 || fsync(fileno(f->f)) != 0) {
		err = errno != 0 ? errno : EIO;
		*cause = xasprintf("%s: %s", f->path, strerror(err));
		goto fail;
	}
	err = fclose(f->f);
	f->f = NULL;
	if (err != 0) {
		*cause = xasprintf("%s: %s", f->path, strerror(errno));
		goto fail;
	}
	/* Checked again just before the rename: a link planted while the state was written
	 * is refused too. */
	if (refuse_link(f->dirfd, f->base, f->path, cause) != 0)
		goto fail;
	if (renameat(f->dirfd, f->tmp, f->dirfd, f->base) != 0) {
		*cause = xasprintf("%s: %s", f->path, strerror(errno));
		goto fail;
	}
	free(f->tmp);
	f->tmp = NULL;
	if (fsync(f->dirfd) != 0 && errno != EINVAL) {
		*cause = xasprintf("%s: %s", f->path, strerror(errno));
		goto fail;
	}
	rc = 0;
fail:
	if (f->tmp != NULL)
		unlinkat(f->dirfd, f->tmp, 0);
	savefile_free(f);
	return rc;
}

void
sim_savefile_abort(struct sim_savefile *f)
{
	if (f == NULL)
		return;
	if (f->f != NULL) {
		fclose(f->f);
		f->f = NULL;
	}
	if (f->tmp != NULL)
		unlinkat(f->dirfd, f->tmp, 0);
	savefile_free(f);
}

FILE *
sim_savefile_open_read(const char *path, int *missing, char **cause)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	FILE *f;

	*missing = 0;
	if (fd < 0) {
		if (errno == ENOENT)
			*missing = 1;
		else if (errno == ELOOP)
			*cause = xasprintf("%s: is a symbolic link (refused; give the real path)", path);
		else
			*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}
