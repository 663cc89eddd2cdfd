/* testutil.c — helpers shared by the unit tests. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/xmalloc.h"

const char *
testutil_fixture_dir(void)
{
	const char *d = getenv("IOTDECK_FIXTURES");

	return d != NULL && *d != '\0' ? d : "tests/fixtures";
}

char *
testutil_read_fixture(const char *name, size_t *lenp)
{
	char *path = xasprintf("%s/%s", testutil_fixture_dir(), name);
	FILE *f = fopen(path, "rb");
	char *data;
	long len;

	if (f == NULL) {
		fprintf(stderr, "testutil: cannot open fixture %s\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc((size_t)len + 1);
	if (fread(data, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "testutil: short read on %s\n", path);
		abort();
	}
	data[len] = '\0';
	fclose(f);
	free(path);
	if (lenp != NULL)
		*lenp = (size_t)len;
	return data;
}
