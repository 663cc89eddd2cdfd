/* op.c — operations: one write action on many devices (see op.h for the contract).
 *
 * DESIGN
 *
 * Targets live in one array, submitted in index order: `next` is the first one never
 * handed to the worker, so "pending" is exactly [next, n) and no target can go back to
 * it -- which is how the engine never sends one twice. A submitted request carries its
 * target's index as udata and the operation's tag; op_feed checks both, and the
 * request id, before it believes a result.
 *
 * At most `window` requests are in the worker at once. After each result the window is
 * filled again, so the worker always has the next request queued when the throttle
 * hands out a token, while its queue (walked on every scheduling turn) stays short and
 * a cancel costs at most `window` worker_cancel calls. Each of those answers, under the
 * worker's lock, whether the write had left (worker.h): 1 -- it never did, NOT_SENT now;
 * 0 -- its result comes, and the target stays SENT until it does.
 *
 * Duplicates are refused when targets are added: a small open-addressing hash of
 * "PK\x1fDN" and "#IotId" keys (a device named both ways by two targets is caught only
 * when each names it the same way; callers that know both add both).
 *
 * The audit line of a result is written before anything else happens to it, so that a
 * crash right after a result cannot lose the record of a write that was carried out.
 */
#include "op/op.h"
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/actions.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

#define OP_TAG_BIT (1ULL << 62)
#define DEFAULT_WINDOW 64

#define CODE_CANCELLED "iotdeck.Cancelled"
#define CODE_ABANDONED "iotdeck.Abandoned"

struct op {
	char             *id;		/* the audit log's "operation" */
	char             *retry_of;	/* the id of the operation retried, or NULL */
	char             *action;	/* the write action */
	char             *label;	/* for lists */
	struct params     common;	/* every target's parameters */
	struct op_opts    opts;		/* window, priority, audit, callback (label unused) */
	uint64_t          tag;		/* worker tag */
	struct op_target *t;		/* targets */
	size_t            n, cap;	/* used, allocated */
	char            **keys;		/* duplicate check: hash of keys (owned) */
	size_t           *key_at;	/* the target each key belongs to */
	size_t            nkeys, keycap;	/* used, allocated (a power of two) */
	size_t            next;		/* first target never submitted */
	size_t            count[OP_T_COUNT];	/* targets per state */
	enum op_state     state;	/* where the operation is */
	struct worker    *w;		/* borrowed from op_start until done */
	char             *profile;	/* for the audit log, copied at start */
	char             *region;
	char             *endpoint;
	int64_t           started_ms;	/* op_start */
	int64_t           finished_ms;	/* done */
	char             *audit_error;	/* the first audit failure */
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
op_opts_init(struct op_opts *o)
{
	memset(o, 0, sizeof *o);
	o->window = DEFAULT_WINDOW;
	o->prio = WORKER_BACKGROUND;
}

static char *
make_id(void)
{
	time_t t = time(NULL);
	struct tm tm;
	unsigned char rnd[4];
	char when[24];

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
	randombytes_buf(rnd, sizeof rnd);
	return xasprintf("%s-%02x%02x%02x%02x", when, rnd[0], rnd[1], rnd[2], rnd[3]);
}

struct op *
op_new(const char *action, const struct params *common, const struct op_opts *opts)
{
	static uint64_t next_tag;
	struct op *op = xcalloc(1, sizeof *op);

	op->id = make_id();
	op->action = xstrdup(action);
	if (common != NULL)
		params_copy(&op->common, common);
	if (opts != NULL)
		op->opts = *opts;
	else
		op_opts_init(&op->opts);
	if (op->opts.window < 1)
		op->opts.window = 1;
	op->label = xstrdup(op->opts.label != NULL ? op->opts.label : action);
	op->opts.label = NULL;
	op->tag = OP_TAG_BIT | __atomic_add_fetch(&next_tag, 1, __ATOMIC_RELAXED);
	op->state = OP_IDLE;
	return op;
}

/* ---- the duplicate check ------------------------------------------------------- */

static uint64_t
hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of key, or of the empty place it would go. */
static size_t
key_slot(const struct op *op, const char *key)
{
	size_t i = (size_t)hash_key(key) & (op->keycap - 1);

	while (op->keys[i] != NULL && strcmp(op->keys[i], key) != 0)
		i = (i + 1) & (op->keycap - 1);
	return i;
}

static void
key_grow(struct op *op)
{
	char **old = op->keys;
	size_t *old_at = op->key_at, oldcap = op->keycap, i, j;

	op->keycap = oldcap ? oldcap * 2 : 64;
	op->keys = xcalloc(op->keycap, sizeof *op->keys);
	op->key_at = xcalloc(op->keycap, sizeof *op->key_at);
	for (i = 0; i < oldcap; i++)
		if (old[i] != NULL) {
			j = key_slot(op, old[i]);
			op->keys[j] = old[i];
			op->key_at[j] = old_at[i];
		}
	free(old);
	free(old_at);
}

/* Returns the target holding key, or -1. */
static long
key_find(struct op *op, const char *key)
{
	size_t i;

	if (op->keycap == 0)
		return -1;
	i = key_slot(op, key);
	return op->keys[i] != NULL ? (long)op->key_at[i] : -1;
}

static void
key_add(struct op *op, char *key, size_t at)
{
	size_t i;

	if ((op->nkeys + 1) * 2 > op->keycap)
		key_grow(op);
	i = key_slot(op, key);
	op->keys[i] = key;
	op->key_at[i] = at;
	op->nkeys++;
}

long
op_add_target(struct op *op, const char *product_key, const char *device_name,
    const char *iot_id, const struct params *params, char **cause)
{
	struct op_target *t;
	char *kname = NULL, *kid = NULL, *s;
	int by_name = product_key != NULL && *product_key != '\0' && device_name != NULL &&
	    *device_name != '\0';
	int by_id = iot_id != NULL && *iot_id != '\0';
	long dup = -1;

	if (op->state != OP_IDLE) {
		*cause = xstrdup("the operation has started: no more targets");
		return -1;
	}
	if (!by_name && !by_id) {
		*cause = xstrdup("a target needs a ProductKey and a DeviceName, or an IotId");
		return -1;
	}
	if (by_name) {
		kname = xasprintf("%s\x1f%s", product_key, device_name);
		dup = key_find(op, kname);
	}
	if (dup < 0 && by_id) {
		kid = xasprintf("#%s", iot_id);
		dup = key_find(op, kid);
	}
	if (dup >= 0) {
		s = safetext_dup(op->t[dup].name, strlen(op->t[dup].name));
		*cause = xasprintf("%s is a target twice: it would get the write twice", s);
		free(s);
		free(kname);
		free(kid);
		return -1;
	}
	if (op->n == op->cap) {
		op->cap = op->cap ? op->cap * 2 : 16;
		op->t = xreallocarray(op->t, op->cap, sizeof *op->t);
	}
	t = &op->t[op->n];
	memset(t, 0, sizeof *t);
	t->product_key = by_name ? xstrdup(product_key) : dup_or_null(product_key);
	t->device_name = by_name ? xstrdup(device_name) : dup_or_null(device_name);
	t->iot_id = by_id ? xstrdup(iot_id) : NULL;
	if (params != NULL)
		params_copy(&t->params, params);
	t->name = by_name ? xasprintf("%s/%s", product_key, device_name) : xstrdup(iot_id);
	t->state = OP_T_PENDING;
	if (kname != NULL)
		key_add(op, kname, op->n);
	if (kid != NULL)
		key_add(op, kid, op->n);
	op->count[OP_T_PENDING]++;
	return (long)op->n++;
}

long
op_add_item(struct op *op, const char *name, const struct params *params, char **cause)
{
	struct op_target *t;
	char *key, *safe;

	if (op->state != OP_IDLE) {
		*cause = xstrdup("the operation has started: no more targets");
		return -1;
	}
	key = xasprintf("!%s", name);
	if (key_find(op, key) >= 0) {
		safe = safetext_dup(name, strlen(name));
		*cause = xasprintf("%s is a target twice: it would get the write twice", safe);
		free(safe);
		free(key);
		return -1;
	}
	if (op->n == op->cap) {
		op->cap = op->cap ? op->cap * 2 : 16;
		op->t = xreallocarray(op->t, op->cap, sizeof *op->t);
	}
	t = &op->t[op->n];
	memset(t, 0, sizeof *t);
	if (params != NULL)
		params_copy(&t->params, params);
	t->name = xstrdup(name);
	t->state = OP_T_PENDING;
	key_add(op, key, op->n);
	op->count[OP_T_PENDING]++;
	return (long)op->n++;
}

/* ---- submitting ---------------------------------------------------------------- */

/* The parameters of t's request: the common ones, the device, then t's own. */
static void
request_params(const struct op *op, const struct op_target *t, struct params *p)
{
	size_t i;

	const char *pre = op->opts.device_prefix != NULL ? op->opts.device_prefix : "";
	char *name;

	params_copy(p, &op->common);
	if (t->iot_id != NULL) {
		name = xasprintf("%sIotId", pre);
		params_set(p, name, t->iot_id);
		free(name);
	} else if (t->product_key != NULL && t->device_name != NULL) {
		name = xasprintf("%sProductKey", pre);
		params_set(p, name, t->product_key);
		free(name);
		name = xasprintf("%sDeviceName", pre);
		params_set(p, name, t->device_name);
		free(name);
	}	/* else an item (op_add_item): no device */
	for (i = 0; i < t->params.n; i++)
		params_set(p, t->params.v[i].name, t->params.v[i].value);
}

static void
set_state(struct op *op, struct op_target *t, enum op_tstate st)
{
	op->count[t->state]--;
	t->state = st;
	op->count[st]++;
}

static void
submit(struct op *op, size_t i)
{
	struct op_target *t = &op->t[i];
	struct params p = PARAMS_INIT;
	struct worker_call c;

	request_params(op, t, &p);
	memset(&c, 0, sizeof c);
	c.action = op->action;
	c.params = &p;
	c.prio = op->opts.prio;
	c.tag = op->tag;
	c.udata = (void *)(uintptr_t)i;
	c.deadline_ms = op->opts.deadline_ms;
	set_state(op, t, OP_T_SENT);
	t->req = worker_submit(op->w, &c);
	params_free(&p);
}

static void
finish_if_done(struct op *op)
{
	char *cause = NULL;

	if (op->state == OP_DONE || op->state == OP_IDLE || op->next < op->n ||
	    op->count[OP_T_SENT] > 0)
		return;
	op->state = OP_DONE;
	op->finished_ms = clock_wall_ms();
	op->w = NULL;
	if (op->opts.audit != NULL && audit_sync(op->opts.audit, &cause) != 0) {
		if (op->audit_error == NULL)
			op->audit_error = cause;
		else
			free(cause);
	}
}

/* Fills the window. The worker may answer a submission at once (read-only), which the
 * caller's next worker_take brings back. */
static void
refill(struct op *op)
{
	while (op->state == OP_RUNNING && op->next < op->n &&
	    op->count[OP_T_SENT] < (size_t)op->opts.window)
		submit(op, op->next++);
}

void
op_start(struct op *op, struct worker *w)
{
	const struct api_config *cfg = worker_config(w);

	if (op->state != OP_IDLE)
		return;
	op->w = w;
	op->profile = dup_or_null(cfg->profile);
	op->region = dup_or_null(cfg->region);
	op->endpoint = dup_or_null(cfg->endpoint);
	op->started_ms = clock_wall_ms();
	op->state = OP_RUNNING;
	refill(op);
	finish_if_done(op);
}

/* ---- results ------------------------------------------------------------------- */

/* The audit log's entry of target t with outcome; p: its request's parameters (filled
 * here; the caller frees them after using e). */
static void
audit_entry_of(const struct op *op, const struct op_target *t, const char *outcome,
    struct params *p, struct audit_entry *e)
{
	request_params(op, t, p);
	memset(e, 0, sizeof *e);
	e->time_ms = t->done_ms;
	e->profile = op->profile;
	e->region = op->region;
	e->endpoint = op->endpoint;
	e->action = op->action;
	e->product_key = t->product_key;
	e->device_name = t->device_name;
	e->iot_id = t->iot_id;
	e->params = p;
	e->outcome = outcome;
	e->code = t->code;
	e->message = t->message;
	e->request_id = t->request_id;
	e->operation = op->id;
}

static void
audit_target(struct op *op, const struct op_target *t, const char *outcome)
{
	struct audit_entry e;
	struct params p = PARAMS_INIT;
	char *cause = NULL;

	if (op->opts.audit == NULL)
		return;
	audit_entry_of(op, t, outcome, &p, &e);
	if (audit_write(op->opts.audit, &e, &cause) != 0) {
		if (op->audit_error == NULL)
			op->audit_error = cause;
		else
			free(cause);
	}
	params_free(&p);
}

/* Settles target i in state st with an error (code, message may be NULL). */
static void
settle(struct op *op, size_t i, enum op_tstate st, const char *code, const char *message)
{
	struct op_target *t = &op->t[i];

	set_state(op, t, st);
	t->req = 0;
	t->done_ms = clock_wall_ms();
	xstrset(&t->code, code);
	xstrset(&t->message, message);
}

static void
report(struct op *op, size_t i)
{
	if (op->opts.on_target != NULL)
		op->opts.on_target(op->opts.arg, op, i);
}

/* The Data of an answer, detached from it; a Result that is a JSON text (a sync
 * service's output) is decoded in place, its numbers kept as written. */
static cJSON *
take_data(cJSON *json)
{
	cJSON *data, *res, *dec;
	const char *text;

	data = cJSON_DetachItemFromObjectCaseSensitive(json, "Data");
	res = cJSON_GetObjectItemCaseSensitive(data, "Result");
	if (cJSON_IsString(res)) {
		text = res->valuestring;
		dec = cJSON_ParseWithLength(text, strlen(text));
		if (dec != NULL) {
			jsonout_keep_number_text(dec, text, strlen(text));
			cJSON_ReplaceItemInObjectCaseSensitive(data, "Result", dec);
		}
	}
	return data;
}

/* Every pending target goes as NOT_SENT with the same reason. */
static void
settle_pending(struct op *op, const char *code, const char *message)
{
	size_t i;

	for (i = op->next; i < op->n; i++)
		settle(op, i, OP_T_NOT_SENT, code, message);
	i = op->next;
	op->next = op->n;
	for (; i < op->n; i++)
		report(op, i);
}

int
op_is_tag(uint64_t tag)
{
	return (tag & OP_TAG_BIT) != 0;
}

uint64_t
op_tag(const struct op *op)
{
	return op->tag;
}

int
op_feed(struct op *op, struct worker_result *r)
{
	struct op_target *t;
	size_t i = (size_t)(uintptr_t)r->udata;
	enum op_tstate st;
	char rid[64];
	const char *s;
	int readonly;

	if (r->tag != op->tag)
		return 0;
	if (i >= op->n || op->t[i].state != OP_T_SENT || op->t[i].req != r->id) {
		worker_result_free(r);	/* not a request of this operation's: cannot be */
		return 1;
	}
	t = &op->t[i];
	t->attempts = r->attempts;
	if (r->status == API_OK) {
		st = OP_T_OK;
		settle(op, i, st, NULL, NULL);
		s = api_json_string(r->json, "RequestId", rid, sizeof rid);
		xstrset(&t->request_id, s);
		t->http_status = 200;
		cJSON_Delete(t->answer);
		t->answer = take_data(r->json);
	} else {
		if (r->err.outcome_unknown)
			st = OP_T_UNKNOWN;
		else if (r->attempts == 0)
			st = OP_T_NOT_SENT;
		else
			st = OP_T_FAILED;
		settle(op, i, st, r->err.code, r->err.message);
		xstrset(&t->request_id, r->err.request_id);
		t->http_status = r->err.http_status;
	}
	/* The record first: a write that was sent is in the log before anything else. */
	if (r->attempts > 0)
		audit_target(op, t, st == OP_T_OK ? "ok" : st == OP_T_UNKNOWN ? "unknown" :
		    "failed");
	readonly = st == OP_T_NOT_SENT && r->err.code != NULL &&
	    strcmp(r->err.code, WORKER_CODE_READONLY) == 0;
	worker_result_free(r);
	report(op, i);
	/* Each of the rest would be refused the same way: say so now, send nothing. */
	if (readonly && op->state == OP_RUNNING)
		settle_pending(op, t->code, t->message);
	refill(op);
	finish_if_done(op);
	return 1;
}

/* ---- cancelling ------------------------------------------------------------------ */

/* Cancels in the worker what has not left, first and at once (the worker keeps starting
 * requests meanwhile); report_them: then says so for each (else they are only forgotten,
 * for op_free). */
static void
cancel_waiting(struct op *op, int report_them)
{
	static const char msg[] = "cancelled before it was sent";
	size_t *gone, ngone = 0, i;

	if (op->w == NULL)
		return;
	gone = xreallocarray(NULL, op->count[OP_T_SENT] + 1, sizeof *gone);
	for (i = 0; i < op->next; i++)
		if (op->t[i].state == OP_T_SENT && worker_cancel(op->w, op->t[i].req) == 1) {
			settle(op, i, OP_T_NOT_SENT, CODE_CANCELLED, msg);
			gone[ngone++] = i;
		}
	for (i = 0; report_them && i < ngone; i++)
		report(op, gone[i]);
	free(gone);
}

void
op_cancel(struct op *op)
{
	static const char msg[] = "cancelled before it was sent";

	if (op->state == OP_DONE || op->state == OP_CANCELLING)
		return;
	if (op->state == OP_IDLE) {
		settle_pending(op, CODE_CANCELLED, msg);
		op->state = OP_DONE;
		op->started_ms = op->finished_ms = clock_wall_ms();
		return;
	}
	op->state = OP_CANCELLING;
	cancel_waiting(op, 1);
	settle_pending(op, CODE_CANCELLED, msg);
	finish_if_done(op);
}

void
op_abandon(struct op *op)
{
	static const char msg[] = "iotdeck stopped before the answer came: the write was "
	    "sent and may have been carried out; check before repeating it";
	size_t i;

	op_cancel(op);
	for (i = 0; i < op->n; i++) {
		if (op->t[i].state != OP_T_SENT)
			continue;
		settle(op, i, OP_T_UNKNOWN, CODE_ABANDONED, msg);
		op->t[i].attempts = op->t[i].attempts > 0 ? op->t[i].attempts : 1;
		audit_target(op, &op->t[i], "unknown");
		report(op, i);
	}
	finish_if_done(op);
}

/* Descriptors kept for everything but the transfers (standard streams, the audit log,
 * the worker's pipe, curl's own, a console's terminal). */
#define FD_SPARE 64

int
op_sync_window(int fallback)
{
	rlim_t need = (rlim_t)OP_SYNC_WINDOW + FD_SPARE;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return fallback;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need ? rl.rlim_max :
		    need;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
			return fallback;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return OP_SYNC_WINDOW;
	return rl.rlim_cur > (rlim_t)fallback + FD_SPARE ? (int)(rl.rlim_cur - FD_SPARE) :
	    fallback;
}

/* ---- retrying, reading, freeing ---------------------------------------------------- */

struct op *
op_retry(const struct op *op, unsigned which)
{
	struct op *r = NULL;
	struct op_opts o = op->opts;
	char *cause = NULL;
	size_t i;

	o.label = op->label;
	for (i = 0; i < op->n; i++) {
		const struct op_target *t = &op->t[i];
		if (((1u << t->state) & which) == 0)
			continue;
		if (r == NULL) {
			r = op_new(op->action, &op->common, &o);
			r->retry_of = xstrdup(op->id);
		}
		if ((t->product_key == NULL && t->iot_id == NULL ?
		    op_add_item(r, t->name, &t->params, &cause) :
		    op_add_target(r, t->product_key, t->device_name, t->iot_id, &t->params,
		    &cause)) < 0)
			free(cause);	/* cannot be: the targets were unique */
	}
	return r;
}

enum op_state
op_state(const struct op *op)
{
	return op->state;
}

const char *
op_id(const struct op *op)
{
	return op->id;
}

const char *
op_action(const struct op *op)
{
	return op->action;
}

const char *
op_label(const struct op *op)
{
	return op->label;
}

const char *
op_retry_of(const struct op *op)
{
	return op->retry_of;
}

int64_t
op_started_ms(const struct op *op)
{
	return op->started_ms;
}

int64_t
op_finished_ms(const struct op *op)
{
	return op->finished_ms;
}

const char *
op_audit_error(const struct op *op)
{
	return op->audit_error;
}

void
op_counts(const struct op *op, struct op_counts *c)
{
	memcpy(c->n, op->count, sizeof c->n);
	c->total = op->n;
}

size_t
op_target_count(const struct op *op)
{
	return op->n;
}

const struct op_target *
op_target(const struct op *op, size_t i)
{
	return i < op->n ? &op->t[i] : NULL;
}

void
op_target_params(const struct op *op, const struct op_target *t, struct params *p)
{
	request_params(op, t, p);
}

const char *
op_target_name(const struct op_target *t)
{
	return t->name;
}

cJSON *
op_target_json(const struct op *op, const struct op_target *t)
{
	struct audit_entry e;
	struct params p = PARAMS_INIT;
	cJSON *o;

	audit_entry_of(op, t, op_tstate_name(t->state), &p, &e);
	o = audit_entry_json(&e);
	if (t->answer != NULL)
		cJSON_AddItemToObject(o, "data", cJSON_Duplicate(t->answer, 1));
	else
		cJSON_AddNullToObject(o, "data");
	params_free(&p);
	return o;
}

void
op_target_text(const struct op_target *t, unsigned flags, struct buf *b)
{
	size_t start = b->len;

	if (t->state == OP_T_OK) {
		if (flags & OP_TEXT_ANSWER)
			op_answer_text(t->answer, flags, b);
	} else {
		if (t->code != NULL) {
			safetext_append(b, t->code, strlen(t->code));
			buf_adds(b, ": ");
		}
		if (t->message != NULL)
			safetext_append(b, t->message, strlen(t->message));
	}
	if ((flags & OP_TEXT_REQUEST_ID) && t->request_id != NULL) {
		int alone = b->len == start;

		buf_adds(b, alone ? "RequestId " : " (RequestId ");
		safetext_append(b, t->request_id, strlen(t->request_id));
		if (!alone)
			buf_addc(b, ')');
	}
}

void
op_answer_text(const cJSON *answer, unsigned flags, struct buf *b)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(answer, "Result");
	const cJSON *mid = cJSON_GetObjectItemCaseSensitive(answer, "MessageId");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(res, "data");
	char *text;

	if (res != NULL) {
		text = jsonout_print((flags & OP_TEXT_DATA) && data != NULL ? data : res,
		    JSONOUT_COMPACT);
		buf_adds(b, "output ");
		safetext_append(b, text, strlen(text));
		free(text);
	} else if (cJSON_IsString(mid)) {
		buf_adds(b, "MessageId ");
		safetext_append(b, mid->valuestring, strlen(mid->valuestring));
	}
}

const char *
op_tstate_name(enum op_tstate s)
{
	static const char *const names[] = { "pending", "sent", "ok", "failed", "unknown",
	    "not-sent" };

	return (unsigned)s < OP_T_COUNT ? names[s] : "?";
}

const char *
op_state_name(enum op_state s)
{
	static const char *const names[] = { "idle", "running", "cancelling", "done" };

	return (unsigned)s <= OP_DONE ? names[s] : "?";
}

void
op_free(struct op *op)
{
	size_t i;

	if (op == NULL)
		return;
	if (op->state == OP_RUNNING || op->state == OP_CANCELLING)
		cancel_waiting(op, 0);
	for (i = 0; i < op->n; i++) {
		struct op_target *t = &op->t[i];
		free(t->product_key);
		free(t->device_name);
		free(t->iot_id);
		params_free(&t->params);
		free(t->code);
		free(t->message);
		free(t->request_id);
		cJSON_Delete(t->answer);
		free(t->name);
	}
	free(op->t);
	for (i = 0; i < op->keycap; i++)
		free(op->keys[i]);
	free(op->keys);
	free(op->key_at);
	params_free(&op->common);
	free(op->id);
	free(op->retry_of);
	free(op->action);
	free(op->label);
	free(op->profile);
	free(op->region);
	free(op->endpoint);
	free(op->audit_error);
	free(op);
}
