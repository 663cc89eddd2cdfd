/* gateway.c — the request pipeline of the simulated gateway. */
#include "sim/gateway.h"
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "sim/handler.h"
#include "sim/log.h"
#include "sim/oss.h"
#include "sim/sts.h"
#include "sim/writelog.h"

#define API_VERSION "2018-01-20"
/* HostId of STS errors. */
#define STS_HOST_ID "sts.aliyuncs.com"

struct sim_gateway {
	struct sim                *sim;	/* the world, OTA state and bucket */
	struct sim_auth           *auth;	/* keys and nonces */
	struct sim_throttle       *throttle;	/* flow control */
	struct sim_gateway_config  cfg;		/* settings (strings not owned) */
	struct sim_writelog       *writelog;	/* --write-log, or NULL (not owned) */
};

struct sim_gateway *
sim_gateway_new(struct sim *sim, struct sim_auth *auth, struct sim_throttle *throttle,
    const struct sim_gateway_config *cfg)
{
	struct sim_gateway *g = xcalloc(1, sizeof *g);

	g->sim = sim;
	g->auth = auth;
	g->throttle = throttle;
	g->cfg = *cfg;
	if (g->cfg.host_id == NULL)
		g->cfg.host_id = "iot.cn-shanghai.aliyuncs.com";
	if (g->cfg.scheme == NULL)
		g->cfg.scheme = "http";
	return g;
}

void
sim_gateway_free(struct sim_gateway *g)
{
	free(g);
}

void
sim_gateway_set_writelog(struct sim_gateway *g, struct sim_writelog *w)
{
	g->writelog = w;
}

void
sim_response_free(struct sim_response *resp)
{
	free(resp->body);
	resp->body = NULL;
}

static int
check_required(struct sim_call *c, const char *required)
{
	const char *p = required;
	char name[96], *dot;
	size_t n;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, ",");
		if (n > 0 && n < sizeof name - 2) {
			memcpy(name, p, n);
			name[n] = '\0';
			/* "X.N" and "X.N.Y" name the first item: "X.1", "X.1.Y". */
			if ((dot = strstr(name, ".N")) != NULL && (dot[2] == '\0' || dot[2] == '.'))
				dot[1] = '1';
			if (params_get(c->p, name) == NULL || *params_get(c->p, name) == '\0') {
				char *code = xasprintf("Missing%s", name);
				sim_gw_fail(c, 400, code, "%s is mandatory for this action.", name);
				free(code);
				return -1;
			}
		}
		p += n + (p[n] == ',');
	}
	return 0;
}

/* A device a write was aimed at, copied for the write log while the store was locked. */
struct logged_target {
	char *pk;	/* ProductKey */
	char *dn;	/* DeviceName */
	char *iotid;	/* IotId */
	int   reach;	/* enum sim_reach */
};

/* What the write log needs to know of how a request went. */
struct write_record {
	int                   executed;	/* the handler ran */
	struct logged_target *t;	/* its targets (owned) */
	size_t                n;	/* targets */
};

static void
write_record_free(struct write_record *wr)
{
	size_t i;

	for (i = 0; i < wr->n; i++) {
		free(wr->t[i].pk);
		free(wr->t[i].dn);
		free(wr->t[i].iotid);
	}
	free(wr->t);
}

static void
sleep_ms(int ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

static const char *
request_action(const struct sim_request *r)
{
	const char *authz = sim_request_header(r, "authorization");

	return authz != NULL && strncmp(authz, "ACS3-", 5) == 0 ?
	    sim_request_header(r, "x-acs-action") : params_get(&r->all, "Action");
}

/* Appends the write log's lines for r (nothing unless its action is a write). */
static void
log_write(struct sim_gateway *g, const struct sim_request *r, enum sim_fault f,
    const struct write_record *wr, const struct sim_response *resp, int64_t when)
{
	const char *action = request_action(r);
	const struct action_info *ai = action != NULL ? action_lookup(action) : NULL;
	struct sim_write e;
	size_t i;
	int ok = resp->code[0] == '\0';

	if (g->writelog == NULL || ai == NULL || ai->rw != ACTION_WRITE)
		return;
	memset(&e, 0, sizeof e);
	e.time_ms = when;
	e.action = ai->name;
	e.params = &r->all;
	e.request_id = resp->request_id;
	e.http_status = resp->status;
	e.code = resp->code;
	e.fault = f;
	e.executed = wr->executed;
	if (wr->n == 0) {
		/* No device found (or none named): the line says what the request named. */
		e.product_key = params_get(&r->all, "ProductKey");
		e.device_name = params_get(&r->all, "DeviceName");
		e.iot_id = params_get(&r->all, "IotId");
		e.applied = wr->executed && ok;
		sim_writelog_append(g->writelog, &e);
		return;
	}
	for (i = 0; i < wr->n; i++) {
		e.product_key = wr->t[i].pk;
		e.device_name = wr->t[i].dn;
		e.iot_id = wr->t[i].iotid;
		e.applied = wr->executed && (wr->t[i].reach == SIM_REACH_YES ||
		    (wr->t[i].reach == SIM_REACH_IF_OK && ok));
		sim_writelog_append(g->writelog, &e);
	}
}

/* Copies the targets the handler noted (store locked). */
static void
keep_targets(struct sim_store *s, const struct sim_call *c, struct write_record *wr)
{
	size_t i;

	wr->t = xcalloc(c->ntargets + 1, sizeof *wr->t);
	for (i = 0; i < c->ntargets; i++) {
		const struct sim_device *d = &s->devs[c->targets[i].dev];
		wr->t[i].pk = xstrdup(s->products[d->product].key);
		wr->t[i].dn = xstrdup(d->name);
		wr->t[i].iotid = xstrdup(d->iotid);
		wr->t[i].reach = (int)c->targets[i].reach;
	}
	wr->n = c->ntargets;
}

/* Answers r into *resp; the device's delay (a sync service) is left in resp->delay_ms. */
static void
handle(struct sim_gateway *g, const struct sim_request *r, time_t now, double mono,
    struct sim_response *resp, struct write_record *wr)
{
	struct sim_call c;
	const char *authz = sim_request_header(r, "authorization");
	const char *action, *version, *format, *akid = NULL;
	const struct action_info *ai;
	const struct sim_handler *h;
	struct sim_caller who;
	int v3 = authz != NULL && strncmp(authz, "ACS3-", 5) == 0, xml, rc, sts = 0;
	cJSON *body;
	char *root, *base;
	const char *host = sim_request_header(r, "host");
	long wait;

	memset(resp, 0, sizeof *resp);
	memset(&c, 0, sizeof c);
	sim_request_id(resp->request_id);
	c.sim = g->sim;
	c.store = g->sim->store;
	c.p = &r->all;
	c.out = cJSON_CreateObject();
	cJSON_AddStringToObject(c.out, "RequestId", resp->request_id);

	action = v3 ? sim_request_header(r, "x-acs-action") : params_get(&r->all, "Action");
	version = v3 ? sim_request_header(r, "x-acs-version") : params_get(&r->all, "Version");
	format = params_get(&r->all, "Format");
	xml = format != NULL ? strcasecmp(format, "XML") == 0 : !v3;
	c.action = action;
	base = xasprintf("%s://%s", g->cfg.scheme, host != NULL && strspn(host,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == strlen(host) ?
	    host : "127.0.0.1");
	c.base_url = base;

	if (action == NULL || *action == '\0') {
		sim_gw_fail(&c, 400, "MissingAction", "Action is mandatory for this action.");
		goto answer;
	}
	if (version == NULL || *version == '\0') {
		sim_gw_fail(&c, 400, "MissingVersion", "Version is mandatory for this action.");
		goto answer;
	}
	/* STS (2015-04-01) is served on the same port: AssumeRole only. */
	sts = strcmp(version, SIM_STS_VERSION) == 0;
	if (!sts && strcmp(version, API_VERSION) != 0) {
		sim_gw_fail(&c, 400, "InvalidVersion", "Specified parameter Version is not valid.");
		goto answer;
	}
	if ((ai = sts ? sim_sts_action(action) : action_lookup(action)) == NULL) {
		sim_gw_fail(&c, 404, "InvalidApi.NotFound",
		    "Specified api is not found, please check your url and method.");
		goto answer;
	}
	if (sim_auth_check(g->auth, r, now, &who, &c.err) != 0)
		goto answer;
	c.akid = akid = who.akid;
	/* Flow control per account: an STS credential's requests count against the key
	 * that assumed the role. */
	if ((wait = sim_throttle_take(g->throttle, who.account, ai, &r->all, mono)) > 0) {
		sim_gw_fail(&c, 400, "Throttling", "Request was denied due to user flow control.");
		c.err.retry_after_ms = wait;
		goto answer;
	}
	if (sts) {
		/* The STS answer has no Success field. */
		if (sim_sts_assume_role(sim_auth_sts(g->auth), &r->all, who.akid, who.account, now,
		    c.out, &c.err) != 0)
			goto answer;
		resp->status = 200;
		body = c.out;
		c.out = NULL;
		root = xasprintf("%sResponse", action);
		goto render;
	}
	if ((h = sim_handler_find(action)) == NULL) {
		sim_gw_fail(&c, 400, "UnsupportedOperation",
		    "The specified action is not supported by iotdeck-sim.");
		goto answer;
	}
	/* The action table's required parameters (the guide's, generated with the table). */
	if (check_required(&c, ai->required) != 0)
		goto answer;
	c.record = g->writelog != NULL && ai->rw == ACTION_WRITE;
	sim_lock(g->sim);
	sim_tick(g->sim);
	rc = h->fn(&c);
	wr->executed = 1;
	if (c.record)
		keep_targets(g->sim->store, &c, wr);
	sim_unlock(g->sim);
	/* The device's reply takes its time (the caller waits); the rest of the world goes
	 * on meanwhile. */
	resp->delay_ms = c.reply_ms;
	if (rc == 0 && c.err.code == NULL) {
		cJSON_AddBoolToObject(c.out, "Success", 1);
		resp->status = 200;
		body = c.out;
		c.out = NULL;
		root = xasprintf("%sResponse", action);
		goto render;
	}
answer:
	if (c.err.code == NULL)
		sim_error_set(&c.err, 500, "InternalError",
		    "The request processing has failed due to some unknown error, exception or failure.");
	body = sim_error_body(&c.err, resp->request_id, sts ? STS_HOST_ID : g->cfg.host_id);
	/* A business error may carry data (e.g. BatchCheckDeviceNames' invalid names). */
	if (c.err.http == 200 && c.out != NULL) {
		cJSON *k;
		while ((k = c.out->child) != NULL) {
			cJSON *item = cJSON_DetachItemViaPointer(c.out, k);
			if (strcmp(item->string, "RequestId") == 0)
				cJSON_Delete(item);
			else
				cJSON_AddItemToObject(body, item->string, item);
		}
	}
	resp->status = c.err.http;
	resp->retry_after_ms = c.err.retry_after_ms;
	snprintf(resp->code, sizeof resp->code, "%s", c.err.code);
	root = xstrdup(c.err.http == 200 && action != NULL ? action : "Error");
	if (c.err.http == 200) {
		char *r2 = xasprintf("%sResponse", root);
		free(root);
		root = r2;
	}
render:
	resp->body = sim_render(body, xml, root);
	resp->content_type = xml ? "text/xml;charset=utf-8" : "application/json;charset=utf-8";
	if (g->cfg.verbose)
		sim_log("%s %s %s -> %d %s", r->method, action != NULL ? action : "-",
		    akid != NULL ? akid : "-", resp->status, resp->code[0] ? resp->code : "OK");
	free(root);
	free(base);
	cJSON_Delete(body);
	cJSON_Delete(c.out);
	free(c.targets);
	sim_error_clear(&c.err);
}

void
sim_gateway_serve_later(struct sim_gateway *g, const struct sim_request *r, enum sim_fault f,
    time_t now, double mono, struct sim_response *resp)
{
	struct write_record wr = { 0, NULL, 0 };
	int64_t when = clock_wall_ms();

	if (f == SIM_FAULT_THROTTLE) {
		sim_gateway_error(g, r->method, 400, "Throttling",
		    "Request was denied due to user flow control.", resp);
		resp->retry_after_ms = 1000;
	} else if (f == SIM_FAULT_5XX)
		sim_gateway_error(g, r->method, 503, "ServiceUnavailable",
		    "The request has failed due to a temporary failure of the server.", resp);
	else
		handle(g, r, now, mono, resp, &wr);
	log_write(g, r, f, &wr, resp, when);
	write_record_free(&wr);
}

void
sim_gateway_serve(struct sim_gateway *g, const struct sim_request *r, enum sim_fault f,
    time_t now, double mono, struct sim_response *resp)
{
	sim_gateway_serve_later(g, r, f, now, mono, resp);
	sleep_ms(resp->delay_ms);
	resp->delay_ms = 0;
}

void
sim_gateway_handle(struct sim_gateway *g, const struct sim_request *r, time_t now,
    double mono, struct sim_response *resp)
{
	sim_gateway_serve(g, r, SIM_FAULT_NONE, now, mono, resp);
}

void
sim_gateway_error(struct sim_gateway *g, const char *method, int http, const char *code,
    const char *message, struct sim_response *resp)
{
	struct sim_error e = { 0, NULL, NULL, 0 };
	cJSON *body;

	memset(resp, 0, sizeof *resp);
	sim_request_id(resp->request_id);
	sim_error_set(&e, http, code, "%s", message);
	body = sim_error_body(&e, resp->request_id, g->cfg.host_id);
	resp->body = sim_render(body, 0, "Error");
	resp->status = http;
	resp->content_type = "application/json;charset=utf-8";
	snprintf(resp->code, sizeof resp->code, "%s", code);
	if (g->cfg.verbose)
		sim_log("%s - - -> %d %s (%s)", method, http, code, message);
	cJSON_Delete(body);
	sim_error_clear(&e);
}

int
sim_gateway_oss_upload(struct sim_gateway *g, struct sim_oss_form *f, char **body,
    char md5hex[33])
{
	int status;

	sim_lock(g->sim);
	status = sim_oss_form_finish(g->sim->oss, f, body, md5hex);
	sim_unlock(g->sim);
	return status;
}
