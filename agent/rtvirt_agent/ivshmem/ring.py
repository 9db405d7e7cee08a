"""The sample rings' producer end in Python (the core's C writer, agent/core/ivshmem.c, is
the one that measures; this one serves tests, benchmarks and tools on the target side).

The target formats the sample area for a run: one single-producer/single-consumer ring per
measuring thread, so no two real-time threads ever share a counter. A producer never waits:
when its ring is full the sample is dropped and counted in ``lost``; the sequence numbers of
the samples that do arrive show where the gaps are.
"""

import struct

from rtvirt_agent.wire.ivshmem import (
    RING,
    SLOT,
    STREAM,
    STREAM_FINISHED,
    STREAM_FORMATTING,
    STREAM_RUNNING,
    offsets,
    ring_capacity,
    ring_stride,
)

SAMPLE = struct.Struct("<QQII")
assert SAMPLE.size == SLOT.sizeof()
STREAM_AT = offsets(STREAM)
RING_AT = offsets(RING)


class RingWriter:
    """The producer of one ring."""

    def __init__(self, region, offset, capacity):
        self.region, self.offset, self.capacity = region, offset, capacity
        self.slots_at = offset + RING.sizeof()
        self.head = self.lost = 0

    def push(self, seq, time_ns, latency_ns, cpu):
        """Publish one sample, or count it lost if the ring is full; True if published."""
        if self.head - self.region.word(self.offset + RING_AT["tail"]) >= self.capacity:
            self.lost += 1
            self.region.set_word(self.offset + RING_AT["lost"], self.lost)
            return False
        SAMPLE.pack_into(self.region.map, self.slots_at + self.head % self.capacity * SAMPLE.size,
                         seq, time_ns, min(latency_ns, 0xFFFFFFFF), cpu)
        self.head += 1
        self.region.set_word(self.offset + RING_AT["head"], self.head)
        return True


def format_stream(region, layout, cpus, max_slots=0):
    """Lay out one ring per entry of ``cpus`` for a new run; returns their writers."""
    base, size = layout.samples
    capacity = ring_capacity(size, len(cpus), max_slots)
    stride = ring_stride(capacity)
    region.set_half(base + STREAM_AT["state"], STREAM_FORMATTING)
    writers = []
    for index, cpu in enumerate(cpus):
        offset = base + STREAM.sizeof() + index * stride
        region.bytes[offset:offset + RING.sizeof()] = RING.build(
            dict(head=0, lost=0, cpu=cpu, thread=index, tail=0))
        writers.append(RingWriter(region, offset, capacity))
    generation = (region.half(base + STREAM_AT["generation"]) + 1) & 0xFFFFFFFF or 1
    region.bytes[base:base + STREAM.sizeof()] = STREAM.build(dict(
        generation=generation, state=STREAM_FORMATTING, ring_count=len(cpus),
        ring_capacity=capacity, slot_size=SLOT.sizeof(), reserved=0, heartbeat=0))
    region.set_half(base + STREAM_AT["state"], STREAM_RUNNING)
    return writers


def beat(region, layout):
    """Count the stream's heartbeat up (the producer is alive)."""
    at = layout.samples[0] + STREAM_AT["heartbeat"]
    region.set_word(at, (region.word(at) + 1) & (2**64 - 1))


def finish_stream(region, layout):
    region.set_half(layout.samples[0] + STREAM_AT["state"], STREAM_FINISHED)
