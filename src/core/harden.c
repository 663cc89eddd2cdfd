/* harden.c — process-wide protections for a program that holds secrets. */
#include "core/harden.h"

#include <sys/prctl.h>
#include <sys/resource.h>

int
harden_process(void)
{
	struct rlimit rl = { 0, 0 };
	int rc = 0;

	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		rc = -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		rc = -1;
	return rc;
}
