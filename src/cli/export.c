/* export.c — `iotdeck export devices --product PK | products | groups`.
 *
 * The pager (api/pager.c) fetches the pages through the worker at the documented QPS;
 * each page is written out as soon as it arrives (CSV rows or JSON array elements, in
 * arrival order), so memory stays flat however long the list. Ctrl-C sets a flag that
 * the main loop checks between pages: the file then ends at a page boundary, the JSON
 * array is closed, and the command says how much was written. A second Ctrl-C, SIGTERM
 * or SIGHUP ends the process at once (after removing the temporary file, below).
 *
 * --output FILE is written through core/atomicfile: into a temporary file beside FILE
 * (0600), renamed over FILE when the export ends with rows in it (complete, or stopped
 * part way by Ctrl-C or an error: the rows written are whole and valid) or complete with
 * none. An export that got no rows (an unknown product, no connection, Ctrl-C before the
 * first page) or could not write them leaves FILE as it was; a symbolic link at FILE is
 * refused, never followed. FILE keeps its permission bits, else gets 0666 less the umask.
 *
 * Secrets are not exported: DeviceSecret and ProductSecret are left out of CSV columns
 * and removed from JSON items.
 *
 * Groups are a tree that no single list holds (guide 4.10.10): the export lists the
 * top-level groups, then the subgroups of each static group (SuperGroupId) level by level
 * down to the third (4.10.1: groups nest three levels deep), then the dynamic groups
 * (GroupTypes.1=LINK_PLATFORM_DYNAMIC), one list after the other. Every group is written
 * after its parent, with the parent's id and name added (SuperGroupId, SuperGroupName;
 * none for a top-level or dynamic group).
 */
#include "cli/export.h"
#include "core/clock.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/actions.h"
#include "api/jsonpath.h"
#include "api/model.h"
#include "api/pager.h"
#include "api/worker.h"
#include "cli/ops.h"
#include "core/atomicfile.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

/* One kind of export: the list action and its columns. */
struct export_kind {
	const char        *name;	/* "devices" */
	const char        *action;	/* list action */
	const char        *noun;	/* for messages */
	int                needs_product;	/* --product is required */
	const char *const *columns;	/* CSV columns, NULL-terminated */
};

static const char *const device_columns[] = {
	"IotId", "DeviceName", "ProductKey", "DeviceStatus", "Nickname", "UtcCreate",
	"UtcModified", NULL
};
static const char *const product_columns[] = {
	"ProductKey", "ProductName", "NodeType", "DataFormat", "DeviceCount", "AuthType",
	"GmtCreate", "Description", NULL
};
static const char *const group_columns[] = {
	"GroupId", "GroupName", "GroupDesc", "UtcCreate", "GroupType", "SuperGroupId",
	"SuperGroupName", NULL
};

static const struct export_kind kinds[] = {
	{ "devices", ACT_QueryDevice, "devices", 1, device_columns },
	{ "products", ACT_QueryProductList, "products", 0, product_columns },
	{ "groups", ACT_QueryDeviceGroupList, "groups", 0, group_columns },
	{ NULL, NULL, NULL, 0, NULL }
};

/* Members never exported. */
static const char *const secret_members[] = { "DeviceSecret", "ProductSecret", NULL };

static volatile sig_atomic_t interrupted;	/* the first Ctrl-C came */
/* The temporary file a second Ctrl-C, SIGTERM or SIGHUP removes before the process dies
 * of the signal; set while out_armed is 1 (the handler may run on any thread). */
static struct atomicfile *out_file;
static volatile sig_atomic_t out_armed;

static void
on_signal(int sig)
{
	if (sig == SIGINT && !interrupted) {
		interrupted = 1;
		return;
	}
	if (out_armed && out_file != NULL)
		unlinkat(out_file->dirfd, out_file->tmp, 0);	/* async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

static const struct export_kind *
kind_find(const char *name)
{
	size_t i;

	for (i = 0; kinds[i].name != NULL; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

const char *const *
export_columns(const char *kind)
{
	const struct export_kind *k = kind_find(kind);

	return k != NULL ? k->columns : NULL;
}

/* OWASP's CSV injection list: a cell starting with one of these may run as a formula. */
static int
csv_formula_start(char c)
{
	return c != '\0' && strchr("=+-@\t\r\n", c) != NULL;
}

void
export_csv_write_field(FILE *f, const char *s, int display_safe)
{
	char *safe = NULL;
	const char *p, *q;
	int quote;

	if (s == NULL)
		return;
	if (display_safe)
		s = safe = safetext_dup(s, strlen(s));
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	if (csv_formula_start(*s))
		fputc('\'', f);
	/* Spans between quotes in one write each (a bulk export writes millions of fields:
	 * a locked fputc a character was a tenth of its CPU); each quote is doubled. */
	for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
		fwrite(p, 1, (size_t)(q - p + 1), f);
		fputc('"', f);
	}
	fputs(p, f);
	if (quote)
		fputc('"', f);
	free(safe);
}

void
export_csv_field(FILE *f, const char *s)
{
	export_csv_write_field(f, s, 0);
}

void
export_csv_write_row(FILE *f, const char *kind, const cJSON *item, int display_safe)
{
	const char *const *cols = export_columns(kind);
	char *v;
	size_t i;

	if (cols == NULL)
		return;
	for (i = 0; cols[i] != NULL; i++) {
		if (i > 0)
			fputc(',', f);
		v = jsonpath_strdup(item, cols[i]);
		export_csv_write_field(f, v, display_safe);
		free(v);
	}
	fputs("\r\n", f);
}

void
export_csv_row(FILE *f, const char *kind, const cJSON *item)
{
	export_csv_write_row(f, kind, item, 0);
}

/* ---- progress ------------------------------------------------------------------ */

struct progress {
	int         tty;	/* stderr is a terminal: redraw one line */
	const char *noun;	/* "devices" */
	double      start;	/* seconds (monotonic) */
	double      last;	/* last draw */
	int         drawn;	/* a bar line is on screen */
};

static void
fmt_duration(char *out, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(out, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(out, len, "%ld:%02ld", t / 60, t % 60);
}

static void
progress_draw(struct progress *pr, size_t loaded, int64_t total, int final)
{
	double now = clock_mono_s(), el = now - pr->start, rate = el > 0 ? (double)loaded / el : 0;
	char eta[32] = "?", bar[31];
	int i, fill;

	if (!final && now - pr->last < (pr->tty ? 0.1 : 2.0))
		return;
	pr->last = now;
	if (total > 0 && rate > 0 && (int64_t)loaded <= total)
		fmt_duration(eta, sizeof eta, (double)(total - (int64_t)loaded) / rate);
	if (pr->tty) {
		fill = total > 0 ? (int)(30.0 * (double)loaded / (double)total) : 0;
		for (i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
		if (total >= 0)
			fprintf(stderr, "\r[%s] %zu/%lld %s  %.0f/s  ETA %s \033[K", bar, loaded,
			    (long long)total, pr->noun, rate, eta);
		else
			fprintf(stderr, "\r%zu %s  %.0f/s \033[K", loaded, pr->noun, rate);
		pr->drawn = 1;
	} else if (!final) {
		if (total >= 0)
			fprintf(stderr, "iotdeck export: %zu/%lld %s (%d%%), %.0f/s, ETA %s\n",
			    loaded, (long long)total, pr->noun,
			    total > 0 ? (int)(100.0 * (double)loaded / (double)total) : 100, rate, eta);
		else
			fprintf(stderr, "iotdeck export: %zu %s, %.0f/s\n", loaded, pr->noun, rate);
	}
	fflush(stderr);
}

static void
progress_end(struct progress *pr)
{
	if (pr->tty && pr->drawn) {
		fputc('\n', stderr);
		pr->drawn = 0;
	}
}

/* ---- the export ---------------------------------------------------------------- */

/* Groups nest this deep (guide 4.10.1). */
#define GROUP_LEVELS 3

/* A list of groups still to export: the children of a group (or the top level). */
struct group_list {
	char *parent_id;	/* SuperGroupId, NULL for the top level */
	char *parent_name;	/* the parent's GroupName (raw), or NULL */
	int   level;		/* the level of the groups it lists, 1..GROUP_LEVELS */
};

struct export_state {
	const struct export_kind *kind;		/* what is exported */
	FILE                     *out;		/* where */
	int                       json;		/* JSON array, else CSV */
	int                       display_safe;	/* CSV to a terminal: display-safe text */
	size_t                    written;	/* items written */
	int                       write_error;	/* the output failed */
	struct progress           pr;		/* progress display */
	const struct group_list  *list;		/* groups: the list being exported */
	struct group_list        *todo;		/* groups: the lists still to export */
	size_t                    ntodo, captodo;	/* used, allocated */
};

static void
write_json_item(struct export_state *es, const cJSON *item)
{
	cJSON *copy = cJSON_Duplicate(item, 1);
	char *text;
	size_t i;

	for (i = 0; secret_members[i] != NULL; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(copy, secret_members[i]);
	text = jsonout_print(copy, JSONOUT_COMPACT);
	fputs(es->written > 0 ? ",\n" : "\n", es->out);
	fputs(text, es->out);
	free(text);
	cJSON_Delete(copy);
}

static void
write_item(struct export_state *es, const cJSON *item)
{
	if (es->json)
		write_json_item(es, item);
	else
		export_csv_write_row(es->out, es->kind->name, item, es->display_safe);
	es->written++;
}

/* A group: written with its parent; a static group above the last level has its
 * subgroups listed later. */
static void
group_item(struct export_state *es, const cJSON *item)
{
	const struct group_list *l = es->list;
	cJSON *copy = cJSON_Duplicate(item, 1);
	const cJSON *id = cJSON_GetObjectItem(item, "GroupId");
	const cJSON *name = cJSON_GetObjectItem(item, "GroupName");
	const cJSON *type = cJSON_GetObjectItem(item, "GroupType");
	struct group_list *child;

	if (l->parent_id != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "SuperGroupId");
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "SuperGroupName");
		cJSON_AddStringToObject(copy, "SuperGroupId", l->parent_id);
		if (l->parent_name != NULL)
			cJSON_AddStringToObject(copy, "SuperGroupName", l->parent_name);
	}
	write_item(es, copy);
	cJSON_Delete(copy);
	if (l->level == 0 || l->level >= GROUP_LEVELS || !cJSON_IsString(id) ||
	    (cJSON_IsString(type) && model_group_type_kind(type->valuestring) != 0))
		return;
	if (es->ntodo == es->captodo) {
		es->captodo = es->captodo ? es->captodo * 2 : 16;
		es->todo = xreallocarray(es->todo, es->captodo, sizeof *es->todo);
	}
	child = &es->todo[es->ntodo++];
	child->parent_id = xstrdup(id->valuestring);
	child->parent_name = cJSON_IsString(name) ? xstrdup(name->valuestring) : NULL;
	child->level = l->level + 1;
}

static int
on_page(void *arg, const struct pager_page *pg)
{
	struct export_state *es = arg;
	size_t i;

	for (i = 0; i < pg->count; i++) {
		if (es->list != NULL)
			group_item(es, pg->items[i]);
		else
			write_item(es, pg->items[i]);
	}
	if (fflush(es->out) != 0 || ferror(es->out)) {
		es->write_error = errno != 0 ? errno : EIO;
		return 1;
	}
	if (es->list != NULL)
		progress_draw(&es->pr, es->written, -1, 0);
	else
		progress_draw(&es->pr, pg->loaded, pg->total, 0);
	return 0;
}

/* Runs one list until it ends or Ctrl-C; returns its pager (the caller frees it), or NULL
 * with *cause. */
static struct pager *
run_list(struct export_state *es, struct worker *w, const char *action,
    const struct params *filter, char **cause)
{
	struct pager_opts po;
	struct pager *pg;

	pager_opts_init(&po);
	po.prio = WORKER_BACKGROUND;
	/* An export is a bulk read: a device list past 10,000 starts its NextToken chain with
	 * page 1, which saves the chain a round trip; a shorter one costs one request more. */
	if (strcmp(action, ACT_QueryDevice) == 0)
		po.expect_total = PAGER_EXPECT_LONG;
	pg = pager_new(w, action, filter, &po, on_page, es, cause);
	if (pg == NULL)
		return NULL;
	pager_start(pg);
	while (!pager_done(pg) && !interrupted) {
		pager_pump(pg, 200);
		if (!interrupted)
			progress_draw(&es->pr, es->list != NULL ? es->written : pager_loaded(pg),
			    es->list != NULL ? -1 : pager_total(pg), 0);
	}
	if (interrupted)
		pager_cancel(pg);
	return pg;
}

/* The group tree (DESIGN above): the lists one after the other, each one's subgroups
 * queued as its groups are written; the dynamic groups last. Stops at the first list that
 * fails (its pager is returned, to report why) or at Ctrl-C; else returns the last one. */
static struct pager *
run_groups(struct export_state *es, struct worker *w, char **cause)
{
	struct params q = PARAMS_INIT;
	struct group_list top = { NULL, NULL, 1 }, dynamic = { NULL, NULL, 0 }, cur;
	struct pager *pg = NULL;
	size_t next = 0;
	int dynamic_done = 0;

	es->list = &top;
	for (;;) {
		pager_free(pg);
		params_free(&q);
		if (es->list == &dynamic)
			params_set(&q, "GroupTypes.1", MODEL_GROUP_DYNAMIC);
		else if (es->list->parent_id != NULL)
			params_set(&q, "SuperGroupId", es->list->parent_id);
		pg = run_list(es, w, ACT_QueryDeviceGroupList, &q, cause);
		if (pg == NULL || interrupted || es->write_error || pager_status(pg, NULL) != API_OK)
			break;
		if (next < es->ntodo) {
			cur = es->todo[next++];	/* a copy: todo may move as it grows */
			es->list = &cur;
		} else if (!dynamic_done) {
			dynamic_done = 1;
			es->list = &dynamic;
		} else
			break;
	}
	params_free(&q);
	es->list = NULL;
	return pg;
}

static void
groups_free(struct export_state *es)
{
	size_t i;

	for (i = 0; i < es->ntodo; i++) {
		free(es->todo[i].parent_id);
		free(es->todo[i].parent_name);
	}
	free(es->todo);
	es->todo = NULL;
	es->ntodo = es->captodo = 0;
}

static int
usage(const char *msg)
{
	fprintf(stderr, "iotdeck export: %s\n"
	    "usage: iotdeck export devices --product PK [--format csv|json] [--output FILE]\n"
	    "       iotdeck export products|groups [--format csv|json] [--output FILE]\n", msg);
	return EXIT_USAGE;
}

/* Parses export's words. Returns 0 or an exit status (message printed). */
static int
parse_words(char **words, int nwords, const struct export_kind **kind, const char **product,
    int *json, const char **output)
{
	const char *arg, *val;
	char *msg;
	int i, rc;
	size_t n;

	*product = *output = NULL;
	*json = 0;
	if (nwords < 2)
		return usage("what to export? devices, products or groups");
	*kind = kind_find(words[1]);
	if (*kind == NULL) {
		msg = safetext_excerpt_in("cannot export '", words[1], strlen(words[1]), 40,
		    "': devices, products or groups");
		rc = usage(msg);
		free(msg);
		return rc;
	}
	for (i = 2; i < nwords; i++) {
		arg = words[i];
		val = strchr(arg, '=');
		n = val != NULL ? (size_t)(val - arg) : strlen(arg);
		if (val != NULL)
			val++;
		else if (arg[0] == '-' && i + 1 < nwords)
			val = words[++i];
		if (arg[0] != '-' || val == NULL) {
			msg = safetext_excerpt_in("unexpected '", arg, strlen(arg), 40, "'");
			rc = usage(msg);
			free(msg);
			return rc;
		}
		if (n == 9 && strncmp(arg, "--product", n) == 0)
			*product = val;
		else if ((n == 8 && strncmp(arg, "--output", n) == 0) ||
		    (n == 2 && strncmp(arg, "-o", n) == 0))
			*output = val;
		else if (n == 8 && strncmp(arg, "--format", n) == 0) {
			if (strcmp(val, "json") == 0)
				*json = 1;
			else if (strcmp(val, "csv") != 0)
				return usage("--format is csv or json");
		} else {
			msg = safetext_excerpt_in("unknown option '", arg, n, 40, "'");
			rc = usage(msg);
			free(msg);
			return rc;
		}
	}
	if ((*kind)->needs_product && (*product == NULL || **product == '\0'))
		return usage("export devices needs --product PRODUCTKEY");
	if (!(*kind)->needs_product && *product != NULL)
		return usage("--product applies to 'export devices' only");
	return 0;
}

/* Signals that end the export: Ctrl-C (the first one stops it between pages), and the
 * ones that end it at once (a second Ctrl-C, SIGTERM, SIGHUP) after removing the
 * temporary file. */
static const int export_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGNALS (sizeof export_signals / sizeof export_signals[0])

static void
signals_install(struct sigaction *old, int *have)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns at once */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		have[i] = sigaction(export_signals[i], &sa, &old[i]) == 0;
}

static void
signals_restore(const struct sigaction *old, const int *have)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		if (have[i])
			sigaction(export_signals[i], &old[i], NULL);
}

/* Blocks (or unblocks) the export's signals in this thread while the output file is
 * finished, and disarms the handler's removal of it. */
static void
signals_hold(int hold)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < NSIGNALS; i++)
		sigaddset(&set, export_signals[i]);
	if (hold)
		out_armed = 0;
	pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* Ends the output file: the temporary file becomes FILE when keep, else it goes and FILE
 * stays as it was. Returns 0, or -1 with a message printed. */
static int
output_finish(struct atomicfile *af, int keep)
{
	char *cause = NULL;
	int rc = 0;

	signals_hold(1);
	if (!keep)
		atomicfile_discard(af);
	else if (atomicfile_commit(af, &cause) != 0) {
		fprintf(stderr, "iotdeck export: %s\n", cause);
		free(cause);
		rc = -1;
	}
	out_file = NULL;
	signals_hold(0);
	return rc;
}

int
cmd_export(const struct global_opts *o, char **words, int nwords)
{
	const struct export_kind *kind = NULL;
	const char *product, *output, *where;
	struct export_state es;
	struct api_config cfg;
	struct params filter = PARAMS_INIT;
	struct worker *w = NULL;
	struct pager *pg = NULL;
	struct sigaction old_sa[NSIGNALS];
	struct atomicfile af;
	const struct api_error *err;
	enum api_status st;
	char *cause = NULL, *line = NULL;
	const char *kept;
	int json, rc, have_sig[NSIGNALS] = { 0 }, to_file = 0, keep, groups;
	int64_t total;
	double took;

	memset(&es, 0, sizeof es);
	memset(&af, 0, sizeof af);
	af.dirfd = -1;
	rc = parse_words(words, nwords, &kind, &product, &json, &output);
	if (rc != 0)
		return rc;
	api_config_init(&cfg);
	if ((rc = ops_config(o, &cfg)) != EXIT_OK) {
		api_config_free(&cfg);
		return rc;
	}
	if (o->verbose)
		cfg.trace = stderr;

	es.kind = kind;
	es.json = json;
	es.out = stdout;
	where = "standard output";
	interrupted = 0;
	if (output != NULL && strcmp(output, "-") != 0) {
		/* A temporary file beside FILE, renamed over it at the end: FILE is not touched
		 * before then, and not at all when nothing arrives. Before any thread starts
		 * (the umask is read). */
		if (atomicfile_open(&af, output, &cause) != 0) {
			fprintf(stderr, "iotdeck export: %s\n", cause);
			free(cause);
			api_config_free(&cfg);
			return EXIT_CONFIG;
		}
		es.out = af.f;
		where = output;
		to_file = 1;
		out_file = &af;
		out_armed = 1;
	}
	signals_install(old_sa, have_sig);
	line = safetext_dup(where, strlen(where));
	/* JSON is always written inert (core/jsonout); CSV keeps the data in a file and is
	 * made display-safe on a terminal. */
	es.display_safe = isatty(fileno(es.out));
	es.pr.tty = isatty(STDERR_FILENO);
	es.pr.noun = kind->noun;
	es.pr.start = es.pr.last = clock_mono_s();

	w = worker_new(&cfg, NULL, &cause);
	if (w == NULL) {
		fprintf(stderr, "iotdeck export: %s\n", cause);
		free(cause);
		rc = EXIT_CONFIG;
		goto done;
	}
	if (product != NULL)
		params_set(&filter, "ProductKey", product);
	groups = strcmp(kind->name, "groups") == 0;

	/* Header before anything else, so even an empty export is a valid file. */
	if (json)
		fputs("[", es.out);
	else {
		const char *const *c;
		for (c = kind->columns; *c != NULL; c++) {
			if (c != kind->columns)
				fputc(',', es.out);
			fputs(*c, es.out);
		}
		fputs("\r\n", es.out);
	}
	fflush(es.out);

	pg = groups ? run_groups(&es, w, &cause) : run_list(&es, w, kind->action, &filter, &cause);
	if (pg == NULL) {
		fprintf(stderr, "iotdeck export: %s\n", cause);
		free(cause);
		rc = EXIT_USAGE;
		goto done;
	}
	/* A tree of lists has no total known in advance. */
	total = groups ? -1 : pager_total(pg);
	progress_draw(&es.pr, groups ? es.written : pager_loaded(pg), total, 1);
	progress_end(&es.pr);

	if (json)
		fputs(es.written > 0 ? "\n]\n" : "]\n", es.out);
	if (fflush(es.out) != 0 || ferror(es.out))
		es.write_error = es.write_error ? es.write_error : (errno ? errno : EIO);

	took = clock_mono_s() - es.pr.start;
	st = pager_status(pg, &err);
	/* The file replaces FILE when the export is complete, or when rows came before it
	 * stopped (Ctrl-C, an error part way): they are whole and valid. An export that got
	 * no rows, or could not write them, leaves FILE as it was. */
	keep = !es.write_error && (es.written > 0 || (st == API_OK && !interrupted));
	kept = af.existed ? "left as it was" : "not created";
	if (to_file && output_finish(&af, keep) != 0) {
		rc = EXIT_CONFIG;
	} else if (es.write_error) {
		fprintf(stderr, "iotdeck export: writing %s: %s%s%s\n", line,
		    strerror(es.write_error), to_file ? "; it was " : "", to_file ? kept : "");
		rc = EXIT_CONFIG;
	} else if (interrupted) {
		if ((!to_file || es.written > 0) && total >= 0)
			fprintf(stderr, "iotdeck export: interrupted: %zu of %lld %s written to %s; "
			    "the file is complete and valid %s\n", es.written,
			    (long long)total, kind->noun, line, json ?
			    "JSON (the array is closed)" : "CSV (every row whole)");
		else if (!to_file || es.written > 0)
			fprintf(stderr, "iotdeck export: interrupted: %zu %s written to %s; "
			    "the file is complete and valid %s\n", es.written, kind->noun, line, json ?
			    "JSON (the array is closed)" : "CSV (every row whole)");
		else
			fprintf(stderr, "iotdeck export: interrupted before any %s arrived; %s was "
			    "%s\n", kind->noun, line, kept);
		rc = EXPORT_EXIT_INTERRUPTED;
	} else if (st != API_OK) {
		char *msg = api_error_format(err);
		if (!to_file || es.written > 0)
			fprintf(stderr, "iotdeck export: %s\niotdeck export: stopped after %zu %s; "
			    "%s holds them and is valid %s\n", msg, es.written, kind->noun, line,
			    json ? "JSON" : "CSV");
		else
			fprintf(stderr, "iotdeck export: %s\niotdeck export: nothing written; %s was "
			    "%s\n", msg, line, kept);
		free(msg);
		rc = opts_exit_status(st);
	} else {
		fprintf(stderr, "iotdeck export: %zu %s written to %s in %.1f s\n", es.written,
		    kind->noun, line, took);
		rc = EXIT_OK;
	}
	if (o->verbose) {
		struct worker_stats ws;
		worker_stats(w, &ws);
		fprintf(stderr, "* requests %llu, retried %llu, throttled %llu, %llu bytes in, "
		    "latency p50 %.1f ms p95 %.1f ms\n", (unsigned long long)ws.sent,
		    (unsigned long long)ws.retried, (unsigned long long)ws.throttled,
		    (unsigned long long)ws.bytes_in, ws.latency_p50_ms, ws.latency_p95_ms);
		worker_stats_free(&ws);
	}
done:
	if (to_file && out_file != NULL)
		output_finish(&af, 0);	/* failed before the export ran */
	signals_restore(old_sa, have_sig);
	pager_free(pg);
	groups_free(&es);
	worker_free(w);
	if (to_file)
		atomicfile_free(&af);
	free(line);
	params_free(&filter);
	api_config_free(&cfg);
	return rc;
}
