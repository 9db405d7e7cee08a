"""What a parsed Jailhouse configuration holds, in the terms the checks use."""

from dataclasses import dataclass, field

from rtvirt.cells import layout

FLAG_NAMES = (
    (layout.MEM_READ, "R"), (layout.MEM_WRITE, "W"), (layout.MEM_EXECUTE, "X"),
    (layout.MEM_DMA, "DMA"), (layout.MEM_IO, "IO"), (layout.MEM_COMM_REGION, "COMM"),
    (layout.MEM_LOADABLE, "LOADABLE"), (layout.MEM_ROOTSHARED, "ROOTSHARED"),
    (layout.MEM_NO_HUGEPAGES, "NOHUGE"),
)


@dataclass(frozen=True)
class MemoryRegion:
    """One ``struct jailhouse_memory``; ``index`` is its position in the cell's region list."""

    index: int
    phys_start: int
    virt_start: int
    size: int
    flags: int

    @property
    def phys_end(self):
        return self.phys_start + self.size

    @property
    def virt_end(self):
        return self.virt_start + self.size

    @property
    def is_comm_region(self):
        return bool(self.flags & layout.MEM_COMM_REGION)

    @property
    def is_rootshared(self):
        return bool(self.flags & layout.MEM_ROOTSHARED)

    @property
    def is_physical(self):
        """Backed by physical memory: not the virtual-only communication region, not empty."""
        return self.size > 0 and not self.is_comm_region

    def flag_text(self):
        names = [name for bit, name in FLAG_NAMES if self.flags & bit]
        return "|".join(names) if names else "none"

    def describe(self):
        """``region 3 phys 0xfd900000-0xfd900fff (0x1000) R|ROOTSHARED``."""
        text = f"region {self.index} phys {_span(self.phys_start, self.size)}"
        if self.virt_start != self.phys_start:
            text += f" virt {_span(self.virt_start, self.size)}"
        return f"{text} {self.flag_text()}"

    def as_dict(self):
        return {"index": self.index, "phys_start": self.phys_start,
                "virt_start": self.virt_start, "size": self.size, "flags": self.flags,
                "flag_names": self.flag_text()}


def _span(start, size):
    last = start + size - 1 if size else start
    return f"{start:#x}-{last:#x} ({size:#x})"


@dataclass(frozen=True)
class PciDevice:
    """One ``struct jailhouse_pci_device``; ivshmem fields matter only for type IVSHMEM."""

    index: int
    type: int
    domain: int
    bdf: int
    shmem_regions_start: int
    shmem_dev_id: int
    shmem_peers: int
    shmem_protocol: int

    @property
    def is_ivshmem(self):
        return self.type == layout.PCI_TYPE_IVSHMEM

    @property
    def address(self):
        """PCI address as ``domain:bus:device.function``."""
        bus, device, function = self.bdf >> 8, (self.bdf >> 3) & 0x1F, self.bdf & 0x7
        return f"{self.domain:04x}:{bus:02x}:{device:02x}.{function:x}"


@dataclass(frozen=True)
class SystemInfo:
    """What only a system (root cell) configuration carries."""

    flags: int
    hypervisor_memory: MemoryRegion
    pci_mmconfig_base: int
    pci_mmconfig_end_bus: int
    pci_domain: int
    gic_version: int | None


@dataclass(frozen=True)
class CellConfig:
    """A parsed configuration file: a non-root cell, or a system config with its root cell."""

    path: str
    kind: str  # "system" or "cell"
    revision: int
    architecture: str | None  # None for revision 13, which does not record it
    name: str
    flags: int
    cpus: frozenset
    memory_regions: tuple
    pci_devices: tuple
    num_irqchips: int = 0
    num_pio_regions: int = 0
    system: SystemInfo | None = field(default=None)
    trailing_bytes: int = 0
    """Bytes beyond what the header announces: Jailhouse ignores them, the checks warn."""

    @property
    def is_root(self):
        return self.kind == "system"

    @property
    def label(self):
        """How messages name the cell: its name and the file it came from."""
        return f'"{self.name}" ({self.path})'

    def ivshmem_devices(self):
        return [device for device in self.pci_devices if device.is_ivshmem]

    def summary(self):
        return {"path": self.path, "kind": self.kind, "name": self.name,
                "revision": self.revision, "architecture": self.architecture,
                "cpus": sorted(self.cpus), "memory_regions": len(self.memory_regions),
                "irqchips": self.num_irqchips, "pio_regions": self.num_pio_regions,
                "ivshmem_devices": [d.address for d in self.ivshmem_devices()]}


def cpu_list(cpus):
    """``{0, 1, 2, 5}`` -> ``"0-2,5"``."""
    ranges, ordered = [], sorted(cpus)
    for cpu in ordered:
        if ranges and cpu == ranges[-1][1] + 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges) or "none"


@dataclass(frozen=True)
class Finding:
    """One result of a check: ``error`` findings fail the check, ``warning`` ones do not."""

    check: str
    severity: str
    message: str
    cells: tuple = ()

    @property
    def is_error(self):
        return self.severity == "error"

    def as_dict(self):
        return {"check": self.check, "severity": self.severity, "message": self.message,
                "cells": list(self.cells)}
