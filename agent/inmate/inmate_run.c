/* inmate_run.c - one measure command of the root cell, end to end (docs/inmate.md).
 *
 * The run is described with the core's own structures (struct run, struct measure_thread),
 * so the core's histogram, overflow list, percentiles, sample-ring writer and record encoder
 * (agent/core) do the work; what the inmate fills in differently is said where it happens.
 */
#include <inmate.h>
#include <stdlib.h>

#include "../core/buf.h"
#include "../core/percentile.h"
#include "../core/result_format.h"
#include "../core/result_writer.h"
#include "../core/run.h"
#include "inmate_run.h"
#include "timer_loop.h"

#define INMATE_VERSION "rtvirt-inmate 0.1.0"

struct inmate_run {
	struct run run;
	struct measure_opts opts;
	struct measure_thread thread;
	char affinity[12];
	char run_label[12];
};

/* describe - parameters, labels and the snapshot of a target that has no kernel */
static void describe(struct inmate_run *ir, const struct cell_command *cmd)
{
	struct run *r = &ir->run;
	struct measure_opts *o = &ir->opts;

	snprintf(ir->affinity, sizeof(ir->affinity), "%u", cmd->cpu);
	snprintf(ir->run_label, sizeof(ir->run_label), "%u", cmd->run_id);
	o->affinity = AFFINITY_LIST;
	o->affinity_arg = ir->affinity;
	o->threads = 1;
	o->priority = 99;	/* no scheduler: nothing in the cell can preempt the loop */
	o->interval_us = cmd->interval_us;
	o->loops = cmd->loops;
	o->histogram_us = cmd->histogram_us;
	o->overflow_cap = cmd->overflow_cap;
	o->labels[0] = (struct label){ "run", ir->run_label, 3 };
	o->nlabels = 1;
	r->opts = o;
	r->policy = SCHED_FIFO;
	r->priority = 99;
	r->hist_us = cmd->histogram_us;
	snprintf(r->command, sizeof(r->command), "%s -a %u -i %u -l %llu -h %u", INMATE_VERSION,
		 cmd->cpu, cmd->interval_us, (unsigned long long)cmd->loops, cmd->histogram_us);
	snprintf(r->sys.release, sizeof(r->sys.release), "jailhouse-inmate");
	snprintf(r->sys.version, sizeof(r->sys.version), "%s bare-metal", INMATE_VERSION);
	snprintf(r->sys.machine, sizeof(r->sys.machine), "aarch64");
	snprintf(r->sys.nodename, sizeof(r->sys.nodename), "rtvirt-baremetal");
	snprintf(r->sys.cpus_online, sizeof(r->sys.cpus_online), "%u", cmd->cpu);
	r->sys.cpu_count = 1;
	snprintf(r->sys.clocksource, sizeof(r->sys.clocksource), "arch_sys_counter");
	snprintf(r->qos.error, sizeof(r->qos.error),
		 "not applicable: bare-metal Jailhouse inmate (no cpuidle)");
	r->nthreads = 1;
	r->threads = &ir->thread;
}

/* prepare - the thread's histogram, overflow list and sample ring; 0 or -1 */
static int prepare(struct inmate_run *ir, const struct cell_command *cmd)
{
	struct measure_thread *t = &ir->thread;
	char err[160];
	int cpu = (int)cmd->cpu;

	t->cpu = cpu;
	t->policy = SCHED_FIFO;
	t->priority = 99;
	t->interval_us = cmd->interval_us;
	t->loops = cmd->loops;
	if (hist_init(&t->hist, cmd->histogram_us, HIST_BUCKET_NS) ||
	    overflow_init(&t->over, cmd->overflow_cap)) {
		printk("rtvirt-inmate: no memory for a %u us histogram\n", cmd->histogram_us);
		return -1;
	}
	if (ivshmem_open(&ir->run.stream, LINK_DEVICE, &cpu, 1, 0, err, sizeof(err))) {
		printk("rtvirt-inmate: %s\n", err);
		return -1;
	}
	t->ring = &ir->run.stream.rings[0];
	return 0;
}

/* percentiles - the core's percentiles of the finished thread */
static void percentiles(struct measure_thread *t)
{
	t->p50_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P50);
	t->p99_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P99);
	t->p99_9_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P99_9);
	t->p99_99_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P99_99);
}

/* inmate_run - measure as cmd says, stream every sample, send the result record */
void inmate_run(struct link *l, const struct cell_command *cmd)
{
	static struct inmate_run ir;
	struct run *r = &ir.run;
	struct buf record = { 0 };

	arena_reset();
	memset(&ir, 0, sizeof(ir));
	describe(&ir, cmd);
	if (prepare(&ir, cmd))
		r->stop_reason = RESULT_STOP_ERROR;
	else
		r->duration_ns = timer_measure(&ir.thread, l, &r->stream, cmd->loops);
	r->start_monotonic_ns = ir.thread.epoch_ns;
	r->start_realtime_ns = cmd->realtime_ns;
	percentiles(&ir.thread);
	ivshmem_close(&r->stream);
	if (result_encode(r, &record)) {
		printk("rtvirt-inmate: cannot encode the result record (arena too small)\n");
		return;
	}
	link_send(l, record.data, record.len);
	printk("rtvirt-inmate: run %u: %llu cycles, min %llu ns, max %llu ns, %u bytes sent\n",
	       cmd->run_id, (unsigned long long)ir.thread.st.cycles,
	       (unsigned long long)ir.thread.st.min_ns, (unsigned long long)ir.thread.st.max_ns,
	       (unsigned int)record.len);
}
