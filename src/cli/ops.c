/* ops.c — `iotdeck set` and `iotdeck invoke` (see ops.h).
 *
 * Order of work, so that nothing is sent until everything is known to be right:
 *   1. parse the words (cli/targets.c), resolve the configuration, open the audit log
 *      (before the worker thread starts), start the worker (read-only: refused here);
 *   2. resolve the targets: the devices of each --group, the ProductKey and DeviceName
 *      of each IotId, duplicates dropped (each device gets the write once);
 *   3. read each product's published thing model and check every value against it
 *      (api/tslvalue.c), building each product's Items or Args; any refusal: stop;
 *   4. run one operation (op/op.c) over the devices, printing each result as it comes,
 *      with every sent write in the audit log. Ctrl-C cancels what has not been sent
 *      (listed as not-sent) and waits for what is on the wire; a second Ctrl-C stops
 *      waiting (those are unknown).
 */
#include "cli/ops.h"
#include "core/clock.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "api/actions.h"
#include "api/model.h"
#include "api/tslvalue.h"
#include "cli/targets.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "op/audit.h"
#include "ui/text.h"

/* Requests at once: the worker's transfers (500 QPS at 50 ms needs 25) and the
 * operation's window (a few more, so a slot never waits for the engine). */
#define OPS_TRANSFERS 48
#define OPS_WINDOW    64
volatile sig_atomic_t ops_interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	if (ops_interrupted < 2)
		ops_interrupted++;
}

static const int signals_caught[OPS_NSIGNALS] = { SIGINT, SIGTERM, SIGHUP };

void
ops_signals_install(struct ops_signals *s)
{
	struct sigaction sa;
	int i;

	ops_interrupted = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: the wait returns at once */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < OPS_NSIGNALS; i++)
		sigaction(signals_caught[i], &sa, &s->old[i]);
	/* A closed standard output must not kill a batch with writes on the wire. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &s->old_pipe);
	s->installed = 1;
}

void
ops_signals_restore(struct ops_signals *s)
{
	int i;

	if (!s->installed)
		return;
	for (i = 0; i < OPS_NSIGNALS; i++)
		sigaction(signals_caught[i], &s->old[i], NULL);
	sigaction(SIGPIPE, &s->old_pipe, NULL);
	s->installed = 0;
}

/* ---- the thing models ------------------------------------------------------------ */

/* One product of the targets and what its devices are sent. */
struct product {
	char             *pk;		/* ProductKey */
	struct model_tsl  tsl;		/* its published thing model */
	int               have_tsl;	/* tsl was parsed */
	char             *value;	/* Items (set) or Args (invoke) for its devices */
};

struct products {
	struct product *v;		/* distinct products, in order of first target */
	size_t          n;		/* how many */
};

static size_t
product_find(const struct products *ps, const char *pk)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].pk, pk) == 0)
			return i;
	return ps->n;
}

static void
products_collect(const struct target_list *l, struct products *ps)
{
	size_t i;

	memset(ps, 0, sizeof *ps);
	ps->v = xcalloc(l->n ? l->n : 1, sizeof *ps->v);
	for (i = 0; i < l->n; i++)
		if (product_find(ps, l->v[i].product_key) == ps->n)
			ps->v[ps->n++].pk = xstrdup(l->v[i].product_key);
}

static void
products_free(struct products *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->v[i].pk);
		if (ps->v[i].have_tsl)
			model_tsl_clear(&ps->v[i].tsl);
		free(ps->v[i].value);
	}
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

static int
model_params(void *arg, size_t i, struct params *p)
{
	struct products *ps = arg;

	params_set(p, "ProductKey", ps->v[i].pk);
	return 1;
}

static int
model_answer(void *arg, size_t i, const cJSON *answer, char **cause)
{
	struct products *ps = arg;
	char *why = NULL;

	if (model_tsl_from_response(answer, &ps->v[i].tsl, &why) != 0) {
		model_tsl_clear(&ps->v[i].tsl);
		*cause = xasprintf("its published thing model: %s", why);
		free(why);
		return -1;
	}
	ps->v[i].have_tsl = 1;
	return 0;
}

static const char *
model_name(void *arg, size_t i)
{
	struct products *ps = arg;

	return ps->v[i].pk;
}

/* Checks the values against every product's model and builds what each gets. Prints
 * every refusal; returns how many products refused. */
static int
check_values(const char *cmd, const struct targets_args *a, struct products *ps)
{
	const struct tsl_service *svc;
	char *cause = NULL, *pk;
	size_t i;
	int bad = 0, rc;

	for (i = 0; i < ps->n; i++) {
		if (a->service == NULL)
			rc = tslvalue_items(&ps->v[i].tsl, a->sets, a->nsets, 1, &ps->v[i].value,
			    &cause);
		else if ((svc = tslvalue_service(&ps->v[i].tsl, a->service)) == NULL) {
			char *s = safetext_dup(a->service, strlen(a->service));
			cause = xasprintf("%s is not a service of its thing model", s);
			free(s);
			rc = -1;
		} else
			rc = tslvalue_args(svc, a->sets, a->nsets, &ps->v[i].value, &cause);
		if (rc != 0) {
			pk = safetext_dup(ps->v[i].pk, strlen(ps->v[i].pk));
			fprintf(stderr, "iotdeck %s: product %s: %s\n", cmd, pk, cause);
			free(pk);
			free(cause);
			cause = NULL;
			bad++;
		}
	}
	return bad;
}

/* 1 when the service is synchronous in some product's model (its calls wait for the
 * device). */
static int
service_is_sync(const struct targets_args *a, const struct products *ps)
{
	const struct tsl_service *svc;
	size_t i;

	for (i = 0; a->service != NULL && i < ps->n; i++)
		if ((svc = tslvalue_service(&ps->v[i].tsl, a->service)) != NULL &&
		    svc->call_type == TSL_CALL_SYNC)
			return 1;
	return 0;
}

/* ---- printing results ------------------------------------------------------------- */

struct out {
	struct ops_line          line;		/* how a result is printed */
	int                      tty;		/* standard output is a terminal */
	int                      failed;	/* writing standard output failed */
	size_t                   printed;	/* lines printed */
};

static void
put(struct out *out, const char *s, size_t len)
{
	if (!out->failed && fwrite(s, 1, len, stdout) != len)
		out->failed = errno ? errno : EIO;
}

static void
print_header(struct out *out)
{
	struct buf b = BUF_INIT;

	if (out->line.json)
		return;
	text_fit(&b, "DEVICE", out->line.name_cols, 1, 0);
	buf_adds(&b, "  OUTCOME   DETAIL\n");
	put(out, b.data, b.len);
	buf_free(&b);
}

static void
print_target(void *arg, struct op *op, size_t i)
{
	struct out *out = arg;
	struct buf b = BUF_INIT;

	ops_result_line(&b, op, op_target(op, i), &out->line);
	put(out, b.data, b.len);
	if (out->tty)
		fflush(stdout);
	out->printed++;
	buf_free(&b);
}

void
ops_result_line(struct buf *b, const struct op *op, const struct op_target *t,
    const struct ops_line *how)
{
	struct buf d = BUF_INIT;
	cJSON *o;
	char *name;
	int used;

	if (how->json) {
		o = op_target_json(op, t);
		if (how->item)
			cJSON_AddStringToObject(o, "item", op_target_name(t));
		jsonout_value(b, o, JSONOUT_COMPACT);
		buf_addc(b, '\n');
		cJSON_Delete(o);
		return;
	}
	name = safetext_dup(op_target_name(t), strlen(op_target_name(t)));
	text_fit(b, name, how->name_cols, 1, 0);
	free(name);
	buf_addf(b, "  %-8s  ", op_tstate_name(t->state));
	used = how->name_cols + 12;
	if (how->action) {
		buf_addf(b, "%s  ", op_action(op));
		used += (int)strlen(op_action(op)) + 2;
	}
	op_target_text(t, how->text, &d);
	if (how->width > used + 10)
		text_fit(b, buf_str(&d), how->width - used, 0, 0);
	else
		buf_adds(b, buf_str(&d));
	buf_addc(b, '\n');
	buf_free(&d);
}

int
ops_name_cols(const struct op *op, int least)
{
	size_t i, n = op_target_count(op);
	int cols;
	char *s;

	for (i = 0; i < n; i++) {
		s = safetext_dup(op_target_name(op_target(op, i)),
		    strlen(op_target_name(op_target(op, i))));
		cols = text_width(s);
		free(s);
		if (cols > least)
			least = cols > OPS_NAME_MAX_COLS ? OPS_NAME_MAX_COLS : cols;
	}
	return least;
}

int
ops_run(struct op *op, struct worker *w, const char *cmd)
{
	struct worker_result *r, *next;
	struct op_counts c;
	int cancelled = 0;

	while (op_state(op) != OP_DONE) {
		if (ops_interrupted >= 1 && !cancelled) {
			cancelled = 1;
			op_cancel(op);
			op_counts(op, &c);
			if (op_state(op) != OP_DONE)
				fprintf(stderr, "iotdeck %s: cancelled: %zu not sent; waiting for the %zu "
				    "on the wire (Ctrl-C again stops waiting: they are then unknown)\n",
				    cmd, c.n[OP_T_NOT_SENT], c.n[OP_T_SENT]);
		}
		if (ops_interrupted >= 2) {
			/* What did come is taken first; the rest is unknown. */
			for (r = worker_take(w); r != NULL; r = next) {
				next = r->next;
				if (!op_feed(op, r))
					worker_result_free(r);
			}
			op_abandon(op);
			break;
		}
		worker_wait(w, 200);
		for (r = worker_take(w); r != NULL; r = next) {
			next = r->next;
			if (!op_feed(op, r))
				worker_result_free(r);	/* a lookup's, cancelled late */
		}
	}
	return cancelled;
}

int
ops_config(const struct global_opts *o, struct api_config *cfg)
{
	char *cause = NULL;
	int rc = opts_resolve_config(o, cfg, &cause);

	if (rc != EXIT_OK) {
		fprintf(stderr, "iotdeck: %s\n", cause);
		free(cause);
	}
	return rc;
}

int
ops_open(const char *cmd, const struct global_opts *o, const char *writes, int transfers,
    struct api_config *cfg, struct audit **audit, struct worker **w)
{
	struct worker_opts wo;
	char *cause = NULL;
	int rc;

	*audit = NULL;
	*w = NULL;
	if ((rc = ops_config(o, cfg)) != EXIT_OK)
		return rc;
	if (o->verbose)
		cfg->trace = stderr;
	/* The audit log before any thread starts; a write that cannot be logged is not sent. */
	if (writes != NULL && (o->audit_log == NULL || strcmp(o->audit_log, "off") != 0)) {
		*audit = audit_open(o->audit_log, &cause);
		if (*audit == NULL) {
			fprintf(stderr, "iotdeck %s: %s; nothing was sent (--audit-log FILE puts it "
			    "elsewhere, --audit-log off runs without one)\n", cmd, cause);
			free(cause);
			return EXIT_CONFIG;
		}
	}
	worker_opts_init(&wo);
	wo.max_in_flight = transfers;
	wo.readonly = o->readonly;
	*w = worker_new(cfg, &wo, &cause);
	if (*w == NULL) {
		fprintf(stderr, "iotdeck %s: %s\n", cmd, cause);
		free(cause);
		return EXIT_CONFIG;
	}
	if (writes != NULL && worker_readonly(*w)) {
		/* The worker would refuse each write (it is the rule's one place): say it once,
		 * before asking the API anything. */
		fprintf(stderr, "iotdeck %s: %s: %s is a write and the %s is read-only: nothing "
		    "was sent\n", cmd, WORKER_CODE_READONLY, writes,
		    o->readonly ? "session (--readonly)" : "profile");
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

void
ops_print_stats(struct worker *w)
{
	struct worker_stats st;

	worker_stats(w, &st);
	fprintf(stderr, "* requests %llu, throttled %llu, retried %llu, latency p50 %.1f ms "
	    "p95 %.1f ms\n", (unsigned long long)st.sent, (unsigned long long)st.throttled,
	    (unsigned long long)st.retried, st.latency_p50_ms, st.latency_p95_ms);
	worker_stats_free(&st);
}

int
ops_exit_status(const struct op_counts *c, int was_interrupted)
{
	if (c->n[OP_T_UNKNOWN] > 0)
		return EXIT_NETWORK;
	if (was_interrupted)
		return OPS_EXIT_INTERRUPTED;
	if (c->n[OP_T_FAILED] > 0 || c->n[OP_T_NOT_SENT] > 0 || c->n[OP_T_PENDING] > 0 ||
	    c->n[OP_T_SENT] > 0)
		return EXIT_API;
	return EXIT_OK;
}

/* ---- the command ------------------------------------------------------------------ */

static int
usage(const char *cmd, const char *msg)
{
	fprintf(stderr, "iotdeck %s: %s\n", cmd, msg);
	if (strcmp(cmd, "set") == 0)
		fputs("usage: iotdeck set TARGET... ID=VALUE... [--json]\n", stderr);
	else
		fputs("usage: iotdeck invoke TARGET... SERVICE [ARG=VALUE...] [--json]\n", stderr);
	fputs("TARGET: PK/DEVICENAME, an IotId, --from FILE (one a line, - for standard input),"
	    " --group GROUPID\n", stderr);
	return EXIT_USAGE;
}

static int
cmd_write(const struct global_opts *o, char **words, int nwords, int invoke)
{
	const char *cmd = invoke ? "invoke" : "set";
	struct targets_args a;
	struct api_config cfg;
	struct worker *w = NULL;
	struct audit *audit = NULL;
	struct products ps;
	struct params common = PARAMS_INIT, tp = PARAMS_INIT;
	struct op_opts oo;
	struct op *op = NULL;
	struct op_counts c;
	struct out out;
	struct ops_signals sig;
	struct winsize ws;
	enum api_status st;
	char *cause = NULL, *s;
	size_t dups = 0, i, p;
	int rc, was_interrupted = 0, window = OPS_WINDOW;
	double start;

	memset(&ps, 0, sizeof ps);
	memset(&sig, 0, sizeof sig);
	if (targets_parse(invoke, words, nwords, &a, &cause) != 0) {
		rc = usage(cmd, cause);
		free(cause);
		return rc;
	}
	api_config_init(&cfg);
	rc = ops_open(cmd, o, invoke ? ACT_InvokeThingService : ACT_SetDeviceProperty,
	    OPS_TRANSFERS, &cfg, &audit, &w);
	if (rc != EXIT_OK)
		goto done;
	ops_signals_install(&sig);

	st = targets_resolve(w, &a, OPS_WINDOW, &ops_interrupted, &dups, &cause);
	if (st == API_OK) {
		if (dups > 0)
			fprintf(stderr, "iotdeck %s: %zu device%s named more than once: each gets the "
			    "write once\n", cmd, dups, dups == 1 ? " was" : "s were");
		products_collect(&a.targets, &ps);
		st = targets_read_each(w, ACT_GetThingModelTslPublished, ps.n, OPS_WINDOW,
		    model_params, model_answer, model_name, &ps, &ops_interrupted, &cause);
		if (st == API_OK && ops_interrupted) {
			cause = xstrdup("interrupted");
			st = API_ERR_CONFIG;
		}
	}
	if (st != API_OK) {
		fprintf(stderr, "iotdeck %s: %s; nothing was sent\n", cmd, cause);
		free(cause);
		rc = ops_interrupted ? OPS_EXIT_INTERRUPTED : opts_exit_status(st);
		goto done;
	}
	if (a.targets.n == 0) {
		fprintf(stderr, "iotdeck %s: the group%s %s no devices: nothing to do\n", cmd,
		    a.ngroups == 1 ? "" : "s", a.ngroups == 1 ? "has" : "have");
		rc = EXIT_OK;
		goto done;
	}
	if (check_values(cmd, &a, &ps) > 0) {
		fprintf(stderr, "iotdeck %s: nothing was sent\n", cmd);
		rc = EXIT_USAGE;
		goto done;
	}

	/* A synchronous service's calls wait for their devices: enough of them on the wire
	 * to keep to the documented rate (the throttle still keeps to it). */
	if (invoke && service_is_sync(&a, &ps)) {
		window = op_sync_window(OPS_WINDOW);
		worker_set_max_in_flight(w, window);
		if (o->verbose) {
			s = safetext_dup(a.service, strlen(a.service));
			fprintf(stderr, "* %s is synchronous: up to %d calls at once\n", s, window);
			free(s);
		}
	}

	/* The operation: every device with its product's Items or Args. */
	op_opts_init(&oo);
	oo.window = window;
	oo.prio = WORKER_INTERACTIVE;	/* nothing else shares this worker */
	oo.audit = audit;
	oo.on_target = print_target;
	oo.arg = &out;
	if (invoke)
		params_set(&common, "Identifier", a.service);
	op = op_new(invoke ? ACT_InvokeThingService : ACT_SetDeviceProperty, &common, &oo);
	memset(&out, 0, sizeof out);
	out.line.json = a.json;
	out.line.text = OP_TEXT_ANSWER | OP_TEXT_REQUEST_ID;
	out.tty = isatty(STDOUT_FILENO);
	if (out.tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		out.line.width = ws.ws_col;
	for (i = 0; i < a.targets.n; i++) {
		struct target *t = &a.targets.v[i];
		p = product_find(&ps, t->product_key);
		params_free(&tp);
		params_set(&tp, invoke ? "Args" : "Items", ps.v[p].value);
		if (op_add_target(op, t->product_key, t->device_name, t->iot_id, &tp,
		    &cause) < 0) {
			/* Cannot be: the list has no duplicates. Sending fewer would be wrong. */
			fprintf(stderr, "iotdeck %s: %s; nothing was sent\n", cmd, cause);
			free(cause);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	out.line.name_cols = ops_name_cols(op, 6);
	print_header(&out);
	start = clock_mono_s();
	op_start(op, w);
	was_interrupted = ops_run(op, w, cmd);
	if (fflush(stdout) != 0 && !out.failed)
		out.failed = errno ? errno : EIO;

	op_counts(op, &c);
	fprintf(stderr, "iotdeck %s: %zu device%s: %zu ok, %zu failed, %zu unknown, %zu not "
	    "sent (%.1f s)\n", cmd, c.total, c.total == 1 ? "" : "s", c.n[OP_T_OK],
	    c.n[OP_T_FAILED], c.n[OP_T_UNKNOWN], c.n[OP_T_NOT_SENT], clock_mono_s() - start);
	if (c.n[OP_T_UNKNOWN] > 0)
		fprintf(stderr, "iotdeck %s: unknown: the write was sent and no answer says what "
		    "happened; check those devices before repeating it (iotdeck audit lists them)\n",
		    cmd);
	if (op_audit_error(op) != NULL)
		fprintf(stderr, "iotdeck %s: %s\n", cmd, op_audit_error(op));
	if (out.failed)
		fprintf(stderr, "iotdeck %s: writing the results: %s\n", cmd,
		    strerror(out.failed));
	if (o->verbose)
		ops_print_stats(w);
	rc = ops_exit_status(&c, was_interrupted);
	if (rc == EXIT_OK && (out.failed || op_audit_error(op) != NULL))
		rc = EXIT_CONFIG;
done:
	ops_signals_restore(&sig);
	op_free(op);
	worker_free(w);
	audit_close(audit);
	products_free(&ps);
	params_free(&common);
	params_free(&tp);
	targets_args_free(&a);
	api_config_free(&cfg);
	return rc;
}

int
cmd_set(const struct global_opts *o, char **words, int nwords)
{
	return cmd_write(o, words, nwords, 0);
}

int
cmd_invoke(const struct global_opts *o, char **words, int nwords)
{
	return cmd_write(o, words, nwords, 1);
}
