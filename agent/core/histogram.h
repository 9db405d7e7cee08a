/* histogram.h - fixed-width latency histogram (ns), cyclictest's -h buckets by default 1 us. */
#ifndef RTVIRT_HISTOGRAM_H
#define RTVIRT_HISTOGRAM_H

#include <stdint.h>

struct histogram {
	uint64_t *counts;
	uint32_t buckets;
	uint32_t bucket_ns;
};

int hist_init(struct histogram *h, uint32_t buckets, uint32_t bucket_ns);
void hist_free(struct histogram *h);
uint64_t hist_total(const struct histogram *h);

/* hist_add - count a latency; returns 0, or 1 if it lies above the range (not counted) */
static inline int hist_add(struct histogram *h, uint64_t ns)
{
	uint64_t i = ns / h->bucket_ns;

	if (i >= h->buckets)
		return 1;
	h->counts[i]++;
	return 0;
}

#endif
