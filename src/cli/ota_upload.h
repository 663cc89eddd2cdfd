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

#include "cli/options.h"
#include "cli/ota.h"

/* Seconds an upload URL is used for after it was made (it is valid for 60). */
#define OTA_UPLOAD_URL_MAX_AGE 50

/* Runs `ota upload` with its parsed words. Returns an exit status. */
int ota_upload_main(const struct global_opts *o, const struct ota_args *a);

#endif
