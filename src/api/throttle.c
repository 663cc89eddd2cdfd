/* throttle.c — client-side flow control per action.
 *
 * DESIGN
 *
 * The budget. The guide gives each action a per-account QPS (the action table's qps). The
 * promise kept here is strict: for every action, in ANY window of one second [t, t+1s) —
 * sliding, not only windows aligned on whole seconds — at most qps requests are let
 * through; and for the requests that fall into a slower tier (QueryDevice and
 * QueryProductList with CurrentPage*PageSize >= 100,000: 2 QPS) at most that tier's qps
 * too, while they still count against the action's own budget.
 *
 * Why not a plain token bucket. A bucket of rate r and capacity b lets b + r*T requests
 * through in a window of length T: with b = r (the usual "one second of burst") a full
 * bucket plus one second of refill is 2r in one second, twice the documented limit. With
 * b = 1 the bucket is a pacer (one request every 1/r s): it never exceeds r in a half-open
 * second, but every wake-up that comes late (the worker's poll timeout has millisecond
 * granularity and the scheduler adds its own) is lost for good, and at 50 QPS losing 1 ms
 * per 20 ms interval is 5% of the budget — the export benchmark's whole allowance.
 *
 * So each (action, tier) has two parts:
 *   1. A pacer (GCRA, the "virtual scheduling" form of a token bucket) at the current
 *      rate, with a small tolerance tau: it keeps requests evenly spread (the server, which
 *      may run its own bucket of one second's capacity, then never sees a burst it could
 *      refuse because of network jitter), and because its theoretical arrival time moves
 *      by exactly 1/r per request, a late wake-up shorter than tau is caught up instead of
 *      lost. tau also gives a small burst after an idle period (a tenth of the rate), so
 *      a keypress that needs three calls does not wait 40 ms for the last one.
 *   2. A sliding-window log, the hard guarantee: the send times of the last qps requests
 *      are kept in a ring; a request may go at time now only when fewer than n of them
 *      are later than now - 1s (n = floor of the current rate, at least 1). If n+1 sends
 *      fell into some window [t, t+1s), the last of them would have found the n before it
 *      all later than its own time - 1s, and been refused. The log never lets the pacer's
 *      tolerance (nor its catch-up) add up to more than the budget in any second.
 * The pacer makes the flow smooth, the log makes the limit exact; the unit test drives
 * both with a simulated clock, random late wake-ups and random demand, and checks every
 * window that starts at a send (the windows that hold the most sends start at one).
 *
 * Priorities. The worker passes each request's priority. A request that depends on the
 * answer before it (the next page of a NextToken chain, a keypress) should not wait for
 * the pacer's next slot behind a stream of lower-priority requests of the same action
 * that fills the budget: at 50 QPS that is up to 20 ms, on every link of the chain. So
 * the limiter remembers when each priority last sent, and while a better priority has
 * sent within the last second:
 *   - a worse request leaves one send of the window free (fewer than n - 1 in the last
 *     second, n > 1): after any send of the worse stream the window holds at most n - 1,
 *     and windows only lose sends between two sends, so a better request finds room;
 *   - a better request, while a worse one has sent within the last second, may come one
 *     pacer interval early (its tolerance is tau + 1/r): the worse stream's sends leave
 *     the theoretical arrival time at most one interval plus tau ahead, so the better
 *     request goes the moment it is ready, and its send still moves that time by 1/r,
 *     which pushes the worse stream back by one slot: the rate is unchanged.
 * Both rules only change who gets a slot, never how many: the log keeps the limit exact,
 * and a burst of better requests gains at most one slot over the pacer (the first takes
 * the interval of tolerance, the next ones find the arrival time moved by 1/r each).
 *
 * Adaptation. Another client of the same account (the console in another terminal, a
 * script, a RAM user) shares the quota, so the server may answer Throttling even though
 * we kept our own budget. On such an answer the action's rate factor is halved (at most
 * once per second: the requests already in flight when the server started refusing
 * return Throttling together, and they are one signal, not many) and then recovers
 * additively by a tenth of the documented rate per second without a new Throttling
 * (AIMD, as TCP does). An x-acs-retry-after in the answer pauses the action that long.
 * The floor is 2% of the documented rate or 0.2 QPS, whichever is higher.
 *
 * Time is read through an injectable clock (monotonic ns), so tests need no sleeping.
 */
#include "api/throttle.h"
#include "core/clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/actions.h"
#include "core/xmalloc.h"

#define MAX_TIERS        3			/* base tier plus conditional ones */
#define RECOVER_PER_S    0.1			/* factor regained per second */
#define CUT_EVERY_NS     THROTTLE_SECOND_NS	/* at most one halving per second */
#define FACTOR_MIN       0.02
#define RATE_MIN         0.2			/* QPS */
#define TAU_MAX_LATE_NS  (10LL * 1000 * 1000)	/* lateness the pacer absorbs: 10 ms */
#define RETRY_AFTER_MAX  (60LL * THROTTLE_SECOND_NS)

/* One rate class of an action: the base (documented QPS) or a conditional tier. */
struct tier {
	int      qps;		/* documented rate of this tier (times the scale, >= 1) */
	int64_t  tat;		/* pacer: theoretical arrival time of the next request */
	int64_t *log;		/* ring of the last log_cap send times */
	int      log_cap;	/* ring size: qps */
	int      log_n;		/* times held */
	int      log_next;	/* where the next time goes */
};

struct limiter {
	char          *action;		/* action name (owned) */
	int            qps;		/* documented QPS times the scale (>= 1) */
	struct tier    tiers[MAX_TIERS];	/* [0] the base tier */
	int            ntiers;		/* tiers in use */
	double         cut_factor;	/* factor right after the last halving */
	int64_t        cut_at;		/* when it was halved (INT64_MIN: never) */
	int64_t        blocked_until;	/* server-imposed pause (x-acs-retry-after) */
	int64_t        prio_sent[THROTTLE_PRIOS];	/* last send at each priority
							   (INT64_MIN: never) */
	uint64_t       sent;		/* requests let through */
	uint64_t       throttled;	/* Throttling answers */
	struct limiter *next;		/* next in the throttle's list */
};

struct throttle {
	pthread_mutex_t       mu;	/* guards everything below */
	struct throttle_clock clock;	/* time source */
	double                scale;	/* multiplies every documented rate */
	struct limiter       *limiters;	/* one per action used */
};

static int64_t
monotonic_ns(void *arg)
{
	(void)arg;
	return clock_mono_ns();
}

struct throttle *
throttle_new(const struct throttle_clock *clock, double scale)
{
	struct throttle *t = xcalloc(1, sizeof *t);

	pthread_mutex_init(&t->mu, NULL);
	if (clock != NULL && clock->now != NULL)
		t->clock = *clock;
	else
		t->clock.now = monotonic_ns;
	t->scale = scale > 0 ? scale : 1.0;
	return t;
}

void
throttle_free(struct throttle *t)
{
	struct limiter *l, *next;
	int i;

	if (t == NULL)
		return;
	for (l = t->limiters; l != NULL; l = next) {
		next = l->next;
		for (i = 0; i < l->ntiers; i++)
			free(l->tiers[i].log);
		free(l->action);
		free(l);
	}
	pthread_mutex_destroy(&t->mu);
	free(t);
}

int64_t
throttle_now(struct throttle *t)
{
	return t->clock.now(t->clock.arg);
}

static int
scaled(const struct throttle *t, int qps)
{
	double v = (double)qps * t->scale;

	return v < 1.0 ? 1 : (int)(v + 0.5);
}

static void
tier_init(struct tier *tr, int qps)
{
	memset(tr, 0, sizeof *tr);
	tr->qps = qps;
	tr->tat = INT64_MIN;
	tr->log_cap = qps;
	tr->log = xcalloc((size_t)qps, sizeof *tr->log);
}

static struct limiter *
limiter_get(struct throttle *t, const char *action)
{
	struct limiter *l;
	int i;

	for (l = t->limiters; l != NULL; l = l->next)
		if (strcmp(l->action, action) == 0)
			return l;
	l = xcalloc(1, sizeof *l);
	l->action = xstrdup(action);
	l->qps = scaled(t, action_effective_qps(action_get(action), NULL));
	tier_init(&l->tiers[0], l->qps);
	l->ntiers = 1;
	l->cut_factor = 1.0;
	l->cut_at = INT64_MIN;
	l->blocked_until = INT64_MIN;
	for (i = 0; i < THROTTLE_PRIOS; i++)
		l->prio_sent[i] = INT64_MIN;
	l->next = t->limiters;
	t->limiters = l;
	return l;
}

static struct limiter *
limiter_find(struct throttle *t, const char *action)
{
	struct limiter *l;

	for (l = t->limiters; l != NULL; l = l->next)
		if (strcmp(l->action, action) == 0)
			return l;
	return NULL;
}

/* The tier of documented rate qps (created on first use). */
static struct tier *
tier_get(struct limiter *l, int qps)
{
	int i;

	for (i = 0; i < l->ntiers; i++)
		if (l->tiers[i].qps == qps)
			return &l->tiers[i];
	if (l->ntiers == MAX_TIERS)
		return &l->tiers[MAX_TIERS - 1];	/* cannot happen with today's table */
	tier_init(&l->tiers[l->ntiers], qps);
	return &l->tiers[l->ntiers++];
}

/* The current rate factor (0 < f <= 1) after additive recovery since the last cut. */
static double
limiter_factor(const struct limiter *l, int64_t now)
{
	double f;

	if (l->cut_at == INT64_MIN)
		return 1.0;
	f = l->cut_factor + RECOVER_PER_S * (double)(now - l->cut_at) / (double)THROTTLE_SECOND_NS;
	return f > 1.0 ? 1.0 : f;
}

static double
tier_rate(const struct tier *tr, double factor)
{
	double r = (double)tr->qps * factor;

	return r < RATE_MIN ? RATE_MIN : r;
}

/* The k-th most recent send (k >= 1), or INT64_MIN when fewer were logged. */
static int64_t
log_recent(const struct tier *tr, int k)
{
	int i;

	if (k > tr->log_n)
		return INT64_MIN;
	i = tr->log_next - k;
	if (i < 0)
		i += tr->log_cap;
	return tr->log[i];
}

/* How long a request must wait on this tier (0: it may go now). headroom: sends of the
 * window to leave free for a better priority (0 or 1); early: the pacer lets it come one
 * interval early (a better priority than what else is sending). */
static int64_t
tier_wait(const struct tier *tr, double factor, int64_t now, int headroom, int early)
{
	double rate = tier_rate(tr, factor);
	int64_t interval = (int64_t)((double)THROTTLE_SECOND_NS / rate);
	int n = (int)rate;
	int burst;
	int64_t tau, kth, wait = 0;

	if (n < 1)
		n = 1;
	if (n > tr->log_cap)
		n = tr->log_cap;
	/* Pacer: a tenth of the rate as burst, plus up to 10 ms of lateness absorbed. */
	burst = n / 10;
	tau = (burst > 1 ? (int64_t)(burst - 1) * interval : 0) +
	    (interval / 2 < TAU_MAX_LATE_NS ? interval / 2 : TAU_MAX_LATE_NS);
	if (early)
		tau += interval;
	if (tr->tat != INT64_MIN && now < tr->tat - tau)
		wait = tr->tat - tau - now;
	/* Hard limit: fewer than n sends in (now - 1s, now], fewer than n - 1 when one is
	 * kept for a better priority. */
	if (headroom && n > 1)
		n--;
	kth = log_recent(tr, n);
	if (kth != INT64_MIN && now < kth + THROTTLE_SECOND_NS &&
	    kth + THROTTLE_SECOND_NS - now > wait)
		wait = kth + THROTTLE_SECOND_NS - now;
	return wait;
}

static void
tier_record(struct tier *tr, double factor, int64_t now)
{
	int64_t interval = (int64_t)((double)THROTTLE_SECOND_NS / tier_rate(tr, factor));

	tr->tat = (tr->tat == INT64_MIN || tr->tat < now ? now : tr->tat) + interval;
	tr->log[tr->log_next] = now;
	tr->log_next = (tr->log_next + 1) % tr->log_cap;
	if (tr->log_n < tr->log_cap)
		tr->log_n++;
}

int64_t
throttle_take(struct throttle *t, const char *action, const struct params *p, int prio)
{
	struct limiter *l;
	struct tier *base, *cond = NULL;
	int64_t now, wait, w2;
	double f;
	int q, i, better = 0, worse = 0;

	if (prio < 0)
		prio = 0;
	if (prio >= THROTTLE_PRIOS)
		prio = THROTTLE_PRIOS - 1;
	pthread_mutex_lock(&t->mu);
	now = throttle_now(t);
	l = limiter_get(t, action);
	for (i = 0; i < THROTTLE_PRIOS; i++)
		if (i != prio && l->prio_sent[i] != INT64_MIN &&
		    now - l->prio_sent[i] < THROTTLE_SECOND_NS) {
			if (i < prio)
				better = 1;
			else
				worse = 1;
		}
	base = &l->tiers[0];
	q = scaled(t, action_effective_qps(action_get(action), p));
	if (q < l->qps)
		cond = tier_get(l, q);
	f = limiter_factor(l, now);
	wait = tier_wait(base, f, now, better, worse);
	if (cond != NULL && (w2 = tier_wait(cond, f, now, better, worse)) > wait)
		wait = w2;
	if (l->blocked_until != INT64_MIN && now < l->blocked_until &&
	    l->blocked_until - now > wait)
		wait = l->blocked_until - now;
	if (wait == 0) {
		tier_record(base, f, now);
		if (cond != NULL)
			tier_record(cond, f, now);
		l->prio_sent[prio] = now;
		l->sent++;
	}
	pthread_mutex_unlock(&t->mu);
	return wait;
}

void
throttle_throttled(struct throttle *t, const char *action, int64_t retry_after_ns)
{
	struct limiter *l;
	int64_t now;
	double f;
	int i;

	pthread_mutex_lock(&t->mu);
	now = throttle_now(t);
	l = limiter_get(t, action);
	l->throttled++;
	if (l->cut_at == INT64_MIN || now - l->cut_at >= CUT_EVERY_NS) {
		f = limiter_factor(l, now) / 2;
		if (f < FACTOR_MIN)
			f = FACTOR_MIN;
		l->cut_factor = f;
		l->cut_at = now;
		/* Respace the pacers at the new rate from now on. */
		for (i = 0; i < l->ntiers; i++)
			if (l->tiers[i].tat != INT64_MIN && l->tiers[i].tat < now)
				l->tiers[i].tat = now;
	}
	if (retry_after_ns > 0) {
		if (retry_after_ns > RETRY_AFTER_MAX)
			retry_after_ns = RETRY_AFTER_MAX;
		if (l->blocked_until == INT64_MIN || now + retry_after_ns > l->blocked_until)
			l->blocked_until = now + retry_after_ns;
	}
	pthread_mutex_unlock(&t->mu);
}

static void
limiter_stats(const struct limiter *l, int64_t now, struct throttle_stats *out)
{
	const struct tier *tr = &l->tiers[0];
	int k;

	memset(out, 0, sizeof *out);
	out->documented_qps = l->qps;
	out->budget_qps = tier_rate(tr, limiter_factor(l, now));
	for (k = 1; k <= tr->log_n; k++)
		if (log_recent(tr, k) > now - THROTTLE_SECOND_NS)
			out->recent++;
	out->sent = l->sent;
	out->throttled = l->throttled;
	if (l->blocked_until != INT64_MIN && l->blocked_until > now)
		out->blocked_ns = l->blocked_until - now;
}

int
throttle_stats(struct throttle *t, const char *action, struct throttle_stats *out)
{
	struct limiter *l;
	int used;

	pthread_mutex_lock(&t->mu);
	l = limiter_find(t, action);
	used = l != NULL;
	if (l != NULL)
		limiter_stats(l, throttle_now(t), out);
	else {
		memset(out, 0, sizeof *out);
		out->documented_qps = scaled(t, action_effective_qps(action_get(action), NULL));
		out->budget_qps = out->documented_qps;
	}
	pthread_mutex_unlock(&t->mu);
	return used;
}

void
throttle_foreach(struct throttle *t,
    void (*fn)(void *arg, const char *action, const struct throttle_stats *st), void *arg)
{
	struct throttle_stats st;
	struct limiter *l;
	int64_t now;

	pthread_mutex_lock(&t->mu);
	now = throttle_now(t);
	for (l = t->limiters; l != NULL; l = l->next) {
		limiter_stats(l, now, &st);
		fn(arg, l->action, &st);
	}
	pthread_mutex_unlock(&t->mu);
}
