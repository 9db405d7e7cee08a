/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - Jailhouse system configuration for QEMU arm64 virt (root cell);
 * layout and QEMU command line in rtvirt-qemu-arm64.h.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-qemu-arm64.h"

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[2 * RTVIRT_IVSHMEM_REGIONS + 6];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci_devices[2];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_ARM64,
		.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
		.hypervisor_memory = {
			.phys_start = RTVIRT_HYPERVISOR_BASE,
			.size = RTVIRT_HYPERVISOR_SIZE,
		},
		.debug_console = {
			.address = RTVIRT_UART_BASE,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_PL011,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
		.platform_info = {
			.pci_mmconfig_base = RTVIRT_PCI_ECAM_BASE,
			.pci_mmconfig_end_bus = 0,
			.pci_is_virtual = 1,
			.pci_domain = RTVIRT_PCI_DOMAIN,
			.arm = {
				.gic_version = 3,
				.gicd_base = RTVIRT_GICD_BASE,
				.gicr_base = RTVIRT_GICR_BASE,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.name = "rtvirt-qemu-arm64",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.vpci_irq_base = RTVIRT_ROOT_VPCI_IRQ_BASE,
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* 0-3: ivshmem link to the Linux inmate, root is peer 0 */
		RTVIRT_IVSHMEM_LINK_REGIONS(RTVIRT_LINK_LINUX_BASE, 0, 0),
		/* 4-7: ivshmem link to the bare-metal inmate */
		RTVIRT_IVSHMEM_LINK_REGIONS(RTVIRT_LINK_BAREMETAL_BASE, 0, 0),
		/* MMIO from the PL011 up (permissive) */ {
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x37000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* RAM of the root Linux */ {
			.phys_start = RTVIRT_ROOT_RAM_BASE,
			.virt_start = RTVIRT_ROOT_RAM_BASE,
			.size = RTVIRT_ROOT_RAM_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
		/* inmate RAM, given to cells */ {
			.phys_start = RTVIRT_INMATES_BASE,
			.virt_start = RTVIRT_INMATES_BASE,
			.size = RTVIRT_INMATES_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
		/* Linux inmate loader */ {
			.phys_start = RTVIRT_LOADER_BASE,
			.virt_start = RTVIRT_LOADER_BASE,
			.size = RTVIRT_LOADER_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
		/* "physical" PCI ECAM */ {
			.phys_start = 0x4010000000,
			.virt_start = 0x4010000000,
			.size = 0x10000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* high PCI MMIO window (QEMU ivshmem-plain BARs) */ {
			.phys_start = 0x8000000000,
			.virt_start = 0x8000000000,
			.size = 0x100000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
	},

	.irqchips = {
		/* GIC: SPIs 0-127 (INTIDs 32-159) */ {
			.address = RTVIRT_GICD_BASE,
			.pin_base = 32,
			.pin_bitmap = {
				0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
			},
		},
	},

	.pci_devices = {
		RTVIRT_IVSHMEM_DEVICE(RTVIRT_PCI_DOMAIN, RTVIRT_LINK_LINUX_BDF,
				      0, 0, JAILHOUSE_IVSHMEM_BAR_MASK_INTX, 0),
		RTVIRT_IVSHMEM_DEVICE(RTVIRT_PCI_DOMAIN,
				      RTVIRT_LINK_BAREMETAL_BDF,
				      RTVIRT_IVSHMEM_REGIONS, 0,
				      JAILHOUSE_IVSHMEM_BAR_MASK_INTX, 0),
	},
};
