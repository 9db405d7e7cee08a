"""The request and response mailboxes: byte rings carrying the serial protocol's frames.

Each mailbox is a single-producer/single-consumer byte ring (free-running 64-bit head and
tail counters, data after the control block). The link above (COBS frames with CRC-32,
sequence numbers, retransmission) runs unchanged on top, so a frame torn or forged by the peer
is dropped and sent again like a frame damaged on a serial line. The counters are
bounds-checked on every access; each side keeps its own counter privately and only publishes
it, so a peer can never move it.
"""

import logging
import threading
import time

from rtvirt_agent.streams import Stream
from rtvirt_agent.wire.errors import PeerFault, Unreachable
from rtvirt_agent.wire.ivshmem import MAILBOX, STATE_READY, offsets

from . import region as regions

log = logging.getLogger(__name__)
BOX = offsets(MAILBOX)
POLL_MIN_S = 0.0002
POLL_MAX_S = 0.005
STALE_AFTER_S = 5.0
MAX_COUNTER = 1 << 62


class ByteRing:
    """One end of one mailbox: ``producer`` writes bytes, the other end reads them."""

    def __init__(self, region, block, producer, adopt=False):
        offset, size = block
        self.region, self.producer = region, producer
        self.head_at, self.tail_at = offset + BOX["head"], offset + BOX["tail"]
        self.data_at, self.capacity = offset + MAILBOX.sizeof(), size - MAILBOX.sizeof()
        # A fresh region starts at 0; attaching to a running one (host) continues after its
        # head: the request mailbox is appended to, stale responses are skipped.
        self.position = region.word(self.head_at) if adopt else 0
        region.set_word(self.head_at if producer else self.tail_at, self.position)

    def _peer(self):
        """The peer's counter, checked: fill level between 0 and the capacity."""
        if self.producer:
            head, tail = self.position, self.region.word(self.tail_at)
        else:
            head, tail = self.region.word(self.head_at), self.position
        if not 0 <= head - tail <= self.capacity or head >= MAX_COUNTER:
            raise regions.fault(f"mailbox at {self.head_at}: head {head} and tail {tail} "
                                f"do not fit a ring of {self.capacity} bytes")
        return head - tail

    def read(self, max_bytes):
        pending = min(self._peer(), max_bytes)
        if not pending:
            return b""
        data = self._copy_out(self.position % self.capacity, pending)
        self.position += pending
        self.region.set_word(self.tail_at, self.position)
        return data

    def write(self, data):
        """Write as much of ``data`` as fits; returns the count written."""
        count = min(self.capacity - self._peer(), len(data))
        start = self.position % self.capacity
        first = min(count, self.capacity - start)
        view = self.region.bytes
        view[self.data_at + start:self.data_at + start + first] = data[:first]
        view[self.data_at:self.data_at + count - first] = data[first:count]
        self.position += count
        self.region.set_word(self.head_at, self.position)
        return count

    def _copy_out(self, start, count):
        first = min(count, self.capacity - start)
        view = self.region.bytes
        return bytes(view[self.data_at + start:self.data_at + start + first]) + \
            bytes(view[self.data_at:self.data_at + count - first])


class ShmStream(Stream):
    """A ``Stream`` over the two mailboxes. ``role`` "target" serves, "host" connects.

    The host also watches the header: a new generation (the target re-initialised the
    region) re-attaches the mailboxes; a heartbeat unchanged for ``stale_s`` ends the stream
    with ``fault`` set to Unreachable("target stopped responding …"); a bounds violation ends
    it with ``fault`` set to the PeerFault. ``fault`` is what the caller reports.
    """

    def __init__(self, region, role, stale_s=STALE_AFTER_S):
        self.region, self.role, self.stale_s = region, role, stale_s
        self.fault = None
        self._closed = False
        self._lock = threading.Lock()
        self._beat = (regions.heartbeat(region), time.monotonic())
        self._attach(regions.check_header(region))

    def _attach(self, layout):
        host = self.role == "host"
        self.layout = layout
        self._rx = ByteRing(self.region, layout.response if host else layout.request,
                            producer=False, adopt=host)
        self._tx = ByteRing(self.region, layout.request if host else layout.response,
                            producer=True, adopt=host)

    def _check_peer(self):
        """Host: follow re-initialisations, notice a stopped target; raise EOFError."""
        if self.fault is not None or self._closed:
            raise EOFError(str(self.fault or "stream closed"))
        if self.role != "host":
            return
        try:
            now, beat = time.monotonic(), regions.heartbeat(self.region)
            if beat != self._beat[0]:
                self._beat = (beat, now)
            elif now - self._beat[1] > self.stale_s:
                raise Unreachable(f"target stopped responding: the heartbeat in "
                                  f"{self.region.path} has not moved for {self.stale_s:g} s")
            generation, state = regions.generation_and_state(self.region)
            if generation != self.layout.generation and state == STATE_READY:
                self._attach(regions.recheck_header(self.region))
        except Exception as error:
            self.fault = error
            raise EOFError(str(error)) from None

    def _reinitialising(self):
        """Whether the target is re-initialising the region (counters may be torn)."""
        generation, state = regions.generation_and_state(self.region)
        return state != STATE_READY or generation != self.layout.generation

    def _guarded(self, action, data, nothing):
        """``action(data)``; ``nothing`` while the target re-initialises; EOFError on a fault."""
        try:
            return action(data)
        except PeerFault as error:
            if self._reinitialising():
                return nothing
            self.fault = error
        except Exception as error:
            self.fault = error
        if self.role == "target":  # the host reports its own; the agent's log says why it ends
            log.error("ivshmem region %s: %s", self.region.path, self.fault)
        raise EOFError(str(self.fault))

    def read(self, max_bytes, timeout):
        deadline, pause = time.monotonic() + timeout, POLL_MIN_S
        while True:
            with self._lock:
                self._check_peer()
                data = self._guarded(self._rx.read, max_bytes, b"")
            if data or time.monotonic() >= deadline:
                return data
            time.sleep(pause)
            pause = min(pause * 2, POLL_MAX_S)

    def write(self, data):
        view, pause = memoryview(data), POLL_MIN_S
        while view:
            with self._lock:
                self._check_peer()
                written = self._guarded(self._tx.write, view, 0)
            view = view[written:]
            if view and not written:
                time.sleep(pause)
                pause = min(pause * 2, POLL_MAX_S)

    def close(self):
        self._closed = True
