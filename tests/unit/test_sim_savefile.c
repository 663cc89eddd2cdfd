/* test_sim_savefile.c — the files iotdeck-sim writes (--state, --port-file) replace their
 * target atomically, 0600, through a temporary file of an unpredictable name, and never
 * through a symbolic link: not one planted at the old predictable temporary name
 * ("FILE.tmp.PID"), nor one at the target. */
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

#include "core/xmalloc.h"
#include "sim/savefile.h"
#include "sim/seed.h"
#include "sim/state.h"
#include "sim/sim.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_sim_savefileXXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	(void)state;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
	return 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[256];
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

static void
spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Number of entries of the directory (a leftover temporary file shows here). */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int
save(const char *path, const char *text, char **cause)
{
	struct sim_savefile *f = sim_savefile_begin(path, cause);

	if (f == NULL)
		return -1;
	fputs(text, sim_savefile_stream(f));
	return sim_savefile_commit(f, cause);
}

static void
test_replace(void **state)
{
	char *path = xasprintf("%s/state", dir), *cause = NULL, *got;
	struct stat st;

	(void)state;
	assert_int_equal(save(path, "one\n", &cause), 0);
	assert_int_equal(save(path, "two\n", &cause), 0);
	got = slurp(path);
	assert_string_equal(got, "two\n");
	free(got);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(entries(), 1);
	/* An aborted save leaves the old file and no temporary one. */
	{
		struct sim_savefile *f = sim_savefile_begin(path, &cause);
		assert_non_null(f);
		fputs("three\n", sim_savefile_stream(f));
		sim_savefile_abort(f);
	}
	got = slurp(path);
	assert_string_equal(got, "two\n");
	free(got);
	assert_int_equal(entries(), 1);
	free(path);
}

static void
test_no_symlinks(void **state)
{
	char *path = xasprintf("%s/state", dir), *victim = xasprintf("%s/victim", dir);
	char *old_tmp = xasprintf("%s.tmp.%ld", path, (long)getpid()), *cause = NULL, *got;
	struct stat st;
	int missing;

	(void)state;
	spit(victim, "precious\n");
	/* A link planted at the predictable name the old code wrote to. */
	assert_int_equal(symlink(victim, old_tmp), 0);
	assert_int_equal(save(path, "state\n", &cause), 0);
	got = slurp(victim);
	assert_string_equal(got, "precious\n");
	free(got);
	assert_int_equal(lstat(old_tmp, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	unlink(old_tmp);
	/* A link at the target is refused, neither followed nor replaced. */
	unlink(path);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(save(path, "state\n", &cause), -1);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	cause = NULL;
	got = slurp(victim);
	assert_string_equal(got, "precious\n");
	free(got);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(entries(), 2);	/* the victim and the link: no temporary file left */
	/* Nor is it read through. */
	assert_null(sim_savefile_open_read(path, &missing, &cause));
	assert_int_equal(missing, 0);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	cause = NULL;
	/* The state: the same rules. */
	{
		struct sim *s = sim_new(1);
		assert_int_equal(sim_seed(s, 1, 1, 3, &cause), 0);
		assert_int_equal(sim_state_save(s, path, &cause), -1);
		assert_non_null(strstr(cause, "symbolic link"));
		free(cause);
		cause = NULL;
		assert_int_equal(sim_state_load(s, path, &cause), -1);
		assert_non_null(strstr(cause, "symbolic link"));
		free(cause);
		sim_free(s);
	}
	got = slurp(victim);
	assert_string_equal(got, "precious\n");
	free(got);
	free(path);
	free(victim);
	free(old_tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_symlinks, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
