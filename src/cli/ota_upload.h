/* ota_upload.h — `iotdeck ota upload FILE ...`: GenerateOTAUploadURL, the OSS
 * PostObject of FILE to the Host it returns (libcurl's MIME API, the fields in the
 * answer's order, the file last; a progress bar on a terminal), the file's size and
 * digest computed locally (OpenSSL EVP, streamed), then CreateOTAFirmware. Prints the
 * FirmwareId on standard output.
 *
 * The upload URL is valid for a minute: when more than OTA_UPLOAD_URL_MAX_AGE seconds
 * passed between GenerateOTAUploadURL and the start of the upload (a slow digest of a
 * large file), a new one is asked for. A file over the documented limit (2,000 MB), or
 * over the policy's content-length-range, is refused before anything is sent or
 * uploaded; an upload that fails stops before CreateOTAFirmware with the reason (OSS's
 * error code and message).
 */
#ifndef IOTDECK_OTA_UPLOAD_H
#define IOTDECK_OTA_UPLOAD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cli/options.h"
#include "cli/ota.h"

/* Seconds an upload URL is used for after it was made (it is valid for 60). */
#define OTA_UPLOAD_URL_MAX_AGE 50

struct ota_ctx;
/* The OSS PostObject to the Host of an upload URL answer (data: GenerateOTAUploadURL's
 * or GenerateDeviceNameListURL's Data; its Key, Policy, (OSS)AccessKeyId and Signature
 * sent in the answer's order, then success_action_status, then the file): the file at
 * path, or mem[0..memlen) when path is NULL. Returns EXIT_OK, or an exit status after
 * printing why (OSS's code and message). */
int ota_post_object(struct ota_ctx *c, const cJSON *data, const char *path, const char *mem,
    size_t memlen);

/* Checks the options of `ota upload` (a->pos[0] the FILE, a->opts "--product",
 * "--dest-version", "--name", "--module", "--type", "--src-version", "--sign-method",
 * "--desc", "--no-verify") into the CreateOTAFirmware parameters p (without the file's
 * URL, size and digest) and *sign_method ("MD5" or "SHA256", pointing into a or static).
 * Returns 0, or -1 with a caller-freed *cause naming the option. The console's upload
 * form (ui/fwupload.c) checks its fields with it too. */
int ota_upload_check_options(const struct ota_args *a, struct params *p,
    const char **sign_method, char **cause);
/* Runs `ota upload` with its parsed words. Returns an exit status. */
int ota_upload_main(const struct global_opts *o, const struct ota_args *a);

#endif
