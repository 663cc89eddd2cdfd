/* test_throttle.c — the per-action budget, driven by a simulated clock: never more than
 * the documented QPS in any one-second window (every window, not aligned ones), the
 * deep-page tier, throughput close to the budget despite late wake-ups, the adaptive cut
 * on Throttling and its recovery, retry-after, a better priority served first within one
 * action's budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/actions.h"
#include "api/params.h"
#include "api/throttle.h"
#include "core/xmalloc.h"

#define MS (1000LL * 1000)
#define S  THROTTLE_SECOND_NS

static int64_t sim_now;

static int64_t
sim_clock(void *arg)
{
	(void)arg;
	return sim_now;
}

static const struct throttle_clock clk = { sim_clock, NULL };

/* A tiny deterministic PRNG (xorshift), so failures reproduce. */
static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Send times of one stream of requests. */
struct sends {
	int64_t *t;
	size_t   n, cap;
};

static void
sends_add(struct sends *s, int64_t t)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->t = xreallocarray(s->t, s->cap, sizeof *s->t);
	}
	s->t[s->n++] = t;
}

/* The most sends in any window [x, x+1s). The busiest windows start at a send, so
 * checking the window starting at each send checks every window. Times are sorted. */
static int
max_in_window(const struct sends *s)
{
	size_t i, j = 0;
	int best = 0;

	for (i = 0; i < s->n; i++) {
		if (j < i)
			j = i;
		while (j < s->n && s->t[j] < s->t[i] + S)
			j++;
		if ((int)(j - i) > best)
			best = (int)(j - i);
	}
	return best;
}

/* Drive one action as fast as the throttle allows for `secs` simulated seconds; each
 * wake-up is late by 0..late_ms. deep_every: every n-th request is a deep page (0: none). */
static void
drive(struct throttle *t, const char *action, int secs, int late_ms, int deep_every,
    struct sends *all, struct sends *deep)
{
	struct params shallow = PARAMS_INIT, deeper = PARAMS_INIT;
	int64_t end = sim_now + secs * S, w;
	unsigned k = 0;
	int is_deep;

	params_set(&shallow, "CurrentPage", "3");
	params_set(&shallow, "PageSize", "50");
	params_set(&deeper, "CurrentPage", "2000");
	params_set(&deeper, "PageSize", "50");
	while (sim_now < end) {
		is_deep = deep_every > 0 && k % (unsigned)deep_every == 0;
		w = throttle_take(t, action, is_deep ? &deeper : &shallow, 2);
		if (w == 0) {
			sends_add(all, sim_now);
			if (is_deep)
				sends_add(deep, sim_now);
			k++;
			/* Sometimes the next request is ready at once, sometimes a little later. */
			if (rng() % 3 == 0)
				sim_now += (int64_t)(rng() % 3000) * 1000;
			continue;
		}
		assert_true(w > 0);
		sim_now += w + (late_ms > 0 ? (int64_t)(rng() % (uint64_t)(late_ms * 1000)) * 1000 : 0);
	}
	params_free(&shallow);
	params_free(&deeper);
}

static void
test_never_exceeds_any_window(void **state)
{
	static const char *const actions[] = {
		"QueryDevice", "QueryProductList", "BatchQueryDeviceDetail",
		"CreateDeviceDynamicGroup", "NotAnAction", "QueryDeviceGroupList",
	};
	size_t i;
	int late;

	(void)state;
	for (i = 0; i < sizeof actions / sizeof actions[0]; i++)
		for (late = 0; late <= 7; late += 7) {
			struct throttle *t = throttle_new(&clk, 1.0);
			struct sends all = { 0 }, deep = { 0 };
			int qps = action_effective_qps(action_get(actions[i]), NULL);
			int deep_every = action_get(actions[i])->flags & ACTION_F_DEEP_PAGE_QPS2 ? 7 : 0;
			int m;

			sim_now = 1000 * S;
			drive(t, actions[i], 30, late, deep_every, &all, &deep);
			m = max_in_window(&all);
			if (m > qps)
				fail_msg("%s: %d requests in one second, limit %d", actions[i], m, qps);
			if (deep_every) {
				m = max_in_window(&deep);
				if (m > 2)
					fail_msg("%s deep pages: %d in one second, limit 2",
					    actions[i], m);
			}
			free(all.t);
			free(deep.t);
			throttle_free(t);
		}
}

/* Demand in random bursts (a pager submitting pages, a user pressing keys) at random
 * times, with random late wake-ups: still never over the limit. */
static void
test_random_demand(void **state)
{
	struct throttle *t = throttle_new(&clk, 1.0);
	struct sends all = { 0 };
	int64_t end, w;
	int pending = 0, round;

	(void)state;
	for (round = 0; round < 5; round++) {
		sim_now = 50 * S;
		free(all.t);
		memset(&all, 0, sizeof all);
		throttle_free(t);
		t = throttle_new(&clk, 1.0);
		end = sim_now + 60 * S;
		while (sim_now < end) {
			if (rng() % 50 == 0)
				pending += (int)(rng() % 120);
			if (pending == 0) {
				sim_now += (int64_t)(rng() % 200) * MS;
				continue;
			}
			w = throttle_take(t, "QueryDevice", NULL, 2);
			if (w == 0) {
				sends_add(&all, sim_now);
				pending--;
			} else
				sim_now += w + (int64_t)(rng() % 4000) * 1000;
		}
		assert_true(max_in_window(&all) <= 50);
	}
	free(all.t);
	throttle_free(t);
}

/* With late wake-ups of up to 3 ms the budget is still used: at least 97% of it. */
static void
test_throughput_close_to_budget(void **state)
{
	struct throttle *t = throttle_new(&clk, 1.0);
	struct sends all = { 0 }, deep = { 0 };
	int64_t start;

	(void)state;
	sim_now = 7 * S;
	start = sim_now;
	drive(t, "QueryDevice", 100, 3, 0, &all, &deep);
	/* 50 QPS for 100 s is 5000 requests. */
	if (all.n < 4850)
		fail_msg("only %zu requests in %lld s at 50 QPS", all.n,
		    (long long)((sim_now - start) / S));
	assert_true(max_in_window(&all) <= 50);
	free(all.t);
	free(deep.t);
	throttle_free(t);
}

/* Deep pages count against the action's budget too, and go at 2 QPS. */
static void
test_deep_tier(void **state)
{
	struct throttle *t = throttle_new(&clk, 1.0);
	struct sends all = { 0 }, deep = { 0 };

	(void)state;
	sim_now = 3 * S;
	drive(t, "QueryProductList", 20, 1, 1, &all, &deep);	/* every request deep */
	assert_true(max_in_window(&deep) <= 2);
	assert_true(deep.n >= 38 && deep.n <= 42);	/* 2 QPS for 20 s */
	free(all.t);
	free(deep.t);
	throttle_free(t);
}

/* The deep-page rule (CurrentPage x PageSize >= 100,000 goes at 2 QPS) at its edge and with
 * numbers too large for a long: no overflow (UBSan stopped on one, found by
 * fuzz_sim_gateway), and a huge page is deep. */
static void
test_deep_rule_edges(void **state)
{
	const struct action_info *a = action_get("QueryProductList");
	struct params p = PARAMS_INIT;

	(void)state;
	params_set(&p, "PageSize", "50");
	params_set(&p, "CurrentPage", "1999");	/* 99,950 */
	assert_true(action_effective_qps(a, &p) > 2);
	params_set(&p, "CurrentPage", "2000");	/* 100,000 */
	assert_int_equal(action_effective_qps(a, &p), 2);
	params_set(&p, "CurrentPage", "99999999999999999999999999999999999999");
	assert_int_equal(action_effective_qps(a, &p), 2);
	params_set(&p, "PageSize", "9223372036854775807");
	assert_int_equal(action_effective_qps(a, &p), 2);
	params_set(&p, "CurrentPage", "1");
	params_set(&p, "PageSize", "99999");
	assert_true(action_effective_qps(a, &p) > 2);
	params_free(&p);
}

/* A NextToken chain (priority 1: each page ready 40-70 ms after the one before was sent)
 * while background pages (priority 2) keep the budget full, with late wake-ups: after its
 * first second the chain (almost) never waits for the budget, the background still gets
 * the rest of it, and no window holds more than the limit. */
static void
test_better_priority_takes_the_next_slot(void **state)
{
	struct throttle *t = throttle_new(&clk, 1.0);
	struct sends all = { 0 };
	int64_t start, end, chain_ready, bg_next, w, waited = 0;
	int chain = 0, bg = 0;

	(void)state;
	sim_now = 20 * S;
	start = sim_now;
	end = sim_now + 30 * S;
	chain_ready = sim_now;
	bg_next = sim_now;
	while (sim_now < end) {
		if (sim_now >= chain_ready) {
			w = throttle_take(t, "QueryDevice", NULL, 1);
			if (w == 0) {
				sends_add(&all, sim_now);
				chain++;
				chain_ready = sim_now + (40 + (int64_t)(rng() % 31)) * MS;
			} else {
				if (sim_now - start > S)
					waited += w;
				chain_ready = sim_now + w;
			}
		}
		while (sim_now >= bg_next) {
			w = throttle_take(t, "QueryDevice", NULL, 2);
			if (w == 0) {
				sends_add(&all, sim_now);
				bg++;
			} else
				bg_next = sim_now + w + (int64_t)(rng() % 3000) * 1000;
		}
		sim_now = chain_ready < bg_next ? chain_ready : bg_next;
	}
	/* About 12 ms a page when both had the same priority; now almost never. */
	if (waited / chain > 500 * 1000)
		fail_msg("%d chain pages waited %lld ms for the budget", chain,
		    (long long)(waited / MS));
	assert_true(max_in_window(&all) <= 50);
	assert_true(chain >= 30 * 1000 / 70);
	if (all.n < 30 * 50 * 97 / 100)	/* the budget is still used */
		fail_msg("%zu requests (%d chain, %d background) in 30 s at 50 QPS", all.n,
		    chain, bg);
	free(all.t);
	throttle_free(t);
}

static int
count_sends(struct throttle *t, const char *action, int64_t span)
{
	int64_t end = sim_now + span, w;
	int n = 0;

	while (sim_now < end) {
		w = throttle_take(t, action, NULL, 2);
		if (w == 0)
			n++;
		else
			sim_now += w;
	}
	return n;
}

static void
test_adapts_and_recovers(void **state)
{
	struct throttle *t = throttle_new(&clk, 1.0);
	struct throttle_stats st;
	int n;

	(void)state;
	sim_now = 100 * S;
	assert_int_equal(throttle_stats(t, "QueryDevice", &st), 0);
	assert_int_equal(st.documented_qps, 50);
	n = count_sends(t, "QueryDevice", 2 * S);
	assert_true(n >= 95 && n <= 100);

	/* A burst of Throttling answers is one signal: one halving. */
	throttle_throttled(t, "QueryDevice", 0);
	throttle_throttled(t, "QueryDevice", 0);
	throttle_throttled(t, "QueryDevice", 0);
	assert_int_equal(throttle_stats(t, "QueryDevice", &st), 1);
	assert_true(st.budget_qps > 24.9 && st.budget_qps < 25.1);
	assert_int_equal(st.throttled, 3);
	n = count_sends(t, "QueryDevice", S);
	assert_true(n <= 30);	/* about 25, recovering by 5 QPS per second */

	/* Two seconds later another one halves again. */
	sim_now += S;
	throttle_throttled(t, "QueryDevice", 0);
	throttle_stats(t, "QueryDevice", &st);
	assert_true(st.budget_qps < 20);

	/* Ten quiet seconds bring it back to the documented rate. */
	sim_now += 10 * S;
	throttle_stats(t, "QueryDevice", &st);
	assert_true(st.budget_qps > 49.9);
	n = count_sends(t, "QueryDevice", 2 * S);
	assert_true(n >= 95 && n <= 100);
	/* Other actions were never affected. */
	throttle_stats(t, "QueryProductList", &st);
	assert_true(st.budget_qps > 49.9);
	throttle_free(t);
}

static void
test_retry_after(void **state)
{
	struct throttle *t = throttle_new(&clk, 1.0);
	struct throttle_stats st;
	int64_t w;

	(void)state;
	sim_now = 5 * S;
	assert_int_equal(throttle_take(t, "QueryDeviceDetail", NULL, 0), 0);
	throttle_throttled(t, "QueryDeviceDetail", 1500 * MS);
	w = throttle_take(t, "QueryDeviceDetail", NULL, 0);
	assert_true(w >= 1499 * MS && w <= 1500 * MS);
	throttle_stats(t, "QueryDeviceDetail", &st);
	assert_true(st.blocked_ns > 0);
	sim_now += w;
	assert_int_equal(throttle_take(t, "QueryDeviceDetail", NULL, 0), 0);
	throttle_free(t);
}

static void
test_scale_and_stats(void **state)
{
	struct throttle *t = throttle_new(&clk, 10.0);
	struct throttle_stats st;
	int n;

	(void)state;
	sim_now = 9 * S;
	/* An undocumented action is treated as 1 QPS (times the scale). */
	n = count_sends(t, "NoSuchAction", S);
	assert_int_equal(n, 10);
	throttle_stats(t, "NoSuchAction", &st);
	assert_int_equal(st.documented_qps, 10);
	assert_true(st.recent >= 9 && st.recent <= 10);
	assert_int_equal(st.sent, 10);
	throttle_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_exceeds_any_window),
		cmocka_unit_test(test_random_demand),
		cmocka_unit_test(test_throughput_close_to_budget),
		cmocka_unit_test(test_better_priority_takes_the_next_slot),
		cmocka_unit_test(test_deep_tier),
		cmocka_unit_test(test_deep_rule_edges),
		cmocka_unit_test(test_adapts_and_recovers),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_scale_and_stats),
	};

	return cmocka_run_group_tests_name("throttle", tests, NULL, NULL);
}
