/* propspark.h — the recent values of one device property as a line: bars (sparkline.h)
 * with their min, max and last, kept fresh for a pane (the device pane's line under its
 * header, for the numeric property under the cursor).
 *
 * The values cost QueryDevicePropertyData requests (50 QPS for the whole account), so a
 * propspark asks only for the one property it follows, once it has followed it for
 * PROPSPARK_DEBOUNCE (a cursor running over the rows asks nothing), newest first, one page;
 * and again only when told that the property was reported anew (propspark_reported, which
 * the device pane calls from its property refresh: never more often than that refresh).
 * A property it no longer follows has its request cancelled and its answer ignored.
 */
#ifndef IOTDECK_PROPSPARK_H
#define IOTDECK_PROPSPARK_H

#include <stdint.h>

#include <curses.h>

#include "api/worker.h"
#include "ui/ui.h"

/* Seconds a property is followed before its values are asked for. */
#define PROPSPARK_DEBOUNCE 0.3

struct propspark;

/* A line for the properties of device product_key/device_name (copied), following none;
 * kind is the udata of its requests (so that the pane can tell them from its own). */
struct propspark *propspark_new(const char *product_key, const char *device_name,
    intptr_t kind);
/* Frees it (its request goes with the pane's: the UI cancels a pane's requests). */
void propspark_free(struct propspark *s);

/* Follows property identifier (NULL: none; the line says to pick a numeric property), with
 * its unit (may be NULL) and the Time of its latest report (MODEL_NONE: not known). Another
 * property than before drops the values and cancels the request out, and asks anew after
 * PROPSPARK_DEBOUNCE; the same one changes nothing. Strings are copied. */
void propspark_follow(struct propspark *s, struct pane *p, const char *identifier,
    const char *unit, int64_t time_ms, double now);
/* Property identifier was reported at time_ms (a property refresh saw it): when it is the
 * one followed and that report is newer than the values, they are asked for again. */
void propspark_reported(struct propspark *s, const char *identifier, int64_t time_ms,
    double now);
/* Asks for the values again now (the pane's refresh). */
void propspark_refresh(struct propspark *s, double now);
/* Follows nothing any more (its request cancelled). */
void propspark_reset(struct propspark *s, struct pane *p);

/* Sends the request when it is due. Returns the seconds until it wants the next tick (a
 * large number when nothing is due). */
double propspark_tick(struct propspark *s, struct pane *p, double now);
/* Offers the answer r of pane p: 1 when it is an answer to one of its requests (its kind):
 * read when it is the one it waits for, ignored when it is of a property it left; the
 * caller still frees r either way, and redraws when propspark_dirty says so. 0: not its. */
int propspark_result(struct propspark *s, struct pane *p, const struct worker_result *r);

/* 1 when the line needs drawing again (another property, new values). */
int propspark_dirty(const struct propspark *s);
/* Draws the line at (y, 0) of w, width columns: label in the dim attribute, label_cols
 * wide, then as many of the newest values as fit beside "min X  max Y  last Z UNIT"
 * (without those when fewer than eight bars would fit), or what it waits for. Everything
 * from the network is made display-safe. Clears the dirty mark. */
void propspark_draw(struct propspark *s, const struct ui *ui, WINDOW *w, int y, int width,
    const char *label, int label_cols);

#endif
