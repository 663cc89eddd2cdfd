/* test_ota_args.c — which command lines are `iotdeck ota`'s, and the usage errors it
 * finds before it reads any configuration or sends anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/options.h"
#include "cli/ota.h"

/* Runs cmd_ota_argv on the NULL-terminated words (standard error to /dev/null). */
static int
run(const char *first, ...)
{
	char *argv[32];
	const char *w;
	va_list ap;
	int argc = 0, rc, saved;
	FILE *null;

	argv[argc++] = (char *)"iotdeck";
	va_start(ap, first);
	for (w = first; w != NULL && argc < 31; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	null = fopen("/dev/null", "w");
	dup2(fileno(null), STDERR_FILENO);
	rc = cmd_ota_argv(argc, argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(null);
	return rc;
}

static void
test_not_ota(void **state)
{
	(void)state;
	/* Options only: --version, --help, the console. */
	assert_int_equal(run(NULL), -1);
	assert_int_equal(run("--version", NULL), -1);
	assert_int_equal(run("--help", NULL), -1);
	assert_int_equal(run("-v", "--readonly", NULL), -1);
	/* Another command, even with "ota" as a value or a later word. */
	assert_int_equal(run("call", "ota", NULL), -1);
	assert_int_equal(run("--profile", "ota", "call", "QueryOTAJob", NULL), -1);
	assert_int_equal(run("--", "ota", NULL), -1);
}

static void
test_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(run("ota", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "frobnicate", NULL), EXIT_USAGE);
	assert_int_equal(run("--region", "cn-shanghai", "ota", "verify", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "verify", "F", "--devices", "a,b,c,d,e,f,g,h,i,j,k", NULL),
	    EXIT_USAGE);
	assert_int_equal(run("ota", "verify", "F", "--devices", "a,a", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "verify", "F", "--devices=a", "--timeout", "0", NULL),
	    EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", "--all", "--gray", "5", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", "--gray", "120", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", "--group", "G", "--src-version", "1.0",
	    NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", "--all", "--retry-interval", "10", NULL),
	    EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", "--all", "--finish", "+2h", NULL),
	    EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", "--dynamic", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upgrade", "F", "--all", "--per-minute", "10", "--per-minute",
	    "20", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "watch", "J", "--max-failed", "abc", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "watch", "J", "--cancel-on-fail", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "watch", "J", "--interval", "0", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "cancel", "J", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "confirm", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "confirm", "T1", "T1", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "tasks", "J", "--status", "DONE", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upload", "f.bin", "--product", "P", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upload", "f.bin", "--product", "P", "--dest-version", "1 0",
	    NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "upload", "/nonexistent/f.bin", "--product", "P",
	    "--dest-version", "1.0", NULL), EXIT_USAGE);
	/* An option of another subcommand, or an unknown one. */
	assert_int_equal(run("ota", "jobs", "F", "--status", "QUEUED", NULL), EXIT_USAGE);
	assert_int_equal(run("ota", "jobs", "F", "--frobnicate", NULL), EXIT_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_ota),
		cmocka_unit_test(test_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
