/* atomicfile.c — write a file whole or not at all (see atomicfile.h). */
#include "core/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/safetext.h"
#include "core/xmalloc.h"

/* Bytes of the target's name kept in the temporary name. */
#define TMP_NAME_KEEP 200

static char *
safe(const char *s)
{
	return safetext_dup(s, strlen(s));
}

static mode_t
current_umask(void)
{
	mode_t m = umask(077);

	umask(m);
	return m;
}

int
atomicfile_open(struct atomicfile *af, const char *path, char **cause)
{
	const char *slash = strrchr(path, '/');
	char *dir, *s = NULL, hex[17];
	unsigned char raw[8];
	struct stat st;
	int fd = -1, tries;
	size_t keep;

	memset(af, 0, sizeof *af);
	af->dirfd = -1;
	if (*path == '\0') {
		*cause = xstrdup("the output file name is empty");
		return -1;
	}
	if (slash == NULL) {
		dir = xstrdup(".");
		af->name = xstrdup(path);
	} else {
		dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
		af->name = xstrdup(slash + 1);
	}
	if (af->name[0] == '\0' || strcmp(af->name, ".") == 0 || strcmp(af->name, "..") == 0) {
		*cause = xasprintf("%s is a directory, not a regular file", s = safe(path));
		goto fail;
	}
	af->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (af->dirfd < 0) {
		char *sd = safe(dir);
		*cause = xasprintf("%s: the directory %s: %s", s = safe(path), sd, strerror(errno));
		free(sd);
		goto fail;
	}
	if (fstatat(af->dirfd, af->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			*cause = xasprintf("%s is a symbolic link: an export never writes through "
			    "one (remove it, or give the file it points to)", s = safe(path));
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			*cause = xasprintf("%s is not a regular file (to write to a device or a pipe, "
			    "leave out --output and redirect standard output)", s = safe(path));
			goto fail;
		}
		af->existed = 1;
		af->mode = st.st_mode & 0777;
	} else if (errno == ENOENT)
		af->mode = 0666 & ~current_umask();
	else {
		*cause = xasprintf("%s: %s", s = safe(path), strerror(errno));
		goto fail;
	}

	keep = strlen(af->name) > TMP_NAME_KEEP ? TMP_NAME_KEEP : strlen(af->name);
	for (tries = 0; tries < 16 && fd < 0; tries++) {
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
		snprintf(af->tmp, sizeof af->tmp, ".%.*s.iotdeck-%s", (int)keep, af->name, hex);
		fd = openat(af->dirfd, af->tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		*cause = xasprintf("cannot create a file in %s: %s", s = safe(dir), strerror(errno));
		af->tmp[0] = '\0';
		goto fail;
	}
	af->f = fdopen(fd, "w");
	if (af->f == NULL) {
		*cause = xasprintf("%s: %s", s = safe(path), strerror(errno));
		close(fd);
		unlinkat(af->dirfd, af->tmp, 0);
		af->tmp[0] = '\0';
		goto fail;
	}
	free(dir);
	return 0;
fail:
	free(s);
	free(dir);
	atomicfile_free(af);
	return -1;
}

int
atomicfile_commit(struct atomicfile *af, char **cause)
{
	const char *step = NULL;
	int err = 0, fd;

	if (af->f == NULL) {
		*cause = xstrdup("the file is already finished");
		return -1;
	}
	fd = fileno(af->f);
	if (fflush(af->f) != 0 || ferror(af->f))
		step = "writing";
	else if (fsync(fd) != 0)
		step = "syncing";
	else if (fchmod(fd, af->mode) != 0)
		step = "setting the mode of";
	if (step != NULL)
		err = errno != 0 ? errno : EIO;
	if (fclose(af->f) != 0 && step == NULL) {
		step = "writing";
		err = errno;
	}
	af->f = NULL;
	if (step == NULL && renameat(af->dirfd, af->tmp, af->dirfd, af->name) != 0) {
		step = "renaming the new file over";
		err = errno;
	}
	if (step != NULL) {
		char *s = safe(af->name);
		unlinkat(af->dirfd, af->tmp, 0);
		af->tmp[0] = '\0';
		*cause = xasprintf("%s %s: %s; it was left as it was", step, s, strerror(err));
		free(s);
		return -1;
	}
	af->tmp[0] = '\0';
	(void)fsync(af->dirfd);	/* the rename itself durable; nothing to undo if not */
	return 0;
}

void
atomicfile_discard(struct atomicfile *af)
{
	if (af->f != NULL) {
		fclose(af->f);
		af->f = NULL;
	}
	if (af->tmp[0] != '\0' && af->dirfd >= 0)
		unlinkat(af->dirfd, af->tmp, 0);
	af->tmp[0] = '\0';
}

void
atomicfile_free(struct atomicfile *af)
{
	atomicfile_discard(af);
	if (af->dirfd >= 0)
		close(af->dirfd);
	af->dirfd = -1;
	free(af->name);
	af->name = NULL;
}
