/* rtsetup.h - real-time setup that may be refused: CPUs, memory locking, scheduling, signals. */
#ifndef RTVIRT_RTSETUP_H
#define RTVIRT_RTSETUP_H

#include <sched.h>
#include <stddef.h>
#include <signal.h>

#include "options.h"

int rt_allowed_cpus(const struct measure_opts *o, cpu_set_t *allowed, char *err, size_t size);
int rt_lock_memory(char *err, size_t size);
void rt_sched_refused(int error, int policy, int priority, int cpu, char *err, size_t size);
void rt_signals_setup(sigset_t *waitset);
void rt_die_with_parent(pid_t parent_pid);

#endif
