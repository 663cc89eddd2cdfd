/* sim_write_qps.c — how many writes a second iotdeck-sim serves: THREADS clients, each on
 * its own keep-alive connection, send v1-signed SetDeviceProperty requests (or sync
 * InvokeThingService, with "invoke") to the street lights of a running simulator as fast
 * as they are answered, for SECONDS, and the program prints the answers a second by kind
 * (Success, Throttling, other) and the latency. Run the simulator with --qps-scale 1 to
 * see the documented 500 QPS enforced, with a large --qps-scale to see its capacity.
 *
 *   tests/bench/sim_write_qps.sh BUILD    builds this and runs it on 2 cores (taskset)
 *   sim_write_qps PORT SECONDS THREADS [set|invoke]
 *
 * A benchmark prints figures; it asserts nothing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "api/params.h"
#include "api/sign.h"
#include "core/buf.h"
#include "core/xmalloc.h"

#define MAX_SAMPLES 2000000

static int port;
static double deadline;
static int invoke;
static char **iotids;
static size_t niotids;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static size_t next_dev;
static long n_ok, n_throttled, n_other;
static char codes[8][80];	/* the codes of the "other" answers */
static long ncodes[8];
static double *lat;
static size_t nlat;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	buf_add(arg, data, size * n);
	return size * n;
}

/* Sends one signed request on h; returns the answer (caller frees). */
static char *
send_one(CURL *h, const char *action, const struct params *extra)
{
	static unsigned long counter;
	struct params p = PARAMS_INIT;
	struct buf body = BUF_INIT, out = BUF_INIT;
	char nonce[64], when[32], url[64], *sig;
	time_t t = time(NULL);
	struct tm tm;
	unsigned long id;
	size_t i;

	pthread_mutex_lock(&lock);
	id = ++counter;
	pthread_mutex_unlock(&lock);
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(nonce, sizeof nonce, "qps-%ld-%lu", (long)t, id);
	params_add(&p, "Action", action);
	params_add(&p, "Version", "2018-01-20");
	params_add(&p, "Format", "JSON");
	params_add(&p, "AccessKeyId", "iotdeck-demo-key");
	params_add(&p, "SignatureMethod", "HMAC-SHA1");
	params_add(&p, "SignatureVersion", "1.0");
	params_add(&p, "SignatureNonce", nonce);
	params_add(&p, "Timestamp", when);
	for (i = 0; extra != NULL && i < extra->n; i++)
		params_add(&p, extra->v[i].name, extra->v[i].value);
	sig = sign_v1("POST", &p, "iotdeck-demo-secret");
	params_add(&p, "Signature", sig);
	free(sig);
	params_form(&p, &body);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(&body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	if (curl_easy_perform(h) != CURLE_OK)
		buf_adds(&out, "");
	params_free(&p);
	buf_free(&body);
	return buf_detach(&out);
}

static void *
client(void *arg)
{
	CURL *h = curl_easy_init();
	struct params p = PARAMS_INIT;
	char items[64];
	unsigned long k = 0;

	(void)arg;
	while (now_s() < deadline) {
		char *ans;
		double t0;
		size_t d;
		pthread_mutex_lock(&lock);
		d = next_dev++ % niotids;
		pthread_mutex_unlock(&lock);
		params_free(&p);
		params_add(&p, "IotId", iotids[d]);
		if (invoke) {
			params_add(&p, "Identifier", "SetScene");
			params_add(&p, "Args", "{\"SceneId\":3}");
		} else {
			snprintf(items, sizeof items, "{\"Brightness\":%lu}", k++ % 101);
			params_add(&p, "Items", items);
		}
		t0 = now_s();
		ans = send_one(h, invoke ? "InvokeThingService" : "SetDeviceProperty", &p);
		pthread_mutex_lock(&lock);
		if (strstr(ans, "\"Success\":true") != NULL)
			n_ok++;
		else if (strstr(ans, "\"Code\":\"Throttling\"") != NULL)
			n_throttled++;
		else {
			const char *cp = strstr(ans, "\"Code\":\"");
			char code[80];
			int j;
			snprintf(code, sizeof code, "%.*s", cp != NULL ? (int)strcspn(cp + 8, "\"") : 9,
			    cp != NULL ? cp + 8 : "no answer");
			for (j = 0; j < 8; j++) {
				if (codes[j][0] == '\0')
					snprintf(codes[j], sizeof codes[j], "%s", code);
				if (strcmp(codes[j], code) == 0) {
					ncodes[j]++;
					break;
				}
			}
			n_other++;
		}
		if (nlat < MAX_SAMPLES)
			lat[nlat++] = now_s() - t0;
		pthread_mutex_unlock(&lock);
		free(ans);
	}
	params_free(&p);
	curl_easy_cleanup(h);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The street lights' IotIds (their thing model has Brightness and SetScene). */
static void
load_devices(void)
{
	CURL *h = curl_easy_init();
	struct params p = PARAMS_INIT;
	char *ans, page[16], pk[64] = "";
	cJSON *doc, *it;
	int pg;

	params_add(&p, "CurrentPage", "1");
	params_add(&p, "PageSize", "50");
	ans = send_one(h, "QueryProductList", &p);
	doc = cJSON_Parse(ans);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "Data"),
	    "List"), "ProductInfo"))
		if (strcmp(cJSON_GetObjectItem(it, "ProductName")->valuestring, "智能路灯") == 0)
			snprintf(pk, sizeof pk, "%s", cJSON_GetObjectItem(it, "ProductKey")->valuestring);
	cJSON_Delete(doc);
	free(ans);
	params_free(&p);
	for (pg = 1; pg <= 20 && *pk != '\0'; pg++) {
		int got = 0;
		snprintf(page, sizeof page, "%d", pg);
		params_add(&p, "ProductKey", pk);
		params_add(&p, "CurrentPage", page);
		params_add(&p, "PageSize", "50");
		ans = send_one(h, "QueryDevice", &p);
		doc = cJSON_Parse(ans);
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "Data"), "DeviceInfo")) {
			iotids = xreallocarray(iotids, niotids + 1, sizeof *iotids);
			iotids[niotids++] = xstrdup(cJSON_GetObjectItem(it, "IotId")->valuestring);
			got++;
		}
		cJSON_Delete(doc);
		free(ans);
		params_free(&p);
		if (got < 50)
			break;
	}
	curl_easy_cleanup(h);
	if (niotids == 0) {
		fprintf(stderr, "sim_write_qps: no street lights on port %d\n", port);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	pthread_t *t;
	double secs, t0, took;
	int nthreads, i;

	if (argc < 4) {
		fprintf(stderr, "usage: sim_write_qps PORT SECONDS THREADS [set|invoke]\n");
		return 2;
	}
	port = atoi(argv[1]);
	secs = atof(argv[2]);
	nthreads = atoi(argv[3]);
	invoke = argc > 4 && strcmp(argv[4], "invoke") == 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	load_devices();
	lat = xcalloc(MAX_SAMPLES, sizeof *lat);
	t = xcalloc((size_t)nthreads, sizeof *t);
	t0 = now_s();
	deadline = t0 + secs;
	for (i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, client, NULL);
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	took = now_s() - t0;
	qsort(lat, nlat, sizeof *lat, cmp_double);
	printf("%s, %d connections, %.1f s, %zu devices: %.0f answers/s: %.0f Success/s, "
	    "%.0f Throttling/s, %.0f other/s; latency p50 %.1f ms, p99 %.1f ms\n",
	    invoke ? "InvokeThingService (sync)" : "SetDeviceProperty", nthreads, took, niotids,
	    (double)(n_ok + n_throttled + n_other) / took, (double)n_ok / took,
	    (double)n_throttled / took, (double)n_other / took,
	    nlat ? lat[nlat / 2] * 1000 : 0.0, nlat ? lat[nlat * 99 / 100] * 1000 : 0.0);
	for (i = 0; i < 8 && codes[i][0] != '\0'; i++)
		printf("    other: %s %ld\n", codes[i], ncodes[i]);
	free(lat);
	free(t);
	for (i = 0; i < (int)niotids; i++)
		free(iotids[i]);
	free(iotids);
	curl_global_cleanup();
	return 0;
}
