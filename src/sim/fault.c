/* fault.c — fault decisions (see fault.h). */
#include "sim/fault.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

static const struct {
	enum sim_fault kind;
	const char    *name;
} names[] = {
	{ SIM_FAULT_5XX, "5xx" }, { SIM_FAULT_THROTTLE, "throttle" }, { SIM_FAULT_RESET, "reset" },
	{ SIM_FAULT_TRUNCATE, "truncate" }, { SIM_FAULT_MALFORMED, "malformed" },
	{ SIM_FAULT_DRIP, "drip" },
};

struct sim_faults {
	uint64_t        rng;		/* generator state */
	double          rate;		/* share of faulty requests */
	unsigned        kinds;		/* enabled kinds */
	int             latency_ms;	/* fixed delay */
	int             jitter_ms;	/* random extra delay */
	pthread_mutex_t lock;		/* guards rng */
};

struct sim_faults *
sim_faults_new(uint64_t seed, double rate, unsigned kinds, int latency_ms, int jitter_ms)
{
	struct sim_faults *f = xcalloc(1, sizeof *f);

	f->rng = seed * 0x9E3779B97F4A7C15ULL + 0xFA17;
	f->rate = rate;
	f->kinds = kinds & SIM_FAULT_ALL;
	f->latency_ms = latency_ms;
	f->jitter_ms = jitter_ms;
	pthread_mutex_init(&f->lock, NULL);
	return f;
}

void
sim_faults_free(struct sim_faults *f)
{
	if (f == NULL)
		return;
	pthread_mutex_destroy(&f->lock);
	free(f);
}

int
sim_faults_parse_kinds(const char *list, unsigned *kinds, char **cause)
{
	const char *p = list;
	size_t n, i;

	*kinds = 0;
	while (*p != '\0') {
		int found = 0;
		n = strcspn(p, ",");
		if (n == 3 && strncmp(p, "all", 3) == 0) {
			*kinds |= SIM_FAULT_ALL;
			found = 1;
		}
		for (i = 0; i < sizeof names / sizeof names[0]; i++) {
			if (strlen(names[i].name) == n && strncmp(p, names[i].name, n) == 0) {
				*kinds |= (unsigned)names[i].kind;
				found = 1;
			}
		}
		if (!found) {
			*cause = xasprintf("unknown fault kind \"%.*s\" (5xx, throttle, reset, truncate, malformed, drip, all)",
			    (int)n, p);
			return -1;
		}
		p += n + (p[n] == ',');
	}
	if (*kinds == 0) {
		*cause = xstrdup("no fault kinds");
		return -1;
	}
	return 0;
}

static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

enum sim_fault
sim_faults_next(struct sim_faults *f, int *delay_ms)
{
	enum sim_fault k = SIM_FAULT_NONE;
	uint64_t a, b, c;
	unsigned enabled[8], n = 0, i;

	pthread_mutex_lock(&f->lock);
	a = next(&f->rng);
	b = next(&f->rng);
	c = next(&f->rng);
	pthread_mutex_unlock(&f->lock);
	*delay_ms = f->latency_ms + (f->jitter_ms > 0 ? (int)(a % (uint64_t)(f->jitter_ms + 1)) : 0);
	if (f->rate <= 0 || f->kinds == 0 || (double)(b % 1000000) >= f->rate * 1000000.0)
		return SIM_FAULT_NONE;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (f->kinds & (unsigned)names[i].kind)
			enabled[n++] = (unsigned)names[i].kind;
	k = (enum sim_fault)enabled[c % n];
	return k;
}

const char *
sim_fault_name(enum sim_fault k)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].kind == k)
			return names[i].name;
	return "none";
}

int
sim_fault_applies(enum sim_fault k)
{
	return k == SIM_FAULT_RESET || k == SIM_FAULT_TRUNCATE || k == SIM_FAULT_MALFORMED ||
	    k == SIM_FAULT_DRIP;
}
