/* bench.c — iotdeck-bench: figures for the worker engine against iotdeck-sim. Prints,
 * never asserts (a benchmark is not a test).
 *
 *   iotdeck-bench SIM_BINARY [DEVICES]
 *
 * 1. Export DEVICES devices of one product (the pager and the worker writing CSV, as
 *    `iotdeck export devices` does), next to the floor the documented QPS allows
 *    (pages / QPS), with the Throttling answers the simulator gave.
 * 2. The same through a proxy that adds 50 ms of round trip, and then a naive loop that
 *    sends one request at a time (no pipelining), over the same proxy. Also for 10,000
 *    devices, the part of QueryDevice that pages by number and so can be pipelined.
 * 3. Chained paging: 20,000 devices through proxies of 50 and 60 ms, against the floor of
 *    the NextToken chain (its round trips times the latency), goal 1.05x: as the console
 *    pages (the pager given the product's DeviceCount from QueryProductList as a hint, so
 *    the chain starts with page 1), as `export` does (no count, but it guesses a long list,
 *    PAGER_EXPECT_LONG: the same start) and with no hint at all (page 1 first). Then
 *    where each link's time goes: the worker's time per link (from the moment the token
 *    is known to the answer) over the RTT, and one link's cost with no added latency,
 *    directly and through the proxy (simulator + client, + proxy). BENCH_ONLY=chain in
 *    the environment runs this part alone.
 * 4. Requests per second the worker sustains on a mixed read load (simulator started with
 *    --qps-scale so that the budget is not the limit), and the CPU it used.
 * Each scenario runs in a child process, so its CPU time and peak RSS are its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <curl/curl.h>
#include <sodium.h>

#include "api/actions.h"
#include "api/client.h"
#include "api/jsonpath.h"
#include "api/pager.h"
#include "api/worker.h"
#include "cli/export.h"
#include "core/xmalloc.h"
#include "steal.h"

#define DEMO_ID     "iotdeck-demo-key"
#define DEMO_SECRET "iotdeck-demo-secret"

/* Clock `id` in seconds. */
static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static void
sleep_s(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* ---- the simulator ------------------------------------------------------------- */

static pid_t
sim_start(const char *bin, long devices, const char *scale, int *port)
{
	char pf[] = "/tmp/iotdeck-bench-port-XXXXXX", ndev[32], buf[32];
	int fd = mkstemp(pf), i;
	pid_t pid;
	FILE *f;

	close(fd);
	unlink(pf);
	snprintf(ndev, sizeof ndev, "%ld", devices);
	pid = fork();
	if (pid == 0) {
		int null = open(getenv("BENCH_SIM_LOG") ? getenv("BENCH_SIM_LOG") : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(null, 1);
		dup2(null, 2);
		execl(bin, bin, "--listen", "127.0.0.1:0", "--port-file", pf, "--products", "1",
		    "--devices", ndev, "--qps-scale", scale, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 600; i++) {
		if ((f = fopen(pf, "r")) != NULL) {
			if (fgets(buf, sizeof buf, f) != NULL && atoi(buf) > 0) {
				*port = atoi(buf);
				fclose(f);
				unlink(pf);
				return pid;
			}
			fclose(f);
		}
		sleep_s(0.05);
	}
	fprintf(stderr, "iotdeck-bench: the simulator did not start\n");
	exit(1);
}

static void
sim_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* ---- a proxy that adds latency ----------------------------------------------- */

struct proxy {
	int    lfd;		/* listening socket */
	int    port;		/* its port */
	int    upstream;	/* the simulator's port */
	double one_way;		/* seconds added in each direction */
};

/* One proxied connection: both sockets, closed by the second pump to finish. */
struct conn_pair {
	int             c, s;	/* client side, server side */
	int             live;	/* pumps still running */
	pthread_mutex_t mu;	/* guards live */
};

struct pipe_arg {
	int               from, to;	/* sockets */
	int               up, trace;	/* client to server; print each chunk */
	double            delay;	/* seconds */
	struct conn_pair *pair;		/* shared with the other direction */
};

/* How late the proxy forwards chunks (seconds past their due time, summed), and how
 * many: the part of a link's time over the RTT that is the proxy's, not the client's.
 * Also how long its threads took to read a chunk after it arrived (hidden in the delay). */
static pthread_mutex_t late_mu = PTHREAD_MUTEX_INITIALIZER;
static double late_sum, wake_sum;
static long late_n;

static void
proxy_note_late(double late, double wake)
{
	pthread_mutex_lock(&late_mu);
	late_sum += late;
	wake_sum += wake;
	late_n++;
	pthread_mutex_unlock(&late_mu);
}

/* Mean lateness of the proxy's chunks since the last call (seconds), and resets it;
 * *wake: the mean time from a chunk's arrival to its read. */
static double
proxy_late_take(long *n, double *wake)
{
	double m;

	pthread_mutex_lock(&late_mu);
	m = late_n > 0 ? late_sum / (double)late_n : 0;
	*wake = late_n > 0 ? wake_sum / (double)late_n : 0;
	*n = late_n;
	late_sum = wake_sum = 0;
	late_n = 0;
	pthread_mutex_unlock(&late_mu);
	return m;
}

/* Reads what is there into buf; *arrived is when the kernel received it (the socket's
 * SO_TIMESTAMPNS stamp, CLOCK_REALTIME), or now when it gave none. */
static ssize_t
read_stamped(int fd, char *buf, size_t size, double *arrived)
{
	union {
		char           b[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, size };
	struct msghdr m;
	struct cmsghdr *c;
	struct timespec ts;
	ssize_t n;

	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.b;
	m.msg_controllen = sizeof ctl.b;
	n = recvmsg(fd, &m, 0);
	*arrived = clock_s(CLOCK_REALTIME);
	for (c = CMSG_FIRSTHDR(&m); n > 0 && c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			*arrived = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
		}
	return n;
}

/* Waits until `due` (CLOCK_REALTIME seconds): a sleep to 150 us before it, then a spin,
 * so that the wake-up of an idle CPU is not added to the latency asked for. */
static void
wait_until(double due)
{
	struct timespec ts;
	double t = due - 150e-6;

	if (t > clock_s(CLOCK_REALTIME)) {
		ts.tv_sec = (time_t)t;
		ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
		while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	while (clock_s(CLOCK_REALTIME) < due)
		;
}

static void *
pump(void *argp)
{
	struct pipe_arg *a = argp;
	char buf[65536];
	ssize_t n, w, off;
	double arrived, got;
	int last;

	for (;;) {
		/* Each chunk leaves `delay` after the kernel received it: the time this
		 * thread took to wake up and read it is part of the delay, not added to
		 * it, as on a network link. A chunk that arrived while an earlier one was
		 * held keeps its own due time. */
		n = read_stamped(a->from, buf, sizeof buf, &arrived);
		if (n <= 0)
			break;
		got = clock_s(CLOCK_REALTIME);
		wait_until(arrived + a->delay);
		proxy_note_late(clock_s(CLOCK_REALTIME) - (arrived + a->delay), got - arrived);
		/* BENCH_PROXY_TRACE: each chunk's direction, arrival and forwarding time. */
		if (a->trace)
			fprintf(stderr, "chunk %s %zd arrived %.6f sent %.6f\n",
			    a->up ? "up" : "down", n, arrived, clock_s(CLOCK_REALTIME));
		for (off = 0; off < n; off += w) {
			w = write(a->to, buf + off, (size_t)(n - off));
			if (w <= 0)
				goto out;
		}
	}
out:
	shutdown(a->to, SHUT_WR);
	shutdown(a->from, SHUT_RD);
	pthread_mutex_lock(&a->pair->mu);
	last = --a->pair->live == 0;
	pthread_mutex_unlock(&a->pair->mu);
	if (last) {
		close(a->pair->c);
		close(a->pair->s);
		pthread_mutex_destroy(&a->pair->mu);
		free(a->pair);
	}
	free(a);
	return NULL;
}

static void *
proxy_main(void *argp)
{
	struct proxy *p = argp;
	struct sockaddr_in a;
	struct pipe_arg *up, *down;
	struct conn_pair *pair;
	pthread_t t;
	int c, s, one = 1;

	for (;;) {
		c = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_port = htons((uint16_t)p->upstream);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
			close(c);
			close(s);
			continue;
		}
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		setsockopt(c, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
		setsockopt(s, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
		pair = xcalloc(1, sizeof *pair);
		pair->c = c;
		pair->s = s;
		pair->live = 2;
		pthread_mutex_init(&pair->mu, NULL);
		up = xcalloc(1, sizeof *up);
		up->pair = pair;
		up->from = c;
		up->to = s;
		up->delay = p->one_way;
		up->up = 1;
		up->trace = getenv("BENCH_PROXY_TRACE") != NULL;
		down = xcalloc(1, sizeof *down);
		down->pair = pair;
		down->from = s;
		down->to = c;
		down->delay = p->one_way;
		down->trace = up->trace;
		pthread_create(&t, NULL, pump, up);
		pthread_detach(t);
		pthread_create(&t, NULL, pump, down);
		pthread_detach(t);
	}
	return NULL;
}

static void
proxy_start(struct proxy *p, int upstream, double rtt)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	pthread_t t;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->lfd, 64) != 0) {
		perror("iotdeck-bench: proxy");
		exit(1);
	}
	getsockname(p->lfd, (struct sockaddr *)&a, &alen);
	p->port = ntohs(a.sin_port);
	p->upstream = upstream;
	p->one_way = rtt / 2;
	pthread_create(&t, NULL, proxy_main, p);
	pthread_detach(t);
}

/* ---- scenarios (each in a child) ------------------------------------------------ */

static void
config(struct api_config *cfg, int port)
{
	api_config_init(cfg);
	cfg->endpoint = xasprintf("http://127.0.0.1:%d/", port);
	cfg->endpoint_loopback = 1;
	cfg->region = xstrdup("cn-shanghai");
	cfg->access_key_id = xstrdup(DEMO_ID);
	api_config_set_secret(cfg, DEMO_SECRET);
	cfg->timeout_ms = 30000;
}

/* The first product's ProductKey; *devices: its DeviceCount (0: not given). */
static char *
first_product(int port, int64_t *devices)
{
	struct api_config cfg;
	struct params p = PARAMS_INIT;
	struct api_error err;
	cJSON *json = NULL;
	char *pk;

	config(&cfg, port);
	params_set(&p, "CurrentPage", "1");
	params_set(&p, "PageSize", "10");
	if (api_call(&cfg, "QueryProductList", &p, &json, &err) != API_OK) {
		fprintf(stderr, "iotdeck-bench: QueryProductList: %s\n", err.message);
		exit(1);
	}
	{
		struct jsonpath_list l;
		jsonpath_list(json, "Data.List.ProductInfo", &l);
		pk = l.count > 0 ? jsonpath_strdup(l.items[0], "ProductKey") : NULL;
		if (devices != NULL && (l.count == 0 ||
		    !jsonpath_int64(l.items[0], "DeviceCount", devices)))
			*devices = 0;
		jsonpath_list_free(&l);
	}
	cJSON_Delete(json);
	params_free(&p);
	api_config_free(&cfg);
	if (pk == NULL) {
		fprintf(stderr, "iotdeck-bench: no product\n");
		exit(1);
	}
	return pk;
}

struct export_out {
	FILE  *f;	/* where rows go */
	size_t n;	/* rows */
};

/* The pager's hint in run_export (0: none), set by the parent before the child forks. */
static int64_t export_expect;

/* Chain links seen by run_export: the worker's time for each page from 200 on (from
 * the moment it was queued, i.e. its token was known, to its answer), and when page
 * 200's answer was taken. */
#define CHAIN_FIRST 200
#define CHAIN_MAX   1000
static double link_s[CHAIN_MAX];
static double page200_at;

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Notes the worker's latency of a chain page's answer. */
static void
note_link(const struct worker_result *r, double t0)
{
	struct jsonpath_page jp;
	int64_t page;

	if (r->status != API_OK || r->json == NULL)
		return;
	jsonpath_page_parse(r->json, &jp);
	page = jp.current_page;
	jsonpath_page_clear(&jp);
	if (page >= CHAIN_FIRST && page < CHAIN_MAX)
		link_s[page] = (double)r->latency_ns / 1e9;
	/* BENCH_CHAIN_DETAIL: each page's worker time and when it was taken, on stderr. */
	if (getenv("BENCH_CHAIN_DETAIL") != NULL)
		fprintf(stderr, "page %lld latency %.3f ms at %.3f s\n", (long long)page,
		    (double)r->latency_ns / 1e6, now_s() - t0);
	if (page == CHAIN_FIRST)
		page200_at = now_s() - t0;
}

/* " mean p50 p90 page200_at" in ms over the links after page 200 (the ones the worker
 * followed), or nothing when there were none. */
static void
print_links(void)
{
	double v[CHAIN_MAX], sum = 0;
	int n = 0, i;

	for (i = CHAIN_FIRST + 1; i < CHAIN_MAX; i++)
		if (link_s[i] > 0)
			sum += (v[n++] = link_s[i]);
	if (n == 0)
		return;
	qsort(v, (size_t)n, sizeof *v, cmp_dbl);
	printf(" %.3f %.3f %.3f %.3f", 1e3 * sum / n, 1e3 * v[n / 2], 1e3 * v[(n * 9) / 10],
	    1e3 * page200_at);
}

static int
bench_page(void *arg, const struct pager_page *pg)
{
	struct export_out *eo = arg;
	size_t i;

	for (i = 0; i < pg->count; i++)
		export_csv_row(eo->f, "devices", pg->items[i]);
	eo->n += pg->count;
	return 0;
}

/* Child: the pipelined export. Prints "seconds items requests throttled retried". */
static void
run_export(int port, const char *pk)
{
	struct api_config cfg;
	struct worker *w;
	struct pager *pg;
	struct params p = PARAMS_INIT;
	struct worker_stats st;
	struct worker_result *r, *next;
	struct export_out eo;
	struct pager_opts o;
	char *cause = NULL;
	double t0;

	config(&cfg, port);
	eo.f = fopen("/dev/null", "w");
	eo.n = 0;
	w = worker_new(&cfg, NULL, &cause);
	params_set(&p, "ProductKey", pk);
	pager_opts_init(&o);
	o.expect_total = export_expect;
	pg = pager_new(w, "QueryDevice", &p, &o, bench_page, &eo, &cause);
	t0 = now_s();
	pager_start(pg);
	/* pager_pump, with a look at each chain link's time on the way. */
	while (!pager_done(pg)) {
		if (worker_wait(w, 1000) < 0)
			continue;
		for (r = worker_take(w); r != NULL; r = next) {
			next = r->next;
			r->next = NULL;
			note_link(r, t0);
			if (!pager_feed(pg, r))
				worker_result_free(r);
		}
	}
	worker_stats(w, &st);
	printf("%.3f %zu %llu %llu %llu %d", now_s() - t0, eo.n, (unsigned long long)st.sent,
	    (unsigned long long)st.throttled, (unsigned long long)st.retried,
	    pager_status(pg, NULL));
	print_links();
	printf("\n");
	worker_stats_free(&st);
	pager_free(pg);
	worker_free(w);
	params_free(&p);
	fclose(eo.f);
	api_config_free(&cfg);
}

/* Child: the chain alone, one link at a time through a worker at --qps-scale `scale`
 * (so the budget never waits): pages 200 to 400 of QueryDevice. Prints the worker's
 * time per link (submit to answer), "mean p50 p90" in ms. */
static void
run_links(int port, const char *pk, double scale)
{
	struct api_config cfg;
	struct worker_opts wo;
	struct worker *w;
	struct worker_result *r;
	struct worker_call c;
	struct params p = PARAMS_INIT;
	struct jsonpath_page jp;
	char num[24], *token = NULL, *cause = NULL;
	double v[CHAIN_MAX], sum = 0;
	int n = 0, page;

	config(&cfg, port);
	worker_opts_init(&wo);
	wo.qps_scale = scale;
	w = worker_new(&cfg, &wo, &cause);
	for (page = CHAIN_FIRST; page <= 2 * CHAIN_FIRST && n < CHAIN_MAX; page++) {
		params_free(&p);
		params_set(&p, "ProductKey", pk);
		snprintf(num, sizeof num, "%d", page);
		params_set(&p, "CurrentPage", num);
		params_set(&p, "PageSize", "50");
		if (token != NULL)
			params_set(&p, "NextToken", token);
		memset(&c, 0, sizeof c);
		c.action = "QueryDevice";
		c.params = &p;
		c.prio = WORKER_REFRESH;
		c.no_coalesce = 1;
		worker_submit(w, &c);
		while ((r = worker_take(w)) == NULL)
			worker_wait(w, 1000);
		free(token);
		token = NULL;
		if (r->status == API_OK) {
			jsonpath_page_parse(r->json, &jp);
			token = jp.next_token != NULL ? xstrdup(jp.next_token) : NULL;
			jsonpath_page_clear(&jp);
			if (page > CHAIN_FIRST)	/* the first opens the connection */
				sum += (v[n++] = (double)r->latency_ns / 1e9);
		}
		worker_result_free(r);
		if (token == NULL)
			break;
	}
	if (n > 0) {
		qsort(v, (size_t)n, sizeof *v, cmp_dbl);
		printf("%.3f %.3f %.3f %d\n", 1e3 * sum / n, 1e3 * v[n / 2], 1e3 * v[(n * 9) / 10],
		    n);
	} else
		printf("0 0 0 0\n");
	free(token);
	params_free(&p);
	worker_free(w);
	api_config_free(&cfg);
}

/* Child: one request at a time, CurrentPage then NextToken, as a shell loop would. */
static void
run_naive(int port, const char *pk, long devices)
{
	struct api_config cfg;
	struct params p = PARAMS_INIT;
	struct api_error err;
	struct jsonpath_page jp;
	struct jsonpath_list l;
	cJSON *json;
	char num[32], *token = NULL;
	long page, n = 0, requests = 0, throttled = 0;
	double t0 = now_s();
	FILE *f = fopen("/dev/null", "w");
	size_t i;

	config(&cfg, port);
	for (page = 1; n < devices; ) {
		params_free(&p);
		params_set(&p, "ProductKey", pk);
		snprintf(num, sizeof num, "%ld", page);
		params_set(&p, "CurrentPage", num);
		params_set(&p, "PageSize", "50");
		if (page * 50 > 10000 && token != NULL)
			params_set(&p, "NextToken", token);
		requests++;
		if (api_call(&cfg, "QueryDevice", &p, &json, &err) != API_OK) {
			if (err.code != NULL && strncmp(err.code, "Throttling", 10) == 0) {
				throttled++;
				api_error_clear(&err);
				sleep_s(1.0);
				continue;
			}
			fprintf(stderr, "naive: %s\n", err.message);
			break;
		}
		jsonpath_list(json, "Data.DeviceInfo", &l);
		for (i = 0; i < l.count; i++)
			export_csv_row(f, "devices", l.items[i]);
		n += (long)l.count;
		jsonpath_list_free(&l);
		jsonpath_page_parse(json, &jp);
		free(token);
		token = jp.next_token ? xstrdup(jp.next_token) : NULL;
		jsonpath_page_clear(&jp);
		cJSON_Delete(json);
		if (token == NULL)
			break;
		page++;
	}
	printf("%.3f %ld %ld %ld 0 0\n", now_s() - t0, n, requests, throttled);
	free(token);
	params_free(&p);
	fclose(f);
	api_config_free(&cfg);
}

/* Child: a mixed read load, `total` requests with up to 256 outstanding. Prints
 * "seconds completed failed throttled p50 p95". */
static void
run_mixed(int port, const char *pk, double scale, int total)
{
	static const char *const actions[] = {
		"QueryDeviceDetail", "GetDeviceStatus", "QueryProduct", "QueryDeviceGroupList",
		"QueryDeviceProp"
	};
	struct api_config cfg;
	struct worker_opts o;
	struct worker *w;
	struct worker_result *r, *next;
	struct worker_stats st;
	struct worker_call c;
	struct params p = PARAMS_INIT, q = PARAMS_INIT;
	struct api_error err;
	struct jsonpath_list l;
	cJSON *json;
	char *names[50], *cause = NULL;
	int nnames = 0, submitted = 0, done = 0, failed = 0, i;
	double t0;

	config(&cfg, port);
	params_set(&q, "ProductKey", pk);
	params_set(&q, "PageSize", "50");
	if (api_call(&cfg, "QueryDevice", &q, &json, &err) != API_OK) {
		fprintf(stderr, "mixed: %s\n", err.message);
		exit(1);
	}
	jsonpath_list(json, "Data.DeviceInfo", &l);
	for (i = 0; i < (int)l.count && i < 50; i++)
		names[nnames++] = jsonpath_strdup(l.items[i], "DeviceName");
	jsonpath_list_free(&l);
	cJSON_Delete(json);

	worker_opts_init(&o);
	o.qps_scale = scale;
	o.max_in_flight = 16;
	w = worker_new(&cfg, &o, &cause);
	t0 = now_s();
	while (done < total) {
		while (submitted < total && submitted - done < 256) {
			const char *a = actions[submitted % 5];
			params_free(&p);
			params_set(&p, "ProductKey", pk);
			if (strcmp(a, "QueryProduct") != 0 && strcmp(a, "QueryDeviceGroupList") != 0)
				params_set(&p, "DeviceName", names[submitted % nnames]);
			if (strcmp(a, "QueryDeviceGroupList") == 0) {
				params_free(&p);
				params_set(&p, "PageSize", "10");
			}
			memset(&c, 0, sizeof c);
			c.action = a;
			c.params = &p;
			c.prio = (enum worker_prio)(submitted % 3);
			c.no_coalesce = 1;
			worker_submit(w, &c);
			submitted++;
		}
		worker_wait(w, 1000);
		for (r = worker_take(w); r != NULL; r = next) {
			next = r->next;
			if (r->status != API_OK)
				failed++;
			done++;
			worker_result_free(r);
		}
	}
	worker_stats(w, &st);
	printf("%.3f %d %d %llu %.2f %.2f\n", now_s() - t0, done, failed,
	    (unsigned long long)st.throttled, st.latency_p50_ms, st.latency_p95_ms);
	worker_stats_free(&st);
	worker_free(w);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	params_free(&p);
	params_free(&q);
	api_config_free(&cfg);
}

/* ---- the driver ---------------------------------------------------------------- */

struct child_result {
	char   line[256];	/* what the child printed */
	double cpu;		/* user + system seconds */
	long   rss_kb;		/* peak RSS */
};

enum scenario { SC_EXPORT, SC_NAIVE, SC_MIXED, SC_LINKS };

static void
run_child(enum scenario sc, int port, const char *pk, long devices, double scale,
    struct child_result *out)
{
	int fds[2];
	pid_t pid;
	struct rusage ru;
	ssize_t n;
	int status;

	if (pipe(fds) != 0)
		exit(1);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		if (sc == SC_EXPORT)
			run_export(port, pk);
		else if (sc == SC_NAIVE)
			run_naive(port, pk, devices);
		else if (sc == SC_LINKS)
			run_links(port, pk, scale);
		else
			run_mixed(port, pk, scale, (int)devices);
		fflush(stdout);
		_exit(0);
	}
	close(fds[1]);
	memset(out, 0, sizeof *out);
	n = read(fds[0], out->line, sizeof out->line - 1);
	out->line[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	wait4(pid, &status, 0, &ru);
	out->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	out->rss_kb = ru.ru_maxrss;
}

static void
report_export(const char *label, const struct child_result *cr, long devices)
{
	double secs = 0, floor_s;
	size_t items = 0;
	unsigned long long sent = 0, thr = 0, retried = 0;
	int size, st = 0;
	long normal, deep;

	sscanf(cr->line, "%lf %zu %llu %llu %llu %d", &secs, &items, &sent, &thr, &retried, &st);
	pager_plan("QueryDevice", devices, &size, &normal, &deep);
	floor_s = (double)normal / 50.0 + (double)deep / 2.0;
	printf("  %-34s %8.2f s  floor %6.2f s  ratio %5.3f  %zu devices, %llu requests, "
	    "%llu Throttling, %llu retried, CPU %.2f s, peak RSS %.1f MiB%s\n", label, secs,
	    floor_s, floor_s > 0 ? secs / floor_s : 0, items, sent, thr, retried, cr->cpu,
	    (double)cr->rss_kb / 1024.0, st != 0 ? "  (FAILED)" : "");
}

/* Chained paging: QueryDevice past 10,000 devices pages by NextToken, so from the page
 * that starts the chain (page 200 at PageSize 50) to the last each page is one round
 * trip after the one before, whatever the QPS. The floor is that chain: its pages times
 * the round trip. A Throttling answer is a failure (the simulator enforces the QPS). */
/* Set before each chain run: the host's steal time over it is printed with its figure. */
static struct steal_mark chain_sm;

static void
report_chain(const char *label, const struct child_result *cr, long devices, double rtt,
    int goal)
{
	double secs = 0, floor_s, ratio, mean = 0, p50 = 0, p90 = 0, at200 = 0;
	size_t items = 0;
	unsigned long long sent = 0, thr = 0, retried = 0;
	int size, st = 0, got;
	long normal, deep, chain;

	got = sscanf(cr->line, "%lf %zu %llu %llu %llu %d %lf %lf %lf %lf", &secs, &items, &sent,
	    &thr, &retried, &st, &mean, &p50, &p90, &at200);
	pager_plan("QueryDevice", devices, &size, &normal, &deep);
	chain = normal + deep - 10000 / size + 1;
	floor_s = (double)(chain > 0 ? chain : 1) * rtt;
	ratio = secs / floor_s;
	printf("  chained paging %ld,%03ld devices @%.0f ms, %s: %.2f s, floor %.2f s, %.3fx "
	    "%s%s; %ld round trips, %llu requests, %llu Throttling, CPU %.2f s, host steal "
	    "%.1f%%%s\n",
	    devices / 1000, devices % 1000, rtt * 1000, label, secs, floor_s, ratio,
	    goal ? "(goal <= 1.05x)" : "(for comparison: a caller that knows nothing of the length)",
	    !goal || ratio <= 1.05 ? "" : " OVER GOAL", chain, sent, thr, cr->cpu,
	    steal_since(&chain_sm),
	    st != 0 || thr > 0 || items != (size_t)devices ? "  (FAILED)" : "");
	if (got == 10)
		printf("    page 200 in after %.1f ms (%.2f RTT); each link after it %.2f ms over "
		    "the RTT (p50 %.2f, p90 %.2f: the worker's time from its token to its answer)\n",
		    at200, at200 / (rtt * 1e3), mean - rtt * 1e3, p50 - rtt * 1e3, p90 - rtt * 1e3);
}

/* CPU seconds process pid has used (user + system). */
static double
proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) == NULL || (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		ut = st = 0;
	fclose(f);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void
bench_chain(const char *sim)
{
	static const double rtts[] = { 0.050, 0.060 };
	static struct proxy px[3];	/* one per latency, and one of none; threads keep running */
	struct child_result cr;
	double mean = 0, p50 = 0, p90 = 0, cpu0, sim_cpu, late, wake;
	long nlate;
	int64_t count = 0;
	pid_t spid;
	int port, n = 0;
	char *pk;
	size_t i;

	spid = sim_start(sim, 20000, "1", &port);
	pk = first_product(port, &count);
	printf("chained paging (QueryDevice, 20,000 devices, pages 200 to 400 by NextToken):\n");
	/* The simulator's first pass over the devices is slower than the next ones (a link
	 * of the first chain run took ~0.25 ms more): a pass on loopback first, so the runs
	 * below, with and without the hint, start alike. */
	export_expect = 0;
	run_child(SC_EXPORT, port, pk, 20000, 1, &cr);
	printf("  warm-up pass on loopback (not a figure of the chain): %.2f s\n", atof(cr.line));
	for (i = 0; i < sizeof rtts / sizeof rtts[0]; i++) {
		proxy_start(&px[i], port, rtts[i]);
		/* The console: the product's DeviceCount (QueryProductList) is the hint. */
		export_expect = count;
		proxy_late_take(&nlate, &wake);
		steal_mark(&chain_sm);
		run_child(SC_EXPORT, px[i].port, pk, 20000, 1, &cr);
		late = proxy_late_take(&nlate, &wake);
		report_chain(count > 10000 ? "console (DeviceCount hint)" : "console (NO HINT)", &cr,
		    20000, rtts[i], 1);
		printf("    the proxy forwarded chunks %.3f ms after their due time on average (%ld "
		    "chunks; a link has at least two; its threads read them %.3f ms after they "
		    "arrived, inside the delay)\n", late * 1e3, nlate, wake * 1e3);
		/* `iotdeck export`: no count, but a bulk read guesses a long list. */
		export_expect = PAGER_EXPECT_LONG;
		steal_mark(&chain_sm);
		run_child(SC_EXPORT, px[i].port, pk, 20000, 1, &cr);
		report_chain("export (guesses long)", &cr, 20000, rtts[i], 1);
		/* A caller with no hint at all: page 1 first, then the chain. */
		export_expect = 0;
		steal_mark(&chain_sm);
		run_child(SC_EXPORT, px[i].port, pk, 20000, 1, &cr);
		report_chain("no hint (page 1 first)", &cr, 20000, rtts[i], 0);
	}
	sim_stop(spid);
	free(pk);

	/* One link with no latency added, the chain alone (budget scaled out of the way). */
	spid = sim_start(sim, 20000, "1000", &port);
	pk = first_product(port, NULL);
	proxy_start(&px[2], port, 0);
	cpu0 = proc_cpu_s(spid);
	run_child(SC_LINKS, port, pk, 0, 1000, &cr);
	sim_cpu = proc_cpu_s(spid) - cpu0;
	sscanf(cr.line, "%lf %lf %lf %d", &mean, &p50, &p90, &n);
	printf("  one link, no latency added (%d links one at a time): %.2f ms directly (p50 %.2f, "
	    "p90 %.2f: simulator + client; simulator CPU %.2f ms, client CPU %.2f ms a link)",
	    n, mean, p50, p90, n > 0 ? 1e3 * sim_cpu / n : 0, n > 0 ? 1e3 * cr.cpu / n : 0);
	run_child(SC_LINKS, px[2].port, pk, 0, 1000, &cr);
	sscanf(cr.line, "%lf %lf %lf %d", &mean, &p50, &p90, &n);
	printf(", %.2f ms through the proxy (p50 %.2f, p90 %.2f)\n", mean, p50, p90);
	sim_stop(spid);
	free(pk);
}

int
main(int argc, char **argv)
{
	const char *sim;
	long devices = 100000, small = 10000;
	struct child_result cr;
	struct proxy px;
	pid_t spid;
	int port;
	char *pk;
	double secs = 0, p50 = 0, p95 = 0;
	int done = 0, failed = 0;
	unsigned long long thr = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: iotdeck-bench SIM_BINARY [DEVICES]\n");
		return 2;
	}
	sim = argv[1];
	if (argc > 2)
		devices = atol(argv[2]);
	if (small > devices)
		small = devices;
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	/* BENCH_ONLY=chain: the chained paging figures alone. */
	if (getenv("BENCH_ONLY") != NULL && strcmp(getenv("BENCH_ONLY"), "chain") == 0) {
		bench_chain(sim);
		curl_global_cleanup();
		return 0;
	}

	printf("iotdeck-bench: QueryDevice at 50 QPS (2 QPS for deep pages), PageSize 50\n");
	spid = sim_start(sim, devices, "1", &port);
	pk = first_product(port, NULL);
	proxy_start(&px, port, 0.050);

	printf("export of %ld devices (floor = pages / documented QPS):\n", devices);
	run_child(SC_EXPORT, port, pk, devices, 1, &cr);
	report_export("pipelined, loopback", &cr, devices);
	run_child(SC_EXPORT, px.port, pk, devices, 1, &cr);
	report_export("pipelined, +50 ms RTT", &cr, devices);
	run_child(SC_NAIVE, px.port, pk, devices, 1, &cr);
	report_export("naive sequential, +50 ms RTT", &cr, devices);
	printf("  (past 10,000 devices each page needs the NextToken of the one before, so\n"
	    "   with 50 ms RTT those pages are a chain of round trips whatever the QPS)\n");
	sim_stop(spid);

	spid = sim_start(sim, small, "1", &port);
	free(pk);
	pk = first_product(port, NULL);
	px.upstream = port;
	printf("export of %ld devices (numbered pages only, all pipelinable):\n", small);
	run_child(SC_EXPORT, px.port, pk, small, 1, &cr);
	report_export("pipelined, +50 ms RTT", &cr, small);
	run_child(SC_NAIVE, px.port, pk, small, 1, &cr);
	report_export("naive sequential, +50 ms RTT", &cr, small);
	sim_stop(spid);

	bench_chain(sim);

	spid = sim_start(sim, 1000, "1000", &port);
	free(pk);
	pk = first_product(port, NULL);
	run_child(SC_MIXED, port, pk, 30000, 1000, &cr);
	sscanf(cr.line, "%lf %d %d %llu %lf %lf", &secs, &done, &failed, &thr, &p50, &p95);
	printf("mixed read load (5 actions, 3 priorities, simulator and worker at --qps-scale "
	    "1000):\n  %d requests in %.2f s = %.0f requests/s, %d failed, %llu Throttling; "
	    "worker CPU %.2f s (%.0f%% of one core, %.1f us per request); latency p50 %.2f ms "
	    "p95 %.2f ms; peak RSS %.1f MiB\n", done, secs, secs > 0 ? done / secs : 0, failed,
	    thr, cr.cpu, secs > 0 ? 100 * cr.cpu / secs : 0, done > 0 ? 1e6 * cr.cpu / done : 0,
	    p50, p95, (double)cr.rss_kb / 1024.0);
	sim_stop(spid);
	free(pk);
	curl_global_cleanup();
	return 0;
}
