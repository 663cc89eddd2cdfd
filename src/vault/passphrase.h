/* passphrase.h — reading passphrases and secrets without echo, or from a descriptor.
 *
 * Never from argv or the environment: other users' tools can read both (/proc). Either
 * the controlling terminal (/dev/tty, so it works with stdin redirected, over SSH and in
 * tmux) with echo off, or a file descriptor the caller opened (--passphrase-fd 3 3<file).
 * Everything read goes straight into guarded memory (struct secret).
 *
 * The terminal functions change the terminal's mode and signal dispositions while they
 * read: call them from the main thread only, never while ncurses owns the terminal (the
 * console has its own dialog and hands the vault a vault_ask_fn of its own).
 */
#ifndef IOTDECK_PASSPHRASE_H
#define IOTDECK_PASSPHRASE_H

#include "core/secret.h"

/* Shortest passphrase accepted for a new vault or a new passphrase. The longest, for
 * every reader here and for the console, is VAULT_PASSPHRASE_MAX (vault.h): a longer line
 * is refused with "passphrase longer than 1024 bytes, ...", never truncated. */
#define PASSPHRASE_MIN 8

/* Reads one line from fd into a new secret (*out, caller-freed): bytes up to a newline or
 * end of file, without the newline (and a "\r" before it). Reads byte by byte, so several
 * lines can be taken from one descriptor in turn. Returns VAULT_OK, or VAULT_CANCEL at end
 * of file before any byte, or VAULT_ERR (fd not open, a line longer than
 * VAULT_PASSPHRASE_MAX: nothing after the first byte too many is read). */
int passphrase_read_fd(int fd, struct secret **out, char **cause);

/* Shows prompt on the controlling terminal and reads a line with echo off. The terminal
 * mode is restored on return and also if SIGINT, SIGTERM, SIGHUP or SIGQUIT arrives (the
 * signal is then handled as it would have been); SIGTSTP suspends with echo restored and
 * echo goes off again on resume. Returns VAULT_OK, VAULT_CANCEL (no terminal, end of file,
 * interrupted, empty line) or VAULT_ERR (a line longer than VAULT_PASSPHRASE_MAX: the
 * rest of it is discarded from the terminal's input, so the shell never reads it). */
int passphrase_read_tty(const char *prompt, struct secret **out, char **cause);

/* Reads from fd if fd >= 0, otherwise from the terminal with prompt. An empty value is
 * refused (VAULT_CANCEL). */
int passphrase_read(int fd, const char *prompt, struct secret **out, char **cause);

/* The same for an AccessKey secret (the same limit; the messages name the secret and
 * --secret-fd). */
int passphrase_read_secret(int fd, const char *prompt, struct secret **out, char **cause);

/* The same for an STS security token, up to VAULT_TOKEN_MAX bytes (messages name the
 * token and --token-fd). On a terminal, a line is at most about 4,000 bytes (the
 * terminal's own limit): longer tokens are given on a descriptor. */
int passphrase_read_token(int fd, const char *prompt, struct secret **out, char **cause);

/* Gets a new passphrase: from fd (one line, no confirmation) if fd >= 0, otherwise from the
 * terminal, asked twice ("Repeat ...") and checked equal. At least PASSPHRASE_MIN bytes. */
int passphrase_new(int fd, const char *prompt, struct secret **out, char **cause);

/* Where passphrase_ask gets passphrases from. */
struct passphrase_src {
	int	fd;	/* descriptor (one line per passphrase), or -1 for the terminal */
};

/* A vault_ask_fn over a struct passphrase_src (arg): from the terminal it asks up to
 * VAULT_UNLOCK_TRIES times ("Wrong passphrase or damaged file; try again" in front of the
 * later prompts); from a descriptor it reads once and gives up on later attempts. */
int passphrase_ask(void *arg, const char *prompt, int attempt, struct secret **out,
    char **cause);

#endif
