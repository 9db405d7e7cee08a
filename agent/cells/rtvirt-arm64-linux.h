/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - the PREEMPT_RT Linux inmate's cell on an arm64 platform: include
 * after the platform's header, which places it and names its UART
 * (RTVIRT_LINUX_UART_BASE, _SPI, RTVIRT_LINUX_CONSOLE_TYPE) and its
 * interrupts (RTVIRT_LINUX_IRQCHIPS entries of RTVIRT_LINUX_IRQCHIP_LIST:
 * the UART and the INTx of the ivshmem link in slot 0). CPU 2, the UART
 * not shared with the root cell, ivshmem link 00:00.0 as peer 1. Booted by
 * `jailhouse cell linux` with the platform's rtvirt-*-linux.dts.
 */
#ifndef RTVIRT_ARM64_LINUX_H
#define RTVIRT_ARM64_LINUX_H

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[RTVIRT_IVSHMEM_REGIONS + 4];
	struct jailhouse_irqchip irqchips[RTVIRT_LINUX_IRQCHIPS];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_ARM64,
		.name = "rtvirt-linux-rt",
		.flags = JAILHOUSE_CELL_PASSIVE_COMMREG,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.vpci_irq_base = RTVIRT_LINUX_VPCI_IRQ_BASE,
		.console = {
			.address = RTVIRT_LINUX_UART_BASE,
			.size = 0x1000,
			.type = RTVIRT_LINUX_CONSOLE_TYPE,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
	},

	.cpus = {
		0x4,
	},

	.mem_regions = {
		/* 0-3: ivshmem link to the root cell, inmate is peer 1 */
		RTVIRT_IVSHMEM_LINK_REGIONS(RTVIRT_LINK_LINUX_BASE, 1,
					    JAILHOUSE_MEM_ROOTSHARED),
		/* the inmate's UART, taken from the root cell */ {
			.phys_start = RTVIRT_LINUX_UART_BASE,
			.virt_start = RTVIRT_LINUX_UART_BASE,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* loader, where `jailhouse cell linux` puts its boot stub */ {
			.phys_start = RTVIRT_LOADER_BASE,
			.virt_start = 0,
			.size = 0x10000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
		/* RAM */ {
			.phys_start = RTVIRT_LINUX_RAM_BASE,
			.virt_start = RTVIRT_LINUX_RAM_BASE,
			.size = RTVIRT_LINUX_RAM_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA |
				JAILHOUSE_MEM_LOADABLE,
		},
		/* communication region */ {
			.virt_start = 0x80000000,
			.size = 0x00001000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
	},

	.irqchips = {
		RTVIRT_LINUX_IRQCHIP_LIST
	},

	.pci_devices = {
		RTVIRT_IVSHMEM_DEVICE(RTVIRT_PCI_DOMAIN, RTVIRT_LINK_LINUX_BDF,
				      0, 1, JAILHOUSE_IVSHMEM_BAR_MASK_INTX, 0),
	},
};

#endif /* RTVIRT_ARM64_LINUX_H */
