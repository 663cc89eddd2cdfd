/* test_atomicfile.c — a file written whole or not at all: the target untouched until the
 * commit, a private temporary file beside it, symbolic links and non-files refused, the
 * final mode (the old file's, else 0666 less the umask), nothing left after a discard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/atomicfile.h"

static char dir[] = "/tmp/test-atomicfile-XXXXXX";

static char *
at(const char *name)
{
	static char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
get(const char *name)
{
	static char text[256];
	FILE *f = fopen(at(name), "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Files in dir whose name holds "iotdeck-". */
static int
temporaries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, "iotdeck-") != NULL)
			n++;
	closedir(d);
	return n;
}

static int
mode_of(const char *name)
{
	struct stat st;

	assert_int_equal(lstat(at(name), &st), 0);
	return (int)(st.st_mode & 07777);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_commit_replaces(void **state)
{
	struct atomicfile af;
	char *cause = NULL, tmp[ATOMICFILE_TMP_MAX + 300];
	struct stat st;

	(void)state;
	put("a.csv", "old\n");
	chmod(at("a.csv"), 0640);
	assert_int_equal(atomicfile_open(&af, at("a.csv"), &cause), 0);
	assert_int_equal(af.existed, 1);
	fputs("new\n", af.f);
	fflush(af.f);
	/* Until the commit the target is the old file, the new one private beside it. */
	assert_string_equal(get("a.csv"), "old\n");
	assert_int_equal(strncmp(af.tmp, ".a.csv.iotdeck-", 15), 0);
	assert_int_equal(strlen(af.tmp), 15 + 16);
	snprintf(tmp, sizeof tmp, "%s/%s", dir, af.tmp);
	assert_int_equal(lstat(tmp, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(atomicfile_commit(&af, &cause), 0);
	atomicfile_free(&af);
	assert_string_equal(get("a.csv"), "new\n");
	assert_int_equal(mode_of("a.csv"), 0640);	/* the old file's mode */
	assert_int_equal(temporaries(), 0);
}

static void
test_new_file_mode(void **state)
{
	struct atomicfile af;
	char *cause = NULL;
	mode_t old = umask(027);

	(void)state;
	assert_int_equal(atomicfile_open(&af, at("n.csv"), &cause), 0);
	assert_int_equal(af.existed, 0);
	assert_int_equal(access(at("n.csv"), F_OK), -1);	/* not created before the commit */
	fputs("x", af.f);
	assert_int_equal(atomicfile_commit(&af, &cause), 0);
	atomicfile_free(&af);
	umask(old);
	assert_int_equal(mode_of("n.csv"), 0640);
	assert_string_equal(get("n.csv"), "x");
}

static void
test_discard_keeps_old(void **state)
{
	struct atomicfile af;
	char *cause = NULL;

	(void)state;
	put("d.csv", "keep me\n");
	assert_int_equal(atomicfile_open(&af, at("d.csv"), &cause), 0);
	fputs("header\r\n", af.f);
	assert_int_equal(temporaries(), 1);
	atomicfile_discard(&af);
	atomicfile_free(&af);
	assert_string_equal(get("d.csv"), "keep me\n");
	assert_int_equal(temporaries(), 0);
	/* Freed without a commit: discarded too. */
	assert_int_equal(atomicfile_open(&af, at("e.csv"), &cause), 0);
	atomicfile_free(&af);
	assert_null(get("e.csv"));
	assert_int_equal(temporaries(), 0);
}

static void
refused(const char *path, const char *why)
{
	struct atomicfile af;
	char *cause = NULL;

	if (atomicfile_open(&af, path, &cause) == 0)
		fail_msg("%s accepted", path);
	if (strstr(cause, why) == NULL)
		fail_msg("%s: [%s] does not say '%s'", path, cause, why);
	free(cause);
	assert_int_equal(temporaries(), 0);
}

static void
test_refused(void **state)
{
	char path[300];

	(void)state;
	put("victim", "victim\n");
	assert_int_equal(symlink("victim", at("link.csv")), 0);
	refused(at("link.csv"), "symbolic link");
	assert_string_equal(get("victim"), "victim\n");
	assert_int_equal(symlink("nothere", at("dangling.csv")), 0);
	refused(at("dangling.csv"), "symbolic link");
	assert_null(get("nothere"));
	refused(dir, "not a regular file");
	snprintf(path, sizeof path, "%s/", dir);
	refused(path, "is a directory");
	refused("/dev/null", "not a regular file");
	refused(at("missing/x.csv"), "missing");
	refused("", "empty");
}

/* A long name still makes a temporary name that fits. */
static void
test_long_name(void **state)
{
	struct atomicfile af;
	char name[256], *cause = NULL;

	(void)state;
	memset(name, 'n', 250);
	memcpy(name + 250, ".csv", 5);
	assert_int_equal(atomicfile_open(&af, at(name), &cause), 0);
	assert_true(strlen(af.tmp) < 255);
	assert_int_equal(atomicfile_commit(&af, &cause), 0);
	atomicfile_free(&af);
	assert_non_null(get(name));
	assert_int_equal(temporaries(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_replaces),
		cmocka_unit_test(test_new_file_mode),
		cmocka_unit_test(test_discard_keeps_old),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_long_name),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("atomicfile", tests, setup, teardown);
}
