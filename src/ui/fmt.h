/* fmt.h — small formatting helpers shared by the panes. */
#ifndef IOTDECK_FMT_H
#define IOTDECK_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Formats epoch milliseconds as local "YYYY-MM-DD HH:MM:SS" into out (>= 32 bytes);
 * "" when ms is negative or MODEL_NONE. Returns out. */
const char *fmt_epoch_ms(int64_t ms, char *out, size_t outlen);
/* Formats an integer, "" for MODEL_NONE. Returns out (>= 24 bytes). */
const char *fmt_int(int64_t v, char *out, size_t outlen);
/* Appends a progress bar of cols columns for fraction f (0..1): "█████·····". */
void fmt_bar(struct buf *out, double f, int cols);
/* Returns s, or "" when s is NULL. */
const char *fmt_str(const char *s);

#endif
