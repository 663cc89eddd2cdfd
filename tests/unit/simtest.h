/* simtest.h — what the simulator's unit tests share: a request signed as a client signs it
 * (signature v1), the NAME=VALUE lists they write calls with, and reading an answer. */
#ifndef IOTDECK_SIMTEST_H
#define IOTDECK_SIMTEST_H

#include <stdarg.h>

#include <cjson/cJSON.h>

#include "api/params.h"
#include "sim/request.h"

/* Fills r (initialised here; the caller frees it with sim_request_free) with a POST of
 * ACTION and the form parameters extra, signed v1 with key_id and secret, a fresh nonce
 * and the current time. */
void simtest_sign(struct sim_request *r, const char *action, const struct params *extra,
    const char *key_id, const char *secret);
/* Adds to p the "Name=value" strings of ap, up to a NULL. */
void simtest_params_va(struct params *p, va_list ap);
/* 1 when the answer says Success: true. */
int simtest_ok(const cJSON *r);
/* The answer's Code, or "". */
const char *simtest_code(const cJSON *r);

#endif
