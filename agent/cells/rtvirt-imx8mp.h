/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - i.MX8MP EVK partitioning shared by the root and inmate cells.
 *
 *   CPU 0-1  root cell: Linux (PREEMPT_RT) with the rtvirt agent
 *   CPU 2    Linux (PREEMPT_RT) inmate, console on UART4
 *   CPU 3    bare-metal measurement inmate, virtual (hypervisor) console
 *
 * Physical memory above the root Linux RAM (0x40000000-0xbfffffff), all of
 * it reserved (no-map) in rtvirt-imx8mp-jailhouse.dtsi:
 *   0xc0000000 768 MiB  Linux inmate RAM
 *   0xf0000000   1 MiB  bare-metal inmate RAM
 *   0xfd700000   1 MiB  virtual PCI (ECAM, trapped by the hypervisor)
 *   0xfd800000  64 KiB  virtual PCI BARs of the inmate's links (no memory)
 *   0xfd900000   1 MiB  ivshmem link root <-> Linux inmate      (00:00.0)
 *   0xfda00000   1 MiB  ivshmem link root <-> bare-metal inmate (00:01.0)
 *   0xfdb00000   1 MiB  Linux inmate loader
 *   0xfdc00000   4 MiB  hypervisor
 */
#ifndef RTVIRT_IMX8MP_H
#define RTVIRT_IMX8MP_H

#include "rtvirt-ivshmem.h"

#define RTVIRT_INMATES_BASE		0xc0000000
#define RTVIRT_INMATES_SIZE		0x3d700000
#define RTVIRT_LINUX_RAM_BASE		0xc0000000
#define RTVIRT_LINUX_RAM_SIZE		0x30000000
#define RTVIRT_BAREMETAL_RAM_BASE	0xf0000000
#define RTVIRT_BAREMETAL_RAM_SIZE	0x00100000
#define RTVIRT_PCI_ECAM_BASE		0xfd700000
#define RTVIRT_PCI_BARS_BASE		(RTVIRT_PCI_ECAM_BASE + 0x100000)
#define RTVIRT_LINK_LINUX_BASE		0xfd900000
#define RTVIRT_LINK_BAREMETAL_BASE	0xfda00000
#define RTVIRT_LOADER_BASE		0xfdb00000
#define RTVIRT_LOADER_SIZE		0x00100000
#define RTVIRT_HYPERVISOR_BASE		0xfdc00000
#define RTVIRT_HYPERVISOR_SIZE		0x00400000

#define RTVIRT_PCI_DOMAIN		2
#define RTVIRT_LINK_LINUX_BDF		(0 << 3)
#define RTVIRT_LINK_BAREMETAL_BDF	(1 << 3)

#define RTVIRT_GICD_BASE		0x38800000
#define RTVIRT_GICR_BASE		0x38880000
#define RTVIRT_UART2_BASE		0x30890000	/* hypervisor + root */
#define RTVIRT_UART4_BASE		0x30a60000	/* Linux inmate */
#define RTVIRT_UART4_SPI		29
#define RTVIRT_LINUX_UART_BASE		RTVIRT_UART4_BASE
#define RTVIRT_LINUX_UART_SPI		RTVIRT_UART4_SPI
#define RTVIRT_LINUX_CONSOLE_TYPE	JAILHOUSE_CON_TYPE_IMX

/* INTx of virtual PCI slot s of a cell: SPI vpci_irq_base + s */
#define RTVIRT_ROOT_VPCI_IRQ_BASE	51
#define RTVIRT_LINUX_VPCI_IRQ_BASE	154
#define RTVIRT_BAREMETAL_VPCI_IRQ_BASE	76

/* the Linux inmate's interrupts: its UART, and the INTx of its link above SPI 128 */
#define RTVIRT_LINUX_IRQCHIPS		2
#define RTVIRT_LINUX_IRQCHIP_LIST					\
	{								\
		.address = RTVIRT_GICD_BASE,				\
		.pin_base = 32,						\
		.pin_bitmap = {						\
			1 << RTVIRT_LINUX_UART_SPI,			\
		},							\
	},								\
	{								\
		.address = RTVIRT_GICD_BASE,				\
		.pin_base = 160,					\
		.pin_bitmap = {						\
			1 << (RTVIRT_LINUX_VPCI_IRQ_BASE + 32 - 160),	\
		},							\
	},

#endif /* RTVIRT_IMX8MP_H */
