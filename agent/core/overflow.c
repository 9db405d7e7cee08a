/* overflow.c - capped list of the latencies above the histogram range. */
#include <stdlib.h>
#include <string.h>

#include "overflow.h"

/* overflow_init - allocate and touch room for cap samples (cap 0 keeps none, counts all) */
int overflow_init(struct overflow_list *o, uint32_t cap)
{
	memset(o, 0, sizeof(*o));
	if (cap) {
		o->samples = calloc(cap, sizeof(*o->samples));
		if (!o->samples)
			return -1;
		memset(o->samples, 0, (size_t)cap * sizeof(*o->samples));
	}
	o->cap = cap;
	return 0;
}

/* overflow_free - release the sample list */
void overflow_free(struct overflow_list *o)
{
	free(o->samples);
	memset(o, 0, sizeof(*o));
}
