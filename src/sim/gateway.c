/* gateway.c — the request pipeline of the simulated gateway. */
#include "sim/gateway.h"

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
#include "sim/world.h"

#define API_VERSION "2018-01-20"

struct sim_gateway {
	struct sim_store          *store;	/* the world */
	struct sim_auth           *auth;	/* keys and nonces */
	struct sim_throttle       *throttle;	/* flow control */
	struct sim_gateway_config  cfg;		/* settings (strings not owned) */
};

struct sim_gateway *
sim_gateway_new(struct sim_store *store, struct sim_auth *auth, struct sim_throttle *throttle,
    const struct sim_gateway_config *cfg)
{
	struct sim_gateway *g = xcalloc(1, sizeof *g);

	g->store = store;
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

void
sim_gateway_handle(struct sim_gateway *g, const struct sim_request *r, time_t now,
    double mono, struct sim_response *resp)
{
	struct sim_call c;
	const char *authz = sim_request_header(r, "authorization");
	const char *action, *version, *format, *akid = NULL;
	const struct action_info *ai;
	const struct sim_handler *h;
	int v3 = authz != NULL && strncmp(authz, "ACS3-", 5) == 0, xml, rc;
	cJSON *body;
	char *root, *base;
	const char *host = sim_request_header(r, "host");
	long wait;

	memset(resp, 0, sizeof *resp);
	memset(&c, 0, sizeof c);
	sim_request_id(resp->request_id);
	c.store = g->store;
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
	if (strcmp(version, API_VERSION) != 0) {
		sim_gw_fail(&c, 400, "InvalidVersion", "Specified parameter Version is not valid.");
		goto answer;
	}
	if ((ai = action_lookup(action)) == NULL) {
		sim_gw_fail(&c, 404, "InvalidApi.NotFound",
		    "Specified api is not found, please check your url and method.");
		goto answer;
	}
	if (sim_auth_check(g->auth, r, now, &akid, &c.err) != 0)
		goto answer;
	c.akid = akid;
	if ((wait = sim_throttle_take(g->throttle, akid, ai, &r->all, mono)) > 0) {
		sim_gw_fail(&c, 400, "Throttling", "Request was denied due to user flow control.");
		c.err.retry_after_ms = wait;
		goto answer;
	}
	if ((h = sim_handler_find(action)) == NULL) {
		sim_gw_fail(&c, 400, "UnsupportedOperation",
		    "The specified action is not supported by iotdeck-sim.");
		goto answer;
	}
	if (check_required(&c, h->required) != 0)
		goto answer;
	sim_store_lock(g->store);
	sim_world_tick(g->store);
	rc = h->fn(&c);
	sim_store_unlock(g->store);
	/* The device's reply takes its time; the rest of the world goes on meanwhile. */
	sleep_ms(c.reply_ms);
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
	body = sim_error_body(&c.err, resp->request_id, g->cfg.host_id);
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
	sim_error_clear(&c.err);
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

	sim_store_lock(g->store);
	status = sim_oss_form_finish(g->store, f, body, md5hex);
	sim_store_unlock(g->store);
	return status;
}
