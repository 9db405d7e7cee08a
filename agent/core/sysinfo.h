/* sysinfo.h - cheap snapshot of the target: kernel, machine, CPUs, PREEMPT_RT, clock source. */
#ifndef RTVIRT_SYSINFO_H
#define RTVIRT_SYSINFO_H

#include <stdint.h>

struct sysinfo_snapshot {
	char release[128];
	char version[256];
	char machine[64];
	char nodename[128];
	char cpus_online[512];	/* sysfs list, e.g. "0-3" */
	uint16_t cpu_count;	/* CPUs online */
	int preempt_rt;		/* /sys/kernel/realtime is 1, or uname says PREEMPT_RT */
	char cmdline[4096];
	char clocksource[64];
};

void sysinfo_snapshot(struct sysinfo_snapshot *s);

#endif
