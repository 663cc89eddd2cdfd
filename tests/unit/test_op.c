/* test_op.c — the operations engine against a scriptable loopback server and the real
 * worker: every target settles exactly once and is reported once, the window bounds
 * what is in the worker, outcomes map from results (ok, failed, unknown, not sent),
 * cancel reports what never left as not sent and still takes what was on the wire,
 * abandon makes the rest unknown, read-only sends nothing, retry takes only what it is
 * asked for, duplicates are refused, a sync service's Result is decoded, and every sent
 * write is in the audit log with the operation's id. Not timed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/jsonout.h"
#include "op/audit.h"
#include "op/op.h"
#include "core/xmalloc.h"
#include "stubserver.h"

/* ---- the server: what to do is in the DeviceName --------------------------------- */

#define MAX_SEEN 4096

struct seen {
	int  n;				/* requests */
	char names[MAX_SEEN][48];	/* their DeviceName (or IotId) */
};
static struct seen seen;

static int
starts(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
handler(void *arg, const struct stub_request *rq, struct stub_reply *out)
{
	const char *dn = params_get(rq->params, "DeviceName");
	const char *id = params_get(rq->params, "IotId");
	const char *pdn = params_get(rq->params, "Device.1.DeviceName");
	const char *gn = params_get(rq->params, "GroupName");
	const char *who = dn != NULL ? dn : id != NULL ? id : pdn != NULL ? pdn :
	    gn != NULL ? gn : "";

	(void)arg;
	if (seen.n < MAX_SEEN)
		snprintf(seen.names[seen.n++], sizeof seen.names[0], "%s", who);
	if (starts(who, "fail")) {
		out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Success\":false,\"Code\":"
		    "\"iot.messagebroker.OFFLINE\",\"ErrorMessage\":\"the device is offline.\"}",
		    rq->seq);
		return;
	}
	if (starts(who, "close")) {
		out->kind = STUB_CLOSE;
		return;
	}
	if (starts(who, "ise")) {
		out->http = 500;
		out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Code\":\"InternalError\","
		    "\"Message\":\"The request processing has failed.\"}", rq->seq);
		return;
	}
	if (starts(who, "sync")) {
		out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Success\":true,\"Data\":"
		    "{\"Result\":\"{\\\"Result\\\":0,\\\"Energy\\\":12.50}\",\"MessageId\":\"M1\"}}",
		    rq->seq);
		return;
	}
	out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Success\":true,\"Data\":"
	    "{\"MessageId\":\"M-%d\"}}", rq->seq, rq->seq);
	if (starts(who, "hold"))
		out->kind = STUB_HOLD;
}

/* ---- fixtures ------------------------------------------------------------------- */

struct fx {
	struct stub_server *srv;
	struct api_config   cfg;
	struct worker      *w;
	char                dir[64];
	char                log[96];
	struct audit       *audit;
	int                 reported[MAX_SEEN];	/* on_target calls per target */
	size_t              max_sent;		/* most SENT seen at once */
};

static void
on_target(void *arg, struct op *op, size_t i)
{
	struct fx *fx = arg;
	struct op_counts c;

	assert_true(i < MAX_SEEN);
	fx->reported[i]++;
	assert_true(op_target(op, i)->state >= OP_T_OK);
	op_counts(op, &c);
	if (c.n[OP_T_SENT] > fx->max_sent)
		fx->max_sent = c.n[OP_T_SENT];
}

static struct fx *
fx_start(int max_in_flight, int readonly)
{
	struct fx *fx = xcalloc(1, sizeof *fx);
	struct worker_opts o;
	char *cause = NULL;

	memset(&seen, 0, sizeof seen);
	fx->srv = stub_start(handler, NULL);
	api_config_init(&fx->cfg);
	fx->cfg.endpoint = xstrdup(stub_url(fx->srv));
	fx->cfg.endpoint_loopback = 1;
	fx->cfg.region = xstrdup("cn-shanghai");
	fx->cfg.profile = xstrdup("test-profile");
	fx->cfg.access_key_id = xstrdup("LTAItestkey");
	api_config_set_secret(&fx->cfg, "very-secret-value");
	fx->cfg.timeout_ms = 3000;
	worker_opts_init(&o);
	o.max_in_flight = max_in_flight;
	o.qps_scale = 20;	/* the pacing is the throttle's test, not this one's */
	o.readonly = readonly;
	fx->w = worker_new(&fx->cfg, &o, &cause);
	if (fx->w == NULL)
		fail_msg("worker_new: %s", cause);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/iotdeck-test-op-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->log, sizeof fx->log, "%s/audit.log", fx->dir);
	fx->audit = audit_open(fx->log, &cause);
	if (fx->audit == NULL)
		fail_msg("audit_open: %s", cause);
	return fx;
}

static void
fx_stop(struct fx *fx)
{
	worker_free(fx->w);
	stub_stop(fx->srv);
	api_config_free(&fx->cfg);
	audit_close(fx->audit);
	unlink(fx->log);
	rmdir(fx->dir);
	free(fx);
}

static struct op *
make_op(struct fx *fx, const char *action, int window)
{
	struct op_opts o;

	op_opts_init(&o);
	o.window = window;
	o.audit = fx->audit;
	o.on_target = on_target;
	o.arg = fx;
	o.label = "Brightness=80";
	return op_new(action, NULL, &o);
}

static void
add(struct op *op, const char *pk, const char *dn, const char *iot)
{
	struct params p = PARAMS_INIT;
	char *cause = NULL;

	params_set(&p, "Items", "{\"Brightness\":80}");
	if (op_add_target(op, pk, dn, iot, &p, &cause) < 0)
		fail_msg("op_add_target: %s", cause);
	params_free(&p);
}

/* Feeds the worker's results until the operation is done (at most 60 s). */
static void
run(struct fx *fx, struct op *op)
{
	struct worker_result *r, *next;
	time_t end = time(NULL) + 60;	/* valgrind is slow */

	while (op_state(op) != OP_DONE && time(NULL) < end) {
		worker_wait(fx->w, 10);
		for (r = worker_take(fx->w); r != NULL; r = next) {
			next = r->next;
			if (!op_feed(op, r))
				fail_msg("a result that is not the operation's");
		}
	}
	if (op_state(op) != OP_DONE) {
		struct op_counts c;
		op_counts(op, &c);
		fail_msg("not done: pending %zu sent %zu ok %zu failed %zu unknown %zu not sent %zu",
		    c.n[0], c.n[1], c.n[2], c.n[3], c.n[4], c.n[5]);
	}
}

static void
wait_requests(struct fx *fx, int n)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int i;

	for (i = 0; i < 5000 && stub_count(fx->srv) < n; i++)
		nanosleep(&ts, NULL);
	assert_true(stub_count(fx->srv) >= n);
}

/* The audit log's lines, parsed (a NULL-terminated array; caller frees). */
static cJSON **
audit_lines(struct fx *fx, int *n)
{
	FILE *f = fopen(fx->log, "r");
	cJSON **v = xcalloc(MAX_SEEN + 1, sizeof *v);
	char line[4096];

	*n = 0;
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL && *n < MAX_SEEN) {
		assert_true(strchr(line, '\n') != NULL);	/* whole lines */
		v[*n] = cJSON_Parse(line);
		assert_non_null(v[*n]);
		(*n)++;
	}
	fclose(f);
	return v;
}

static void
lines_free(cJSON **v)
{
	int i;

	for (i = 0; v[i] != NULL; i++)
		cJSON_Delete(v[i]);
	free(v);
}

static const char *
jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- tests ---------------------------------------------------------------------- */

static void
test_all_ok_windowed(void **state)
{
	struct fx *fx = fx_start(4, 0);
	struct op *op = make_op(fx, "SetDeviceProperty", 8);
	struct op_counts c;
	char name[32];
	cJSON **lines;
	int i, n, j;

	(void)state;
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "dev-%03d", i);
		add(op, "a1PK", name, NULL);
	}
	assert_int_equal(op_state(op), OP_IDLE);
	op_counts(op, &c);
	assert_int_equal(c.total, 300);
	assert_int_equal(c.n[OP_T_PENDING], 300);
	op_start(op, fx->w);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_SENT], 8);	/* one window */
	assert_int_equal(c.n[OP_T_PENDING], 292);
	run(fx, op);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_OK], 300);
	assert_true(fx->max_sent <= 8);
	for (i = 0; i < 300; i++) {
		const struct op_target *t = op_target(op, (size_t)i);
		assert_int_equal(fx->reported[i], 1);
		assert_int_equal(t->state, OP_T_OK);
		assert_int_equal(t->attempts, 1);
		assert_non_null(t->request_id);
		assert_non_null(cJSON_GetObjectItem(t->answer, "MessageId"));
		assert_true(t->done_ms > 0);
	}
	/* Each device was sent exactly once, in order. */
	assert_int_equal(seen.n, 300);
	for (i = 0; i < 300; i++)
		for (j = i + 1; j < 300; j++)
			assert_string_not_equal(seen.names[i], seen.names[j]);
	/* The audit log: one line each, the fields in order. */
	lines = audit_lines(fx, &n);
	assert_int_equal(n, 300);
	assert_string_equal(jstr(lines[0], "operation"), op_id(op));
	assert_string_equal(jstr(lines[0], "profile"), "test-profile");
	assert_string_equal(jstr(lines[0], "region"), "cn-shanghai");
	assert_string_equal(jstr(lines[0], "endpoint"), stub_url(fx->srv));
	assert_string_equal(jstr(lines[0], "action"), "SetDeviceProperty");
	assert_string_equal(jstr(lines[0], "product_key"), "a1PK");
	assert_string_equal(jstr(lines[0], "outcome"), "ok");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(lines[0], "code")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(lines[0], "iot_id")));
	assert_string_equal(jstr(cJSON_GetObjectItem(lines[0], "params"), "Items"),
	    "{\"Brightness\":80}");
	assert_string_equal(op_label(op), "Brightness=80");
	lines_free(lines);
	assert_null(op_audit_error(op));
	assert_true(op_finished_ms(op) >= op_started_ms(op));
	op_free(op);
	fx_stop(fx);
}

static void
test_outcomes(void **state)
{
	struct fx *fx = fx_start(4, 0);
	struct op *op = make_op(fx, "SetDeviceProperty", 4), *r;
	const struct op_target *t;
	struct op_counts c;
	cJSON **lines;
	int n, i, unknown = 0;

	(void)state;
	add(op, "a1PK", "ok-1", NULL);
	add(op, "a1PK", "fail-1", NULL);
	add(op, "a1PK", "close-1", NULL);
	add(op, "a1PK", "ise-1", NULL);
	add(op, NULL, NULL, "iotid-ok-2");
	op_start(op, fx->w);
	run(fx, op);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_OK], 2);
	assert_int_equal(c.n[OP_T_FAILED], 1);
	assert_int_equal(c.n[OP_T_UNKNOWN], 2);

	t = op_target(op, 1);
	assert_int_equal(t->state, OP_T_FAILED);
	assert_string_equal(t->code, "iot.messagebroker.OFFLINE");
	assert_non_null(t->request_id);
	t = op_target(op, 2);	/* sent, the connection dropped: unknown, no RequestId */
	assert_int_equal(t->state, OP_T_UNKNOWN);
	assert_null(t->request_id);
	assert_int_equal(t->attempts, 1);
	t = op_target(op, 3);	/* a 500 to a write: unknown, with the RequestId */
	assert_int_equal(t->state, OP_T_UNKNOWN);
	assert_non_null(t->request_id);
	t = op_target(op, 4);
	assert_string_equal(op_target_name(t), "iotid-ok-2");
	assert_string_equal(op_target_name(op_target(op, 0)), "a1PK/ok-1");
	assert_int_equal(seen.n, 5);	/* none sent twice */

	lines = audit_lines(fx, &n);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		const char *o = jstr(lines[i], "outcome");
		if (strcmp(o, "unknown") == 0)
			unknown++;
		if (jstr(lines[i], "device_name") != NULL &&
		    strcmp(jstr(lines[i], "device_name"), "close-1") == 0) {
			assert_string_equal(o, "unknown");
			assert_true(cJSON_IsNull(cJSON_GetObjectItem(lines[i], "request_id")));
		}
		if (jstr(lines[i], "iot_id") != NULL) {
			assert_string_equal(jstr(lines[i], "iot_id"), "iotid-ok-2");
			assert_true(cJSON_IsNull(cJSON_GetObjectItem(lines[i], "device_name")));
			assert_string_equal(jstr(cJSON_GetObjectItem(lines[i], "params"), "IotId"),
			    "iotid-ok-2");
		}
		if (strcmp(o, "failed") == 0)
			assert_string_equal(jstr(lines[i], "code"), "iot.messagebroker.OFFLINE");
	}
	assert_int_equal(unknown, 2);
	lines_free(lines);

	/* Retry the failed only; unknown only when asked. */
	r = op_retry(op, OP_RETRY_FAILED | OP_RETRY_NOT_SENT);
	assert_non_null(r);
	assert_int_equal(op_target_count(r), 1);
	assert_string_equal(op_target(r, 0)->device_name, "fail-1");
	assert_string_equal(op_retry_of(r), op_id(op));
	assert_string_not_equal(op_id(r), op_id(op));
	assert_string_equal(params_get(&op_target(r, 0)->params, "Items"), "{\"Brightness\":80}");
	assert_int_equal(op_state(r), OP_IDLE);
	memset(fx->reported, 0, sizeof fx->reported);
	op_start(r, fx->w);
	run(fx, r);
	assert_int_equal(op_target(r, 0)->state, OP_T_FAILED);
	assert_int_equal(seen.n, 6);
	op_free(r);
	r = op_retry(op, OP_RETRY_UNKNOWN);
	assert_int_equal(op_target_count(r), 2);
	op_free(r);
	r = op_retry(op, OP_RETRY_NOT_SENT);
	assert_null(r);
	op_free(op);
	fx_stop(fx);
}

static void
test_cancel(void **state)
{
	struct fx *fx = fx_start(4, 0);	/* background requests get 2 slots */
	struct op *op = make_op(fx, "SetDeviceProperty", 6);
	struct op_counts c;
	char name[32];
	cJSON **lines;
	int i, n;

	(void)state;
	add(op, "a1PK", "hold-1", NULL);
	add(op, "a1PK", "hold-2", NULL);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "dev-%02d", i);
		add(op, "a1PK", name, NULL);
	}
	op_start(op, fx->w);
	wait_requests(fx, 2);	/* two on the wire, four waiting in the worker */
	op_cancel(op);
	assert_int_equal(op_state(op), OP_CANCELLING);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_SENT], 2);
	assert_int_equal(c.n[OP_T_NOT_SENT], 20);
	assert_int_equal(c.n[OP_T_PENDING], 0);
	for (i = 2; i < 22; i++) {
		assert_int_equal(fx->reported[i], 1);
		assert_string_equal(op_target(op, (size_t)i)->code, "iotdeck.Cancelled");
	}
	op_cancel(op);	/* harmless */
	stub_release(fx->srv);
	run(fx, op);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_OK], 2);	/* the writes on the wire were still taken */
	assert_int_equal(c.n[OP_T_NOT_SENT], 20);
	assert_int_equal(seen.n, 2);
	lines = audit_lines(fx, &n);
	assert_int_equal(n, 2);	/* only what was sent */
	lines_free(lines);
	for (i = 0; i < 22; i++)
		assert_int_equal(fx->reported[i], 1);
	op_free(op);

	/* Cancelled before it started: everything not sent, done at once. */
	op = make_op(fx, "SetDeviceProperty", 6);
	add(op, "a1PK", "x", NULL);
	op_cancel(op);
	assert_int_equal(op_state(op), OP_DONE);
	assert_int_equal(op_target(op, 0)->state, OP_T_NOT_SENT);
	op_free(op);
	fx_stop(fx);
}

static void
test_abandon(void **state)
{
	struct fx *fx = fx_start(4, 0);
	struct op *op = make_op(fx, "SetDeviceProperty", 4);
	struct worker_result *r, *next;
	struct op_counts c;
	cJSON **lines;
	int n;

	(void)state;
	add(op, "a1PK", "hold-1", NULL);
	add(op, "a1PK", "hold-2", NULL);
	add(op, "a1PK", "dev-3", NULL);
	op_start(op, fx->w);
	wait_requests(fx, 2);
	for (r = worker_take(fx->w); r != NULL; r = next) {
		next = r->next;
		assert_true(op_feed(op, r));
	}
	op_abandon(op);
	assert_int_equal(op_state(op), OP_DONE);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_UNKNOWN], 2);
	assert_int_equal(c.n[OP_T_NOT_SENT], 1);
	assert_string_equal(op_target(op, 0)->code, "iotdeck.Abandoned");
	lines = audit_lines(fx, &n);
	assert_int_equal(n, 2);
	assert_string_equal(jstr(lines[0], "outcome"), "unknown");
	assert_string_equal(jstr(lines[0], "code"), "iotdeck.Abandoned");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(lines[0], "request_id")));
	lines_free(lines);
	stub_release(fx->srv);
	op_free(op);
	fx_stop(fx);
}

static void
test_readonly(void **state)
{
	struct fx *fx = fx_start(4, 1);
	struct op *op = make_op(fx, "SetDeviceProperty", 4);
	struct op_counts c;
	char name[32];
	cJSON **lines;
	int i, n;

	(void)state;
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof name, "dev-%02d", i);
		add(op, "a1PK", name, NULL);
	}
	op_start(op, fx->w);
	run(fx, op);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_NOT_SENT], 50);
	for (i = 0; i < 50; i++) {
		assert_string_equal(op_target(op, (size_t)i)->code, WORKER_CODE_READONLY);
		assert_int_equal(fx->reported[i], 1);
	}
	assert_int_equal(stub_count(fx->srv), 0);
	lines = audit_lines(fx, &n);
	assert_int_equal(n, 0);
	lines_free(lines);
	op_free(op);
	fx_stop(fx);
}

static void
test_duplicates_and_routing(void **state)
{
	struct fx *fx = fx_start(4, 0);
	struct op *op = make_op(fx, "SetDeviceProperty", 4), *other;
	struct worker_call wc;
	struct worker_result *r;
	char *cause = NULL;

	(void)state;
	assert_int_equal(op_add_target(op, "a1PK", "dev", NULL, NULL, &cause), 0);
	assert_int_equal(op_add_target(op, "a1PK", "dev", NULL, NULL, &cause), -1);
	assert_non_null(strstr(cause, "a1PK/dev is a target twice"));
	free(cause);
	assert_int_equal(op_add_target(op, NULL, NULL, "ID1", NULL, &cause), 1);
	assert_int_equal(op_add_target(op, "a1PK", "dev2", "ID1", NULL, &cause), -1);
	free(cause);
	assert_int_equal(op_add_target(op, "a1PK", NULL, NULL, NULL, &cause), -1);
	free(cause);
	assert_int_equal(op_add_target(op, "a1PK", "dev3", "ID3", NULL, &cause), 2);
	assert_int_equal(op_add_target(op, NULL, NULL, "ID3", NULL, &cause), -1);
	free(cause);
	assert_int_equal(op_add_target(op, "a1PK", "dev3", NULL, NULL, &cause), -1);
	free(cause);

	other = make_op(fx, "SetDeviceProperty", 4);
	assert_true(op_is_tag(op_tag(op)));
	assert_true(op_tag(op) != op_tag(other));
	assert_false(op_is_tag(1));
	/* A result of someone else's is not taken. */
	memset(&wc, 0, sizeof wc);
	wc.action = "QueryDeviceDetail";
	wc.tag = 7;
	worker_submit(fx->w, &wc);
	while ((r = worker_take(fx->w)) == NULL)
		worker_wait(fx->w, 100);
	assert_int_equal(op_feed(op, r), 0);
	assert_int_equal(op_feed(other, r), 0);
	worker_result_free_all(r);

	op_start(op, fx->w);
	assert_int_equal(op_add_target(op, "a1PK", "late", NULL, NULL, &cause), -1);
	free(cause);
	run(fx, op);
	assert_int_equal(seen.n, 4);	/* QueryDeviceDetail + 3 targets */
	op_free(other);
	op_free(op);

	/* No targets: done at once. */
	op = make_op(fx, "SetDeviceProperty", 4);
	op_start(op, fx->w);
	assert_int_equal(op_state(op), OP_DONE);
	op_free(op);
	fx_stop(fx);
}

static void
test_sync_service_answer(void **state)
{
	struct fx *fx = fx_start(4, 0);
	struct params common = PARAMS_INIT;
	struct op_opts o;
	struct op *op;
	const cJSON *res;
	char *text;

	(void)state;
	params_set(&common, "Identifier", "ReadEnergy");
	op_opts_init(&o);
	o.audit = fx->audit;
	op = op_new("InvokeThingService", &common, &o);
	params_free(&common);
	add(op, "a1PK", "sync-1", NULL);
	op_start(op, fx->w);
	run(fx, op);
	assert_int_equal(op_target(op, 0)->state, OP_T_OK);
	res = cJSON_GetObjectItem(op_target(op, 0)->answer, "Result");
	assert_true(cJSON_IsObject(res));
	text = jsonout_print(res, JSONOUT_COMPACT);
	assert_string_equal(text, "{\"Result\":0,\"Energy\":12.50}");	/* as written */
	free(text);
	assert_string_equal(op_label(op), "InvokeThingService");
	op_free(op);
	fx_stop(fx);
}

/* A batch API sent one device at a time names it under a prefix (Device.1.ProductKey);
 * an item that is no device (a group to create) sends only its own parameters; both
 * retry like devices. */
static void
test_prefix_and_items(void **state)
{
	struct fx *fx = fx_start(4, 0);
	struct params common = PARAMS_INIT, own = PARAMS_INIT;
	struct op_opts o;
	struct op *op, *again;
	char *cause = NULL;

	(void)state;
	params_set(&common, "GroupId", "G1");
	op_opts_init(&o);
	o.audit = fx->audit;
	o.device_prefix = "Device.1.";
	op = op_new("BatchAddDeviceGroupRelations", &common, &o);
	params_free(&common);
	add(op, "a1PK", "ok-1", NULL);
	add(op, "a1PK", "fail-2", NULL);
	seen.n = 0;
	op_start(op, fx->w);
	run(fx, op);
	assert_int_equal(seen.n, 2);	/* in either order: two on the wire at once */
	assert_true(strcmp(seen.names[0], "ok-1") == 0 || strcmp(seen.names[1], "ok-1") == 0);
	assert_true(strcmp(seen.names[0], "fail-2") == 0 || strcmp(seen.names[1], "fail-2") == 0);
	assert_int_equal(op_target(op, 0)->state, OP_T_OK);
	assert_int_equal(op_target(op, 1)->state, OP_T_FAILED);
	again = op_retry(op, OP_RETRY_FAILED);
	assert_non_null(again);
	assert_int_equal(op_target_count(again), 1);
	op_free(again);
	op_free(op);

	op_opts_init(&o);
	o.audit = fx->audit;
	op = op_new("CreateDeviceGroup", NULL, &o);
	params_set(&own, "GroupName", "ok-group");
	assert_int_equal(op_add_item(op, "ok-group", &own, &cause), 0);
	assert_int_equal(op_add_item(op, "ok-group", &own, &cause), -1);
	assert_non_null(strstr(cause, "twice"));
	free(cause);
	params_free(&own);
	seen.n = 0;
	op_start(op, fx->w);
	run(fx, op);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.names[0], "ok-group");
	assert_int_equal(op_target(op, 0)->state, OP_T_OK);
	assert_null(op_target(op, 0)->product_key);
	op_free(op);
	fx_stop(fx);
}

/* Many targets (more than the stub server's 256 connections at once) through a small
 * window and a busy worker: each sent exactly once. */
#define NMANY 700
static void
test_many(void **state)
{
	struct fx *fx = fx_start(8, 0);
	struct op *op = make_op(fx, "SetDeviceProperty", 16);
	struct op_counts c;
	char name[32];
	cJSON **lines;
	int i, n;
	static int count[NMANY];

	(void)state;
	for (i = 0; i < NMANY; i++) {
		snprintf(name, sizeof name, "d%d", i);
		add(op, "a1PK", name, NULL);
	}
	op_start(op, fx->w);
	run(fx, op);
	op_counts(op, &c);
	assert_int_equal(c.n[OP_T_OK], NMANY);
	assert_int_equal(seen.n, NMANY);
	memset(count, 0, sizeof count);
	for (i = 0; i < seen.n; i++)
		count[atoi(seen.names[i] + 1)]++;
	for (i = 0; i < NMANY; i++)
		assert_int_equal(count[i], 1);
	lines = audit_lines(fx, &n);
	assert_int_equal(n, NMANY);
	lines_free(lines);
	op_free(op);
	fx_stop(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_ok_windowed),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_duplicates_and_routing),
		cmocka_unit_test(test_sync_service_answer),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_prefix_and_items),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	return cmocka_run_group_tests_name("op", tests, NULL, NULL);
}
