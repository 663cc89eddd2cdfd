/* sts.h — the STS AssumeRole client: a RAM role's temporary credential.
 *
 * STS is an RPC API of its own (version 2015-04-01, default endpoint
 * https://sts.aliyuncs.com), signed like IoT's v1. AssumeRole takes RoleArn,
 * RoleSessionName and DurationSeconds and answers
 *   {"RequestId":..., "AssumedRoleUser":{...}, "Credentials":{"AccessKeyId":"STS....",
 *    "AccessKeySecret":..., "SecurityToken":..., "Expiration":"2026-12-01T11:00:00Z"}}
 * or a gateway error (NoPermission, EntityNotExist.Role, InvalidParameter.*, ...).
 * The answer holds a secret and a token: its bytes are wiped, and no part of a
 * malformed answer ever appears in a message.
 *
 * A struct sts_role is what a ram_role profile asks for plus the AccessKey that asks;
 * sts_role_renewable() turns it into a renewable credential (api/client.h) that the
 * configuration signs with. The AccessKey that assumes the role stays in guarded memory
 * there for the session, to renew.
 */
#ifndef IOTDECK_STS_H
#define IOTDECK_STS_H

#include <stdint.h>
#include <stdio.h>

#include "api/client.h"
#include "api/response.h"
#include "core/secret.h"

/* STS's one action here (not an IoT action: it is not in the IoT action table). */
#define STS_ACTION_ASSUME_ROLE	"AssumeRole"
#define STS_API_VERSION		"2015-04-01"
#define STS_DEFAULT_ENDPOINT	"https://sts.aliyuncs.com"
/* The environment variable that overrides the default endpoint (a profile's own
 * sts_endpoint outranks it). */
#define STS_ENV_ENDPOINT	"IOTDECK_STS_ENDPOINT"
#define STS_DEFAULT_SESSION_NAME "iotdeck"
#define STS_DEFAULT_DURATION_S	3600
#define STS_MIN_DURATION_S	900
#define STS_MAX_DURATION_S	43200

/* A role to assume and the AccessKey that assumes it. Owned by whoever holds it
 * (sts_role_free). */
struct sts_role {
	char		*profile;	/* the profile's name (messages) */
	char		*role_arn;	/* acs:ram::ACCOUNT:role/NAME */
	char		*session_name;	/* RoleSessionName */
	int		 duration_s;	/* DurationSeconds asked for */
	char		*endpoint;	/* STS endpoint URL, checked (api_endpoint_check) */
	int		 endpoint_loopback;	/* it is on this machine (no proxy, http ok) */
	char		*access_key_id;	/* the AccessKey that assumes the role */
	struct secret	*access_key_secret;	/* its secret, guarded */
	char		*cacert;	/* extra CA bundle, or NULL */
	long		 timeout_ms;	/* whole-request timeout */
	long		 connect_timeout_ms;	/* connection timeout */
	FILE		*trace;		/* --verbose trace (redacted), or NULL */
};

/* 1 when arn is a RAM role's ARN: acs:ram::ACCOUNT:role/NAME, ACCOUNT 1 to 32 digits,
 * NAME 1 to 64 of [A-Za-z0-9._-] (as iotdeck-sim checks it). */
int sts_role_arn_valid(const char *arn);
/* 1 when s is a RoleSessionName: 2-64 characters of [A-Za-z0-9.@_-]. */
int sts_session_name_valid(const char *s);

/* Fills in r's defaults and checks it: session name ("iotdeck"), duration (3600, must
 * be 900..43200), endpoint (given, else $IOTDECK_STS_ENDPOINT, else the default; checked
 * and normalised by api_endpoint_check). endpoint_opt is the profile's sts_endpoint or
 * NULL. Returns 0, or -1 with a caller-freed, display-safe *cause. */
int sts_role_prepare(struct sts_role *r, const char *endpoint_opt, char **cause);
/* Wipes and frees r; NULL is fine. */
void sts_role_free(struct sts_role *r);

/* Reads an AssumeRole answer (HTTP status http, body[0..len)) into *out (zeroed on
 * entry; the secret in guarded memory; expiry from Expiration). On success returns
 * API_OK. Otherwise returns the failure and fills err: a gateway error as
 * api_response_classify reads it, or API_ERR_BAD_RESPONSE with a message that says what
 * is missing or wrong and holds nothing of the answer's text. */
enum api_status sts_parse_answer(long http, const char *body, size_t len,
    struct api_cred *out, struct api_error *err);

/* Sends AssumeRole for r and reads the answer into *out (see sts_parse_answer).
 * Blocks until the answer or r->timeout_ms. */
enum api_status sts_assume_role(const struct sts_role *r, struct api_cred *out,
    struct api_error *err);

/* An api_renew_fn whose argument is a struct sts_role: AssumeRole; the cause names the
 * role, the endpoint and the error. */
int sts_renew(void *role, struct api_cred *out, char **cause);
/* A renewable credential that assumes r (taken over; freed with the renewable), without
 * a value yet (api_renewable_refresh gets the first). */
struct api_renewable *sts_role_renewable(struct sts_role *r);

#endif
