/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - Jailhouse system configuration for the i.MX8MP EVK (root cell).
 *
 * The root cell starts with all four CPUs and hands CPU 2 to the Linux
 * inmate and CPU 3 to the bare-metal inmate (rtvirt-imx8mp-linux.c,
 * rtvirt-imx8mp-baremetal.c); layout in rtvirt-imx8mp.h.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-imx8mp.h"

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[2 * RTVIRT_IVSHMEM_REGIONS + 6];
	struct jailhouse_irqchip irqchips[3];
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
			.address = RTVIRT_UART2_BASE,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_IMX,
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
				.gicr_base = 0x38880000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.name = "rtvirt-imx8mp",
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
		/* MMIO below the GIC (permissive) */ {
			.phys_start = 0x00000000,
			.virt_start = 0x00000000,
			.size = 0x38800000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* RAM of the root Linux */ {
			.phys_start = 0x40000000,
			.virt_start = 0x40000000,
			.size = 0x80000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
		/* inmate RAM: reserved in the device tree, given to cells */ {
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
		/* RAM between the hypervisor and 4 GiB */ {
			.phys_start = 0xfe000000,
			.virt_start = 0xfe000000,
			.size = 0x02000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		/* RAM above 4 GiB */ {
			.phys_start = 0x100000000,
			.virt_start = 0x100000000,
			.size = 0xc0000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
	},

	.irqchips = {
		/* GIC: the root cell starts with every SPI (32-415) */ {
			.address = RTVIRT_GICD_BASE,
			.pin_base = 32,
			.pin_bitmap = {
				0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
			},
		},
		{
			.address = RTVIRT_GICD_BASE,
			.pin_base = 160,
			.pin_bitmap = {
				0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
			},
		},
		{
			.address = RTVIRT_GICD_BASE,
			.pin_base = 288,
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
