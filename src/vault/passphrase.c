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

int
passphrase_read_fd(int fd, struct secret **out, char **cause)
{
	struct secret *s;
	char c = 0;
	size_t n = 0;

	*out = NULL;
	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		*cause = xasprintf("file descriptor %d is not open", fd);
		return VAULT_ERR;
	}
	s = secret_new(SECRET_MAX);
	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*cause = xasprintf("cannot read from file descriptor %d: %s", fd,
			    strerror(errno));
			goto fail;
		}
		if (r == 0) {
			if (n == 0) {
				*cause = xasprintf("nothing to read on file descriptor %d", fd);
				secret_free(s);
				return VAULT_CANCEL;
			}
			break;
		}
		n++;
		if (c == '\n')
			break;
		if (secret_append(s, &c, 1) != 0) {
			*cause = xasprintf("line on file descriptor %d is longer than %d bytes", fd,
			    SECRET_MAX);
			goto fail;
		}
	}
	if (secret_len(s) > 0 && secret_reveal(s)[secret_len(s) - 1] == '\r') {
		secret_hide(s);
		secret_pop(s);
	} else
		secret_hide(s);
	sodium_memzero(&c, sizeof c);
	*out = s;
	return VAULT_OK;

fail:
	sodium_memzero(&c, sizeof c);
	secret_free(s);
	return VAULT_ERR;
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

int
passphrase_read_tty(const char *prompt, struct secret **out, char **cause)
{
	struct sigaction sa;
	struct secret *s = NULL;
	int status = VAULT_OK;
	size_t i;
	char c = 0;

	*out = NULL;
	tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty_fd < 0) {
		*cause = xstrdup("no terminal to ask for the passphrase on; use "
		    "--passphrase-fd N (for example --passphrase-fd 3 3<file)");
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
	tty_write(prompt);
	tcsetattr(tty_fd, TCSAFLUSH, &tty_quiet);

	s = secret_new(SECRET_MAX);
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
			*cause = xstrdup("no passphrase given");
			status = VAULT_CANCEL;
			break;
		}
		if (c == '\n')
			break;
		if (secret_append(s, &c, 1) != 0) {
			*cause = xasprintf("longer than %d bytes", SECRET_MAX);
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
passphrase_read(int fd, const char *prompt, struct secret **out, char **cause)
{
	int status;

	status = fd >= 0 ? passphrase_read_fd(fd, out, cause) :
	    passphrase_read_tty(prompt, out, cause);
	if (status == VAULT_OK && secret_len(*out) == 0) {
		secret_free(*out);
		*out = NULL;
		*cause = xstrdup("empty value");
		return VAULT_CANCEL;
	}
	return status;
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
		status = passphrase_read_tty(again, &b, cause);
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
