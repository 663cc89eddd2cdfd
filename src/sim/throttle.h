/* throttle.h — the gateway's per-account, per-action flow control.
 *
 * One token bucket per (AccessKeyId, action, tier): its rate is the action table's QPS
 * (action_effective_qps, so QueryDevice and QueryProductList deep pages use a separate
 * 2 QPS bucket) times the --qps-scale factor, and it holds at most one second's worth
 * of tokens (never less than one).
 */
#ifndef IOTDECK_SIM_THROTTLE_H
#define IOTDECK_SIM_THROTTLE_H

#include "api/actions.h"
#include "api/params.h"

struct sim_throttle;

/* Returns a throttle with every limit multiplied by scale (> 0). */
struct sim_throttle *sim_throttle_new(double scale);
void sim_throttle_free(struct sim_throttle *t);
/* Takes a token for one request of action a with parameters p by akid at time now
 * (seconds, monotonic). Returns 0 when allowed, or the milliseconds until a token is
 * available when the request must be refused. Thread-safe. */
long sim_throttle_take(struct sim_throttle *t, const char *akid,
    const struct action_info *a, const struct params *p, double now);
/* The rate (requests per second) that applies to that request. */
double sim_throttle_rate(const struct sim_throttle *t, const struct action_info *a,
    const struct params *p);

#endif
