/* sched.h - scheduling policy numbers (as Linux's) and cpu_set_t, as the core's headers use. */
#ifndef RTVIRT_INMATE_SCHED_H
#define RTVIRT_INMATE_SCHED_H

#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2

#define CPU_SETSIZE 1024
typedef struct {
	unsigned long bits[CPU_SETSIZE / (8 * sizeof(unsigned long))];
} cpu_set_t;

#endif
