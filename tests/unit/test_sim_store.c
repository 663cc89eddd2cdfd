/* test_sim_store.c — the simulator's store, seeded fleets, TSLs and handlers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "core/xmalloc.h"
#include "sim/handler.h"
#include "sim/seed.h"
#include "sim/sim.h"
#include "sim/tsl.h"

static struct sim *
seeded(size_t products, size_t devices)
{
	struct sim *sim = sim_new(42);
	char *cause = NULL;

	assert_int_equal(sim_seed(sim, 42, products, devices, &cause), 0);
	return sim;
}

/* Runs action with "name=value" pairs; returns the handler's status, *out the body. */
static int
run(struct sim *sim, const char *action, cJSON **out, struct sim_error *err, ...)
{
	const struct sim_handler *h = sim_handler_find(action);
	struct params p = PARAMS_INIT;
	struct sim_call c;
	const char *kv;
	va_list ap;
	int rc;

	assert_non_null(h);
	va_start(ap, err);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		const char *eq = strchr(kv, '=');
		char *name = xstrndup(kv, (size_t)(eq - kv));
		params_set(&p, name, eq + 1);
		free(name);
	}
	va_end(ap);
	memset(&c, 0, sizeof c);
	c.sim = sim;
	c.store = sim->store;
	c.p = &p;
	c.akid = "test";
	c.action = action;
	c.out = cJSON_CreateObject();
	rc = h->fn(&c);
	*out = c.out;
	*err = c.err;
	params_free(&p);
	return rc;
}

static void
test_seed_deterministic(void **state)
{
	struct sim *sa = seeded(6, 600), *sb = seeded(6, 600);
	struct sim_store *a = sa->store, *b = sb->store;
	size_t i;

	(void)state;
	assert_int_equal(a->nlive, 600);
	assert_int_equal(a->nproducts, 6);
	for (i = 0; i < a->ndevs; i++) {
		assert_string_equal(a->devs[i].iotid, b->devs[i].iotid);
		assert_string_equal(a->devs[i].nickname, b->devs[i].nickname);
		assert_int_equal(a->devs[i].status, b->devs[i].status);
	}
	assert_string_equal(a->products[0].key, b->products[0].key);
	assert_string_equal(a->devs[a->products[0].devs[1]].nickname, SIM_SEED_NICK_ANSI);
	assert_string_equal(a->devs[a->products[0].devs[2]].nickname, SIM_SEED_NICK_BIDI);
	assert_true(a->ngroups >= 3);
	sim_free(sa);
	sim_free(sb);
}

static void
collect_types(const cJSON *dt, unsigned *seen)
{
	static const char *const names[] = { "int", "float", "double", "enum", "bool", "text",
		"date", "struct", "array" };
	const char *t = cJSON_GetObjectItem(dt, "type")->valuestring;
	const cJSON *c;
	unsigned i;

	for (i = 0; i < 9; i++)
		if (strcmp(t, names[i]) == 0)
			*seen |= 1u << i;
	if (strcmp(t, "struct") == 0)
		cJSON_ArrayForEach(c, cJSON_GetObjectItem(dt, "specs"))
			collect_types(cJSON_GetObjectItem(c, "dataType"), seen);
}

static void
test_tsl_every_type(void **state)
{
	unsigned t;

	(void)state;
	for (t = 0; t < sim_template_count; t++) {
		cJSON *tsl = sim_tsl_build(t, "a1xxxxxxxxx");
		const cJSON *p, *s;
		unsigned seen = 0;
		int sync = 0, async = 0, with_io = 0;
		uint64_t rng = t;

		cJSON_ArrayForEach(p, cJSON_GetObjectItem(tsl, "properties")) {
			const cJSON *dt = cJSON_GetObjectItem(p, "dataType");
			cJSON *v = sim_tsl_value(dt, &rng);
			char *cause = NULL;
			collect_types(dt, &seen);
			assert_int_equal(sim_tsl_check(dt, v, &cause), 0);
			cJSON_Delete(v);
		}
		assert_int_equal(seen, 0x1FFu);
		cJSON_ArrayForEach(s, cJSON_GetObjectItem(tsl, "services")) {
			const char *ct = cJSON_GetObjectItem(s, "callType")->valuestring;
			if (strcmp(cJSON_GetObjectItem(s, "identifier")->valuestring, "set") == 0 ||
			    strcmp(cJSON_GetObjectItem(s, "identifier")->valuestring, "get") == 0)
				continue;
			sync += strcmp(ct, "sync") == 0;
			async += strcmp(ct, "async") == 0;
			with_io += cJSON_GetArraySize(cJSON_GetObjectItem(s, "inputData")) > 0 &&
			    cJSON_GetArraySize(cJSON_GetObjectItem(s, "outputData")) > 0;
		}
		assert_true(sync >= 1 && async >= 1 && with_io >= 1);
		assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(tsl, "events")) >= 2);
		assert_non_null(sim_tsl_find(tsl, "services", "set"));
		cJSON_Delete(tsl);
	}
}

static void
test_query_device_paging(void **state)
{
	struct sim *sim = seeded(2, 30000);
	struct sim_store *s = sim->store;
	struct sim_error err;
	cJSON *out, *arr;
	const char *pk = s->products[0].key, *token;
	char pkarg[64], tokarg[96];
	int rc;

	(void)state;
	snprintf(pkarg, sizeof pkarg, "ProductKey=%s", pk);
	rc = run(sim, "QueryDevice", &out, &err, pkarg, "PageSize=50", "CurrentPage=1", NULL);
	assert_int_equal(rc, 0);
	arr = cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Data"), "DeviceInfo");
	assert_int_equal(cJSON_GetArraySize(arr), 50);
	assert_int_equal(cJSON_GetObjectItem(out, "Total")->valueint, 15000);
	/* Newest first. */
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "DeviceName")->valuestring,
	    "th-sensor-015000");
	token = cJSON_GetObjectItem(out, "NextToken")->valuestring;
	snprintf(tokarg, sizeof tokarg, "NextToken=%s", token);
	cJSON_Delete(out);
	/* Past 10,000 rows a NextToken is required. */
	rc = run(sim, "QueryDevice", &out, &err, pkarg, "PageSize=50", "CurrentPage=201", NULL);
	assert_int_equal(rc, -1);
	assert_string_equal(err.code, "iot.common.InvalidPageParams");
	assert_int_equal(err.http, 200);
	sim_error_clear(&err);
	cJSON_Delete(out);
	rc = run(sim, "QueryDevice", &out, &err, pkarg, "PageSize=50", "CurrentPage=201", tokarg, NULL);
	assert_int_equal(rc, 0);
	arr = cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Data"), "DeviceInfo");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "DeviceName")->valuestring,
	    "th-sensor-014950");
	cJSON_Delete(out);
	rc = run(sim, "QueryDevice", &out, &err, pkarg, "PageSize=51", NULL);
	assert_int_equal(rc, -1);
	sim_error_clear(&err);
	cJSON_Delete(out);
	sim_free(sim);
}

static void
test_register_delete(void **state)
{
	struct sim *sim = seeded(1, 10);
	struct sim_store *s = sim->store;
	struct sim_error err;
	char pkarg[64], idarg[64];
	cJSON *out;

	(void)state;
	snprintf(pkarg, sizeof pkarg, "ProductKey=%s", s->products[0].key);
	assert_int_equal(run(sim, "RegisterDevice", &out, &err, pkarg, "DeviceName=new_dev",
	    "Nickname=新设备_1", NULL), 0);
	snprintf(idarg, sizeof idarg, "IotId=%s",
	    cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Data"), "IotId")->valuestring);
	cJSON_Delete(out);
	assert_int_equal(run(sim, "RegisterDevice", &out, &err, pkarg, "DeviceName=new_dev", NULL), -1);
	assert_string_equal(err.code, "iot.device.AlreadyExistedDeviceName");
	sim_error_clear(&err);
	cJSON_Delete(out);
	assert_int_equal(s->products[0].ndevs, 11);
	assert_int_equal(run(sim, "DeleteDevice", &out, &err, idarg, NULL), 0);
	cJSON_Delete(out);
	assert_int_equal(s->products[0].ndevs, 10);
	assert_int_equal(run(sim, "QueryDeviceDetail", &out, &err, idarg, NULL), -1);
	assert_string_equal(err.code, "iot.device.NotExistedDevice");
	sim_error_clear(&err);
	cJSON_Delete(out);
	/* The name is free again. */
	assert_int_equal(run(sim, "RegisterDevice", &out, &err, pkarg, "DeviceName=new_dev", NULL), 0);
	cJSON_Delete(out);
	sim_free(sim);
}

static void
test_memory_budget(void **state)
{
	struct sim *sim = seeded(10, 200000);
	struct sim_store *s = sim->store;

	(void)state;
	/* ~1 GiB would be 5,000 bytes a device; stay far below (a million fit in ~250 MB). */
	assert_true(sim_store_bytes(s) / 200000 < 400);
	sim_free(sim);
}

/* The answer's time formats against gmtime_r and strftime, over 1900 to 2200 and the
 * milliseconds (negative times included). */
static void
test_time_formats(void **state)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	char got[40], want[64], hm[32];
	struct tm tm;
	int64_t ms;
	time_t t;
	int i;

	(void)state;
	for (i = 0; i < 30000; i++) {
		ms = (int64_t)(((uint64_t)i * 2654435761u) % 9467280000ull) * 1000 -
		    2208988800000LL + i % 1000;	/* 1900-01-01 to about 2200 */
		t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
		gmtime_r(&t, &tm);
		strftime(hm, sizeof hm, "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want, sizeof want, "%s.%03dZ", hm, (int)(((ms % 1000) + 1000) % 1000));
		sim_fmt_utc(ms, got);
		assert_string_equal(got, want);
		strftime(hm, sizeof hm, "%d-%b-%Y %H:%M:%S GMT", &tm);
		snprintf(want, sizeof want, "%s, %s", days[tm.tm_wday], hm);
		sim_fmt_gmt(ms, got);
		assert_string_equal(got, want);
		t += 8 * 3600;
		gmtime_r(&t, &tm);
		strftime(want, sizeof want, "%Y-%m-%d %H:%M:%S", &tm);
		sim_fmt_local(ms, got);
		assert_string_equal(got, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_deterministic),
		cmocka_unit_test(test_time_formats),
		cmocka_unit_test(test_tsl_every_type),
		cmocka_unit_test(test_query_device_paging),
		cmocka_unit_test(test_register_delete),
		cmocka_unit_test(test_memory_budget),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
