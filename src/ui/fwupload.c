/* fwupload.c — :ota-upload (fwupload.h).
 *
 * DESIGN. The upload has five steps; the UI thread drives them, one at a time, from
 * fwupload_poll (called each turn of the console's loop):
 *   1. DIGEST  a thread of our own reads the file: its size and MD5/SHA256 (OpenSSL EVP);
 *   2. URL     GenerateOTAUploadURL, an operation on the console's worker (uiops_start:
 *              listed in :ops, audited) — asked for after the digest, because the URL is
 *              valid for one minute;
 *   3. POST    the thread again: the OSS PostObject to the answer's Host (libcurl's MIME
 *              API, the fields in the answer's order, the file last), its progress
 *              published under the lock;
 *   4. CREATE  CreateOTAFirmware with the URL, size and digest, an operation again;
 *   5. done    the FirmwareId said; the firmware pane reloads (uiops_start's refresh).
 * The thread and the UI share only struct shared, under its mutex; the thread writes one
 * byte to a pipe when there is news (at most ten progress bytes a second), which wakes the
 * loop's poll() (redis bio.c's handoff). The UI thread joins the thread only after it said
 * it is done, so the join never waits. Quitting sets `cancel`: the digest stops at its next
 * block, curl at its next progress call.
 *
 * The firmware's fields are a service form (form.h) whose inputs are named as the options
 * of `iotdeck ota upload` and checked on submit by the CLI's own check
 * (ota_upload_check_options), so both refuse the same values with the same words.
 */
#include "ui/fwupload.h"
#include "core/clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "api/actions.h"
#include "api/client.h"
#include "cli/ota.h"
#include "cli/ota_check.h"
#include "cli/ota_post.h"
#include "cli/ota_upload.h"
#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/form.h"
#include "ui/formfield.h"
#include "ui/uiops_impl.h"

/* Seconds between two progress redraws. */
#define PROGRESS_EVERY 0.1

enum step { S_FORM, S_DIGEST, S_URL, S_POST, S_CREATE };

/* What the thread and the UI share (under lock). */
struct shared {
	pthread_mutex_t lock;
	int             running;	/* a thread was started and not joined */
	int             done;		/* the thread's work is over (joinable) */
	int             cancel;		/* the UI asks it to stop */
	int             failed;		/* its work failed: cause says why */
	char           *cause;		/* display-safe, or NULL */
	uint64_t        size;		/* DIGEST: the file's size */
	char            hex[2 * EVP_MAX_MD_SIZE + 1];	/* DIGEST: the digest */
	int64_t         sent, total;	/* POST: bytes sent of total */
};

struct fwup {
	struct ui     *ui;
	enum step      step;
	char          *path;		/* the file */
	char          *label;		/* "ota-upload NAME" */
	struct params  fp;		/* CreateOTAFirmware's parameters, checked */
	const char    *sign;		/* MD5 or SHA256 */
	char          *op_id;		/* the running operation's id */
	struct op     *op;		/* it (checked against uiops_find before use) */
	cJSON         *data;		/* GenerateOTAUploadURL's Data */
	char          *url;		/* POST: the Host checked */
	int            loopback;	/* it is on this machine */
	char          *cacert;		/* the console's CA bundle, copied (a profile switch
					   may free the configuration while the thread runs) */
	long           connect_ms;	/* the console's connection timeout, copied */
	double         started;		/* POST: when it started */
	double         drawn;		/* the last progress shown */
	pthread_t      thread;
	struct shared  sh;
};

static struct fwup *cur;		/* the upload under way, or NULL */
static int wake[2] = { -1, -1 };	/* the thread's news: [0] polled, [1] written */

static double
now_s(void)
{
	return clock_mono_s();
}

/* A new upload (its form, then the plan, then the upload itself share the struct). */
static struct fwup *
fwup_new(struct ui *ui)
{
	struct fwup *u = xcalloc(1, sizeof *u);

	u->ui = ui;
	params_init(&u->fp);
	pthread_mutex_init(&u->sh.lock, NULL);
	return u;
}

/* A new upload that takes over from's file, label, parameters and digest method (from
 * is freed by its owner: a dialog's argument). */
static struct fwup *
fwup_take(struct fwup *from)
{
	struct fwup *u = fwup_new(from->ui);

	u->path = from->path;
	from->path = NULL;
	u->label = from->label;
	from->label = NULL;
	u->fp = from->fp;
	params_init(&from->fp);
	u->sign = from->sign;
	return u;
}

static void
fwup_free(void *arg)
{
	struct fwup *u = arg;

	if (u == NULL)
		return;
	free(u->path);
	free(u->label);
	params_free(&u->fp);
	free(u->op_id);
	cJSON_Delete(u->data);
	free(u->url);
	free(u->cacert);
	free(u->sh.cause);
	pthread_mutex_destroy(&u->sh.lock);
	free(u);
}

static void
poke(void)
{
	char c = 1;
	ssize_t n;

	do
		n = write(wake[1], &c, 1);
	while (n < 0 && errno == EINTR);
}

/* ---- the thread ---------------------------------------------------------------------- */

static void
thread_fail(struct fwup *u, char *cause)
{
	pthread_mutex_lock(&u->sh.lock);
	u->sh.failed = 1;
	free(u->sh.cause);
	u->sh.cause = cause;
	pthread_mutex_unlock(&u->sh.lock);
}

/* Both steps' callback: publishes the progress, stops when the UI asks. */
static int
on_progress(void *arg, int64_t sent, int64_t total)
{
	struct fwup *u = arg;
	int stop;

	pthread_mutex_lock(&u->sh.lock);
	stop = u->sh.cancel;
	if (u->step == S_POST) {
		u->sh.sent = sent;
		u->sh.total = total;
	}
	pthread_mutex_unlock(&u->sh.lock);
	if (stop)
		return 1;
	if (u->step == S_POST && now_s() - u->drawn >= PROGRESS_EVERY) {
		u->drawn = now_s();	/* the thread's own field while it runs */
		poke();
	}
	return 0;
}

static void
digest(struct fwup *u)
{
	char hex[sizeof u->sh.hex], *cause = NULL;
	uint64_t size = 0;

	switch (ota_post_digest(u->path, u->sign, hex, sizeof hex, &size, on_progress, u,
	    &cause)) {
	case OTA_POST_OK:
		pthread_mutex_lock(&u->sh.lock);
		memcpy(u->sh.hex, hex, sizeof hex);
		u->sh.size = size;
		pthread_mutex_unlock(&u->sh.lock);
		break;
	case OTA_POST_STOPPED:
		thread_fail(u, xstrdup("cancelled"));
		break;
	default:
		thread_fail(u, cause);
		break;
	}
}

/* The PostObject (cli/ota_post.c, as `iotdeck ota upload` sends it). */
static void
post(struct fwup *u)
{
	enum ota_post_status st;
	char *cause = NULL;
	int stop;

	st = ota_post_send(&(struct ota_post){ .data = u->data, .url = u->url,
	    .loopback = u->loopback, .path = u->path, .cacert = u->cacert,
	    .connect_ms = u->connect_ms, .progress = on_progress, .arg = u }, &cause);
	pthread_mutex_lock(&u->sh.lock);
	stop = u->sh.cancel;
	pthread_mutex_unlock(&u->sh.lock);
	if (st == OTA_POST_STOPPED || (st != OTA_POST_OK && stop)) {
		free(cause);
		thread_fail(u, xstrdup("cancelled"));
	} else if (st == OTA_POST_REFUSED) {
		thread_fail(u, xasprintf("refused: %s", cause));
		free(cause);
	} else if (st != OTA_POST_OK)
		thread_fail(u, cause);
}

static void *
thread_main(void *arg)
{
	struct fwup *u = arg;

	if (u->step == S_DIGEST)
		digest(u);
	else
		post(u);
	pthread_mutex_lock(&u->sh.lock);
	u->sh.done = 1;
	pthread_mutex_unlock(&u->sh.lock);
	poke();
	return NULL;
}

static int
thread_start(struct fwup *u, enum step s)
{
	int e;

	if (wake[0] < 0) {
		if (pipe(wake) != 0)
			return -1;
		fcntl(wake[0], F_SETFL, O_NONBLOCK);
		fcntl(wake[0], F_SETFD, FD_CLOEXEC);
		fcntl(wake[1], F_SETFD, FD_CLOEXEC);
	}
	u->step = s;
	u->sh.done = 0;
	u->drawn = 0;
	if ((e = pthread_create(&u->thread, NULL, thread_main, u)) != 0)
		return -1;
	u->sh.running = 1;
	return 0;
}

/* ---- the steps on the UI thread ------------------------------------------------------- */

/* Ends the upload (its outcome said already). */
static void
end(void)
{
	fwup_free(cur);
	cur = NULL;
}

/* Ends the upload with the reason on the status bar. */
static void __attribute__((format(printf, 2, 3)))
fail_up(struct ui *ui, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ui_error(ui, "%s", buf_str(&b));
	buf_free(&b);
	end();
}

/* Starts one of the two API calls as an operation. 0, or -1 (the upload ends). */
static int
start_op(struct ui *ui, const char *action, const struct params *p, const char *item,
    int refresh)
{
	struct op_opts oo;
	struct op *op;
	char *cause = NULL;

	if (uiops_audit_ready(ui) != 0)
		return -1;
	uiops_op_options(ui, &oo, cur->label, NULL);
	op = op_new(action, NULL, &oo);
	op_add_item(op, item, p, &cause);
	free(cause);
	free(cur->op_id);
	cur->op_id = xstrdup(op_id(op));
	cur->op = op;
	if (uiops_start(ui, op, NULL, NULL, refresh) != 0) {
		cur->op = NULL;
		return -1;
	}
	return 0;
}

/* The operation of the step, when it ended: its first target; NULL while it runs. A
 * vanished operation ends the upload (*gone). */
static const struct op_target *
op_ended(struct ui *ui, int *gone)
{
	*gone = 0;
	if (cur->op == NULL || uiops_find(ui, cur->op_id) != cur->op) {
		*gone = 1;
		return NULL;
	}
	if (op_state(cur->op) != OP_DONE)
		return NULL;
	return op_target(cur->op, 0);
}

static void
show_progress(struct ui *ui, int64_t sent, int64_t total)
{
	char bar[21];
	double frac = total > 0 ? (double)sent / (double)total : 0, t = now_s() - cur->started;
	int i, fill = (int)(frac * 20);

	for (i = 0; i < 20; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[20] = '\0';
	ui_message(ui, "%s: uploading [%s] %3.0f%% %.1f of %.1f MiB, %.1f MiB/s", cur->label, bar,
	    frac * 100, (double)sent / 1048576.0, (double)total / 1048576.0,
	    t > 0 ? (double)sent / t / 1048576.0 : 0.0);
}

void
fwupload_poll(struct ui *ui)
{
	char drain[64];
	const struct op_target *t;
	struct params p = PARAMS_INIT;
	char num[32], *cause = NULL, *s;
	const char *host, *furl, *id;
	int done, failed, gone;
	int64_t sent, total;

	if (wake[0] >= 0)
		while (read(wake[0], drain, sizeof drain) > 0)
			;
	if (cur == NULL)
		return;
	switch (cur->step) {
	case S_FORM:
		return;
	case S_DIGEST:
	case S_POST:
		pthread_mutex_lock(&cur->sh.lock);
		done = cur->sh.done;
		failed = cur->sh.failed;
		sent = cur->sh.sent;
		total = cur->sh.total;
		pthread_mutex_unlock(&cur->sh.lock);
		if (!done) {
			if (cur->step == S_POST && total > 0)
				show_progress(ui, sent, total);
			return;
		}
		pthread_join(cur->thread, NULL);
		cur->sh.running = 0;
		if (failed) {
			if (cur->step == S_DIGEST)
				fail_up(ui, "%s: the file: %s (nothing was sent)", cur->label,
				    cur->sh.cause);
			else
				fail_up(ui, "%s: the upload failed: %s; no firmware was created",
				    cur->label, cur->sh.cause);
			return;
		}
		if (cur->step == S_DIGEST) {
			params_set(&p, "FileSuffix", ota_post_suffix(cur->path));
			cur->step = S_URL;
			if (start_op(ui, ACT_GenerateOTAUploadURL, &p, "upload URL", 0) != 0)
				end();
			else
				ui_message(ui, "%s: asking for the upload URL...", cur->label);
			params_free(&p);
			return;
		}
		show_progress(ui, total, total);
		furl = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cur->data,
		    "FirmwareUrl"));
		params_copy(&p, &cur->fp);
		params_set(&p, "FirmwareUrl", furl);
		snprintf(num, sizeof num, "%llu", (unsigned long long)cur->sh.size);
		params_set(&p, "FirmwareSize", num);
		params_set(&p, "FirmwareSign", cur->sh.hex);
		params_set(&p, "SignMethod", cur->sign);
		cur->step = S_CREATE;
		s = xasprintf("firmware %s", params_get(&cur->fp, "FirmwareName"));
		if (start_op(ui, ACT_CreateOTAFirmware, &p, s, 1) != 0)
			end();
		free(s);
		params_free(&p);
		return;
	case S_URL:
		if ((t = op_ended(ui, &gone)) == NULL) {
			if (gone)
				fail_up(ui, "%s: %s", cur->label, "the upload URL's operation is gone");
			return;
		}
		if (t->state != OP_T_OK) {
			fail_up(ui, "%s: GenerateOTAUploadURL did not succeed (%s): nothing was "
			    "uploaded", cur->label, t->code != NULL ? t->code : op_tstate_name(t->state));
			return;
		}
		host = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t->answer, "Host"));
		if (cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t->answer,
		    "FirmwareUrl")) == NULL || host == NULL ||
		    api_endpoint_check(host, &cur->url, &cur->loopback, &cause) != 0) {
			fail_up(ui, "%s: GenerateOTAUploadURL's answer cannot be used (%s): nothing "
			    "was uploaded", cur->label, cause != NULL ? cause : "no Host or FirmwareUrl");
			free(cause);
			return;
		}
		cur->data = cJSON_Duplicate(t->answer, 1);
		cur->cacert = ui->cfg->cacert != NULL ? xstrdup(ui->cfg->cacert) : NULL;
		cur->connect_ms = ui->cfg->connect_timeout_ms;
		cur->started = now_s();
		if (thread_start(cur, S_POST) != 0) {
			fail_up(ui, "%s: %s", cur->label, "cannot start the upload's thread");
			return;
		}
		ui_message(ui, "%s: uploading...", cur->label);
		return;
	case S_CREATE:
		if ((t = op_ended(ui, &gone)) == NULL) {
			if (gone)
				fail_up(ui, "%s: %s", cur->label, "the CreateOTAFirmware operation is gone");
			return;
		}
		if (t->state != OP_T_OK) {
			fail_up(ui, "%s: uploaded, but CreateOTAFirmware did not succeed (%s)",
			    cur->label, t->code != NULL ? t->code : op_tstate_name(t->state));
			return;
		}
		id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t->answer,
		    "FirmwareId"));
		ui_message(ui, "%s: firmware %s created (%llu bytes, %s %s)", cur->label,
		    id != NULL ? id : "?", (unsigned long long)cur->sh.size, cur->sign,
		    cur->sh.hex);
		end();
		return;
	}
}

int
fwupload_fd(void)
{
	return cur != NULL && cur->sh.running ? wake[0] : -1;
}

int
fwupload_active(void)
{
	return cur != NULL && cur->step != S_FORM;
}

int
fwupload_cancel(struct ui *ui)
{
	if (!fwupload_active())
		return 0;
	if (cur->sh.running) {
		pthread_mutex_lock(&cur->sh.lock);
		cur->sh.cancel = 1;
		pthread_mutex_unlock(&cur->sh.lock);
	}
	ui_message(ui, ":ota-upload: cancelling (%s)", cur->step == S_POST ? "the upload stops" :
	    "what is not sent yet");
	return 1;
}

void
fwupload_stop(struct ui *ui)
{
	(void)ui;
	if (cur == NULL)
		return;
	if (cur->sh.running) {
		pthread_mutex_lock(&cur->sh.lock);
		cur->sh.cancel = 1;
		pthread_mutex_unlock(&cur->sh.lock);
		pthread_join(cur->thread, NULL);
	}
	fwup_free(cur);
	cur = NULL;
}

/* ---- the question, the form, the command ---------------------------------------------- */

static void
go(struct pane *p, void *arg)
{
	struct fwup *u = arg;
	struct ui *ui = u->ui;

	(void)p;
	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: :ota-upload is refused (nothing was sent)");
		return;
	}
	if (cur != NULL) {
		ui_error(ui, ":ota-upload: %s is under way (one at a time)", cur->label);
		return;
	}
	/* The dialog frees arg: the upload takes over the plan's fields. */
	cur = fwup_take(u);
	if (thread_start(cur, S_DIGEST) != 0) {
		fail_up(ui, "%s: %s", cur->label, "cannot start the digest's thread");
		return;
	}
	ui_message(ui, "%s: reading the file (its %s)...", cur->label, cur->sign);
}

static struct tsl_service upload_form;	/* the form, made once (form_build) */

/* The fields, as `iotdeck ota upload`'s options. */
static const struct formfield_def upload_fields[] = {
	{ .id = "product", .name = "the ProductKey (empty: the last product opened)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "dest-version", .name = "the version it upgrades to (required)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "name", .name = "the firmware's name (empty: the file's name)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "module", .name = "the OTA module (empty: default)", .type = TSL_TYPE_TEXT },
	{ .id = "type", .name = "a full or a differential package", .type = TSL_TYPE_ENUM,
	  .choices = (const struct formfield_choice[]){ { 0, "full" }, { 1, "diff" },
		{ 0, NULL } } },
	{ .id = "src-version", .name = "diff: the version it upgrades from",
	  .type = TSL_TYPE_TEXT },
	{ .id = "sign-method", .name = "the digest", .type = TSL_TYPE_ENUM,
	  .choices = (const struct formfield_choice[]){ { 1, "MD5" }, { 2, "SHA256" },
		{ 0, NULL } } },
	{ .id = "desc", .name = "a description (at most 100 characters)",
	  .type = TSL_TYPE_TEXT },
	{ .id = "verify", .name = "needs a verification before upgrade jobs",
	  .type = TSL_TYPE_BOOL, .choices = formfield_no_yes_default },
	{ .id = NULL }
};

static void
form_build(void)
{
	if (upload_form.input_count == 0)
		formfield_build(&upload_form, "ota-upload", upload_fields);
}

/* The form's values, checked by the CLI's own check into u->fp and u->sign. A refusal
 * keeps the form open with the values and the reason. */
static int
form_check_values(struct ui *ui, void *arg, const struct tslvalue_set *sets, size_t n,
    char **cause)
{
	struct fwup *u = arg;
	struct ota_args a;
	char *pos[1], opt[48];
	const char *pk = ui_last_product(ui), *sm = "MD5";
	size_t i;
	int rc;

	memset(&a, 0, sizeof a);
	a.sub = "upload";
	pos[0] = u->path;
	a.pos = pos;
	a.npos = 1;
	params_init(&a.opts);
	for (i = 0; i < n; i++) {
		const char *id = sets[i].id, *t = sets[i].text;

		if (strcmp(id, "type") == 0)
			params_add(&a.opts, "--type", strcmp(t, "1") == 0 ? "diff" : "full");
		else if (strcmp(id, "sign-method") == 0)
			params_add(&a.opts, "--sign-method", strcmp(t, "2") == 0 ? "SHA256" : "MD5");
		else if (strcmp(id, "verify") == 0) {
			if (strcmp(t, "0") == 0)
				params_add(&a.opts, "--no-verify", "");
		} else {
			snprintf(opt, sizeof opt, "--%s", id);
			params_add(&a.opts, opt, t);
		}
	}
	if (params_get(&a.opts, "--product") == NULL && pk != NULL)
		params_add(&a.opts, "--product", pk);
	params_free(&u->fp);
	params_init(&u->fp);
	rc = ota_upload_check_options(&a, &u->fp, &sm, cause);
	u->sign = strcmp(sm, "SHA256") == 0 ? "SHA256" : "MD5";
	params_free(&a.opts);
	return rc;
}

/* The form was submitted (its values checked): the question. */
static void
form_done(struct ui *ui, void *arg, const struct tslvalue_set *sets, size_t n)
{
	struct fwup *u = arg, *keep;
	char *q, *safe;
	struct stat sb;

	(void)sets;
	(void)n;
	if (stat(u->path, &sb) != 0)
		sb.st_size = 0;
	u->label = xasprintf("ota-upload %s", params_get(&u->fp, "FirmwareName"));
	safe = safetext_dup(u->path, strlen(u->path));
	q = xasprintf("Upload %s (%.1f MiB) as firmware \"%s\" version %s of product %s "
	    "(GenerateOTAUploadURL, the file to OSS, CreateOTAFirmware)?", safe,
	    (double)sb.st_size / 1048576.0, params_get(&u->fp, "FirmwareName"),
	    params_get(&u->fp, "DestVersion"), params_get(&u->fp, "ProductKey"));
	free(safe);
	safe = safetext_dup(q, strlen(q));
	keep = fwup_take(u);	/* the form frees arg after this returns */
	ui_confirm(ui, NULL, safe, go, keep, fwup_free);
	free(safe);
	free(q);
}

int
fwupload_command(struct ui *ui, const char *arg)
{
	struct fwup *u;
	struct stat sb;
	char *path, *safe, *title;
	size_t n;

	if (ui_readonly(ui)) {
		ui_error(ui, "read-only session: :ota-upload is refused (writes are off)");
		return -1;
	}
	if (cur != NULL) {
		ui_error(ui, ":ota-upload: %s is under way (one at a time)", cur->label);
		return -1;
	}
	while (*arg == ' ')
		arg++;
	if (*arg == '\0') {
		prompt_open_with(ui, ':', "ota-upload ");
		ui_message(ui, ":ota-upload: type the file's path (Tab completes), then Enter");
		return 0;
	}
	path = xstrdup(arg);
	n = strlen(path);
	while (n > 0 && path[n - 1] == ' ')
		path[--n] = '\0';
	if (path[0] == '~' && path[1] == '/' && getenv("HOME") != NULL) {
		char *full = xasprintf("%s%s", getenv("HOME"), path + 1);

		free(path);
		path = full;
	}
	safe = safetext_dup(path, strlen(path));
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		ui_error(ui, ":ota-upload: %s: %s", safe, stat(path, &sb) != 0 ? strerror(errno) :
		    "not a regular file");
		goto fail;
	}
	if ((long long)sb.st_size > OTA_MAX_UPLOAD_BYTES || sb.st_size == 0) {
		ui_error(ui, ":ota-upload: %s: %lld bytes: expected 1 byte to 2,000 MB "
		    "(GenerateOTAUploadURL: the upload limit)", safe, (long long)sb.st_size);
		goto fail;
	}
	form_build();
	u = fwup_new(ui);
	u->path = path;
	title = xasprintf("Upload %s as a firmware (CreateOTAFirmware)", safe);
	if (form_open_service(ui, title, &upload_form, form_done, u, fwup_free) == 0)
		form_check(ui, form_check_values);
	free(title);
	free(safe);
	return 0;
fail:
	free(safe);
	free(path);
	return -1;
}

/* ---- Tab ------------------------------------------------------------------------------ */

char *
fwupload_complete(const char *text, const char *arg, char **list)
{
	const char *slash, *home = getenv("HOME");
	char *dir, *prefix, *best = NULL, *full;
	struct buf out = BUF_INIT, names = BUF_INIT;
	struct dirent *de;
	struct stat sb;
	size_t plen, len = 0, n = 0, k;
	int first_dir = 0;
	DIR *d;

	*list = NULL;
	while (*arg == ' ')
		arg++;
	slash = strrchr(arg, '/');
	if (slash == NULL) {
		dir = xstrdup(".");
		prefix = xstrdup(arg);
	} else {
		dir = slash == arg ? xstrdup("/") : xstrndup(arg, (size_t)(slash - arg));
		prefix = xstrdup(slash + 1);
	}
	if (dir[0] == '~' && (dir[1] == '\0' || dir[1] == '/') && home != NULL) {
		full = xasprintf("%s%s", home, dir + 1);
		free(dir);
		dir = full;
	}
	plen = strlen(prefix);
	if ((d = opendir(dir)) == NULL)
		goto done;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, plen) != 0 || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 || (plen == 0 && de->d_name[0] == '.'))
			continue;
		if (best == NULL) {
			best = xstrdup(de->d_name);
			len = strlen(best);
		} else {
			for (k = 0; k < len && best[k] == de->d_name[k]; k++)
				;
			len = k;
		}
		full = xasprintf("%s/%s", dir, de->d_name);
		k = stat(full, &sb) == 0 && S_ISDIR(sb.st_mode);
		free(full);
		if (n == 0)
			first_dir = (int)k;
		full = safetext_dup(de->d_name, strlen(de->d_name));
		buf_addf(&names, "%s%s\n", full, k ? "/" : "");
		free(full);
		n++;
	}
	closedir(d);
	if (n == 0)
		goto done;
	buf_add(&out, text, (size_t)(arg - text));
	if (slash != NULL)
		buf_add(&out, arg, (size_t)(slash - arg) + 1);
	buf_add(&out, best, len);
	if (n == 1 && first_dir)
		buf_addc(&out, '/');
	if (n > 1)
		*list = buf_detach(&names);
done:
	free(best);
	free(dir);
	free(prefix);
	buf_free(&names);
	if (n == 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}
