/* savefile.h — files the simulator writes (--state, --port-file), replaced atomically and
 * durably, never through a symbolic link.
 *
 * A save writes "<dir>/.<name>.tmp.<random>", created with O_CREAT|O_EXCL|O_NOFOLLOW and
 * mode 0600 (so nothing planted at a temporary name is followed or reused, and the state's
 * device secrets are not readable by others), flushes and fsyncs it, renames it over the
 * target and fsyncs the directory, all relative to one descriptor of the directory. A
 * symbolic link at the target is refused, not followed or replaced; a crash at any point
 * leaves either the old file or the new one. Reads refuse a symbolic link too.
 */
#ifndef IOTDECK_SIM_SAVEFILE_H
#define IOTDECK_SIM_SAVEFILE_H

#include <stdio.h>

struct sim_savefile;

/* Starts replacing path: returns the save (its stream is sim_savefile_stream), or NULL
 * with *cause set. */
struct sim_savefile *sim_savefile_begin(const char *path, char **cause);
/* The stream to write the new contents to. */
FILE *sim_savefile_stream(struct sim_savefile *f);
/* Flushes, fsyncs and renames the new contents over the target; frees f. Returns 0, or -1
 * with *cause set (the target is then untouched and the temporary file removed). */
int sim_savefile_commit(struct sim_savefile *f, char **cause);
/* Drops the new contents; frees f. */
void sim_savefile_abort(struct sim_savefile *f);

/* Opens path for reading without following a symbolic link. Returns the stream, or NULL
 * with *cause set; *missing is set when the file does not exist (cause is then NULL). */
FILE *sim_savefile_open_read(const char *path, int *missing, char **cause);

#endif
