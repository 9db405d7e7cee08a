"""The consumer end of the sample rings: the one reader of every ivshmem sample stream.

The host reads the core's rings through it (rtvirt.sample_reader gives numpy views), the root
cell's agent the ring of a bare-metal inmate (rtvirt_agent.cell.link). Whoever wrote the area
is treated as hostile: the stream header, every ring's position and every slot's sequence
number are checked before use, so a corrupted region raises ``PeerFault`` ("peer fault: …")
and never makes the reader touch memory outside the mapping. Slots are copied out of the
shared memory before they are checked. A new stream generation (the next run, or a producer
that re-formatted the area) starts over cleanly.
"""

import operator
import struct
import time
from dataclasses import dataclass
from itertools import islice

from rtvirt_agent.ivshmem.region import fault, generation_and_state, recheck_header
from rtvirt_agent.wire.errors import PeerFault, Unreachable
from rtvirt_agent.wire.ivshmem import (
    RING,
    SLOT,
    STREAM,
    STREAM_FINISHED,
    STREAM_RUNNING,
    offsets,
    ring_stride,
)

SAMPLE = struct.Struct("<QQII")  # seq, time_ns, latency_ns, cpu: one slot
assert SAMPLE.size == SLOT.sizeof()
SEQ_WORDS = SAMPLE.size // 8  # a slot's seq is every third u64 of a run of slots
STREAM_AT = offsets(STREAM)
RING_AT = offsets(RING)
MAX_RINGS = 4096
MAX_COUNTER = 1 << 62


@dataclass
class RingState:
    """What the reader knows of one ring (all of it private: the peer cannot move it)."""

    offset: int
    capacity: int
    cpu: int
    tail: int = 0
    received: int = 0
    next_seq: int = 0
    gaps: int = 0
    lost: int = 0


class SampleReader:
    """Reads the sample rings of one region; ``poll()`` returns the slots that arrived."""

    def __init__(self, region, layout, stale_s=5.0, skip_current=False):
        """``stale_s``: a running stream whose heartbeat stands still that long is
        Unreachable; ``skip_current``: ignore the run already in the area (wait for the
        next one)."""
        self.region, self.stale_s = region, stale_s
        self.base, self.size = layout.samples
        self.region_generation = layout.generation
        self.generation = None
        self.skipped = self._half(STREAM_AT["generation"]) if skip_current else None
        self.rings: list[RingState] = []
        self._beat = (None, time.monotonic())

    def _word(self, offset):
        return self.region.word(self.base + offset)

    def _half(self, offset):
        return self.region.half(self.base + offset)

    @property
    def state(self):
        return self._half(STREAM_AT["state"])

    def _attach(self, generation):
        """Check the stream header of a new generation and take over its rings."""
        count = self._half(STREAM_AT["ring_count"])
        capacity = self._half(STREAM_AT["ring_capacity"])
        slot_size = self._half(STREAM_AT["slot_size"])
        if slot_size != SLOT.sizeof() or not 1 <= count <= MAX_RINGS or capacity < 1 \
                or STREAM.sizeof() + count * ring_stride(capacity) > self.size:
            raise fault(f"sample stream declares {count} rings of {capacity} slots of "
                        f"{slot_size} bytes: that does not fit its {self.size}-byte area")
        stride = ring_stride(capacity)
        self.rings = []
        for index in range(count):
            offset = self.base + STREAM.sizeof() + index * stride
            cpu = self.region.half(offset + RING_AT["cpu"])
            # a run already under way is read on from where its last reader stopped
            tail = self.region.word(offset + RING_AT["tail"])
            self.rings.append(RingState(offset, capacity, cpu - (1 << 32) * (cpu >> 31), tail))
        self.generation = generation

    def _check_alive(self, state):
        now, beat = time.monotonic(), self._word(STREAM_AT["heartbeat"])
        if beat != self._beat[0] or state != STREAM_RUNNING:
            self._beat = (beat, now)
        elif now - self._beat[1] > self.stale_s:
            raise Unreachable(f"target stopped responding: the sample stream's heartbeat "
                              f"has not moved for {self.stale_s:g} s")

    def poll(self):
        """The slots published since the last poll, as bytes (``SAMPLE`` each, ring after
        ring).

        After a PeerFault the next poll starts over from the stream header, so the reader
        recovers as soon as the producer has formatted the area again.
        """
        try:
            return self._poll()
        except PeerFault:
            self.generation = self.region_generation = None
            raise

    def _follow_region(self):
        """A re-initialised region (new header generation) is checked again from scratch."""
        generation, _ = generation_and_state(self.region)
        if generation != self.region_generation:
            self.generation = self.region_generation = None
            layout = recheck_header(self.region)
            self.base, self.size = layout.samples
            self.region_generation = layout.generation

    def _poll(self):
        self._follow_region()
        generation, state = self._half(STREAM_AT["generation"]), self.state
        if state not in (STREAM_RUNNING, STREAM_FINISHED) or generation == self.skipped:
            return b""
        if generation != self.generation:
            self._attach(generation)
        self._check_alive(state)
        try:
            chunks = [self._drain(ring) for ring in self.rings]
        except PeerFault:
            if not self._reformatted(generation):
                raise
            chunks = []
        if self._reformatted(generation):
            return b""  # re-formatted while we read: those are void
        return b"".join(chunks)

    def _reformatted(self, generation):
        """Whether the producer started formatting the area since ``generation``."""
        return self._half(STREAM_AT["generation"]) != generation \
            or self.state not in (STREAM_RUNNING, STREAM_FINISHED) \
            or generation_and_state(self.region)[0] != self.region_generation

    def _drain(self, ring):
        head = self.region.word(ring.offset + RING_AT["head"])
        if not 0 <= head - ring.tail <= ring.capacity or head >= MAX_COUNTER:
            raise fault(f"ring at offset {ring.offset}: head {head} does not fit tail "
                        f"{ring.tail} and capacity {ring.capacity}")
        count = head - ring.tail
        ring.lost = self.region.word(ring.offset + RING_AT["lost"])
        if not count:
            return b""
        slots = self._copy_slots(ring, ring.tail % ring.capacity, count)
        seq = memoryview(slots).cast("Q")[::SEQ_WORDS].tolist()
        if seq[0] < ring.next_seq or not all(map(operator.lt, seq, islice(seq, 1, None))) \
                or seq[-1] >= MAX_COUNTER:
            raise fault(f"ring at offset {ring.offset}: sequence numbers out of order "
                        f"(expected at least {ring.next_seq}, got {seq[0]}…{seq[-1]})")
        ring.gaps += seq[-1] + 1 - ring.next_seq - count
        ring.next_seq = seq[-1] + 1
        ring.tail = head
        ring.received += count
        self.region.set_word(ring.offset + RING_AT["tail"], head)
        return slots

    def _copy_slots(self, ring, start, count):
        """``count`` slots from slot ``start`` on, wrapping: a private copy the peer cannot
        change any more."""
        slots_at = ring.offset + RING.sizeof()
        first = min(count, ring.capacity - start)
        copy = self.region.map[slots_at + start * SAMPLE.size:
                               slots_at + (start + first) * SAMPLE.size]
        if count > first:
            copy += self.region.map[slots_at:slots_at + (count - first) * SAMPLE.size]
        return copy

    def counters(self):
        """Per ring: cpu, samples received, samples lost (the producer's count), gaps seen."""
        return [dict(cpu=r.cpu, received=r.received, lost=r.lost, gaps=r.gaps) for r in self.rings]

    def lost(self):
        """Samples the producer dropped on full rings, all rings together."""
        return sum(ring.lost for ring in self.rings)

    def drained(self):
        """True once the producer finished and every published sample was read."""
        return self.generation is not None and self.state == STREAM_FINISHED and all(
            self.region.word(r.offset + RING_AT["head"]) == r.tail for r in self.rings)
