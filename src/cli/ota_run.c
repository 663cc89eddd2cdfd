/* ota_run.c — the runtime every `iotdeck ota` command shares (see ota_run.h). Mirrors
 * cli/ops.c: the audit log before the worker thread, read-only refused once before
 * anything is asked, an operation per write with a line per result, Ctrl-C cancelling
 * what has not been sent and a second one abandoning what is on the wire. */
#include "cli/ota_run.h"
#include "core/clock.h"

#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/pager.h"
#include "cli/ops.h"
#include "cli/ota_check.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "op/audit.h"

/* Writes on the wire at once: OTA writes allow 5 to 20 QPS, so a few are plenty. */
#define OTA_TRANSFERS 8
#define OTA_WINDOW    16

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
    const struct ota_args *a, const char *writes, int flags)
{
	int rc;

	memset(c, 0, sizeof *c);
	c->cmd = cmd;
	c->o = o;
	c->json = a != NULL && ota_opt(a, "--json") != NULL;
	/* A command that prints what it made: the result lines go to stderr, but with --json
	 * they are the output. */
	c->results = (flags & OTA_CTX_PRINTS_ID) && !c->json ? stderr : stdout;
	api_config_init(&c->cfg);
	rc = ops_open(cmd, o, writes, OTA_TRANSFERS, &c->cfg, &c->audit, &c->w);
	if (rc != EXIT_OK)
		return rc;
	ops_signals_install(&c->sig);
	return EXIT_OK;
}

void
ota_ctx_close(struct ota_ctx *c)
{
	if (c->w != NULL && c->o != NULL && c->o->verbose)
		ops_print_stats(c->w);
	ops_signals_restore(&c->sig);
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
			if (ops_interrupted) {
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
		if (ops_interrupted) {
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

static void
print_target(void *arg, struct op *op, size_t i)
{
	struct ota_ctx *c = arg;
	struct buf b = BUF_INIT;

	ops_result_line(&b, op, op_target(op, i), &c->line);
	fwrite(b.data, 1, b.len, c->results);
	fflush(c->results);
	buf_free(&b);
}

int
ota_write(struct ota_ctx *c, const char *action, const struct params *common,
    struct ota_item *items, size_t n, struct op **opp)
{
	struct op_opts oo;
	struct op *op;
	struct op_counts cn;
	char *cause = NULL;
	size_t i;
	int rc, was_interrupted;
	double start = clock_mono_s();

	if (opp != NULL)
		*opp = NULL;
	memset(&c->line, 0, sizeof c->line);
	c->line.json = c->json;
	c->line.item = 1;
	c->line.action = 1;
	c->line.text = OP_TEXT_REQUEST_ID;
	op_opts_init(&oo);
	oo.window = OTA_WINDOW;
	oo.prio = WORKER_INTERACTIVE;
	oo.audit = c->audit;
	oo.on_target = print_target;
	oo.arg = c;
	op = op_new(action, common, &oo);
	for (i = 0; i < n; i++) {
		if (op_add_item(op, items[i].name, &items[i].params, &cause) < 0) {
			fprintf(stderr, "iotdeck %s: %s; nothing was sent\n", c->cmd, cause);
			free(cause);
			op_free(op);
			return EXIT_USAGE;
		}
	}
	c->line.name_cols = ops_name_cols(op, 4);
	op_start(op, c->w);
	was_interrupted = ops_run(op, c->w, c->cmd);
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
	st = ota_read(c, ACT_QueryOTAFirmware, &p, &ans);
	params_free(&p);
	if (st != API_OK) {
		*rc = ops_interrupted ? 130 : opts_exit_status(st);
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
