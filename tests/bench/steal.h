/* steal.h — how much of the machine's CPU time the hypervisor took (steal time, from
 * /proc/stat), so that a figure measured while the host was busy says so. On a VM whose
 * host is overcommitted, a vCPU waits tens of milliseconds now and then: wall-clock
 * figures (a p99, a chain of round trips) move with it, the code's work does not. */
#ifndef IOTDECK_BENCH_STEAL_H
#define IOTDECK_BENCH_STEAL_H

#include <stdio.h>

struct steal_mark {
	unsigned long long steal, total;	/* jiffies, all CPUs */
};

static inline void
steal_mark(struct steal_mark *m)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int i;

	m->steal = m->total = 0;
	if (f == NULL)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
	    &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		for (i = 0; i < 8; i++)
			m->total += v[i];
		m->steal = v[7];
	}
	fclose(f);
}

/* Percent of the CPU time since `since` that was stolen (0 when unknown). */
static inline double
steal_since(const struct steal_mark *since)
{
	struct steal_mark now;

	steal_mark(&now);
	if (now.total <= since->total)
		return 0;
	return 100.0 * (double)(now.steal - since->steal) / (double)(now.total - since->total);
}

#endif
