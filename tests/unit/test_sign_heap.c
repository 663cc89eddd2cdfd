/* test_sign_heap.c — signing never leaves a copy of the AccessKey secret in the ordinary
 * heap: every block freed or reallocated while a request is signed is searched for it.
 *
 * free and realloc are interposed (glibc's __libc_free / __libc_realloc do the work), so
 * this test is skipped under the sanitizers and valgrind, which replace the allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <stdio.h>

#include <cmocka.h>

#include "api/client.h"
#include "core/xmalloc.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define INTERPOSE 0
#else
#define INTERPOSE 1
#endif

/* 63 bytes: with the "&" the key outgrows a 64-byte buffer, which a growing buffer would
 * reallocate, leaving the old copy behind. */
static const char SECRET[] = "Zq8TkR2vLm9XwP4sNj7HcB3yFd6GaEZq8TkR2vLm9XwP4sNj7HcB3yFd6GaE123";
static volatile int watching;	/* search blocks as they are released */
static volatile int seen;	/* blocks that held the secret */

#if INTERPOSE
void __libc_free(void *p);
void *__libc_realloc(void *p, size_t n);

static void
inspect(void *p)
{
	size_t n;

	if (!watching || p == NULL)
		return;
	n = malloc_usable_size(p);
	if (n >= sizeof SECRET - 1 && memmem(p, n, SECRET, sizeof SECRET - 1) != NULL)
		seen++;
}

void free(void *p);
void *realloc(void *p, size_t n);

void
free(void *p)
{
	inspect(p);
	__libc_free(p);
}

void *
realloc(void *p, size_t n)
{
	inspect(p);	/* the old block may be left behind, unwiped */
	return __libc_realloc(p, n);
}
#endif

static int
under_valgrind(void)
{
	const char *pre = getenv("LD_PRELOAD");

	return pre != NULL && strstr(pre, "vgpreload") != NULL;
}

static void
test_v1_signing_leaves_no_secret_in_heap(void **state)
{
	struct api_config cfg;
	struct api_prepared req;
	struct params user = PARAMS_INIT;
	char name[32];
	int i;

	(void)state;
	if (!INTERPOSE || under_valgrind())
		skip();
	api_config_init(&cfg);
	cfg.endpoint = xstrdup("http://127.0.0.1:9/");
	cfg.region = xstrdup("cn-shanghai");
	cfg.access_key_id = xstrdup("LTAItestkey");
	api_config_set_secret(&cfg, SECRET);
	/* Enough parameters that the buffers signing uses grow (and reallocate). */
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "Name.%d", i + 1);
		params_set(&user, name, "a-longish-value-to-grow-the-string-to-sign");
	}
	watching = 1;
	api_prepare(&cfg, "QueryDevice", &user, &req);
	api_prepared_free(&req);
	watching = 0;
	params_free(&user);
	api_config_free(&cfg);
	assert_int_equal(seen, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_signing_leaves_no_secret_in_heap),
	};

	return cmocka_run_group_tests_name("sign_heap", tests, NULL, NULL);
}
