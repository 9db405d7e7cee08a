/* main.c - rtvirt-inmate: a bare-metal Jailhouse cell that measures timer latency on its CPU
 * when the root cell asks, and hands every sample and a result record back over its ivshmem
 * link (docs/inmate.md). */
#include <inmate.h>
#include <gic.h>

#include "inmate_run.h"
#include "link.h"
#include "timer_loop.h"

#define IDLE_POLL_US 10000

void inmate_main(void)
{
	struct link link;
	struct cell_command cmd;

	if (link_open(&link))
		stop();
	irq_init(timer_irq);
	irq_enable(TIMER_IRQ);
	enable_irqs();
	printk("rtvirt-inmate: ready, timer at %ld Hz\n", (long)timer_get_frequency());
	for (;;) {
		if (link_next_command(&link, &cmd))
			inmate_run(&link, &cmd);
		link_beat(&link);
		idle_wait(IDLE_POLL_US);
	}
}
