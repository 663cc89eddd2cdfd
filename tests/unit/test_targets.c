/* test_targets.c — the command line of `iotdeck set`, `invoke` and `audit`: targets
 * (PK/DEVICENAME, IotIds, --from files and standard input, --group), assignments,
 * SERVICE, the refusals and their messages; --since durations; the exit statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/audit.h"
#include "cli/ops.h"
#include "cli/targets.h"
#include "core/xmalloc.h"

/* Parses a space-separated command line (no quoting) as set (0) or invoke (1). */
static int
parse(int invoke, const char *line, struct targets_args *a, char **cause)
{
	char *copy = xstrdup(line), *words[64], *save = NULL, *w;
	int n = 0, rc;

	for (w = strtok_r(copy, " ", &save); w != NULL && n < 64; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	*cause = NULL;
	rc = targets_parse(invoke, words, n, a, cause);
	if (rc == 0) {
		/* The values point into the words: keep them alive for the checks. */
		static char *keep[16];
		static int nkeep;
		free(keep[nkeep % 16]);
		keep[nkeep++ % 16] = copy;
	} else
		free(copy);
	return rc;
}

static void
refused(int invoke, const char *line, const char *why)
{
	struct targets_args a;
	char *cause;

	if (parse(invoke, line, &a, &cause) == 0)
		fail_msg("'%s' was accepted", line);
	if (strstr(cause, why) == NULL)
		fail_msg("'%s': '%s' does not say '%s'", line, cause, why);
	free(cause);
}

static void
test_set_words(void **state)
{
	struct targets_args a;
	char *cause;

	(void)state;
	assert_int_equal(parse(0, "set a1PK/lamp-01 Q7uOhVRdZRRlDnTLv00100 a1PK/x@y.z:1 "
	    "Brightness=80 Label=a=b --json --group G1 --group=G-2", &a, &cause), 0);
	assert_int_equal(a.targets.n, 3);
	assert_string_equal(a.targets.v[0].product_key, "a1PK");
	assert_string_equal(a.targets.v[0].device_name, "lamp-01");
	assert_null(a.targets.v[0].iot_id);
	assert_null(a.targets.v[1].product_key);
	assert_string_equal(a.targets.v[1].iot_id, "Q7uOhVRdZRRlDnTLv00100");
	assert_string_equal(a.targets.v[2].device_name, "x@y.z:1");
	assert_int_equal(a.nsets, 2);
	assert_string_equal(a.sets[0].id, "Brightness");
	assert_string_equal(a.sets[0].text, "80");
	assert_string_equal(a.sets[1].id, "Label");
	assert_string_equal(a.sets[1].text, "a=b");	/* the first '=' splits */
	assert_int_equal(a.json, 1);
	assert_int_equal(a.ngroups, 2);
	assert_string_equal(a.groups[0], "G1");
	assert_string_equal(a.groups[1], "G-2");
	assert_null(a.service);
	targets_args_free(&a);

	/* Values may be empty, JSON, or Chinese; assignments may come first. */
	assert_int_equal(parse(0, "set Mode=高精度 Users=[{\"UserId\":1}] Note= a1PK/d1", &a,
	    &cause), 0);
	assert_int_equal(a.nsets, 3);
	assert_string_equal(a.sets[0].text, "高精度");
	assert_string_equal(a.sets[2].text, "");
	assert_int_equal(a.targets.n, 1);
	targets_args_free(&a);

	refused(0, "set a1PK/d1", "nothing to set");
	refused(0, "set Brightness=1", "no devices");
	refused(0, "set a1PK/d1 Brightness=1 Brightness=2", "Brightness is given twice");
	refused(0, "set a1PK/d1 Bright-ness=1", "is not ID=VALUE");
	refused(0, "set a1PK/d1 =1", "is not ID=VALUE");
	refused(0, "set a1PK/ Brightness=1", "is not PRODUCTKEY/DEVICENAME");
	refused(0, "set /dev Brightness=1", "is not PRODUCTKEY/DEVICENAME");
	refused(0, "set a1PK/dev/x Brightness=1", "is not PRODUCTKEY/DEVICENAME");
	refused(0, "set a1PK/de\x1b[2Jv Brightness=1", "de\xe2\x90\x9b[2Jv");	/* shown safe */
	refused(0, "set bad!id Brightness=1", "neither PRODUCTKEY/DEVICENAME nor an IotId");
	refused(0, "set a1PK/d --frobnicate Brightness=1", "unknown option");
	refused(0, "set --group bad/group X=1", "is not a GroupId");
	refused(0, "set --from /nonexistent/iotdeck-targets X=1", "--from /nonexistent");
}

static void
test_invoke_words(void **state)
{
	struct targets_args a;
	char *cause;

	(void)state;
	assert_int_equal(parse(1, "invoke a1PK/d1 IOTID2 Reboot Delay=5 Mode=fast", &a, &cause), 0);
	assert_string_equal(a.service, "Reboot");
	assert_int_equal(a.targets.n, 2);
	assert_string_equal(a.targets.v[1].iot_id, "IOTID2");
	assert_int_equal(a.nsets, 2);
	targets_args_free(&a);

	/* No arguments, targets from a group only. */
	assert_int_equal(parse(1, "invoke --group G1 ToggleLight", &a, &cause), 0);
	assert_string_equal(a.service, "ToggleLight");
	assert_int_equal(a.targets.n, 0);
	assert_int_equal(a.nsets, 0);
	targets_args_free(&a);

	refused(1, "invoke a1PK/d1", "missing SERVICE");
	refused(1, "invoke a1PK/d1 Delay=5", "missing SERVICE");
	refused(1, "invoke Reboot", "no devices");
	refused(1, "invoke a1PK/d1 Reboot Delay=5 a1PK/d2", "come before ARG=VALUE");
}

static void
test_from_file(void **state)
{
	char path[] = "/tmp/iotdeck-test-targets-XXXXXX", *line, *cause;
	struct targets_args a;
	FILE *f;
	int fd, saved;

	(void)state;
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs("# devices of the night shift\n\n  a1PK/lamp-01  \r\nIOTID9\n\t# indented comment\n"
	    "a1PK/lamp-02\n", f);
	fclose(f);
	line = xasprintf("set --from %s a1PK/lamp-03 X=1", path);
	assert_int_equal(parse(0, line, &a, &cause), 0);
	free(line);
	assert_int_equal(a.targets.n, 4);
	assert_string_equal(a.targets.v[0].device_name, "lamp-01");
	assert_string_equal(a.targets.v[1].iot_id, "IOTID9");
	assert_string_equal(a.targets.v[2].device_name, "lamp-02");
	assert_string_equal(a.targets.v[3].device_name, "lamp-03");	/* arguments after files */
	assert_non_null(strstr(a.targets.v[2].source, ":6"));	/* FILE:LINE */
	targets_args_free(&a);

	/* A bad line names the file and the line. */
	f = fopen(path, "w");
	fputs("a1PK/ok\nnot a target\n", f);
	fclose(f);
	line = xasprintf("set --from=%s X=1", path);
	assert_int_equal(parse(0, line, &a, &cause), -1);
	assert_non_null(strstr(cause, ":2: 'not a target'"));
	free(cause);
	free(line);

	/* "-" is standard input. */
	f = fopen(path, "w");
	fputs("a1PK/from-stdin\n", f);
	fclose(f);
	saved = dup(STDIN_FILENO);
	assert_non_null(freopen(path, "r", stdin));
	assert_int_equal(parse(0, "set --from - X=1", &a, &cause), 0);
	assert_int_equal(a.targets.n, 1);
	assert_string_equal(a.targets.v[0].device_name, "from-stdin");
	assert_non_null(strstr(a.targets.v[0].source, "stdin:1"));
	targets_args_free(&a);
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);
	unlink(path);
}

static void
test_durations_and_status(void **state)
{
	struct op_counts c;
	int64_t ms;

	(void)state;
	assert_int_equal(audit_parse_duration("90s", &ms), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(audit_parse_duration("30m", &ms), 0);
	assert_int_equal(ms, 30 * 60000);
	assert_int_equal(audit_parse_duration("8h", &ms), 0);
	assert_int_equal(ms, 8 * 3600000LL);
	assert_int_equal(audit_parse_duration("7d", &ms), 0);
	assert_int_equal(ms, 7 * 86400000LL);
	assert_int_equal(audit_parse_duration("45", &ms), 0);
	assert_int_equal(ms, 45000);
	assert_int_equal(audit_parse_duration("", &ms), -1);
	assert_int_equal(audit_parse_duration("-5m", &ms), -1);
	assert_int_equal(audit_parse_duration("5w", &ms), -1);
	assert_int_equal(audit_parse_duration("5mm", &ms), -1);
	assert_int_equal(audit_parse_duration("99999999999999999999d", &ms), -1);

	memset(&c, 0, sizeof c);
	c.total = c.n[OP_T_OK] = 10;
	assert_int_equal(ops_exit_status(&c, 0), 0);
	c.n[OP_T_FAILED] = 1;
	assert_int_equal(ops_exit_status(&c, 0), 1);
	assert_int_equal(ops_exit_status(&c, 1), 130);
	c.n[OP_T_UNKNOWN] = 1;	/* unknown wins: it needs looking at */
	assert_int_equal(ops_exit_status(&c, 1), 3);
	assert_int_equal(ops_exit_status(&c, 0), 3);
	memset(&c, 0, sizeof c);
	c.n[OP_T_NOT_SENT] = 1;
	assert_int_equal(ops_exit_status(&c, 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_words),
		cmocka_unit_test(test_invoke_words),
		cmocka_unit_test(test_from_file),
		cmocka_unit_test(test_durations_and_status),
	};

	return cmocka_run_group_tests_name("targets", tests, NULL, NULL);
}
