/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - QEMU arm64 `virt` partitioning, the emulated twin of the i.MX8MP
 * one: qemu-system-aarch64 -M virt,gic-version=3,virtualization=on,its=off
 * -cpu cortex-a57 -smp 4 -m 1G, kernel command line
 * "mem=768M" (or a reserved-memory node) keeping 0x70000000-0x7fffffff
 * away from the root Linux.
 *
 *   CPU 0-1  root cell          0x40000000 768 MiB  root Linux RAM
 *   CPU 2    Linux inmate       0x70000000 224 MiB  UART1 (ttyAMA1) its own
 *   CPU 3    bare-metal inmate  0x7e000000   1 MiB
 *                               0x7f000000   1 MiB  link root <-> Linux (00:00.0)
 *                               0x7f100000   1 MiB  link root <-> bare-metal (00:01.0)
 *                               0x7f200000   1 MiB  Linux inmate loader
 *                               0x7fc00000   4 MiB  hypervisor
 * QEMU's virt machine has two PL011s: UART0 is the root cell's (console and
 * agent), UART1 belongs to the Linux inmate (the root's device tree marks
 * it disabled); the bare-metal inmate writes through the virtual console.
 */
#ifndef RTVIRT_QEMU_ARM64_H
#define RTVIRT_QEMU_ARM64_H

#include "rtvirt-ivshmem.h"

#define RTVIRT_ROOT_RAM_BASE		0x40000000
#define RTVIRT_ROOT_RAM_SIZE		0x30000000
#define RTVIRT_INMATES_BASE		0x70000000
#define RTVIRT_INMATES_SIZE		0x0f000000
#define RTVIRT_LINUX_RAM_BASE		0x70000000
#define RTVIRT_LINUX_RAM_SIZE		0x0e000000
#define RTVIRT_BAREMETAL_RAM_BASE	0x7e000000
#define RTVIRT_BAREMETAL_RAM_SIZE	0x00100000
#define RTVIRT_LINK_LINUX_BASE		0x7f000000
#define RTVIRT_LINK_BAREMETAL_BASE	0x7f100000
#define RTVIRT_LOADER_BASE		0x7f200000
#define RTVIRT_LOADER_SIZE		0x00100000
#define RTVIRT_HYPERVISOR_BASE		0x7fc00000
#define RTVIRT_HYPERVISOR_SIZE		0x00400000
/*
 * Virtual PCI: ECAM and, right after it, the BAR window. Not upstream's 0x08e00000: QEMU's
 * GICv3 redistributor range (0x080a0000-0x08ffffff) covers it, and Linux then refuses the
 * window ("resource collision ... GICR"). 0x07e00000 lies in the unused flash space.
 */
#define RTVIRT_PCI_ECAM_BASE		0x07e00000
#define RTVIRT_PCI_BARS_BASE		(RTVIRT_PCI_ECAM_BASE + 0x100000)

#define RTVIRT_PCI_DOMAIN		1
#define RTVIRT_LINK_LINUX_BDF		(0 << 3)
#define RTVIRT_LINK_BAREMETAL_BDF	(1 << 3)

#define RTVIRT_GICD_BASE		0x08000000
#define RTVIRT_GICR_BASE		0x080a0000
#define RTVIRT_UART_BASE		0x09000000
#define RTVIRT_UART_SPI			1
#define RTVIRT_LINUX_UART_BASE		0x09040000
#define RTVIRT_LINUX_UART_SPI		8
#define RTVIRT_LINUX_CONSOLE_TYPE	JAILHOUSE_CON_TYPE_PL011

/* INTx of virtual PCI slot s of a cell: SPI vpci_irq_base + s */
#define RTVIRT_ROOT_VPCI_IRQ_BASE	96
#define RTVIRT_LINUX_VPCI_IRQ_BASE	108
#define RTVIRT_BAREMETAL_VPCI_IRQ_BASE	80

/* the Linux inmate's interrupts: its UART and the INTx of its link, one irqchip */
#define RTVIRT_LINUX_IRQCHIPS		1
#define RTVIRT_LINUX_IRQCHIP_LIST					\
	{								\
		.address = RTVIRT_GICD_BASE,				\
		.pin_base = 32,						\
		.pin_bitmap = {						\
			1 << RTVIRT_LINUX_UART_SPI,			\
			0,						\
			0,						\
			1 << (RTVIRT_LINUX_VPCI_IRQ_BASE - 96),		\
		},							\
	},

#endif /* RTVIRT_QEMU_ARM64_H */
