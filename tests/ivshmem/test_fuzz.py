"""A hostile peer: a million random mutations of the region while the host reads it.

The host may only ever raise PeerFault ("peer fault: …") or ProtocolError (not a region);
an access outside the region would surface as IndexError/ValueError from the bounded views
and fail the test. Once the peer re-initialises, the same reader delivers correct samples.
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from rtvirt.sample_reader import SampleReader
from rtvirt_agent.ivshmem.mailbox import ShmStream
from rtvirt_agent.ivshmem.region import initialise
from rtvirt_agent.ivshmem.ring import format_stream
from rtvirt_agent.wire.errors import PeerFault, ProtocolError
from rtvirt_agent.wire.ivshmem import MAILBOX, RING, STREAM

REPO = Path(__file__).resolve().parents[2]
MUTATIONS = 1_000_000


def fill(region, layout, samples):
    writers = format_stream(region, layout, [0, 1], 64)
    for seq in range(samples):
        for cpu, writer in enumerate(writers):
            writer.push(seq, seq, 7, cpu)
    return writers


def read_once(reader, stream, region, outcomes):
    """One round of host reads; returns the stream to use next (None after a fault)."""
    try:
        reader.poll()
        outcomes["samples-read"] += 1
    except PeerFault as fault:
        assert str(fault).startswith("peer fault: ")
        outcomes["sample-faults"] += 1
    try:
        stream = stream or ShmStream(region, "host", stale_s=3600)
        stream.read(4096, 0)
        outcomes["mailbox-read"] += 1
        return stream
    except EOFError:
        assert isinstance(stream.fault, PeerFault), stream.fault
        outcomes["mailbox-faults"] += 1
    except ProtocolError as error:  # the header itself is broken
        assert isinstance(error, PeerFault) or "ivshmem region" in str(error)
        outcomes["header-faults"] += 1
    return None


def test_a_million_mutations_never_crash_the_host(target_region):
    region, layout = target_region
    writers = fill(region, layout, 40)
    blocks = [(layout.request[0], MAILBOX.sizeof()), (layout.response[0], MAILBOX.sizeof()),
              (layout.samples[0], STREAM.sizeof())] + [(w.offset, RING.sizeof()) for w in writers]
    mutator = subprocess.Popen(
        [sys.executable, "-m", "tests.ivshmem.mutator", str(region.path), str(MUTATIONS), "6",
         *(f"{start}:{length}" for start, length in blocks)],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    reader, stream, outcomes = SampleReader(region, layout, stale_s=3600), None, Counter()
    while mutator.poll() is None:
        stream = read_once(reader, stream, region, outcomes)
    assert mutator.stdout.read().strip() == str(MUTATIONS)
    assert mutator.returncode == 0
    print(dict(outcomes))
    assert sum(outcomes.values()) > 1000
    assert outcomes["sample-faults"] + outcomes["mailbox-faults"] + outcomes["header-faults"]

    layout = initialise(region)  # the peer re-initialises: everything works again
    fill(region, layout, 10)
    samples = reader.poll()
    assert np.array_equal(np.sort(samples["seq"]), np.repeat(np.arange(10), 2))
    host, target = ShmStream(region, "host"), ShmStream(region, "target")
    host.write(b"ping")
    assert target.read(100, 1.0) == b"ping"
