/* audit.c (cli) — `iotdeck audit` (see cli/audit.h). */
#include "cli/audit.h"
#include "core/clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "op/audit.h"
#include "ui/text.h"

#define NCOLS 6

static const char *const headers[NCOLS] = {
	"TIME", "OPERATION", "ACTION", "DEVICE", "OUTCOME", "DETAIL"
};

/* Widest a column gets (DETAIL, the last, is cut only to the terminal). */
static const int max_cols[NCOLS] = { 24, 25, 24, 48, 8, 0 };

struct row {
	char *cell[NCOLS];	/* display-safe */
};

struct rows {
	struct row *v;
	size_t      n, cap;
};

int
audit_parse_duration(const char *s, int64_t *ms)
{
	char *end;
	long long n;
	int64_t unit = 1000;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		if (end[1] != '\0')
			return -1;
		switch (*end) {
		case 's': unit = 1000; break;
		case 'm': unit = 60 * 1000; break;
		case 'h': unit = 3600 * 1000; break;
		case 'd': unit = 86400 * 1000; break;
		default: return -1;
		}
	}
	if (n > 100LL * 366 * 86400 * 1000 / unit)
		return -1;
	*ms = (int64_t)n * unit;
	return 0;
}

static const char *
str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *
safe(const char *s)
{
	return safetext_dup(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void
row_add(struct rows *rs, const cJSON *o)
{
	const char *pk = str(o, "product_key"), *dn = str(o, "device_name");
	const char *code = str(o, "code"), *msg = str(o, "message"), *rid = str(o, "request_id");
	struct buf b = BUF_INIT;
	struct row *r;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->v = xreallocarray(rs->v, rs->cap, sizeof *rs->v);
	}
	r = &rs->v[rs->n++];
	r->cell[0] = safe(str(o, "time"));
	r->cell[1] = safe(str(o, "operation"));
	r->cell[2] = safe(str(o, "action"));
	if (pk != NULL && dn != NULL)
		buf_addf(&b, "%s/%s", pk, dn);
	else
		buf_adds(&b, str(o, "iot_id") ? str(o, "iot_id") : "");
	r->cell[3] = safe(buf_str(&b));
	r->cell[4] = safe(str(o, "outcome"));
	buf_reset(&b);
	if (code != NULL)
		buf_addf(&b, "%s: ", code);
	if (msg != NULL)
		buf_adds(&b, msg);
	if (rid != NULL && b.len > 0)
		buf_addf(&b, " (RequestId %s)", rid);
	else if (rid != NULL)
		buf_addf(&b, "RequestId %s", rid);
	r->cell[5] = safe(buf_str(&b));
	buf_free(&b);
}

static void
rows_print(const struct rows *rs, int width)
{
	int w[NCOLS], c, used;
	struct buf line = BUF_INIT;
	size_t i;

	for (c = 0; c < NCOLS; c++) {
		w[c] = text_width(headers[c]);
		for (i = 0; i < rs->n; i++)
			if (text_width(rs->v[i].cell[c]) > w[c])
				w[c] = text_width(rs->v[i].cell[c]);
		if (max_cols[c] > 0 && w[c] > max_cols[c])
			w[c] = max_cols[c];
	}
	for (i = 0; i <= rs->n; i++) {
		buf_reset(&line);
		used = 0;
		for (c = 0; c < NCOLS; c++) {
			const char *cell = i == 0 ? headers[c] : rs->v[i - 1].cell[c];
			if (c < NCOLS - 1) {
				used += text_fit(&line, cell, w[c], 1, 0) + 2;
				buf_adds(&line, "  ");
			} else if (width > used + 10)
				text_fit(&line, cell, width - used, 0, 0);
			else
				buf_adds(&line, cell);
		}
		buf_addc(&line, '\n');
		fputs(buf_str(&line), stdout);
	}
	buf_free(&line);
}

static void
rows_free(struct rows *rs)
{
	size_t i;
	int c;

	for (i = 0; i < rs->n; i++)
		for (c = 0; c < NCOLS; c++)
			free(rs->v[i].cell[c]);
	free(rs->v);
}

static int
usage(const char *msg)
{
	fprintf(stderr, "iotdeck audit: %s\nusage: iotdeck audit [--since DURATION] [--json] "
	    "[--audit-log FILE]\n", msg);
	return EXIT_USAGE;
}

int
cmd_audit(const struct global_opts *o, char **words, int nwords)
{
	const char *since = NULL;
	char *path = NULL, *cause = NULL, *line = NULL, *s, *text;
	int64_t since_ms = 0, cutoff = INT64_MIN, t;
	struct rows rs = { NULL, 0, 0 };
	struct winsize ws;
	size_t cap = 0, skipped = 0, kept = 0;
	ssize_t len;
	int json = 0, i, width = 0, rc = EXIT_OK;
	FILE *f;
	cJSON *obj;

	for (i = 1; i < nwords; i++) {
		if (strcmp(words[i], "--json") == 0)
			json = 1;
		else if (strcmp(words[i], "--since") == 0 && i + 1 < nwords)
			since = words[++i];
		else if (strncmp(words[i], "--since=", 8) == 0)
			since = words[i] + 8;
		else {
			cause = safetext_excerpt_in("unexpected '", words[i], strlen(words[i]), 40,
			    "'");
			rc = usage(cause);
			free(cause);
			return rc;
		}
	}
	if (since != NULL) {
		if (audit_parse_duration(since, &since_ms) != 0) {
			cause = safetext_excerpt_in("--since '", since, strlen(since), 40,
			    "': give a duration like 90s, 30m, 8h or 7d");
			rc = usage(cause);
			free(cause);
			return rc;
		}
		cutoff = clock_wall_ms() - since_ms;
	}
	if (o->audit_log != NULL && strcmp(o->audit_log, "off") == 0)
		return usage("--audit-log off: there is no log to show");
	if (o->audit_log != NULL)
		path = xstrdup(o->audit_log);
	else if ((path = audit_default_path(&cause)) == NULL) {
		fprintf(stderr, "iotdeck audit: %s\n", cause);
		free(cause);
		return EXIT_CONFIG;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		s = safetext_dup(path, strlen(path));
		if (errno == ENOENT)
			fprintf(stderr, "iotdeck audit: no audit log at %s yet: no write was sent\n", s);
		else {
			fprintf(stderr, "iotdeck audit: %s: %s\n", s, strerror(errno));
			rc = EXIT_CONFIG;
		}
		free(s);
		free(path);
		return rc;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		obj = cJSON_ParseWithLength(line, (size_t)len);
		if (!cJSON_IsObject(obj) || str(obj, "time") == NULL ||
		    timefmt_parse(str(obj, "time"), &t) != 0) {
			cJSON_Delete(obj);
			skipped++;
			continue;
		}
		if (t >= cutoff) {
			kept++;
			if (json) {
				jsonout_keep_number_text(obj, line, (size_t)len);
				text = jsonout_print(obj, JSONOUT_COMPACT);
				fputs(text, stdout);
				fputc('\n', stdout);
				free(text);
			} else
				row_add(&rs, obj);
		}
		cJSON_Delete(obj);
	}
	if (ferror(f)) {
		s = safetext_dup(path, strlen(path));
		fprintf(stderr, "iotdeck audit: reading %s: %s\n", s, strerror(errno));
		free(s);
		rc = EXIT_CONFIG;
	}
	fclose(f);
	free(line);
	if (!json && kept > 0) {
		if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
			width = ws.ws_col;
		rows_print(&rs, width);
	}
	if (skipped > 0)
		fprintf(stderr, "iotdeck audit: %zu line%s that %s not audit records skipped\n",
		    skipped, skipped == 1 ? "" : "s", skipped == 1 ? "is" : "are");
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("iotdeck audit: writing");
		rc = EXIT_CONFIG;
	}
	rows_free(&rs);
	free(path);
	return rc;
}
