/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - PREEMPT_RT Linux inmate on CPU 2 of an x86-64 machine, console
 * on COM2, ivshmem link 01:0e.0 to the root cell (peer 1); layout in
 * rtvirt-x86.h.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-x86.h"

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[RTVIRT_IVSHMEM_REGIONS + 3];
	struct jailhouse_pio pio_regions[1];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_X86,
		.name = "rtvirt-linux-rt",
		.flags = JAILHOUSE_CELL_PASSIVE_COMMREG,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pio_regions = ARRAY_SIZE(config.pio_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
	},

	.cpus = {
		0x4,
	},

	.mem_regions = {
		/* 0-3: ivshmem link to the root cell, inmate is peer 1 */
		RTVIRT_IVSHMEM_LINK_REGIONS(RTVIRT_LINK_LINUX_BASE, 1,
					    JAILHOUSE_MEM_ROOTSHARED),
		/* low RAM: boot parameters and real-mode trampoline */ {
			.phys_start = RTVIRT_LINUX_LOW_RAM_BASE,
			.virt_start = 0,
			.size = 0x00100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA |
				JAILHOUSE_MEM_LOADABLE,
		},
		/* communication region */ {
			.virt_start = 0x00100000,
			.size = 0x00001000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
		/* high RAM: the kernel and everything else */ {
			.phys_start = RTVIRT_LINUX_RAM_BASE,
			.virt_start = 0x00200000,
			.size = RTVIRT_LINUX_RAM_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA |
				JAILHOUSE_MEM_LOADABLE,
		},
	},

	.pio_regions = {
		PIO_RANGE(0x2f8, 8), /* COM2 */
	},

	.pci_devices = {
		RTVIRT_IVSHMEM_DEVICE(0, RTVIRT_LINK_LINUX_BDF, 0, 1,
				      JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,
				      RTVIRT_MSIX_VECTORS),
	},
};
