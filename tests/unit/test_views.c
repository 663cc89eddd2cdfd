/* test_views.c — the breadcrumbs of the views (ui_crumb, from panes.def): a root's title,
 * a product's name and key with the view's title, an id after or before the title, the
 * opener's label first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/known.h"
#include "ui/ui_impl.h"

/* Checks the breadcrumb of view v opened on a. */
static void
check(struct ui *ui, enum ui_view v, const struct pane_arg *a, const char *want)
{
	char *got = ui_crumb(ui, v, a);

	assert_string_equal(got, want);
	free(got);
}

static void
test_crumbs(void **state)
{
	struct ui ui;

	(void)state;
	memset(&ui, 0, sizeof ui);
	known_product(&ui.known, "a1AAAAAAAAA", "lamp");
	check(&ui, UI_V_PRODUCTS, NULL, "Products");
	check(&ui, UI_V_GROUPS, &(struct pane_arg){ 0 }, "Groups");
	check(&ui, UI_V_OPERATIONS, NULL, "Operations");
	/* a product: its name when known, and the view's title */
	check(&ui, UI_V_DEVICES, &(struct pane_arg){ .product_key = "a1AAAAAAAAA" },
	    "lamp (a1AAAAAAAAA)");
	check(&ui, UI_V_THING_MODEL, &(struct pane_arg){ .product_key = "a1AAAAAAAAA" },
	    "lamp (a1AAAAAAAAA): thing model");
	check(&ui, UI_V_FIRMWARE, &(struct pane_arg){ .product_key = "a1BBBBBBBBB" },
	    "a1BBBBBBBBB: OTA firmware");
	check(&ui, UI_V_FIRMWARE, NULL, "OTA firmware");
	check(&ui, UI_V_JOBS, &(struct pane_arg){ .product_key = "a1AAAAAAAAA" },
	    "lamp (a1AAAAAAAAA): OTA jobs");
	/* an id; the opener's label wins */
	check(&ui, UI_V_JOBS, &(struct pane_arg){ .id = "fw1" }, "fw1");
	check(&ui, UI_V_JOBS, &(struct pane_arg){ .id = "fw1", .label = "lamp-fw 2.0" },
	    "lamp-fw 2.0");
	check(&ui, UI_V_TASKS, &(struct pane_arg){ .id = "job9" }, "job job9");
	check(&ui, UI_V_GROUP, &(struct pane_arg){ .id = "g1" }, "g1");
	check(&ui, UI_V_GROUP, &(struct pane_arg){ .id = "g1", .label = "hall" }, "hall");
	/* a device: its nickname when the opener has one, else its name */
	check(&ui, UI_V_DEVICE, &(struct pane_arg){ .product_key = "a1AAAAAAAAA",
	    .device_name = "lamp-1" }, "lamp-1");
	check(&ui, UI_V_DEVICE, &(struct pane_arg){ .product_key = "a1AAAAAAAAA",
	    .device_name = "lamp-1", .label = "porch" }, "porch");
	/* views of a row or a property */
	check(&ui, UI_V_DESCRIBE, &(struct pane_arg){ .label = "lamp-1" }, "describe lamp-1");
	check(&ui, UI_V_HISTORY, &(struct pane_arg){ .label = "temp" }, "temp history");
	check(&ui, UI_V_VALUE, &(struct pane_arg){ .label = "pos" }, "pos value");
	known_free(&ui.known);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crumbs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
