"""Selective-repeat ARQ state: the send window and the receive window of one link session.

Pure state machines without threads or clocks of their own (``now`` is passed in), so the
link drives them and tests can exercise them directly.

A frame keeps its sequence number and data until acknowledged, but a retransmission may carry
it in several parts (each with its own CRC) when the line has become too noisy for the
frame's original size; the receiver joins the parts by their offsets.

Loss detection relies on the serial line being FIFO: every transmission gets an order number,
and once the peer acknowledges a frame first sent at order N, every unacknowledged frame whose
last transmission came before N was lost and is sent again at once. The retransmission timer
only covers the tail (nothing later got through) and lost acknowledgements.
"""

from collections import deque

from rtvirt_agent.wire.frame import FLAG_END, FLAG_MORE

SEQ_MODULUS = 0x10000
MIN_FRAGMENT = 64
MIN_RTO = 0.1
MAX_RTO = 5.0
INITIAL_RTO = 1.0
INITIAL_FRAGMENT = MIN_FRAGMENT
GROWTH_STREAK = 4
MAX_PARTS = 2 * (4096 // MIN_FRAGMENT)
"""Distinct parts kept for one incomplete frame (bounds what a broken peer can make us hold)."""
MAX_PART_BYTES = 2 * 4096
"""Bytes kept for one incomplete frame: its parts, split at two sizes at most, hold twice the
largest payload; a peer sending overlapping parts gets no more than that."""
TIMEOUT_BURST = 4
"""Frames resent when the retransmission timer fires."""
MAX_MESSAGE = 16 << 20
"""Longest message either end accepts. The largest legitimate one is a result record in a
"results.get" reply: 256 threads, each with 10,000 non-empty 1 µs classes (3 bytes each) and
1,024 overflow samples (24 bytes each), are 14 MiB."""
PROTECT_HOLD = 64
"""Transmissions over which losses are counted for FEC (when the session's version allows it)."""
PROTECT_LOSSES = 2
"""Losses within PROTECT_HOLD transmissions that turn FEC parity on (one lost frame — a
console line that could not be cut out — is no reason to pay for parity)."""
MAX_IN_FLIGHT = 32 << 10
"""Bytes of unacknowledged data a sender allows, whatever the window in frames."""


def unwrap(wire_seq: int, near: int) -> int:
    """Full sequence number closest to ``near`` whose low 16 bits are ``wire_seq``."""
    diff = (wire_seq - near) % SEQ_MODULUS
    if diff >= SEQ_MODULUS // 2:
        diff -= SEQ_MODULUS
    return near + diff


class _Outgoing:
    __slots__ = ("seq", "flags", "payload", "first_order", "last_order", "last_sent", "sends")

    def __init__(self, seq, flags, payload):
        self.seq, self.flags, self.payload = seq, flags, payload
        self.first_order = self.last_order = 0
        self.last_sent = 0.0
        self.sends = 0


class SendWindow:
    """Fragments queued messages into DATA frames and keeps them until acknowledged.

    The fragment size adapts to the line: it starts at INITIAL_FRAGMENT, is halved when a
    frame is lost and doubled after ``GROWTH_STREAK`` frames acknowledged at the first try,
    within [MIN_FRAGMENT, frame_size]. Frames already sent keep their size, so starting small
    keeps a noisy line from filling the window with frames too long to ever get through: a
    retransmission splits them into parts, and without knowing which parts the receiver holds
    it resends them all (bench serial at 1 % corruption: 0.13-0.15 of the line rate starting
    at 512 bytes, 0.22-0.24 starting at 64; a clean line reaches 4096 after 24 frames).
    """

    def __init__(self, window: int, frame_size: int, stats: dict):
        self.window, self.frame_size, self.stats = window, frame_size, stats
        self.fragment = min(frame_size, INITIAL_FRAGMENT)
        self._queue = deque()
        self._offset = 0
        self._unacked: dict[int, _Outgoing] = {}
        self._in_flight = 0
        self._lost: set[int] = set()
        self._next_seq = 0
        self._order = 0
        self._streak = 0
        self._ramp = GROWTH_STREAK
        """Frames that may be unacknowledged at once: one more per frame acknowledged at the
        first try, so a new link does not fill the window with frames of the first, smallest
        fragment size before the line has shown it takes bigger ones (256 frames of 64 bytes
        cost a clean line 3 % of a 256 KiB transfer in headers)."""
        self._loss_orders = deque(maxlen=PROTECT_LOSSES)
        self.srtt = self.rttvar = None
        self.rto = INITIAL_RTO
        self._backoff = 1
        self.deadline = None
        """When the retransmission timer fires (monotonic seconds), None when idle."""

    @property
    def protect(self) -> bool:
        """Whether frames sent now should carry FEC parity: the line lost a frame recently.

        A clean line or one whose only noise is console text (cut out by the receiver) never
        pays for parity; a line that corrupts bytes keeps it on.
        """
        return (len(self._loss_orders) == PROTECT_LOSSES
                and self._order - self._loss_orders[0] < PROTECT_HOLD)

    @property
    def busy(self) -> bool:
        return bool(self._queue or self._unacked)

    def push(self, message: bytes) -> None:
        self._queue.append(memoryview(message))

    def take(self, now: float) -> list[tuple[int, int, int, bytes]]:
        """Parts (seq, flags, offset, data) to transmit: a lost frame first, then new data."""
        while self._lost:
            seq = min(self._lost)
            self._lost.discard(seq)
            outgoing = self._unacked.get(seq)
            if outgoing is not None:
                self.stats["retransmissions"] += 1
                return self._transmit(outgoing, now)
        base = min(self._unacked, default=self._next_seq)
        if (not self._queue or self._next_seq - base >= self.window
                or len(self._unacked) >= self._ramp
                or self._in_flight + self.fragment > MAX_IN_FLIGHT):
            return []
        head = self._queue[0]
        payload = bytes(head[self._offset:self._offset + self.fragment])
        self._offset += len(payload)
        flags = FLAG_MORE
        if self._offset >= len(head):
            self._queue.popleft()
            self._offset = 0
            flags = 0
        outgoing = _Outgoing(self._next_seq, flags, payload)
        self._in_flight += len(payload)
        self._next_seq += 1
        self._unacked[outgoing.seq] = outgoing
        return self._transmit(outgoing, now)

    def _transmit(self, outgoing: _Outgoing, now: float):
        self._order += 1
        if not outgoing.sends:
            outgoing.first_order = self._order
        outgoing.last_order = self._order
        outgoing.last_sent = now
        outgoing.sends += 1
        if self.deadline is None:
            self.deadline = now + self.rto * self._backoff
        payload, step = outgoing.payload, max(1, self.fragment)
        parts = []
        for offset in range(0, max(1, len(payload)), step):
            data = payload[offset:offset + step]
            end = FLAG_END if offset + step >= len(payload) else 0
            parts.append((outgoing.seq, outgoing.flags | end, offset, data))
        return parts

    def on_ack(self, ack_wire: int, sack: bytes, now: float, echo_wire: int | None = None):
        """Apply a cumulative acknowledgement and a selective-ack bitmap from the peer.

        ``echo_wire`` is the sequence number of the last DATA part the peer received (ACK
        frames carry it): everything unacknowledged whose last transmission came before that
        part's was lost.
        """
        base = min(self._unacked, default=self._next_seq)
        cumulative = unwrap(ack_wire, base)
        if not base <= cumulative <= self._next_seq:
            return
        acked = [seq for seq in self._unacked if seq < cumulative]
        for index in range(len(sack) * 8):
            if sack[index // 8] >> (index % 8) & 1 and cumulative + 1 + index in self._unacked:
                acked.append(cumulative + 1 + index)
        orders = [self._unacked[seq].first_order for seq in acked]
        echoed = None if echo_wire is None else self._unacked.get(unwrap(echo_wire, base))
        if echoed is not None:
            orders.append(echoed.last_order)
        if not orders:
            return
        for seq in acked:
            self._acknowledged(self._unacked.pop(seq), now)
        newest_order = max(orders)
        lost = [o.seq for o in self._unacked.values() if o.last_order < newest_order]
        if lost and not self._lost.issuperset(lost):
            self._shrink()
        self._lost.update(lost)
        if acked:
            self._backoff = 1
            self.deadline = now + self.rto if self._unacked else None

    def _acknowledged(self, outgoing: _Outgoing, now: float) -> None:
        self.stats["frames_acked"] += 1
        self._in_flight -= len(outgoing.payload)
        if outgoing.sends != 1:
            return
        self._sample_rtt(now - outgoing.last_sent)
        self._ramp = min(self.window, self._ramp + 1)
        self._streak += 1
        if self._streak >= GROWTH_STREAK:
            self._streak = 0
            self.fragment = min(self.frame_size, self.fragment * 2)

    def _shrink(self) -> None:
        self._loss_orders.append(self._order)
        self._streak = 0
        self.fragment = max(MIN_FRAGMENT, self.fragment // 2)

    def _sample_rtt(self, sample: float) -> None:
        if self.srtt is None:
            self.srtt, self.rttvar = sample, sample / 2
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - sample)
            self.srtt = 0.875 * self.srtt + 0.125 * sample
        self.rto = min(MAX_RTO, max(MIN_RTO, self.srtt + 4 * self.rttvar))

    def on_timeout(self, now: float) -> None:
        """Nothing acknowledged for a whole RTO: resend the oldest frames (a lost tail of a few
        frames is the usual cause; resending a whole window would cost seconds of line time if
        the timeout was spurious), then back the timer off in case the peer is gone."""
        if not self._unacked:
            self.deadline = None
            return
        self.stats["timeouts"] += 1
        self._lost.update(sorted(self._unacked)[:TIMEOUT_BURST])
        self._shrink()
        self._backoff = min(self._backoff * 2, 8)
        self.deadline = now + min(MAX_RTO, self.rto * self._backoff)

    def on_probe(self, now: float) -> None:
        """The peer is talking again: a backed-off retransmission timer fires soon."""
        if self._unacked and self._backoff > 1:
            self.deadline = min(self.deadline, now + self.rto)


class ReceiveWindow:
    """Buffers out-of-order frames, drops duplicates and reassembles messages in order."""

    def __init__(self, window: int, stats: dict):
        self.window, self.stats = window, stats
        self.expected = 0
        self.last_seq = 0
        """Wire sequence number of the last DATA part received (echoed in ACK frames)."""
        self._buffer: dict[int, tuple[int, bytes]] = {}
        self._parts: dict[int, dict[int, tuple[int, bytes]]] = {}
        self._message = bytearray()
        self._oversized = False

    @property
    def has_holes(self) -> bool:
        return bool(self._buffer)

    @property
    def held_bytes(self) -> int:
        """Bytes held for messages not yet complete: at most MAX_MESSAGE plus, per sequence
        number in the window, one frame (MAX_PART_BYTES)."""
        return (len(self._message) + sum(len(data) for _, data in self._buffer.values())
                + sum(len(data) for parts in self._parts.values() for _, data in parts.values()))

    def on_data(self, seq_wire: int, flags: int, offset: int, payload: bytes) -> list[bytes]:
        """Accept one DATA frame or part; return the messages it completes, in order."""
        seq = unwrap(seq_wire, self.expected)
        self.last_seq = seq_wire
        if seq < self.expected or seq in self._buffer:
            self.stats["duplicates"] += 1
            return []
        if seq >= self.expected + self.window:
            self.stats["out_of_window"] += 1
            return []
        if offset or not flags & FLAG_END:
            parts = self._parts.setdefault(seq, {})
            held = sum(len(data) for o, (_, data) in parts.items() if o != offset)
            if (len(parts) >= MAX_PARTS and offset not in parts) or \
                    held + len(payload) > MAX_PART_BYTES:
                self.stats["out_of_window"] += 1
                return []
            parts[offset] = (flags, payload)
            flags, payload = _join(parts)
            if payload is None:
                return []
            del self._parts[seq]
        self._buffer[seq] = (flags, payload)
        messages = []
        while self.expected in self._buffer:
            flags, payload = self._buffer.pop(self.expected)
            self.expected += 1
            self._parts.pop(self.expected - 1, None)
            message = self._append(flags, payload)
            if message is not None:
                messages.append(message)
        return messages

    def _append(self, flags: int, payload: bytes) -> bytes | None:
        if len(self._message) + len(payload) > MAX_MESSAGE:
            self._oversized = True
            self._message.clear()
        else:
            self._message += payload
        if flags & FLAG_MORE:
            return None
        message, oversized = bytes(self._message), self._oversized
        self._message.clear()
        self._oversized = False
        if oversized:
            self.stats["oversized_messages"] += 1
            return None
        return message

    def ack_fields(self) -> tuple[int, bytes]:
        """(cumulative ack, selective-ack bitmap without trailing zero bytes)."""
        bitmap = bytearray((max(self._buffer, default=self.expected) - self.expected + 7) // 8)
        for seq in self._buffer:
            index = seq - self.expected - 1
            bitmap[index // 8] |= 1 << (index % 8)
        return self.expected % SEQ_MODULUS, bytes(bitmap)


def _join(parts: dict[int, tuple[int, bytes]]) -> tuple[int, bytes | None]:
    """Chain parts from offset 0 to one flagged END: (flags, data) or (0, None) if incomplete."""
    chunks, position = [], 0
    while position in parts:
        flags, data = parts[position]
        chunks.append(data)
        if flags & FLAG_END:
            return flags & ~FLAG_END, b"".join(chunks)
        if not data:
            break
        position += len(data)
    return 0, None
