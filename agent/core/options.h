/* options.h - command line of rtvirt-measure: cyclictest 2.x flags plus rtvirt's own. */
#ifndef RTVIRT_OPTIONS_H
#define RTVIRT_OPTIONS_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_LABELS 64
#define MAX_THREADS CPU_SETSIZE
#define MAX_HIST_US 1000000u
#define DEFAULT_HIST_US 10000u		/* internal histogram when -h is not given */
#define DEFAULT_OVERFLOW_CAP 1024u
#define MAX_BREAK_US 10000000u

enum affinity_mode {
	AFFINITY_NONE,		/* threads not pinned */
	AFFINITY_ALL,		/* -a without list / -S: round robin over the allowed CPUs */
	AFFINITY_LIST,		/* -a LIST: round robin over LIST */
};

struct label {
	const char *key;	/* both point into argv */
	const char *value;
	size_t key_len;
};

struct measure_opts {
	enum affinity_mode affinity;
	cpu_set_t affinity_set;		/* AFFINITY_LIST only */
	const char *affinity_arg;	/* as given ("" when none, "all" for -a alone/-S) */
	int threads;			/* requested count; -1: one per allowed CPU */
	int smp;
	int priority;			/* 0 means SCHED_OTHER, as in cyclictest */
	uint32_t interval_us;
	uint32_t distance_us;
	uint64_t loops;			/* 0: endless */
	uint64_t duration_s;		/* 0: no limit */
	uint32_t histogram_us;		/* 0: -h not given */
	int mlockall;
	int quiet;
	int no_pm_qos;		/* leave /dev/cpu_dma_latency alone */
	pid_t parent_pid;		/* 0: none; else stop when this process is no longer the parent */
	int priospread;			/* thread i runs at priority - i (cyclictest) */
	uint32_t break_us;		/* -b: stop above this latency; 0: never */
	const char *json_path;		/* cyclictest's JSON: NULL, path, or "-" */
	const char *result_json_path;	/* the result as JSON: NULL, path, or "-" */
	const char *result_path;	/* NULL, path, or "-" */
	int progress_fd;		/* -1: none */
	uint32_t progress_ms;
	uint32_t overflow_cap;
	const char *ivshmem_path;	/* NULL: no sample streaming */
	uint32_t ivshmem_slots;		/* 0: as many slots as the region holds */
	struct label labels[MAX_LABELS];
	int nlabels;
	int help;
	int version;
};

int options_parse(int argc, char **argv, struct measure_opts *o, char *err, size_t errsize);
void options_usage(const char *prog);

#endif
