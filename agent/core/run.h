/* run.h - everything one run of rtvirt-measure knows: options, target, threads, timing. */
#ifndef RTVIRT_RUN_H
#define RTVIRT_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "ivshmem.h"
#include "measure.h"
#include "options.h"
#include "pmqos.h"
#include "sysinfo.h"

#define TOOL_VERSION "rtvirt-measure 0.1.0"
#define HIST_BUCKET_NS 1000u	/* 1 us buckets, like cyclictest's -h */

struct run {
	const struct measure_opts *opts;
	char command[4096];		/* argv joined by spaces */
	struct sysinfo_snapshot sys;
	struct pmqos qos;
	int priority;			/* of thread 0: -p, or the --priospread default */
	int policy;			/* of thread 0: SCHED_FIFO or SCHED_OTHER */
	struct break_hit brk;		/* -b: where a latency first exceeded the threshold */
	uint32_t hist_us;		/* histogram range in use (-h, or the internal default) */
	int nthreads;
	struct measure_thread *threads;
	int finished;			/* threads that ended (updated atomically) */
	uint64_t start_realtime_ns;
	uint64_t start_monotonic_ns;
	uint64_t duration_ns;
	int stop_reason;		/* RESULT_STOP_* */
	int live_frames;		/* live display frames printed so far */
	struct ivshmem_stream stream;	/* --ivshmem: the sample rings */
	FILE *text;			/* where cyclictest's text goes: stdout, or stderr for --result - */
};

#endif
