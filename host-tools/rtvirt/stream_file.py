"""The compact sample file of ``rtvirt measure --stream FILE`` and its loader.

A 16-byte header (magic ``RTVSMPL1``, format version u32, record size u32), then one
24-byte little-endian record per sample, in arrival order: seq u64 (the sample's cycle in its
thread), time_ns u64 (CLOCK_MONOTONIC on the target), latency_ns u32, cpu u32 — the slot of
the ivshmem ring as it is. ``load_samples`` returns numpy arrays for analysis and plots.
"""

import struct
import threading
import time

import numpy as np
from rtvirt_agent.ivshmem.region import check_header, open_initialised
from rtvirt_agent.wire.errors import UsageError

from rtvirt.sample_reader import SAMPLE_DTYPE, SampleReader
from rtvirt.transports import ivshmem

MAGIC = b"RTVSMPL1"
VERSION = 1
HEADER = struct.Struct("<8sII")
POLL_S = 0.005


class SampleFileWriter:
    """Appends sample arrays (SAMPLE_DTYPE) to a new file."""

    def __init__(self, path):
        self.path = path
        try:
            self.file = open(path, "wb")  # noqa: SIM115 - closed by close()
        except OSError as error:
            raise UsageError(f"cannot write the sample file {path}: {error.strerror}") \
                from None
        self.file.write(HEADER.pack(MAGIC, VERSION, SAMPLE_DTYPE.itemsize))
        self.count = 0

    def write(self, samples):
        self.file.write(samples.astype(SAMPLE_DTYPE, copy=False).tobytes())
        self.count += len(samples)

    def close(self):
        self.file.close()


def load_samples(path):
    """{"cpu", "time_ns", "latency_ns", "seq"}: numpy arrays of every sample in the file."""
    with open(path, "rb") as file:
        head = file.read(HEADER.size)
        if len(head) < HEADER.size:
            raise UsageError(f"{path} is not an rtvirt sample file: too short")
        magic, version, record = HEADER.unpack(head)
        if magic != MAGIC or version != VERSION or record != SAMPLE_DTYPE.itemsize:
            raise UsageError(f"{path} is not an rtvirt sample file (version {VERSION}): "
                             f"found magic {magic!r}, version {version}, record {record}")
        data = np.fromfile(file, SAMPLE_DTYPE)
    return {name: np.ascontiguousarray(data[name]) for name in ("cpu", "time_ns",
                                                                "latency_ns", "seq")}


class Recorder:
    """Copies the samples of the next run on an ``ivshmem:`` target into a sample file.

    A thread polls the rings while the run goes on; ``finish()`` reads what is left once the
    core has marked the stream finished, closes the file and re-raises what went wrong
    (PeerFault, Unreachable) in the caller's thread.
    """

    def __init__(self, target_uri, path):
        scheme, _, rest = (target_uri or "").partition(":")
        if scheme != "ivshmem":
            raise UsageError("--stream needs an ivshmem: target (the samples travel through "
                             "the shared-memory region), e.g. --target ivshmem:/dev/shm/NAME")
        region_path, options = ivshmem.parse(rest)
        self.region = open_initialised(region_path, options["wait"], options["map"])
        self.reader = SampleReader(self.region, check_header(self.region),
                                   stale_s=options["stale"], skip_current=True)
        self.file = SampleFileWriter(path)
        self.error = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._copy, name="sample-recorder", daemon=True)
        self._thread.start()

    def _copy(self):
        try:
            while not self._stop.wait(POLL_S):
                self.file.write(self.reader.poll())
        except Exception as error:  # handed to finish()
            self.error = error

    def finish(self, grace_s=5.0):
        """Stop after the core finished (or ``grace_s`` passed); the per-thread counters."""
        deadline = time.monotonic() + grace_s
        while self.error is None and not self.reader.drained() \
                and time.monotonic() < deadline:
            time.sleep(POLL_S)
        self._stop.set()
        self._thread.join()
        try:
            if self.error is None:
                self.file.write(self.reader.poll())
        except Exception as error:
            self.error = error
        self.file.close()
        self.region.close()
        if self.error is not None:
            raise self.error
        return self.reader.counters()
