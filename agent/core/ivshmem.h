/* ivshmem.h - --ivshmem: every sample into the region's per-thread rings (docs/ivshmem.md). */
#ifndef RTVIRT_IVSHMEM_H
#define RTVIRT_IVSHMEM_H

#include <stddef.h>
#include <stdint.h>

/* The producer's private state of one ring: written only by its measuring thread. */
struct ivshmem_ring {
	unsigned char *ctl;	/* the ring's control block in the region */
	unsigned char *slots;
	uint64_t capacity;
	uint64_t head;		/* slots published */
	uint64_t lost;		/* samples dropped on a full ring */
};

struct ivshmem_stream {
	unsigned char *map;	/* NULL: not streaming */
	size_t map_size;
	unsigned char *area;	/* the sample area (STREAM block) */
	int nrings;
	struct ivshmem_ring *rings;
	uint64_t heartbeat;
};

int ivshmem_open(struct ivshmem_stream *s, const char *path, const int *cpus, int nrings,
		 uint32_t max_slots, char *err, size_t size);
void ivshmem_push(struct ivshmem_ring *r, uint64_t seq, uint64_t time_ns, uint64_t latency_ns,
		  uint32_t cpu);
void ivshmem_beat(struct ivshmem_stream *s);
void ivshmem_close(struct ivshmem_stream *s);

#endif
