/* call.c — `iotdeck call ACTION [Name=Value ...]`. */
#include "cli/call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/worker.h"
#include "core/jsonout.h"
#include "core/safetext.h"
#include "core/xmalloc.h"

static int
name_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '-';
}

int
call_parse_param(const char *arg, struct params *p, char **cause)
{
	const char *eq = strchr(arg, '=');
	char *name, *safe;
	size_t i, n;

	if (eq == NULL || eq == arg) {
		safe = safetext_excerpt(arg, strlen(arg), 60);
		*cause = xasprintf("parameter '%s' is not Name=Value", safe);
		free(safe);
		return -1;
	}
	n = (size_t)(eq - arg);
	for (i = 0; i < n; i++)
		if (!name_char_ok(arg[i])) {
			safe = safetext_excerpt(arg, n, 60);
			*cause = xasprintf("parameter name '%s' may hold only letters, digits, "
			    "'.', '_' and '-'", safe);
			free(safe);
			return -1;
		}
	name = xstrndup(arg, n);
	if (api_param_is_reserved(name)) {
		if (strcmp(name, "RegionId") == 0)
			*cause = xstrdup("RegionId is set by iotdeck: use --region");
		else if (strcmp(name, "IotInstanceId") == 0)
			*cause = xstrdup("IotInstanceId is set by iotdeck: use --instance");
		else
			*cause = xasprintf("%s is a common parameter that iotdeck sets itself", name);
		free(name);
		return -1;
	}
	if (params_get(p, name) != NULL) {
		*cause = xasprintf("parameter %s is given twice", name);
		free(name);
		return -1;
	}
	params_set(p, name, eq + 1);
	free(name);
	return 0;
}

void
call_print_json(FILE *f, const cJSON *json)
{
	char *text = jsonout_print(json, JSONOUT_INDENT);

	fputs(text, f);
	fputc('\n', f);
	free(text);
}

static int
action_name_ok(const char *a)
{
	const char *p;

	if (*a < 'A' || *a > 'Z' || strlen(a) > 100)
		return 0;
	for (p = a; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

/* One call through the worker, as the console makes them: throttled, signed afresh for
 * each attempt, a read retried on a network error or a 5xx within the --timeout budget,
 * a write sent at most once. Returns the status; on API_OK *json holds the answer. */
static enum api_status
call_via_worker(const struct api_config *cfg, int readonly, const char *action,
    const struct params *user, cJSON **json, struct api_error *err)
{
	struct worker_opts wo;
	struct worker_call c;
	struct worker_result *r = NULL;
	struct worker *w;
	char *cause = NULL;
	enum api_status st;

	*json = NULL;
	memset(err, 0, sizeof *err);
	worker_opts_init(&wo);
	wo.deadline_ms = cfg->timeout_ms;	/* retries only within --timeout */
	wo.readonly = readonly;		/* the worker refuses writes (and a read-only profile) */
	w = worker_new(cfg, &wo, &cause);
	if (w == NULL) {
		api_error_set(err, API_ERR_CONFIG, "InternalError", cause);
		free(cause);
		return err->status;
	}
	memset(&c, 0, sizeof c);
	c.action = action;
	c.params = user;
	c.prio = WORKER_INTERACTIVE;
	worker_submit(w, &c);
	while ((r = worker_take(w)) == NULL)
		worker_wait(w, -1);
	st = r->status;
	if (st == API_OK) {
		*json = r->json;
		r->json = NULL;
	} else {
		*err = r->err;
		memset(&r->err, 0, sizeof r->err);
	}
	worker_result_free_all(r);
	worker_free(w);
	return st;
}

int
cmd_call(const struct global_opts *o, char **words, int nwords)
{
	struct params user = PARAMS_INIT;
	struct api_config cfg;
	struct api_error err;
	cJSON *json = NULL;
	char *cause = NULL, *line, *safe;
	enum api_status st;
	int i, rc;

	if (nwords < 2) {
		fputs("iotdeck call: missing ACTION (try: iotdeck call QueryProductList "
		    "CurrentPage=1 PageSize=10)\n", stderr);
		return EXIT_USAGE;
	}
	if (!action_name_ok(words[1])) {
		safe = safetext_excerpt(words[1], strlen(words[1]), 60);
		fprintf(stderr, "iotdeck call: '%s' is not an action name (like QueryDevice)\n",
		    safe);
		free(safe);
		return EXIT_USAGE;
	}
	for (i = 2; i < nwords; i++)
		if (call_parse_param(words[i], &user, &cause) != 0) {
			fprintf(stderr, "iotdeck call: %s\n", cause);
			free(cause);
			params_free(&user);
			return EXIT_USAGE;
		}

	api_config_init(&cfg);
	rc = opts_resolve_config(o, &cfg, &cause);
	if (rc != EXIT_OK) {
		fprintf(stderr, "iotdeck: %s\n", cause);
		free(cause);
		params_free(&user);
		api_config_free(&cfg);
		return rc;
	}
	if (o->verbose)
		cfg.trace = stderr;
	/* A name the table lacks still goes out, as its conservative row (action_get): a
	 * write, at 1 QPS, never retried. Said every time, so a typo is caught. */
	if (action_lookup(words[1]) == NULL) {
		const char *near = action_nearest(words[1]);
		fprintf(stderr, "iotdeck call: %s is not in iotdeck's action table: sent as a "
		    "write (1 QPS, never retried)%s%s%s\n", words[1],
		    near != NULL ? "; did you mean " : "", near != NULL ? near : "",
		    near != NULL ? "?" : "");
	}

	/* A write in a read-only session is refused by the worker (never sent): exit 4. */
	st = call_via_worker(&cfg, o->readonly, words[1], &user, &json, &err);
	if (st == API_OK) {
		call_print_json(stdout, json);
		cJSON_Delete(json);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			perror("iotdeck: writing the answer");
			rc = EXIT_CONFIG;
		}
	} else {
		line = api_error_format(&err);
		fprintf(stderr, "iotdeck: %s\n", line);
		if (err.recommend != NULL && o->verbose)
			fprintf(stderr, "iotdeck: see %s\n", err.recommend);
		free(line);
		rc = opts_exit_status(st);
		api_error_clear(&err);
	}
	params_free(&user);
	api_config_free(&cfg);
	return rc;
}
