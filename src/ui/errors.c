/* errors.c — the status bar's error and the history of recent errors (see errors.h). */
#include "ui/errors.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

static void
rec_free(struct error_rec *r)
{
	free(r->action);
	free(r->code);
	free(r->request_id);
	free(r->text);
	memset(r, 0, sizeof *r);
}

void
errors_free(struct errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		rec_free(&e->rec[(e->first + i) % ERRORS_MAX]);
	memset(e, 0, sizeof *e);
}

static char *
dup_safe(const char *s)
{
	return s != NULL ? safetext_dup(s, strlen(s)) : NULL;
}

/* The newest record, or NULL. */
static struct error_rec *
newest(const struct errors *e)
{
	return e->n > 0 ? (struct error_rec *)&e->rec[(e->first + e->n - 1) % ERRORS_MAX] : NULL;
}

void
errors_add(struct errors *e, double now, const char *action, const struct api_error *err,
    const char *text)
{
	struct error_rec *r;

	if (e->n == ERRORS_MAX) {
		rec_free(&e->rec[e->first]);
		e->first = (e->first + 1) % ERRORS_MAX;
		e->n--;
	}
	r = &e->rec[(e->first + e->n) % ERRORS_MAX];
	e->n++;
	r->at = now;
	r->wall = time(NULL);
	r->action = dup_safe(action);
	if (err != NULL) {
		r->code = dup_safe(err->code);
		r->http_status = err->http_status;
		r->request_id = dup_safe(err->request_id);
		r->outcome_unknown = err->outcome_unknown;
	}
	r->text = safetext_dup(text, strlen(text));
	e->shown = 1;
}

void
errors_succeeded(struct errors *e, const char *action)
{
	struct error_rec *r = newest(e);

	/* A write whose outcome is unknown stays until it expires: a later success of the
	 * same action says nothing about it. */
	if (r != NULL && e->shown && r->action != NULL && action != NULL &&
	    !r->outcome_unknown && strcmp(r->action, action) == 0)
		e->shown = 0;
}

const char *
errors_status(struct errors *e, double now, double *until)
{
	struct error_rec *r = newest(e);
	double life, left;

	if (r == NULL || !e->shown)
		return NULL;
	life = r->action != NULL ? ERRORS_API_SECONDS : ERRORS_OTHER_SECONDS;
	left = life - (now - r->at);
	if (left <= 0) {
		e->shown = 0;
		return NULL;
	}
	if (until != NULL && left < *until)
		*until = left;
	return r->text;
}

size_t
errors_count(const struct errors *e)
{
	return e->n;
}

/* The message's lines: a message made display-safe shows its line breaks as ␊. */
static void
add_message(struct overlay *o, const char *text)
{
	static const char lf[] = "\xE2\x90\x8A";	/* U+240A */
	const char *s = text, *nl;
	struct buf b = BUF_INIT;

	while ((nl = strstr(s, lf)) != NULL) {
		buf_reset(&b);
		buf_adds(&b, "  ");
		buf_add(&b, s, (size_t)(nl - s));
		overlay_add(o, buf_str(&b));
		s = nl + sizeof lf - 1;
	}
	buf_reset(&b);
	buf_adds(&b, "  ");
	buf_adds(&b, s);
	overlay_add(o, buf_str(&b));
	buf_free(&b);
}

void
errors_view(const struct errors *e, struct overlay *o)
{
	const struct error_rec *r;
	struct tm tm;
	char when[32];
	size_t i;

	for (i = e->n; i-- > 0;) {
		r = &e->rec[(e->first + i) % ERRORS_MAX];
		if (localtime_r(&r->wall, &tm) == NULL ||
		    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			when[0] = '\0';
		overlay_addf(o, "%s  %s%s", when, r->action != NULL ? r->action : "console",
		    i + 1 == e->n && e->shown ? "  (on the status bar)" : "");
		if (r->code != NULL)
			overlay_addf(o, "  code:       %s", r->code);
		if (r->http_status != 0)
			overlay_addf(o, "  HTTP:       %ld", r->http_status);
		if (r->request_id != NULL)
			overlay_addf(o, "  RequestId:  %s", r->request_id);
		if (r->outcome_unknown)
			overlay_add(o, "  outcome:    unknown: the request reached the service and "
			    "may have been carried out; check before repeating it");
		add_message(o, r->text);
		if (i > 0)
			overlay_add(o, "");
	}
}
