/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - x86-64 (genericx86-64 image) partitioning.
 *
 * An x86 root cell describes one machine, so it is generated on the target
 * (`jailhouse config create`, see docs/jailhouse.md) from a memory
 * reservation on the kernel command line:
 *     memmap=0x8000000$0x38000000
 *     jailhouse config create --mem-hv 6M --mem-inmates 122M root.c
 * which puts the hypervisor at 0x38000000 and one root region, "JAILHOUSE
 * inmate memory", at 0x38600000. In the generated root.c, replace that
 * region by RTVIRT_X86_ROOT_REGIONS (the two ivshmem links and the inmate
 * RAM after them) and add RTVIRT_X86_ROOT_DEVICES to pci_devices.
 *
 *   CPU 2   Linux (PREEMPT_RT) inmate, console on COM2 (0x2f8, polled)
 *   CPU 3   bare-metal measurement inmate, virtual console
 *   0x38600000   1 MiB  link root <-> Linux inmate       (01:0e.0)
 *   0x38700000   1 MiB  link root <-> bare-metal inmate  (01:0f.0)
 *   0x38800000   1 MiB  bare-metal inmate RAM
 *   0x38900000   1 MiB  Linux inmate low RAM (boot parameters)
 *   0x38a00000 118 MiB  Linux inmate RAM
 * The BDFs must be free on the machine's PCI bus 1; change them here if not.
 */
#ifndef RTVIRT_X86_H
#define RTVIRT_X86_H

#include "rtvirt-ivshmem.h"

#define RTVIRT_LINK_LINUX_BASE		0x38600000
#define RTVIRT_LINK_BAREMETAL_BASE	0x38700000
#define RTVIRT_BAREMETAL_RAM_BASE	0x38800000
#define RTVIRT_LINUX_LOW_RAM_BASE	0x38900000
#define RTVIRT_LINUX_RAM_BASE		0x38a00000
#define RTVIRT_LINUX_RAM_SIZE		0x07600000
#define RTVIRT_INMATES_BASE		0x38800000
#define RTVIRT_INMATES_SIZE		0x07800000

#define RTVIRT_LINK_LINUX_BDF		(0x100 | (0x0e << 3))
#define RTVIRT_LINK_BAREMETAL_BDF	(0x100 | (0x0f << 3))
#define RTVIRT_MSIX_VECTORS		1

/* Replaces the "JAILHOUSE inmate memory" region of the generated root. */
#define RTVIRT_X86_ROOT_REGIONS						\
	RTVIRT_IVSHMEM_LINK_REGIONS(RTVIRT_LINK_LINUX_BASE, 0, 0),	\
	RTVIRT_IVSHMEM_LINK_REGIONS(RTVIRT_LINK_BAREMETAL_BASE, 0, 0),	\
	{								\
		.phys_start = RTVIRT_INMATES_BASE,			\
		.virt_start = RTVIRT_INMATES_BASE,			\
		.size = RTVIRT_INMATES_SIZE,				\
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |	\
			JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,	\
	}

/* To append to pci_devices[]; @first: index of the first link region. */
#define RTVIRT_X86_ROOT_DEVICES(first)					\
	RTVIRT_IVSHMEM_DEVICE(0, RTVIRT_LINK_LINUX_BDF, (first), 0,	\
			      JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,		\
			      RTVIRT_MSIX_VECTORS),			\
	RTVIRT_IVSHMEM_DEVICE(0, RTVIRT_LINK_BAREMETAL_BDF,		\
			      (first) + RTVIRT_IVSHMEM_REGIONS, 0,	\
			      JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,		\
			      RTVIRT_MSIX_VECTORS)

#endif /* RTVIRT_X86_H */
