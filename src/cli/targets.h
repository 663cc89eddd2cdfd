/* targets.h — the devices a command-line write goes to, and the values it sets.
 *
 * `iotdeck set TARGET... ID=VALUE...` and `iotdeck invoke TARGET... SERVICE [ARG=VALUE...]`
 * name their devices four ways, mixed freely:
 *   PK/DEVICENAME     a ProductKey and a DeviceName
 *   IOTID             an IotId (a word without '/' or '=')
 *   --from FILE       one of the two above a line (blank lines and # comments skipped;
 *                     FILE "-" is standard input)
 *   --group GROUPID   every device of a group (QueryDeviceListByDeviceGroup, all pages)
 * A word holding '=' is an assignment; for invoke, SERVICE is the first word after the
 * targets that is neither (the last plain word before the first assignment).
 *
 * targets_parse reads the words (and --from files); targets_resolve asks the API what it
 * must (the devices of each group, the ProductKey and DeviceName of each IotId through
 * QueryDeviceInfo) and removes duplicates, so that every device is in the list once,
 * with its ProductKey and DeviceName known -- what the thing model is looked up by.
 */
#ifndef IOTDECK_TARGETS_H
#define IOTDECK_TARGETS_H

#include <stddef.h>

#include "api/worker.h"
#include "api/tslvalue.h"

/* One device. */
struct target {
	char *product_key;	/* ProductKey, or NULL until resolved (an IotId given) */
	char *device_name;	/* DeviceName, or NULL until resolved */
	char *iot_id;		/* IotId, or NULL when not known */
	char *source;		/* where it was named, for messages: "FILE:LINE", "argument
				   3", "group G" (owned) */
};

struct target_list {
	struct target *v;	/* the devices (owned) */
	size_t         n;	/* used */
	size_t         cap;	/* allocated */
};

/* What the words of set or invoke say. */
struct targets_args {
	struct target_list  targets;	/* PK/DN and IotIds, as given (files read) */
	char              **groups;	/* --group ids (owned array of pointers into words) */
	size_t              ngroups;	/* number of groups */
	const char         *service;	/* invoke: SERVICE (points into words) */
	struct tslvalue_set *sets;	/* ID=VALUE / ARG=VALUE (owned array; the strings are
					   owned copies of the identifiers and point into
					   words for the values) */
	size_t              nsets;	/* number of assignments */
	int                 json;	/* --json */
};

/* Parses words[1..nwords) of set (invoke 0) or invoke (invoke 1), reading --from files.
 * Returns 0, or -1 with a caller-freed, display-safe *cause (a usage error: a malformed
 * target or assignment, an identifier given twice, no targets, no assignment for set, no
 * SERVICE for invoke, a file that cannot be read). Free with targets_args_free. */
int targets_parse(int invoke, char **words, int nwords, struct targets_args *a,
    char **cause);
void targets_args_free(struct targets_args *a);

/* Parses one target word ("PK/DN" or an IotId) into t (source copied). Returns 0, or -1
 * with *cause. */
int targets_parse_word(const char *word, const char *source, struct target *t, char **cause);

/* Adds the devices of the groups, fills in the ProductKey and DeviceName of targets named
 * by IotId, and drops duplicates (the first naming wins; each drop is counted in
 * *duplicates). Requests go through w at most window at a time. *interrupted is polled
 * between results (Ctrl-C): then it stops. Returns API_OK, or the status of the first
 * failure with a caller-freed, display-safe *cause naming the target or the group. */
enum api_status targets_resolve(struct worker *w, struct targets_args *a, int window,
    volatile int *interrupted, size_t *duplicates, char **cause);

void target_list_free(struct target_list *l);

/* Fills p with the parameters of the i-th read; returns 0 to skip it. */
typedef int targets_params_fn(void *arg, size_t i, struct params *p);
/* Takes the i-th read's answer (API_OK); returns 0, or -1 with a caller-freed *cause
 * when the answer is not what was needed. */
typedef int targets_answer_fn(void *arg, size_t i, const cJSON *answer, char **cause);
/* Sends n reads of action through w (interactive priority), at most window at a time,
 * and hands each answer to on_answer. Stops sending at the first failure (an error
 * answer, on_answer's -1: *cause says which, prefixed by name(arg, i)) or when
 * *interrupted is set; waits for what is on the wire. Returns API_OK or that status. */
enum api_status targets_read_each(struct worker *w, const char *action, size_t n,
    int window, targets_params_fn *params_of, targets_answer_fn *on_answer,
    const char *(*name)(void *arg, size_t i), void *arg, volatile int *interrupted,
    char **cause);

#endif
