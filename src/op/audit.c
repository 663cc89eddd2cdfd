/* audit.c — the audit log (see audit.h). */
#include "op/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

struct audit {
	int   fd;	/* O_APPEND descriptor */
	char *path;	/* as opened */
};

static char *
shown(const char *s)
{
	return safetext_dup(s, strlen(s));
}

char *
audit_default_path(char **cause)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* The XDG spec: a relative XDG_STATE_HOME is invalid and is ignored. */
	if (state != NULL && state[0] == '/')
		return xasprintf("%s/iotdeck/audit.log", state);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.local/state/iotdeck/audit.log", home);
	*cause = xstrdup("no place for the audit log: set HOME or XDG_STATE_HOME, or give "
	    "--audit-log FILE");
	return NULL;
}

/* mkdir -p of dir's missing components, each new one 0700. Returns 0 or -1 (errno). */
static int
make_dirs(const char *dir)
{
	char *p = xstrdup(dir), *s = p, save;
	int rc = 0;

	for (;;) {
		s += strspn(s, "/");
		if (*s == '\0')
			break;
		s += strcspn(s, "/");
		save = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = save;
	}
	free(p);
	return rc;
}

struct audit *
audit_open(const char *path, char **cause)
{
	char *def = NULL, *dir = NULL, *s;
	const char *name;
	struct audit *a = NULL;
	struct stat st;
	int dirfd = -1, fd = -1, err;

	if (path == NULL) {
		if ((def = audit_default_path(cause)) == NULL)
			return NULL;
		path = def;
	}
	if (*path == '\0') {
		*cause = xstrdup("the audit log's file name is empty");
		goto fail;
	}
	name = strrchr(path, '/');
	if (name == NULL) {
		dir = xstrdup(".");
		name = path;
	} else {
		dir = name == path ? xstrdup("/") : xstrndup(path, (size_t)(name - path));
		name++;
	}
	if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		s = shown(path);
		*cause = xasprintf("audit log %s: not a file name", s);
		free(s);
		goto fail;
	}
	/* Only the default's directories are made: a given FILE's directory must exist. */
	if (def != NULL && make_dirs(dir) != 0) {
		err = errno;
		s = shown(dir);
		*cause = xasprintf("cannot create %s for the audit log: %s", s, strerror(err));
		free(s);
		goto fail;
	}
	/* The default's own directory must not be a link to somewhere else. */
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (def != NULL ? O_NOFOLLOW : 0));
	if (dirfd < 0) {
		err = errno;
		if (err == ENOTDIR && lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
			err = ELOOP;	/* O_DIRECTORY|O_NOFOLLOW on a link says ENOTDIR */
		s = shown(dir);
		*cause = xasprintf("audit log directory %s: %s", s, err == ELOOP ?
		    "a symbolic link (refused)" : strerror(err));
		free(s);
		goto fail;
	}
	fd = openat(dirfd, name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY |
	    O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0) {
		err = errno;
		s = shown(path);
		*cause = xasprintf("audit log %s: %s", s, err == ELOOP ?
		    "a symbolic link (refused, never followed)" : err == ENXIO ?
		    "not a regular file (a FIFO or a socket)" : strerror(err));
		free(s);
		goto fail;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		err = errno;
		s = shown(path);
		*cause = xasprintf("audit log %s: %s", s, fstat(fd, &st) != 0 ? strerror(err) :
		    !S_ISREG(st.st_mode) ? "not a regular file" : "owned by another user");
		free(s);
		goto fail;
	}
	/* O_NONBLOCK kept a FIFO from blocking the open; a regular file does not need it. */
	fcntl(fd, F_SETFL, O_WRONLY | O_APPEND);
	a = xcalloc(1, sizeof *a);
	a->fd = fd;
	a->path = xstrdup(path);
	fd = -1;
fail:
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	free(dir);
	free(def);
	return a;
}

void
audit_close(struct audit *a)
{
	if (a == NULL)
		return;
	fdatasync(a->fd);
	close(a->fd);
	free(a->path);
	free(a);
}

const char *
audit_path(const struct audit *a)
{
	return a->path;
}

const char *
audit_time(int64_t ms, char *out, size_t outlen)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char date[24];

	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S",
	    &tm) == 0)
		date[0] = '\0';
	snprintf(out, outlen, "%s.%03dZ", date, (int)(ms % 1000));
	return out;
}

int
audit_param_redacted(const char *name)
{
	static const char *const words[] = { "secret", "password", "token", NULL };
	size_t i, n, len = strlen(name), j;

	for (i = 0; words[i] != NULL; i++) {
		n = strlen(words[i]);
		for (j = 0; j + n <= len; j++)
			if (strncasecmp(name + j, words[i], n) == 0)
				return 1;
	}
	return 0;
}

static void
add_str(cJSON *o, const char *name, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

cJSON *
audit_entry_json(const struct audit_entry *e)
{
	cJSON *o = cJSON_CreateObject(), *p;
	char when[40];
	size_t i;

	add_str(o, "time", audit_time(e->time_ms != 0 ? e->time_ms : now_ms(), when,
	    sizeof when));
	add_str(o, "profile", e->profile);
	add_str(o, "region", e->region);
	add_str(o, "endpoint", e->endpoint);
	add_str(o, "action", e->action);
	add_str(o, "product_key", e->product_key);
	add_str(o, "device_name", e->device_name);
	add_str(o, "iot_id", e->iot_id);
	p = cJSON_AddObjectToObject(o, "params");
	for (i = 0; e->params != NULL && i < e->params->n; i++)
		cJSON_AddStringToObject(p, e->params->v[i].name,
		    audit_param_redacted(e->params->v[i].name) ? "[redacted]" :
		    e->params->v[i].value);
	add_str(o, "outcome", e->outcome);
	add_str(o, "code", e->code);
	add_str(o, "message", e->message);
	add_str(o, "request_id", e->request_id);
	add_str(o, "operation", e->operation);
	return o;
}

int
audit_write(struct audit *a, const struct audit_entry *e, char **cause)
{
	cJSON *o = audit_entry_json(e);
	struct buf line = BUF_INIT;
	size_t off = 0;
	ssize_t n;
	int rc = 0;

	jsonout_value(&line, o, JSONOUT_COMPACT);
	buf_addc(&line, '\n');
	cJSON_Delete(o);
	while (off < line.len) {
		n = write(a->fd, line.data + off, line.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			char *s = shown(a->path);
			*cause = xasprintf("writing the audit log %s: %s", s,
			    n < 0 ? strerror(errno) : "nothing written");
			free(s);
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	buf_free(&line);
	return rc;
}

int
audit_sync(struct audit *a, char **cause)
{
	char *s;

	if (fdatasync(a->fd) == 0 || errno == EINVAL)
		return 0;
	s = shown(a->path);
	*cause = xasprintf("syncing the audit log %s: %s", s, strerror(errno));
	free(s);
	return -1;
}
