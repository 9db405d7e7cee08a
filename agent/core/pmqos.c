/* pmqos.c - hold /dev/cpu_dma_latency at a value for the run, and remember whether it worked.
 *
 * The kernel keeps the request while the file stays open (as cyclictest does). A container
 * without the device, or without write access to it, runs on without it: the result records
 * that, since it changes what the latencies mean.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pmqos.h"

#define PMQOS_DEVICE "/dev/cpu_dma_latency"

/* pmqos_hold - open the device and write value_us (binary s32); failure is recorded in q */
void pmqos_hold(struct pmqos *q, int32_t value_us)
{
	ssize_t n;

	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->value_us = value_us;
	q->fd = open(PMQOS_DEVICE, O_RDWR | O_CLOEXEC);
	if (q->fd < 0) {
		snprintf(q->error, sizeof(q->error), "open %s: %s", PMQOS_DEVICE, strerror(errno));
		return;
	}
	n = write(q->fd, &value_us, sizeof(value_us));
	if (n != (ssize_t)sizeof(value_us)) {
		snprintf(q->error, sizeof(q->error), "write %s: %s", PMQOS_DEVICE,
			 n < 0 ? strerror(errno) : "short write");
		close(q->fd);
		q->fd = -1;
		return;
	}
	q->held = 1;
}

/* pmqos_skip - record that PM QoS was deliberately not requested, and why */
void pmqos_skip(struct pmqos *q, const char *reason)
{
	memset(q, 0, sizeof(*q));
	q->fd = -1;
	snprintf(q->error, sizeof(q->error), "%s", reason);
}

/* pmqos_release - close the device, which drops the request */
void pmqos_release(struct pmqos *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}
