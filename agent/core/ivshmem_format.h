/* ivshmem_format.h - layout constants of the ivshmem region (docs/ivshmem.md).
 *
 * The region is defined once, with construct, in agent/rtvirt_agent/wire/ivshmem.py. This
 * header carries the numbers the C producer needs; tests/ivshmem checks every #define here
 * against that schema.
 */
#ifndef RTVIRT_IVSHMEM_FORMAT_H
#define RTVIRT_IVSHMEM_FORMAT_H

#define IVSHMEM_MAGIC "RTVIVSHM"
#define IVSHMEM_MAGIC_SIZE 8

#define IVSHMEM_VERSION 1
#define IVSHMEM_ALIGN 64
#define IVSHMEM_HEADER_SIZE 128
#define IVSHMEM_STATE_READY 1
#define IVSHMEM_STREAM_SIZE 64
#define IVSHMEM_STREAM_FORMATTING 1
#define IVSHMEM_STREAM_RUNNING 2
#define IVSHMEM_STREAM_FINISHED 3
#define IVSHMEM_RING_SIZE 128
#define IVSHMEM_SLOT_SIZE 24

/* header field offsets */
#define IVSHMEM_HDR_MAGIC 0
#define IVSHMEM_HDR_VERSION 8
#define IVSHMEM_HDR_HEADER_SIZE 12
#define IVSHMEM_HDR_REGION_SIZE 16
#define IVSHMEM_HDR_GENERATION 24
#define IVSHMEM_HDR_STATE 28
#define IVSHMEM_HDR_HEARTBEAT 32
#define IVSHMEM_HDR_REQUEST_OFFSET 40
#define IVSHMEM_HDR_REQUEST_SIZE 48
#define IVSHMEM_HDR_RESPONSE_OFFSET 56
#define IVSHMEM_HDR_RESPONSE_SIZE 64
#define IVSHMEM_HDR_SAMPLES_OFFSET 72
#define IVSHMEM_HDR_SAMPLES_SIZE 80

/* sample area header (STREAM) field offsets */
#define IVSHMEM_STREAM_GENERATION 0
#define IVSHMEM_STREAM_STATE 4
#define IVSHMEM_STREAM_RING_COUNT 8
#define IVSHMEM_STREAM_RING_CAPACITY 12
#define IVSHMEM_STREAM_SLOT_SIZE 16
#define IVSHMEM_STREAM_RESERVED 20
#define IVSHMEM_STREAM_HEARTBEAT 24

/* ring control block field offsets */
#define IVSHMEM_RING_HEAD 0
#define IVSHMEM_RING_LOST 8
#define IVSHMEM_RING_CPU 16
#define IVSHMEM_RING_THREAD 20
#define IVSHMEM_RING_TAIL 64

/* slot field offsets */
#define IVSHMEM_SLOT_SEQ 0
#define IVSHMEM_SLOT_TIME_NS 8
#define IVSHMEM_SLOT_LATENCY_NS 16
#define IVSHMEM_SLOT_CPU 20

#endif
