/* h_group.c — group management (guide 4.10). */
#include "sim/handler.h"

const struct sim_handler sim_group_handlers[] = {
	{ NULL, NULL, NULL }
};
