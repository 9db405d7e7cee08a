"""The root cell's end of a bare-metal inmate's ivshmem link (docs/inmate.md).

The inmate (agent/inmate) lays out an rtvirt ivshmem region (docs/ivshmem.md) in the
read-write section of its Jailhouse ivshmem 2.0 link: the request mailbox carries measure
commands (``COMMAND``, agent/inmate/cell_link.h), the response mailbox the result records, the
sample area one ring with every sample. The inmate is a hostile peer: the region's header
and the mailbox counters are bounds-checked before use, its sample ring by the one ring
reader (rtvirt_agent.ivshmem.reader).
"""

import math
import mmap
import os
import time
from pathlib import Path

from rtvirt_agent.ivshmem import region as regions
from rtvirt_agent.ivshmem.mailbox import ByteRing
from rtvirt_agent.ivshmem.reader import SAMPLE, SampleReader
from rtvirt_agent.wire.cell_command import COMMAND
from rtvirt_agent.wire.errors import PeerFault, UsageError
from rtvirt_agent.wire.result import C_CONSTANTS, HEADER_SIZE

MAX_RECORD = 16 << 20
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
        # the op watches the inmate's heartbeat itself (a stalled inmate is "cell-stopped")
        self.reader = SampleReader(region, self.layout, stale_s=math.inf, skip_current=True)

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

    def samples(self):
        """[(seq, time_ns, latency_ns, cpu)] published since the last call, once the inmate
        formatted the ring of this run; what its full ring dropped is in ``lost``."""
        return list(SAMPLE.iter_unpack(self.reader.poll()))

    @property
    def lost(self):
        return self.reader.lost()

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
