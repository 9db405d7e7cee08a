"""A small, valid Jailhouse configuration set (root + one inmate sharing one ivshmem link),
built with rtvirt.cells.builder; tests derive broken variants from it."""

from rtvirt.cells import layout
from rtvirt.cells.builder import build_cell, build_system, ivshmem_device, memory

RW = layout.MEM_READ | layout.MEM_WRITE
SHARED = layout.MEM_ROOTSHARED
SHMEM_BASE = 0xFD900000
INMATE_RAM = 0xC0000000
HYPERVISOR = memory(0xFDC00000, 0x400000, 0)
IVSHMEM_BDF = 0 << 3


def link_regions(base, dev_id, peers=2, extra_flags=0):
    """State table, read-write section and one output section per peer, like Jailhouse's."""
    regions = [memory(base, 0x1000, layout.MEM_READ | extra_flags),
               memory(base + 0x1000, 0x9000, RW | extra_flags)]
    for peer in range(peers):
        flags = layout.MEM_READ | (layout.MEM_WRITE if peer == dev_id else 0) | extra_flags
        regions.append(memory(base + 0xA000 + peer * 0x2000, 0x2000, flags))
    return regions


def root_config(**overrides):
    options = {"name": "rtvirt-root", "cpus": {0, 1, 2, 3}, "regions": None, "devices": None,
               "revision": 14, "architecture": "arm64"}
    options.update(overrides)
    regions = options["regions"] if options["regions"] is not None else (
        link_regions(SHMEM_BASE, 0)
        + [memory(0x40000000, 0x80000000, RW | layout.MEM_EXECUTE),
           memory(INMATE_RAM, 0x10000000, RW | layout.MEM_EXECUTE)])
    devices = options["devices"] if options["devices"] is not None else [
        ivshmem_device(IVSHMEM_BDF, 0, 0, 2, domain=2)]
    return build_system(options["name"], options["cpus"], regions, devices,
                        hypervisor_memory=HYPERVISOR, revision=options["revision"],
                        architecture=options["architecture"])


def inmate_config(**overrides):
    options = {"name": "rt-inmate", "cpus": {3}, "regions": None, "devices": None,
               "revision": 14, "architecture": "arm64"}
    options.update(overrides)
    regions = options["regions"] if options["regions"] is not None else (
        link_regions(SHMEM_BASE, 1, extra_flags=SHARED)
        + [memory(INMATE_RAM, 0x100000, RW | layout.MEM_EXECUTE | layout.MEM_LOADABLE, 0),
           memory(0, 0x1000, RW | layout.MEM_COMM_REGION, 0x80000000)])
    devices = options["devices"] if options["devices"] is not None else [
        ivshmem_device(IVSHMEM_BDF, 0, 1, 2, domain=2)]
    return build_cell(options["name"], options["cpus"], regions, devices,
                      revision=options["revision"], architecture=options["architecture"])
