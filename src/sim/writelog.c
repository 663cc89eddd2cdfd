/* writelog.c — the write log (see writelog.h). */
#include "sim/writelog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/jsonout.h"
#include "core/xmalloc.h"
#include "sim/handler.h"
#include "sim/log.h"

struct sim_writelog {
	int             fd;		/* O_APPEND descriptor */
	char           *path;		/* for messages */
	int             failed;		/* a write failed (logged once) */
	pthread_mutex_t lock;		/* one line at a time */
};

/* The common parameters of a signed request: protocol, not the write's content. */
static const char *const skipped[] = {
	"AccessKeyId", "Action", "Format", "SecurityToken", "Signature", "SignatureMethod",
	"SignatureNonce", "SignatureType", "SignatureVersion", "Timestamp", "Version",
};

int
sim_writelog_skip_param(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
		if (strcmp(name, skipped[i]) == 0)
			return 1;
	return 0;
}

/* Opens an existing log to append to it: a regular file of ours, 0600 or stricter. */
static int
open_existing(const char *path, char **cause)
{
	struct stat st;
	int fd;

	/* Said first, for a clear message; the descriptor is checked again below. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		*cause = xasprintf("--write-log %s: is a symbolic link (refused; give the real path)", path);
		return -1;
	}
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*cause = xasprintf("--write-log %s: not a regular file", path);
		return -1;
	}
	/* O_NONBLOCK: a FIFO planted at the path meanwhile must not hang the start-up. */
	fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			*cause = xasprintf("--write-log %s: is a symbolic link (refused; give the real path)", path);
		else
			*cause = xasprintf("--write-log %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*cause = xasprintf("--write-log %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("--write-log %s: not a regular file", path);
		goto fail;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		*cause = xasprintf("--write-log %s: exists and is not a private file of this user "
		    "(owner %lu, mode %04o; 0600 expected)", path, (unsigned long)st.st_uid,
		    (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (fcntl(fd, F_SETFL, O_APPEND) != 0) {
		*cause = xasprintf("--write-log %s: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

struct sim_writelog *
sim_writelog_open(const char *path, char **cause)
{
	struct sim_writelog *w;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		fd = open_existing(path, cause);
	else if (fd < 0)
		*cause = xasprintf("--write-log %s: %s", path, strerror(errno));
	if (fd < 0)
		return NULL;
	w = xcalloc(1, sizeof *w);
	w->fd = fd;
	w->path = xstrdup(path);
	pthread_mutex_init(&w->lock, NULL);
	return w;
}

void
sim_writelog_close(struct sim_writelog *w)
{
	if (w == NULL)
		return;
	close(w->fd);
	pthread_mutex_destroy(&w->lock);
	free(w->path);
	free(w);
}

static void
add_str_or_null(cJSON *o, const char *name, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

char *
sim_writelog_format(const struct sim_write *e)
{
	cJSON *o = cJSON_CreateObject(), *params;
	char when[32], *text;
	size_t i;

	sim_fmt_utc(e->time_ms, when);
	cJSON_AddStringToObject(o, "time", when);
	add_str_or_null(o, "action", e->action);
	add_str_or_null(o, "product_key", e->product_key);
	add_str_or_null(o, "device_name", e->device_name);
	add_str_or_null(o, "iot_id", e->iot_id);
	params = cJSON_AddObjectToObject(o, "params");
	for (i = 0; e->params != NULL && i < e->params->n; i++) {
		const struct param *p = &e->params->v[i];
		/* A repeated name keeps its first value, as the handlers read it. */
		if (!sim_writelog_skip_param(p->name) && cJSON_GetObjectItemCaseSensitive(params,
		    p->name) == NULL)
			cJSON_AddStringToObject(params, p->name, p->value);
	}
	add_str_or_null(o, "request_id", e->request_id);
	cJSON_AddNumberToObject(o, "http_status", e->http_status);
	add_str_or_null(o, "code", e->code != NULL && *e->code != '\0' ? e->code : NULL);
	add_str_or_null(o, "fault", e->fault != SIM_FAULT_NONE ? sim_fault_name(e->fault) : NULL);
	cJSON_AddBoolToObject(o, "executed", e->executed);
	cJSON_AddBoolToObject(o, "applied", e->applied);
	/* jsonout: invalid UTF-8 and control characters of a parameter cannot break the
	 * line or the reader. */
	text = jsonout_print(o, JSONOUT_COMPACT);
	cJSON_Delete(o);
	return text;
}

int
sim_writelog_append(struct sim_writelog *w, const struct sim_write *e)
{
	char *line = sim_writelog_format(e);
	size_t len = strlen(line), off = 0;
	int rc = 0, err = 0;

	line = xrealloc(line, len + 2);
	line[len++] = '\n';
	line[len] = '\0';
	pthread_mutex_lock(&w->lock);
	while (off < len) {
		ssize_t n = write(w->fd, line + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	if (rc != 0 && !w->failed) {
		w->failed = 1;
		sim_log("--write-log %s: %s (further failures are not reported)", w->path,
		    strerror(err));
	}
	pthread_mutex_unlock(&w->lock);
	free(line);
	return rc;
}
