/* test_pager.c — paging through the worker against a loopback server that pages like
 * the guide says: the largest PageSize, every item exactly once (also with 5xx faults),
 * QueryDevice's NextToken past 10,000 devices and its deep pages past 100,000, the page
 * that starts the token chain asked for first (with page 1 when a hint says the list is
 * long; a wrong hint costs requests, never rows), early stop, refused styles, the plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "api/pager.h"
#include "cli/export.h"
#include "core/buf.h"
#include "core/clock.h"
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
	int    chain_seq;	/* when page 200 (the chain's start) arrived */
	int    hold_after_first;	/* pages after the first wait for stub_release */
	int    first_delay_ms;	/* page 1 is answered this late (0: at once) */
	int    beyond_requests;	/* QueryDevice pages past the last one */
	int64_t t_page1;	/* when page 1 was first asked for (ns), 0: not yet */
	int64_t t_page200;	/* when page 200 was first asked for (ns), 0: not yet */
	int    token_on_last;	/* the last page carries a NextToken too */
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
	if (page == 200 && fk.chain_seq == 0)
		fk.chain_seq = rq->seq;
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
	if (fk.hold_after_first && page > 1)
		out->kind = STUB_HOLD;
	if (page == 1)
		out->delay_ms = fk.first_delay_ms;
	if (page == 1 && fk.t_page1 == 0)
		fk.t_page1 = clock_mono_ns();
	if (page == 200 && fk.t_page200 == 0)
		fk.t_page200 = clock_mono_ns();
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
		if (start >= fk.ndevices && page > 1)
			fk.beyond_requests++;
		buf_addf(&b, "{\"RequestId\":\"R%d\",\"Success\":true,\"Total\":%ld,"
		    "\"PageSize\":%ld,\"Page\":%ld,\"PageCount\":%ld,", rq->seq, fk.ndevices, size,
		    page, (fk.ndevices + size - 1) / size);
		if (start + size < fk.ndevices || (fk.token_on_last && start < fk.ndevices))
			buf_addf(&b, "\"NextToken\":\"T%ld\",", start + size);
		buf_adds(&b, "\"Data\":{\"DeviceInfo\":[");
		for (i = start, n = 0; i < fk.ndevices && n < size; i++, n++)
			buf_addf(&b, "%s{\"DeviceName\":\"d%ld\",\"IotId\":\"id%ld\","
			    "\"DeviceSecret\":\"s3cr3t\",\"Nickname\":\"=1+2, \\\"x\\\"\"}",
			    n ? "," : "", i, i);
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
	api_config_set_secret(&cfg, "test-secret");
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

/* Runs a pager to the end with the hint expect (0: none); returns its status. With
 * loaded non-NULL, *loaded is what the pager says it delivered. */
static enum api_status
run_hint(const char *action, struct seen *s, long n, int64_t expect, size_t *loaded)
{
	struct params p = PARAMS_INIT;
	struct pager_opts o;
	struct pager *pg;
	char *cause = NULL;
	enum api_status st;
	int i;

	s->hits = xcalloc((size_t)(n > 0 ? n : 1), 1);
	s->n = n;
	params_set(&p, "ProductKey", "pk1");
	pager_opts_init(&o);
	o.expect_total = expect;
	pg = pager_new(wk, action, strcmp(action, "QueryDevice") == 0 ? &p : NULL, &o,
	    on_page, s, &cause);
	assert_non_null(pg);
	pager_start(pg);
	for (i = 0; i < 100000 && !pager_done(pg); i++)
		pager_pump(pg, 100);
	assert_true(pager_done(pg));
	st = pager_status(pg, NULL);
	if (loaded != NULL)
		*loaded = pager_loaded(pg);
	pager_free(pg);
	params_free(&p);
	return st;
}

/* Runs a pager to the end; returns its status. */
static enum api_status
run(const char *action, struct seen *s, long n)
{
	return run_hint(action, s, n, 0, NULL);
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
	stop();		/* the server's counts once its threads are joined */
	assert_int_equal(fk.requests, 3);	/* PageSize 200 */
	assert_int_equal(fk.page_sizes_seen, 200);
	assert_int_equal(s.pages, 3);
	free(s.hits);
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
	stop();		/* the server's counts once its threads are joined */
	assert_int_equal(fk.bad_requests, 0);
	assert_int_equal(fk.requests, 213);
	assert_int_equal(fk.token_requests, 13);
	assert_int_equal(fk.page_sizes_seen, 50);
	/* Page 1, then the page that starts the token chain goes out first: it is in the
	 * first batch of transfers (16), though not necessarily the first to arrive. */
	assert_int_equal(fk.order[0], 1);
	assert_true(fk.chain_seq >= 2 && fk.chain_seq <= 17);
	free(s.hits);
}

/* The hint right: the page that starts the chain goes with page 1, whichever of their
 * answers comes first; the chain costs no more requests than without a hint. */
static void
test_hint_right(void **state)
{
	struct seen s = { .field = "IotId" };
	long n = 10620;	/* 213 pages of 50: 200 by number, 13 by token */
	size_t loaded = 0;
	int delay;

	(void)state;
	for (delay = 0; delay <= 500; delay += 500) {
		memset(&fk, 0, sizeof fk);
		memset(&s, 0, sizeof s);
		s.field = "IotId";
		fk.ndevices = n;
		/* 500 ms: page 200 and the links after it are in before page 1. */
		fk.first_delay_ms = delay;
		start(4.0);
		assert_int_equal(run_hint("QueryDevice", &s, n, n, &loaded), API_OK);
		assert_each_once(&s, n);
		assert_int_equal(loaded, n);
		assert_int_equal(s.pages, 213);
		stop();		/* the server's counts once its threads are joined */
		assert_int_equal(fk.bad_requests, 0);
		assert_int_equal(fk.requests, 213);
		assert_int_equal(fk.token_requests, 13);
		/* Page 200 goes with page 1, not after its answer (which takes 500 ms). */
		if (delay > 0)
			assert_true(fk.t_page200 - fk.t_page1 < (int64_t)delay * 1000000);
		free(s.hits);
	}
}

/* The hint wrong (the list is shorter): page 200 of a short list is empty, and page 201
 * that the worker follows from a last page 200 is past the end; their answers are
 * dropped, whether they come before page 1's or after. Every row once, nothing more. */
static void
test_hint_wrong(void **state)
{
	/* The last: 200 pages whose last carries a token, so the worker follows it. */
	static const long sizes[] = { 0, 120, 9950, 9990, 10000, 10000 };
	struct seen s;
	size_t k, loaded;
	long n, pages;
	int delay, extra;

	(void)state;
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		for (delay = 0; delay <= 200; delay += 200) {
			n = sizes[k];
			pages = n == 0 ? 1 : (n + 49) / 50;
			memset(&fk, 0, sizeof fk);
			memset(&s, 0, sizeof s);
			s.field = "IotId";
			fk.ndevices = n;
			fk.first_delay_ms = delay;
			fk.token_on_last = k == sizeof sizes / sizeof sizes[0] - 1;
			start(4.0);
			loaded = 99;
			assert_int_equal(run_hint("QueryDevice", &s, n, 20000, &loaded), API_OK);
			assert_each_once(&s, n);
			assert_int_equal(loaded, n);
			assert_int_equal(s.pages, pages);	/* no page past the end delivered */
			/* The server's counts once its threads are joined: a wasted request may
			 * still be in its handler when the pager ends. */
			stop();
			assert_int_equal(fk.bad_requests, 0);
			/* At most the one wasted request: page 200 of a short list, or page 201
			 * after a last page 200 with a token (none when it was cancelled before
			 * it reached the server). */
			extra = fk.requests - (int)pages;
			assert_true(extra == 0 || extra == 1);
			assert_true(fk.beyond_requests <= 1);
			free(s.hits);
		}
}

/* A hint that says the list is short, or none: page 1 first, then the chain's start. */
static void
test_hint_small_or_absent(void **state)
{
	struct seen s;
	long n = 10620;
	int64_t hints[] = { 0, 50, 10000 };
	size_t k, loaded;

	(void)state;
	for (k = 0; k < sizeof hints / sizeof hints[0]; k++) {
		memset(&fk, 0, sizeof fk);
		memset(&s, 0, sizeof s);
		s.field = "IotId";
		fk.ndevices = n;
		fk.first_delay_ms = 200;
		start(4.0);
		assert_int_equal(run_hint("QueryDevice", &s, n, hints[k], &loaded), API_OK);
		assert_each_once(&s, n);
		assert_int_equal(loaded, n);
		stop();		/* the server's counts once its threads are joined */
		assert_int_equal(fk.requests, 213);
		assert_int_equal(fk.order[0], 1);
		/* Page 200 after page 1's answer (200 ms late). */
		assert_true(fk.t_page200 - fk.t_page1 >= 200 * 1000000LL);
		free(s.hits);
	}
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
	stop();		/* the server's counts once its threads are joined */
	assert_int_equal(fk.bad_requests, 0);
	assert_true(fk.deep_requests >= 4);	/* faults may repeat one */
	free(s.hits);
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
	/* Generous: under valgrind on a loaded machine the worker can be slow to turn. */
	for (i = 0; i < 6000; i++) {
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

/* ---- the export command --------------------------------------------------------- */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	return buf_detach(&b);
}

static int
export_to(const char *kind, const char *format, const char *path, const char *product)
{
	struct global_opts o;
	char *words[10];
	int n = 0;

	memset(&o, 0, sizeof o);
	o.endpoint = (char *)stub_url(srv);
	setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAItestkey", 1);
	setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "test-secret", 1);
	words[n++] = (char *)"export";
	words[n++] = (char *)kind;
	if (product != NULL) {
		words[n++] = (char *)"--product";
		words[n++] = (char *)product;
	}
	words[n++] = (char *)"--format";
	words[n++] = (char *)format;
	words[n++] = (char *)"-o";
	words[n++] = (char *)path;
	return cmd_export(&o, words, n);
}

static void
test_export_csv_json(void **state)
{
	char path[] = "/tmp/iotdeck-test-export-XXXXXX";
	char *text, *p, name[32];
	cJSON *arr, *it;
	int fd, rows = 0, i;
	long k;
	unsigned char seen[320];

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.ndevices = 320;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	start(1.0);
	assert_int_equal(export_to("devices", "csv", path, "pk1"), 0);
	text = slurp(path);
	assert_int_equal(strncmp(text, "IotId,DeviceName,ProductKey,DeviceStatus,Nickname,"
	    "UtcCreate,UtcModified\r\n", 66), 0);
	assert_null(strstr(text, "s3cr3t"));
	/* The nickname is quoted, its quotes doubled, the formula defused. */
	assert_non_null(strstr(text, ",\"'=1+2, \"\"x\"\"\","));
	memset(seen, 0, sizeof seen);
	for (p = strstr(text, "\r\n") + 2; *p; p = strstr(p, "\r\n") + 2) {
		assert_int_equal(sscanf(p, "id%ld,", &k), 1);
		assert_true(k >= 0 && k < 320);
		seen[k]++;
		rows++;
	}
	assert_int_equal(rows, 320);
	for (i = 0; i < 320; i++)
		assert_int_equal(seen[i], 1);
	free(text);

	assert_int_equal(export_to("devices", "json", path, "pk1"), 0);
	text = slurp(path);
	arr = cJSON_Parse(text);
	assert_true(cJSON_IsArray(arr));
	assert_int_equal(cJSON_GetArraySize(arr), 320);
	it = cJSON_GetArrayItem(arr, 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(it, "DeviceSecret"));
	snprintf(name, sizeof name, "%s", cJSON_GetObjectItemCaseSensitive(it, "DeviceName")->valuestring);
	assert_int_equal(name[0], 'd');
	cJSON_Delete(arr);
	free(text);

	/* Usage errors. */
	assert_int_equal(export_to("devices", "csv", path, NULL), EXIT_USAGE);
	assert_int_equal(export_to("devices", "xml", path, "pk1"), EXIT_USAGE);
	assert_int_equal(export_to("things", "csv", path, NULL), EXIT_USAGE);
	unlink(path);
	stop();
}

struct interrupter {
	pthread_t main;		/* thread to signal */
	pthread_t thread;	/* this helper */
};

static void *
interrupt_later(void *arg)
{
	struct interrupter *in = arg;
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int i;

	/* Once the first page is answered and the others wait, press Ctrl-C. */
	for (i = 0; i < 2000 && stub_count(srv) < 3; i++)
		nanosleep(&ts, NULL);
	nanosleep(&ts, NULL);
	pthread_kill(in->main, SIGINT);
	return NULL;
}

static void
test_export_interrupted(void **state)
{
	char path[] = "/tmp/iotdeck-test-export-XXXXXX";
	struct interrupter in;
	char *text;
	cJSON *arr;
	int fd, rc;

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.nproducts = 1000;
	fk.hold_after_first = 1;
	fd = mkstemp(path);
	close(fd);
	start(1.0);
	in.main = pthread_self();
	pthread_create(&in.thread, NULL, interrupt_later, &in);
	rc = export_to("products", "json", path, NULL);
	pthread_join(in.thread, NULL);
	assert_int_equal(rc, EXPORT_EXIT_INTERRUPTED);
	text = slurp(path);
	arr = cJSON_Parse(text);
	assert_true(cJSON_IsArray(arr));	/* closed: valid JSON */
	assert_int_equal(cJSON_GetArraySize(arr), 200);
	cJSON_Delete(arr);
	free(text);
	signal(SIGINT, SIG_DFL);
	unlink(path);
	stop();
}

static void
test_csv_field(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	export_csv_field(f, "plain");
	fputc('|', f);
	export_csv_field(f, "a,b");
	fputc('|', f);
	export_csv_field(f, "say \"hi\"");
	fputc('|', f);
	export_csv_field(f, "-1");
	fputc('|', f);
	export_csv_field(f, "line\nbreak");
	fputc('|', f);
	export_csv_field(f, NULL);
	fclose(f);
	assert_string_equal(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"|'-1|\"line\nbreak\"|");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_products),
		cmocka_unit_test(test_devices_token),
		cmocka_unit_test(test_hint_right),
		cmocka_unit_test(test_hint_wrong),
		cmocka_unit_test(test_hint_small_or_absent),
		cmocka_unit_test(test_devices_deep_and_faults),
		cmocka_unit_test(test_small_and_empty),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_refused_and_plan),
		cmocka_unit_test(test_export_csv_json),
		cmocka_unit_test(test_export_interrupted),
		cmocka_unit_test(test_csv_field),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	return cmocka_run_group_tests_name("pager", tests, NULL, NULL);
}
