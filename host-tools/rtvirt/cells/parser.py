"""Read Jailhouse configuration binaries (``*.cell``) into :class:`CellConfig` objects.

Anything that is not a well-formed revision 13 or 14 system or cell configuration raises
:class:`CellFormatError`, naming the file and what was expected; the parser never trusts a
count in the header before it has checked that the file is long enough to hold it.
"""

from construct import ConstructError
from rtvirt_agent.wire.errors import ProtocolError, UsageError

from rtvirt.cells import layout
from rtvirt.cells.model import CellConfig, MemoryRegion, PciDevice, SystemInfo


class CellFormatError(ProtocolError):
    """A file is not a Jailhouse configuration of a supported revision, or is damaged."""

    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def read_config(path):
    """Parse the configuration file at ``path``."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as err:
        raise UsageError(f"{path}: cannot read: {err.strerror}") from err
    return parse_config(data, str(path))


def identify(data, path):
    """Return ``(kind, revision, architecture)`` from the 8-byte header, or raise."""
    if len(data) < layout.HEADER_SIZE:
        raise CellFormatError(path, f"truncated: {len(data)} bytes, a Jailhouse configuration "
                                    f"starts with a {layout.HEADER_SIZE}-byte header")
    for (revision, kind), signature in layout.SIGNATURES.items():
        if revision == 13 and data.startswith(signature):
            header = layout.Header13.parse(data)
            return kind, _check_revision(header.revision, 13, signature, path), None
    for (revision, kind), signature in layout.SIGNATURES.items():
        if revision == 14 and data.startswith(signature):
            header = layout.Header14.parse(data)
            _check_revision(header.revision, 14, signature, path)
            architecture = layout.ARCHITECTURES.get(header.architecture)
            if architecture is None:
                raise CellFormatError(path, f"unknown architecture byte {header.architecture}, "
                                            "expected 0 (x86), 1 (arm) or 2 (arm64)")
            return kind, 14, architecture
    raise CellFormatError(path, f"not a Jailhouse configuration: starts with {data[:6]!r}, "
                                "expected signature JHSYS/JHCLL (revision 14) or "
                                "JHSYST/JHCELL (revision 13)")


def _check_revision(found, expected, signature, path):
    if found != expected:
        raise CellFormatError(path, f"configuration revision {found}, expected {expected} "
                                    f"for signature {signature.decode()} (rtvirt reads "
                                    "revisions 13 and 14)")
    return found


def parse_config(data, path="<bytes>"):
    """Parse a whole configuration binary held in ``data``."""
    data = bytes(data)
    kind, revision, architecture = identify(data, path)
    body = data[layout.HEADER_SIZE:]
    prefix_size = layout.SystemPrefix.sizeof() if kind == "system" else 0
    fixed_size = prefix_size + layout.CellDesc.sizeof()
    if len(body) < fixed_size:
        raise CellFormatError(path, f"truncated: {len(data)} bytes, a {kind} configuration "
                                    f"needs at least {layout.HEADER_SIZE + fixed_size}")
    desc = layout.CellDesc.parse(body[prefix_size:])
    expected = layout.HEADER_SIZE + fixed_size + layout.arrays_size(desc)
    if len(data) < expected:
        raise CellFormatError(path, f"truncated: {len(data)} bytes, but its header announces "
                                    f"{expected} ({desc.cpu_set_size}-byte CPU set, "
                                    f"{desc.num_memory_regions} memory regions, "
                                    f"{desc.num_pci_devices} PCI devices, ...)")
    # Jailhouse loads a longer file (upstream configs declare arrays they leave at count 0):
    # the bytes beyond the announced size are kept as a count for a warning.
    body = body[:expected - layout.HEADER_SIZE]
    trailing = len(data) - expected
    try:
        if kind == "system":
            parsed = layout.System.parse(body)
            return _cell_config(parsed.root, path, kind, revision, architecture,
                                _system_info(parsed.prefix, architecture), trailing)
        return _cell_config(layout.Cell.parse(body), path, kind, revision, architecture, None,
                            trailing)
    except ConstructError as err:
        raise CellFormatError(path, f"malformed {kind} configuration: {err}") from err


def _cell_config(cell, path, kind, revision, architecture, system, trailing):
    arrays = cell.arrays
    return CellConfig(
        path=path, kind=kind, revision=revision, architecture=architecture,
        name=cell.desc.name.split(b"\0", 1)[0].decode("ascii", "replace"),
        flags=cell.desc.flags,
        cpus=frozenset(_cpu_numbers(arrays.cpu_set)),
        memory_regions=tuple(_memory_region(index, region)
                             for index, region in enumerate(arrays.memory_regions)),
        pci_devices=tuple(_pci_device(index, device)
                          for index, device in enumerate(arrays.pci_devices)),
        num_irqchips=len(arrays.irqchips),
        num_pio_regions=len(arrays.pio_regions),
        system=system,
        trailing_bytes=trailing,
    )


def _cpu_numbers(cpu_set):
    """CPU numbers of a little-endian bitmap (an array of unsigned long on the target)."""
    for byte_index, byte in enumerate(cpu_set):
        if byte:
            yield from (byte_index * 8 + bit for bit in _BITS[byte])


_BITS = [tuple(bit for bit in range(8) if value & (1 << bit)) for value in range(256)]


def _memory_region(index, region):
    return MemoryRegion(index, region.phys_start, region.virt_start, region.size, region.flags)


def _pci_device(index, device):
    return PciDevice(index, device.type, device.domain, device.bdf, device.shmem_regions_start,
                     device.shmem_dev_id, device.shmem_peers, device.shmem_protocol)


def _system_info(prefix, architecture):
    platform = prefix.platform
    gic_version = None
    if architecture in ("arm", "arm64"):
        gic_version = layout.ArmPlatform.parse(platform.arch_specific).gic_version
    return SystemInfo(
        flags=prefix.flags,
        hypervisor_memory=_memory_region(-1, prefix.hypervisor_memory),
        pci_mmconfig_base=platform.pci_mmconfig_base,
        pci_mmconfig_end_bus=platform.pci_mmconfig_end_bus,
        pci_domain=platform.pci_domain,
        gic_version=gic_version,
    )
