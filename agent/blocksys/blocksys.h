/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the device side (blocksys_main.c) asks of the blocking side
 * (blocksys_block.c)
 */
#ifndef BLOCKSYS_H
#define BLOCKSYS_H

#include <linux/cpumask.h>
#include <linux/types.h>

#include "blocksys_cmd.h"

/* How long listed CPUs wait for each other before the block is abandoned. */
#define BLOCKSYS_RENDEZVOUS_NS	NSEC_PER_SEC

/*
 * One block to run: @cpus all together for @amount ns, or @amount cycles for cyc. With
 * @on_writer_cpu, blocksys_block() sets @cpus to the CPU it is called on.
 */
struct blocksys_request {
	struct cpumask *cpus;
	bool on_writer_cpu;
	enum blocksys_unit unit;
	u64 amount;
};

/* What a finished block measured, from the common start to each CPU's release. */
struct blocksys_outcome {
	u64 actual_max_ns;	/* the longest of the CPUs */
	u64 rendezvous_ns;	/* common start minus the first CPU's arrival */
};

int blocksys_block(const struct blocksys_request *request,
		   struct blocksys_outcome *outcome);
u64 blocksys_cpu_actual_ns(unsigned int cpu);
u64 blocksys_cycles_per_ms(void);

#endif /* BLOCKSYS_H */
