/* test_audit.c — the audit log: where it goes (XDG_STATE_HOME, HOME), the modes of what
 * it creates (0700, 0600), links and other people's files refused, one whole line per
 * write with the fields in order, written through at once (no buffer to lose),
 * display-safe, secrets redacted, and two writers never splitting each other's lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/xmalloc.h"
#include "op/audit.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/iotdeck-test-audit-XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	return 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = xcalloc(1, 1 << 20);
	size_t n;

	assert_non_null(f);
	n = fread(s, 1, (1 << 20) - 1, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void
entry(struct audit_entry *e, struct params *p)
{
	memset(e, 0, sizeof *e);
	params_set(p, "ProductKey", "a1PK");
	params_set(p, "DeviceName", "lamp-01");
	params_set(p, "Items", "{\"Brightness\":80}");
	e->time_ms = 1714550400123LL;	/* 2024-05-01T08:00:00.123Z */
	e->profile = "prod";
	e->region = "cn-shanghai";
	e->endpoint = "https://iot.cn-shanghai.aliyuncs.com/";
	e->action = "SetDeviceProperty";
	e->product_key = "a1PK";
	e->device_name = "lamp-01";
	e->params = p;
	e->outcome = "ok";
	e->request_id = "5A1E-1";
	e->operation = "20240501T080000Z-3f9a1c2b";
}

static void
test_default_place_and_modes(void **state)
{
	char *state_home = xasprintf("%s/state", dir), *path, *cause = NULL, *log, *line;
	struct audit *a;
	struct audit_entry e;
	struct params p = PARAMS_INIT;
	struct stat st;
	mode_t old = umask(0);	/* the modes are iotdeck's, not the umask's */

	(void)state;
	setenv("XDG_STATE_HOME", state_home, 1);
	path = audit_default_path(&cause);
	log = xasprintf("%s/iotdeck/audit.log", state_home);
	assert_string_equal(path, log);
	a = audit_open(NULL, &cause);
	if (a == NULL)
		fail_msg("audit_open: %s", cause);
	assert_string_equal(audit_path(a), log);
	assert_int_equal(stat(state_home, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	line = xasprintf("%s/iotdeck", state_home);
	assert_int_equal(stat(line, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	free(line);
	assert_int_equal(stat(log, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);

	/* Written through at once: another reader sees the line before any close or sync. */
	entry(&e, &p);
	assert_int_equal(audit_write(a, &e, &cause), 0);
	line = slurp(log);
	assert_string_equal(line,
	    "{\"time\":\"2024-05-01T08:00:00.123Z\",\"profile\":\"prod\",\"region\":\"cn-shanghai\","
	    "\"endpoint\":\"https://iot.cn-shanghai.aliyuncs.com/\",\"action\":\"SetDeviceProperty\","
	    "\"product_key\":\"a1PK\",\"device_name\":\"lamp-01\",\"iot_id\":null,"
	    "\"params\":{\"ProductKey\":\"a1PK\",\"DeviceName\":\"lamp-01\","
	    "\"Items\":\"{\\\"Brightness\\\":80}\"},\"outcome\":\"ok\",\"code\":null,"
	    "\"message\":null,\"request_id\":\"5A1E-1\",\"operation\":\"20240501T080000Z-3f9a1c2b\"}\n");
	free(line);
	assert_int_equal(audit_sync(a, &cause), 0);
	audit_close(a);
	/* Opened again, it appends. */
	a = audit_open(NULL, &cause);
	e.outcome = "unknown";
	e.request_id = NULL;
	assert_int_equal(audit_write(a, &e, &cause), 0);
	audit_close(a);
	line = slurp(log);
	assert_non_null(strstr(line, "\n{\"time\""));
	assert_non_null(strstr(line, "\"outcome\":\"unknown\""));
	assert_non_null(strstr(line, "\"request_id\":null"));
	free(line);

	/* A relative XDG_STATE_HOME is ignored (the XDG rule): HOME's then. */
	setenv("XDG_STATE_HOME", "relative/state", 1);
	setenv("HOME", dir, 1);
	free(path);
	path = audit_default_path(&cause);
	free(log);
	log = xasprintf("%s/.local/state/iotdeck/audit.log", dir);
	assert_string_equal(path, log);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	assert_null(audit_default_path(&cause));
	assert_non_null(strstr(cause, "--audit-log"));
	free(cause);
	params_free(&p);
	free(path);
	free(log);
	free(state_home);
}

static void
test_refusals(void **state)
{
	char *target = xasprintf("%s/elsewhere", dir), *link_path = xasprintf("%s/link.log", dir);
	char *fifo = xasprintf("%s/fifo", dir), *sh = xasprintf("%s/s2", dir);
	char *sub = xasprintf("%s/s2/iotdeck", dir), *cause = NULL;
	FILE *f;
	struct stat st;

	(void)state;
	f = fopen(target, "w");
	fclose(f);
	assert_int_equal(symlink(target, link_path), 0);
	assert_null(audit_open(link_path, &cause));
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 0);	/* never written through the link */

	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_null(audit_open(fifo, &cause));	/* and it does not block */
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);

	assert_null(audit_open("", &cause));
	free(cause);
	assert_null(audit_open("/nonexistent-dir-iotdeck/audit.log", &cause));
	free(cause);

	/* The default's directory as a link to somewhere else: refused. */
	assert_int_equal(mkdir(sh, 0700), 0);
	assert_int_equal(symlink(dir, sub), 0);
	setenv("XDG_STATE_HOME", sh, 1);
	assert_null(audit_open(NULL, &cause));
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	unsetenv("XDG_STATE_HOME");
	free(target);
	free(link_path);
	free(fifo);
	free(sh);
	free(sub);
}

static void
test_safe_and_redacted(void **state)
{
	char *log = xasprintf("%s/safe.log", dir), *cause = NULL, *text;
	struct audit *a = audit_open(log, &cause), *b;
	struct audit_entry e;
	struct params p = PARAMS_INIT;
	cJSON *o;
	int i, lines = 0;

	(void)state;
	assert_non_null(a);
	entry(&e, &p);
	params_set(&p, "DeviceSecret", "s3cr3t");
	params_set(&p, "Password", "hunter2");
	e.outcome = "failed";
	e.code = "iot.device.X";
	e.message = "bad \x1b]0;title\x07 and \xe2\x80\xae bidi";
	e.device_name = "dev\x1b[2J";
	assert_int_equal(audit_write(a, &e, &cause), 0);
	text = slurp(log);
	assert_null(strstr(text, "s3cr3t"));
	assert_null(strstr(text, "hunter2"));
	assert_non_null(strstr(text, "\"DeviceSecret\":\"[redacted]\""));
	assert_null(strchr(text, '\x1b'));
	assert_null(strstr(text, "\xe2\x80\xae"));
	assert_non_null(strstr(text, "\\u001b]0;title\\u0007"));
	o = cJSON_Parse(text);
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "device_name")->valuestring, "dev\x1b[2J");
	cJSON_Delete(o);
	free(text);
	assert_true(audit_param_redacted("SecurityToken"));
	assert_true(audit_param_redacted("devicesecret"));
	assert_false(audit_param_redacted("Items"));

	/* Two writers (two iotdeck processes) append whole lines. */
	b = audit_open(log, &cause);
	for (i = 0; i < 200; i++)
		assert_int_equal(audit_write(i % 2 ? a : b, &e, &cause), 0);
	audit_close(a);
	audit_close(b);
	text = slurp(log);
	for (char *s = text, *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
		*nl = '\0';
		o = cJSON_Parse(s);
		assert_non_null(o);
		cJSON_Delete(o);
		lines++;
	}
	assert_int_equal(lines, 201);
	free(text);
	params_free(&p);
	free(log);
}

static void
test_time(void **state)
{
	char out[40];

	(void)state;
	assert_string_equal(audit_time(0, out, sizeof out), "1970-01-01T00:00:00.000Z");
	assert_string_equal(audit_time(1714550400123LL, out, sizeof out),
	    "2024-05-01T08:00:00.123Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_place_and_modes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_safe_and_redacted),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests_name("audit", tests, setup, teardown);
}
