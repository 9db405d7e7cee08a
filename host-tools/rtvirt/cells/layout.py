"""Byte layout of Jailhouse configuration binaries, as construct definitions.

Mirrors ``include/jailhouse/cell-config.h`` and ``console.h`` of Jailhouse: every struct is
packed little-endian. Revisions 13 and 14 share the body and differ only in the 8-byte header:
revision 13 has a 6-byte signature (``JHSYST``/``JHCELL``), revision 14 a 5-byte one
(``JHSYS``/``JHCLL``) followed by an architecture byte. The same definitions parse and build,
so a configuration written by :mod:`rtvirt.cells.builder` reads back identically.
"""

from construct import Array, Bytes, Int8ul, Int16ul, Int32ul, Int64ul, Struct, this

MEM_READ = 0x0001
MEM_WRITE = 0x0002
MEM_EXECUTE = 0x0004
MEM_DMA = 0x0008
MEM_IO = 0x0010
MEM_COMM_REGION = 0x0020
MEM_LOADABLE = 0x0040
MEM_ROOTSHARED = 0x0080
MEM_NO_HUGEPAGES = 0x0100

PCI_TYPE_IVSHMEM = 3

ARCHITECTURES = {0: "x86", 1: "arm", 2: "arm64"}
ARCHITECTURE_IDS = {name: number for number, name in ARCHITECTURES.items()}

SIGNATURES = {
    # (revision, kind) -> signature bytes
    (13, "system"): b"JHSYST",
    (13, "cell"): b"JHCELL",
    (14, "system"): b"JHSYS",
    (14, "cell"): b"JHCLL",
}
HEADER_SIZE = 8
MAX_IOMMU_UNITS = 8

Header13 = Struct("signature" / Bytes(6), "revision" / Int16ul)
Header14 = Struct("signature" / Bytes(5), "architecture" / Int8ul, "revision" / Int16ul)

MemoryRegion = Struct(
    "phys_start" / Int64ul, "virt_start" / Int64ul, "size" / Int64ul, "flags" / Int64ul)

CacheRegion = Struct(
    "start" / Int32ul, "size" / Int32ul, "type" / Int8ul, "padding" / Int8ul, "flags" / Int16ul)

Irqchip = Struct(
    "address" / Int64ul, "id" / Int32ul, "pin_base" / Int32ul, "pin_bitmap" / Array(4, Int32ul))

PioRegion = Struct("base" / Int16ul, "length" / Int16ul)

PciDevice = Struct(
    "type" / Int8ul,
    "iommu" / Int8ul,
    "domain" / Int16ul,
    "bdf" / Int16ul,
    "bar_mask" / Array(6, Int32ul),
    "caps_start" / Int16ul,
    "num_caps" / Int16ul,
    "num_msi_vectors" / Int8ul,
    "msi_bits" / Int8ul,  # bit 0: 64-bit MSI, bit 1: maskable
    "num_msix_vectors" / Int16ul,
    "msix_region_size" / Int16ul,
    "msix_address" / Int64ul,
    "shmem_regions_start" / Int32ul,
    "shmem_dev_id" / Int8ul,
    "shmem_peers" / Int8ul,
    "shmem_protocol" / Int16ul,
)

PciCapability = Struct("id" / Int16ul, "start" / Int16ul, "len" / Int16ul, "flags" / Int16ul)

Console = Struct(
    "address" / Int64ul,
    "size" / Int32ul,
    "type" / Int16ul,
    "flags" / Int16ul,
    "divider" / Int32ul,
    "gate_nr" / Int32ul,
    "clock_reg" / Int64ul,
)

# The AMD and TI PVU variants of the per-IOMMU union are both kept as their 12 raw bytes.
Iommu = Struct("type" / Int32ul, "base" / Int64ul, "size" / Int32ul, "unit_specific" / Bytes(12))

# The x86/arm union of platform_info: 44 bytes whatever the architecture (its larger arm member).
PLATFORM_ARCH_SIZE = 44
ArmPlatform = Struct(
    "maintenance_irq" / Int8ul,
    "gic_version" / Int8ul,
    "padding" / Bytes(2),
    "gicd_base" / Int64ul,
    "gicc_base" / Int64ul,
    "gich_base" / Int64ul,
    "gicv_base" / Int64ul,
    "gicr_base" / Int64ul,
)

PlatformInfo = Struct(
    "pci_mmconfig_base" / Int64ul,
    "pci_mmconfig_end_bus" / Int8ul,
    "pci_is_virtual" / Int8ul,
    "pci_domain" / Int16ul,
    "iommu_units" / Array(MAX_IOMMU_UNITS, Iommu),
    "arch_specific" / Bytes(PLATFORM_ARCH_SIZE),
)

# struct jailhouse_cell_desc after its 8-byte header.
CellDesc = Struct(
    "name" / Bytes(32),
    "id" / Int32ul,
    "flags" / Int32ul,
    "cpu_set_size" / Int32ul,
    "num_memory_regions" / Int32ul,
    "num_cache_regions" / Int32ul,
    "num_irqchips" / Int32ul,
    "num_pio_regions" / Int32ul,
    "num_pci_devices" / Int32ul,
    "num_pci_caps" / Int32ul,
    "num_stream_ids" / Int32ul,
    "vpci_irq_base" / Int32ul,
    "cpu_reset_address" / Int64ul,
    "msg_reply_timeout" / Int64ul,
    "console" / Console,
)

# The variable part that follows a cell descriptor, in the order cell-config.h lays it out.
CellArrays = Struct(
    "cpu_set" / Bytes(this._.desc.cpu_set_size),
    "memory_regions" / Array(this._.desc.num_memory_regions, MemoryRegion),
    "cache_regions" / Array(this._.desc.num_cache_regions, CacheRegion),
    "irqchips" / Array(this._.desc.num_irqchips, Irqchip),
    "pio_regions" / Array(this._.desc.num_pio_regions, PioRegion),
    "pci_devices" / Array(this._.desc.num_pci_devices, PciDevice),
    "pci_caps" / Array(this._.desc.num_pci_caps, PciCapability),
    "stream_ids" / Array(this._.desc.num_stream_ids, Int32ul),
)

Cell = Struct("desc" / CellDesc, "arrays" / CellArrays)

# struct jailhouse_system after its 8-byte header; the root cell keeps its own (unused) header.
SystemPrefix = Struct(
    "flags" / Int32ul,
    "hypervisor_memory" / MemoryRegion,
    "debug_console" / Console,
    "platform" / PlatformInfo,
    "root_header" / Bytes(HEADER_SIZE),
)
System = Struct("prefix" / SystemPrefix, "root" / Cell)

ARRAY_ITEM_SIZES = (
    ("num_memory_regions", MemoryRegion.sizeof()),
    ("num_cache_regions", CacheRegion.sizeof()),
    ("num_irqchips", Irqchip.sizeof()),
    ("num_pio_regions", PioRegion.sizeof()),
    ("num_pci_devices", PciDevice.sizeof()),
    ("num_pci_caps", PciCapability.sizeof()),
    ("num_stream_ids", 4),
)


def arrays_size(desc):
    """Bytes of the variable part announced by a parsed cell descriptor."""
    return desc.cpu_set_size + sum(desc[count] * size for count, size in ARRAY_ITEM_SIZES)
