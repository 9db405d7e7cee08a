"""Link frames: construct schema, encoding to the wire and a noise-tolerant stream decoder.

On the wire a frame is ``0x00 COBS(header payload crc32) 0x00``. The leading delimiter ends any
console text that came before the frame, so text between frames costs nothing; text inside a
frame breaks its CRC. docs/protocol.md describes every field.
"""

import zlib
from dataclasses import dataclass

from construct import (
    Bytes,
    Checksum,
    ConstructError,
    Enum,
    Int8ub,
    Int16ub,
    Int32ub,
    RawCopy,
    Struct,
    Terminated,
    this,
)

from rtvirt_agent.wire import cobs, fec
from rtvirt_agent.wire.console_text import without_console_text
from rtvirt_agent.wire.errors import FrameError

PROTOCOL_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)
"""Versions this side speaks; a session uses the highest both sides know (docs/protocol.md)."""
FEC_VERSION = BYE_VERSION = 2
"""First version whose DATA frames may carry Reed-Solomon parity (``fec.py``) and whose host
says BYE when it closes the session."""
DELIMITER = b"\x00"
HEADER_SIZE = 15
CRC_SIZE = 4
MAX_PAYLOAD = 4096
FLAG_MORE = 0x01
"""DATA flag: the message continues in the next sequence number."""
FLAG_END = 0x02
"""DATA flag: this part reaches the end of the frame's data (a whole frame has offset 0)."""

FrameType = Enum(Int8ub, HELLO=1, HELLO_ACK=2, DATA=3, ACK=4, RESET=5, PING=6, BYE=7)

HEADER = Struct(
    "version" / Int8ub,
    "type" / FrameType,
    "flags" / Int8ub,
    "session" / Int32ub,
    "seq" / Int16ub,
    "ack" / Int16ub,
    "offset" / Int16ub,
    "length" / Int16ub,
)

FRAME = Struct(
    "body" / RawCopy(Struct(
        "header" / HEADER,
        "payload" / Bytes(this.header.length),
    )),
    "crc" / Checksum(Int32ub, lambda data: zlib.crc32(data), this.body.data),
    Terminated,
)

HELLO_PAYLOAD = Struct(
    "window" / Int16ub,
    "frame_size" / Int16ub,
    "peer_session" / Int32ub,
)
"""Payload of HELLO (peer_session 0) and HELLO_ACK (peer_session = the HELLO's session)."""


@dataclass(frozen=True)
class Frame:
    type: str
    session: int
    seq: int = 0
    ack: int = 0
    flags: int = 0
    payload: bytes = b""
    offset: int = 0
    version: int = PROTOCOL_VERSION


def encode_frame(frame: Frame, protected: bool = False) -> bytes:
    """Return the frame as it goes on the wire, delimiters included; ``protected`` adds FEC
    parity (only for a peer of FEC_VERSION or later)."""
    if len(frame.payload) > MAX_PAYLOAD:
        raise FrameError(f"payload of {len(frame.payload)} bytes exceeds {MAX_PAYLOAD}")
    header = dict(version=frame.version, type=frame.type, flags=frame.flags,
                  session=frame.session, seq=frame.seq & 0xFFFF, ack=frame.ack & 0xFFFF,
                  offset=frame.offset, length=len(frame.payload))
    raw = FRAME.build(dict(body=dict(value=dict(header=header, payload=frame.payload))))
    return DELIMITER + cobs.encode(fec.protect(raw) if protected else raw) + DELIMITER


def _crc_matches(raw: bytes) -> bool:
    return (len(raw) >= HEADER_SIZE + CRC_SIZE
            and zlib.crc32(raw[:-CRC_SIZE]) == int.from_bytes(raw[-CRC_SIZE:], "big"))


def checked_frame_bytes(raw: bytes, correct: bool = True) -> bytes | None:
    """The frame bytes of a decoded block if its CRC matches: as they came, or without FEC
    parity (corrected first if ``correct``); None if neither."""
    if _crc_matches(raw):
        return raw
    plain = fec.unprotect(raw) if correct else fec.strip(raw)
    return plain if plain is not None and _crc_matches(plain) else None


def decode_frame(block: bytes) -> Frame:
    """Decode one COBS block (without delimiters); raise ``FrameError`` on any damage."""
    raw = cobs.decode(block)
    if len(raw) < HEADER_SIZE + CRC_SIZE:
        raise FrameError(f"frame of {len(raw)} bytes is shorter than header and CRC")
    checked = checked_frame_bytes(raw)
    if checked is None:
        raise FrameError("damaged frame: ChecksumError")
    return _parse(checked)


def _parse(raw: bytes) -> Frame:
    try:
        parsed = FRAME.parse(raw)
    except ConstructError as error:
        raise FrameError(f"damaged frame: {error.__class__.__name__}") from None
    header = parsed.body.value.header
    if header.version not in SUPPORTED_VERSIONS and header.type not in ("HELLO", "HELLO_ACK"):
        raise FrameError(f"frame of protocol version {header.version}, expected one of "
                         f"{', '.join(map(str, SUPPORTED_VERSIONS))}")
    if not isinstance(header.type, str):
        raise FrameError(f"unknown frame type {int(header.type)}")
    if header.offset + header.length > MAX_PAYLOAD:
        raise FrameError(f"part {header.offset}+{header.length} beyond {MAX_PAYLOAD} bytes")
    return Frame(type=str(header.type), session=header.session, seq=header.seq,
                 ack=header.ack, flags=header.flags, payload=parsed.body.value.payload,
                 offset=header.offset, version=header.version)


CONSOLE_TEXT_ROOM = 2048
"""Bytes of console text a block may hold beyond the largest frame and still be recovered."""


def max_block_size(payload_size: int = MAX_PAYLOAD) -> int:
    """Longest COBS block a frame with ``payload_size`` bytes can produce."""
    raw = len(fec.protect(bytes(HEADER_SIZE + payload_size + CRC_SIZE)))
    return raw + raw // 254 + 1


class FrameDecoder:
    """Split a byte stream at 0x00 and decode the blocks; everything else counts as noise.

    ``feed`` never raises: damaged blocks and console text are counted in ``stats``
    (``crc_errors`` when a block looked like a frame, ``noise_bytes`` for all rejected bytes).
    A damaged block is given a second chance without console text inside it
    (``recover_frame``); a frame recovered so counts in ``frames_recovered``.
    """

    def __init__(self, stats: dict):
        self.stats = stats
        for key in ("frames_received", "crc_errors", "bad_frames", "noise_bytes",
                    "frames_recovered"):
            stats.setdefault(key, 0)
        self._pending = bytearray()
        self._limit = max_block_size() + CONSOLE_TEXT_ROOM
        self._overflowed = False

    def feed(self, data: bytes) -> list[Frame]:
        frames = []
        blocks = data.split(DELIMITER)
        for index, block in enumerate(blocks):
            self._append(block)
            if index == len(blocks) - 1:
                break
            frame = self._take_block()
            if frame is not None:
                frames.append(frame)
        return frames

    def _append(self, block: bytes) -> None:
        if self._overflowed or len(self._pending) + len(block) > self._limit:
            self.stats["noise_bytes"] += len(self._pending) + len(block)
            self._pending.clear()
            self._overflowed = True
            return
        self._pending += block

    def _take_block(self) -> Frame | None:
        block = bytes(self._pending)
        self._pending.clear()
        if self._overflowed:
            self._overflowed = False
            return None
        if not block:
            return None
        try:
            frame = decode_frame(block)
        except FrameError as error:
            recovered = recover_frame(block)
            if recovered is None:
                self.stats["noise_bytes"] += len(block)
                key = "crc_errors" if "Checksum" in str(error) else "bad_frames"
                self.stats[key] += 1
                return None
            frame, cut = recovered
            self.stats["frames_recovered"] += 1
            self.stats["noise_bytes"] += cut
        self.stats["frames_received"] += 1
        return frame


def recover_frame(block: bytes) -> tuple[Frame, int] | None:
    """(frame, bytes cut) of a damaged block once console text inside it is cut out.

    Candidates are checked without FEC correction (a CRC check each, see console_text.py).
    """
    for candidate in without_console_text(block):
        try:
            checked = checked_frame_bytes(cobs.decode(candidate), correct=False)
        except FrameError:
            continue
        if checked is not None:
            try:
                return _parse(checked), len(block) - len(candidate)
            except FrameError:
                return None
    return None
