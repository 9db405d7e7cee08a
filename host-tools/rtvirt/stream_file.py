"""The compact sample file of ``rtvirt measure --stream FILE`` and its loader.

A 16-byte header (magic ``RTVSMPL1``, format version u32, record size u32), then one
24-byte little-endian record per sample, in arrival order: seq u64 (the sample's cycle in its
thread), time_ns u64 (CLOCK_MONOTONIC on the target), latency_ns u32, cpu u32 — the slot of
the ivshmem ring as it is. ``load_samples`` returns numpy arrays for analysis and plots.
"""

import struct

import numpy as np
from rtvirt_agent.errors import UsageError

from rtvirt.sample_reader import SAMPLE_DTYPE

MAGIC = b"RTVSMPL1"
VERSION = 1
HEADER = struct.Struct("<8sII")


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
