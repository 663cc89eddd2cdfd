/* throttle.c — token buckets in a small chained hash table keyed by
 * "akid\naction\ntier"; a mutex guards it (buckets are few: keys x actions). */
#include "sim/throttle.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

struct bucket {
	char          *key;		/* "akid\naction\ntier" */
	double         tokens;		/* tokens left */
	double         last;		/* when tokens was computed */
	struct bucket *next;		/* chain */
};

#define NBUCKETS 256

struct sim_throttle {
	double           scale;			/* --qps-scale */
	struct bucket   *table[NBUCKETS];	/* hash table */
	pthread_mutex_t  lock;			/* guards table */
};

struct sim_throttle *
sim_throttle_new(double scale)
{
	struct sim_throttle *t = xcalloc(1, sizeof *t);

	t->scale = scale > 0 ? scale : 1.0;
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void
sim_throttle_free(struct sim_throttle *t)
{
	struct bucket *b, *next;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < NBUCKETS; i++) {
		for (b = t->table[i]; b != NULL; b = next) {
			next = b->next;
			free(b->key);
			free(b);
		}
	}
	pthread_mutex_destroy(&t->lock);
	free(t);
}

double
sim_throttle_rate(const struct sim_throttle *t, const struct action_info *a,
    const struct params *p)
{
	return action_effective_qps(a, p) * t->scale;
}

long
sim_throttle_take(struct sim_throttle *t, const char *akid, const struct action_info *a,
    const struct params *p, double now)
{
	double rate = sim_throttle_rate(t, a, p), cap = rate < 1.0 ? 1.0 : rate;
	int qps = action_effective_qps(a, p);
	char *key = xasprintf("%s\n%s\n%d", akid, a->name, qps);
	uint32_t h = 2166136261u;
	struct bucket *b;
	const char *s;
	long wait = 0;

	for (s = key; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	pthread_mutex_lock(&t->lock);
	for (b = t->table[h % NBUCKETS]; b != NULL; b = b->next)
		if (strcmp(b->key, key) == 0)
			break;
	if (b == NULL) {
		b = xcalloc(1, sizeof *b);
		b->key = key;
		key = NULL;
		b->tokens = cap;
		b->last = now;
		b->next = t->table[h % NBUCKETS];
		t->table[h % NBUCKETS] = b;
	}
	if (now > b->last) {
		b->tokens += (now - b->last) * rate;
		if (b->tokens > cap)
			b->tokens = cap;
		b->last = now;
	}
	if (b->tokens >= 1.0)
		b->tokens -= 1.0;
	else {
		wait = (long)ceil((1.0 - b->tokens) / rate * 1000.0);
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&t->lock);
	free(key);
	return wait;
}
