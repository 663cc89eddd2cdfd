/* pane_bench.c — the console's devices pane holding N devices: its peak RSS, through the
 * code a page of QueryDevice goes through in the console (ui/loader.c's page callback:
 * the model parse and the table's order, then ui/pane_devices.c's row function: the
 * cells and table_set), fed real QueryDevice answers as text that is parsed as the
 * worker parses it. Loading 1,000,000 devices into the real console over the simulator
 * takes hours (the NextToken chain, the deep-page rate of 2 QPS, and the guide's ceiling
 * of 500,000 devices a NextToken walk can reach), so this is how the 1,000,000 figure is
 * measured; console.sh measures the real console at the default size and adds both.
 *
 *   pane-bench SIM_BINARY N...
 *
 * The answers: one real page of 50 devices from SIM_BINARY (QueryDevice, every field the
 * simulator sends), each page a copy of it with its own DeviceName, IotId and Nickname
 * per device (the simulator's, renumbered: the same shapes and lengths) and its own
 * Page, Total and NextToken. Each N runs in a child
 * (fork), so the peak RSS (VmHWM) is its own: the parsed page at hand, the rows, the
 * table's index. Prints "N peak_kib rows seconds base_kib" per line (base: the child's
 * RSS before the first page), for console.sh.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

/* The code under measurement, with its static functions (on_page, device_row). */
#include "ui/loader.c"
#include "ui/pane_devices.c"

#include "api/client.h"
#include "api/jsonpath.h"

#define PAGE_SIZE 50

static long
status_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t n = strlen(field);
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			v = atol(line + n + 1);
			break;
		}
	fclose(f);
	return v;
}

/* ---- one real page from the simulator ----------------------------------------- */

static pid_t
sim_start(const char *bin, int *port)
{
	char pf[] = "/tmp/iotdeck-pane-bench-XXXXXX", buf[32];
	int fd = mkstemp(pf), i;
	pid_t pid;
	FILE *f;

	close(fd);
	unlink(pf);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(bin, bin, "--listen", "127.0.0.1:0", "--port-file", pf, "--seed", "3",
		    "--products", "1", "--devices", "50", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 400; i++) {
		if ((f = fopen(pf, "r")) != NULL) {
			if (fgets(buf, sizeof buf, f) != NULL && atoi(buf) > 0) {
				*port = atoi(buf);
				fclose(f);
				unlink(pf);
				return pid;
			}
			fclose(f);
		}
		usleep(50000);
	}
	fprintf(stderr, "pane-bench: the simulator did not start\n");
	kill(pid, SIGTERM);
	exit(1);
}

/* Calls action on the simulator; returns the answer or exits. */
static cJSON *
sim_call(struct api_config *cfg, const char *action, const struct params *p)
{
	struct api_error err;
	cJSON *json = NULL;

	if (api_call(cfg, action, p, &json, &err) != API_OK) {
		fprintf(stderr, "pane-bench: %s: %s\n", action, err.message ? err.message : "?");
		exit(1);
	}
	return json;
}

/* The first page of the simulator's first product (50 devices); *pk its ProductKey. */
static cJSON *
template_page(const char *sim, char **pk)
{
	struct api_config cfg;
	struct params p = PARAMS_INIT;
	struct jsonpath_list l;
	cJSON *json;
	pid_t pid;
	int port;

	pid = sim_start(sim, &port);
	api_config_init(&cfg);
	cfg.endpoint = xasprintf("http://127.0.0.1:%d/", port);
	cfg.endpoint_loopback = 1;
	cfg.region = xstrdup("cn-shanghai");
	cfg.access_key_id = xstrdup("iotdeck-demo-key");
	api_config_set_secret(&cfg, "iotdeck-demo-secret");
	cfg.timeout_ms = 30000;
	params_set(&p, "CurrentPage", "1");
	params_set(&p, "PageSize", "10");
	json = sim_call(&cfg, ACT_QueryProductList, &p);
	jsonpath_list(json, "Data.List.ProductInfo", &l);
	*pk = l.count > 0 ? jsonpath_strdup(l.items[0], "ProductKey") : NULL;
	jsonpath_list_free(&l);
	cJSON_Delete(json);
	if (*pk == NULL) {
		fprintf(stderr, "pane-bench: the simulator lists no product\n");
		exit(1);
	}
	params_free(&p);
	params_set(&p, "ProductKey", *pk);
	params_set(&p, "CurrentPage", "1");
	params_set(&p, "PageSize", "50");
	json = sim_call(&cfg, ACT_QueryDevice, &p);
	params_free(&p);
	api_config_free(&cfg);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return json;
}

/* ---- the pages ------------------------------------------------------------------- */

/* Sets string member name of o to v (when o has it). */
static void
set_str(cJSON *o, const char *name, const char *v)
{
	if (cJSON_GetObjectItemCaseSensitive(o, name) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(o, name, cJSON_CreateString(v));
}

static void
set_num(cJSON *o, const char *name, double v)
{
	if (cJSON_GetObjectItemCaseSensitive(o, name) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(o, name, cJSON_CreateNumber(v));
}

/* The length of s without its trailing digits (the simulator numbers its names), at
 * most max. */
static int
stem(const char *s, int max)
{
	int n = s != NULL ? (int)strlen(s) : 0;

	while (n > 0 && s[n - 1] >= '0' && s[n - 1] <= '9')
		n--;
	return n < max ? n : max;
}

/* The text of page `page` of a list of n devices: the template's devices renamed. */
static char *
page_text(const cJSON *tmpl, long page, long n)
{
	cJSON *j = cJSON_Duplicate(tmpl, 1), *list, *it;
	struct jsonpath_list l;
	char name[80], iotid[80], nick[96], token[48];
	const char *orig;
	long idx, first = (page - 1) * PAGE_SIZE, k = 0, keep;
	char *text;

	set_num(j, "Page", (double)page);
	set_num(j, "Total", (double)n);
	set_num(j, "PageCount", (double)((n + PAGE_SIZE - 1) / PAGE_SIZE));
	snprintf(token, sizeof token, "bench-token-%ld", first + PAGE_SIZE);
	if (first + PAGE_SIZE < n) {
		if (cJSON_GetObjectItemCaseSensitive(j, "NextToken") != NULL)
			set_str(j, "NextToken", token);
		else
			cJSON_AddStringToObject(j, "NextToken", token);
	} else
		cJSON_DeleteItemFromObjectCaseSensitive(j, "NextToken");
	/* The last page holds what is left. */
	list = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "Data"),
	    "DeviceInfo");
	keep = n - first < PAGE_SIZE ? n - first : PAGE_SIZE;
	while (list != NULL && cJSON_GetArraySize(list) > keep)
		cJSON_DeleteItemFromArray(list, cJSON_GetArraySize(list) - 1);
	jsonpath_list(j, "Data.DeviceInfo", &l);
	for (k = 0; k < (long)l.count; k++) {
		it = (cJSON *)l.items[k];
		idx = first + k;
		orig = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "DeviceName"));
		snprintf(name, sizeof name, "%.*s%06ld", stem(orig, 40), orig ? orig : "device-",
		    idx);
		set_str(it, "DeviceName", name);
		orig = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "IotId"));
		/* Same length as the simulator's: its last 7 characters become the index. */
		snprintf(iotid, sizeof iotid, "%s", orig ? orig : "Q7uOhVRdZRRlDnTLOyhy0000000");
		if (strlen(iotid) >= 7)
			snprintf(iotid + strlen(iotid) - 7, 8, "%07ld", idx % 10000000);
		set_str(it, "IotId", iotid);
		orig = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "Nickname"));
		if (orig != NULL) {
			snprintf(nick, sizeof nick, "%.*s%ld", stem(orig, 60), orig, idx);
			set_str(it, "Nickname", nick);
		}
	}
	jsonpath_list_free(&l);
	text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return text;
}

/* Child: n devices through the pane's page handling; prints its line. */
static void
load(const cJSON *tmpl, const char *pk, long n)
{
	struct pane p;
	struct loader l;
	struct pager_page pp;
	struct jsonpath_list items;
	long pages = (n + PAGE_SIZE - 1) / PAGE_SIZE, page, base;
	double t0;
	cJSON *json;
	char *text;

	memset(&p, 0, sizeof p);
	p.arg.product_key = (char *)pk;
	p.table = table_new(columns, C_COUNT);
	loader_init(&l, ACT_QueryDevice, NULL, MODEL_DEVICE);
	l.pane = &p;
	l.item = device_row;
	base = status_kib("VmRSS");
	t0 = clock_mono_s();
	for (page = 1; page <= pages; page++) {
		text = page_text(tmpl, page, n);
		if (page == 2 && getenv("PANE_BENCH_DUMP") != NULL)	/* to look at one */
			fprintf(stderr, "%s\n", text);
		/* As the worker hands an answer over: parsed from its text. */
		json = cJSON_ParseWithLength(text, strlen(text));
		free(text);
		memset(&pp, 0, sizeof pp);
		jsonpath_list(json, "Data.DeviceInfo", &items);
		pp.json = json;
		pp.items = items.items;
		pp.count = items.count;
		pp.page = page;
		pp.total = n;
		pp.pages_total = pages;
		on_page(&l, &pp);
		jsonpath_list_free(&items);
		cJSON_Delete(json);
	}
	table_loaded(p.table);
	printf("%ld %ld %zu %.2f %ld\n", n, status_kib("VmHWM"), table_count(p.table),
	    clock_mono_s() - t0, base);
	fflush(stdout);
	/* No teardown: the process ends here. */
	_exit(0);
}

int
main(int argc, char **argv)
{
	cJSON *tmpl;
	char *pk = NULL;
	pid_t pid;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: pane-bench SIM_BINARY N...\n");
		return 2;
	}
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	tmpl = template_page(argv[1], &pk);
	for (i = 2; i < argc; i++) {
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			load(tmpl, pk, atol(argv[i]));
		waitpid(pid, NULL, 0);
	}
	cJSON_Delete(tmpl);
	free(pk);
	curl_global_cleanup();
	return 0;
}
