/* log.c — display-safe logging (see log.h). */
#include "sim/log.h"

#include <stdlib.h>

#include "core/buf.h"
#include "core/safetext.h"

static FILE *log_stream;	/* NULL: stderr */

void
sim_log_set_stream(FILE *f)
{
	log_stream = f;
}

char *
sim_log_format(const char *fmt, va_list ap)
{
	struct buf raw = BUF_INIT;
	char *safe;

	buf_vaddf(&raw, fmt, ap);
	while (raw.len > 0 && (raw.data[raw.len - 1] == '\n' || raw.data[raw.len - 1] == '\r'))
		raw.data[--raw.len] = '\0';
	safe = safetext_dup(buf_str(&raw), raw.len);
	buf_free(&raw);
	return safe;
}

void
sim_vlog(const char *fmt, va_list ap)
{
	FILE *f = log_stream != NULL ? log_stream : stderr;
	char *line = sim_log_format(fmt, ap);

	/* One call, so that lines of concurrent requests do not interleave. */
	fprintf(f, "iotdeck-sim: %s\n", line);
	fflush(f);
	free(line);
}

void
sim_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sim_vlog(fmt, ap);
	va_end(ap);
}
