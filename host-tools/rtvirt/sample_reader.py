"""Host end of the ivshmem sample rings: every sample, checked, as numpy arrays.

The target is treated as hostile: the stream header, every ring's position and every slot's
sequence number are checked before use, so a corrupted region raises ``PeerFault``
("peer fault: …") and never makes the reader touch memory outside the mapping. A new stream
generation (the next run, or a target that re-formatted the area) starts over cleanly.
"""

import time
from dataclasses import dataclass

import numpy as np
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

SAMPLE_DTYPE = np.dtype([("seq", "<u8"), ("time_ns", "<u8"), ("latency_ns", "<u4"),
                         ("cpu", "<u4")])
assert SAMPLE_DTYPE.itemsize == SLOT.sizeof()
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
    """Reads the sample rings of one region; ``poll()`` returns the samples that arrived."""

    def __init__(self, region, layout, stale_s=5.0, skip_current=False):
        """``skip_current``: ignore the run already in the area (wait for the next one)."""
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
        """The samples published since the last poll (a structured array, SAMPLE_DTYPE).

        After a PeerFault the next poll starts over from the stream header, so the reader
        recovers as soon as the target has formatted the area again.
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
            return np.empty(0, SAMPLE_DTYPE)
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
            return np.empty(0, SAMPLE_DTYPE)  # re-formatted while we read: those are void
        return np.concatenate(chunks) if chunks else np.empty(0, SAMPLE_DTYPE)

    def _reformatted(self, generation):
        """Whether the core (or the agent) started formatting the area since ``generation``."""
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
            return np.empty(0, SAMPLE_DTYPE)
        start = ring.tail % ring.capacity
        first = min(count, ring.capacity - start)
        slots_at = ring.offset + RING.sizeof()
        parts = [np.frombuffer(self.region.map, SAMPLE_DTYPE, first,
                               slots_at + start * SAMPLE_DTYPE.itemsize)]
        if count > first:
            parts.append(np.frombuffer(self.region.map, SAMPLE_DTYPE, count - first, slots_at))
        samples = np.concatenate(parts)  # a private copy: the peer cannot change it now
        seq = samples["seq"]
        if seq[0] < ring.next_seq or (count > 1 and not np.all(seq[1:] > seq[:-1])) \
                or int(seq[-1]) >= MAX_COUNTER:
            raise fault(f"ring at offset {ring.offset}: sequence numbers out of order "
                        f"(expected at least {ring.next_seq}, got {int(seq[0])}…"
                        f"{int(seq[-1])})")
        ring.gaps += int(seq[-1]) + 1 - ring.next_seq - count
        ring.next_seq = int(seq[-1]) + 1
        ring.tail = head
        ring.received += count
        self.region.set_word(ring.offset + RING_AT["tail"], head)
        return samples

    def counters(self):
        """Per ring: cpu, samples received, samples lost (the producer's count), gaps seen."""
        return [dict(cpu=r.cpu, received=r.received, lost=r.lost, gaps=r.gaps) for r in self.rings]

    def drained(self):
        """True once the producer finished and every published sample was read."""
        return self.generation is not None and self.state == STREAM_FINISHED and all(
            self.region.word(r.offset + RING_AT["head"]) == r.tail for r in self.rings)
