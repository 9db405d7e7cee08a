// SPDX-License-Identifier: GPL-2.0
/*
 * Block a set of CPUs together, preemption and interrupts off
 *
 * The rendezvous: on_each_cpu_mask() without waiting sends an IPI to every
 * listed CPU but the caller's own, then runs the callback on the caller's CPU if
 * that one is listed. A callback runs in hard interrupt context (on PREEMPT_RT
 * too: IPI callbacks are never threaded), so its CPU has preemption and local
 * interrupts off. It counts itself in and spins; the last CPU to arrive
 * publishes the common start time, and every CPU busy-waits until start + N on
 * CLOCK_MONOTONIC (or on get_cycles()), so all of them are blocked over one
 * common window however late each noticed the start. The writer sleeps on a
 * completion instead of spinning in smp_call_function() with preemption off,
 * so an unlisted writer CPU stays preemptible and unblocked.
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
	u64 start_ns;		/* published by the last CPU to arrive; 0 before */
	cycles_t start_cycles;
	struct completion done;
};

struct blocksys_cpu_result {
	u64 arrived_ns;
	u64 actual_ns;		/* from the common start to this CPU's release */
	bool blocked;
};

static DEFINE_PER_CPU(struct blocksys_cpu_result, blocksys_cpu_results);

/*
 * blocksys_rendezvous - count this CPU in and wait for the common start, which the last CPU
 * to arrive publishes; false if the rendezvous was abandoned
 */
static bool blocksys_rendezvous(struct blocksys_run *run,
				struct blocksys_cpu_result *result)
{
	u64 give_up_ns;

	result->arrived_ns = ktime_get_ns();
	give_up_ns = result->arrived_ns + BLOCKSYS_RENDEZVOUS_NS;
	if (atomic_inc_return(&run->arrived) == run->nr_cpus) {
		if (READ_ONCE(run->abandoned))
			return false;
		run->start_cycles = get_cycles();
		/* Pairs with the acquire below: start_cycles is set first. */
		smp_store_release(&run->start_ns, ktime_get_ns());
		return true;
	}
	/* Pairs with the release above: start_cycles is valid once seen. */
	while (!smp_load_acquire(&run->start_ns)) {
		if (READ_ONCE(run->abandoned))
			return false;
		if (ktime_get_ns() > give_up_ns) {
			WRITE_ONCE(run->abandoned, true);
			return false;
		}
		cpu_relax();
	}
	return true;
}

/* blocksys_busy_wait - spin until the requested time after the common start has passed */
static void blocksys_busy_wait(const struct blocksys_run *run,
			       struct blocksys_cpu_result *result)
{
	const struct blocksys_request *request = run->request;
	u64 end_ns = run->start_ns + request->amount;

	if (request->unit == BLOCKSYS_UNIT_CYC) {
		while ((u64)(get_cycles() - run->start_cycles) < request->amount)
			cpu_relax();
	} else {
		while (ktime_get_ns() < end_ns)
			cpu_relax();
	}
	result->actual_ns = ktime_get_ns() - run->start_ns;
}

/* blocksys_on_cpu - the IPI callback, run on every listed CPU with interrupts off */
static void blocksys_on_cpu(void *info)
{
	struct blocksys_run *run = info;
	struct blocksys_cpu_result *result = this_cpu_ptr(&blocksys_cpu_results);

	result->blocked = blocksys_rendezvous(run, result);
	if (result->blocked)
		blocksys_busy_wait(run, result);
	if (atomic_dec_and_test(&run->remaining))
		complete(&run->done);
}

/* blocksys_summarize - longest block and rendezvous wait; false if a CPU did not block */
static bool blocksys_summarize(const struct blocksys_run *run,
			       const struct cpumask *cpus,
			       struct blocksys_outcome *outcome)
{
	u64 first_arrival_ns = U64_MAX;
	unsigned int cpu;

	outcome->actual_max_ns = 0;
	for_each_cpu(cpu, cpus) {
		const struct blocksys_cpu_result *result =
			per_cpu_ptr(&blocksys_cpu_results, cpu);

		if (!result->blocked)
			return false;
		outcome->actual_max_ns = max(outcome->actual_max_ns, result->actual_ns);
		first_arrival_ns = min(first_arrival_ns, result->arrived_ns);
	}
	outcome->rendezvous_ns = run->start_ns - first_arrival_ns;
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
	if (READ_ONCE(run.abandoned) || !blocksys_summarize(&run, request->cpus, outcome))
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
