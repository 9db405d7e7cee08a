/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - ivshmem (v2) link layout shared by every rtvirt cell.
 *
 * One link is 1 MiB of shared memory between two peers, as four
 * consecutive memory regions of each cell that takes part:
 *   state table          4 KiB   read-only (written by the hypervisor)
 *   read-write section 252 KiB   both peers (request/response mailboxes)
 *   output of peer 0   384 KiB   written by peer 0 (the root cell)
 *   output of peer 1   384 KiB   written by peer 1 (the inmate: samples)
 * Root and inmate configs expand the same macro with their own peer id,
 * so both ends of a link agree on every address and size by construction;
 * `rtvirt cells check` verifies the compiled result.
 */
#ifndef RTVIRT_IVSHMEM_H
#define RTVIRT_IVSHMEM_H

#define RTVIRT_IVSHMEM_LINK_SIZE	0x100000
#define RTVIRT_IVSHMEM_STATE_SIZE	0x1000
#define RTVIRT_IVSHMEM_RW_SIZE		0x3f000
#define RTVIRT_IVSHMEM_OUTPUT_SIZE	0x60000
#define RTVIRT_IVSHMEM_PEERS		2
#define RTVIRT_IVSHMEM_REGIONS		(2 + RTVIRT_IVSHMEM_PEERS)

#define RTVIRT_IVSHMEM_OUTPUT(base, peer)				\
	((base) + RTVIRT_IVSHMEM_STATE_SIZE + RTVIRT_IVSHMEM_RW_SIZE +	\
	 (peer) * RTVIRT_IVSHMEM_OUTPUT_SIZE)

/*
 * RTVIRT_IVSHMEM_LINK_REGIONS(base, dev_id, extra) - the four regions of
 * the link at @base as seen by peer @dev_id; @extra is added to every
 * region's flags (JAILHOUSE_MEM_ROOTSHARED in non-root cells).
 */
#define RTVIRT_IVSHMEM_LINK_REGIONS(base, dev_id, extra)		\
	{								\
		.phys_start = (base),					\
		.virt_start = (base),					\
		.size = RTVIRT_IVSHMEM_STATE_SIZE,			\
		.flags = JAILHOUSE_MEM_READ | (extra),			\
	},								\
	{								\
		.phys_start = (base) + RTVIRT_IVSHMEM_STATE_SIZE,	\
		.virt_start = (base) + RTVIRT_IVSHMEM_STATE_SIZE,	\
		.size = RTVIRT_IVSHMEM_RW_SIZE,				\
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |	\
			(extra),					\
	},								\
	{								\
		.phys_start = RTVIRT_IVSHMEM_OUTPUT(base, 0),		\
		.virt_start = RTVIRT_IVSHMEM_OUTPUT(base, 0),		\
		.size = RTVIRT_IVSHMEM_OUTPUT_SIZE,			\
		.flags = JAILHOUSE_MEM_READ | (extra) |			\
			((dev_id) == 0 ? JAILHOUSE_MEM_WRITE : 0),	\
	},								\
	{								\
		.phys_start = RTVIRT_IVSHMEM_OUTPUT(base, 1),		\
		.virt_start = RTVIRT_IVSHMEM_OUTPUT(base, 1),		\
		.size = RTVIRT_IVSHMEM_OUTPUT_SIZE,			\
		.flags = JAILHOUSE_MEM_READ | (extra) |			\
			((dev_id) == 1 ? JAILHOUSE_MEM_WRITE : 0),	\
	}

/*
 * RTVIRT_IVSHMEM_DEVICE(dom, dev_bdf, start, id, mask, msix) - the
 * virtual PCI device of one link end, its regions from index @start, with
 * @msix MSI-X vectors (0: INTx); a link is identified by @dev_bdf,
 * which both ends must use.
 */
#define RTVIRT_IVSHMEM_DEVICE(dom, dev_bdf, start, id, mask, msix)	\
	{								\
		.type = JAILHOUSE_PCI_TYPE_IVSHMEM,			\
		.domain = (dom),					\
		.bdf = (dev_bdf),					\
		.bar_mask = mask,					\
		.num_msix_vectors = (msix),				\
		.shmem_regions_start = (start),				\
		.shmem_dev_id = (id),					\
		.shmem_peers = RTVIRT_IVSHMEM_PEERS,			\
		.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,	\
	}

#endif /* RTVIRT_IVSHMEM_H */
