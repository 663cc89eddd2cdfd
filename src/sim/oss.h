/* oss.h — the simulator's stand-in for the OSS bucket behind GenerateOTAUploadURL.
 *
 * GenerateOTAUploadURL hands out a Host served by the simulator itself ("/oss" on its own
 * address), a Key, a base64 Policy (expiration one minute ahead, the key, a size limit)
 * and Signature = base64(HMAC-SHA1(bucket secret, Policy)), with OSSAccessKeyId
 * SIM_OSS_ACCESS_KEY_ID. A PostObject form upload to that host is checked like OSS does
 * (signature, expiration, key) and recorded (size and MD5; the bytes are not kept), so
 * CreateOTAFirmware can fill FirmwareSize and FirmwareSign from it.
 *
 * The form arrives in pieces (libmicrohttpd's multipart parser hands them over, see
 * server.c): a sim_oss_form gathers the fields, each in a growing buffer, and streams the
 * file through MD5, refusing a form over OSS's limits as soon as it goes over them.
 *
 * The bucket belongs to a struct sim (sim.h) and runs under its lock; it uses its store
 * only for the random names of uploads (the store knows nothing of it).
 */
#ifndef IOTDECK_SIM_OSS_H
#define IOTDECK_SIM_OSS_H

#include <stddef.h>
#include <stdint.h>

#include "api/params.h"
#include "sim/store.h"

#define SIM_OSS_ACCESS_KEY_ID "iotdeck-sim-oss"
#define SIM_OSS_PATH "/oss"
/* Largest object accepted (OSS PostObject allows 5 GB; OTA packages 2,000 MB: guide
 * 4.20.1, the size limit of GenerateOTAUploadURL's upload). */
#define SIM_OSS_MAX_SIZE (2000ULL * 1024 * 1024)
/* A device-list file (GenerateDeviceNameListURL, guide 4.20.2): at most 5 MB; its bytes
 * are kept (an OTA package's never are) for CreateOTAStaticUpgradeJob's DnListFileUrl. */
#define SIM_OSS_MAX_DNLIST (5u << 20)
/* OSS's limits of a PostObject form (OSS's error pages 0006-00000110..112): a field value
 * at most 2 MB, the values of the fields before the file at most 8 MB in all. */
#define SIM_OSS_MAX_FIELD (2u << 20)
#define SIM_OSS_MAX_FIELDS (8u << 20)

/* The simulated bucket: its secret, the uploads it remembers, its size limit. */
struct sim_oss;

/* A new bucket with a random secret; s's generator names its uploads (oss -> store). */
struct sim_oss *sim_oss_new(struct sim_store *s);
/* Frees a bucket (wiping its secret; not the store). */
void sim_oss_free(struct sim_oss *o);

/* An upload URL: the caller frees every string with sim_oss_url_free. */
struct sim_oss_url {
	char *host;	/* e.g. "http://127.0.0.1:8080/oss" */
	char *key;	/* object key, "ota/<random>/<name>.<suffix>" */
	char *policy;	/* base64 policy document */
	char *signature;	/* base64 HMAC-SHA1 of the policy */
	char *url;	/* host + "/" + key */
};

/* Makes an upload URL for a file with this suffix on the simulator reached at
 * base ("http://HOST:PORT"). Simulator locked (sim_lock). */
void sim_oss_url_make(struct sim_oss *o, const char *base, const char *dir,
    const char *suffix, struct sim_oss_url *u);
void sim_oss_url_free(struct sim_oss_url *u);
/* Lowers the largest object accepted (the upload policy's content-length-range and the
 * check of a finished upload) below SIM_OSS_MAX_SIZE: --ota-max-upload-mb, so that a test
 * can go over it without writing 2 GB. Simulator locked (sim_lock) (or not yet shared). */
void sim_oss_set_max_size(struct sim_oss *o, uint64_t bytes);

/* Checks a finished PostObject upload with the form fields f (key, policy,
 * OSSAccessKeyId, signature, success_action_status) of an object of size bytes with MD5
 * md5hex. Records it when valid. Returns the HTTP status to answer and sets *body (caller
 * frees: empty, or OSS's XML error). Simulator locked (sim_lock). */
int sim_oss_finish(struct sim_oss *o, const struct params *f, uint64_t size,
    const char *md5hex, int have_file, char **body);
/* A PostObject form being received. */
struct sim_oss_form;

/* A new form whose file may be at most max_file bytes (SIM_OSS_MAX_SIZE; tests set less). */
struct sim_oss_form *sim_oss_form_new(uint64_t max_file);
void sim_oss_form_free(struct sim_oss_form *f);
/* Takes one piece of one part of the form: key is the field name, filename set for a
 * file part, data[0..size) the piece at offset off of the part's value (off == 0 starts
 * a new part). Returns 0, or -1 once the form is refused (a value, the fields or the file
 * over the limits above); later pieces are then ignored. */
int sim_oss_form_part(struct sim_oss_form *f, const char *key, const char *filename,
    const char *data, uint64_t off, size_t size);
/* Marks the form malformed (the multipart body did not parse). */
void sim_oss_form_malformed(struct sim_oss_form *f);
/* Bytes of field values held so far (not the file, which is never kept). */
size_t sim_oss_form_held(const struct sim_oss_form *f);
/* Ends the form: a refused or malformed form gets OSS's error, a complete one goes to
 * sim_oss_finish. Returns the HTTP status, sets *body (caller frees) and md5hex (the
 * file's MD5, for the ETag header). Simulator locked (sim_lock). */
int sim_oss_form_finish(struct sim_oss *o, struct sim_oss_form *f, char **body,
    char md5hex[33]);
/* OSS's XML error document with this code and message (caller frees). */
char *sim_oss_error(const char *code, const char *msg);
/* The Signature OSS expects for a policy document (base64), as GenerateOTAUploadURL
 * computes it. Caller frees. Simulator locked (sim_lock). For tests and the fuzz target. */
char *sim_oss_sign(struct sim_oss *o, const char *policy);

/* Finds an uploaded object by its URL (anything ending in "/oss/" KEY); returns 1 and
 * sets *size and md5 (33 bytes) when found. Simulator locked (sim_lock). */
int sim_oss_lookup(struct sim_oss *o, const char *url, uint64_t *size, char md5[33]);
/* Finds an uploaded device-list file (a key under "dn/") by its URL; returns 1 and sets
 * *data (owned by the bucket, NUL-terminated) and *len when found. Simulator locked (sim_lock). */
int sim_oss_lookup_data(struct sim_oss *o, const char *url, const char **data, size_t *len);

#endif
