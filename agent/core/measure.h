/* measure.h - one measuring thread: the cyclictest timing loop, and the run's stop flag. */
#ifndef RTVIRT_MEASURE_H
#define RTVIRT_MEASURE_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "histogram.h"
#include "ivshmem.h"
#include "overflow.h"

/* Live figures: written by the measuring thread, read by the main thread at any time. */
struct thread_stats {
	uint64_t cycles;
	uint64_t min_ns;	/* UINT64_MAX until the first cycle */
	uint64_t max_ns;
	uint64_t act_ns;	/* latest latency */
	uint64_t sum_ns;
	uint64_t sum_us;	/* sum of per-cycle truncated us, for cyclictest's Avg column */
	uint64_t missed;	/* periods skipped because a wakeup came after the next period */
	uint64_t overflows;	/* latencies above the histogram range */
};

/* -b: the first latency above the threshold, claimed by one thread (hit 0 -> 1). */
struct break_hit {
	uint64_t threshold_ns;	/* set before the threads start */
	int hit;
	int thread;
	uint64_t cycle;		/* counted from 0 */
	uint64_t value_ns;
};

struct measure_thread {
	/* set before the thread starts */
	int index;
	int cpu;		/* -1: not pinned */
	int policy;		/* SCHED_FIFO or SCHED_OTHER */
	int priority;
	uint32_t interval_us;
	uint64_t loops;		/* 0: endless */
	uint64_t duration_ns;	/* 0: no limit */
	uint64_t epoch_ns;	/* CLOCK_MONOTONIC start of the run: sample times count from here */
	pthread_t main_thread;	/* told with SIGUSR2 when this thread ends */
	int *finished;		/* threads ended so far (shared counter) */
	struct histogram hist;
	struct overflow_list over;
	struct ivshmem_ring *ring;	/* --ivshmem: this thread's sample ring, else NULL */
	struct break_hit *brk;		/* -b: shared by all threads, else NULL */
	/* written by the thread */
	struct thread_stats st;
	pid_t tid;
	int error;		/* errno of a failing clock call, 0 if none */
	/* owned by the runner */
	pthread_t handle;
	int started;
	uint64_t p50_ns, p99_ns, p99_9_ns, p99_99_ns;
};

#define SIG_THREAD_DONE SIGUSR2	/* measuring thread -> main: I ended */
#define SIG_WAKE SIGUSR1	/* main -> measuring thread: leave clock_nanosleep */

void *measure_thread_main(void *arg);
void stats_snapshot(const struct measure_thread *t, struct thread_stats *out, pid_t *tid);
uint64_t mono_ns(void);
uint64_t realtime_ns(void);
void stop_request(void);
int stop_requested(void);

#endif
