/* form.c — forms generated from the thing model (form.h). Placeholder until the forms
 * land: every form says it is not there yet. */
#include "ui/form.h"

#include "ui/ui_impl.h"

int
form_open_properties(struct ui *ui, const char *title, const struct model_tsl *t,
    struct pane *values, form_done_fn *done, void *arg, void (*free_arg)(void *))
{
	(void)title, (void)t, (void)values, (void)done;
	if (free_arg != NULL)
		free_arg(arg);
	ui_error(ui, "forms are not built yet: give ID=VALUE");
	return -1;
}

int
form_open_service(struct ui *ui, const char *title, const struct tsl_service *s,
    form_done_fn *done, void *arg, void (*free_arg)(void *))
{
	(void)title, (void)s, (void)done;
	if (free_arg != NULL)
		free_arg(arg);
	ui_error(ui, "forms are not built yet: give ARG=VALUE");
	return -1;
}

int
form_open_pick(struct ui *ui, const char *title, const char *const *items,
    const char *const *desc, size_t n, form_pick_fn *picked, void *arg,
    void (*free_arg)(void *))
{
	(void)title, (void)items, (void)desc, (void)n, (void)picked;
	if (free_arg != NULL)
		free_arg(arg);
	ui_error(ui, "pick lists are not built yet");
	return -1;
}

void form_key(struct ui *ui, uint32_t key) { (void)ui, (void)key; }
void form_draw(struct ui *ui) { (void)ui; }
void form_close(struct ui *ui) { (void)ui; }
