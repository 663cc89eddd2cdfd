/* targets.c — the devices of `iotdeck set` and `invoke` (see targets.h). */
#include "cli/targets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/pager.h"
#include "api/response.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

/* The worker tag of the lookups (the command's worker carries nothing else). */
#define LOOKUP_TAG 1

static char *
shown(const char *s)
{
	return safetext_excerpt(s, strlen(s), 60);
}

static void
target_clear(struct target *t)
{
	free(t->product_key);
	free(t->device_name);
	free(t->iot_id);
	free(t->source);
	memset(t, 0, sizeof *t);
}

void
target_list_free(struct target_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		target_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static struct target *
target_add(struct target_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	memset(&l->v[l->n], 0, sizeof l->v[0]);
	return &l->v[l->n++];
}

/* ---- parsing ---------------------------------------------------------------------- */

static int
all_chars(const char *s, size_t len, const char *extra)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c != '\0' && strchr(extra, c) != NULL)))
			return 0;
	}
	return 1;
}

int
targets_parse_word(const char *word, const char *source, struct target *t, char **cause)
{
	const char *slash = strchr(word, '/');
	size_t pklen;
	char *s;

	memset(t, 0, sizeof *t);
	if (slash != NULL) {
		pklen = (size_t)(slash - word);
		/* ProductKey: letters and digits; DeviceName: the guide's 4.8.1 characters. */
		if (pklen == 0 || pklen > 64 || !all_chars(word, pklen, "") ||
		    slash[1] == '\0' || strlen(slash + 1) > 128 ||
		    !all_chars(slash + 1, strlen(slash + 1), "-_@.:")) {
			s = shown(word);
			*cause = xasprintf("%s: '%s' is not PRODUCTKEY/DEVICENAME (a DeviceName holds "
			    "letters, digits and - _ @ . :)", source, s);
			free(s);
			return -1;
		}
		t->product_key = xstrndup(word, pklen);
		t->device_name = xstrdup(slash + 1);
	} else {
		if (*word == '\0' || strlen(word) > 128 || !all_chars(word, strlen(word), "-_")) {
			s = shown(word);
			*cause = xasprintf("%s: '%s' is neither PRODUCTKEY/DEVICENAME nor an IotId",
			    source, s);
			free(s);
			return -1;
		}
		t->iot_id = xstrdup(word);
	}
	t->source = xstrdup(source);
	return 0;
}

/* Reads targets from path ("-": standard input), one a line. */
static int
read_file(const char *path, struct target_list *l, char **cause)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, *p, *end, *where, *s;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0, err;

	if (f == NULL) {
		err = errno;
		s = shown(path);
		*cause = xasprintf("--from %s: %s", s, strerror(err));
		free(s);
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		p = line + strspn(line, " \t");
		end = p + strlen(p);
		while (end > p && strchr(" \t\r\n", end[-1]) != NULL)
			*--end = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		s = shown(strcmp(path, "-") == 0 ? "stdin" : path);
		where = xasprintf("%s:%zu", s, lineno);
		free(s);
		rc = targets_parse_word(p, where, target_add(l), cause);
		free(where);
		if (rc != 0) {
			l->n--;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		s = shown(path);
		*cause = xasprintf("--from %s: %s", s, strerror(errno));
		free(s);
		rc = -1;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* An option's value: "--opt=V" or "--opt V" (the next word). NULL if not this option. */
static const char *
option_value(const char *name, char **words, int nwords, int *i)
{
	size_t n = strlen(name);

	if (strncmp(words[*i], name, n) != 0)
		return NULL;
	if (words[*i][n] == '=')
		return words[*i] + n + 1;
	if (words[*i][n] == '\0' && *i + 1 < nwords)
		return words[++*i];
	return NULL;
}

static int
identifier_ok(const char *s, size_t len)
{
	return len > 0 && len <= 50 && all_chars(s, len, "_");
}

int
targets_parse(int invoke, char **words, int nwords, struct targets_args *a, char **cause)
{
	const char **plain = xcalloc((size_t)nwords + 1, sizeof *plain);
	const char *v, *eq;
	char *s, *where;
	size_t nplain = 0, i, j, len;
	int k, first_set = -1, plain_after_set = 0;

	memset(a, 0, sizeof *a);
	a->groups = xcalloc((size_t)nwords + 1, sizeof *a->groups);
	a->sets = xcalloc((size_t)nwords + 1, sizeof *a->sets);
	for (k = 1; k < nwords; k++) {
		const char *w = words[k];
		if (strcmp(w, "--json") == 0) {
			a->json = 1;
			continue;
		}
		if ((v = option_value("--from", words, nwords, &k)) != NULL) {
			if (read_file(v, &a->targets, cause) != 0)
				goto fail;
			continue;
		}
		if ((v = option_value("--group", words, nwords, &k)) != NULL) {
			if (*v == '\0' || strlen(v) > 64 || !all_chars(v, strlen(v), "-_")) {
				s = shown(v);
				*cause = xasprintf("--group '%s' is not a GroupId", s);
				free(s);
				goto fail;
			}
			a->groups[a->ngroups++] = (char *)v;
			continue;
		}
		if (w[0] == '-' && w[1] != '\0') {
			s = shown(w);
			*cause = xasprintf("unknown option '%s' (or an option without its value)", s);
			free(s);
			goto fail;
		}
		if ((eq = strchr(w, '=')) == NULL) {
			if (first_set >= 0)
				plain_after_set = 1;
			plain[nplain++] = w;
			continue;
		}
		len = (size_t)(eq - w);
		if (!identifier_ok(w, len)) {
			s = shown(w);
			*cause = xasprintf("'%s' is not %s=VALUE (an identifier holds letters, digits "
			    "and _)", s, invoke ? "ARG" : "ID");
			free(s);
			goto fail;
		}
		for (j = 0; j < a->nsets; j++)
			if (strlen(a->sets[j].id) == len && strncmp(a->sets[j].id, w, len) == 0) {
				s = xstrndup(w, len);
				*cause = xasprintf("%s is given twice", s);
				free(s);
				goto fail;
			}
		if (first_set < 0)
			first_set = k;
		a->sets[a->nsets].id = xstrndup(w, len);
		a->sets[a->nsets].text = eq + 1;
		a->nsets++;
	}
	if (invoke) {
		if (plain_after_set) {
			*cause = xstrdup("targets and SERVICE come before ARG=VALUE");
			goto fail;
		}
		if (nplain == 0 || !identifier_ok(plain[nplain - 1], strlen(plain[nplain - 1]))) {
			s = nplain > 0 ? shown(plain[nplain - 1]) : NULL;
			*cause = s != NULL ? xasprintf("missing SERVICE after the targets ('%s' is a "
			    "device, not a service identifier)", s) : xstrdup("missing SERVICE");
			free(s);
			goto fail;
		}
		a->service = plain[--nplain];
	} else if (a->nsets == 0) {
		*cause = xstrdup("nothing to set: give ID=VALUE after the targets");
		goto fail;
	}
	for (i = 0; i < nplain; i++) {
		where = xasprintf("argument '%s'", plain[i]);
		s = safetext_excerpt(where, strlen(where), 80);
		free(where);
		if (targets_parse_word(plain[i], s, target_add(&a->targets), cause) != 0) {
			a->targets.n--;
			free(s);
			goto fail;
		}
		free(s);
	}
	if (a->targets.n == 0 && a->ngroups == 0) {
		*cause = xstrdup("no devices: give PK/DEVICENAME, an IotId, --from FILE or "
		    "--group GROUPID");
		goto fail;
	}
	free(plain);
	return 0;
fail:
	free(plain);
	targets_args_free(a);
	return -1;
}

void
targets_args_free(struct targets_args *a)
{
	size_t i;

	target_list_free(&a->targets);
	free(a->groups);
	for (i = 0; i < a->nsets; i++)
		free((char *)a->sets[i].id);
	free(a->sets);
	memset(a, 0, sizeof *a);
}

/* ---- resolving ---------------------------------------------------------------------- */

struct group_ctx {
	struct target_list *l;		/* where the devices go */
	const char         *group;	/* the group */
};

static int
on_group_page(void *arg, const struct pager_page *pg)
{
	struct group_ctx *g = arg;
	char b1[40], b2[40], b3[40], *s;
	const char *pk, *dn, *id;
	struct target *t;
	size_t i;

	for (i = 0; i < pg->count; i++) {
		pk = api_json_string(pg->items[i], "ProductKey", b1, sizeof b1);
		dn = api_json_string(pg->items[i], "DeviceName", b2, sizeof b2);
		id = api_json_string(pg->items[i], "IotId", b3, sizeof b3);
		if (pk == NULL || dn == NULL)
			continue;
		t = target_add(g->l);
		t->product_key = xstrdup(pk);
		t->device_name = xstrdup(dn);
		t->iot_id = id != NULL && *id != '\0' ? xstrdup(id) : NULL;
		s = shown(g->group);
		t->source = xasprintf("group %s", s);
		free(s);
	}
	return 0;
}

/* Pages through action's list of the devices of group (their groups: a static group's
 * QueryDeviceListByDeviceGroup, a dynamic one's QueryDynamicGroupDevices). *not_static is
 * set when the API says there is no such static group. */
static enum api_status
list_group_with(struct worker *w, const char *action, const char *group,
    struct target_list *l, volatile int *interrupted, int *not_static, char **cause)
{
	struct params f = PARAMS_INIT;
	struct pager_opts po;
	struct pager *pg;
	struct group_ctx g = { l, group };
	const struct api_error *err;
	enum api_status st;
	char *line, *s;

	params_set(&f, "GroupId", group);
	pager_opts_init(&po);
	po.prio = WORKER_INTERACTIVE;
	po.tag = LOOKUP_TAG;
	pg = pager_new(w, action, &f, &po, on_group_page, &g, cause);
	params_free(&f);
	if (pg == NULL)
		return API_ERR_CONFIG;
	pager_start(pg);
	while (!pager_done(pg) && !*interrupted)
		pager_pump(pg, 200);
	if (!pager_done(pg))
		pager_cancel(pg);
	st = pager_status(pg, &err);
	if (st != API_OK && not_static != NULL && err != NULL && err->code != NULL &&
	    strcmp(err->code, "iot.group.NotExistedGroup") == 0)
		*not_static = 1;
	if (st != API_OK && (not_static == NULL || !*not_static ||
	    worker_config(w)->instance_id == NULL)) {
		line = api_error_format(err);
		s = shown(group);
		*cause = xasprintf("the devices of group %s: %s%s", s, line,
		    not_static != NULL && *not_static ? "; a dynamic group's devices need the "
		    "instance (--instance ID)" : "");
		free(s);
		free(line);
	}
	pager_free(pg);
	return st;
}

/* The devices of a group: a static group's, else (the API knows no static group of that
 * id) a dynamic group's, the devices its rule matches now. */
static enum api_status
list_group(struct worker *w, const char *group, struct target_list *l,
    volatile int *interrupted, char **cause)
{
	int not_static = 0;
	enum api_status st;

	st = list_group_with(w, ACT_QueryDeviceListByDeviceGroup, group, l, interrupted,
	    &not_static, cause);
	if (st != API_OK && not_static && worker_config(w)->instance_id != NULL)
		st = list_group_with(w, ACT_QueryDynamicGroupDevices, group, l, interrupted, NULL,
		    cause);
	return st;
}

enum api_status
targets_read_each(struct worker *w, const char *action, size_t n, int window,
    targets_params_fn *params_of, targets_answer_fn *on_answer,
    const char *(*name)(void *arg, size_t i), void *arg, volatile int *interrupted,
    char **cause)
{
	struct worker_result *r, *next;
	struct worker_call c;
	struct params p = PARAMS_INIT;
	enum api_status st = API_OK;
	char *line = NULL, *s;
	size_t i = 0, at;
	int inflight = 0;

	for (;;) {
		while (st == API_OK && !*interrupted && inflight < window && i < n) {
			params_free(&p);
			if (!params_of(arg, i, &p)) {
				i++;
				continue;
			}
			memset(&c, 0, sizeof c);
			c.action = action;
			c.params = &p;
			c.prio = WORKER_INTERACTIVE;
			c.tag = LOOKUP_TAG;
			c.udata = (void *)(uintptr_t)i;
			worker_submit(w, &c);
			inflight++;
			i++;
		}
		if (inflight == 0 || *interrupted)
			break;
		worker_wait(w, 200);
		for (r = worker_take(w); r != NULL; r = next) {
			next = r->next;
			at = (size_t)(uintptr_t)r->udata;
			if (r->tag != LOOKUP_TAG) {
				worker_result_free(r);
				continue;
			}
			inflight--;
			if (st == API_OK && r->status != API_OK) {
				st = r->status;
				line = api_error_format(&r->err);
			} else if (st == API_OK && on_answer(arg, at, r->json, &line) != 0)
				st = API_ERR_BAD_RESPONSE;
			if (line != NULL) {
				s = shown(name(arg, at));
				*cause = xasprintf("%s: %s", s, line);
				free(s);
				free(line);
				line = NULL;
			}
			worker_result_free(r);
		}
	}
	params_free(&p);
	if (inflight > 0)
		worker_cancel_tag(w, LOOKUP_TAG);	/* reads only */
	return st;
}

static int
iot_id_params(void *arg, size_t i, struct params *p)
{
	struct target_list *l = arg;

	if (l->v[i].product_key != NULL)
		return 0;
	params_set(p, "IotId", l->v[i].iot_id);
	return 1;
}

static int
iot_id_answer(void *arg, size_t i, const cJSON *answer, char **cause)
{
	struct target_list *l = arg;
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(answer, "Data");
	char b1[40], b2[140];
	const char *pk = api_json_string(data, "ProductKey", b1, sizeof b1);
	const char *dn = api_json_string(data, "DeviceName", b2, sizeof b2);

	if (pk == NULL || dn == NULL) {
		*cause = xstrdup("QueryDeviceInfo did not say its ProductKey and DeviceName");
		return -1;
	}
	l->v[i].product_key = xstrdup(pk);
	l->v[i].device_name = xstrdup(dn);
	return 0;
}

static const char *
iot_id_name(void *arg, size_t i)
{
	struct target_list *l = arg;

	return l->v[i].source;
}

struct key_at {
	char   *key;	/* "PK\x1fDN" */
	size_t  at;	/* index in the list */
};

static int
key_cmp(const void *a, const void *b)
{
	const struct key_at *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : (x->at > y->at) - (x->at < y->at);
}

/* Drops the targets naming a device named before; returns how many. */
static size_t
dedupe(struct target_list *l)
{
	struct key_at *k = xreallocarray(NULL, l->n ? l->n : 1, sizeof *k);
	char *drop = xcalloc(l->n ? l->n : 1, 1);
	size_t i, n = 0, dropped = 0;

	for (i = 0; i < l->n; i++) {
		k[i].key = xasprintf("%s\x1f%s", l->v[i].product_key, l->v[i].device_name);
		k[i].at = i;
	}
	qsort(k, l->n, sizeof *k, key_cmp);
	for (i = 1; i < l->n; i++)
		if (strcmp(k[i].key, k[i - 1].key) == 0)
			drop[k[i].at] = 1;
	for (i = 0; i < l->n; i++) {
		free(k[i].key);
		if (drop[i]) {
			target_clear(&l->v[i]);
			dropped++;
			continue;
		}
		l->v[n++] = l->v[i];
	}
	l->n = n;
	free(k);
	free(drop);
	return dropped;
}

enum api_status
targets_resolve(struct worker *w, struct targets_args *a, int window,
    volatile int *interrupted, size_t *duplicates, char **cause)
{
	enum api_status st;
	size_t i;

	*duplicates = 0;
	for (i = 0; i < a->ngroups; i++) {
		st = list_group(w, a->groups[i], &a->targets, interrupted, cause);
		if (st != API_OK)
			return st;
	}
	/* The ProductKey and DeviceName of each IotId (the thing model is the product's). */
	st = targets_read_each(w, ACT_QueryDeviceInfo, a->targets.n, window, iot_id_params,
	    iot_id_answer, iot_id_name, &a->targets, interrupted, cause);
	if (st != API_OK)
		return st;
	if (*interrupted) {
		*cause = xstrdup("interrupted");
		return API_ERR_CONFIG;
	}
	*duplicates = dedupe(&a->targets);
	return API_OK;
}
