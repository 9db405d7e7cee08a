/* pmqos.h - hold /dev/cpu_dma_latency at a value for the run, and remember whether it worked. */
#ifndef RTVIRT_PMQOS_H
#define RTVIRT_PMQOS_H

#include <stdint.h>

struct pmqos {
	int fd;			/* open while held, -1 otherwise */
	int held;
	int32_t value_us;
	char error[160];	/* why it is not held, "" if it is */
};

void pmqos_hold(struct pmqos *q, int32_t value_us);
void pmqos_skip(struct pmqos *q, const char *reason);
void pmqos_release(struct pmqos *q);

#endif
