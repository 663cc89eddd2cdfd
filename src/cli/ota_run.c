/* ota_run.c — the runtime every `iotdeck ota` command shares (see ota_run.h). Mirrors
 * cli/ops.c: the audit log before the worker thread, read-only refused once before
 * anything is asked, an operation per write with a line per result, Ctrl-C cancelling
 * what has not been sent and a second one abandoning what is on the wire. */
#include "cli/ota_run.h"
#include "core/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/pager.h"
#include "cli/ops.h"
#include "cli/ota_check.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "op/audit.h"
#include "ui/text.h"

/* Writes on the wire at once: OTA writes allow 5 to 20 QPS, so a few are plenty. */
#define OTA_TRANSFERS 8
#define OTA_WINDOW    16

volatile sig_atomic_t ota_interrupted;

static const int signals_caught[3] = { SIGINT, SIGTERM, SIGHUP };

static void
on_signal(int sig)
{
	(void)sig;
	if (ota_interrupted < 2)
		ota_interrupted++;
}

int
ota_usage(const char *cmd, const char *msg)
{
	fprintf(stderr, "iotdeck %s: %s\n(see iotdeck --help, or man iotdeck: OTA)\n", cmd, msg);
	return EXIT_USAGE;
}

const char *
ota_str(const cJSON *obj, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

int
ota_ctx_open(struct ota_ctx *c, const char *cmd, const struct global_opts *o,
    const char *writes)
{
	struct worker_opts wo;
	struct sigaction sa;
	char *cause = NULL;
	int rc, i;

	memset(c, 0, sizeof *c);
	c->cmd = cmd;
	c->o = o;
	c->results = stdout;
	api_config_init(&c->cfg);
	rc = opts_resolve_config(o, &c->cfg, &cause);
	if (rc != EXIT_OK) {
		fprintf(stderr, "iotdeck: %s\n", cause);
		free(cause);
		return rc;
	}
	if (o->verbose)
		c->cfg.trace = stderr;
	/* The audit log before any thread starts; a write that cannot be logged is not sent. */
	if (writes != NULL && (o->audit_log == NULL || strcmp(o->audit_log, "off") != 0)) {
		c->audit = audit_open(o->audit_log, &cause);
		if (c->audit == NULL) {
			fprintf(stderr, "iotdeck %s: %s; nothing was sent (--audit-log FILE puts it "
			    "elsewhere, --audit-log off runs without one)\n", cmd, cause);
			free(cause);
			return EXIT_CONFIG;
		}
	}
	worker_opts_init(&wo);
	wo.max_in_flight = OTA_TRANSFERS;
	wo.readonly = o->readonly;
	c->w = worker_new(&c->cfg, &wo, &cause);
	if (c->w == NULL) {
		fprintf(stderr, "iotdeck %s: %s\n", cmd, cause);
		free(cause);
		return EXIT_CONFIG;
	}
	if (writes != NULL && worker_readonly(c->w)) {
		fprintf(stderr, "iotdeck %s: %s: %s is a write and the %s is read-only: nothing "
		    "was sent\n", cmd, WORKER_CODE_READONLY, writes,
		    o->readonly ? "session (--readonly)" : "profile");
		return EXIT_CONFIG;
	}
	ota_interrupted = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits return at once */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(signals_caught[i], &sa, &c->old[i]);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &c->old_pipe);
	c->signals = 1;
	return EXIT_OK;
}

void
ota_ctx_close(struct ota_ctx *c)
{
	int i;

	if (c->w != NULL && c->o != NULL && c->o->verbose) {
		struct worker_stats st;

		worker_stats(c->w, &st);
		fprintf(stderr, "* requests %llu, throttled %llu, retried %llu, latency p50 %.1f ms "
		    "p95 %.1f ms\n", (unsigned long long)st.sent, (unsigned long long)st.throttled,
		    (unsigned long long)st.retried, st.latency_p50_ms, st.latency_p95_ms);
		worker_stats_free(&st);
	}
	if (c->signals) {
		for (i = 0; i < 3; i++)
			sigaction(signals_caught[i], &c->old[i], NULL);
		sigaction(SIGPIPE, &c->old_pipe, NULL);
		c->signals = 0;
	}
	worker_free(c->w);
	c->w = NULL;
	audit_close(c->audit);
	c->audit = NULL;
	api_config_free(&c->cfg);
}

static void
print_error(const struct ota_ctx *c, const char *action, const struct api_error *err)
{
	char *line = api_error_format(err);

	fprintf(stderr, "iotdeck %s: %s: %s\n", c->cmd, action, line);
	free(line);
}

enum api_status
ota_read(struct ota_ctx *c, const char *action, const struct params *p, cJSON **answer)
{
	struct worker_call call;
	struct worker_result *r;
	enum api_status st;
	uint64_t id;

	*answer = NULL;
	memset(&call, 0, sizeof call);
	call.action = action;
	call.params = p;
	call.prio = WORKER_INTERACTIVE;
	call.no_coalesce = 1;
	id = worker_submit(c->w, &call);
	for (;;) {
		while ((r = worker_take(c->w)) == NULL) {
			if (ota_interrupted) {
				worker_cancel(c->w, id);
				fprintf(stderr, "iotdeck %s: interrupted\n", c->cmd);
				return API_ERR_CONFIG;
			}
			worker_wait(c->w, 200);
		}
		/* A result of an earlier, abandoned read is not this one's. */
		if (r->id == id)
			break;
		worker_result_free_all(r);
	}
	st = r->status;
	if (st == API_OK) {
		*answer = r->json;
		r->json = NULL;
	} else
		print_error(c, action, &r->err);
	worker_result_free_all(r);
	return st;
}

struct list_state {
	int (*fn)(void *arg, const cJSON *item);	/* the caller's */
	void *arg;					/* its argument */
};

static int
on_page(void *arg, const struct pager_page *page)
{
	struct list_state *ls = arg;
	size_t i;

	for (i = 0; i < page->count; i++)
		if (ls->fn(ls->arg, page->items[i]) != 0)
			return 1;
	return 0;
}

enum api_status
ota_list(struct ota_ctx *c, const char *action, const struct params *p,
    int (*fn)(void *arg, const cJSON *item), void *arg)
{
	struct pager_opts po;
	struct pager *pg;
	struct list_state ls;
	const struct api_error *err = NULL;
	enum api_status st;
	char *cause = NULL;

	ls.fn = fn;
	ls.arg = arg;
	pager_opts_init(&po);
	po.prio = WORKER_INTERACTIVE;
	/* One page at a time: the items come in the API's order (a task list is read in
	 * order, and a 100,000-task job must not take every slot of the QPS at once). */
	po.window = 1;
	pg = pager_new(c->w, action, p, &po, on_page, &ls, &cause);
	if (pg == NULL) {
		fprintf(stderr, "iotdeck %s: %s: %s\n", c->cmd, action, cause);
		free(cause);
		return API_ERR_CONFIG;
	}
	pager_start(pg);
	while (!pager_done(pg)) {
		if (ota_interrupted) {
			pager_free(pg);
			fprintf(stderr, "iotdeck %s: interrupted\n", c->cmd);
			return API_ERR_CONFIG;
		}
		pager_pump(pg, 200);
	}
	st = pager_status(pg, &err);
	if (st != API_OK && err != NULL)
		print_error(c, action, err);
	pager_free(pg);
	return st;
}

void
ota_items_free(struct ota_item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		params_free(&v[i].params);
	}
	free(v);
}

/* ---- results ------------------------------------------------------------------------ */

struct out {
	struct ota_ctx *c;		/* the command */
	int             name_cols;	/* the ITEM column */
};

static void
detail(const struct op_target *t, struct buf *b)
{
	if (t->state != OP_T_OK) {
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
print_target(void *arg, struct op *op, size_t i)
{
	struct out *out = arg;
	const struct op_target *t = op_target(op, i);
	struct buf b = BUF_INIT, d = BUF_INIT;
	struct audit_entry e;
	char *name;
	cJSON *o;

	if (out->c->json) {
		struct params p = PARAMS_INIT;

		op_target_params(op, t, &p);
		memset(&e, 0, sizeof e);
		e.time_ms = t->done_ms;
		e.profile = out->c->cfg.profile;
		e.region = out->c->cfg.region;
		e.endpoint = out->c->cfg.endpoint;
		e.action = op_action(op);
		e.params = &p;
		e.outcome = op_tstate_name(t->state);
		e.code = t->code;
		e.message = t->message;
		e.request_id = t->request_id;
		e.operation = op_id(op);
		o = audit_entry_json(&e);
		cJSON_AddStringToObject(o, "item", op_target_name(t));
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
		buf_addf(&b, "  %-8s  %s  ", op_tstate_name(t->state), op_action(op));
		detail(t, &d);
		buf_adds(&b, buf_str(&d));
		buf_addc(&b, '\n');
	}
	fwrite(b.data, 1, b.len, out->c->results);
	fflush(out->c->results);
	buf_free(&b);
	buf_free(&d);
}

/* The operation's loop, as `set` runs it (cli/ops.c). Returns 1 when interrupted. */
static int
run(struct ota_ctx *c, struct op *op)
{
	struct worker_result *r, *next;
	struct op_counts cn;
	int cancelled = 0;

	while (op_state(op) != OP_DONE) {
		if (ota_interrupted >= 1 && !cancelled) {
			cancelled = 1;
			op_cancel(op);
			op_counts(op, &cn);
			if (op_state(op) != OP_DONE)
				fprintf(stderr, "iotdeck %s: cancelled: %zu not sent; waiting for the %zu "
				    "on the wire (Ctrl-C again stops waiting: they are then unknown)\n",
				    c->cmd, cn.n[OP_T_NOT_SENT], cn.n[OP_T_SENT]);
		}
		if (ota_interrupted >= 2) {
			for (r = worker_take(c->w); r != NULL; r = next) {
				next = r->next;
				if (!op_feed(op, r))
					worker_result_free(r);
			}
			op_abandon(op);
			break;
		}
		worker_wait(c->w, 200);
		for (r = worker_take(c->w); r != NULL; r = next) {
			next = r->next;
			if (!op_feed(op, r))
				worker_result_free(r);
		}
	}
	return cancelled;
}

int
ota_write(struct ota_ctx *c, const char *action, const struct params *common,
    struct ota_item *items, size_t n, struct op **opp)
{
	struct op_opts oo;
	struct op *op;
	struct op_counts cn;
	struct out out;
	char *cause = NULL;
	size_t i;
	int rc, was_interrupted, cols;
	double start = clock_mono_s();

	if (opp != NULL)
		*opp = NULL;
	memset(&out, 0, sizeof out);
	out.c = c;
	out.name_cols = 4;
	op_opts_init(&oo);
	oo.window = OTA_WINDOW;
	oo.prio = WORKER_INTERACTIVE;
	oo.audit = c->audit;
	oo.on_target = print_target;
	oo.arg = &out;
	op = op_new(action, common, &oo);
	for (i = 0; i < n; i++) {
		if (op_add_item(op, items[i].name, &items[i].params, &cause) < 0) {
			fprintf(stderr, "iotdeck %s: %s; nothing was sent\n", c->cmd, cause);
			free(cause);
			op_free(op);
			return EXIT_USAGE;
		}
		cols = text_width(items[i].name);
		if (cols > out.name_cols)
			out.name_cols = cols > 48 ? 48 : cols;
	}
	op_start(op, c->w);
	was_interrupted = run(c, op);
	op_counts(op, &cn);
	if (n > 1 || cn.n[OP_T_OK] != cn.total)
		fprintf(stderr, "iotdeck %s: %s: %zu request%s: %zu ok, %zu failed, %zu unknown, "
		    "%zu not sent (%.1f s)\n", c->cmd, action, cn.total, cn.total == 1 ? "" : "s",
		    cn.n[OP_T_OK], cn.n[OP_T_FAILED], cn.n[OP_T_UNKNOWN], cn.n[OP_T_NOT_SENT],
		    clock_mono_s() - start);
	if (cn.n[OP_T_UNKNOWN] > 0)
		fprintf(stderr, "iotdeck %s: unknown: the write was sent and no answer says what "
		    "happened; check before repeating it (iotdeck audit lists it)\n", c->cmd);
	if (op_audit_error(op) != NULL)
		fprintf(stderr, "iotdeck %s: %s\n", c->cmd, op_audit_error(op));
	rc = ops_exit_status(&cn, was_interrupted);
	if (rc == EXIT_OK && op_audit_error(op) != NULL)
		rc = EXIT_CONFIG;
	if (opp != NULL)
		*opp = op;
	else
		op_free(op);
	return rc;
}

/* ---- what the commands share ------------------------------------------------------- */

/* Devices named by --devices (comma lists, repeatable) and --devices-from files, in
 * order. Returns 0, or -1 with *cause. */
int
ota_named_devices(const struct ota_args *a, char ***v, size_t *n, char **cause)
{
	size_t i;

	*v = NULL;
	*n = 0;
	for (i = 0; i < a->opts.n; i++) {
		if (strcmp(a->opts.v[i].name, "--devices") == 0)
			ota_split_list(a->opts.v[i].value, v, n);
		else if (strcmp(a->opts.v[i].name, "--devices-from") == 0 &&
		    ota_read_list(a->opts.v[i].value, v, n, cause) != 0)
			return -1;
	}
	return 0;
}

/* Refuses a name given twice (it would be one task anyway, and the API refuses it). */
int
ota_no_duplicates(char **v, size_t n, char **cause)
{
	size_t d = ota_first_duplicate(v, n);
	char *s;

	if (d == n)
		return 0;
	s = safetext_excerpt(v[d], strlen(v[d]), 60);
	*cause = xasprintf("--devices: %s is named twice (the list must be unique)", s);
	free(s);
	return -1;
}

struct ota_item *
ota_item_new(struct ota_item **v, size_t *n, char *name)
{
	struct ota_item *it;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	it = &(*v)[(*n)++];
	it->name = name;
	params_init(&it->params);
	return it;
}

/* Fills ParamName.1..N from names[from..to). */
void
ota_add_numbered(struct params *p, const char *param, char *const *names, size_t from, size_t to)
{
	char key[64];
	size_t i;

	for (i = from; i < to; i++) {
		snprintf(key, sizeof key, "%s.%zu", param, i - from + 1);
		params_set(p, key, names[i]);
	}
}

/* The ProductKey: --product, else the firmware's (QueryOTAFirmware). NULL after
 * printing why; *rc the exit status. Caller frees. */
char *
ota_firmware_product(struct ota_ctx *c, const struct ota_args *a, const char *fwid, int *rc)
{
	struct params p = PARAMS_INIT;
	cJSON *ans = NULL;
	const char *pk = ota_opt(a, "--product");
	char *out = NULL;
	enum api_status st;

	if (pk != NULL)
		return xstrdup(pk);
	params_set(&p, "FirmwareId", fwid);
	st = ota_read(c, "QueryOTAFirmware", &p, &ans);
	params_free(&p);
	if (st != API_OK) {
		*rc = ota_interrupted ? 130 : opts_exit_status(st);
		return NULL;
	}
	pk = ota_str(cJSON_GetObjectItemCaseSensitive(ans, "FirmwareInfo"), "ProductKey");
	if (pk == NULL || *pk == '\0') {
		fprintf(stderr, "iotdeck %s: QueryOTAFirmware names no ProductKey: give --product\n",
		    c->cmd);
		*rc = EXIT_NETWORK;
	} else
		out = xstrdup(pk);
	cJSON_Delete(ans);
	return out;
}

/* Prints the Data member `field` of the single item's answer on standard output (with
 * --json the result's line, which holds it, is printed there instead). */
void
ota_print_created(const struct ota_ctx *c, struct op *op, const char *field)
{
	const struct op_target *t = op != NULL ? op_target(op, 0) : NULL;
	const char *v;
	char *s;

	if (c->json || t == NULL || t->state != OP_T_OK || (v = ota_str(t->answer, field)) == NULL)
		return;
	s = safetext_dup(v, strlen(v));
	printf("%s\n", s);
	fflush(stdout);
	free(s);
}
