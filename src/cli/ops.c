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
/* The widest DEVICE column. */
#define NAME_MAX_COLS 48

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	if (interrupted < 2)
		interrupted++;
}

#define NSIGNALS 3
static const int signals_caught[NSIGNALS] = { SIGINT, SIGTERM, SIGHUP };

static void
signals_install(struct sigaction *old, struct sigaction *old_pipe)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: the wait returns at once */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		sigaction(signals_caught[i], &sa, &old[i]);
	/* A closed standard output must not kill a batch with writes on the wire. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, old_pipe);
}

static void
signals_restore(const struct sigaction *old, const struct sigaction *old_pipe)
{
	int i;

	for (i = 0; i < NSIGNALS; i++)
		sigaction(signals_caught[i], &old[i], NULL);
	sigaction(SIGPIPE, old_pipe, NULL);
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
	const char              *cmd;		/* "set" or "invoke" */
	const struct api_config *cfg;		/* for the JSON lines */
	int                      json;		/* --json */
	int                      tty;		/* standard output is a terminal */
	int                      width;		/* its columns (tty), else 0 */
	int                      name_cols;	/* the DEVICE column */
	int                      failed;	/* writing standard output failed */
	size_t                   printed;	/* lines printed */
};

static void
put(struct out *out, const char *s, size_t len)
{
	if (!out->failed && fwrite(s, 1, len, stdout) != len)
		out->failed = errno ? errno : EIO;
}

/* The DETAIL of a target: what the answer says, or the error. Display-safe. */
static void
detail(const struct op_target *t, struct buf *b)
{
	const cJSON *res, *mid;
	char *text;

	if (t->state == OP_T_OK) {
		res = cJSON_GetObjectItemCaseSensitive(t->answer, "Result");
		mid = cJSON_GetObjectItemCaseSensitive(t->answer, "MessageId");
		if (res != NULL) {
			text = jsonout_print(res, JSONOUT_COMPACT);
			buf_adds(b, "output ");
			safetext_append(b, text, strlen(text));
			free(text);
		} else if (cJSON_IsString(mid)) {
			buf_adds(b, "MessageId ");
			safetext_append(b, mid->valuestring, strlen(mid->valuestring));
		}
	} else {
		if (t->code != NULL) {
			safetext_append(b, t->code, strlen(t->code));
			buf_adds(b, ": ");
		}
		if (t->message != NULL)
			safetext_append(b, t->message, strlen(t->message));
	}
	if (t->request_id != NULL) {
		int alone = b->len == 0;

		buf_adds(b, alone ? "RequestId " : " (RequestId ");
		safetext_append(b, t->request_id, strlen(t->request_id));
		if (!alone)
			buf_addc(b, ')');
	}
}

static void
print_header(struct out *out)
{
	struct buf b = BUF_INIT;

	if (out->json)
		return;
	text_fit(&b, "DEVICE", out->name_cols, 1, 0);
	buf_adds(&b, "  OUTCOME   DETAIL\n");
	put(out, b.data, b.len);
	buf_free(&b);
}

static void
print_target(void *arg, struct op *op, size_t i)
{
	struct out *out = arg;
	const struct op_target *t = op_target(op, i);
	struct buf b = BUF_INIT, d = BUF_INIT;
	struct audit_entry e;
	cJSON *o;
	char *name;
	int used;

	if (out->json) {
		struct params p = PARAMS_INIT;

		op_target_params(op, t, &p);
		memset(&e, 0, sizeof e);
		e.time_ms = t->done_ms;
		e.profile = out->cfg->profile;
		e.region = out->cfg->region;
		e.endpoint = out->cfg->endpoint;
		e.action = op_action(op);
		e.product_key = t->product_key;
		e.device_name = t->device_name;
		e.iot_id = t->iot_id;
		e.params = &p;
		e.outcome = op_tstate_name(t->state);
		e.code = t->code;
		e.message = t->message;
		e.request_id = t->request_id;
		e.operation = op_id(op);
		o = audit_entry_json(&e);
		if (t->answer != NULL)
			cJSON_AddItemToObject(o, "data", cJSON_Duplicate(t->answer, 1));
		else
			cJSON_AddNullToObject(o, "data");
		jsonout_value(&b, o, JSONOUT_COMPACT);
		buf_addc(&b, '\n');
		cJSON_Delete(o);
		params_free(&p);
	} else {
		name = safetext_dup(op_target_name(t), strlen(op_target_name(t)));
		text_fit(&b, name, out->name_cols, 1, 0);
		free(name);
		buf_addf(&b, "  %-8s  ", op_tstate_name(t->state));
		detail(t, &d);
		used = out->name_cols + 12;
		if (out->tty && out->width > used + 10)
			text_fit(&b, buf_str(&d), out->width - used, 0, 0);
		else
			buf_adds(&b, buf_str(&d));
		buf_addc(&b, '\n');
	}
	put(out, b.data, b.len);
	if (out->tty)
		fflush(stdout);
	out->printed++;
	buf_free(&b);
	buf_free(&d);
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

/* The operation's loop: feed results, cancel on the first signal, stop waiting on the
 * second. Returns 1 when it was interrupted. */
static int
run(struct op *op, struct worker *w, const char *cmd)
{
	struct worker_result *r, *next;
	struct op_counts c;
	int cancelled = 0;

	while (op_state(op) != OP_DONE) {
		if (interrupted >= 1 && !cancelled) {
			cancelled = 1;
			op_cancel(op);
			op_counts(op, &c);
			if (op_state(op) != OP_DONE)
				fprintf(stderr, "iotdeck %s: cancelled: %zu not sent; waiting for the %zu "
				    "on the wire (Ctrl-C again stops waiting: they are then unknown)\n",
				    cmd, c.n[OP_T_NOT_SENT], c.n[OP_T_SENT]);
		}
		if (interrupted >= 2) {
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

static int
cmd_write(const struct global_opts *o, char **words, int nwords, int invoke)
{
	const char *cmd = invoke ? "invoke" : "set";
	struct targets_args a;
	struct api_config cfg;
	struct worker_opts wo;
	struct worker *w = NULL;
	struct audit *audit = NULL;
	struct products ps;
	struct params common = PARAMS_INIT, tp = PARAMS_INIT;
	struct op_opts oo;
	struct op *op = NULL;
	struct op_counts c;
	struct out out;
	struct sigaction old[NSIGNALS], old_pipe;
	struct winsize ws;
	enum api_status st;
	char *cause = NULL, *s;
	size_t dups = 0, i, p;
	int rc, was_interrupted = 0, cols, window = OPS_WINDOW;
	double start;

	memset(&ps, 0, sizeof ps);
	if (targets_parse(invoke, words, nwords, &a, &cause) != 0) {
		rc = usage(cmd, cause);
		free(cause);
		return rc;
	}
	api_config_init(&cfg);
	rc = opts_resolve_config(o, &cfg, &cause);
	if (rc != EXIT_OK) {
		fprintf(stderr, "iotdeck: %s\n", cause);
		free(cause);
		goto done;
	}
	if (o->verbose)
		cfg.trace = stderr;
	/* The audit log before any thread starts; a write that cannot be logged is not sent. */
	if (o->audit_log == NULL || strcmp(o->audit_log, "off") != 0) {
		audit = audit_open(o->audit_log, &cause);
		if (audit == NULL) {
			fprintf(stderr, "iotdeck %s: %s; nothing was sent (--audit-log FILE puts it "
			    "elsewhere, --audit-log off runs without one)\n", cmd, cause);
			free(cause);
			rc = EXIT_CONFIG;
			goto done;
		}
	}
	worker_opts_init(&wo);
	wo.max_in_flight = OPS_TRANSFERS;
	wo.readonly = o->readonly;
	w = worker_new(&cfg, &wo, &cause);
	if (w == NULL) {
		fprintf(stderr, "iotdeck %s: %s\n", cmd, cause);
		free(cause);
		rc = EXIT_CONFIG;
		goto done;
	}
	if (worker_readonly(w)) {
		/* The worker would refuse each write (it is the rule's one place): say it once,
		 * before asking the API anything. */
		fprintf(stderr, "iotdeck %s: %s: %s is a write and the %s is read-only: nothing "
		    "was sent\n", cmd, WORKER_CODE_READONLY, invoke ? "InvokeThingService" :
		    "SetDeviceProperty", o->readonly ? "session (--readonly)" : "profile");
		rc = EXIT_CONFIG;
		goto done;
	}
	interrupted = 0;
	signals_install(old, &old_pipe);

	st = targets_resolve(w, &a, OPS_WINDOW, &interrupted, &dups, &cause);
	if (st == API_OK) {
		if (dups > 0)
			fprintf(stderr, "iotdeck %s: %zu device%s named more than once: each gets the "
			    "write once\n", cmd, dups, dups == 1 ? " was" : "s were");
		products_collect(&a.targets, &ps);
		st = targets_read_each(w, "GetThingModelTslPublished", ps.n, OPS_WINDOW,
		    model_params, model_answer, model_name, &ps, &interrupted, &cause);
		if (st == API_OK && interrupted) {
			cause = xstrdup("interrupted");
			st = API_ERR_CONFIG;
		}
	}
	if (st != API_OK) {
		fprintf(stderr, "iotdeck %s: %s; nothing was sent\n", cmd, cause);
		free(cause);
		rc = interrupted ? OPS_EXIT_INTERRUPTED : opts_exit_status(st);
		goto restore;
	}
	if (a.targets.n == 0) {
		fprintf(stderr, "iotdeck %s: the group%s %s no devices: nothing to do\n", cmd,
		    a.ngroups == 1 ? "" : "s", a.ngroups == 1 ? "has" : "have");
		rc = EXIT_OK;
		goto restore;
	}
	if (check_values(cmd, &a, &ps) > 0) {
		fprintf(stderr, "iotdeck %s: nothing was sent\n", cmd);
		rc = EXIT_USAGE;
		goto restore;
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
	op = op_new(invoke ? "InvokeThingService" : "SetDeviceProperty", &common, &oo);
	memset(&out, 0, sizeof out);
	out.cmd = cmd;
	out.cfg = &cfg;
	out.json = a.json;
	out.tty = isatty(STDOUT_FILENO);
	if (out.tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		out.width = ws.ws_col;
	out.name_cols = 6;
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
			goto restore;
		}
		s = safetext_dup(op_target_name(op_target(op, i)),
		    strlen(op_target_name(op_target(op, i))));
		cols = text_width(s);
		free(s);
		if (cols > out.name_cols)
			out.name_cols = cols > NAME_MAX_COLS ? NAME_MAX_COLS : cols;
	}
	print_header(&out);
	start = clock_mono_s();
	op_start(op, w);
	was_interrupted = run(op, w, cmd);
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
	if (o->verbose) {
		struct worker_stats ws_st;
		worker_stats(w, &ws_st);
		fprintf(stderr, "* requests %llu, throttled %llu, retried %llu, latency p50 %.1f ms "
		    "p95 %.1f ms\n", (unsigned long long)ws_st.sent,
		    (unsigned long long)ws_st.throttled, (unsigned long long)ws_st.retried,
		    ws_st.latency_p50_ms, ws_st.latency_p95_ms);
		worker_stats_free(&ws_st);
	}
	rc = ops_exit_status(&c, was_interrupted);
	if (rc == EXIT_OK && (out.failed || op_audit_error(op) != NULL))
		rc = EXIT_CONFIG;
restore:
	signals_restore(old, &old_pipe);
done:
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
