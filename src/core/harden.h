/* harden.h — process-wide protections for a program that holds secrets. */
#ifndef IOTDECK_HARDEN_H
#define IOTDECK_HARDEN_H

/* Disables core dumps (RLIMIT_CORE 0) and ptrace/proc access by other users of the same
 * uid (PR_SET_DUMPABLE 0), so secrets in memory never land on disk. Returns 0, or -1 when
 * a protection could not be applied (errno set). */
int harden_process(void);

#endif
