/* test_sim_limits.c — what the simulator accepts before a request is authenticated is
 * bounded: body and parameter count (request.c), upload form fields and file (oss.c),
 * the memory all connections hold together and the connections from one address
 * (server.c). Every cap is checked by its refusal, never by a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/gateway.h"
#include "sim/oss.h"
#include "sim/request.h"
#include "sim/seed.h"
#include "sim/server.h"
#include "sim/store.h"
#include "sim/throttle.h"
#include "simtest.h"

static void
test_request_caps(void **state)
{
	struct sim_request r;
	struct buf body = BUF_INIT;
	char *cause = NULL;
	size_t i;

	(void)state;
	/* SIM_MAX_PARAMS parameters are decoded, one more is refused. */
	for (i = 0; i < SIM_MAX_PARAMS; i++)
		buf_addf(&body, "%sp%zu=v", i ? "&" : "", i);
	sim_request_init(&r);
	assert_int_equal(sim_request_add_header(&r, "Content-Type",
	    "application/x-www-form-urlencoded", &cause), 0);
	assert_int_equal(sim_request_parse(&r, "POST", "/", body.data, body.len, &cause), 0);
	assert_int_equal(r.all.n, SIM_MAX_PARAMS);
	sim_request_free(&r);
	sim_request_init(&r);
	assert_int_equal(sim_request_add_header(&r, "Content-Type",
	    "application/x-www-form-urlencoded", &cause), 0);
	assert_int_equal(sim_request_parse(&r, "POST", "/?extra=1", body.data, body.len,
	    &cause), -1);
	assert_non_null(strstr(cause, "parameters"));
	free(cause);
	cause = NULL;
	sim_request_free(&r);
	/* A body over SIM_MAX_BODY is refused before it is decoded. */
	buf_reset(&body);
	buf_reserve(&body, SIM_MAX_BODY + 1);
	memset(body.data, 'a', SIM_MAX_BODY + 1);
	body.len = SIM_MAX_BODY + 1;
	sim_request_init(&r);
	assert_int_equal(sim_request_parse(&r, "POST", "/", body.data, body.len, &cause), -1);
	assert_non_null(strstr(cause, "larger"));
	free(cause);
	cause = NULL;
	sim_request_free(&r);
	/* Headers. */
	sim_request_init(&r);
	for (i = 0; i < SIM_MAX_HEADERS; i++)
		assert_int_equal(sim_request_add_header(&r, "X-A", "b", &cause), 0);
	assert_int_equal(sim_request_add_header(&r, "X-A", "b", &cause), -1);
	free(cause);
	sim_request_free(&r);
	buf_free(&body);
}

/* Feeds a field of total bytes in pieces of step; returns the bytes taken before the form
 * refused it (total when it never did). */
static size_t
feed_field(struct sim_oss_form *f, const char *name, size_t total, size_t step)
{
	static char piece[65536];
	size_t off = 0, n;

	memset(piece, 'v', sizeof piece);
	while (off < total) {
		n = total - off < step ? total - off : step;
		if (sim_oss_form_part(f, name, NULL, piece, off, n) != 0)
			return off;
		off += n;
	}
	return off;
}

static void
test_oss_form_caps(void **state)
{
	struct sim *sim = sim_new(1);
	struct sim_oss_form *f;
	char *body = NULL, md5[33], file[4096];
	int i;

	(void)state;
	/* The 20 MiB field of the issue: taken up to 2 MB, refused on the piece that goes
	 * over, and nothing after it is kept. */
	f = sim_oss_form_new(SIM_OSS_MAX_SIZE);
	assert_int_equal(feed_field(f, "x", 20u << 20, 4096), SIM_OSS_MAX_FIELD);
	assert_int_equal(sim_oss_form_held(f), SIM_OSS_MAX_FIELD);
	assert_int_equal(sim_oss_form_part(f, "y", NULL, "z", 0, 1), -1);
	assert_int_equal(sim_oss_form_held(f), SIM_OSS_MAX_FIELD);
	assert_int_equal(sim_oss_form_finish(sim->oss, f, &body, md5), 400);
	assert_non_null(strstr(body, "<Code>InvalidArgument</Code>"));
	free(body);
	sim_oss_form_free(f);
	/* A field of exactly 2 MB, in small pieces (appended in amortised O(1): this is 131,072
	 * appends), is taken whole. */
	f = sim_oss_form_new(SIM_OSS_MAX_SIZE);
	assert_int_equal(feed_field(f, "x", SIM_OSS_MAX_FIELD, 16), SIM_OSS_MAX_FIELD);
	assert_int_equal(sim_oss_form_held(f), SIM_OSS_MAX_FIELD);
	sim_oss_form_free(f);
	/* The fields before the file: 8 MB in all. */
	f = sim_oss_form_new(SIM_OSS_MAX_SIZE);
	for (i = 0; i < 4; i++)
		assert_int_equal(feed_field(f, i % 2 ? "a" : "b", SIM_OSS_MAX_FIELD, 65536),
		    SIM_OSS_MAX_FIELD);
	assert_int_equal(feed_field(f, "c", 1, 1), 0);
	assert_int_equal(sim_oss_form_finish(sim->oss, f, &body, md5), 400);
	assert_non_null(strstr(body, "<Code>InvalidArgument</Code>"));
	free(body);
	sim_oss_form_free(f);
	/* The file: streamed, never kept, refused past its limit. */
	memset(file, 'f', sizeof file);
	f = sim_oss_form_new(3 * sizeof file);
	for (i = 0; i < 3; i++)
		assert_int_equal(sim_oss_form_part(f, "file", "fw.bin", file, (uint64_t)i * sizeof file,
		    sizeof file), 0);
	assert_int_equal(sim_oss_form_held(f), 0);
	assert_int_equal(sim_oss_form_part(f, "file", "fw.bin", file, 3 * sizeof file, 1), -1);
	assert_int_equal(sim_oss_form_finish(sim->oss, f, &body, md5), 400);
	assert_non_null(strstr(body, "<Code>EntityTooLarge</Code>"));
	free(body);
	sim_oss_form_free(f);
	sim_free(sim);
}

/* A simulator on a loopback port with a small memory budget. */
static int
setup(void **state)
{
	struct simtest *fx = xcalloc(1, sizeof *fx);

	if (simtest_open(fx, 3, 1, 10, 1.0) != 0 || simtest_listen(fx, 64 * 1024) != 0)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct simtest *fx = *state;

	simtest_close(fx);
	free(fx);
	return 0;
}

static int
connect_to(unsigned port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

static void
send_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;	/* the server may close early */
		data += n;
		len -= (size_t)n;
	}
}

/* Reads the answer until the server closes (at most 10 s); returns it (caller frees). */
static char *
read_answer(int fd)
{
	struct buf b = BUF_INIT;
	struct pollfd p = { fd, POLLIN, 0 };
	char chunk[4096];
	ssize_t n;

	while (poll(&p, 1, 10000) == 1 && (n = recv(fd, chunk, sizeof chunk, 0)) > 0)
		buf_add(&b, chunk, (size_t)n);
	return buf_detach(&b);
}

/* Sends one request with a body of len bytes, on a connection that closes after it. */
static char *
post(unsigned port, const char *path, const char *extra_headers, const char *body, size_t len)
{
	struct buf req = BUF_INIT;
	char *answer;
	int fd = connect_to(port);

	buf_addf(&req, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n%s\r\n",
	    path, len, extra_headers);
	buf_add(&req, body, len);
	send_all(fd, req.data, req.len);
	shutdown(fd, SHUT_WR);
	answer = read_answer(fd);
	close(fd);
	buf_free(&req);
	return answer;
}

static void
test_server_body_caps(void **state)
{
	struct simtest *fx = *state;
	char *big = xmalloc(SIM_MAX_BODY + 2), *a;

	memset(big, 'a', SIM_MAX_BODY + 1);
	big[SIM_MAX_BODY + 1] = '\0';
	/* Announced over SIM_MAX_BODY: refused with the gateway's error, the body unread. */
	a = post(fx->port, "/", "", big, SIM_MAX_BODY + 1);
	assert_non_null(strstr(a, "HTTP/1.1 400"));
	assert_non_null(strstr(a, "\"Code\":\"InvalidParameter\""));
	free(a);
	/* Under SIM_MAX_BODY but over what the server may hold in all (64 KiB here): 503. */
	a = post(fx->port, "/", "", big, 100 * 1024);
	assert_non_null(strstr(a, "HTTP/1.1 503"));
	assert_non_null(strstr(a, "\"Code\":\"ServiceUnavailable\""));
	free(a);
	/* The budget is given back: a small request gets through to the gateway. */
	a = post(fx->port, "/", "", "Action=QueryProductList", 23);
	assert_non_null(strstr(a, "<Code>MissingVersion</Code>"));
	free(a);
	free(big);
}

/* Reads one answer of a kept-alive connection (headers and Content-Length bytes). */
static void
read_one_answer(int fd)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	const char *end, *cl;
	ssize_t n;

	for (;;) {
		n = recv(fd, chunk, sizeof chunk, 0);
		assert_true(n > 0);
		buf_add(&b, chunk, (size_t)n);
		if ((end = strstr(buf_str(&b), "\r\n\r\n")) != NULL &&
		    (cl = strcasestr(buf_str(&b), "Content-Length: ")) != NULL &&
		    b.len >= (size_t)(end + 4 - b.data) + strtoul(cl + 16, NULL, 10))
			break;
	}
	buf_free(&b);
}

static void
test_server_connection_limit(void **state)
{
	struct simtest *fx = *state;
	static const char keep[] = "GET /?Action=QueryProductList HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	static const char once[] = "GET /?Action=QueryProductList HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n\r\n";
	int fds[SIM_SERVER_MAX_PER_IP], extra, i;
	char *a = NULL;

	/* SIM_SERVER_MAX_PER_IP connections from 127.0.0.1, each answered once and kept open:
	 * one more is closed unanswered. */
	for (i = 0; i < SIM_SERVER_MAX_PER_IP; i++) {
		fds[i] = connect_to(fx->port);
		send_all(fds[i], keep, sizeof keep - 1);
		read_one_answer(fds[i]);
	}
	extra = connect_to(fx->port);
	send_all(extra, once, sizeof once - 1);
	a = read_answer(extra);
	assert_string_equal(a, "");
	free(a);
	close(extra);
	/* Once one goes (the server notices it soon), a new connection is served. */
	close(fds[0]);
	for (i = 0; i < 200; i++) {
		extra = connect_to(fx->port);
		send_all(extra, once, sizeof once - 1);
		a = read_answer(extra);
		close(extra);
		if (*a != '\0')
			break;
		free(a);
		a = NULL;
		usleep(50000);
	}
	assert_non_null(a);
	assert_non_null(strstr(a, "MissingVersion"));
	free(a);
	for (i = 1; i < SIM_SERVER_MAX_PER_IP; i++)
		close(fds[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_caps),
		cmocka_unit_test(test_oss_form_caps),
		cmocka_unit_test_setup_teardown(test_server_body_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_connection_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
