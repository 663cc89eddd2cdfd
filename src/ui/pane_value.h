/* pane_value.h — a struct or array property's value laid out through the thing model: a
 * row per member (array items as [0], [1]..., a struct inside an array as [0].Member),
 * with its name, its type (tslvalue_describe) and its value (tslvalue_show). Opened with
 * Enter on such a property in the device pane; Esc goes back. */
#ifndef IOTDECK_PANE_VALUE_H
#define IOTDECK_PANE_VALUE_H

#include <stdint.h>

#include "api/model.h"
#include "ui/ui.h"


/* Opens the value of property identifier (its name may be NULL) on top of the stack. dt
 * is its type in the thing model, or NULL when the model is not known (the members are
 * then read from the JSON itself, without types). value is the value as the API sent it
 * (JSON text); time_ms when it was reported (MODEL_NONE: not known). Everything is read
 * now: nothing is kept of the arguments. */
void pane_value_push(struct ui *ui, const char *identifier, const char *name,
    const struct tsl_datatype *dt, const char *value, int64_t time_ms);

#endif
