"""The root cell's end of a bare-metal inmate's ivshmem link (docs/inmate.md).

The inmate (agent/inmate) lays out an rtvirt ivshmem region (docs/ivshmem.md) in the
read-write section of its Jailhouse ivshmem 2.0 link: the request mailbox carries measure
commands (``COMMAND``, agent/inmate/cell_link.h), the response mailbox the result records, the
sample area one ring with every sample. The inmate is a hostile peer: the region's header,
the mailbox counters and the ring's counters are all bounds-checked before use.
"""

import mmap
import os
import time
from pathlib import Path

from rtvirt_agent.ivshmem import region as regions
from rtvirt_agent.ivshmem.mailbox import ByteRing
from rtvirt_agent.wire.cell_command import COMMAND
from rtvirt_agent.wire.errors import PeerFault, UsageError
from rtvirt_agent.wire.ivshmem import RING, SLOT, STREAM, STREAM_IDLE, offsets
from rtvirt_agent.wire.result import C_CONSTANTS, HEADER_SIZE

MAX_RECORD = 16 << 20
STREAM_AT, RING_AT, SLOT_AT = offsets(STREAM), offsets(RING), offsets(SLOT)
LENGTH_OFFSET = C_CONSTANTS["RESULT_LENGTH_OFFSET"]


class SectionMap(regions.Region):
    """A window of a device file mapped read-write: a uio map, or /dev/mem at an address."""

    def __init__(self, path, offset, size):  # Region's views over a window, not a whole file
        self.path = f"{path}@{offset:#x}"
        try:
            fd = os.open(path, os.O_RDWR | os.O_SYNC)
        except OSError as error:
            raise UsageError(f"cannot open the cell link {path}: {error.strerror}") from None
        try:
            self._view(mmap.mmap(fd, size, offset=offset))
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot map {size} bytes of {path} at {offset:#x}: {error}") \
                from None
        finally:
            os.close(fd)


def uio_rw_section(sysroot, pci_address):
    """(device, offset, size) of the "rw_section" map of the uio_ivshmem device at
    ``pci_address`` (e.g. "0001:00:01.0")."""
    for uio in sorted(Path(sysroot, "sys/class/uio").glob("uio*")):
        if os.path.basename(os.path.realpath(uio / "device")) != pci_address:
            continue
        for index, mapping in enumerate(sorted((uio / "maps").glob("map*"))):
            if (mapping / "name").read_text().strip() == "rw_section":
                size = int((mapping / "size").read_text(), 16)
                return str(Path(sysroot, "dev", uio.name)), index * mmap.PAGESIZE, size
        raise UsageError(f"{uio.name} at {pci_address} has no rw_section map: is it "
                         f"bound to uio_ivshmem?")
    raise UsageError(f"no uio device for the ivshmem link {pci_address}: load uio_ivshmem "
                     f"and check the cell's PCI address")


class CellLink:
    """Commands out, samples and records in, over one mapped region."""

    def __init__(self, region):
        self.region = region
        self.layout = regions.check_header(region)
        self.requests = ByteRing(region, self.layout.request, producer=True, adopt=True)
        self.responses = ByteRing(region, self.layout.response, producer=False, adopt=True)
        self.stream_generation = self._stream_word("generation", half=True)
        self.ring_tail = None

    def heartbeat(self):
        return regions.heartbeat(self.region)

    def heartbeat_moves(self, within_s):
        """Whether the inmate's heartbeat moves within ``within_s`` seconds."""
        start, deadline = regions.heartbeat(self.region), time.monotonic() + within_s
        while time.monotonic() < deadline:
            time.sleep(0.02)
            if regions.heartbeat(self.region) != start:
                return True
        return False

    def send(self, **command):
        data = COMMAND.build(command)
        if self.requests.write(data) != len(data):
            raise PeerFault("peer fault: the inmate does not take its commands (request "
                            "mailbox full)")

    def _stream_word(self, name, half=False):
        at = self.layout.samples[0] + STREAM_AT[name]
        return self.region.half(at) if half else self.region.word(at)

    def samples(self):
        """[(seq, time_ns, latency_ns, cpu)] published since the last call, once the inmate
        formatted the ring of this run; the ring's ``lost`` count is in ``lost``."""
        if self.ring_tail is None:
            generation = self._stream_word("generation", half=True)
            if generation == self.stream_generation or \
                    self._stream_word("state", half=True) == STREAM_IDLE:
                return []
            self._check_ring()
            self.ring_tail = 0
        ring = self.layout.samples[0] + STREAM.sizeof()
        head = self.region.word(ring + RING_AT["head"])
        if not 0 <= head - self.ring_tail <= self.capacity:
            raise regions.fault(f"sample ring head {head} and tail {self.ring_tail} do not "
                                f"fit {self.capacity} slots")
        out = []
        for seq in range(self.ring_tail, head):
            slot = ring + RING.sizeof() + seq % self.capacity * SLOT.sizeof()
            out.append((self.region.word(slot + SLOT_AT["seq"]),
                        self.region.word(slot + SLOT_AT["time_ns"]),
                        self.region.half(slot + SLOT_AT["latency_ns"]),
                        self.region.half(slot + SLOT_AT["cpu"])))
        self.ring_tail = head
        self.region.set_word(ring + RING_AT["tail"], head)
        return out

    @property
    def lost(self):
        ring = self.layout.samples[0] + STREAM.sizeof()
        return self.region.word(ring + RING_AT["lost"]) if self.ring_tail is not None else 0

    def _check_ring(self):
        count, capacity = self._stream_word("ring_count", True), \
            self._stream_word("ring_capacity", True)
        slot_size = self._stream_word("slot_size", True)
        room = self.layout.samples[1] - STREAM.sizeof() - RING.sizeof()
        if count != 1 or slot_size != SLOT.sizeof() or not 0 < capacity * slot_size <= room:
            raise regions.fault(f"sample area with {count} rings of {capacity} slots of "
                                f"{slot_size} bytes does not fit the inmate's layout")
        self.capacity = capacity

    def read_record(self, pending):
        """Append what the response mailbox holds to ``pending`` (a bytearray); returns a
        complete result record when one is there, else None."""
        pending += self.responses.read(1 << 20)
        if len(pending) < HEADER_SIZE:
            return None
        length = int.from_bytes(pending[LENGTH_OFFSET:LENGTH_OFFSET + 4], "little")
        if not HEADER_SIZE < length <= MAX_RECORD:
            raise regions.fault(f"result record of {length} bytes announced")
        if len(pending) < length:
            return None
        record = bytes(pending[:length])
        del pending[:length]
        return record
