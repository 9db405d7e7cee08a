"""The sample ring between two processes on a /dev/shm file: order, wrap-around, gaps."""

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from rtvirt.sample_reader import SampleReader
from rtvirt_agent.ivshmem.region import Region, check_header
from rtvirt_agent.ivshmem.ring import format_stream

REPO = Path(__file__).resolve().parents[2]


def start_producer(path, rings, slots, count, paced):
    argv = [sys.executable, "-m", "tests.ivshmem.producer", str(path), str(rings), str(slots),
            str(count)] + (["paced"] if paced else [])
    return subprocess.Popen(argv, cwd=REPO)


def read_all(reader, producer, timeout=60):
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        chunks.append(reader.poll())
        if producer.poll() is not None and reader.drained():
            chunks.append(reader.poll())
            return np.concatenate(chunks)
        time.sleep(0.001)
    raise AssertionError("the producer did not finish")


def test_order_and_wrap_around_between_two_processes(target_region):
    region, layout = target_region
    producer = start_producer(region.path, 2, 64, 20_000, paced=True)
    samples = read_all(SampleReader(region, layout), producer)
    assert producer.wait() == 0
    for cpu in (0, 1):
        mine = samples[samples["cpu"] == cpu]
        assert np.array_equal(mine["seq"], np.arange(20_000))  # 312 wraps of a 64-slot ring
        assert np.array_equal(mine["latency_ns"], np.arange(20_000) % 1000)
        assert np.array_equal(mine["time_ns"], 1000 * np.arange(20_000))


def test_full_ring_counts_every_lost_sample(target_region):
    """Consumer paused: the producer never waits, and every dropped sample is counted."""
    region, layout = target_region
    producer = start_producer(region.path, 1, 16, 1000, paced=False)
    assert producer.wait(timeout=60) == 0
    reader = SampleReader(region, layout)
    samples = reader.poll()
    assert list(samples["seq"]) == list(range(16))
    [ring] = reader.counters()
    assert ring == dict(cpu=0, received=16, lost=984, gaps=0)
    assert reader.drained()


def test_gaps_in_sequence_numbers_match_the_loss_counter(target_region):
    region, layout = target_region
    [writer] = format_stream(region, layout, [3], 16)
    reader = SampleReader(region, layout)
    for seq in range(100):
        writer.push(seq, seq, 5, 3)
    first = reader.poll()
    for seq in range(100, 110):
        writer.push(seq, seq, 5, 3)
    second = reader.poll()
    assert list(first["seq"]) == list(range(16))
    assert list(second["seq"]) == list(range(100, 110))
    assert reader.counters() == [dict(cpu=3, received=26, lost=84, gaps=84)]


def test_a_new_run_starts_a_new_generation(target_region):
    region, layout = target_region
    [writer] = format_stream(region, layout, [0], 32)
    writer.push(0, 0, 1, 0)
    reader = SampleReader(region, layout)
    assert len(reader.poll()) == 1
    writers = format_stream(region, layout, [0, 1], 32)
    for writer in writers:
        writer.push(0, 0, 1, 0)
    assert len(reader.poll()) == 2
    assert [ring["received"] for ring in reader.counters()] == [1, 1]


@pytest.mark.parametrize("size", [0, 64])
def test_too_small_a_file_is_named(region_path, size):
    from rtvirt_agent.wire.errors import ProtocolError
    with open(region_path, "r+b") as file:
        file.truncate(size)
    with pytest.raises(ProtocolError, match="too small"):
        Region(region_path)


def test_wrong_magic_and_version_are_named(region_path):
    from rtvirt_agent.wire.errors import ProtocolError
    region_path.write_bytes(b"NOTOURS!" + bytes(4096))
    region = Region(region_path)
    with pytest.raises(ProtocolError, match="magic is b'NOTOURS!'"):
        check_header(region)
    region.bytes[:12] = b"RTVIVSHM" + (7).to_bytes(4, "little")
    with pytest.raises(ProtocolError, match="version 7"):
        check_header(region)
    region.close()


def test_a_producer_whose_heartbeat_stopped_is_reported(target_region):
    from rtvirt_agent.wire.errors import Unreachable
    region, layout = target_region
    format_stream(region, layout, [0], 16)  # running, and nobody beats
    reader = SampleReader(region, layout, stale_s=0.2)
    reader.poll()
    time.sleep(0.3)
    with pytest.raises(Unreachable, match="target stopped responding"):
        reader.poll()
