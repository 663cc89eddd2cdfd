/* ui_bench.c — figures for the console's table with 100,000 devices, drawn by ncurses
 * into a pseudo-terminal whose output is counted:
 *   - time from a key to a finished frame (p50/p99) for scrolling one row, a page down and
 *     a filter keystroke (table work + draw + doupdate; a filter over many rows shows its
 *     first rows at once and scans the rest a slice per frame: the time until it is done
 *     is printed too);
 *   - bytes written to the terminal per live-refresh tick when 5 of 40 visible rows change;
 *   - memory held by the table (RSS growth) for the 100,000 rows, and for 1,000,000 rows of
 *     the table alone (no terminal; argv[2] sets that count, 0 skips it): the console's
 *     whole peak RSS is console.sh's figure.
 * Prints figures, each with its goal (issue 13) where it has one; asserts nothing.
 */
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <pty.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "steal.h"
#include "ui/table.h"

enum { C_NAME, C_NICK, C_STATUS, C_PRODUCT, C_IOTID, C_CREATED, C_COUNT };

/* As pane_devices.c lays them out. */
static const struct table_column columns[C_COUNT] = {
	{ "DeviceName", 12, 32, 0, 1 }, { "Nickname", 8, 32, 0, 2 },
	{ "Status", 8, 8, TABLE_COL_STATUS, 1 }, { "ProductKey", 11, 20, 0, 6 },
	{ "IotId", 26, 40, 0, 7 }, { "Created", 20, 20, 0, 4 },
};

static const char *const statuses[] = { "ONLINE", "OFFLINE", "UNACTIVE", "DISABLE" };
static const char *const nick_prefix[] = { "上海智能灯-", "Lab ", "深圳_meter_", "", "北京水泵-" };

static volatile uint64_t pty_bytes;	/* bytes the terminal received */
static volatile int pty_done;

static void *
drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];
	ssize_t n;

	while (!pty_done && (n = read(fd, buf, sizeof buf)) > 0)
		pty_bytes += (uint64_t)n;
	return NULL;
}

/* Monotonic seconds. */
static double
now(void)
{
	return clock_mono_s();
}

static long
rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Prints p50 and p99 of v[0..n) (sorted here), and the goal when there is one. */
static void
report(const char *what, double *v, int n, const char *goal)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	printf("  %-34s p50 %7.3f ms   p99 %7.3f ms   (%d samples)%s%s\n", what,
	    v[n / 2] * 1e3, v[(n * 99) / 100] * 1e3, n, goal != NULL ? "  " : "",
	    goal != NULL ? goal : "");
}

/* Waits until the terminal output settles (the drain thread has read everything). */
static uint64_t
settled_bytes(void)
{
	uint64_t last;

	do {
		last = pty_bytes;
		usleep(20000);
	} while (pty_bytes != last);
	return last;
}

/* Row i of the fleet, as pane_devices.c sets it (key ProductKey/DeviceName). */
static void
fleet_row(struct table *t, long i)
{
	char name[64], nick[96], iotid[64], created[40], key[96];
	const char *cells[C_COUNT];

	snprintf(name, sizeof name, "lamp-%06ld", i);
	snprintf(nick, sizeof nick, "%s%ld", nick_prefix[i % 5], i);
	snprintf(iotid, sizeof iotid, "Q7uOhVRdZRRlDnTLOyhy%06ld", i);
	snprintf(created, sizeof created, "2024-01-05 00:%02ld:%02ld", (i / 60) % 60, i % 60);
	snprintf(key, sizeof key, "a1BwAGVxxxx/%s", name);
	cells[C_NAME] = name;
	cells[C_NICK] = nick;
	cells[C_STATUS] = statuses[i % 4];
	cells[C_PRODUCT] = "a1BwAGVxxxx";
	cells[C_IOTID] = iotid;
	cells[C_CREATED] = created;
	table_set(t, key, cells, NULL, 0);
}

/* The table alone with n rows: its memory (RSS growth), against the goal for the console
 * (300 MiB at 1,000,000 devices, of which the table is most). */
static void
big_table(long n)
{
	struct table *t;
	long rss0, i;
	double t0;

	if (n <= 0)
		return;
	rss0 = rss_kib();
	t0 = now();
	t = table_new(columns, C_COUNT);
	for (i = 0; i < n; i++)
		fleet_row(t, i);
	printf("table alone, %ld devices (no terminal)\n", n);
	printf("  %-34s %7.1f ms\n", "loading the rows into the table", (now() - t0) * 1e3);
	printf("  %-34s %7.1f MiB (RSS growth, %.0f bytes a row; goal: the console <= 300 MiB "
	    "at 1,000,000 devices)\n", "memory held by the rows", (rss_kib() - rss0) / 1024.0,
	    (double)(rss_kib() - rss0) * 1024.0 / (double)n);
	table_free(t);
}

int
main(int argc, char **argv)
{
	long ndev = argc > 1 ? atol(argv[1]) : 100000, i;
	int master, slave, h, w, k, n;
	struct winsize ws = { 44, 160, 0, 0 };	/* 40 table rows + header + title/status lines */
	struct table *t;
	struct table_style st;
	char *cause = NULL;
	double t0, *samples;
	long rss0, rss1;
	uint64_t before, per_tick[20];
	pthread_t th;
	SCREEN *scr;
	FILE *out;
	WINDOW *win;

	setlocale(LC_ALL, "C.UTF-8");
	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		perror("ui_bench: openpty");
		return 1;
	}
	pthread_create(&th, NULL, drain, &master);
	out = fdopen(slave, "w");
	setenv("TERM", "xterm-256color", 1);
	scr = newterm(NULL, out, stdin);
	if (scr == NULL) {
		fputs("ui_bench: newterm failed\n", stderr);
		return 1;
	}
	set_term(scr);
	start_color();
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);
	init_pair(2, COLOR_GREEN, -1);
	init_pair(3, COLOR_RED, -1);
	init_pair(4, COLOR_YELLOW, -1);
	memset(&st, 0, sizeof st);
	st.header = A_BOLD;
	st.selected = COLOR_PAIR(1);
	st.changed = A_REVERSE;
	st.new_row = A_BOLD;
	st.vanished = A_DIM;
	st.online = COLOR_PAIR(2);
	st.offline = COLOR_PAIR(3);
	st.unactive = COLOR_PAIR(4);
	st.disabled = A_DIM;
	getmaxyx(stdscr, h, w);
	win = newwin(h - 3, w, 1, 0);

	rss0 = rss_kib();
	t0 = now();
	t = table_new(columns, C_COUNT);
	for (i = 0; i < ndev; i++)
		fleet_row(t, i);
	table_loaded(t);
	rss1 = rss_kib();
	printf("console table, %ld devices, %dx%d terminal\n", ndev, w, h);
	printf("  %-34s %7.1f ms\n", "loading the rows into the table", (now() - t0) * 1e3);
	printf("  %-34s %7.1f MiB (RSS growth, %.0f bytes a row)\n", "memory held by the rows",
	    (rss1 - rss0) / 1024.0, (double)(rss1 - rss0) * 1024.0 / (double)(ndev > 0 ? ndev : 1));

	/* First frame. */
	t0 = now();
	table_draw(t, win, 0, h - 3, w, &st, 1, now());
	wnoutrefresh(win);
	doupdate();
	printf("  %-34s %7.3f ms\n", "first frame of the table", (now() - t0) * 1e3);

	samples = xcalloc(2000, sizeof *samples);
	/* Scroll one row at a time. */
	for (k = 0; k < 2000; k++) {
		t0 = now();
		table_move(t, 1);
		table_draw(t, win, 0, h - 3, w, &st, 0, now());
		wnoutrefresh(win);
		doupdate();
		samples[k] = now() - t0;
	}
	report("key to frame: move down one row", samples, 2000, NULL);
	/* Page down. */
	for (k = 0; k < 500; k++) {
		t0 = now();
		table_move(t, table_page(t));
		table_draw(t, win, 0, h - 3, w, &st, 0, now());
		wnoutrefresh(win);
		doupdate();
		samples[k] = now() - t0;
	}
	report("key to frame: page down", samples, 500, NULL);
	/* A filter typed one keystroke at a time, then erased. */
	{
		static const char *const typed[] = { "l", "la", "lam", "lamp", "lamp-", "lamp-0",
			"lamp-00", "lamp-001", "lamp-0012", "lamp-00123", "lamp-0012", "lamp-001",
			"lamp-00", "lamp-0", "lamp-", "lamp", "s", "st", "sta", "status:o",
			"status:on", "status:onl", "status:online", "status:online 上海", "" };
		double done[100], cpu[100];
		struct steal_mark sm;
		struct timespec c0, c1;

		steal_mark(&sm);
		n = 0;
		for (k = 0; k < 4; k++) {
			size_t j;
			for (j = 0; j < sizeof typed / sizeof typed[0]; j++) {
				t0 = now();
				clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
				if (table_filter(t, typed[j], &cause) != 0) {
					free(cause);
					cause = NULL;
				}
				table_draw(t, win, 0, h - 3, w, &st, 1, now());
				wnoutrefresh(win);
				doupdate();
				samples[n] = now() - t0;
				clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
				cpu[n] = (double)(c1.tv_sec - c0.tv_sec) +
				    (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
				/* The UI loop draws a frame per slice until the scan is done (keys
				 * read between them): the time until every row is filtered. */
				while (table_filter_pending(t)) {
					table_draw(t, win, 0, h - 3, w, &st, 0, now());
					wnoutrefresh(win);
					doupdate();
				}
				done[n++] = now() - t0;
			}
		}
		if (getenv("UI_BENCH_DETAIL") != NULL)
			for (k = 0; k < n; k++)
				fprintf(stderr, "%-22s %7.3f ms\n",
				    typed[k % (int)(sizeof typed / sizeof typed[0])], samples[k] * 1e3);
		report("key to frame: filter keystroke", samples, n, "(goal p99 <= 5 ms)");
		report("filter keystroke, every row done", done, n, "(sliced, between key reads)");
		/* The thread's CPU time leaves out what the hypervisor stole from the vCPU. */
		report("filter keystroke, CPU time", cpu, n, NULL);
		printf("  (the host took %.1f%% of the CPUs' time while the filter was typed: steal, "
		    "which the wall-clock figures above include)\n", steal_since(&sm));
	}
	free(samples);

	/* Live refresh: 5 of the 40 visible rows change status each tick. */
	table_filter(t, NULL, &cause);
	table_move_to(t, 0);
	table_draw(t, win, 0, h - 3, w, &st, 1, now());
	wnoutrefresh(win);
	doupdate();
	settled_bytes();
	for (k = 0; k < 20; k++) {
		size_t first, count;
		int j;
		table_visible(t, &first, &count);
		before = settled_bytes();
		for (j = 0; j < 5; j++) {
			struct table_row *r = table_shown_row(t, first + (size_t)(j * 7 + k) % count);
			char *key = xstrdup(r->key);
			table_set_cell(t, key, C_STATUS,
			    strcmp(r->cells[C_STATUS], "ONLINE") == 0 ? "OFFLINE" : "ONLINE", now());
			free(key);
		}
		table_draw(t, win, 0, h - 3, w, &st, 0, now());
		wnoutrefresh(win);
		doupdate();
		per_tick[k] = settled_bytes() - before;
	}
	{
		uint64_t sum = 0, mx = 0;
		for (k = 0; k < 20; k++) {
			sum += per_tick[k];
			if (per_tick[k] > mx)
				mx = per_tick[k];
		}
		printf("  %-34s %7.0f bytes mean, %llu max (5 of %d rows changed)\n",
		    "terminal output per refresh tick", (double)sum / 20.0, (unsigned long long)mx,
		    h - 4);
	}

	delwin(win);
	endwin();
	pty_done = 1;
	delscreen(scr);
	fclose(out);
	close(master);
	pthread_join(th, NULL);
	table_free(t);
	big_table(argc > 2 ? atol(argv[2]) : 1000000);
	return 0;
}
