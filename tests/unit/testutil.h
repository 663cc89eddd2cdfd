/* testutil.h — helpers shared by the unit tests. */
#ifndef IOTDECK_TESTUTIL_H
#define IOTDECK_TESTUTIL_H

#include <stddef.h>

/* Reads tests/fixtures/NAME (found via $IOTDECK_FIXTURES, else relative to the working
 * directory); aborts the test run when missing. Caller frees. *len gets the size. */
char *testutil_read_fixture(const char *name, size_t *len);
/* Returns the fixture directory. */
const char *testutil_fixture_dir(void);

#endif
