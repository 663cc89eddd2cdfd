/* test_sim_server.c — the simulator's HTTP server in-process: concurrent signed requests
 * from several threads (run under TSan by make check-tsan), GET and form-body POST,
 * throttling and the OTA task lifecycle on an accelerated clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <sodium.h>

#include "api/sign.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/gateway.h"
#include "sim/handler.h"
#include "sim/ota.h"
#include "sim/seed.h"
#include "sim/server.h"
#include "sim/state.h"
#include "sim/store.h"
#include "sim/throttle.h"
#include "simtest.h"

static struct simtest fx;

static int
setup(void **state)
{
	(void)state;
	if (simtest_open(&fx, 3, 2, 200, 100.0) != 0 || simtest_listen(&fx, 0) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	simtest_close(&fx);
	return 0;
}

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	buf_add(arg, data, size * n);
	return size * n;
}

/* Sends a v1-signed request (GET, or POST with the parameters in a form body); returns
 * the parsed answer (caller deletes) and the HTTP status in *status. */
static cJSON *
call(int post, long *status, const char *action, ...)
{
	static unsigned long counter;
	struct params p = PARAMS_INIT;
	struct buf q = BUF_INIT, body = BUF_INIT, url = BUF_INIT;
	CURL *h = curl_easy_init();
	char nonce[64], when[32], *sig;
	const char *kv;
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	cJSON *out;

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(nonce, sizeof nonce, "n-%lu-%p-%ld", __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST),
	    (void *)&p, (long)now);
	params_set(&p, "Action", action);
	params_set(&p, "Version", "2018-01-20");
	params_set(&p, "Format", "JSON");
	params_set(&p, "AccessKeyId", "k");
	params_set(&p, "SignatureMethod", "HMAC-SHA1");
	params_set(&p, "SignatureVersion", "1.0");
	params_set(&p, "SignatureNonce", nonce);
	params_set(&p, "Timestamp", when);
	va_start(ap, action);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		const char *eq = strchr(kv, '=');
		char *name = xstrndup(kv, (size_t)(eq - kv));
		params_set(&p, name, eq + 1);
		free(name);
	}
	va_end(ap);
	sig = sign_v1(post ? "POST" : "GET", &p, "s");
	params_set(&p, "Signature", sig);
	free(sig);
	params_form(&p, &q);
	buf_addf(&url, "http://127.0.0.1:%u/", fx.port);
	if (post)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(&q));
	else
		buf_addf(&url, "?%s", buf_str(&q));
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(h);
	out = cJSON_Parse(buf_str(&body));
	assert_non_null(out);
	buf_free(&body);
	buf_free(&q);
	buf_free(&url);
	params_free(&p);
	return out;
}

static void *
worker(void *arg)
{
	char pk[64];
	int i, *ok = arg;

	snprintf(pk, sizeof pk, "ProductKey=%s", fx.store->products[0].key);
	for (i = 0; i < 20; i++) {
		long st;
		cJSON *r = call(i % 2, &st, i % 3 == 0 ? "QueryDevice" : "QueryDeviceStatistics", pk,
		    "PageSize=5", (char *)NULL);
		if (st == 200 && cJSON_IsTrue(cJSON_GetObjectItem(r, "Success")))
			(*ok)++;
		cJSON_Delete(r);
	}
	return NULL;
}

static void
test_concurrent(void **state)
{
	pthread_t t[6];
	int ok[6] = { 0 }, i, total = 0;

	(void)state;
	for (i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, worker, &ok[i]);
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		total += ok[i];
	}
	assert_int_equal(total, 120);
}

static void
test_post_form_and_errors(void **state)
{
	long st;
	cJSON *r;
	char pk[64];

	(void)state;
	snprintf(pk, sizeof pk, "ProductKey=%s", fx.store->products[1].key);
	r = call(1, &st, "RegisterDevice", pk, "DeviceName=form_dev_1", "Nickname=表单_设备", (char *)NULL);
	assert_int_equal(st, 200);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "Nickname")->valuestring, "表单_设备");
	cJSON_Delete(r);
	r = call(0, &st, "QueryProduct", (char *)NULL);
	assert_int_equal(st, 400);
	assert_string_equal(cJSON_GetObjectItem(r, "Code")->valuestring, "MissingProductKey");
	cJSON_Delete(r);
	r = call(0, &st, "QueryProduct", "ProductKey=nope", (char *)NULL);
	assert_int_equal(st, 200);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "Success")));
	assert_string_equal(cJSON_GetObjectItem(r, "Code")->valuestring, "iot.prod.NotExistedProduct");
	cJSON_Delete(r);
	r = call(0, &st, "QueryLoRaJoinPermissions", (char *)NULL);
	assert_int_equal(st, 400);
	assert_string_equal(cJSON_GetObjectItem(r, "Code")->valuestring, "UnsupportedOperation");
	cJSON_Delete(r);
}

/* QueryDevicePropertyStatus lists every property of the thing model ("all property
 * snapshots", guide 4.12.11): Identifier, Name, DataType and Unit always, Value and Time
 * only where the device reported a value. A device that never connected has none. */
static void
test_property_status_all_properties(void **state)
{
	const struct sim_product *p = &fx.store->products[0];
	const cJSON *props = cJSON_GetObjectItem(p->tsl, "properties"), *it, *tp;
	char pk[64], iotid[96];
	cJSON *r, *list;
	long st;
	int n = 0, with_unit = 0;

	(void)state;
	snprintf(pk, sizeof pk, "ProductKey=%s", p->key);
	r = call(1, &st, "RegisterDevice", pk, "DeviceName=never_reported", (char *)NULL);
	assert_int_equal(st, 200);
	snprintf(iotid, sizeof iotid, "IotId=%s",
	    cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "IotId")->valuestring);
	cJSON_Delete(r);
	r = call(0, &st, "QueryDevicePropertyStatus", pk, "DeviceName=never_reported", (char *)NULL);
	assert_int_equal(st, 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "Success")));
	list = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "List"),
	    "PropertyStatusInfo");
	assert_int_equal(cJSON_GetArraySize(list), cJSON_GetArraySize(props));
	cJSON_ArrayForEach(it, list) {
		tp = cJSON_GetArrayItem(props, n++);
		assert_string_equal(cJSON_GetObjectItem(it, "Identifier")->valuestring,
		    cJSON_GetObjectItem(tp, "identifier")->valuestring);
		assert_string_equal(cJSON_GetObjectItem(it, "Name")->valuestring,
		    cJSON_GetObjectItem(tp, "name")->valuestring);
		assert_string_equal(cJSON_GetObjectItem(it, "DataType")->valuestring,
		    cJSON_GetObjectItem(cJSON_GetObjectItem(tp, "dataType"), "type")->valuestring);
		assert_null(cJSON_GetObjectItem(it, "Value"));
		assert_null(cJSON_GetObjectItem(it, "Time"));
		with_unit += cJSON_GetObjectItem(it, "Unit") != NULL;
	}
	assert_true(with_unit > 0 && with_unit < n);
	cJSON_Delete(r);
	/* A device that reports: the same list, with values. */
	snprintf(iotid, sizeof iotid, "IotId=%s", fx.store->devs[p->devs[0]].iotid);
	assert_true(fx.store->devs[p->devs[0]].active != 0);
	r = call(0, &st, "QueryDevicePropertyStatus", iotid, (char *)NULL);
	list = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Data"), "List"),
	    "PropertyStatusInfo");
	assert_int_equal(cJSON_GetArraySize(list), cJSON_GetArraySize(props));
	cJSON_ArrayForEach(it, list) {
		assert_true(cJSON_IsString(cJSON_GetObjectItem(it, "Value")));
		assert_true(cJSON_IsString(cJSON_GetObjectItem(it, "Time")));
	}
	cJSON_Delete(r);
}

/* OTA on a fixed clock: a verify job gates the rollout, tasks move through their states,
 * devices end on the new version. */
static void
test_ota_lifecycle(void **state)
{
	struct sim *sim = sim_new(11);
	struct sim_store *s = sim->store;
	struct sim_ota *o = sim->ota;
	struct sim_firmware f;
	struct sim_job j, *jp;
	struct sim_task_state st;
	char *cause = NULL;
	size_t i, ok = 0;
	int64_t t0;

	(void)state;
	assert_int_equal(sim_seed(sim, 11, 1, 30, &cause), 0);
	o->fail_rate = 0;
	t0 = s->now_ms = 1800000000000LL;
	memset(&f, 0, sizeof f);
	f.id = xstrdup("fw1"); f.name = xstrdup("fw1"); f.dest = xstrdup("3.0.0"); f.src = xstrdup("");
	f.module = xstrdup("default"); f.desc = xstrdup(""); f.url = xstrdup(""); f.sign = xstrdup("");
	f.sign_method = xstrdup("MD5"); f.udi = xstrdup("");
	f.status = 2;
	sim_ota_add_firmware(o, &f);
	memset(&j, 0, sizeof j);
	j.id = xstrdup("job1"); j.target = xstrdup("SPECIFIC"); j.protocol = xstrdup("HTTPS");
	j.group_id = xstrdup(""); j.group_name = xstrdup(""); j.desc = xstrdup("");
	j.type = SIM_JOB_VERIFY;
	j.firmware = o->nfw - 1;
	j.max_per_min = 1000;
	j.created = j.start = t0;
	for (i = 0; i < s->products[0].ndevs && j.ndevs < 3; i++) {
		const struct sim_device *d = &s->devs[s->products[0].devs[i]];
		if (d->active == 0 || d->disabled)
			continue;
		j.devs = xreallocarray(j.devs, j.ndevs + 1, sizeof *j.devs);
		j.devs[j.ndevs++] = s->products[0].devs[i];
	}
	assert_int_equal(j.ndevs, 3);
	jp = sim_ota_add_job(o, &j);
	/* The first task is pushed at once, the next ones at MaximumPerMinute. */
	sim_ota_task_state(o, jp, 0, t0, &st);
	assert_string_equal(st.status, "NOTIFIED");
	sim_ota_task_state(o, jp, 2, t0, &st);
	assert_string_equal(st.status, "QUEUED");
	assert_string_equal(sim_ota_job_status(o, jp, t0), "IN_PROGRESS");
	sim_ota_task_state(o, jp, 0, t0 + 3000, &st);
	assert_true(strcmp(st.status, "NOTIFIED") == 0 || strcmp(st.status, "IN_PROGRESS") == 0);
	sim_ota_task_state(o, jp, 0, t0 + 30000, &st);
	assert_string_equal(st.status, "IN_PROGRESS");
	assert_true(st.progress > 0 && st.progress < 100);
	s->now_ms = t0 + 200000;
	sim_ota_tick(o);
	assert_string_equal(sim_ota_job_status(o, jp, s->now_ms), "COMPLETED");
	assert_int_equal(o->fw[o->nfw - 1].status, 1);
	for (i = 0; i < jp->ndevs; i++)
		ok += strcmp(s->devs[jp->devs[i]].firmware, "3.0.0") == 0;
	assert_int_equal(ok, 3);
	/* Cancel and reupgrade are recorded per task. */
	sim_ota_overrides(jp)[1].canceled = t0 + 1;
	jp->cursor = 0;
	jp->done = 0;
	sim_ota_task_state(o, jp, 1, s->now_ms, &st);
	assert_string_equal(st.status, "CANCELED");
	/* ScheduleFinishTime ends the upgrade: a task not final by then is canceled then. */
	jp->finish = t0 + 1000;
	jp->gray_text = xstrdup("10.125");
	sim_ota_task_state(o, jp, 2, t0 + 30000, &st);
	assert_string_equal(st.status, "CANCELED");
	assert_int_equal(st.modified, t0 + 1000);
	/* Both are kept in the state file. */
	{
		char dir[] = "/tmp/test_sim_server.XXXXXX", *path;
		struct sim *back = sim_new(11);
		const struct sim_job *bj;

		assert_non_null(mkdtemp(dir));
		path = xasprintf("%s/state.jsonl", dir);
		assert_int_equal(sim_state_save(sim, path, &cause), 0);
		assert_int_equal(sim_state_load(back, path, &cause), 0);
		bj = sim_ota_job(back->ota, "job1");
		assert_non_null(bj);
		assert_int_equal(bj->finish, t0 + 1000);
		assert_string_equal(bj->gray_text, "10.125");
		sim_free(back);
		unlink(path);
		rmdir(dir);
		free(path);
	}
	sim_free(sim);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_post_form_and_errors),
		cmocka_unit_test(test_property_status_all_properties),
		cmocka_unit_test(test_ota_lifecycle),
	};
	int rc;

	if (sodium_init() < 0)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
