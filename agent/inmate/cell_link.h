/* cell_link.h - the rtvirt region of a bare-metal inmate in its ivshmem read-write section
 * (docs/inmate.md); agent/rtvirt_agent/ops/cell.py is the root cell's end.
 *
 * The section holds one rtvirt ivshmem region (docs/ivshmem.md) that the inmate initialises:
 * header, request mailbox (root -> inmate: measure commands), response mailbox
 * (inmate -> root: result records, each self-delimited by its own length field) and the
 * sample area, where the core's writer (agent/core/ivshmem.c) puts every sample.
 */
#ifndef RTVIRT_CELL_LINK_H
#define RTVIRT_CELL_LINK_H

#include <stdint.h>

#define CELL_REQUEST_OFFSET 128u	/* right after the header */
#define CELL_REQUEST_SIZE 4096u
#define CELL_RESPONSE_OFFSET (CELL_REQUEST_OFFSET + CELL_REQUEST_SIZE)
#define CELL_RESPONSE_SIZE 65536u
#define CELL_SAMPLES_OFFSET (CELL_RESPONSE_OFFSET + CELL_RESPONSE_SIZE)
#define CELL_MAILBOX_CTL_SIZE 128u	/* head word, padding, tail word, padding */

#define CELL_COMMAND_MAGIC "RTVC"
#define CELL_COMMAND_SIZE 40u

/* One measure command, little-endian, CELL_COMMAND_SIZE bytes in the request mailbox. */
struct cell_command {
	char magic[4];		/* CELL_COMMAND_MAGIC */
	uint32_t run_id;	/* echoed as the record's "run" label */
	uint32_t interval_us;	/* 50 .. 1000000 */
	uint32_t histogram_us;	/* 1 .. 20000 */
	uint64_t loops;		/* 1 .. 100000000 */
	uint64_t realtime_ns;	/* the root cell's CLOCK_REALTIME when it sent the command */
	uint32_t overflow_cap;	/* 0 .. 1024 */
	uint32_t cpu;		/* the inmate's CPU as the root cell numbers it */
} __attribute__((packed));

#define CELL_MIN_INTERVAL_US 50u
#define CELL_MAX_INTERVAL_US 1000000u
#define CELL_MAX_HISTOGRAM_US 20000u
#define CELL_MAX_LOOPS 100000000ull
#define CELL_MAX_OVERFLOW_CAP 1024u

#endif
