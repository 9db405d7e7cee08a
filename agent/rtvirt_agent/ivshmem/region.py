"""Mapping an ivshmem region and checking its header as a hostile peer may have left it.

Either side may be the hostile one, so every offset and size read from the region is checked
against the mapping before it is used; a violation raises ``PeerFault`` ("peer fault: …").
Words are read and written through 8-byte aligned typed views, so each access is one load or
store of the whole word (no torn counters on x86-64 or arm64).
"""

import mmap
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from rtvirt_agent.wire.errors import PeerFault, ProtocolError, Unreachable, UsageError
from rtvirt_agent.wire.ivshmem import (
    ALIGN,
    HEADER,
    MAGIC,
    MAILBOX,
    MIN_SAMPLES_BYTES,
    STATE_CLOSED,
    STATE_INITIALISING,
    STATE_READY,
    STREAM,
    STREAM_IDLE,
    VERSION,
    default_header,
    offsets,
)

HDR = offsets(HEADER)
STREAM_AT = offsets(STREAM)
MIN_MAILBOX = MAILBOX.sizeof() + 1024
SYS_CLASS_UIO = "/sys/class/uio"


def fault(message):
    return PeerFault(f"peer fault: {message}")


class Region:
    """A shared-memory region mapped read-write: a /dev/shm file, a PCI BAR resource file,
    or map ``uio_map`` of a uio device (/dev/uioN; default map 2, the read-write section of
    a Jailhouse ivshmem v2 device under uio_ivshmem)."""

    def __init__(self, path, uio_map=None):
        self.path = str(path)
        _enable_pci_device(self.path)
        try:
            fd = os.open(_write_combining_twin(self.path), os.O_RDWR)
        except FileNotFoundError:
            raise UsageError(f"ivshmem region {self.path} does not exist") from None
        except OSError as error:
            raise UsageError(f"cannot open ivshmem region {self.path}: {error.strerror}") \
                from None
        try:
            size, offset = _extent(fd, self.path, uio_map)
            if size < HEADER.sizeof():
                raise ProtocolError(f"{self.path} is not an rtvirt ivshmem region: it is "
                                    f"too small ({size} bytes, the header alone takes "
                                    f"{HEADER.sizeof()})")
            self.map = mmap.mmap(fd, size - size % 8, offset=offset)
        finally:
            os.close(fd)
        self._view(self.map)

    def _view(self, mapping):
        """Byte, 32- and 64-bit views of ``mapping`` (the map the region reads through)."""
        self.map = mapping
        self.size = len(mapping)
        self.bytes = memoryview(mapping)
        self.u64 = self.bytes.cast("Q")
        self.u32 = self.bytes.cast("I")

    def word(self, offset):
        return self.u64[offset >> 3]

    def set_word(self, offset, value):
        self.u64[offset >> 3] = value

    def half(self, offset):
        return self.u32[offset >> 2]

    def set_half(self, offset, value):
        self.u32[offset >> 2] = value

    def close(self):
        for view in (self.u32, self.u64, self.bytes):
            view.release()
        self.map.close()


def _enable_pci_device(path):
    """A PCI BAR resource file maps only once the device is enabled (write 1 to ``enable``)."""
    resource = Path(path)
    if resource.name.startswith("resource") and resource.parent.joinpath("enable").exists():
        try:
            if resource.parent.joinpath("enable").read_text().strip() == "0":
                resource.parent.joinpath("enable").write_text("1")
        except OSError as error:
            raise UsageError(f"cannot enable PCI device {resource.parent}: {error.strerror}") \
                from None


def _extent(fd, path, uio_map):
    """(size, file offset) to map: the file's size, or a uio map's size and page offset."""
    name = Path(path).name
    if not re.fullmatch(r"uio\d+", name):
        if uio_map is not None:
            raise UsageError(f"{path} is not a uio device (/dev/uioN): it has no maps")
        return os.fstat(fd).st_size, 0
    index = 2 if uio_map is None else uio_map
    size_file = Path(SYS_CLASS_UIO, name, "maps", f"map{index}", "size")
    try:
        return int(size_file.read_text(), 0), index * mmap.PAGESIZE
    except (OSError, ValueError):
        raise UsageError(f"{path} has no uio map {index} ({size_file} unreadable): is it "
                         "the uio_ivshmem device of the rtvirt cell?") from None


def _write_combining_twin(path):
    """A PCI BAR's ``resourceN_wc`` where the kernel offers one, else ``path``.

    ``resourceN`` maps the BAR as device memory, where arm64 faults unaligned accesses (and
    the DC ZVA of memset); the write-combining mapping is normal non-cacheable memory.
    """
    twin = f"{path}_wc"
    return twin if Path(path).name.startswith("resource") and os.path.exists(twin) else path


@dataclass(frozen=True)
class Layout:
    """The checked block positions of one generation of a region."""

    generation: int
    request: tuple[int, int]    # (offset, size)
    response: tuple[int, int]
    samples: tuple[int, int]


def magic_state(region):
    """"absent" (all zero: nobody initialised it yet), "ours", or the bytes found."""
    found = bytes(region.bytes[:len(MAGIC)])
    if found == MAGIC:
        return "ours"
    return "absent" if not any(found) else found


def check_header(region):
    """The region's ``Layout``; raises ProtocolError/PeerFault naming what is wrong."""
    found = magic_state(region)
    if found != "ours":
        what = "nothing (all zero)" if found == "absent" else repr(found)
        raise ProtocolError(f"{region.path} is not an rtvirt ivshmem region: magic is "
                            f"{what}, expected {MAGIC!r}")
    version = region.half(HDR["version"])
    if version != VERSION:
        raise ProtocolError(f"{region.path}: ivshmem region version {version}, this rtvirt "
                            f"reads version {VERSION}")
    header_size = region.half(HDR["header_size"])
    declared = region.word(HDR["region_size"])
    if header_size != HEADER.sizeof() or declared > region.size:
        raise fault(f"header declares {header_size} header bytes and a {declared}-byte "
                    f"region, the mapping has {region.size}")
    blocks = {name: (region.word(HDR[f"{name}_offset"]), region.word(HDR[f"{name}_size"]))
              for name in ("request", "response", "samples")}
    minimum = dict(request=MIN_MAILBOX, response=MIN_MAILBOX, samples=MIN_SAMPLES_BYTES)
    end = header_size
    for name, (offset, size) in sorted(blocks.items(), key=lambda item: item[1][0]):
        if offset % ALIGN or size % 8 or offset < end or size < minimum[name] \
                or offset + size > declared:
            raise fault(f"{name} block at offset {offset} with {size} bytes lies outside "
                        f"the region, overlaps another block or is misaligned")
        end = offset + size
    return Layout(region.half(HDR["generation"]), **blocks)


def recheck_header(region):
    """``check_header`` on a region that was valid before: anything wrong is a PeerFault."""
    try:
        return check_header(region)
    except PeerFault:
        raise
    except ProtocolError as error:
        raise fault(f"the header was overwritten: {error}") from None


def generation_and_state(region):
    return region.half(HDR["generation"]), region.half(HDR["state"])


def heartbeat(region):
    return region.word(HDR["heartbeat"])


def initialise(region):
    """Target: (re)write the header and empty every block; returns the new ``Layout``."""
    old = region.half(HDR["generation"]) if magic_state(region) == "ours" else 0
    generation = (old + 1) & 0xFFFFFFFF or 1
    try:
        fields = default_header(region.size, generation)
    except ValueError as error:
        raise UsageError(f"{region.path}: {error}") from None
    region.set_half(HDR["state"], STATE_INITIALISING)
    for block in ("request", "response"):
        start = fields[f"{block}_offset"]
        region.bytes[start:start + MAILBOX.sizeof()] = bytes(MAILBOX.sizeof())
    stream = fields["samples_offset"]
    # the stream keeps counting its generations, so a reader never mistakes the next run
    # for one it has read already; the area is idle until a core formats it
    region.set_half(stream + STREAM_AT["state"], STREAM_IDLE)
    region.bytes[:HEADER.sizeof()] = HEADER.build(fields)
    region.set_half(HDR["state"], STATE_READY)
    return check_header(region)


def close_header(region):
    """Target: mark the region closed (the agent is leaving)."""
    region.set_half(HDR["state"], STATE_CLOSED)


def bump_heartbeat(region):
    region.set_word(HDR["heartbeat"], (heartbeat(region) + 1) & (2**64 - 1))


def open_initialised(path, wait, uio_map=None):
    """The mapped region, once a target has initialised it (it may still be booting)."""
    region = Region(path, uio_map)
    deadline = time.monotonic() + wait
    while magic_state(region) == "absent":
        if time.monotonic() >= deadline:
            region.close()
            raise Unreachable(f"target stopped responding: nothing initialised the ivshmem "
                              f"region {path} within {wait:g} s (is rtvirt-agent --ivshmem "
                              "running on the target?)")
        time.sleep(0.1)
    try:
        check_header(region)
    except BaseException:
        region.close()
        raise
    return region
