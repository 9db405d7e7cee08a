/* histogram.c - fixed-width latency histogram (ns). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

/* hist_init - allocate and zero (so the pages are touched before the run) buckets counters */
int hist_init(struct histogram *h, uint32_t buckets, uint32_t bucket_ns)
{
	memset(h, 0, sizeof(*h));
	if (!buckets || !bucket_ns) {
		errno = EINVAL;
		return -1;
	}
	h->counts = calloc(buckets, sizeof(*h->counts));
	if (!h->counts)
		return -1;
	memset(h->counts, 0, (size_t)buckets * sizeof(*h->counts));
	h->buckets = buckets;
	h->bucket_ns = bucket_ns;
	return 0;
}

/* hist_free - release the counters */
void hist_free(struct histogram *h)
{
	free(h->counts);
	h->counts = NULL;
	h->buckets = 0;
}

/* hist_total - number of latencies counted inside the range */
uint64_t hist_total(const struct histogram *h)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < h->buckets; i++)
		total += h->counts[i];
	return total;
}
