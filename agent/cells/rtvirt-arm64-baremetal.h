/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - the bare-metal measurement inmate's cell on an arm64 platform:
 * include after the platform's header (rtvirt-imx8mp.h, rtvirt-qemu-arm64.h),
 * which places it. CPU 3, no UART of its own (it prints through the
 * hypervisor's virtual console), ivshmem link 00:01.0 to the root cell as
 * peer 1, its INTx in the irqchip that starts at SPI 64.
 */
#ifndef RTVIRT_ARM64_BAREMETAL_H
#define RTVIRT_ARM64_BAREMETAL_H

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[RTVIRT_IVSHMEM_REGIONS + 2];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_ARM64,
		.name = "rtvirt-baremetal",
		.flags = JAILHOUSE_CELL_PASSIVE_COMMREG |
			 JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.vpci_irq_base = RTVIRT_BAREMETAL_VPCI_IRQ_BASE,
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
			.size = RTVIRT_BAREMETAL_RAM_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
		/* communication region */ {
			.virt_start = 0x80000000,
			.size = 0x00001000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
	},

	.irqchips = {
		/* INTx of the ivshmem device in slot 1 */ {
			.address = RTVIRT_GICD_BASE,
			.pin_base = 96,
			.pin_bitmap = {
				1 << (RTVIRT_BAREMETAL_VPCI_IRQ_BASE + 1 + 32 - 96),
			},
		},
	},

	.pci_devices = {
		RTVIRT_IVSHMEM_DEVICE(RTVIRT_PCI_DOMAIN,
				      RTVIRT_LINK_BAREMETAL_BDF, 0, 1,
				      JAILHOUSE_IVSHMEM_BAR_MASK_INTX, 0),
	},
};

#endif /* RTVIRT_ARM64_BAREMETAL_H */
