/* fmt.h — small formatting helpers shared by the panes. */
#ifndef IOTDECK_FMT_H
#define IOTDECK_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/timefmt.h"

/* Room for a formatted time (fmt_time, fmt_time_ms), NUL included. */
#define FMT_TIME_MAX TIMEFMT_MAX
/* The widest a formatted time is on screen (the iso style); a table column of times has
 * this as its min and max, so a time is shown whole or not at all. */
#define FMT_TIME_COLS 20

/* Chooses how every time on screen is written (the config's time-format; default
 * TIMEFMT_LOCAL: "YYYY-MM-DD HH:MM:SS" local time). UI thread only. */
void fmt_set_time_style(enum timefmt_style style);
enum timefmt_style fmt_time_style(void);
/* Formats epoch milliseconds in the chosen style into out (>= FMT_TIME_MAX bytes); ""
 * when ms is MODEL_NONE. Returns out. Every time on screen goes through here. */
const char *fmt_time_ms(int64_t ms, char *out, size_t outlen);
/* Formats a time as the API wrote it (any shape of core/timefmt.h) in the chosen style;
 * "" for NULL; a text that is not a time is copied as it is (display-safe later, like
 * any cell). Returns out (>= FMT_TIME_MAX bytes; a longer text is cut). */
const char *fmt_time(const char *api, char *out, size_t outlen);
/* Formats an integer, "" for MODEL_NONE. Returns out (>= 24 bytes). */
const char *fmt_int(int64_t v, char *out, size_t outlen);
/* Appends a progress bar of cols columns for fraction f (0..1): "█████·····". */
void fmt_bar(struct buf *out, double f, int cols);
/* A bar of n segments (succeeded, failed, canceled, ...) in cols columns: widths[i] gets
 * counts[i]'s share (largest remainder), and every segment with a count gets at least one
 * column while there are columns for it (7 FAILED of 10,000 is never drawn as nothing).
 * Negative counts count as 0; all zero: every width 0. The widths sum to cols, or to 0. */
void fmt_segments(const int64_t *counts, int n, int cols, int *widths);
/* Returns s, or "" when s is NULL. */
const char *fmt_str(const char *s);

#endif
