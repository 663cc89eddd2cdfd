/* h_thing.c — thing models (4.11), thing-model use (4.12) and the device shadow (4.19). */
#include "sim/handler.h"

const struct sim_handler sim_thing_handlers[] = {
	{ NULL, NULL, NULL }
};
