/* ota_post.h — the two pieces of a firmware upload that touch the file: its size and
 * digest (OpenSSL EVP, streamed), and the OSS PostObject to the Host of an upload URL
 * answer (libcurl's MIME API). They print nothing and say how they went, so that
 * `iotdeck ota upload` / `ota upgrade` (cli/ota_upload.c: a progress bar on stderr) and
 * the console's upload thread (ui/fwupload.c: progress published to the UI thread) use
 * the same code. Both may run on any thread; they share no state.
 */
#ifndef IOTDECK_OTA_POST_H
#define IOTDECK_OTA_POST_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* How a digest or a PostObject went. */
enum ota_post_status {
	OTA_POST_OK = 0,	/* done */
	OTA_POST_STOPPED,	/* the caller's callback asked to stop (no cause) */
	OTA_POST_FAILED,	/* could not be done: *cause says why */
	OTA_POST_REFUSED	/* OSS answered with an HTTP error: *cause "HTTP 403 Code:
				   message" */
};

/* GenerateOTAUploadURL's FileSuffix for the file at path: its documented suffix (tar.gz,
 * gzip, bin, dav, apk, tar, gz, zip), else "bin". */
const char *ota_post_suffix(const char *path);

/* Called between blocks of work: bytes done of total (0 while unknown). Returns non-zero
 * to stop (a transfer is aborted). */
typedef int ota_post_progress_fn(void *arg, int64_t done, int64_t total);

/* The size and the digest (lower-case hex into hex[0..hexlen), which holds
 * 2 * EVP_MAX_MD_SIZE + 1) of the file at path, with sign_method "SHA256" (else MD5).
 * progress (may be NULL) is asked after each block (total 0). Returns OTA_POST_OK,
 * OTA_POST_STOPPED, or OTA_POST_FAILED with a caller-freed *cause ("reading: ..."). */
enum ota_post_status ota_post_digest(const char *path, const char *sign_method, char *hex,
    size_t hexlen, uint64_t *size, ota_post_progress_fn *progress, void *arg, char **cause);

/* A PostObject. */
struct ota_post {
	const cJSON          *data;		/* GenerateOTAUploadURL's (or
						   GenerateDeviceNameListURL's) Data: its Key,
						   Policy, (OSS)AccessKeyId and Signature are
						   sent in its order (borrowed) */
	const char           *url;		/* the Host, checked by api_endpoint_check */
	int                   loopback;		/* it is on this machine: http too, no proxy */
	const char           *path;		/* the file to send, or NULL: mem */
	const char           *mem;		/* else mem[0..memlen) as devices.csv, text/csv */
	size_t                memlen;		/* its length */
	const char           *cacert;		/* an extra CA bundle, or NULL */
	long                  connect_ms;	/* the connection timeout */
	ota_post_progress_fn *progress;		/* bytes sent, at least 10 times a second
						   (may be NULL) */
	void                 *arg;		/* its argument */
};

/* An upload that moves less than 1 byte a second for this long is given up. */
#define OTA_POST_STALL_SECONDS 60L

/* Sends the fields of p->data, then success_action_status 200, then the file (OSS ignores
 * what comes after the file). Returns OTA_POST_OK, OTA_POST_STOPPED (the progress callback
 * said so), OTA_POST_FAILED (libcurl, the file, the network: *cause), or OTA_POST_REFUSED
 * (*cause with OSS's HTTP status, code and message). *cause is caller-freed and
 * display-safe. */
enum ota_post_status ota_post_send(const struct ota_post *p, char **cause);

#endif
