/* commands.h — the console's ":" command line: one table of commands (name, arguments,
 * one line of help, what the argument completes, the handler), so :help, Tab and the
 * commands themselves cannot drift apart.
 */
#ifndef IOTDECK_COMMANDS_H
#define IOTDECK_COMMANDS_H

#include "core/buf.h"
#include "ui/overlay.h"
#include "ui/ui.h"

/* Runs one command line ("devices a1Bw..."). Returns 0, or -1 when it was refused (the
 * reason is on the status bar). */
int commands_run(struct ui *ui, const char *line);

/* Tab on the command line text[0..cursor): completes the word under the cursor to the
 * longest prefix its candidates share. Returns the new text (caller-freed), or NULL when
 * nothing changed; when several candidates remain, *list gets them one a line ("a1Bw...
 * 温湿度传感器"), caller-freed, else NULL. */
char *commands_complete(struct ui *ui, const char *text, char **list);

/* A view-* key (the action column of panes.def): goes to its view as its command would
 * with no argument (a product's view: the last product opened). Returns 1 when a was
 * one, 0 otherwise. */
int commands_view_action(struct ui *ui, enum ui_action a);

/* Appends to o a line per command: ":name ARGS  what it does". */
void commands_help(struct overlay *o);

#endif
