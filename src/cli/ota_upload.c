/* ota_upload.c — `iotdeck ota upload` (see ota_upload.h).
 *
 * Order of work: every option checked and the file's size and digest computed first
 * (nothing sent yet; a 2 GB file's digest takes seconds, and the upload URL is valid for
 * one minute only, so it is asked for after); then GenerateOTAUploadURL (a write: an
 * operation with its audit line); the policy's size range checked; the PostObject; then
 * CreateOTAFirmware with the FirmwareUrl, the size and the digest.
 */
#include "cli/ota_upload.h"
#include "core/clock.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "api/actions.h"
#include "cli/ota_check.h"
#include "cli/ota_post.h"
#include "cli/ota_run.h"
#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

/* Tries at GenerateOTAUploadURL before giving up when each URL is too old to use. */
#define URL_TRIES 3

/* The policy's content-length-range maximum (bytes), or -1 when it states none. */
static long long
policy_max(const char *policy)
{
	size_t len = strlen(policy);
	unsigned char *raw;
	const cJSON *c, *lo, *hi;
	cJSON *doc;
	long long max = -1;
	int n;

	if (len == 0 || len > INT_MAX / 2)
		return -1;
	raw = xmalloc(len + 1);
	n = EVP_DecodeBlock(raw, (const unsigned char *)policy, (int)len);
	if (n < 0) {
		free(raw);
		return -1;
	}
	raw[n] = '\0';
	doc = cJSON_Parse((const char *)raw);
	free(raw);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "conditions")) {
		if (!cJSON_IsArray(c) || cJSON_GetArraySize(c) != 3 ||
		    !cJSON_IsString(cJSON_GetArrayItem(c, 0)) ||
		    strcmp(cJSON_GetArrayItem(c, 0)->valuestring, "content-length-range") != 0)
			continue;
		lo = cJSON_GetArrayItem(c, 1);
		hi = cJSON_GetArrayItem(c, 2);
		if (cJSON_IsNumber(lo) && cJSON_IsNumber(hi))
			max = (long long)hi->valuedouble;
	}
	cJSON_Delete(doc);
	return max;
}

/* ---- the PostObject ----------------------------------------------------------------- */

struct progress {
	int      tty;		/* standard error is a terminal */
	double   start;		/* when the upload started */
	double   last;		/* last redraw */
};

/* The digest's and the upload's callback: stops on Ctrl-C; the upload's draws a bar. */
static int
on_progress(void *arg, int64_t sent, int64_t total)
{
	struct progress *p = arg;
	double now = clock_mono_s(), rate, frac;
	char bar[41];
	int i, fill;

	if (ops_interrupted)
		return 1;	/* stops */
	if (p == NULL || !p->tty || now - p->last < 0.1 || total <= 0)
		return 0;
	p->last = now;
	frac = (double)sent / (double)total;
	fill = (int)(frac * 40);
	for (i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	rate = now > p->start ? (double)sent / (now - p->start) : 0;
	fprintf(stderr, "\r[%s] %5.1f%% %.1f of %.1f MiB, %.1f MiB/s ", bar, frac * 100,
	    (double)sent / 1048576.0, (double)total / 1048576.0, rate / 1048576.0);
	return 0;
}

int
ota_post_object(struct ota_ctx *c, const cJSON *data, const char *path, const char *mem,
    size_t memlen)
{
	const char *host = ota_str(data, "Host");
	char *url = NULL, *cause = NULL, *safe;
	struct progress pr;
	enum ota_post_status st;
	int loopback = 0;

	if (host == NULL || api_endpoint_check(host, &url, &loopback, &cause) != 0) {
		safe = host != NULL ? safetext_excerpt(host, strlen(host), 80) : xstrdup("none");
		fprintf(stderr, "iotdeck %s: GenerateOTAUploadURL's Host %s cannot be used: %s; "
		    "nothing was uploaded\n", c->cmd, safe, cause != NULL ? cause : "missing");
		free(safe);
		free(cause);
		return EXIT_NETWORK;
	}
	memset(&pr, 0, sizeof pr);
	pr.tty = isatty(STDERR_FILENO);
	pr.start = clock_mono_s();
	st = ota_post_send(&(struct ota_post){ .data = data, .url = url, .loopback = loopback,
	    .path = path, .mem = mem, .memlen = memlen, .cacert = c->cfg.cacert,
	    .connect_ms = c->cfg.connect_timeout_ms, .progress = on_progress, .arg = &pr },
	    &cause);
	free(url);
	if (pr.tty)
		fputs("\r\033[K", stderr);
	if (st == OTA_POST_OK)
		return EXIT_OK;
	if (st == OTA_POST_STOPPED || ops_interrupted) {
		fprintf(stderr, "iotdeck %s: interrupted during the upload: no firmware was "
		    "created\n", c->cmd);
		free(cause);
		return 130;
	}
	fprintf(stderr, "iotdeck %s: the upload %s: %s; no firmware was created\n", c->cmd,
	    st == OTA_POST_REFUSED ? "was refused" : "failed", cause);
	free(cause);
	return st == OTA_POST_REFUSED ? EXIT_API : EXIT_NETWORK;
}

/* ---- the command -------------------------------------------------------------------- */

int
ota_upload_check_options(const struct ota_args *a, struct params *p, const char **sign_method,
    char **cause)
{
	const char *pk = ota_opt(a, "--product"), *dest = ota_opt(a, "--dest-version");
	const char *name = ota_opt(a, "--name"), *type = ota_opt(a, "--type");
	const char *src = ota_opt(a, "--src-version"), *sm = ota_opt(a, "--sign-method");
	const char *desc = ota_opt(a, "--desc"), *module = ota_opt(a, "--module");
	const char *base;
	size_t n;

	if (a->npos != 1) {
		*cause = xstrdup("give one FILE");
		return -1;
	}
	if (pk == NULL || dest == NULL) {
		*cause = xstrdup("--product PK and --dest-version V are required");
		return -1;
	}
	if (ota_check_version("--dest-version", dest, "CreateOTAFirmware DestVersion", cause) != 0)
		return -1;
	if (name == NULL) {
		/* The file's name, as the web console suggests it. */
		base = strrchr(a->pos[0], '/');
		name = base != NULL ? base + 1 : a->pos[0];
	}
	if (ota_check_text(ota_opt(a, "--name") != NULL ? "--name" : "--name (the file's name)",
	    name, 1, 40, "CreateOTAFirmware FirmwareName", cause) != 0)
		return -1;
	if (type != NULL && strcmp(type, "full") != 0 && strcmp(type, "diff") != 0) {
		char *s = safetext_excerpt(type, strlen(type), 20);
		*cause = xasprintf("--type %s: expected full or diff (CreateOTAFirmware Type)", s);
		free(s);
		return -1;
	}
	if (type != NULL && strcmp(type, "diff") == 0) {
		if (src == NULL) {
			*cause = xstrdup("--type diff needs --src-version V (CreateOTAFirmware "
			    "SrcVersion)");
			return -1;
		}
		if (ota_check_version("--src-version", src, "CreateOTAFirmware SrcVersion",
		    cause) != 0)
			return -1;
		if (strcmp(src, dest) == 0) {
			*cause = xstrdup("--src-version: the same as --dest-version (CreateOTAFirmware "
			    "SrcVersion must differ)");
			return -1;
		}
	} else if (src != NULL) {
		*cause = xstrdup("--src-version goes with --type diff");
		return -1;
	}
	if (sm != NULL && strcmp(sm, "MD5") != 0 && strcmp(sm, "SHA256") != 0) {
		char *s = safetext_excerpt(sm, strlen(sm), 20);
		*cause = xasprintf("--sign-method %s: expected MD5 or SHA256 (CreateOTAFirmware "
		    "SignMethod)", s);
		free(s);
		return -1;
	}
	*sign_method = sm != NULL ? sm : "MD5";
	if (desc != NULL && ota_check_text("--desc", desc, 0, 100,
	    "CreateOTAFirmware FirmwareDesc", cause) != 0)
		return -1;
	if (module != NULL) {
		n = strlen(module);
		if (n < 1 || n > 64 || strspn(module, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != n) {
			char *s = safetext_excerpt(module, n, 40);
			*cause = xasprintf("--module %s: expected 1..64 letters, digits, '.', '-' or "
			    "'_' (CreateOTAFirmware ModuleName)", s);
			free(s);
			return -1;
		}
		params_set(p, "ModuleName", module);
	}
	params_set(p, "ProductKey", pk);
	params_set(p, "DestVersion", dest);
	params_set(p, "FirmwareName", name);
	params_set(p, "Type", type != NULL && strcmp(type, "diff") == 0 ? "1" : "0");
	if (src != NULL)
		params_set(p, "SrcVersion", src);
	if (desc != NULL)
		params_set(p, "FirmwareDesc", desc);
	params_set(p, "NeedToVerify", ota_opt(a, "--no-verify") != NULL ? "false" : "true");
	return 0;
}

int
ota_upload_main(const struct global_opts *o, const struct ota_args *a)
{
	const char *cmd = "ota upload", *sm = "MD5", *path, *furl;
	struct ota_ctx c;
	struct ota_item *items = NULL;
	struct params fp = PARAMS_INIT;
	struct op *op = NULL;
	struct stat sb;
	char *cause = NULL, *safe, hex[2 * EVP_MAX_MD_SIZE + 1], num[32];
	const cJSON *data = NULL;
	uint64_t size = 0;
	size_t nitems = 0;
	long long pmax;
	double got_url = 0;
	int rc, tries;

	memset(&c, 0, sizeof c);
	if (ota_upload_check_options(a, &fp, &sm, &cause) != 0) {
		rc = ota_usage(cmd, cause);
		free(cause);
		params_free(&fp);
		return rc;
	}
	path = a->pos[0];
	safe = safetext_excerpt(path, strlen(path), 80);
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fprintf(stderr, "iotdeck %s: %s: %s\n", cmd, safe, stat(path, &sb) != 0 ?
		    strerror(errno) : "not a regular file");
		rc = EXIT_USAGE;
		goto done;
	}
	if ((long long)sb.st_size > OTA_MAX_UPLOAD_BYTES || sb.st_size == 0) {
		fprintf(stderr, "iotdeck %s: %s: %lld bytes: expected 1 byte to 2,000 MB "
		    "(GenerateOTAUploadURL: the upload limit); nothing was sent\n", cmd, safe,
		    (long long)sb.st_size);
		rc = EXIT_USAGE;
		goto done;
	}
	rc = ota_ctx_open(&c, cmd, o, a, ACT_GenerateOTAUploadURL, OTA_CTX_PRINTS_ID);
	if (rc != EXIT_OK)
		goto done;
	if (ota_post_digest(path, sm, hex, sizeof hex, &size, on_progress, NULL, &cause) !=
	    OTA_POST_OK) {
		fprintf(stderr, "iotdeck %s: %s: %s; nothing was sent\n", cmd, safe,
		    cause != NULL ? cause : "reading: interrupted");
		free(cause);
		rc = ops_interrupted ? 130 : EXIT_USAGE;
		goto done;
	}

	/* The upload URL, fresh enough to start the upload within its minute. */
	for (tries = 0; tries < URL_TRIES; tries++) {
		struct params up = PARAMS_INIT;

		op_free(op);
		op = NULL;
		ota_items_free(items, nitems);
		items = NULL;
		nitems = 0;
		items = xcalloc(1, sizeof *items);
		nitems = 1;
		items[0].name = xstrdup("upload URL");
		params_init(&items[0].params);
		params_set(&up, "FileSuffix", ota_post_suffix(path));
		rc = ota_write(&c, ACT_GenerateOTAUploadURL, &up, items, nitems, &op);
		params_free(&up);
		got_url = clock_mono_s();
		if (rc != EXIT_OK)
			goto done;
		data = op_target(op, 0)->answer;
		if (ota_str(data, "FirmwareUrl") == NULL || ota_str(data, "Policy") == NULL) {
			fprintf(stderr, "iotdeck %s: GenerateOTAUploadURL's answer lacks FirmwareUrl "
			    "or Policy; nothing was uploaded\n", cmd);
			rc = EXIT_NETWORK;
			goto done;
		}
		pmax = policy_max(ota_str(data, "Policy"));
		if (pmax >= 0 && (long long)size > pmax) {
			fprintf(stderr, "iotdeck %s: %s: %llu bytes: the upload policy allows at most "
			    "%lld (content-length-range); nothing was uploaded\n", cmd, safe,
			    (unsigned long long)size, pmax);
			rc = EXIT_USAGE;
			goto done;
		}
		if (clock_mono_s() - got_url <= OTA_UPLOAD_URL_MAX_AGE)
			break;
		fprintf(stderr, "iotdeck %s: the upload URL is %.0f s old (valid for 60 s): asking "
		    "for a new one\n", cmd, clock_mono_s() - got_url);
	}
	if (tries == URL_TRIES) {
		fprintf(stderr, "iotdeck %s: no upload URL was fresh enough to use; nothing was "
		    "uploaded\n", cmd);
		rc = EXIT_NETWORK;
		goto done;
	}
	got_url = clock_mono_s();
	rc = ota_post_object(&c, data, path, NULL, 0);
	if (rc != EXIT_OK)
		goto done;
	fprintf(stderr, "iotdeck %s: uploaded %.1f MiB in %.1f s\n", cmd, (double)size / 1048576.0,
	    clock_mono_s() - got_url);

	/* The firmware. */
	furl = ota_str(data, "FirmwareUrl");
	params_set(&fp, "FirmwareUrl", furl);
	snprintf(num, sizeof num, "%llu", (unsigned long long)size);
	params_set(&fp, "FirmwareSize", num);
	params_set(&fp, "FirmwareSign", hex);
	params_set(&fp, "SignMethod", sm);
	ota_items_free(items, nitems);
	items = xcalloc(1, sizeof *items);
	nitems = 1;
	items[0].name = xasprintf("firmware %s", params_get(&fp, "FirmwareName"));
	params_init(&items[0].params);
	{
		struct op *fop = NULL;

		rc = ota_write(&c, ACT_CreateOTAFirmware, &fp, items, nitems, &fop);
		if (rc == EXIT_OK) {
			const char *id = ota_str(op_target(fop, 0)->answer, "FirmwareId");
			char *s = id != NULL ? safetext_dup(id, strlen(id)) : NULL;

			if (s != NULL && !c.json)
				printf("%s\n", s);
			free(s);
			fprintf(stderr, "iotdeck %s: %llu bytes, %s %s\n", cmd,
			    (unsigned long long)size, sm, hex);
			if (fflush(stdout) != 0)
				rc = EXIT_CONFIG;
		}
		op_free(fop);
	}
done:
	free(safe);
	op_free(op);
	ota_items_free(items, nitems);
	params_free(&fp);
	ota_ctx_close(&c);
	return rc;
}
