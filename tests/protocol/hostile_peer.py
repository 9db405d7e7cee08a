"""A crafted peer on stdin/stdout that speaks just enough of the wire protocol to be hostile.

Run as ``python hostile_peer.py MODE`` behind an ``exec:`` target; the host must end every
mode with exit 3 or 4 before its deadline, without a traceback and with bounded memory.

Modes (the agent end of the link, acting as a broken or malicious agent):
  silent          reads and never answers
  noise           streams random bytes, never a frame
  mute            opens the session, acknowledges everything, answers PINGs, never replies
  hello-only      like mute, but answers "hello" (so that the host gets to its next call)
  reset           opens the session, then answers every request with RESET (for ever)
  endless         opens the session, then streams one message that never ends
  parts           opens the session, then sends many parts of frames that never complete
  version         answers HELLO with another protocol version
  eof             opens the session, then closes the line
  stray           opens the session, replies to request ids never asked and with junk
  escapes         answers "hello" and then errors with terminal escapes in every string
"""

import os
import select
import sys
import time

from rtvirt_agent.wire.frame import (
    FLAG_END,
    FLAG_MORE,
    HELLO_PAYLOAD,
    MAX_PAYLOAD,
    PROTOCOL_VERSION,
    Frame,
    FrameDecoder,
    encode_frame,
)
from rtvirt_agent.wire.message import Message, decode_message, encode_message

SESSION = 0x5EC0DE
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b1m\rover\x08written\u202e[link=x]y[/link]"


def hello_reply(text=""):
    """A well-formed answer to "hello", with ``text`` in every string the host prints."""
    return {"agent_version": "0.1.0" + text, "protocol_version": PROTOCOL_VERSION,
            "hostname": "hostile" + text, "ops": ["hello", "sysinfo", "measure" + text],
            "blocksys_enabled": False, "core": "/usr/bin/rtvirt-measure" + text}


class Peer:
    def __init__(self, mode):
        self.mode = mode
        self.decoder = FrameDecoder({})
        self.session = SESSION
        self.host_session = None
        self.next_seq = 0
        self.expected = 0

    def send(self, *frames):
        os.write(1, b"".join(encode_frame(frame) for frame in frames))

    def frames(self, timeout=0.05):
        ready, _, _ = select.select([0], [], [], timeout)
        if not ready:
            return []
        data = os.read(0, 65536)
        if not data:
            sys.exit(0)
        return self.decoder.feed(data)

    def hello_ack(self, frame, version=PROTOCOL_VERSION):
        self.host_session = frame.session
        hello = HELLO_PAYLOAD.parse(frame.payload)
        payload = HELLO_PAYLOAD.build(dict(window=hello.window, frame_size=hello.frame_size,
                                           peer_session=frame.session))
        self.send(Frame("HELLO_ACK", self.session, payload=payload, version=version))

    def ack(self, frame):
        if frame.type == "DATA" and frame.seq == self.expected % 0x10000:
            self.expected += 1
        self.send(Frame("ACK", self.session, seq=frame.seq, ack=self.expected))

    def data(self, payload, flags=FLAG_END, offset=0):
        self.send(Frame("DATA", self.session, seq=self.next_seq, ack=self.expected,
                        flags=flags, offset=offset, payload=payload))
        self.next_seq += 1

    def requests(self, frame):
        """Whole requests in a DATA frame (they are short: one frame each)."""
        try:
            message = decode_message(frame.payload)
        except Exception:  # noqa: BLE001 - a hostile peer ignores what it cannot read
            return []
        return [message] if message.kind == "request" else []


def run(mode):
    peer = Peer(mode)
    if mode == "noise":
        while True:
            os.write(1, os.urandom(4096).replace(b"\0", b"\1"))
            time.sleep(0.001)
    if mode == "silent":
        while True:
            peer.frames(1.0)
    streaming = False
    while True:
        for frame in peer.frames(0.0 if streaming else 0.05):
            handle(peer, frame)
            streaming = streaming or (mode in ("endless", "parts") and frame.type == "DATA")
        if streaming:
            stream(peer)


def handle(peer, frame):
    mode = peer.mode
    if frame.type == "HELLO":
        if mode == "version":
            peer.hello_ack(frame, version=PROTOCOL_VERSION + 1)
        else:
            peer.hello_ack(frame)
        if mode == "eof":
            sys.exit(0)
        return
    if frame.type in ("DATA", "PING"):
        peer.ack(frame)
    if frame.type != "DATA":
        return
    if mode == "reset":
        peer.session += 1
        peer.send(Frame("RESET", peer.session))
    elif mode == "stray":
        peer.data(b"\xff\xfe not a message")
        for request in peer.requests(frame):
            peer.data(encode_message(Message.reply(request.req_id + 1000, {"x": 1})))
            peer.data(encode_message(Message.request(request.req_id, "hello", {})))
    elif mode == "hello-only":
        for request in peer.requests(frame):
            if request.op == "hello":
                peer.data(encode_message(Message.reply(request.req_id, hello_reply())))
    elif mode == "escapes":
        for request in peer.requests(frame):
            answer = Message.reply(request.req_id, hello_reply(ESCAPES)) \
                if request.op == "hello" else \
                Message.error(request.req_id, "internal" + ESCAPES, ESCAPES * 3)
            peer.data(encode_message(answer))


def stream(peer):
    """One step of an endless message (``endless``) or of never-finished frames (``parts``)."""
    if peer.mode == "endless":
        peer.data(os.urandom(MAX_PAYLOAD), flags=FLAG_MORE | FLAG_END)
        return
    seq, filler = peer.next_seq, os.urandom(MAX_PAYLOAD)
    for offset in range(1, 129):
        peer.send(Frame("DATA", peer.session, seq=seq, ack=peer.expected, flags=FLAG_MORE,
                        offset=offset, payload=filler[offset:]))
    peer.next_seq = (seq + 1) % 256


if __name__ == "__main__":
    try:
        run(sys.argv[1])
    except OSError:  # the host closed the line: the peer's work is done
        sys.exit(0)
