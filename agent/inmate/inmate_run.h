/* inmate_run.h - one measure command: the timer loop, then the result record to the root. */
#ifndef RTVIRT_INMATE_RUN_H
#define RTVIRT_INMATE_RUN_H

#include "link.h"

void inmate_run(struct link *l, const struct cell_command *cmd);

#endif
