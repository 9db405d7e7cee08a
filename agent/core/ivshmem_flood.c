/* ivshmem_flood.c - benchmark producer: the core's ring writer (ivshmem.c) at a set rate.
 *
 * ivshmem-flood PATH RINGS SECONDS RATE  pushes RATE samples/s in total (0: as fast as it
 * can), round robin over RINGS rings, for SECONDS, beating the heartbeat every 100 ms, then
 * prints "pushed N lost L". Built and run by bench/ivshmem.py against the Python reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ivshmem.h"
#include "measure.h"

#define BURST 64
#define BEAT_NS 100000000ull
#define PAUSE_NS 100000

/* flood - push samples until seconds have passed; returns the count pushed */
static uint64_t flood(struct ivshmem_stream *s, double seconds, double rate)
{
	const uint64_t start = mono_ns(), stop = start + (uint64_t)(seconds * 1e9);
	uint64_t pushed = 0, next_beat = start + BEAT_NS, now = start;
	const struct timespec pause = { .tv_sec = 0, .tv_nsec = PAUSE_NS };

	while (now < stop) {
		uint64_t due = rate > 0 ? (uint64_t)((double)(now - start) * rate / 1e9)
			: pushed + BURST;

		for (; pushed < due; pushed++) {
			struct ivshmem_ring *r = &s->rings[pushed % (uint64_t)s->nrings];

			ivshmem_push(r, pushed / (uint64_t)s->nrings, now, pushed % 1000,
				     (uint32_t)(pushed % (uint64_t)s->nrings));
		}
		if (rate > 0)
			nanosleep(&pause, NULL);	/* leave the CPU to the consumer */
		now = mono_ns();
		if (now >= next_beat) {
			ivshmem_beat(s);
			next_beat = now + BEAT_NS;
		}
	}
	return pushed;
}

/* main - ivshmem-flood PATH RINGS SECONDS RATE */
int main(int argc, char **argv)
{
	struct ivshmem_stream s;
	int cpus[64], nrings;
	uint64_t pushed, lost = 0;
	char err[512];

	if (argc != 5 || (nrings = atoi(argv[2])) < 1 || nrings > 64) {
		fprintf(stderr, "usage: ivshmem-flood PATH RINGS(1..64) SECONDS RATE\n");
		return 2;
	}
	for (int i = 0; i < nrings; i++)
		cpus[i] = i;
	if (ivshmem_open(&s, argv[1], cpus, nrings, 0, err, sizeof(err))) {
		fprintf(stderr, "ivshmem-flood: %s\n", err);
		return 2;
	}
	pushed = flood(&s, atof(argv[3]), atof(argv[4]));
	for (int i = 0; i < nrings; i++)
		lost += s.rings[i].lost;
	ivshmem_close(&s);
	printf("pushed %llu lost %llu\n", (unsigned long long)pushed, (unsigned long long)lost);
	return 0;
}
