"""Write Jailhouse configuration binaries from Python values.

The counterpart of the parser, on the same construct definitions: tests build well-formed and
deliberately broken configurations with it (no Jailhouse sources or cross compiler needed),
and round-trips check that both directions agree with ``cell-config.h``.
"""

from rtvirt.cells import layout

CONSOLE_NONE = {"address": 0, "size": 0, "type": 0, "flags": 0, "divider": 0, "gate_nr": 0,
                "clock_reg": 0}
IVSHMEM_BAR_MASK_INTX = [0xFFFFF000, 0, 0, 0, 0, 0]


def memory(phys_start, size, flags, virt_start=None):
    """A ``struct jailhouse_memory`` value; ``virt_start`` defaults to ``phys_start``."""
    return {"phys_start": phys_start, "size": size, "flags": flags,
            "virt_start": phys_start if virt_start is None else virt_start}


def ivshmem_device(bdf, regions_start, dev_id, peers, protocol=0, domain=0):
    """A ``struct jailhouse_pci_device`` of type IVSHMEM with INTx (no MSI-X)."""
    return {
        "type": layout.PCI_TYPE_IVSHMEM, "iommu": 0, "domain": domain, "bdf": bdf,
        "bar_mask": IVSHMEM_BAR_MASK_INTX, "caps_start": 0, "num_caps": 0,
        "num_msi_vectors": 0, "msi_bits": 0, "num_msix_vectors": 0, "msix_region_size": 0,
        "msix_address": 0, "shmem_regions_start": regions_start, "shmem_dev_id": dev_id,
        "shmem_peers": peers, "shmem_protocol": protocol,
    }


def _cpu_set(cpus):
    """Little-endian CPU bitmap in whole 64-bit words, as the configs' ``__u64 cpus[]``."""
    words = max(cpus, default=0) // 64 + 1
    bitmap = sum(1 << cpu for cpu in cpus)
    return bitmap.to_bytes(words * 8, "little")


def _header(kind, revision, architecture):
    signature = layout.SIGNATURES[(revision, kind)]
    if revision == 13:
        return layout.Header13.build({"signature": signature, "revision": 13})
    return layout.Header14.build({"signature": signature, "revision": 14,
                                  "architecture": layout.ARCHITECTURE_IDS[architecture]})


def _cell(name, cpus, memory_regions, pci_devices, flags):
    cpu_set = _cpu_set(cpus)
    desc = {
        "name": name.encode("ascii").ljust(32, b"\0"), "id": 0, "flags": flags,
        "cpu_set_size": len(cpu_set), "num_memory_regions": len(memory_regions),
        "num_cache_regions": 0, "num_irqchips": 0, "num_pio_regions": 0,
        "num_pci_devices": len(pci_devices), "num_pci_caps": 0, "num_stream_ids": 0,
        "vpci_irq_base": 0, "cpu_reset_address": 0, "msg_reply_timeout": 0,
        "console": CONSOLE_NONE,
    }
    arrays = {"cpu_set": cpu_set, "memory_regions": list(memory_regions),
              "cache_regions": [], "irqchips": [], "pio_regions": [],
              "pci_devices": list(pci_devices), "pci_caps": [], "stream_ids": []}
    return {"desc": desc, "arrays": arrays}


def build_cell(name, cpus, memory_regions=(), pci_devices=(), *, revision=14,
               architecture="arm64", flags=0):
    """Bytes of a non-root cell configuration."""
    return _header("cell", revision, architecture) + layout.Cell.build(
        _cell(name, cpus, memory_regions, pci_devices, flags))


def build_system(name, cpus, memory_regions=(), pci_devices=(), *, hypervisor_memory,
                 revision=14, architecture="arm64", pci_mmconfig_base=0, pci_domain=0):
    """Bytes of a system configuration whose root cell is ``name``."""
    platform = {
        "pci_mmconfig_base": pci_mmconfig_base, "pci_mmconfig_end_bus": 0,
        "pci_is_virtual": 1 if pci_mmconfig_base else 0, "pci_domain": pci_domain,
        "iommu_units": [{"type": 0, "base": 0, "size": 0, "unit_specific": bytes(12)}]
        * layout.MAX_IOMMU_UNITS,
        "arch_specific": bytes(layout.PLATFORM_ARCH_SIZE),
    }
    prefix = {"flags": 0, "hypervisor_memory": hypervisor_memory,
              "debug_console": CONSOLE_NONE, "platform": platform,
              "root_header": bytes(layout.HEADER_SIZE)}
    return _header("system", revision, architecture) + layout.System.build(
        {"prefix": prefix, "root": _cell(name, cpus, memory_regions, pci_devices, 0)})
