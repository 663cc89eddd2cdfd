/* test_pager.c — paging through the worker against a loopback server that pages like
 * the guide says: the largest PageSize, every item exactly once (also with 5xx faults),
 * QueryDevice's NextToken past 10,000 devices and its deep pages past 100,000, the page
 * that starts the token chain asked for first, early stop, refused styles, the plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/pager.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "stubserver.h"

/* ---- a server that pages ----------------------------------------------------- */

struct fake {
	long   ndevices;	/* devices of the product */
	long   nproducts;	/* products */
	int    fault_every;	/* every n-th request answers 500 (0: never) */
	int    requests;	/* requests answered */
	int    token_requests;	/* requests carrying a NextToken */
	int    deep_requests;	/* requests with CurrentPage*PageSize >= 100,000 */
	int    bad_requests;	/* requests that broke the paging rules */
	long   page_sizes_seen;	/* the largest PageSize asked for */
	long   order[8];	/* CurrentPage of the first requests */
};

static struct fake fk;

static void
fake_handler(void *arg, const struct stub_request *rq, struct stub_reply *out)
{
	const char *tok = params_get(rq->params, "NextToken");
	const char *cp = params_get(rq->params, "CurrentPage");
	const char *ps = params_get(rq->params, "PageSize");
	long page = cp ? atol(cp) : 1, size = ps ? atol(ps) : 10, start, i, n;
	struct buf b = BUF_INIT;

	(void)arg;
	fk.requests++;
	if (rq->seq <= 8)
		fk.order[rq->seq - 1] = page;
	if (size > fk.page_sizes_seen)
		fk.page_sizes_seen = size;
	if (fk.fault_every > 0 && rq->seq % fk.fault_every == 0) {
		out->http = 503;
		out->body = xstrdup("{\"RequestId\":\"X\",\"Code\":\"ServiceUnavailable\","
		    "\"Message\":\"The request has failed due to a temporary failure.\"}");
		return;
	}
	if (page * size >= 100000)
		fk.deep_requests++;
	if (strcmp(rq->action, "QueryDevice") == 0) {
		if (size > 50 || (tok == NULL && page * size > 10000) ||
		    (tok != NULL && page * size >= 500000)) {
			fk.bad_requests++;
			out->body = xstrdup("{\"RequestId\":\"X\",\"Success\":false,"
			    "\"Code\":\"iot.common.InvalidPageParams\",\"ErrorMessage\":\"bad\"}");
			return;
		}
		if (tok != NULL) {
			fk.token_requests++;
			start = atol(tok + 1);
		} else
			start = (page - 1) * size;
		buf_addf(&b, "{\"RequestId\":\"R%d\",\"Success\":true,\"Total\":%ld,"
		    "\"PageSize\":%ld,\"Page\":%ld,\"PageCount\":%ld,", rq->seq, fk.ndevices, size,
		    page, (fk.ndevices + size - 1) / size);
		if (start + size < fk.ndevices)
			buf_addf(&b, "\"NextToken\":\"T%ld\",", start + size);
		buf_adds(&b, "\"Data\":{\"DeviceInfo\":[");
		for (i = start, n = 0; i < fk.ndevices && n < size; i++, n++)
			buf_addf(&b, "%s{\"DeviceName\":\"d%ld\",\"IotId\":\"id%ld\"}", n ? "," : "",
			    i, i);
		buf_adds(&b, "]}}");
	} else {	/* QueryProductList: totals inside Data */
		start = (page - 1) * size;
		buf_addf(&b, "{\"RequestId\":\"R%d\",\"Success\":true,\"Data\":{\"Total\":%ld,"
		    "\"PageSize\":%ld,\"CurrentPage\":%ld,\"List\":{\"ProductInfo\":[", rq->seq,
		    fk.nproducts, size, page);
		for (i = start, n = 0; i < fk.nproducts && n < size; i++, n++)
			buf_addf(&b, "%s{\"ProductKey\":\"p%ld\"}", n ? "," : "", i);
		buf_adds(&b, "]}}}");
	}
	out->body = buf_detach(&b);
}

/* ---- the consumer ----------------------------------------------------------- */

struct seen {
	unsigned char *hits;	/* how often each index was delivered */
	long           n;	/* size of hits */
	int            pages;	/* callbacks */
	int            stop_after;	/* ask to stop after this many pages (0: never) */
	const char    *field;	/* item field holding "<letter><index>" */
};

static int
on_page(void *arg, const struct pager_page *pg)
{
	struct seen *s = arg;
	size_t i;
	const cJSON *v;
	long k;

	s->pages++;
	assert_true(pg->loaded >= pg->count);
	for (i = 0; i < pg->count; i++) {
		v = cJSON_GetObjectItemCaseSensitive(pg->items[i], s->field);
		assert_true(cJSON_IsString(v));
		k = atol(v->valuestring + (s->field[0] == 'I' ? 2 : 1));
		assert_true(k >= 0 && k < s->n);
		s->hits[k]++;
	}
	return s->stop_after > 0 && s->pages >= s->stop_after;
}

static struct stub_server *srv;
static struct api_config cfg;
static struct worker *wk;

static void
start(double scale)
{
	struct worker_opts o;
	char *cause = NULL;

	srv = stub_start(fake_handler, NULL);
	api_config_init(&cfg);
	cfg.endpoint = xstrdup(stub_url(srv));
	cfg.endpoint_loopback = 1;
	cfg.region = xstrdup("cn-shanghai");
	cfg.access_key_id = xstrdup("LTAItestkey");
	cfg.access_key_secret = xstrdup("test-secret");
	worker_opts_init(&o);
	o.qps_scale = scale;
	o.backoff_base_ms = 5;
	o.backoff_max_ms = 20;
	wk = worker_new(&cfg, &o, &cause);
	assert_non_null(wk);
}

static void
stop(void)
{
	worker_free(wk);
	stub_stop(srv);
	api_config_free(&cfg);
}

/* Runs a pager to the end; returns its status. */
static enum api_status
run(const char *action, struct seen *s, long n)
{
	struct params p = PARAMS_INIT;
	struct pager *pg;
	char *cause = NULL;
	enum api_status st;
	int i;

	s->hits = xcalloc((size_t)n, 1);
	s->n = n;
	params_set(&p, "ProductKey", "pk1");
	pg = pager_new(wk, action, strcmp(action, "QueryDevice") == 0 ? &p : NULL, NULL,
	    on_page, s, &cause);
	assert_non_null(pg);
	pager_start(pg);
	for (i = 0; i < 100000 && !pager_done(pg); i++)
		pager_pump(pg, 100);
	assert_true(pager_done(pg));
	st = pager_status(pg, NULL);
	pager_free(pg);
	params_free(&p);
	return st;
}

static void
assert_each_once(const struct seen *s, long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (s->hits[i] != 1)
			fail_msg("item %ld delivered %d times", i, s->hits[i]);
}

/* ---- tests -------------------------------------------------------------------- */

static void
test_products(void **state)
{
	struct seen s = { .field = "ProductKey" };

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.nproducts = 450;
	start(1.0);
	assert_int_equal(run("QueryProductList", &s, 450), API_OK);
	assert_each_once(&s, 450);
	assert_int_equal(fk.requests, 3);	/* PageSize 200 */
	assert_int_equal(fk.page_sizes_seen, 200);
	assert_int_equal(s.pages, 3);
	free(s.hits);
	stop();
}

static void
test_devices_token(void **state)
{
	struct seen s = { .field = "IotId" };
	long n = 10620;	/* 213 pages of 50: 200 by number, 13 by token */

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.ndevices = n;
	start(4.0);
	assert_int_equal(run("QueryDevice", &s, n), API_OK);
	assert_each_once(&s, n);
	assert_int_equal(fk.bad_requests, 0);
	assert_int_equal(fk.requests, 213);
	assert_int_equal(fk.token_requests, 13);
	assert_int_equal(fk.page_sizes_seen, 50);
	/* Page 1, then the page that starts the token chain. */
	assert_int_equal(fk.order[0], 1);
	assert_int_equal(fk.order[1], 200);
	free(s.hits);
	stop();
}

static void
test_devices_deep_and_faults(void **state)
{
	struct seen s = { .field = "IotId" };
	long n = 100120;	/* 2003 pages; pages 2000..2003 are deep */

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.ndevices = n;
	fk.fault_every = 23;
	start(40.0);
	assert_int_equal(run("QueryDevice", &s, n), API_OK);
	assert_each_once(&s, n);
	assert_int_equal(fk.bad_requests, 0);
	assert_true(fk.deep_requests >= 4);	/* faults may repeat one */
	free(s.hits);
	stop();
}

static void
test_small_and_empty(void **state)
{
	struct seen s = { .field = "IotId" };

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.ndevices = 0;
	start(1.0);
	assert_int_equal(run("QueryDevice", &s, 1), API_OK);
	assert_int_equal(fk.requests, 1);
	assert_int_equal(s.pages, 1);
	free(s.hits);
	memset(&s, 0, sizeof s);
	s.field = "IotId";
	fk.ndevices = 50;
	fk.requests = 0;
	assert_int_equal(run("QueryDevice", &s, 50), API_OK);
	assert_each_once(&s, 50);
	assert_int_equal(fk.requests, 1);
	free(s.hits);
	stop();
}

static void
test_stop_early(void **state)
{
	struct seen s = { .field = "ProductKey", .stop_after = 2 };
	struct worker_stats st;
	int i, n = -1;

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.nproducts = 5000;
	start(1.0);
	assert_int_equal(run("QueryProductList", &s, 5000), API_OK);
	assert_int_equal(s.pages, 2);
	/* The rest was cancelled: queued pages at once, pages on the wire when the worker
	 * next turns. */
	for (i = 0; i < 200; i++) {
		worker_stats(wk, &st);
		n = st.queued + st.in_flight;
		worker_stats_free(&st);
		if (n == 0)
			break;
		worker_wait(wk, 10);
	}
	assert_int_equal(n, 0);
	assert_null(worker_take(wk));
	free(s.hits);
	stop();
}

static void
test_refused_and_plan(void **state)
{
	char *cause = NULL;
	int size;
	long normal, deep;

	(void)state;
	assert_null(pager_new(NULL, "QueryDeviceBySQL", NULL, NULL, NULL, NULL, &cause));
	assert_non_null(strstr(cause, "SQL"));
	free(cause);
	assert_null(pager_new(NULL, "QueryDevicePropertyData", NULL, NULL, NULL, NULL, &cause));
	free(cause);
	pager_plan("QueryDevice", 100000, &size, &normal, &deep);
	assert_int_equal(size, 50);
	assert_int_equal(normal, 1999);
	assert_int_equal(deep, 1);
	pager_plan("QueryProductList", 1000, &size, &normal, &deep);
	assert_int_equal(size, 200);
	assert_int_equal(normal, 5);
	assert_int_equal(deep, 0);
	pager_plan("QueryDeviceGroupList", 0, &size, &normal, &deep);
	assert_int_equal(normal, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_products),
		cmocka_unit_test(test_devices_token),
		cmocka_unit_test(test_devices_deep_and_faults),
		cmocka_unit_test(test_small_and_empty),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_refused_and_plan),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	return cmocka_run_group_tests_name("pager", tests, NULL, NULL);
}
