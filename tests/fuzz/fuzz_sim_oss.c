/* fuzz_sim_oss.c — libFuzzer target for the simulator's HTTP front end and the OSS
 * PostObject upload form: libmicrohttpd's multipart parser feeding sim_oss_form (fields,
 * caps, the file's MD5), then the upload's checks (sim_oss_finish: fields, signature, the
 * base64 policy document, its expiration and key condition); and, for raw requests, the
 * whole of server.c's request path (headers, body caps, request decoding, the gateway up
 * to its signature check).
 *
 * A simulator runs in-process (one product, five devices); each input is sent on a fresh
 * socketpair handed to it with sim_server_add_connection, and the answer is read to its
 * end. Input: either "RAW\n" and a raw HTTP request, or the Content-Type of an upload on
 * the first line and its body after, sent as "POST /oss"; in the body @POLICY@, @SIG@
 * and @KEY@ become a fresh policy, its signature and its key from GenerateOTAUploadURL's
 * code, so that valid uploads reach the checks after the signature. FUZZ_SIM_SHOW=1 in
 * the environment prints each answer (to check what the seeds reach).
 *
 * fuzz-sources: src/sim/server.c src/sim/gateway.c src/sim/handler.c src/sim/h_device.c src/sim/h_group.c src/sim/rule.c src/sim/writelog.c src/core/jsonout.c src/core/timefmt.c src/sim/h_ota_fw.c src/sim/h_ota_job.c src/sim/h_ota_task.c src/sim/h_product.c src/sim/h_thing.c src/sim/h_use.c src/sim/h_use_query.c src/sim/h_use_shadow.c src/sim/auth.c src/sim/sts.c src/sim/fault.c src/sim/log.c src/sim/oss.c src/sim/ota.c src/sim/reply.c src/sim/request.c src/sim/seed.c src/sim/sim.c src/sim/store.c src/sim/thingmodel.c src/sim/throttle.c src/sim/tsl.c src/sim/world.c src/api/actions.c src/api/params.c src/api/sign.c src/api/sign_v3.c src/core/buf.c src/core/clock.c src/core/safetext.c src/core/xmalloc.c
 * fuzz-pkgs: openssl libmicrohttpd
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/gateway.h"
#include "sim/log.h"
#include "sim/oss.h"
#include "sim/seed.h"
#include "sim/server.h"
#include "sim/sim.h"
#include "sim/throttle.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sim *sim;
static struct sim_server *server;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sim_gateway_config gcfg = { NULL, 0, NULL };
	struct sim_server_config scfg;
	struct sim_auth *auth;
	struct sim_gateway *gw;
	FILE *devnull = fopen("/dev/null", "w");
	char *cause = NULL;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	/* libmicrohttpd's complaints about the inputs are expected: keep them off the log. */
	sim_log_set_stream(devnull);
	sim = sim_new(1);
	if (sim_seed(sim, 1, 1, 5, &cause) != 0)
		abort();
	auth = sim_auth_new();
	gw = sim_gateway_new(sim, auth, sim_throttle_new(1.0), &gcfg);
	memset(&scfg, 0, sizeof scfg);
	scfg.listen = "127.0.0.1:0";
	if ((server = sim_server_start(gw, &scfg, &cause)) == NULL)
		abort();
	return 0;
}

/* Appends s[0..len) to out with @POLICY@, @SIG@ and @KEY@ replaced. */
static void
substitute(struct buf *out, const char *s, size_t len)
{
	struct sim_oss_url u;
	const char *at;

	sim_lock(sim);
	sim_oss_url_make(sim->oss, "http://127.0.0.1", "ota", "bin", &u);
	sim_unlock(sim);
	while (len > 0) {
		at = memchr(s, '@', len);
		if (at == NULL) {
			buf_add(out, s, len);
			break;
		}
		buf_add(out, s, (size_t)(at - s));
		len -= (size_t)(at - s);
		s = at;
		if (len >= 8 && memcmp(s, "@POLICY@", 8) == 0) {
			buf_adds(out, u.policy);
			s += 8, len -= 8;
		} else if (len >= 5 && memcmp(s, "@SIG@", 5) == 0) {
			buf_adds(out, u.signature);
			s += 5, len -= 5;
		} else if (len >= 5 && memcmp(s, "@KEY@", 5) == 0) {
			buf_adds(out, u.key);
			s += 5, len -= 5;
		} else {
			buf_addc(out, '@');
			s++, len--;
		}
	}
	sim_oss_url_free(&u);
}

/* Sends req on a new connection of the server and reads the answer to its end. */
static void
exchange(const struct buf *req)
{
	struct pollfd p;
	char chunk[4096];
	size_t off = 0;
	ssize_t n;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	if (sim_server_add_connection(server, sv[0]) != 0) {
		close(sv[1]);
		return;
	}
	/* libFuzzer's -timeout alarm (SIGALRM) interrupts system calls: EINTR is retried. */
	while (off < req->len) {
		n = send(sv[1], req->data + off, req->len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* the server may close before the end */
		off += (size_t)n;
	}
	shutdown(sv[1], SHUT_WR);
	p.fd = sv[1];
	p.events = POLLIN;
	for (;;) {
		p.revents = 0;
		n = poll(&p, 1, 30000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1)
			abort();	/* the server neither answered nor closed */
		n = recv(sv[1], chunk, sizeof chunk, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (getenv("FUZZ_SIM_SHOW") != NULL)
			fwrite(chunk, 1, (size_t)n, stderr);
	}
	close(sv[1]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	struct buf req = BUF_INIT, body = BUF_INIT;
	char *ctype;

	if (size >= 4 && memcmp(s, "RAW\n", 4) == 0) {
		buf_add(&req, s + 4, size - 4);
	} else {
		nl = memchr(s, '\n', size);
		if (nl == NULL)
			return 0;
		ctype = xstrndup(s, (size_t)(nl - s));
		substitute(&body, nl + 1, size - (size_t)(nl + 1 - s));
		buf_addf(&req, "POST /oss HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		    "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n", ctype, body.len);
		buf_add(&req, body.data != NULL ? body.data : "", body.len);
		free(ctype);
	}
	exchange(&req);
	buf_free(&req);
	buf_free(&body);
	return 0;
}
