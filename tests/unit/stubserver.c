/* stubserver.c — a scriptable loopback HTTP/1.1 server for unit tests. */
#include "stubserver.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "core/xmalloc.h"

#define MAX_CONNS 256

struct conn {
	int       fd;		/* connected socket */
	pthread_t thread;	/* its thread */
	int       done;		/* the thread has finished (under mu): it may be reaped */
};

struct stub_server {
	int              fd;		/* listening socket */
	char             url[64];	/* http://127.0.0.1:PORT/ */
	pthread_t        acceptor;	/* accept loop */
	void           (*handler)(void *, const struct stub_request *, struct stub_reply *);
	void            *arg;		/* handler's argument */
	pthread_mutex_t  mu;		/* guards below, and serialises the handler */
	pthread_cond_t   cond;		/* release and stop */
	int              stop;		/* stub_stop was called */
	int              released;	/* stub_release was called */
	int              seq;		/* requests seen */
	struct conn     *conns[MAX_CONNS];	/* open connections (owned) */
	int              nconns;	/* how many */
	int              accepted;	/* connections accepted so far */
};

struct conn_arg {
	struct stub_server *s;
	struct conn        *c;
};

static int
stopping(struct stub_server *s)
{
	int v;

	pthread_mutex_lock(&s->mu);
	v = s->stop;
	pthread_mutex_unlock(&s->mu);
	return v;
}

/* Reads one request; returns 0 with the body in *body, -1 on EOF or error. */
static int
read_request(int fd, struct buf *in, struct buf *body)
{
	char tmp[4096], *hend, *cl;
	ssize_t n;
	size_t hlen, clen = 0;

	for (;;) {
		hend = in->len ? strstr(in->data, "\r\n\r\n") : NULL;
		if (hend != NULL)
			break;
		n = read(fd, tmp, sizeof tmp);
		if (n <= 0)
			return -1;
		buf_add(in, tmp, (size_t)n);
	}
	hlen = (size_t)(hend - in->data) + 4;
	cl = strcasestr(in->data, "\r\ncontent-length:");
	if (cl != NULL && cl < hend)
		clen = (size_t)strtoul(cl + 17, NULL, 10);
	while (in->len < hlen + clen) {
		n = read(fd, tmp, sizeof tmp);
		if (n <= 0)
			return -1;
		buf_add(in, tmp, (size_t)n);
	}
	buf_reset(body);
	buf_add(body, in->data + hlen, clen);
	/* Keep what follows (a pipelined request). */
	memmove(in->data, in->data + hlen + clen, in->len - hlen - clen);
	in->len -= hlen + clen;
	in->data[in->len] = '\0';
	return 0;
}

static void
parse_form(const char *s, struct params *p)
{
	struct buf name = BUF_INIT, value = BUF_INIT;
	const char *amp, *eq;

	while (*s) {
		amp = strchr(s, '&');
		if (amp == NULL)
			amp = s + strlen(s);
		eq = memchr(s, '=', (size_t)(amp - s));
		buf_reset(&name);
		buf_reset(&value);
		if (eq != NULL) {
			pct_decode(&name, s, (size_t)(eq - s), 1);
			pct_decode(&value, eq + 1, (size_t)(amp - eq - 1), 1);
		} else
			pct_decode(&name, s, (size_t)(amp - s), 1);
		params_set(p, buf_str(&name), buf_str(&value));
		s = *amp ? amp + 1 : amp;
	}
	buf_free(&name);
	buf_free(&value);
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits until the peer closes or the server stops. */
static void
stall(struct stub_server *s, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
	char tmp[512];

	while (!stopping(s)) {
		if (poll(&pfd, 1, 20) > 0 && read(fd, tmp, sizeof tmp) <= 0)
			return;
	}
}

static void *
conn_main(void *argp)
{
	struct conn_arg *ca = argp;
	struct stub_server *s = ca->s;
	struct conn *self = ca->c;
	int fd = self->fd, done = 0;
	struct buf in = BUF_INIT, body = BUF_INIT, out = BUF_INIT;
	struct params p = PARAMS_INIT;
	struct stub_request rq;
	struct stub_reply rep;
	const char *action;

	free(ca);
	while (!done && read_request(fd, &in, &body) == 0) {
		params_free(&p);
		parse_form(buf_str(&body), &p);
		action = params_get(&p, "Action");
		memset(&rep, 0, sizeof rep);
		rep.http = 200;
		pthread_mutex_lock(&s->mu);
		rq.action = action ? action : "";
		rq.params = &p;
		rq.seq = ++s->seq;
		s->handler(s->arg, &rq, &rep);
		if (rep.kind == STUB_HOLD)
			while (!s->released && !s->stop)
				pthread_cond_wait(&s->cond, &s->mu);
		pthread_mutex_unlock(&s->mu);
		if (rep.delay_ms > 0)
			sleep_ms(rep.delay_ms);
		switch (rep.kind) {
		case STUB_CLOSE:
			done = 1;
			break;
		case STUB_STALL:
			stall(s, fd);
			done = 1;
			break;
		case STUB_REPLY:
		case STUB_HOLD:
			buf_reset(&out);
			buf_addf(&out, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
			    "Content-Length: %zu\r\n%s\r\n%s", rep.http,
			    rep.body ? strlen(rep.body) : 0, rep.headers ? rep.headers : "",
			    rep.body ? rep.body : "");
			if (send(fd, out.data, out.len, MSG_NOSIGNAL) != (ssize_t)out.len)
				done = 1;
			break;
		}
		free(rep.body);
		free(rep.headers);
	}
	params_free(&p);
	buf_free(&in);
	buf_free(&body);
	buf_free(&out);
	shutdown(fd, SHUT_RDWR);
	pthread_mutex_lock(&s->mu);
	self->done = 1;
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Joins and frees the connections whose thread has finished, so that a client that
 * opens one connection per request (writes) can make any number. Lock held. */
static void
reap(struct stub_server *s)
{
	int i = 0;

	while (i < s->nconns) {
		struct conn *c = s->conns[i];
		if (!c->done) {
			i++;
			continue;
		}
		pthread_join(c->thread, NULL);
		close(c->fd);
		free(c);
		s->conns[i] = s->conns[--s->nconns];
	}
}

static void *
accept_main(void *arg)
{
	struct stub_server *s = arg;
	struct conn_arg *ca;
	int c;

	for (;;) {
		c = accept(s->fd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		pthread_mutex_lock(&s->mu);
		if (s->nconns == MAX_CONNS)
			reap(s);
		if (s->stop || s->nconns == MAX_CONNS) {
			pthread_mutex_unlock(&s->mu);
			close(c);
			if (stopping(s))
				return NULL;
			continue;
		}
		ca = xcalloc(1, sizeof *ca);
		ca->s = s;
		ca->c = xcalloc(1, sizeof *ca->c);
		ca->c->fd = c;
		s->conns[s->nconns++] = ca->c;
		s->accepted++;
		pthread_create(&ca->c->thread, NULL, conn_main, ca);
		pthread_mutex_unlock(&s->mu);
	}
}

struct stub_server *
stub_start(void (*handler)(void *arg, const struct stub_request *rq, struct stub_reply *out),
    void *arg)
{
	struct stub_server *s = xcalloc(1, sizeof *s);
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int one = 1;

	s->handler = handler;
	s->arg = arg;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cond, NULL);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(s->fd, 64) != 0 || getsockname(s->fd, (struct sockaddr *)&a, &alen) != 0) {
		perror("stub_start");
		abort();
	}
	snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
	pthread_create(&s->acceptor, NULL, accept_main, s);
	return s;
}

const char *
stub_url(const struct stub_server *s)
{
	return s->url;
}

void
stub_release(struct stub_server *s)
{
	pthread_mutex_lock(&s->mu);
	s->released = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->mu);
}

int
stub_count(struct stub_server *s)
{
	int n;

	pthread_mutex_lock(&s->mu);
	n = s->seq;
	pthread_mutex_unlock(&s->mu);
	return n;
}

int
stub_connections(struct stub_server *s)
{
	int n;

	pthread_mutex_lock(&s->mu);
	n = s->accepted;
	pthread_mutex_unlock(&s->mu);
	return n;
}

void
stub_stop(struct stub_server *s)
{
	int i, n;

	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->mu);
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->acceptor, NULL);
	pthread_mutex_lock(&s->mu);
	n = s->nconns;
	for (i = 0; i < n; i++)
		shutdown(s->conns[i]->fd, SHUT_RDWR);
	pthread_mutex_unlock(&s->mu);
	for (i = 0; i < n; i++) {
		pthread_join(s->conns[i]->thread, NULL);
		close(s->conns[i]->fd);
		free(s->conns[i]);
	}
	close(s->fd);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
