/* errors.h — the console's errors: the one on the status bar, and a history of recent ones.
 *
 * An error is shown on the status bar until it is no longer true: an API error goes when
 * the same action next succeeds (or after ERRORS_API_SECONDS), any other after
 * ERRORS_OTHER_SECONDS. Every error is kept in a history of the last ERRORS_MAX, newest
 * first, with all the detail the API gave (code, action, HTTP status, RequestId, time), for
 * the `e` view.
 */
#ifndef IOTDECK_ERRORS_H
#define IOTDECK_ERRORS_H

#include <stddef.h>
#include <time.h>

#include "api/response.h"
#include "ui/overlay.h"

#define ERRORS_MAX           50
#define ERRORS_API_SECONDS   300.0
#define ERRORS_OTHER_SECONDS 30.0

struct error_rec {
	double  at;		/* when (monotonic seconds) */
	time_t  wall;		/* when (wall clock, for the view) */
	char   *action;		/* the API action, or NULL for the console's own errors */
	char   *code;		/* the error code, or NULL */
	long    http_status;	/* HTTP status, 0 when none came */
	char   *request_id;	/* RequestId, or NULL */
	char   *text;		/* the message in full (display-safe; may hold newlines) */
	int     outcome_unknown;/* a write that may have been carried out */
};

struct errors {
	struct error_rec rec[ERRORS_MAX];	/* a ring: rec[(first + i) % MAX], oldest first */
	size_t           first;			/* index of the oldest */
	size_t           n;			/* records kept */
	int              shown;			/* the newest is on the status bar */
};

/* Frees every record (the struct itself is the caller's). */
void errors_free(struct errors *e);
/* Records an error: action NULL for the console's own, err NULL when there is no API
 * detail; text is the message (made display-safe here). It goes on the status bar. */
void errors_add(struct errors *e, double now, const char *action, const struct api_error *err,
    const char *text);
/* A request of action succeeded: an error of the same action leaves the status bar. */
void errors_succeeded(struct errors *e, const char *action);
/* The status-bar line ("Action: Code: message"), or NULL when nothing is shown (an error
 * older than its time goes); *until gets the seconds until that changes (or is left). */
const char *errors_status(struct errors *e, double now, double *until);
/* Number of errors kept. */
size_t errors_count(const struct errors *e);
/* Fills o with the history, newest first, every field of each error in full. */
void errors_view(const struct errors *e, struct overlay *o);

#endif
