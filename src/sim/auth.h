/* auth.h — the simulator's AccessKeys and the gateway's signature checks.
 *
 * Two request styles are accepted, as the real gateway does:
 *   v1  HMAC-SHA1 over the merged query and form parameters (guide 4.5), with
 *       AccessKeyId, Signature, SignatureMethod, SignatureVersion, Timestamp,
 *       SignatureNonce among the parameters;
 *   v3  "Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=.."
 *       with x-acs-date, x-acs-signature-nonce and x-acs-content-sha256 headers.
 * A v3 signature must cover host, every x-acs-* header sent and content-type when one is
 * sent (the V3 rules: otherwise the date, the nonce or the action could be swapped under a
 * captured signature); a request that leaves one out is refused with IncompleteSignature.
 * Timestamps may be off by SIM_AUTH_SKEW seconds either way; a nonce may be used once per
 * AccessKey (remembered for twice the skew, after which its timestamp is stale anyway).
 * Nonces are at most SIM_AUTH_MAX_NONCE bytes, and at most SIM_AUTH_MAX_NONCES of them are
 * remembered at once: memory stays bounded whatever is sent.
 *
 * An AccessKeyId starting "STS." is an STS credential (sts.h): its SecurityToken (v1: the
 * parameter SecurityToken, covered by the signature like every parameter; v3: the header
 * x-acs-security-token, which SignedHeaders must then list as every x-acs-* header) must
 * be the one issued with it and not expired, before the signature is checked with its
 * AccessKeySecret.
 */
#ifndef IOTDECK_SIM_AUTH_H
#define IOTDECK_SIM_AUTH_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "sim/reply.h"
#include "sim/request.h"
#include "sim/sts.h"

/* The documented demo key, enabled unless --no-demo-key. */
#define SIM_DEMO_KEY_ID     "iotdeck-demo-key"
#define SIM_DEMO_KEY_SECRET "iotdeck-demo-secret"
/* Allowed clock skew, seconds (15 minutes). */
#define SIM_AUTH_SKEW 900
/* Longest SignatureNonce accepted, bytes. No length is documented; the guide's examples
 * are 14 digits (4.4) and a 36-character UUID (4.5), the SDKs send 32 hex digits. */
#define SIM_AUTH_MAX_NONCE 128
/* Most nonces remembered at once (each costs about 64 bytes); when full, requests are
 * answered 503 ServiceUnavailable until the oldest expire. */
#define SIM_AUTH_MAX_NONCES (1u << 20)

struct sim_auth;

/* Who sent an authenticated request. */
struct sim_caller {
	char akid[SIM_STS_ID_MAX];	/* its AccessKeyId */
	char account[SIM_STS_ID_MAX];	/* the key whose account it is (flow control): akid,
					   or for an STS credential the key that assumed the role */
};

/* Returns an empty key set with an empty STS (caller frees with sim_auth_free). */
struct sim_auth *sim_auth_new(void);
void sim_auth_free(struct sim_auth *a);
/* The STS whose credentials a is checking (owned by a). */
struct sim_sts *sim_auth_sts(struct sim_auth *a);
/* Adds (or replaces) a key. Returns 0, or -1 with *cause set for an empty id/secret, an
 * id of SIM_STS_ID_MAX characters or more, or one starting "STS." (STS credentials come
 * from sts.h). */
int sim_auth_add_key(struct sim_auth *a, const char *id, const char *secret, char **cause);
/* Adds a key given as "ID:SECRET" (--access-key). */
int sim_auth_add_key_spec(struct sim_auth *a, const char *spec, char **cause);
/* Reads the lines of f (closing it): trailing blanks and CR dropped, empty lines and '#'
 * comments skipped, each other line given to each(arg, line, &why); the first refusal
 * stops with *cause "label:LINE: why". Every line is wiped from memory afterwards (they
 * hold secrets). Returns 0 or -1. */
int sim_read_secret_lines(FILE *f, const char *label,
    int (*each)(void *arg, const char *line, char **cause), void *arg, char **cause);

/* Loads a keys file: one key a line, "ID:SECRET" or "ID SECRET"; blank lines and lines
 * starting with '#' are skipped. Errors name the file and line. */
int sim_auth_load_keys(struct sim_auth *a, const char *path, char **cause);
/* Loads keys in the same format from the open descriptor fd (--keys-fd), read to its end
 * and closed. Errors name "fd N" and the line. */
int sim_auth_load_keys_fd(struct sim_auth *a, int fd, char **cause);
/* Lowers the number of nonces remembered at once (SIM_AUTH_MAX_NONCES by default). For
 * tests. */
void sim_auth_set_max_nonces(struct sim_auth *a, size_t n);
/* Number of keys. */
size_t sim_auth_key_count(const struct sim_auth *a);

/* Parses an ISO 8601 UTC time "YYYY-MM-DDTHH:MM:SSZ" (fraction allowed). Returns 0 and
 * sets *t, or -1. */
int sim_auth_parse_time(const char *s, time_t *t);

/* The fields of a v3 Authorization header. */
struct sim_auth_v3 {
	char          *credential;	/* Credential= (the AccessKeyId) */
	char          *signature;	/* Signature= (hex) */
	struct params  signed_headers;	/* SignedHeaders= names, in order (values empty) */
};

/* Parses "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=.." into *v (free
 * with sim_auth_v3_free, also after a failure). Returns 0, or -1 with err set
 * (InvalidSignatureMethod for another algorithm, IncompleteSignature for a missing or
 * empty field). */
int sim_auth_v3_parse(const char *authz, struct sim_auth_v3 *v, struct sim_error *err);
void sim_auth_v3_free(struct sim_auth_v3 *v);
/* Checks that v's SignedHeaders cover what the V3 rules require of r: host, every x-acs-*
 * header sent and content-type when sent. Returns 0, or -1 with err set to
 * IncompleteSignature naming the first header left out. */
int sim_auth_v3_covers(const struct sim_auth_v3 *v, const struct sim_request *r,
    struct sim_error *err);

/* Checks r's signature (and an STS credential's token) at time now (real wall-clock
 * seconds). On success returns 0 and fills *who. On failure returns -1 and fills err with
 * the gateway's code and HTTP status. Thread-safe. */
int sim_auth_check(struct sim_auth *a, const struct sim_request *r, time_t now,
    struct sim_caller *who, struct sim_error *err);

#endif
