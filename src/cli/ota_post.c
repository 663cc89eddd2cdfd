/* ota_post.c — a firmware file's digest and its OSS PostObject (see ota_post.h). */
#include "cli/ota_post.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

const char *
ota_post_suffix(const char *path)
{
	/* GenerateOTAUploadURL's FileSuffix values (guide 4.20.1), longest first. */
	static const char *const suffixes[] = { "tar.gz", "gzip", "bin", "dav", "apk", "tar",
		"gz", "zip", NULL };
	size_t n = strlen(path), k, i;

	for (i = 0; suffixes[i] != NULL; i++) {
		k = strlen(suffixes[i]);
		if (n > k + 1 && path[n - k - 1] == '.' && strcmp(path + n - k, suffixes[i]) == 0)
			return suffixes[i];
	}
	return "bin";
}

enum ota_post_status
ota_post_digest(const char *path, const char *sign_method, char *hex, size_t hexlen,
    uint64_t *size, ota_post_progress_fn *progress, void *arg, char **cause)
{
	unsigned char buf[1 << 16], out[EVP_MAX_MD_SIZE];
	unsigned int outlen = 0, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	enum ota_post_status rc = OTA_POST_FAILED;
	ssize_t got;
	int fd;

	*size = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = xasprintf("%s", strerror(errno));
		EVP_MD_CTX_free(ctx);
		return OTA_POST_FAILED;
	}
	if (ctx == NULL || EVP_DigestInit_ex(ctx, strcmp(sign_method, "SHA256") == 0 ?
	    EVP_sha256() : EVP_md5(), NULL) != 1) {
		*cause = xstrdup("OpenSSL cannot compute the digest");
		goto done;
	}
	for (;;) {
		if (progress != NULL && progress(arg, (int64_t)*size, 0)) {
			rc = OTA_POST_STOPPED;
			goto done;
		}
		if ((got = read(fd, buf, sizeof buf)) == 0)
			break;
		if (got < 0) {
			if (errno == EINTR)
				continue;	/* the callback says whether to go on */
			*cause = xasprintf("reading: %s", strerror(errno));
			goto done;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)got);
		*size += (uint64_t)got;
	}
	EVP_DigestFinal_ex(ctx, out, &outlen);
	for (i = 0; i < outlen && 2 * i + 2 < hexlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	rc = OTA_POST_OK;
done:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	const struct ota_post *p = arg;

	(void)dltotal;
	(void)dlnow;
	return p->progress(p->arg, (int64_t)ulnow, (int64_t)ultotal);	/* non-zero: abort */
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (b->len < 65536)
		buf_add(b, data, size * n);
	return size * n;
}

/* The text of <Tag> in OSS's XML error document, display-safe, or NULL. */
static char *
xml_tag(const char *doc, const char *tag)
{
	char open_tag[48], close_tag[48];
	const char *s, *e;

	snprintf(open_tag, sizeof open_tag, "<%s>", tag);
	snprintf(close_tag, sizeof close_tag, "</%s>", tag);
	if ((s = strstr(doc, open_tag)) == NULL)
		return NULL;
	s += strlen(open_tag);
	if ((e = strstr(s, close_tag)) == NULL)
		return NULL;
	return safetext_excerpt(s, (size_t)(e - s), 200);
}

enum ota_post_status
ota_post_send(const struct ota_post *p, char **cause)
{
	/* The answer's member, the form field's name. */
	static const char *const fields[][2] = { { "Key", "key" }, { "Policy", "policy" },
		{ "OSSAccessKeyId", "OSSAccessKeyId" }, { "AccessKeyId", "OSSAccessKeyId" },
		{ "Signature", "Signature" } };
	char errbuf[CURL_ERROR_SIZE], *code, *msg;
	enum ota_post_status rc = OTA_POST_FAILED;
	struct buf body = BUF_INIT;
	curl_mime *mime = NULL;
	curl_mimepart *part;
	const cJSON *f;
	CURL *easy;
	CURLcode cc;
	long status = 0;
	size_t i;

	if ((easy = curl_easy_init()) == NULL || (mime = curl_mime_init(easy)) == NULL) {
		*cause = xstrdup("cannot set up libcurl");
		goto done;
	}
	/* The fields as the answer gives them, in its order, then the status, then the file
	 * (OSS ignores what comes after the file). */
	cJSON_ArrayForEach(f, p->data) {
		for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
			if (f->string == NULL || strcmp(f->string, fields[i][0]) != 0 ||
			    !cJSON_IsString(f))
				continue;
			part = curl_mime_addpart(mime);
			curl_mime_name(part, fields[i][1]);
			curl_mime_data(part, f->valuestring, CURL_ZERO_TERMINATED);
		}
	}
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "success_action_status");
	curl_mime_data(part, "200", CURL_ZERO_TERMINATED);
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "file");
	if (p->path != NULL ? curl_mime_filedata(part, p->path) != CURLE_OK :
	    curl_mime_data(part, p->mem, p->memlen) != CURLE_OK ||
	    curl_mime_filename(part, "devices.csv") != CURLE_OK) {
		*cause = xstrdup("cannot read the file for the upload");
		goto done;
	}
	curl_mime_type(part, p->path != NULL ? "application/octet-stream" : "text/csv");

	errbuf[0] = '\0';
	curl_easy_setopt(easy, CURLOPT_URL, p->url);
	curl_easy_setopt(easy, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
	if (p->progress != NULL) {
		curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(easy, CURLOPT_XFERINFODATA, p);
	}
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, p->connect_ms);
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, OTA_POST_STALL_SECONDS);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, p->loopback ? "http,https" : "https");
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	if (p->cacert != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, p->cacert);
	if (p->loopback)
		curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
	cc = curl_easy_perform(easy);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		rc = OTA_POST_STOPPED;
	} else if (cc != CURLE_OK) {
		const char *e = errbuf[0] ? errbuf : curl_easy_strerror(cc);

		*cause = safetext_dup(e, strlen(e));
	} else if (status < 200 || status > 299) {
		code = xml_tag(buf_str(&body), "Code");
		msg = xml_tag(buf_str(&body), "Message");
		*cause = xasprintf("HTTP %ld %s: %s", status, code != NULL ? code : "",
		    msg != NULL ? msg : "(no message)");
		free(code);
		free(msg);
		rc = OTA_POST_REFUSED;
	} else
		rc = OTA_POST_OK;
done:
	curl_mime_free(mime);
	curl_easy_cleanup(easy);
	buf_free(&body);
	return rc;
}
