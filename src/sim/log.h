/* log.h — the simulator's only way to write to stderr.
 *
 * Every line is formatted, then made display-safe as a whole (core/safetext.h): control
 * characters, escape sequences, bidi overrides and invalid UTF-8 in any argument — an
 * Action, an AccessKeyId, a path, an option value, a message of libmicrohttpd — reach
 * the terminal as visible placeholders, and a newline inside an argument cannot forge a
 * second log line. Nothing in src/sim writes to stderr otherwise (a test checks it).
 */
#ifndef IOTDECK_SIM_LOG_H
#define IOTDECK_SIM_LOG_H

#include <stdarg.h>
#include <stdio.h>

/* Writes "iotdeck-sim: " and the display-safe form of the formatted message, then a
 * newline. Thread-safe. */
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sim_vlog(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Returns the caller-freed display-safe line sim_log would write (without the prefix
 * and the newline); trailing newlines of the message are dropped first. */
char *sim_log_format(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Sends the log to f instead of stderr (NULL: back to stderr). For tests. */
void sim_log_set_stream(FILE *f);

#endif
