/* test_sim_writelog.c — the write log's file (writelog.h): created 0600 with O_EXCL, or
 * appended to when it is a private regular file of ours; a symbolic link, a FIFO or a file
 * others may read refused; every line valid JSON in UTF-8 whatever the parameters hold;
 * lines of concurrent writers never interleave (run under TSan by make check-tsan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "api/params.h"
#include "core/xmalloc.h"
#include "sim/writelog.h"
#include "simtest.h"

static char dir[64];	/* a temporary directory */
static char logpath[96];	/* the log in it */

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/iotdeck-writelog-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(logpath, sizeof logpath, "%s/writes.jsonl", dir);
	return 0;
}

static int
teardown(void **state)
{
	static const char *const names[] = { "writes.jsonl", "link", "open", "fifo" };
	char path[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

/* A line: its fields, the signature's parameters left out, and JSON in UTF-8 without a
 * newline or an escape byte whatever a parameter holds. */
static void
test_format(void **state)
{
	struct sim_write e;
	struct params q = PARAMS_INIT;
	const cJSON *pr;
	cJSON *r;
	char *s;

	(void)state;
	memset(&e, 0, sizeof e);
	params_add(&q, "Items", "{\"x\":\"\xff\x1b[2J\n\"}");
	params_add(&q, "IotId", "abc");
	params_add(&q, "Signature", "sig");
	params_add(&q, "AccessKeyId", "k");
	params_add(&q, "SignatureNonce", "n");
	params_add(&q, "Timestamp", "t");
	e.time_ms = 1714550400123LL;
	e.action = "SetDeviceProperty";
	e.iot_id = "abc";
	e.params = &q;
	e.request_id = "R";
	e.http_status = 200;
	e.fault = SIM_FAULT_TRUNCATE;
	e.executed = 1;
	s = sim_writelog_format(&e);
	assert_null(strchr(s, '\n'));
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\xff'));
	r = cJSON_Parse(s);
	assert_non_null(r);
	assert_string_equal(simtest_str(r, "time"), "2024-05-01T08:00:00.123Z");
	assert_string_equal(simtest_str(r, "action"), "SetDeviceProperty");
	assert_string_equal(simtest_str(r, "iot_id"), "abc");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "product_key")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "code")));
	assert_string_equal(simtest_str(r, "fault"), "truncate");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "executed")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r, "applied")));
	pr = cJSON_GetObjectItem(r, "params");
	assert_string_equal(simtest_str(pr, "IotId"), "abc");
	assert_non_null(simtest_str(pr, "Items"));
	assert_null(cJSON_GetObjectItem(pr, "Signature"));
	assert_null(cJSON_GetObjectItem(pr, "AccessKeyId"));
	assert_null(cJSON_GetObjectItem(pr, "SignatureNonce"));
	assert_null(cJSON_GetObjectItem(pr, "Timestamp"));
	cJSON_Delete(r);
	free(s);
	params_free(&q);
}

/* The file: created 0600 with O_EXCL; appended to when it is a private regular file of
 * ours; a symbolic link, a FIFO or a file others may read are refused. */
static void
test_write_log_open(void **state)
{
	char link[128], fifo[128], open_path[128], *cause = NULL;
	struct sim_writelog *w;
	struct sim_write e;
	cJSON *lines;

	(void)state;
	memset(&e, 0, sizeof e);
	e.action = "EnableThing";
	e.request_id = "R1";
	w = sim_writelog_open(logpath, &cause);
	assert_non_null(w);
	assert_int_equal(sim_writelog_append(w, &e), 0);
	sim_writelog_close(w);
	w = sim_writelog_open(logpath, &cause);	/* appended to */
	assert_non_null(w);
	e.request_id = "R2";
	assert_int_equal(sim_writelog_append(w, &e), 0);
	sim_writelog_close(w);
	lines = simtest_log_lines(logpath);
	assert_int_equal(cJSON_GetArraySize(lines), 2);
	assert_string_equal(simtest_str(cJSON_GetArrayItem(lines, 1), "request_id"), "R2");
	cJSON_Delete(lines);

	snprintf(link, sizeof link, "%s/link", dir);
	assert_int_equal(symlink(logpath, link), 0);
	assert_null(sim_writelog_open(link, &cause));
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	cause = NULL;
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_null(sim_writelog_open(fifo, &cause));
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	cause = NULL;
	snprintf(open_path, sizeof open_path, "%s/open", dir);
	fclose(fopen(open_path, "w"));
	assert_int_equal(chmod(open_path, 0644), 0);
	assert_null(sim_writelog_open(open_path, &cause));
	assert_non_null(strstr(cause, "0600"));
	free(cause);
}

struct writer_arg {
	struct sim_writelog *w;	/* the log */
	int                  id;	/* the thread */
};

static void *
writer(void *argp)
{
	struct writer_arg *a = argp;
	struct params q = PARAMS_INIT;
	struct sim_write e;
	char rid[32], big[3000];
	int i;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	params_add(&q, "Items", big);	/* lines longer than a pipe's atomic write */
	memset(&e, 0, sizeof e);
	e.action = "SetDeviceProperty";
	e.params = &q;
	e.request_id = rid;
	for (i = 0; i < 300; i++) {
		snprintf(rid, sizeof rid, "t%d-%d", a->id, i);
		if (sim_writelog_append(a->w, &e) != 0)
			break;
	}
	params_free(&q);
	return NULL;
}

/* Concurrent requests never interleave their lines (the server runs a thread per
 * connection; TSan checks the locking). */
static void
test_write_log_threads(void **state)
{
	enum { N = 8 };
	pthread_t t[N];
	struct writer_arg a[N];
	char *cause = NULL;
	struct sim_writelog *w = sim_writelog_open(logpath, &cause);
	cJSON *lines;
	int i;

	(void)state;
	assert_non_null(w);
	for (i = 0; i < N; i++) {
		a[i].w = w;
		a[i].id = i;
		assert_int_equal(pthread_create(&t[i], NULL, writer, &a[i]), 0);
	}
	for (i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	sim_writelog_close(w);
	lines = simtest_log_lines(logpath);
	assert_int_equal(cJSON_GetArraySize(lines), N * 300);
	cJSON_Delete(lines);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_log_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_log_threads, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
