/* fault.h — fault injection for testing clients (--latency-ms, --jitter-ms, --fault-rate,
 * --fault-kinds).
 *
 * Every request waits latency + a uniform share of jitter. With probability rate a
 * request gets one of the enabled faults, drawn from a generator seeded with --seed, so a
 * run with the same requests in the same order sees the same faults. Faults never change
 * state behind the client's back; the x-iotdeck-sim-fault response header (when headers
 * are sent at all) says "KIND; applied=0|1":
 *   5xx        503 ServiceUnavailable or 500 InternalError   the request was NOT executed
 *   throttle   400 Throttling with x-acs-retry-after          NOT executed
 *   reset      the connection is reset, no answer             executed
 *   truncate   the body stops half way (Content-Length lies)  executed
 *   malformed  200 with a body that is not valid JSON          executed
 *   drip       the correct answer, a few bytes at a time       executed
 */
#ifndef IOTDECK_SIM_FAULT_H
#define IOTDECK_SIM_FAULT_H

#include <stdint.h>

enum sim_fault {
	SIM_FAULT_NONE = 0,
	SIM_FAULT_5XX = 1 << 0,
	SIM_FAULT_THROTTLE = 1 << 1,
	SIM_FAULT_RESET = 1 << 2,
	SIM_FAULT_TRUNCATE = 1 << 3,
	SIM_FAULT_MALFORMED = 1 << 4,
	SIM_FAULT_DRIP = 1 << 5
};
#define SIM_FAULT_ALL 0x3Fu

struct sim_faults;

/* Returns a fault injector (kinds: a mask of enum sim_fault). */
struct sim_faults *sim_faults_new(uint64_t seed, double rate, unsigned kinds, int latency_ms,
    int jitter_ms);
void sim_faults_free(struct sim_faults *f);
/* Parses a --fault-kinds list ("5xx,reset,..." or "all") into *kinds. Returns 0 or -1
 * with *cause set. */
int sim_faults_parse_kinds(const char *list, unsigned *kinds, char **cause);
/* The fault for the next request (SIM_FAULT_NONE mostly) and, in *delay_ms, how long to
 * wait before answering. Thread-safe. */
enum sim_fault sim_faults_next(struct sim_faults *f, int *delay_ms);
/* The name of a fault kind ("5xx", "reset", ...). */
const char *sim_fault_name(enum sim_fault k);
/* 1 when a fault of kind k leaves the request executed. */
int sim_fault_applies(enum sim_fault k);

#endif
