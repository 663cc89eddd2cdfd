/* vault_file.h — the vault's file on disk, private to src/vault: its directory (opened once,
 * checked, every step relative to it), the write lock, reading the file and replacing it
 * atomically with a backup. vault.c keeps the format and the crypto and calls these; the
 * rules are in the DESIGN comment of vault_file.c.
 *
 * Every function returning int returns VAULT_OK or a negative enum vault_status with a
 * caller-freed message in *cause (when cause is not NULL).
 */
#ifndef IOTDECK_VAULT_FILE_H
#define IOTDECK_VAULT_FILE_H

#include <stddef.h>
#include <sys/stat.h>

#include "vault/vault.h"

/* One vault file and what is open of it. */
struct vault_file {
	char		*path;		/* the vault file as given, or NULL (a detached vault) */
	char		*dir;		/* its directory */
	char		*base;		/* its name within dir */
	int		 dirfd;		/* the open, checked directory, or -1 */
	int		 lockfd;	/* the flock'd lock file "<base>.lock", or -1 */
	int		 exists;	/* the file exists (st and old are valid) */
	struct stat	 st;		/* the file as read (or last saved) */
	unsigned char	*old;		/* its bytes as read or last saved (for the backup) */
	size_t		 oldlen;	/* their length */
};

/* Stores a caller-freed message made from fmt in *cause (if cause is not NULL) and returns
 * status: the one way vault.c and vault_file.c fail. */
int vault_fail(char **cause, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets f up for path (NULL: no file); nothing is opened. */
void vault_file_init(struct vault_file *f, const char *path);
/* Releases the lock, closes the directory and frees f's contents. */
void vault_file_free(struct vault_file *f);

/* How vault_file_open opens. */
enum vault_open {
	VAULT_OPEN_READ,	/* the directory only */
	VAULT_OPEN_LOCK,	/* the directory and the write lock (VAULT_BUSY if held) */
	VAULT_OPEN_CREATE	/* missing directories made (0700), the lock taken, and no file
				   there yet (VAULT_ERR if there is) */
};

/* Opens and checks f's directory (VAULT_NOENT if missing, VAULT_UNSAFE with a how-to-fix
 * message if a symlink, not the user's or open to others) as how says. */
int vault_file_open(struct vault_file *f, enum vault_open how, char **cause);
/* Closes the directory (a reader is done with it; the lock, if any, stays). */
void vault_file_close_dir(struct vault_file *f);

/* Reads the file (opened as above) after checking it: a regular file of the user's, not a
 * symlink, no group/other bits, at most VAULT_FILE_MAX bytes. *buf (caller-freed) holds
 * its *len bytes; f remembers its stat for vault_file_replace. */
int vault_file_read(struct vault_file *f, unsigned char **buf, size_t *len, char **cause);

/* Puts image[0..len) in place of the file (f opened with the lock): temp file, backup of
 * the previous version as "<base>.bak" (deleted instead with VAULT_SAVE_DROP_BACKUP in
 * flags), rename, directory fsync'd. Refuses if the file is not the one read. On success
 * f->old becomes image (taken over); on failure the file is unchanged and image is the
 * caller's. */
int vault_file_replace(struct vault_file *f, unsigned char *image, size_t len, int flags,
    char **cause);

#endif
