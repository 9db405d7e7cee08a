/* percentile.h - latency percentiles from a histogram and its overflow list. */
#ifndef RTVIRT_PERCENTILE_H
#define RTVIRT_PERCENTILE_H

#include <stdint.h>

#include "histogram.h"
#include "overflow.h"

/* percentiles in parts per million */
#define PPM_P50 500000u
#define PPM_P99 990000u
#define PPM_P99_9 999000u
#define PPM_P99_99 999900u

uint64_t percentile_rank(uint64_t n, uint32_t ppm);
uint64_t latency_percentile(const struct histogram *h, const struct overflow_list *o,
			    uint64_t max_ns, uint32_t ppm);

#endif
