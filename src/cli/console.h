/* console.h — `iotdeck` with no command: the ncurses console, optionally against a local
 * iotdeck-sim (--demo). */
#ifndef IOTDECK_CONSOLE_H
#define IOTDECK_CONSOLE_H

#include "cli/options.h"

/* The demo fleet's AccessKey (iotdeck-sim's documented demo key). */
#define DEMO_ACCESS_KEY_ID     "iotdeck-demo-key"
#define DEMO_ACCESS_KEY_SECRET "iotdeck-demo-secret"

/* Runs the console. Returns an exit status. */
int cmd_console(const struct global_opts *o);

/* A running simulator started for the demo. */
struct demo_sim {
	int   pid;		/* its process id (0: none) */
	int   port;		/* its loopback port */
	char *dir;		/* temporary directory (port file, log), owned */
};

/* Starts iotdeck-sim (found next to this program, else on PATH) on a free loopback port
 * with args appended to its command line (NULL-terminated, may be NULL). Returns 0, or -1
 * with a caller-freed *cause. */
int demo_sim_start(struct demo_sim *d, const char *const *args, char **cause);
/* Stops it and removes its directory (the log is kept when keep_log, and named). */
void demo_sim_stop(struct demo_sim *d);

#endif
