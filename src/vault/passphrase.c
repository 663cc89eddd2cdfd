/* passphrase.c — passphrases from the terminal (echo off) or a descriptor. */
#include "vault/passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "core/xmalloc.h"
#include "vault/vault.h"

/* What is being read, for messages. */
struct input_kind {
	const char	*what;		/* "passphrase" */
	const char	*fd_option;	/* the option that gives it on a descriptor */
	size_t		 max;		/* the longest value, in bytes */
};
static const struct input_kind kind_passphrase = { "passphrase", "--passphrase-fd",
    VAULT_PASSPHRASE_MAX };
static const struct input_kind kind_secret = { "AccessKey secret", "--secret-fd",
    VAULT_PASSPHRASE_MAX };
static const struct input_kind kind_token = { "security token", "--token-fd",
    VAULT_TOKEN_MAX };

/* The refusal of a value longer than k->max. */
static char *
too_long(const struct input_kind *k)
{
	return xasprintf("%s longer than %zu bytes, the most iotdeck accepts: refused, not "
	    "truncated", k->what, k->max);
}

/* passphrase_read_fd for a value of kind k. A line longer than the limit is refused as
 * soon as the byte after the limit is read (a descriptor need not hold a newline:
 * /dev/zero), so nothing more is read. */
static int
read_fd(int fd, const struct input_kind *k, struct secret **out, char **cause)
{
	struct secret *s;
	char c = 0;
	size_t n = 0;
	int cr = 0;

	*out = NULL;
	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		*cause = xasprintf("file descriptor %d is not open", fd);
		return VAULT_ERR;
	}
	s = secret_new(k->max);
	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*cause = xasprintf("cannot read the %s from file descriptor %d: %s",
			    k->what, fd, strerror(errno));
			goto fail;
		}
		if (r == 0) {
			if (n == 0) {
				*cause = xasprintf("no %s to read on file descriptor %d",
				    k->what, fd);
				secret_free(s);
				return VAULT_CANCEL;
			}
			break;
		}
		n++;
		if (c == '\n')
			break;
		/* A "\r" is kept back until we know it does not end the line, so that a
		 * value of exactly the limit followed by "\r\n" is accepted. */
		if (cr) {
			cr = 0;
			if (secret_append(s, "\r", 1) != 0)
				goto long_line;
		}
		if (c == '\r') {
			cr = 1;
			continue;
		}
		if (secret_append(s, &c, 1) != 0)
			goto long_line;
	}
	sodium_memzero(&c, sizeof c);
	*out = s;
	return VAULT_OK;

long_line:
	*cause = too_long(k);
fail:
	sodium_memzero(&c, sizeof c);
	secret_free(s);
	return VAULT_ERR;
}

int
passphrase_read_fd(int fd, struct secret **out, char **cause)
{
	return read_fd(fd, &kind_passphrase, out, cause);
}

/* ------------------------------------------------------------------------------------ */
/* The terminal. One read at a time (main thread), so the state is global for the
 * signal handler. */

static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
#define TTY_NSIG (sizeof tty_signals / sizeof tty_signals[0])

static int			tty_fd = -1;		/* /dev/tty while reading */
static struct termios		tty_saved;		/* mode to restore */
static struct termios		tty_quiet;		/* mode while reading (echo off) */
static struct sigaction		tty_old[TTY_NSIG];	/* dispositions to restore */
static volatile sig_atomic_t	tty_interrupted;	/* a terminating signal arrived */

static void
tty_on_signal(int sig)
{
	int saved_errno = errno;
	struct sigaction sa;
	sigset_t set;
	size_t i;

	tcsetattr(tty_fd, TCSANOW, &tty_saved);
	if (sig == SIGTSTP) {
		/* Stop with the terminal as it was; on resume, echo off again. */
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTSTP, &sa, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGTSTP);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(SIGTSTP);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sa.sa_handler = tty_on_signal;
		sigaction(SIGTSTP, &sa, NULL);
		tcsetattr(tty_fd, TCSAFLUSH, &tty_quiet);
		errno = saved_errno;
		return;
	}
	/* Give the signal to whatever handled it before (default: terminate). */
	tty_interrupted = 1;
	for (i = 0; i < TTY_NSIG; i++)
		if (tty_signals[i] == sig)
			sigaction(sig, &tty_old[i], NULL);
	raise(sig);
	errno = saved_errno;
}

static void
tty_write(const char *s)
{
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = write(tty_fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* passphrase_read_tty for a value of kind k. */
static int
read_tty(const char *prompt, const struct input_kind *k, struct secret **out, char **cause)
{
	struct sigaction sa;
	struct secret *s = NULL;
	int status = VAULT_OK;
	size_t i;
	char c = 0;

	*out = NULL;
	tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty_fd < 0) {
		*cause = xasprintf("no terminal to ask for the %s on; use %s N (for example "
		    "%s 3 3<file)", k->what, k->fd_option, k->fd_option);
		return VAULT_CANCEL;
	}
	if (tcgetattr(tty_fd, &tty_saved) != 0) {
		*cause = xasprintf("cannot read the terminal settings: %s", strerror(errno));
		close(tty_fd);
		tty_fd = -1;
		return VAULT_CANCEL;
	}
	tty_quiet = tty_saved;
	tty_quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
	tty_quiet.c_lflag |= ECHONL | ICANON;
	tty_interrupted = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tty_on_signal;	/* no SA_RESTART: read() returns EINTR */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < TTY_NSIG; i++)
		sigaction(tty_signals[i], &sa, &tty_old[i]);
	/* Echo off (dropping what was typed before, with echo on) and only then the prompt,
	 * as glibc's getpass does: whatever is typed once the prompt shows is kept. */
	tcsetattr(tty_fd, TCSAFLUSH, &tty_quiet);
	tty_write(prompt);

	s = secret_new(k->max);
	for (;;) {
		ssize_t r = read(tty_fd, &c, 1);

		if (r < 0 && errno == EINTR && !tty_interrupted)
			continue;	/* suspended and resumed */
		if (r < 0) {
			*cause = xstrdup(tty_interrupted ? "interrupted" :
			    "cannot read from the terminal");
			status = VAULT_CANCEL;
			break;
		}
		if (r == 0) {
			*cause = xasprintf("no %s given", k->what);
			status = VAULT_CANCEL;
			break;
		}
		if (c == '\n')
			break;
		if (secret_append(s, &c, 1) != 0) {
			/* The rest of the line must not stay in the terminal's input, where
			 * the shell would read it as a command once we exit. */
			tcflush(tty_fd, TCIFLUSH);
			*cause = too_long(k);
			status = VAULT_ERR;
			break;
		}
	}
	sodium_memzero(&c, sizeof c);
	tcsetattr(tty_fd, TCSANOW, &tty_saved);
	if (status != VAULT_OK && !tty_interrupted)
		tty_write("\n");
	for (i = 0; i < TTY_NSIG; i++)
		sigaction(tty_signals[i], &tty_old[i], NULL);
	close(tty_fd);
	tty_fd = -1;
	if (status != VAULT_OK) {
		secret_free(s);
		return status;
	}
	*out = s;
	return VAULT_OK;
}

int
passphrase_read_tty(const char *prompt, struct secret **out, char **cause)
{
	return read_tty(prompt, &kind_passphrase, out, cause);
}

/* passphrase_read for a value of kind k. */
static int
read_value(int fd, const char *prompt, const struct input_kind *k, struct secret **out,
    char **cause)
{
	int status;

	status = fd >= 0 ? read_fd(fd, k, out, cause) : read_tty(prompt, k, out, cause);
	if (status == VAULT_OK && secret_len(*out) == 0) {
		secret_free(*out);
		*out = NULL;
		*cause = xasprintf("empty %s", k->what);
		return VAULT_CANCEL;
	}
	return status;
}

int
passphrase_read(int fd, const char *prompt, struct secret **out, char **cause)
{
	return read_value(fd, prompt, &kind_passphrase, out, cause);
}

int
passphrase_read_secret(int fd, const char *prompt, struct secret **out, char **cause)
{
	return read_value(fd, prompt, &kind_secret, out, cause);
}

int
passphrase_read_token(int fd, const char *prompt, struct secret **out, char **cause)
{
	return read_value(fd, prompt, &kind_token, out, cause);
}

int
passphrase_new(int fd, const char *prompt, struct secret **out, char **cause)
{
	struct secret *a = NULL, *b = NULL;
	char *again;
	int status;

	*out = NULL;
	if ((status = passphrase_read(fd, prompt, &a, cause)) != VAULT_OK)
		return status;
	if (secret_len(a) < PASSPHRASE_MIN) {
		secret_free(a);
		*cause = xasprintf("the passphrase is too short: use at least %d characters",
		    PASSPHRASE_MIN);
		return VAULT_ERR;
	}
	if (fd < 0) {
		again = xasprintf("Repeat %c%s", prompt[0] >= 'A' && prompt[0] <= 'Z' ?
		    prompt[0] - 'A' + 'a' : prompt[0], prompt + (prompt[0] != '\0'));
		status = read_tty(again, &kind_passphrase, &b, cause);
		free(again);
		if (status != VAULT_OK) {
			secret_free(a);
			return status;
		}
		if (!secret_equal(a, b)) {
			secret_free(a);
			secret_free(b);
			*cause = xstrdup("the two passphrases differ; nothing changed");
			return VAULT_ERR;
		}
		secret_free(b);
	}
	*out = a;
	return VAULT_OK;
}

int
passphrase_ask(void *arg, const char *prompt, int attempt, struct secret **out,
    char **cause)
{
	const struct passphrase_src *src = arg;
	char *p;
	int status;

	if (src->fd >= 0) {
		if (attempt > 1)
			return VAULT_CANCEL;
		return passphrase_read(src->fd, prompt, out, cause);
	}
	if (attempt == 1)
		return passphrase_read(-1, prompt, out, cause);
	p = xasprintf("Wrong passphrase or damaged file; try again.\n%s", prompt);
	status = passphrase_read(-1, p, out, cause);
	free(p);
	return status;
}
