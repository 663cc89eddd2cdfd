/* sts.h — the simulator's STS: AssumeRole (API version 2015-04-01) and the temporary
 * credentials it issues, which every request signed with an "STS." AccessKeyId is checked
 * against.
 *
 * Roles: with none given (--role), every well-formed ARN (acs:ram::DIGITS:role/NAME)
 * exists and every key may assume it; with some given, only those exist
 * (EntityNotExist.Role), and a role given as "ARN=ID,ID..." may be assumed only by those
 * AccessKeyIds (NoPermission otherwise). A credential's lifetime is DurationSeconds
 * (900..43200, default 3600), capped by --sts-max-duration. Expiry is on the real wall
 * clock, never on the world's scaled clock: clients compare Expiration with real time.
 */
#ifndef IOTDECK_SIM_STS_H
#define IOTDECK_SIM_STS_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "api/actions.h"
#include "api/params.h"
#include "sim/reply.h"

/* The STS API version; a request with Version (v1) or x-acs-version (v3) equal to it is
 * an STS call. */
#define SIM_STS_VERSION "2015-04-01"
/* The one STS action served (not an IoT action: no ACT_ macro). */
#define STS_ACTION_ASSUME_ROLE "AssumeRole"
/* AssumeRole's flow control, requests per second per account: no figure is documented,
 * 100 is the brief's. */
#define SIM_STS_QPS 100
/* Most issued credentials held at once; past it the expired ones, then the ones nearest
 * their expiry, are dropped (those preloaded with --sts-token never are). */
#define SIM_STS_MAX_CREDS 10000
/* The AccessKeyId prefix of every STS credential. */
#define SIM_STS_PREFIX "STS."
/* Longest AccessKeyId kept for a caller (ids are refused past it). */
#define SIM_STS_ID_MAX 128
/* DurationSeconds: allowed range and default. */
#define SIM_STS_MIN_DURATION 900
#define SIM_STS_MAX_DURATION 43200
#define SIM_STS_DEFAULT_DURATION 3600

struct sim_sts;

/* Returns an STS with no roles (any well-formed ARN exists), no cap, no credentials. */
struct sim_sts *sim_sts_new(void);
/* Wipes the secrets and tokens and frees s. NULL is a no-op. */
void sim_sts_free(struct sim_sts *s);

/* Adds a role (--role): "ARN" (any key may assume it) or "ARN=ID[,ID...]" (only these
 * AccessKeyIds). Returns 0, or -1 with *cause set for a malformed ARN or id list. */
int sim_sts_add_role(struct sim_sts *s, const char *spec, char **cause);
/* Caps a granted credential's lifetime at seconds (--sts-max-duration; 0 = no cap). */
void sim_sts_set_max_duration(struct sim_sts *s, long seconds);
/* Lowers the number of credentials held (SIM_STS_MAX_CREDS by default). For tests. */
void sim_sts_set_max_creds(struct sim_sts *s, size_t n);
/* Credentials held now (issued and preloaded, expired ones included until dropped). */
size_t sim_sts_count(struct sim_sts *s);

/* Preloads a credential "ID:SECRET:TOKEN:SECONDS" (--sts-token): valid SECONDS after now
 * (0 or negative: already expired). ID must start with "STS."; TOKEN may contain ':'.
 * Returns 0, or -1 with *cause set (never quoting the secret or the token). */
int sim_sts_add_token_spec(struct sim_sts *s, const char *spec, time_t now, char **cause);
/* Preloads the credentials of a file, one ID:SECRET:TOKEN:SECONDS a line (blank lines and
 * '#' comments skipped). Errors are "FILE:LINE: message". */
int sim_sts_load_tokens(struct sim_sts *s, const char *path, time_t now, char **cause);

/* 1 when akid names an STS credential ("STS." prefix). */
int sim_sts_is_key(const char *akid);
/* Checks an STS credential at now: token (NULL or "" when the request sent none) must be
 * the one issued with akid and not expired. On success returns 0, sets *secret to a copy
 * of its AccessKeySecret (the caller wipes and frees it) and copies to account the
 * AccessKeyId whose account it is (the key that assumed the role; akid itself for a
 * preloaded one). Otherwise -1 and err: MissingSecurityToken,
 * InvalidSecurityToken.Malformed, InvalidSecurityToken.MismatchWithAccessKey or
 * InvalidSecurityToken.Expired (all 400). Thread-safe. */
int sim_sts_check(struct sim_sts *s, const char *akid, const char *token, time_t now,
    char **secret, char account[SIM_STS_ID_MAX], struct sim_error *err);

/* The row the throttle uses for an STS action (AssumeRole at SIM_STS_QPS), or NULL for
 * any other name. */
const struct action_info *sim_sts_action(const char *name);
/* Answers AssumeRole with parameters p for the caller akid (authenticated; account is
 * its account's key, see sim_sts_check) at now: adds AssumedRoleUser and Credentials to
 * out and returns 0, or returns -1 with err set (MissingRoleArn, InvalidParameter.RoleArn,
 * MissingRoleSessionName, InvalidParameter.RoleSessionName,
 * InvalidParameter.DurationSeconds, InvalidParameter.PolicyGrammar: 400;
 * EntityNotExist.Role: 404; NoPermission: 403). Thread-safe. */
int sim_sts_assume_role(struct sim_sts *s, const struct params *p, const char *akid,
    const char *account, time_t now, cJSON *out, struct sim_error *err);

/* Formats t as ISO 8601 UTC to the second: "2026-12-01T11:00:00Z". */
void sim_sts_fmt_time(time_t t, char out[24]);

#endif
