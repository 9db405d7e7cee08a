"""The link layer: session handshake, selective-repeat ARQ and message delivery.

A ``Link`` owns a stream and two threads: the reader decodes frames and updates the windows,
the writer sends whatever is due (control frames, HELLO, data, acknowledgements, keepalives).
The reader never writes, so two peers can never block each other on full pipes.
Messages and session resets reach the layer above through callbacks, in order.
"""

import logging
import secrets
import threading
import time
from collections import deque

from rtvirt_agent.protocol.handshake import SessionHandshake
from rtvirt_agent.protocol.window import MIN_FRAGMENT, ReceiveWindow, SendWindow
from rtvirt_agent.wire.errors import Unreachable
from rtvirt_agent.wire.frame import (
    BYE_VERSION,
    FEC_VERSION,
    MAX_PAYLOAD,
    SUPPORTED_VERSIONS,
    Frame,
    FrameDecoder,
    encode_frame,
)

log = logging.getLogger(__name__)

DEFAULT_WINDOW = 256
DEFAULT_FRAME_SIZE = 4096
MAX_WINDOW = 1024
HELLO_INTERVAL = 0.5
KEEPALIVE_INTERVAL = 1.0
BYE_WAIT = 1.0
"""Seconds ``close`` waits for its BYE to be written."""
READ_SIZE = 65536
READ_TIMEOUT = 0.05
STAT_KEYS = ("frames_sent", "bytes_sent", "bytes_received", "frames_received", "crc_errors",
             "bad_frames", "noise_bytes", "frames_recovered", "retransmissions", "timeouts",
             "frames_acked", "duplicates", "out_of_window", "oversized_messages", "foreign_frames",
             "other_version", "resets_sent", "peer_resets", "handshakes")


class Link(SessionHandshake):
    """One end of a link; ``role`` is "host" (starts the handshake) or "agent" (answers it).

    ``on_message(data, epoch)`` receives each complete message; ``on_reset(epoch)`` is called
    when a new session starts (agent: a host said HELLO; host: a (re)handshake completed).
    ``epoch`` counts sessions, so the layer above can tell stale requests from current ones.
    """

    def __init__(self, stream, *, on_message, on_reset=None, role="host",
                 window=DEFAULT_WINDOW, frame_size=DEFAULT_FRAME_SIZE, idle_reset=120.0,
                 versions=SUPPORTED_VERSIONS):
        if role not in ("host", "agent"):
            raise ValueError(f"role must be host or agent, not {role!r}")
        if not (2 <= window <= MAX_WINDOW and MIN_FRAGMENT <= frame_size <= MAX_PAYLOAD):
            raise ValueError(f"window {window} or frame size {frame_size} out of range")
        self.stream, self.role, self.idle_reset = stream, role, idle_reset
        self.on_message, self.on_reset = on_message, on_reset
        self.offer = (window, frame_size)
        self.versions = tuple(versions)
        self.version = max(self.versions)
        """Protocol version of the current session (the host falls back to an older agent's)."""
        self.session = secrets.randbits(32) or 1
        self.peer_session = None
        self.epoch = 0
        self.keepalive = False
        """Set by the host while it waits for answers: probe a silent line every second."""
        self.stats = dict.fromkeys(STAT_KEYS, 0)
        self.last_rx = time.monotonic()
        self.eof = False
        self._decoder = FrameDecoder(self.stats)
        self._cond = threading.Condition()
        self._deliver_lock = threading.Lock()
        self._control = deque()
        self._events = []
        self._closed = False
        self._done = threading.Event()
        self._connected = threading.Event()
        self._bye_written = threading.Event()
        self.goodbye = threading.Event()
        """Agent: set when the host ended its session with BYE."""
        self._failure = None
        self._hello_due = None
        self._last_ping = self._last_reset_sent = 0.0
        self._threads = []
        self._new_session(window, frame_size)

    def _new_session(self, window: int, frame_size: int) -> None:
        self.window, self.frame_size = window, frame_size
        self._tx = SendWindow(window, frame_size, self.stats)
        self._rx = ReceiveWindow(window, self.stats)
        self._ack_pending = False
        self.epoch += 1

    @property
    def fragment(self) -> int:
        """Payload size the send window currently cuts messages into."""
        return self._tx.fragment

    def start(self) -> None:
        for name, target in (("reader", self._read_loop), ("writer", self._write_loop)):
            thread = threading.Thread(target=target, name=f"link-{self.role}-{name}",
                                      daemon=True)
            thread.start()
            self._threads.append(thread)

    def handshake(self, timeout: float) -> int:
        """Host: open a session (HELLO / HELLO_ACK); return the peer's session id."""
        with self._cond:
            if self.eof:  # the stream ended before the handshake began (an agent that exited)
                raise self._stream_ended()
            self._begin_connect()
            self._cond.notify_all()
        if not self._connected.wait(timeout):
            raise Unreachable(self.describe_silence(timeout))
        if self._failure is not None:
            raise self._failure
        return self.peer_session

    def describe_silence(self, seconds: float) -> str:
        """Why the peer may not have answered for ``seconds``, from what the line carried."""
        received = self.stats["bytes_received"]
        if self.stats["frames_received"] == 0 and received:
            return (f"no rtvirt frame in {seconds:g} s but {received} other bytes arrived: "
                    "wrong baud rate, or a console/getty rather than rtvirt-agent on this port")
        return (f"no answer from the agent for {seconds:g} s: is rtvirt-agent running on the "
                "target, is the cable connected, is the baud rate right?")

    def send(self, data: bytes) -> int:
        """Queue one message; return the session epoch it belongs to."""
        with self._cond:
            if self._closed:
                raise Unreachable("the link to the agent is closed")
            self._tx.push(data)
            self._cond.notify_all()
            return self.epoch

    def wait_closed(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def close(self) -> None:
        self._say_goodbye()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=2.0)
        self.stream.close()
        self._done.set()

    def _say_goodbye(self) -> None:
        """Host: tell the agent the session is over (an on-demand agent then exits)."""
        with self._cond:
            if (self.role != "host" or self._closed or self.peer_session is None
                    or self.version < BYE_VERSION):
                return
            self._control.append(self._frame("BYE"))
            self._cond.notify_all()
        self._bye_written.wait(BYE_WAIT)

    def _begin_connect(self) -> None:
        self._connected.clear()
        self._failure = None
        self.peer_session = None
        self.version = max(self.versions)
        self._new_session(*self.offer)
        self._hello_due = 0.0

    def _stream_ended(self) -> Exception:
        """Why the stream ended: its own word (ivshmem: PeerFault, target stopped) or EOF."""
        return getattr(self.stream, "fault", None) or \
            Unreachable("the line to the agent closed (end of file)")

    def _end_of_stream(self) -> None:
        with self._cond:
            self.eof = self._closed = True
            if not self._connected.is_set():
                self._failure = self._stream_ended()
                self._connected.set()
            self._cond.notify_all()
        self._done.set()

    def _read_loop(self) -> None:
        while not self._closed:
            try:
                data = self.stream.read(READ_SIZE, READ_TIMEOUT)
            except (EOFError, OSError):
                self._end_of_stream()
                return
            self.stats["bytes_received"] += len(data)
            frames = self._decoder.feed(data) if data else []
            if frames:
                with self._cond:
                    for frame in frames:
                        self._handle(frame, time.monotonic())
                    self._cond.notify_all()
            if self._events:
                self._deliver()

    def _deliver(self) -> None:
        """Run queued callbacks in order, outside the state lock, one thread at a time."""
        with self._deliver_lock:
            with self._cond:
                events, self._events = self._events, []
            for kind, payload, epoch in events:
                try:
                    if kind == "message":
                        self.on_message(payload, epoch)
                    elif self.on_reset is not None:
                        self.on_reset(epoch)
                except Exception:
                    log.exception("link %s callback failed", kind)

    def _handle(self, frame: Frame, now: float) -> None:
        if frame.type == "HELLO":
            self._on_hello(frame, now)
        elif frame.type == "HELLO_ACK":
            self._on_hello_ack(frame, now)
        elif frame.session != self.peer_session or frame.type == "RESET":
            self._on_foreign(frame, now)
        elif frame.version != self.version:
            self.stats["other_version"] += 1  # dropped, as a peer that does not speak it would
        elif frame.type == "BYE":
            self._drop_peer("said goodbye")
            self.goodbye.set()
        else:
            self.last_rx = now
            if frame.type == "DATA":
                for message in self._rx.on_data(frame.seq, frame.flags, frame.offset,
                                                 frame.payload):
                    self._events.append(("message", message, self.epoch))
            self._ack_pending = self._ack_pending or frame.type in ("DATA", "PING")
            if frame.type == "PING":
                self._tx.on_probe(now)
            if frame.type == "ACK":
                self._tx.on_ack(frame.ack, frame.payload, now, echo_wire=frame.seq)
            else:
                self._tx.on_ack(frame.ack, b"", now)

    def _write_loop(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        return
                    frames, wait = self._next_frames(time.monotonic())
                    if frames:
                        protect = self.version >= FEC_VERSION and self._tx.protect
                        break
                    self._cond.wait(1.0 if wait is None else min(wait, 1.0))
            wire = b"".join(encode_frame(frame, protect and frame.type == "DATA")
                            for frame in frames)
            try:
                self.stream.write(wire)
            except (EOFError, OSError):
                self._end_of_stream()
                return
            self.stats["frames_sent"] += len(frames)
            self.stats["bytes_sent"] += len(wire)
            if frames[-1].type == "BYE":
                self._bye_written.set()

    def _next_frames(self, now: float):
        """(frames to send now, None) or ([], seconds until something falls due)."""
        if self._control:
            return [self._control.popleft()], None
        if self._hello_due is not None:
            if now < self._hello_due:
                return [], self._hello_due - now
            self._hello_due = now + HELLO_INTERVAL
            return [self._hello("HELLO", *self.offer, peer_session=0)], None
        if self.peer_session is None:
            return [], None
        tx = self._tx
        if tx.deadline is not None and now >= tx.deadline:
            tx.on_timeout(now)
        if self.role == "agent" and tx.busy and now - self.last_rx > self.idle_reset:
            self._drop_peer(f"silent for {self.idle_reset:.0f} s with data unacknowledged")
            return [], None
        ack, sack = self._rx.ack_fields()
        parts = tx.take(now)
        if parts:
            self._ack_pending = self._ack_pending and self._rx.has_holes
            return [self._frame("DATA", seq=seq, ack=ack, flags=flags, offset=offset,
                                payload=data) for seq, flags, offset, data in parts], None
        if self._ack_pending:
            self._ack_pending = False
            return [self._frame("ACK", seq=self._rx.last_seq, ack=ack,
                          payload=sack)], None
        ping_due = max(self.last_rx, self._last_ping) + KEEPALIVE_INTERVAL
        if self.keepalive and now >= ping_due:
            self._last_ping = now
            return [self._frame("PING", ack=ack)], None
        waits = [tx.deadline - now if tx.deadline is not None else None,
                 ping_due - now if self.keepalive else None]
        return [], min((w for w in waits if w is not None), default=None)

    def _drop_peer(self, why: str) -> None:
        """Agent: forget the host's session (it said BYE, or stayed silent too long)."""
        log.info("host %08x %s: dropping its session", self.peer_session, why)
        self.peer_session = None
        self._new_session(*self.offer)
        self._events.append(("reset", None, self.epoch))
