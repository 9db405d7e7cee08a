"""Session control of a link: HELLO / HELLO_ACK with version and size negotiation, RESET for
frames of sessions a side does not know (docs/protocol.md, section 2).

A mix-in of ``Link``: it reads and sets the link's session state (``role``, ``session``,
``peer_session``, ``version``, ``versions``, ``offer``, the windows, the control queue and
the event list) under the link's lock, which the reader thread holds when it calls these.
"""

import logging

from construct import ConstructError

from rtvirt_agent.protocol.window import MIN_FRAGMENT
from rtvirt_agent.wire.errors import VersionMismatch
from rtvirt_agent.wire.frame import HELLO_PAYLOAD, Frame

log = logging.getLogger(__name__)

RESET_INTERVAL = 0.5
"""Seconds between RESETs the agent sends to a host it does not know."""


class SessionHandshake:
    """HELLO, HELLO_ACK, version fallback and RESET handling for ``Link``."""

    def _parse_hello(self, frame: Frame):
        try:
            return HELLO_PAYLOAD.parse(frame.payload)
        except ConstructError:
            self.stats["bad_frames"] += 1
            return None

    def _negotiate(self, hello) -> tuple[int, int]:
        """Window and frame size both ends accept: the smaller offer, within the limits."""
        return (max(2, min(self.offer[0], hello.window)),
                max(MIN_FRAGMENT, min(self.offer[1], hello.frame_size)))

    def _on_hello(self, frame: Frame, now: float) -> None:
        hello = self._parse_hello(frame)
        if self.role != "agent" or hello is None:
            return
        if frame.version not in self.versions:
            self.version = max(self.versions)
            self._control.append(self._hello("HELLO_ACK", 0, 0, frame.session))
            return
        self.version = frame.version
        self.goodbye.clear()
        window, frame_size = self._negotiate(hello)
        self.peer_session = frame.session
        self._new_session(window, frame_size)
        self.stats["handshakes"] += 1
        self.last_rx = now
        self._control.append(self._hello("HELLO_ACK", window, frame_size, frame.session))
        self._events.append(("reset", None, self.epoch))

    def _hello(self, kind: str, window: int, frame_size: int, peer_session: int) -> Frame:
        payload = HELLO_PAYLOAD.build(dict(window=window, frame_size=frame_size,
                                           peer_session=peer_session))
        return self._frame(kind, payload=payload)

    def _frame(self, kind: str, **fields) -> Frame:
        """A frame of this side's session in the session's protocol version."""
        return Frame(kind, self.session, version=self.version, **fields)

    def _on_hello_ack(self, frame: Frame, now: float) -> None:
        hello = self._parse_hello(frame)
        if self._hello_due is None or hello is None or hello.peer_session != self.session:
            self.stats["foreign_frames"] += 1
            return
        self._hello_due = None
        if frame.version != self.version:
            self._on_other_version(frame.version)
            return
        self.window, self.frame_size = self._negotiate(hello)
        self._tx.window = self._rx.window = self.window
        self._tx.frame_size = self._tx.fragment = self.frame_size
        self.peer_session = frame.session
        self.stats["handshakes"] += 1
        self.last_rx = now
        self._connected.set()
        self._events.append(("reset", None, self.epoch))

    def _on_other_version(self, version: int) -> None:
        """Host: the agent answered in another version: fall back to it if we speak it."""
        if version in self.versions and version < self.version:
            log.info("agent speaks wire protocol version %d: using it", version)
            self.version = version
            self._hello_due = 0.0
            return
        self._failure = VersionMismatch(
            f"the host speaks wire protocol version {max(self.versions)}, the agent "
            f"version {version}: install matching rtvirt and rtvirt-agent releases")
        self._connected.set()

    def _on_foreign(self, frame: Frame, now: float) -> None:
        """A frame from a session we do not share: the peer restarted or forgot us."""
        if self.role == "host":
            if frame.type == "RESET" and self._hello_due is None and self._connected.is_set():
                log.info("agent session %08x does not know us: handshaking again",
                         frame.session)
                self.stats["peer_resets"] += 1
                self._begin_connect()
            else:
                self.stats["foreign_frames"] += 1
            return
        self.stats["foreign_frames"] += 1
        if frame.type != "RESET" and now - self._last_reset_sent >= RESET_INTERVAL:
            self._last_reset_sent = now
            self.stats["resets_sent"] += 1
            self._control.append(self._frame("RESET"))
