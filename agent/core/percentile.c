/* percentile.c - latency percentiles from a histogram and its overflow list.
 *
 * The q-th percentile of n latencies is the latency of rank ceil(q * n) (1-based, ascending).
 * Inside the histogram it is reported as the upper edge of its bucket, capped at the maximum:
 * an upper bound at most one bucket width above the true value. Above the range it is exact
 * while every overflow sample was kept; otherwise it is reported as the maximum (still an upper
 * bound, never an underestimate).
 */
#include <stdlib.h>

#include "percentile.h"

/* percentile_rank - ceil(n * ppm / 1e6) without 64-bit overflow */
uint64_t percentile_rank(uint64_t n, uint32_t ppm)
{
	uint64_t whole = (n / 1000000u) * ppm;
	uint64_t rest = (n % 1000000u) * ppm;

	return whole + (rest + 999999u) / 1000000u;
}

/* cmp_u64 - qsort comparator for ascending uint64_t */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* overflow_kth - the k-th (1-based) smallest kept overflow value; max_ns if it was not kept */
static uint64_t overflow_kth(const struct overflow_list *o, uint64_t k, uint64_t max_ns)
{
	uint64_t *v, result;

	if (o->count != o->total || k == 0 || k > o->count)
		return max_ns;
	v = malloc((size_t)o->count * sizeof(*v));
	if (!v)
		return max_ns;
	for (uint32_t i = 0; i < o->count; i++)
		v[i] = o->samples[i].value_ns;
	qsort(v, o->count, sizeof(*v), cmp_u64);
	result = v[k - 1];
	free(v);
	return result;
}

/* latency_percentile - the ppm-th percentile in ns of the latencies in h and o (0 if none) */
uint64_t latency_percentile(const struct histogram *h, const struct overflow_list *o,
			    uint64_t max_ns, uint32_t ppm)
{
	uint64_t n = hist_total(h) + o->total;
	uint64_t rank = percentile_rank(n, ppm);
	uint64_t seen = 0;

	if (n == 0)
		return 0;
	if (rank == 0)
		rank = 1;
	for (uint32_t i = 0; i < h->buckets; i++) {
		seen += h->counts[i];
		if (seen >= rank) {
			uint64_t edge = ((uint64_t)i + 1) * h->bucket_ns;

			return edge < max_ns ? edge : max_ns;
		}
	}
	return overflow_kth(o, rank - seen, max_ns);
}
