/* atomicfile.h — write a file whole or not at all: into a temporary file in the target's
 * directory, renamed over the target only at the end.
 *
 * atomicfile_open refuses a target that is a symbolic link (never followed, dangling or
 * not) or anything but a regular file, and creates the temporary file next to it with
 * O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, under a random name (".NAME.iotdeck-" and 16 hex
 * digits); the target is not touched. atomicfile_commit flushes and syncs the file, gives
 * it its final mode — the target's permission bits when it existed, else 0666 less the
 * umask, as a shell redirection makes it — renames it over the target (rename replaces a
 * link that appeared meanwhile, it never writes through one) and syncs the directory.
 * atomicfile_discard removes it and leaves the target as it was.
 *
 * The directory is opened once and every step is relative to it, so a directory renamed
 * meanwhile cannot redirect the file. A replaced file's owner is not kept (the new file is
 * the caller's), and replacing needs write permission on the directory.
 */
#ifndef IOTDECK_ATOMICFILE_H
#define IOTDECK_ATOMICFILE_H

#include <stdio.h>
#include <sys/types.h>

/* Longest temporary name: "." + 200 bytes of the name + ".iotdeck-" + 16 hex digits. */
#define ATOMICFILE_TMP_MAX 240

struct atomicfile {
	FILE   *f;			/* write here (owned; NULL once committed or discarded) */
	int     dirfd;			/* the target's directory (owned) */
	char   *name;			/* the target's name in that directory (owned) */
	char    tmp[ATOMICFILE_TMP_MAX];	/* the temporary file's name in that directory; fixed
					   storage, so a signal handler may unlinkat(dirfd, tmp) */
	mode_t  mode;			/* the mode it gets when committed */
	int     existed;		/* the target existed (a regular file) when opened */
};

/* Opens a temporary file for path. Returns 0, or -1 with a caller-freed, display-safe
 * reason in *cause (a symbolic link, not a regular file, a directory that cannot be
 * opened or written). Reads the umask with umask(2): call it before threads that create
 * files start. */
int atomicfile_open(struct atomicfile *af, const char *path, char **cause);

/* Makes the file written so far the target. Returns 0, or -1 with a caller-freed reason
 * in *cause (a write, sync or rename failed: the temporary file is removed and the target
 * left as it was). Either way af is finished (atomicfile_free still frees it). */
int atomicfile_commit(struct atomicfile *af, char **cause);

/* Removes the temporary file; the target stays as it was. Harmless when already finished. */
void atomicfile_discard(struct atomicfile *af);

/* Discards the file if it is still open and frees af's contents. */
void atomicfile_free(struct atomicfile *af);

#endif
