/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - bare-metal measurement inmate on CPU 3 of an x86-64 machine:
 * virtual (hypervisor) console, ivshmem link 01:0f.0 (peer 1, MSI-X).
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-x86.h"

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[RTVIRT_IVSHMEM_REGIONS + 2];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_X86,
		.name = "rtvirt-baremetal",
		.flags = JAILHOUSE_CELL_PASSIVE_COMMREG |
			 JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
	},

	.cpus = {
		0x8,
	},

	.mem_regions = {
		/* 0-3: ivshmem link to the root cell, inmate is peer 1 */
		RTVIRT_IVSHMEM_LINK_REGIONS(RTVIRT_LINK_BAREMETAL_BASE, 1,
					    JAILHOUSE_MEM_ROOTSHARED),
		/* RAM, the inmate image is linked at 0 */ {
			.phys_start = RTVIRT_BAREMETAL_RAM_BASE,
			.virt_start = 0,
			.size = 0x00100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
		/* communication region */ {
			.virt_start = 0x00100000,
			.size = 0x00001000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
	},

	.pci_devices = {
		RTVIRT_IVSHMEM_DEVICE(0, RTVIRT_LINK_BAREMETAL_BDF, 0, 1,
				      JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,
				      RTVIRT_MSIX_VECTORS),
	},
};
