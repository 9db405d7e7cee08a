/* overflow.h - every latency above the histogram range: capped list of samples, exact total. */
#ifndef RTVIRT_OVERFLOW_H
#define RTVIRT_OVERFLOW_H

#include <stdint.h>

struct overflow_sample {
	uint64_t value_ns;	/* the latency */
	uint64_t time_ns;	/* wakeup time, ns since the run's start */
	uint64_t cycle;		/* 0-based cycle number of the thread */
};

struct overflow_list {
	struct overflow_sample *samples;
	uint32_t cap;		/* samples kept at most (the first cap ones) */
	uint32_t count;		/* samples kept */
	uint64_t total;		/* all latencies above the range, kept or not */
};

int overflow_init(struct overflow_list *o, uint32_t cap);
void overflow_free(struct overflow_list *o);

/* overflow_add - record one latency above the range (kept while below the cap) */
static inline void overflow_add(struct overflow_list *o, uint64_t value_ns, uint64_t time_ns,
				uint64_t cycle)
{
	if (o->count < o->cap) {
		struct overflow_sample *s = &o->samples[o->count++];

		s->value_ns = value_ns;
		s->time_ns = time_ns;
		s->cycle = cycle;
	}
	o->total++;
}

#endif
