/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for the root cell that `jailhouse config create` generates on an
 * x86 machine booted with memmap=0x8000000$0x38000000, after the edit that
 * docs/jailhouse.md describes (RTVIRT_X86_ROOT_REGIONS and _DEVICES).
 * Test data only: a real root config lists the machine's own resources.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>
#include "rtvirt-x86.h"

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[2 + 2 * RTVIRT_IVSHMEM_REGIONS];
	struct jailhouse_pci_device pci_devices[2];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_X86,
		.hypervisor_memory = {
			.phys_start = 0x38000000,
			.size = 0x00600000,
		},
		.platform_info = {
			.pci_mmconfig_base = 0xb0000000,
			.pci_mmconfig_end_bus = 0xff,
		},
		.root_cell = {
			.name = "generated-root",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* RAM of the root Linux */ {
			.phys_start = 0x00100000,
			.virt_start = 0x00100000,
			.size = 0x37f00000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
		RTVIRT_X86_ROOT_REGIONS,
	},

	.pci_devices = {
		RTVIRT_X86_ROOT_DEVICES(1),
	},
};
