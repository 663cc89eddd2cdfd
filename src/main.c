/* main.c — argument parsing and subcommand dispatch. */
#include <stdio.h>
int main(void) { puts("iotdeck"); return 0; }
