/* runner.h - start the measuring threads, supervise them, collect their figures. */
#ifndef RTVIRT_RUNNER_H
#define RTVIRT_RUNNER_H

#include <signal.h>
#include <stddef.h>

#include "run.h"

int run_prepare(struct run *r, const cpu_set_t *allowed, char *err, size_t size);
int run_start(struct run *r, char *err, size_t size);
void run_supervise(struct run *r, const sigset_t *waitset);
void run_finish(struct run *r);
void run_free(struct run *r);

#endif
