// SPDX-License-Identifier: GPL-2.0
/*
 * blocksys_block.c - block a set of CPUs together, preemption and interrupts off
 *
 * The rendezvous: on_each_cpu_mask() without waiting sends an IPI to every listed CPU but the
 * caller's own, then runs the callback on the caller's CPU if that one is listed. A callback
 * runs in hard interrupt context (on PREEMPT_RT too: IPI callbacks are never threaded), so its
 * CPU has preemption and local interrupts off. It counts itself in, spins until every listed
 * CPU has arrived, then busy-waits on CLOCK_MONOTONIC (or on get_cycles()) and records what it
 * measured. The writer sleeps on a completion instead of spinning in smp_call_function with
 * preemption off, so an unlisted writer CPU stays preemptible and unblocked.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/math64.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/timex.h>

#include "blocksys.h"

struct blocksys_run {
	const struct blocksys_request *request;
	unsigned int nr_cpus;
	atomic_t arrived;
	atomic_t remaining;
	bool abandoned;
	struct completion done;
};

struct blocksys_cpu_result {
	u64 start_ns;
	u64 actual_ns;
	bool blocked;
};

static DEFINE_PER_CPU(struct blocksys_cpu_result, blocksys_cpu_results);

/* blocksys_rendezvous - count this CPU in and wait for the others; false if abandoned */
static bool blocksys_rendezvous(struct blocksys_run *run)
{
	u64 give_up_ns = ktime_get_ns() + BLOCKSYS_RENDEZVOUS_NS;

	atomic_inc(&run->arrived);
	while (atomic_read(&run->arrived) < run->nr_cpus) {
		if (READ_ONCE(run->abandoned))
			return false;
		if (ktime_get_ns() > give_up_ns) {
			WRITE_ONCE(run->abandoned, true);
			return false;
		}
		cpu_relax();
	}
	return !READ_ONCE(run->abandoned);
}

/* blocksys_busy_wait - spin for the requested time, return the start and length in ns */
static void blocksys_busy_wait(const struct blocksys_request *request,
			       struct blocksys_cpu_result *result)
{
	u64 start_ns = ktime_get_ns();
	u64 now_ns = start_ns;

	if (request->unit == BLOCKSYS_UNIT_CYC) {
		cycles_t start_cycles = get_cycles();

		while ((u64)(get_cycles() - start_cycles) < request->amount)
			cpu_relax();
		now_ns = ktime_get_ns();
	} else {
		while (now_ns - start_ns < request->amount) {
			cpu_relax();
			now_ns = ktime_get_ns();
		}
	}
	result->start_ns = start_ns;
	result->actual_ns = now_ns - start_ns;
}

/* blocksys_on_cpu - the IPI callback, run on every listed CPU with interrupts off */
static void blocksys_on_cpu(void *info)
{
	struct blocksys_run *run = info;
	struct blocksys_cpu_result *result = this_cpu_ptr(&blocksys_cpu_results);

	result->blocked = blocksys_rendezvous(run);
	if (result->blocked)
		blocksys_busy_wait(run->request, result);
	if (atomic_dec_and_test(&run->remaining))
		complete(&run->done);
}

/* blocksys_summarize - longest block and start skew over the CPUs; false if one did not block */
static bool blocksys_summarize(const struct cpumask *cpus,
			       struct blocksys_outcome *outcome)
{
	u64 first_start_ns = U64_MAX, last_start_ns = 0;
	unsigned int cpu;

	outcome->actual_max_ns = 0;
	for_each_cpu(cpu, cpus) {
		const struct blocksys_cpu_result *result =
			per_cpu_ptr(&blocksys_cpu_results, cpu);

		if (!result->blocked)
			return false;
		outcome->actual_max_ns = max(outcome->actual_max_ns, result->actual_ns);
		first_start_ns = min(first_start_ns, result->start_ns);
		last_start_ns = max(last_start_ns, result->start_ns);
	}
	outcome->skew_ns = last_start_ns - first_start_ns;
	return true;
}

/**
 * blocksys_block - block every CPU of @request->cpus together and wait for the end
 * @request: CPUs (all online, kept so by the caller's cpus_read_lock()), unit and amount
 * @outcome: filled with what the CPUs measured
 *
 * The caller serializes calls. Return: 0, or -ETIMEDOUT if a CPU did not reach the rendezvous
 * within BLOCKSYS_RENDEZVOUS_NS (it kept interrupts off that long), in which case no CPU
 * blocked for the requested time.
 */
int blocksys_block(const struct blocksys_request *request,
		   struct blocksys_outcome *outcome)
{
	struct blocksys_run run = {
		.request = request,
		.arrived = ATOMIC_INIT(0),
	};
	unsigned int writer_cpu;

	init_completion(&run.done);
	writer_cpu = get_cpu();
	if (request->on_writer_cpu)
		cpumask_copy(request->cpus, cpumask_of(writer_cpu));
	run.nr_cpus = cpumask_weight(request->cpus);
	atomic_set(&run.remaining, run.nr_cpus);
	on_each_cpu_mask(request->cpus, blocksys_on_cpu, &run, false);
	put_cpu();
	wait_for_completion(&run.done);
	if (READ_ONCE(run.abandoned) || !blocksys_summarize(request->cpus, outcome))
		return -ETIMEDOUT;
	return 0;
}

/* blocksys_cpu_actual_ns - how long @cpu blocked in the last finished block */
u64 blocksys_cpu_actual_ns(unsigned int cpu)
{
	return per_cpu_ptr(&blocksys_cpu_results, cpu)->actual_ns;
}

/**
 * blocksys_cycles_per_ms - get_cycles() ticks per millisecond, measured against
 * CLOCK_MONOTONIC over a 20 ms sleep (interruptions do not matter: both clocks run on)
 *
 * Return: the rate, 0 where get_cycles() is not implemented.
 */
u64 blocksys_cycles_per_ms(void)
{
	u64 start_ns = ktime_get_ns();
	cycles_t start_cycles = get_cycles();

	msleep(20);
	return mul_u64_u64_div_u64(get_cycles() - start_cycles, NSEC_PER_MSEC,
				   ktime_get_ns() - start_ns);
}
