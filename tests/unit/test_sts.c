/* test_sts.c — STS credentials: the renewal margin and retry pacing, the refusal of an
 * expired token (its exact message, nothing sent), a renewable credential driven by a fake
 * clock (first value, renewal when due, a failed renewal keeping a valid token, one
 * renewal for many threads), the worker renewing before it signs without failing a
 * request, AssumeRole's request (signed, its parameters) and answer parsing, malformed
 * answers included (no part of them in a message). Against a loopback stub server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/client.h"
#include "api/sign.h"
#include "api/sts.h"
#include "api/worker.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "stubserver.h"

/* ---- a fake clock and a fake renewer --------------------------------------------- */

static int64_t fake_now = 1796119200000LL;	/* 2026-12-01 10:00:00 UTC */

static int64_t
fake_clock(void)
{
	return __atomic_load_n(&fake_now, __ATOMIC_SEQ_CST);
}

static void
advance(int64_t ms)
{
	__atomic_add_fetch(&fake_now, ms, __ATOMIC_SEQ_CST);
}

struct fake {
	int	 calls;		/* renew calls */
	int	 fail;		/* fail the next ones */
	int64_t	 lifetime_ms;	/* of each value */
	int	 sleep_ms;	/* take this long */
};

static int
fake_renew(void *arg, struct api_cred *out, char **cause)
{
	struct fake *f = arg;
	int n = __atomic_add_fetch(&f->calls, 1, __ATOMIC_SEQ_CST);

	if (f->sleep_ms > 0)
		usleep((useconds_t)f->sleep_ms * 1000);
	if (f->fail) {
		*cause = xasprintf("AssumeRole failed: NoPermission (try %d)", n);
		return -1;
	}
	out->id = xasprintf("STS.key%d", n);
	out->secret = secret_from("sec", 3);
	out->token = xasprintf("TOKEN%d", n);
	out->expiry_ms = fake_clock() + f->lifetime_ms;
	return 0;
}

/* ---- pure functions ---------------------------------------------------------------- */

static void
test_margin(void **state)
{
	(void)state;
	assert_int_equal(api_renew_margin_ms(3600000), 180000);	/* min(180 s, 1200 s) */
	assert_int_equal(api_renew_margin_ms(540000), 180000);		/* exactly a third */
	assert_int_equal(api_renew_margin_ms(300000), 100000);		/* a third of 5 min */
	assert_int_equal(api_renew_margin_ms(6000), 2000);
	assert_int_equal(api_renew_margin_ms(0), 0);
	assert_int_equal(api_renew_margin_ms(-5), 0);
	assert_int_equal(api_renew_retry_ms(0), 1000);
	assert_int_equal(api_renew_retry_ms(10000), 2500);
	assert_int_equal(api_renew_retry_ms(3600000), 30000);
}

static void
test_refusal_message(void **state)
{
	char *m;

	(void)state;
	m = api_token_expired_message("prod", 1796119200000LL, 1796119200000LL + 5 * 60000);
	assert_string_equal(m, "the STS token of profile prod expired at 2026-12-01 10:00:00 "
	    "UTC (5 min ago); get a new one (vault add prod --sts ...) or use another profile");
	free(m);
	m = api_token_expired_message("t", 1796119200000LL, 1796119200000LL + 42000);
	assert_non_null(strstr(m, "(42 s ago)"));
	free(m);
	m = api_token_expired_message("t", 1796119200000LL, 1796119200000LL + 3 * 86400000LL);
	assert_non_null(strstr(m, "(3 days ago)"));
	free(m);
}

static void
test_static_expiry(void **state)
{
	struct api_config cfg, view;
	struct api_cred_hold hold;
	struct api_error err;
	int is_sts = 0;

	(void)state;
	api_config_init(&cfg);
	cfg.access_key_id = xstrdup("STS.static");
	api_config_set_secret(&cfg, "s");
	cfg.profile = xstrdup("tok");
	/* No token: nothing to check. */
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), 0);
	api_cred_hold_release(&hold);
	assert_int_equal(api_config_token_expiry(&cfg, &is_sts), 0);
	assert_int_equal(is_sts, 0);
	/* A token of unknown expiry (the environment's) is sent. */
	cfg.security_token = xstrdup("CAIStoken");
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), 0);
	assert_string_equal(view.security_token, "CAIStoken");
	api_cred_hold_release(&hold);
	assert_int_equal(api_config_token_expiry(&cfg, &is_sts), 0);
	assert_int_equal(is_sts, 1);
	/* Valid for an hour. */
	cfg.token_expiry_ms = clock_wall_ms() + 3600000;
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), 0);
	api_cred_hold_release(&hold);
	/* Expired a minute ago: refused, with the message. */
	cfg.token_expiry_ms = clock_wall_ms() - 61000;
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), -1);
	assert_int_equal(err.status, API_ERR_CONFIG);
	assert_string_equal(err.code, API_CODE_CREDENTIAL_EXPIRED);
	assert_non_null(strstr(err.message, "the STS token of profile tok expired at "));
	assert_non_null(strstr(err.message, "(61 s ago); get a new one (vault add tok --sts ...)"));
	api_error_clear(&err);
	api_config_free(&cfg);
}

/* ---- the renewable ----------------------------------------------------------------- */

static void
test_renewable(void **state)
{
	struct fake f = { 0, 0, 6000, 0 };
	struct api_renewable *r = api_renewable_new("role", fake_renew, &f, NULL);
	struct api_config cfg, view;
	struct api_cred_hold hold, old;
	struct api_error err;
	struct api_cred c;
	char *cause = NULL;
	int is_sts = 0;

	(void)state;
	api_renewable_set_clock(r, fake_clock);
	api_config_init(&cfg);
	cfg.renew = r;
	/* No value yet: refused. */
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), -1);
	assert_string_equal(err.code, API_CODE_CREDENTIAL_EXPIRED);
	assert_non_null(strstr(err.message, "the role of profile role could not be assumed"));
	api_error_clear(&err);
	/* The first value. */
	assert_int_equal(api_renewable_refresh(r, 0, &cause), 0);
	assert_int_equal(f.calls, 1);
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), 0);
	assert_string_equal(view.access_key_id, "STS.key1");
	assert_string_equal(view.security_token, "TOKEN1");
	assert_int_equal(view.token_expiry_ms, fake_clock() + 6000);
	assert_int_equal(api_config_token_expiry(&cfg, &is_sts), fake_clock() + 6000);
	assert_int_equal(is_sts, 1);
	old = hold;	/* kept across a renewal: still readable, then wiped */

	/* Margin min(180 s, 6 s / 3) = 2 s: 4 s in, 2 s left, not yet due (less than 2 s is). */
	advance(4000);
	assert_int_equal(api_config_refresh(&cfg, &cause), 0);
	assert_int_equal(f.calls, 1);
	advance(1);	/* less than 2 s left: due */
	assert_int_equal(api_config_refresh(&cfg, &cause), 0);
	assert_int_equal(f.calls, 2);
	assert_int_equal(api_renewable_count(r), 2);
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), 0);
	assert_string_equal(view.security_token, "TOKEN2");
	api_cred_hold_release(&hold);
	assert_string_equal(old.gen != NULL ? "held" : "", "held");
	api_cred_hold_release(&old);

	/* Due again, and the renewal fails: the old value is kept (still 1.5 s left) and the
	 * next try waits api_renew_retry_ms(1500) = 1 s. */
	f.fail = 1;
	advance(4500);
	assert_int_equal(api_config_refresh(&cfg, &cause), 0);
	assert_int_equal(f.calls, 3);
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), 0);
	assert_string_equal(view.security_token, "TOKEN2");
	api_cred_hold_release(&hold);
	advance(500);
	assert_int_equal(api_config_refresh(&cfg, &cause), 0);
	assert_int_equal(f.calls, 3);	/* not before the retry time */
	/* Expired (at 6 s) and the renewal fails: refused, with both reasons. */
	advance(1000);
	assert_int_equal(api_config_refresh(&cfg, &cause), -1);
	assert_int_equal(f.calls, 4);
	assert_string_equal(cause, "the STS credential of role profile role expired at "
	    "2026-12-01 10:00:10 UTC (0 s ago) and could not be renewed: AssumeRole failed: "
	    "NoPermission (try 4)");
	free(cause);
	cause = NULL;
	assert_int_equal(api_config_signing(&cfg, &view, &hold, &err), -1);
	assert_int_equal(err.status, API_ERR_CONFIG);
	assert_string_equal(err.code, API_CODE_CREDENTIAL_EXPIRED);
	api_error_clear(&err);
	/* Expired: tried again after api_renew_retry_ms(0) = 1 s, not before. */
	f.fail = 0;
	advance(999);
	assert_int_equal(api_config_refresh(&cfg, &cause), -1);
	assert_int_equal(f.calls, 4);
	free(cause);
	cause = NULL;
	advance(1);
	assert_int_equal(api_config_refresh(&cfg, &cause), 0);
	assert_int_equal(f.calls, 5);
	assert_int_equal(api_renewable_get(r, &c), 0);
	assert_string_equal(c.token, "TOKEN5");
	api_cred_clear(&c);
	/* force renews whatever is left. */
	assert_int_equal(api_renewable_refresh(r, 1, &cause), 0);
	assert_int_equal(f.calls, 6);
	api_config_free(&cfg);	/* drops r */
}

struct racer {
	struct api_renewable	*r;
	int			 rc;
};

static void *
race(void *arg)
{
	struct racer *x = arg;
	char *cause = NULL;

	x->rc = api_renewable_refresh(x->r, 0, &cause);
	free(cause);
	return NULL;
}

static void
test_one_renewal_for_many(void **state)
{
	struct fake f = { 0, 0, 6000, 300 };
	struct api_renewable *r = api_renewable_new("role", fake_renew, &f, NULL);
	struct racer x[6];
	pthread_t t[6];
	char *cause = NULL;
	int i;

	(void)state;
	api_renewable_set_clock(r, fake_clock);
	assert_int_equal(api_renewable_refresh(r, 0, &cause), 0);
	advance(4500);	/* due */
	for (i = 0; i < 6; i++) {
		x[i].r = r;
		x[i].rc = -9;
		pthread_create(&t[i], NULL, race, &x[i]);
	}
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(x[i].rc, 0);
	}
	assert_int_equal(f.calls, 2);	/* six threads found it due: one renewal */
	api_renewable_unref(r);
}

/* ---- against a loopback server ------------------------------------------------------ */

#define MAX_SEEN 64

static struct {
	int	 seen;
	char	 key[MAX_SEEN][40];	/* AccessKeyId of each IoT request */
	char	 token[MAX_SEEN][40];	/* SecurityToken ("" when none) */
	int	 sts_calls;		/* AssumeRole requests */
	char	 sts_params[512];	/* the last one's RoleArn|RoleSessionName|Duration|Version */
	int	 sts_signed;		/* its signature verified under "base-secret" */
	const char *sts_answer;		/* what AssumeRole answers (NULL: a good answer) */
	const char *reject_token;	/* IoT requests with a token starting so: Expired */
	int	 sts_http;		/* with this status (0: 200) */
} seen;

static void
handler(void *arg, const struct stub_request *rq, struct stub_reply *out)
{
	const char *k = params_get(rq->params, "AccessKeyId");
	const char *t = params_get(rq->params, "SecurityToken");
	const char *sig = params_get(rq->params, "Signature");
	char when[32], *mine;
	time_t exp;
	struct tm tm;

	(void)arg;
	if (strcmp(rq->action, STS_ACTION_ASSUME_ROLE) == 0) {
		seen.sts_calls++;
		snprintf(seen.sts_params, sizeof seen.sts_params, "%s|%s|%s|%s",
		    params_get(rq->params, "RoleArn"), params_get(rq->params, "RoleSessionName"),
		    params_get(rq->params, "DurationSeconds"), params_get(rq->params, "Version"));
		mine = sign_v1("POST", rq->params, "base-secret");
		seen.sts_signed = sig != NULL && strcmp(mine, sig) == 0 && k != NULL &&
		    strcmp(k, "LTAIbase") == 0;
		free(mine);
		if (seen.sts_answer != NULL) {
			out->http = seen.sts_http ? seen.sts_http : 200;
			out->body = xstrdup(seen.sts_answer);
			return;
		}
		exp = time(NULL) + 3600;
		gmtime_r(&exp, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		out->body = xasprintf("{\"RequestId\":\"S-%d\",\"AssumedRoleUser\":{\"Arn\":"
		    "\"acs:ram::123:role/ops/iotdeck\",\"AssumedRoleId\":\"300:iotdeck\"},"
		    "\"Credentials\":{\"AccessKeyId\":\"STS.issued%d\",\"AccessKeySecret\":"
		    "\"issued-secret\",\"SecurityToken\":\"CAIS%d\",\"Expiration\":\"%s\"}}",
		    rq->seq, seen.sts_calls, seen.sts_calls, when);
		return;
	}
	if (seen.seen < MAX_SEEN) {
		snprintf(seen.key[seen.seen], sizeof seen.key[0], "%s", k ? k : "");
		snprintf(seen.token[seen.seen], sizeof seen.token[0], "%s", t ? t : "");
		seen.seen++;
	}
	if (seen.reject_token != NULL && t != NULL &&
	    strncmp(t, seen.reject_token, strlen(seen.reject_token)) == 0) {
		out->http = 400;
		out->body = xstrdup("{\"RequestId\":\"R-x\",\"Code\":"
		    "\"InvalidSecurityToken.Expired\",\"Message\":\"Specified SecurityToken is "
		    "expired.\"}");
		return;
	}
	out->body = xasprintf("{\"RequestId\":\"R-%d\",\"Success\":true}", rq->seq);
}

static struct stub_server *srv;

static void
cfg_for_stub(struct api_config *cfg)
{
	api_config_init(cfg);
	cfg->endpoint = xstrdup(stub_url(srv));
	cfg->endpoint_loopback = 1;
	cfg->region = xstrdup("cn-shanghai");
	cfg->access_key_id = xstrdup("unused");
	api_config_set_secret(cfg, "unused");
	cfg->profile = xstrdup("role");
	cfg->timeout_ms = 5000;
}

static uint64_t
submit(struct worker *w, const char *name)
{
	struct params p = PARAMS_INIT;
	struct worker_call c;
	uint64_t id;

	params_set(&p, "ProductKey", name);
	memset(&c, 0, sizeof c);
	c.action = "QueryProduct";
	c.params = &p;
	c.no_coalesce = 1;
	id = worker_submit(w, &c);
	params_free(&p);
	return id;
}

/* Waits for n results; returns how many were API_OK, and the last failure in *err. */
static int
collect(struct worker *w, int n, struct api_error *last, int *attempts)
{
	struct worker_result *r, *next;
	int got = 0, ok = 0, i;

	for (i = 0; i < 1000 && got < n; i++) {
		worker_wait(w, 10);
		for (r = worker_take(w); r != NULL; r = next) {
			next = r->next;
			got++;
			if (r->status == API_OK)
				ok++;
			else if (last != NULL) {
				api_error_clear(last);
				*last = r->err;
				memset(&r->err, 0, sizeof r->err);
				*attempts = r->attempts;
			}
			worker_result_free(r);
		}
	}
	assert_int_equal(got, n);
	return ok;
}

static void
test_worker_renews(void **state)
{
	struct fake f = { 0, 0, 6000, 0 };
	struct api_renewable *r = api_renewable_new("role", fake_renew, &f, NULL);
	struct api_config cfg;
	struct api_error err;
	struct worker *w;
	char *cause = NULL;
	int i, attempts = -1;

	(void)state;
	memset(&seen, 0, sizeof seen);
	memset(&err, 0, sizeof err);
	srv = stub_start(handler, NULL);
	cfg_for_stub(&cfg);
	api_renewable_set_clock(r, fake_clock);
	assert_int_equal(api_renewable_refresh(r, 1, &cause), 0);
	cfg.renew = r;
	w = worker_new(&cfg, NULL, &cause);
	assert_non_null(w);

	for (i = 0; i < 3; i++)
		submit(w, "a");
	assert_int_equal(collect(w, 3, NULL, NULL), 3);
	/* Due (less than 2 s left of 6): the worker renews before it signs the next ones. */
	advance(4001);
	for (i = 0; i < 3; i++)
		submit(w, "b");
	assert_int_equal(collect(w, 3, NULL, NULL), 3);
	assert_int_equal(f.calls, 2);
	/* Due again, STS refuses: the token still valid is used, nothing fails. */
	f.fail = 1;
	advance(4500);
	submit(w, "c");
	assert_int_equal(collect(w, 1, NULL, NULL), 1);
	assert_int_equal(f.calls, 3);
	/* Expired and STS still refuses: refused before sending. */
	advance(1600);
	submit(w, "d");
	assert_int_equal(collect(w, 1, &err, &attempts), 0);
	assert_int_equal(err.status, API_ERR_CONFIG);
	assert_string_equal(err.code, API_CODE_CREDENTIAL_EXPIRED);
	assert_non_null(strstr(err.message, "expired at"));
	assert_non_null(strstr(err.message, "could not be renewed: AssumeRole failed"));
	assert_int_equal(attempts, 0);
	assert_int_equal(f.calls, 4);	/* once, though the job may wait for the throttle */
	api_error_clear(&err);
	/* STS is back: after the retry pause (1 s once expired) the next request renews
	 * and goes. */
	f.fail = 0;
	advance(1000);
	submit(w, "e");
	assert_int_equal(collect(w, 1, NULL, NULL), 1);

	/* What the server saw: 3 with the first token, 3 with the second, 1 with the second
	 * again, none for "d", 1 with the fifth value. */
	assert_int_equal(seen.seen, 8);
	for (i = 0; i < 3; i++) {
		assert_string_equal(seen.key[i], "STS.key1");
		assert_string_equal(seen.token[i], "TOKEN1");
		assert_string_equal(seen.token[3 + i], "TOKEN2");
	}
	assert_string_equal(seen.token[6], "TOKEN2");
	assert_string_equal(seen.key[7], "STS.key5");
	assert_string_equal(seen.token[7], "TOKEN5");
	worker_free(w);
	stub_stop(srv);
	api_config_free(&cfg);
}

/* The gateway finds the token expired while this clock does not (skew): the worker
 * renews at once and sends the request once more -- a write too, which the gateway
 * refused before the service saw it. */
static void
test_worker_server_expired(void **state)
{
	struct fake f = { 0, 0, 3600000, 0 };
	struct api_renewable *r = api_renewable_new("role", fake_renew, &f, NULL);
	struct api_config cfg;
	struct params p = PARAMS_INIT;
	struct worker_call c;
	struct worker *w;
	char *cause = NULL;

	(void)state;
	memset(&seen, 0, sizeof seen);
	seen.reject_token = "TOKEN1";
	srv = stub_start(handler, NULL);
	cfg_for_stub(&cfg);
	api_renewable_set_clock(r, fake_clock);
	assert_int_equal(api_renewable_refresh(r, 1, &cause), 0);
	cfg.renew = r;
	w = worker_new(&cfg, NULL, &cause);
	assert_non_null(w);
	params_set(&p, "Items", "{\"x\":1}");
	memset(&c, 0, sizeof c);
	c.action = "SetDeviceProperty";
	c.params = &p;
	worker_submit(w, &c);
	params_free(&p);
	assert_int_equal(collect(w, 1, NULL, NULL), 1);
	assert_int_equal(f.calls, 2);
	assert_int_equal(seen.seen, 2);
	assert_string_equal(seen.token[0], "TOKEN1");
	assert_string_equal(seen.token[1], "TOKEN2");
	/* Once only: when the gateway refuses the renewed token too, the request fails. */
	seen.reject_token = "TOKEN";
	submit(w, "y");
	assert_int_equal(collect(w, 1, NULL, NULL), 0);
	assert_int_equal(f.calls, 3);
	assert_int_equal(seen.seen, 4);
	worker_free(w);
	stub_stop(srv);
	api_config_free(&cfg);
}

static struct sts_role *
role_for_stub(void)
{
	struct sts_role *r = xcalloc(1, sizeof *r);
	char *cause = NULL;

	r->profile = xstrdup("ops");
	r->role_arn = xstrdup("acs:ram::1234567890:role/iot-ops");
	r->access_key_id = xstrdup("LTAIbase");
	r->access_key_secret = secret_from("base-secret", 11);
	r->timeout_ms = 5000;
	if (sts_role_prepare(r, stub_url(srv), &cause) != 0)
		fail_msg("%s", cause);
	return r;
}

static void
test_assume_role(void **state)
{
	struct api_renewable *ren;
	struct api_config cfg;
	struct api_cred c;
	struct api_error err;
	struct worker *w;
	struct sts_role *r;
	char *cause = NULL;

	(void)state;
	memset(&seen, 0, sizeof seen);
	srv = stub_start(handler, NULL);
	r = role_for_stub();
	assert_string_equal(r->session_name, "iotdeck");
	assert_int_equal(r->duration_s, 3600);
	assert_int_equal(sts_assume_role(r, &c, &err), API_OK);
	assert_int_equal(seen.sts_calls, 1);
	assert_true(seen.sts_signed);
	assert_string_equal(seen.sts_params,
	    "acs:ram::1234567890:role/iot-ops|iotdeck|3600|2015-04-01");
	assert_string_equal(c.id, "STS.issued1");
	assert_string_equal(c.token, "CAIS1");
	assert_true(c.expiry_ms > clock_wall_ms() + 3500000);
	api_cred_clear(&c);

	/* A gateway error says what STS said. */
	seen.sts_http = 403;
	seen.sts_answer = "{\"RequestId\":\"S-x\",\"HostId\":\"sts.aliyuncs.com\",\"Code\":"
	    "\"NoPermission\",\"Message\":\"You are not authorized to do this action.\"}";
	assert_int_equal(sts_renew(r, &c, &cause), -1);
	assert_int_equal(strncmp(cause, "AssumeRole of acs:ram::1234567890:role/iot-ops at "
	    "http://127.0.0.1:", strlen("AssumeRole of acs:ram::1234567890:role/iot-ops at "
	    "http://127.0.0.1:")), 0);	/* then the port */
	assert_non_null(strstr(cause, "failed: NoPermission: You are not authorized to do "
	    "this action."));
	free(cause);
	cause = NULL;
	seen.sts_answer = NULL;
	seen.sts_http = 0;

	/* As the configuration's renewable: requests carry the issued key and token. */
	ren = sts_role_renewable(r);
	assert_int_equal(api_renewable_refresh(ren, 1, &cause), 0);
	cfg_for_stub(&cfg);
	cfg.renew = ren;
	w = worker_new(&cfg, NULL, &cause);
	assert_non_null(w);
	submit(w, "x");
	assert_int_equal(collect(w, 1, NULL, NULL), 1);
	assert_int_equal(seen.seen, 1);
	assert_string_equal(seen.key[0], "STS.issued3");
	assert_string_equal(seen.token[0], "CAIS3");
	worker_free(w);
	stub_stop(srv);
	api_config_free(&cfg);
}

/* ---- parsing ------------------------------------------------------------------------ */

static void
parse_bad(long http, const char *body, const char *want)
{
	struct api_cred c;
	struct api_error err;
	enum api_status st = sts_parse_answer(http, body, strlen(body), &c, &err);

	assert_int_not_equal(st, API_OK);
	assert_null(c.id);
	assert_null(c.secret);
	assert_null(c.token);
	if (strstr(err.message, want) == NULL)
		fail_msg("%s: got '%s', want '%s'", body, err.message, want);
	/* Nothing of the answer's secret parts ever shows. */
	assert_null(strstr(err.message, "SECRETVALUE"));
	assert_null(strstr(err.message, "TOKENVALUE"));
	api_error_clear(&err);
}

#define GOOD_CRED "\"AccessKeyId\":\"STS.NTabc\",\"AccessKeySecret\":\"SECRETVALUE\"," \
    "\"SecurityToken\":\"TOKENVALUE+/=\""

static void
test_parse(void **state)
{
	struct api_cred c;
	struct api_error err;
	const char *good = "{\"RequestId\":\"R\",\"AssumedRoleUser\":{\"Arn\":\"a\"},"
	    "\"Credentials\":{" GOOD_CRED ",\"Expiration\":\"2026-12-01T11:00:00Z\"}}";

	(void)state;
	assert_int_equal(sts_parse_answer(200, good, strlen(good), &c, &err), API_OK);
	assert_string_equal(c.id, "STS.NTabc");
	assert_string_equal(secret_reveal(c.secret), "SECRETVALUE");
	secret_hide(c.secret);
	assert_string_equal(c.token, "TOKENVALUE+/=");
	assert_int_equal(c.expiry_ms, 1796119200000LL + 3600000);
	api_cred_clear(&c);

	/* Errors of the gateway shape. */
	parse_bad(404, "{\"RequestId\":\"R\",\"Code\":\"EntityNotExist.Role\",\"Message\":"
	    "\"The role not exists: acs:ram::1:role/x\"}", "The role not exists");
	assert_int_equal(sts_parse_answer(400, "{\"Code\":\"InvalidParameter.RoleArn\"}", 36,
	    &c, &err), API_ERR_GATEWAY);
	assert_string_equal(err.code, "InvalidParameter.RoleArn");
	api_error_clear(&err);

	/* Malformed answers. */
	parse_bad(200, "", "is empty");
	parse_bad(302, "{}", "unexpected HTTP status");
	parse_bad(200, "{\"Credentials\":{" GOOD_CRED ",\"Expir", "is not a JSON object");
	parse_bad(200, "<html>SECRETVALUE</html>", "is not a JSON object");
	parse_bad(200, "[1,2]", "is not a JSON object");
	parse_bad(200, "{\"RequestId\":\"R\"}", "has no Credentials");
	parse_bad(200, "{\"Code\":\"Odd\"}", "has no Credentials (Code Odd)");
	parse_bad(200, "{\"Credentials\":\"x\"}", "has no Credentials");
	parse_bad(200, "{\"Credentials\":{\"AccessKeySecret\":\"SECRETVALUE\","
	    "\"SecurityToken\":\"TOKENVALUE\",\"Expiration\":\"2026-12-01T11:00:00Z\"}}",
	    "has no Credentials.AccessKeyId");
	parse_bad(200, "{\"Credentials\":{\"AccessKeyId\":\"STS.a\",\"AccessKeySecret\":"
	    "\"SECRETVALUE\",\"SecurityToken\":\"\",\"Expiration\":\"2026-12-01T11:00:00Z\"}}",
	    "has no Credentials.SecurityToken");
	parse_bad(200, "{\"Credentials\":{\"AccessKeyId\":\"STS.a\",\"AccessKeySecret\":"
	    "\"SECRETVALUE\",\"SecurityToken\":5,\"Expiration\":\"2026-12-01T11:00:00Z\"}}",
	    "has no Credentials.SecurityToken");
	parse_bad(200, "{\"Credentials\":{\"AccessKeyId\":\"STS.a\",\"AccessKeySecret\":"
	    "\"SECRET VALUE\",\"SecurityToken\":\"TOKENVALUE\",\"Expiration\":"
	    "\"2026-12-01T11:00:00Z\"}}", "unusable Credentials.AccessKeySecret");
	parse_bad(200, "{\"Credentials\":{\"AccessKeyId\":\"STS.a\",\"AccessKeySecret\":"
	    "\"SECRETVALUE\",\"SecurityToken\":\"TOKEN\\u001bVALUE\",\"Expiration\":"
	    "\"2026-12-01T11:00:00Z\"}}", "unusable Credentials.SecurityToken");
	parse_bad(200, "{\"Credentials\":{" GOOD_CRED "}}", "has no Credentials.Expiration");
	parse_bad(200, "{\"Credentials\":{" GOOD_CRED ",\"Expiration\":\"2026-12-01 11:00:00\"}}",
	    "unusable Credentials.Expiration");
	parse_bad(200, "{\"Credentials\":{" GOOD_CRED ",\"Expiration\":\"2026-13-01T11:00:00Z\"}}",
	    "is not a UTC time");
	parse_bad(200, "{\"Credentials\":{" GOOD_CRED ",\"Expiration\":\"2026-12-01T11:00:00+\"}}",
	    "is not a UTC time");
	parse_bad(200, "{\"Credentials\":{" GOOD_CRED ",\"Expiration\":\"1969-12-01T11:00:00Z\"}}",
	    "is not a UTC time");
	{
		/* A token longer than any STS gives. */
		size_t n = 20000;
		char *big = xmalloc(n + 200), *body;

		memset(big, 'A', n);
		big[n] = '\0';
		body = xasprintf("{\"Credentials\":{\"AccessKeyId\":\"STS.a\",\"AccessKeySecret\":"
		    "\"s\",\"SecurityToken\":\"%s\",\"Expiration\":\"2026-12-01T11:00:00Z\"}}", big);
		parse_bad(200, body, "longer than 16384 bytes");
		free(body);
		free(big);
	}
}

static void
test_role_checks(void **state)
{
	struct sts_role r;
	char *cause = NULL;

	(void)state;
	assert_true(sts_role_arn_valid("acs:ram::1234567890123456:role/iotdeck"));
	assert_true(sts_role_arn_valid("acs:ram::1:role/Role.Name_x-z"));
	assert_false(sts_role_arn_valid("acs:ram::1:role/path/to/Role"));
	assert_false(sts_role_arn_valid("acs:ram::1:role/a@b"));
	assert_false(sts_role_arn_valid("acs:ram::abc:role/x"));
	assert_false(sts_role_arn_valid("acs:ram::1:user/x"));
	assert_false(sts_role_arn_valid("acs:ram::1:role/"));
	assert_false(sts_role_arn_valid("acs:ram::1:role/a//b"));
	assert_false(sts_role_arn_valid("acs:ram::1:role/a b"));
	assert_false(sts_role_arn_valid(NULL));
	assert_true(sts_session_name_valid("iotdeck"));
	assert_true(sts_session_name_valid("a.b@c_d-e"));
	assert_false(sts_session_name_valid("x"));
	assert_false(sts_session_name_valid("has space"));

	memset(&r, 0, sizeof r);
	r.profile = (char *)"p";
	r.role_arn = (char *)"acs:ram::1:role/x";
	setenv(STS_ENV_ENDPOINT, "http://127.0.0.1:9/", 1);
	assert_int_equal(sts_role_prepare(&r, NULL, &cause), 0);
	assert_string_equal(r.endpoint, "http://127.0.0.1:9/");
	assert_true(r.endpoint_loopback);
	free(r.endpoint);
	free(r.session_name);
	r.endpoint = r.session_name = NULL;
	unsetenv(STS_ENV_ENDPOINT);
	assert_int_equal(sts_role_prepare(&r, NULL, &cause), 0);
	assert_string_equal(r.endpoint, "https://sts.aliyuncs.com/");
	free(r.endpoint);
	free(r.session_name);
	r.endpoint = r.session_name = NULL;
	/* A profile's endpoint outranks the environment's; plain http only on loopback. */
	setenv(STS_ENV_ENDPOINT, "http://127.0.0.1:9/", 1);
	assert_int_equal(sts_role_prepare(&r, "http://sts.example.invalid/", &cause), -1);
	assert_non_null(strstr(cause, "plain http:// is allowed only for loopback"));
	free(cause);
	unsetenv(STS_ENV_ENDPOINT);
	free(r.session_name);
	r.session_name = NULL;
	r.duration_s = 100;
	assert_int_equal(sts_role_prepare(&r, NULL, &cause), -1);
	assert_string_equal(cause, "profile p: the role duration 100 s is outside 900..43200 s");
	free(cause);
	free(r.session_name);
	r.session_name = NULL;
	r.duration_s = 0;
	r.role_arn = (char *)"arn:bad";
	assert_int_equal(sts_role_prepare(&r, NULL, &cause), -1);
	assert_string_equal(cause, "profile p: the role ARN 'arn:bad' is not like "
	    "acs:ram::ACCOUNT:role/NAME");
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_margin),
		cmocka_unit_test(test_refusal_message),
		cmocka_unit_test(test_static_expiry),
		cmocka_unit_test(test_renewable),
		cmocka_unit_test(test_one_renewal_for_many),
		cmocka_unit_test(test_worker_renews),
		cmocka_unit_test(test_worker_server_expired),
		cmocka_unit_test(test_assume_role),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_role_checks),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	return cmocka_run_group_tests_name("sts", tests, NULL, NULL);
}
