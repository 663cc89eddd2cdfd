/* uiops.c — the console's operations: targets from the panes. */
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "ui/table.h"
#include "ui/ui_impl.h"

static void
target_from_key(struct ui_target *t, const char *key)
{
	const char *slash = strchr(key, '/');

	memset(t, 0, sizeof *t);
	if (slash == NULL) {
		t->iot_id = xstrdup(key);
		return;
	}
	t->product_key = xstrndup(key, (size_t)(slash - key));
	t->device_name = xstrdup(slash + 1);
}

size_t
ui_table_targets(struct table *t, int (*is_device)(const struct table_row *r),
    struct ui_target **out, int *marked)
{
	struct table_row **rows = NULL, *cur;
	size_t i, n, k = 0;

	*out = NULL;
	*marked = 0;
	if (t == NULL)
		return 0;
	n = table_marked_rows(t, &rows);
	if (n > 0) {
		*marked = 1;
		*out = xcalloc(n, sizeof **out);
		for (i = 0; i < n; i++)
			if (is_device == NULL || is_device(rows[i]))
				target_from_key(&(*out)[k++], rows[i]->key);
		free(rows);
		return k;
	}
	cur = table_cursor_row(t);
	if (cur == NULL || (is_device != NULL && !is_device(cur)))
		return 0;
	*out = xcalloc(1, sizeof **out);
	target_from_key(*out, cur->key);
	return 1;
}

void
ui_targets_free(struct ui_target *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].product_key);
		free(v[i].device_name);
		free(v[i].iot_id);
	}
	free(v);
}
