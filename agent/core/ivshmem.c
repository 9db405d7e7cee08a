/* ivshmem.c - --ivshmem: every sample into the region's per-thread rings (docs/ivshmem.md).
 *
 * The agent (or whoever owns the target side) initialises the region; the core checks its
 * header, formats the sample area into one single-producer/single-consumer ring per measuring
 * thread and publishes each sample with a release store of the ring's head. A measuring
 * thread never waits: on a full ring the sample is dropped and counted in the ring's "lost".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "ivshmem.h"
#include "ivshmem_format.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ivshmem region is little-endian; this producer stores native words"
#endif

/* word - the 64-bit word at offset off of p */
static inline uint64_t *word(unsigned char *p, size_t off)
{
	return (uint64_t *)(void *)(p + off);
}

/* half - the 32-bit word at offset off of p */
static inline uint32_t *half(unsigned char *p, size_t off)
{
	return (uint32_t *)(void *)(p + off);
}

/* open_region - path, or a PCI BAR's write-combining twin resourceN_wc where there is one:
 * resourceN is device memory, where arm64 faults unaligned accesses and memset's DC ZVA */
static int open_region(const char *path)
{
	const char *name = strrchr(path, '/');
	char twin[4096];

	if (!strncmp(name ? name + 1 : path, "resource", 8) &&
	    snprintf(twin, sizeof(twin), "%s_wc", path) < (int)sizeof(twin) &&
	    !access(twin, F_OK))
		return open(twin, O_RDWR);
	return open(path, O_RDWR);
}

/* map_region - map path read-write; 0 or -1 with err */
static int map_region(struct ivshmem_stream *s, const char *path, char *err, size_t size)
{
	struct stat st;
	int fd = open_region(path);

	if (fd < 0) {
		snprintf(err, size, "--ivshmem %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || st.st_size < IVSHMEM_HEADER_SIZE) {
		snprintf(err, size, "--ivshmem %s is not an rtvirt ivshmem region: too small "
			 "(%lld bytes)", path, (long long)st.st_size);
		close(fd);
		return -1;
	}
	s->map_size = (size_t)st.st_size & ~(size_t)7;
	s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		snprintf(err, size, "--ivshmem %s: mmap: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* find_area - check the header the target wrote and locate the sample area; 0 or -1 */
static int find_area(struct ivshmem_stream *s, const char *path, char *err, size_t size)
{
	unsigned char *h = s->map;
	uint64_t region = *word(h, IVSHMEM_HDR_REGION_SIZE);
	uint64_t off = *word(h, IVSHMEM_HDR_SAMPLES_OFFSET);
	uint64_t len = *word(h, IVSHMEM_HDR_SAMPLES_SIZE);

	if (memcmp(h + IVSHMEM_HDR_MAGIC, IVSHMEM_MAGIC, IVSHMEM_MAGIC_SIZE) ||
	    *half(h, IVSHMEM_HDR_VERSION) != IVSHMEM_VERSION) {
		snprintf(err, size, "--ivshmem %s is not an initialised rtvirt ivshmem region "
			 "(version %d): start rtvirt-agent --ivshmem on it first", path,
			 IVSHMEM_VERSION);
		return -1;
	}
	if (region > s->map_size || off % IVSHMEM_ALIGN || off < IVSHMEM_HEADER_SIZE ||
	    len < IVSHMEM_STREAM_SIZE || off > region || len > region - off) {
		snprintf(err, size, "--ivshmem %s: damaged header (sample area at %llu, %llu "
			 "bytes, region %llu, mapped %zu)", path, (unsigned long long)off,
			 (unsigned long long)len, (unsigned long long)region, s->map_size);
		return -1;
	}
	s->area = h + off;
	return 0;
}

/* format_rings - one ring per thread over the sample area; 0 or -1 with err */
static int format_rings(struct ivshmem_stream *s, size_t area_size, const int *cpus,
			uint32_t max_slots, char *err, size_t size)
{
	size_t per_ring = (area_size - IVSHMEM_STREAM_SIZE) / (size_t)s->nrings /
		IVSHMEM_ALIGN * IVSHMEM_ALIGN;
	uint64_t capacity = per_ring > IVSHMEM_RING_SIZE ?
		(per_ring - IVSHMEM_RING_SIZE) / IVSHMEM_SLOT_SIZE : 0;
	size_t stride;

	if (max_slots && capacity > max_slots)
		capacity = max_slots;
	if (capacity < 1 || capacity > UINT32_MAX) {
		snprintf(err, size, "--ivshmem: the %zu-byte sample area cannot hold %d rings",
			 area_size, s->nrings);
		return -1;
	}
	stride = (IVSHMEM_RING_SIZE + capacity * IVSHMEM_SLOT_SIZE + IVSHMEM_ALIGN - 1) /
		IVSHMEM_ALIGN * IVSHMEM_ALIGN;
	for (int i = 0; i < s->nrings; i++) {
		struct ivshmem_ring *r = &s->rings[i];

		r->ctl = s->area + IVSHMEM_STREAM_SIZE + (size_t)i * stride;
		r->slots = r->ctl + IVSHMEM_RING_SIZE;
		r->capacity = capacity;
		memset(r->ctl, 0, IVSHMEM_RING_SIZE);
		*half(r->ctl, IVSHMEM_RING_CPU) = (uint32_t)cpus[i];
		*half(r->ctl, IVSHMEM_RING_THREAD) = (uint32_t)i;
	}
	*half(s->area, IVSHMEM_STREAM_RING_COUNT) = (uint32_t)s->nrings;
	*half(s->area, IVSHMEM_STREAM_RING_CAPACITY) = (uint32_t)capacity;
	*half(s->area, IVSHMEM_STREAM_SLOT_SIZE) = IVSHMEM_SLOT_SIZE;
	*word(s->area, IVSHMEM_STREAM_HEARTBEAT) = 0;
	return 0;
}

/* ivshmem_open - map path, format one ring per thread (cpus[i], -1: unpinned); 0 or -1 */
int ivshmem_open(struct ivshmem_stream *s, const char *path, const int *cpus, int nrings,
		 uint32_t max_slots, char *err, size_t size)
{
	uint32_t *state, generation;

	memset(s, 0, sizeof(*s));
	if (map_region(s, path, err, size))
		return -1;
	s->nrings = nrings;
	s->rings = calloc((size_t)nrings, sizeof(*s->rings));
	if (!s->rings) {
		snprintf(err, size, "--ivshmem: out of memory for %d rings", nrings);
	} else if (!find_area(s, path, err, size)) {
		state = half(s->area, IVSHMEM_STREAM_STATE);
		__atomic_store_n(state, IVSHMEM_STREAM_FORMATTING, __ATOMIC_RELEASE);
		if (!format_rings(s, (size_t)*word(s->map, IVSHMEM_HDR_SAMPLES_SIZE), cpus,
				  max_slots, err, size)) {
			generation = *half(s->area, IVSHMEM_STREAM_GENERATION) + 1;
			*half(s->area, IVSHMEM_STREAM_GENERATION) = generation ? generation : 1;
			__atomic_store_n(state, IVSHMEM_STREAM_RUNNING, __ATOMIC_RELEASE);
			return 0;
		}
	}
	ivshmem_close(s);
	return -1;
}

/* ivshmem_push - publish one sample, or count it lost if the ring is full; never waits */
void ivshmem_push(struct ivshmem_ring *r, uint64_t seq, uint64_t time_ns, uint64_t latency_ns,
		  uint32_t cpu)
{
	uint64_t tail = __atomic_load_n(word(r->ctl, IVSHMEM_RING_TAIL), __ATOMIC_ACQUIRE);
	unsigned char *slot;

	if (r->head - tail >= r->capacity) {
		__atomic_store_n(word(r->ctl, IVSHMEM_RING_LOST), ++r->lost, __ATOMIC_RELAXED);
		return;
	}
	slot = r->slots + (r->head % r->capacity) * IVSHMEM_SLOT_SIZE;
	*word(slot, IVSHMEM_SLOT_SEQ) = seq;
	*word(slot, IVSHMEM_SLOT_TIME_NS) = time_ns;
	*half(slot, IVSHMEM_SLOT_LATENCY_NS) = latency_ns > UINT32_MAX ? UINT32_MAX
		: (uint32_t)latency_ns;
	*half(slot, IVSHMEM_SLOT_CPU) = cpu;
	__atomic_store_n(word(r->ctl, IVSHMEM_RING_HEAD), ++r->head, __ATOMIC_RELEASE);
}

/* ivshmem_beat - count the stream's heartbeat up: the producer is alive */
void ivshmem_beat(struct ivshmem_stream *s)
{
	if (s->map)
		__atomic_store_n(word(s->area, IVSHMEM_STREAM_HEARTBEAT), ++s->heartbeat,
				 __ATOMIC_RELAXED);
}

/* ivshmem_close - mark the stream finished (if it ran) and unmap the region */
void ivshmem_close(struct ivshmem_stream *s)
{
	if (s->map && s->area && s->rings)
		__atomic_store_n(half(s->area, IVSHMEM_STREAM_STATE), IVSHMEM_STREAM_FINISHED,
				 __ATOMIC_RELEASE);
	if (s->map)
		munmap(s->map, s->map_size);
	free(s->rings);
	memset(s, 0, sizeof(*s));
}
