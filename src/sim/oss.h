/* oss.h — the simulator's stand-in for the OSS bucket behind GenerateOTAUploadURL.
 *
 * GenerateOTAUploadURL hands out a Host served by the simulator itself ("/oss" on its own
 * address), a Key, a base64 Policy (expiration one minute ahead, the key, a size limit)
 * and Signature = base64(HMAC-SHA1(bucket secret, Policy)), with OSSAccessKeyId
 * SIM_OSS_ACCESS_KEY_ID. A PostObject form upload to that host is checked like OSS does
 * (signature, expiration, key) and recorded (size and MD5; the bytes are not kept), so
 * CreateOTAFirmware can fill FirmwareSize and FirmwareSign from it.
 */
#ifndef IOTDECK_SIM_OSS_H
#define IOTDECK_SIM_OSS_H

#include <stddef.h>
#include <stdint.h>

#include "api/params.h"
#include "sim/store.h"

#define SIM_OSS_ACCESS_KEY_ID "iotdeck-sim-oss"
#define SIM_OSS_PATH "/oss"
/* Largest object accepted (OSS PostObject allows 5 GB; OTA packages 2,000 MB). */
#define SIM_OSS_MAX_SIZE (2000ULL * 1024 * 1024)

/* An upload URL: the caller frees every string with sim_oss_url_free. */
struct sim_oss_url {
	char *host;	/* e.g. "http://127.0.0.1:8080/oss" */
	char *key;	/* object key, "ota/<random>/<name>.<suffix>" */
	char *policy;	/* base64 policy document */
	char *signature;	/* base64 HMAC-SHA1 of the policy */
	char *url;	/* host + "/" + key */
};

/* Makes an upload URL for a file with this suffix on the simulator reached at
 * base ("http://HOST:PORT"). Store locked. */
void sim_oss_url_make(struct sim_store *s, const char *base, const char *dir,
    const char *suffix, struct sim_oss_url *u);
void sim_oss_url_free(struct sim_oss_url *u);

/* Checks a finished PostObject upload with the form fields f (key, policy,
 * OSSAccessKeyId, signature, success_action_status) of an object of size bytes with MD5
 * md5hex. Records it when valid. Returns the HTTP status to answer and sets *body (caller
 * frees: empty, or OSS's XML error). Store locked. */
int sim_oss_finish(struct sim_store *s, const struct params *f, uint64_t size,
    const char *md5hex, int have_file, char **body);
/* Finds an uploaded object by its URL (anything ending in "/oss/" KEY); returns 1 and
 * sets *size and md5 (33 bytes) when found. Store locked. */
int sim_oss_lookup(struct sim_store *s, const char *url, uint64_t *size, char md5[33]);

#endif
