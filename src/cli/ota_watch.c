/* ota_watch.c — `iotdeck ota watch` (see ota_watch.h for the request budget). */
#include "cli/ota_watch.h"
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/actions.h"
#include "cli/ota_check.h"
#include "cli/ota_run.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

/* Task states as ListOTATaskByJob names them (guide 4.20.12), in the order shown. */
enum { T_CONFIRM, T_QUEUED, T_NOTIFIED, T_IN_PROGRESS, T_SUCCEEDED, T_FAILED, T_CANCELED,
	T_COUNT };
static const char *const state_names[T_COUNT] = { "CONFIRM", "QUEUED", "NOTIFIED",
	"IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELED" };
/* Their short labels on the bar's line. */
static const char *const state_short[T_COUNT] = { "confirm", "queued", "notified",
	"running", "ok", "failed", "canceled" };

/* A bar is on the terminal's last line (a message starts on a new one). */
static int bar_drawn;

/* One round: the job's status and the count of each task state. */
struct round {
	char     status[24];		/* JobStatus */
	char     type[24];		/* JobType */
	uint64_t n[T_COUNT];		/* tasks in each state */
	uint64_t total;			/* tasks of the job (ListOTATaskByJob's Total) */
};

/* Asks QueryOTAJob and ListOTATaskByJob (PageSize=1, per state and for all) at once and
 * waits for the nine answers. Returns API_OK or the first failure's status (printed). */
#define NREADS (T_COUNT + 2)
static enum api_status
read_round(struct ota_ctx *c, const char *job, struct round *r)
{
	struct params p[NREADS];
	struct worker_call call;
	struct worker_result *res, *next;
	enum api_status st = API_OK;
	const cJSON *tot;
	char *line;
	size_t i, left = NREADS;
	int have_total = 0;

	memset(r, 0, sizeof *r);
	for (i = 0; i < NREADS; i++) {
		params_init(&p[i]);
		params_set(&p[i], "JobId", job);
		memset(&call, 0, sizeof call);
		if (i != T_COUNT) {
			if (i < T_COUNT)
				params_set(&p[i], "TaskStatus", state_names[i]);
			params_set(&p[i], "CurrentPage", "1");
			params_set(&p[i], "PageSize", "1");
			call.action = ACT_ListOTATaskByJob;
		} else
			call.action = ACT_QueryOTAJob;
		call.params = &p[i];
		call.prio = WORKER_INTERACTIVE;
		call.udata = (void *)(uintptr_t)(i + 1);
		call.no_coalesce = 1;
		worker_submit(c->w, &call);
	}
	while (left > 0) {
		if (ops_interrupted) {
			st = API_ERR_CONFIG;
			break;
		}
		worker_wait(c->w, 200);
		for (res = worker_take(c->w); res != NULL; res = next) {
			next = res->next;
			i = (size_t)(uintptr_t)res->udata;
			if (i >= 1 && i <= NREADS) {
				left--;
				i--;
				if (res->status != API_OK) {
					if (st == API_OK) {
						line = api_error_format(&res->err);
						fprintf(stderr, "%siotdeck %s: %s: %s\n", bar_drawn ? "\n" : "",
						    c->cmd, res->action, line);
						free(line);
						st = res->status;
					}
				} else if (i != T_COUNT) {
					tot = cJSON_GetObjectItemCaseSensitive(res->json, "Total");
					if (!cJSON_IsNumber(tot) || tot->valuedouble < 0)
						;
					else if (i < T_COUNT)
						r->n[i] = (uint64_t)tot->valuedouble;
					else {
						r->total = (uint64_t)tot->valuedouble;
						have_total = 1;
					}
				} else {
					const cJSON *d = cJSON_GetObjectItemCaseSensitive(res->json, "Data");
					const char *s = ota_str(d, "JobStatus"), *t = ota_str(d, "JobType");
					snprintf(r->status, sizeof r->status, "%s", s != NULL ? s : "?");
					snprintf(r->type, sizeof r->type, "%s", t != NULL ? t : "");
				}
			}
			worker_result_free(res);
		}
	}
	for (i = 0; i < NREADS; i++)
		params_free(&p[i]);
	if (!have_total)
		for (i = 0; i < T_COUNT; i++)
			r->total += r->n[i];
	return st;
}

static uint64_t
finished(const struct round *r)
{
	uint64_t n = r->n[T_SUCCEEDED] + r->n[T_FAILED] + r->n[T_CANCELED];

	/* The counts are read a few milliseconds apart: never more than the whole. */
	return n < r->total ? n : r->total;
}

/* The counts as "ok 300, failed 12, ..." (states with tasks; ok and failed always). */
static void
counts_text(const struct round *r, char *out, size_t len)
{
	size_t used = 0, i;

	out[0] = '\0';
	for (i = 0; i < T_COUNT && used < len; i++)
		if (r->n[i] > 0 || i == T_SUCCEEDED || i == T_FAILED)
			used += (size_t)snprintf(out + used, len - used, "%s%s %llu",
			    used > 0 ? ", " : "", state_short[i], (unsigned long long)r->n[i]);
}

static void
duration(double s, char *out, size_t len)
{
	if (s < 90)
		snprintf(out, len, "%.0fs", s);
	else if (s < 5400)
		snprintf(out, len, "%.0fm", s / 60);
	else
		snprintf(out, len, "%.1fh", s / 3600);
}

/* The bar: succeeded '#', failed 'x', canceled '-', running '>', waiting '.'. */
static void
draw_bar(const struct round *r, double rate, char *out, size_t len)
{
	char bar[31], counts[200], eta[32];
	uint64_t seg[5];
	size_t i, k, pos = 0, w = 30;
	static const char ch[5] = { '#', 'x', '-', '>', '.' };

	seg[0] = r->n[T_SUCCEEDED];
	seg[1] = r->n[T_FAILED];
	seg[2] = r->n[T_CANCELED];
	seg[3] = r->n[T_NOTIFIED] + r->n[T_IN_PROGRESS];
	seg[4] = r->n[T_QUEUED] + r->n[T_CONFIRM];
	for (i = 0; i < 5; i++) {
		size_t cells = r->total > 0 ? (size_t)((double)seg[i] * (double)w /
		    (double)r->total + 0.5) : 0;
		if (seg[i] > 0 && cells == 0)
			cells = 1;	/* a state with tasks is never drawn as nothing */
		for (k = 0; k < cells && pos < w; k++)
			bar[pos++] = ch[i];
	}
	while (pos < w)
		bar[pos++] = ' ';
	bar[w] = '\0';
	counts_text(r, counts, sizeof counts);
	if (rate > 0 && finished(r) < r->total)
		duration((double)(r->total - finished(r)) / rate * 60.0, eta, sizeof eta);
	else
		snprintf(eta, sizeof eta, "-");
	snprintf(out, len, "[%s] %llu/%llu %s · %.1f/min · ETA %s", bar,
	    (unsigned long long)finished(r), (unsigned long long)r->total, counts, rate, eta);
}

/* Cancels every task that is not final (CancelOTATaskByJob with every state). */
static int
cancel_rest(struct ota_ctx *c, const char *job)
{
	static const char *const flags[] = { "CancelScheduledTask", "CancelQueuedTask",
		"CancelNotifiedTask", "CancelInProgressTask", "CancelUnconfirmedTask" };
	struct ota_item *it = xcalloc(1, sizeof *it);
	size_t i;
	int rc;

	it->name = xasprintf("job %s", job);
	params_init(&it->params);
	params_set(&it->params, "JobId", job);
	for (i = 0; i < 5; i++)
		params_set(&it->params, flags[i], "true");
	c->results = stderr;
	rc = ota_write(c, ACT_CancelOTATaskByJob, NULL, it, 1, NULL);
	ota_items_free(it, 1);
	return rc;
}

int
ota_watch_main(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota watch", *v;
	struct ota_max_failed mf;
	struct ota_ctx c;
	struct round r, prev;
	char *cause = NULL, line[400], tbuf[16], *job = NULL;
	double interval = 2, start, first_t = 0, rate = 0, next_at;
	uint64_t first_fin = 0;
	long secs;
	int rc, tty = isatty(STDERR_FILENO), cancel = ota_opt(a, "--cancel-on-fail") != NULL;
	int rounds = 0, have_prev = 0;
	time_t now;

	memset(&c, 0, sizeof c);
	memset(&mf, 0, sizeof mf);
	if (a->npos != 1)
		return ota_usage(cmd, "give one JOBID");
	if ((v = ota_opt(a, "--max-failed")) != NULL && ota_parse_max_failed(v, &mf, &cause) != 0)
		goto usage;
	if ((v = ota_opt(a, "--interval")) != NULL) {
		/* 8 ListOTATaskByJob a round: at 1 s, 8 of its 10 QPS. */
		if (ota_check_long("--interval", v, 1, 3600, "seconds between rounds of 8 "
		    "ListOTATaskByJob (10 QPS) and 1 QueryOTAJob", &secs, &cause) != 0)
			goto usage;
		interval = (double)secs;
	}
	if (cancel && !mf.set) {
		cause = xstrdup("--cancel-on-fail goes with --max-failed N|P%");
		goto usage;
	}
	rc = ota_ctx_open(&c, cmd, o, NULL, cancel ? ACT_CancelOTATaskByJob : NULL, 0);
	if (rc != EXIT_OK)
		goto done;
	job = safetext_dup(a->pos[0], strlen(a->pos[0]));
	fprintf(stderr, "iotdeck %s: job %s: 9 requests every %.0f s (ListOTATaskByJob %.1f of "
	    "%d QPS, QueryOTAJob %.1f of %d)\n", cmd, job, interval, 8 / interval,
	    action_get(ACT_ListOTATaskByJob)->qps, 1 / interval, action_get(ACT_QueryOTAJob)->qps);
	start = clock_mono_s();
	for (;;) {
		enum api_status st;

		next_at = clock_mono_s() + interval;	/* a round every interval, its reads included */
		st = read_round(&c, a->pos[0], &r);

		if (st != API_OK) {
			rc = ops_interrupted ? 130 : opts_exit_status(st);
			if (ops_interrupted)
				fprintf(stderr, "%siotdeck %s: interrupted\n", tty ? "\n" : "", cmd);
			goto done;
		}
		rounds++;
		if (rounds == 1) {
			first_t = clock_mono_s();
			first_fin = finished(&r);
		} else if (clock_mono_s() > first_t)
			rate = (double)(finished(&r) - (finished(&r) >= first_fin ? first_fin :
			    finished(&r))) / ((clock_mono_s() - first_t) / 60.0);
		if (tty) {
			draw_bar(&r, rate, line, sizeof line);
			fprintf(stderr, "\r\033[K%s %s", r.status, line);
			bar_drawn = 1;
		} else if (!have_prev || memcmp(prev.n, r.n, sizeof r.n) != 0 ||
		    strcmp(prev.status, r.status) != 0) {
			counts_text(&r, line, sizeof line);
			now = time(NULL);
			strftime(tbuf, sizeof tbuf, "%H:%M:%S", localtime(&now));
			printf("%s %s %llu/%llu finished: %s\n", tbuf, r.status,
			    (unsigned long long)finished(&r), (unsigned long long)r.total, line);
			fflush(stdout);
		}
		prev = r;
		have_prev = 1;

		if (ota_max_failed_tripped(&mf, r.n[T_FAILED], r.total)) {
			fprintf(stderr, "%siotdeck %s: %llu of %llu tasks failed: more than "
			    "--max-failed %s\n", tty ? "\n" : "", cmd,
			    (unsigned long long)r.n[T_FAILED], (unsigned long long)r.total,
			    ota_opt(a, "--max-failed"));
			rc = EXIT_API;
			if (cancel) {
				fprintf(stderr, "iotdeck %s: --cancel-on-fail: cancelling the job's "
				    "tasks that have not finished\n", cmd);
				if (cancel_rest(&c, a->pos[0]) != EXIT_OK)
					fprintf(stderr, "iotdeck %s: the cancel did not succeed (above)\n",
					    cmd);
			}
			goto done;
		}
		/* The job's end; for an upgrade job also every task final (a dynamic job stays
		 * IN_PROGRESS for devices to come). A verification ends with its job: that is
		 * when the firmware's Status says verified or failed. */
		if (strcmp(r.status, "COMPLETED") == 0 || strcmp(r.status, "CANCELED") == 0 ||
		    (r.total > 0 && finished(&r) == r.total && strcmp(r.status, "PLANNED") != 0 &&
		    strcmp(r.type, "VERIFY_FIRMWARE") != 0 && strcmp(r.type, "VERFIY_FIRMWARE") != 0)) {
			if (tty)
				fputc('\n', stderr);
			counts_text(&r, line, sizeof line);
			fprintf(stderr, "iotdeck %s: job %s %s after %.0f s: %llu tasks: %s\n", cmd,
			    job, r.status, clock_mono_s() - start, (unsigned long long)r.total, line);
			rc = r.n[T_SUCCEEDED] == r.total && r.total > 0 ? EXIT_OK : EXIT_API;
			goto done;
		}
		while (clock_mono_s() < next_at && !ops_interrupted)
			worker_wait(c.w, (int)((next_at - clock_mono_s()) * 1000) + 1);
		if (ops_interrupted) {
			fprintf(stderr, "%siotdeck %s: interrupted\n", tty ? "\n" : "", cmd);
			rc = 130;
			goto done;
		}
	}
usage:
	rc = ota_usage(cmd, cause);
	free(cause);
	return rc;
done:
	free(job);
	ota_ctx_close(&c);
	return rc;
}
