"""Fuzz the frame and message decoders: random and mutated inputs must give a decoded value
or a typed error (FrameError / ProtocolError), never any other exception."""

import random
import time
from collections import Counter

from rtvirt_agent.wire.errors import FrameError, ProtocolError
from rtvirt_agent.wire.frame import FLAG_END, Frame, decode_frame, encode_frame
from rtvirt_agent.wire.message import Message, decode_message, encode_message

FRAME_INPUTS = 800_000
MESSAGE_INPUTS = 200_000
"""The message decoder is ~15 times slower per input (it builds Python values)."""
SEED = 20261125


def _seeds(rng):
    """Valid wire images to mutate: frames of every type and messages of every kind."""
    frames = [encode_frame(Frame(kind, rng.getrandbits(32), seq=n, ack=n, flags=FLAG_END,
                                 payload=rng.randbytes(rng.randrange(64))))[1:-1]
              for n, kind in enumerate(["HELLO", "HELLO_ACK", "DATA", "ACK", "RESET", "PING"])]
    body = {"cpus": [0, 1], "text": "T: 0", "data": rng.randbytes(40), "max_ns": -12.5,
            "labels": {"scenario": "kvm"}, "ok": True, "none": None}
    messages = [encode_message(m) for m in (Message.request(1, "measure", body),
                                            Message.reply(2, body), Message.event(3, body),
                                            Message.error(4, "busy", "try later"))]
    return frames, messages


def _mutate(rng, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        choice = rng.randrange(4)
        position = rng.randrange(len(data) + 1)
        if choice == 0 and data:
            data[position % len(data)] ^= 1 << rng.randrange(8)
        elif choice == 1:
            data[position:position] = rng.randbytes(rng.randrange(1, 8))
        elif choice == 2:
            del data[position:position + rng.randrange(1, 8)]
        else:
            data[position % max(1, len(data)):] = b""
    return bytes(data)


def _fuzz(decode, seeds, typed_error, rng, count) -> dict:
    outcomes = Counter()
    started = time.perf_counter()
    for index in range(count):
        if index % 4 == 0:
            data = rng.randbytes(rng.randrange(200))
        else:
            data = _mutate(rng, rng.choice(seeds))
        try:
            decode(data)
            outcomes["decoded"] += 1
        except typed_error:
            outcomes["typed_error"] += 1
        except Exception as error:  # the one outcome this benchmark exists to catch
            outcomes[f"untyped:{type(error).__name__}"] += 1
    elapsed = time.perf_counter() - started
    return {"inputs": count, "inputs_per_s": round(count / elapsed),
            **outcomes}


def run() -> dict:
    rng = random.Random(SEED)
    frames, messages = _seeds(rng)
    figures = {"seed": SEED,
               "frame_decoder": _fuzz(decode_frame, frames, FrameError, rng, FRAME_INPUTS),
               "message_decoder": _fuzz(decode_message, messages, ProtocolError, rng,
                                        MESSAGE_INPUTS)}
    untyped = sum(count for part in figures.values() if isinstance(part, dict)
                  for key, count in part.items() if key.startswith("untyped"))
    figures["total_inputs"] = FRAME_INPUTS + MESSAGE_INPUTS
    figures["untyped_exceptions"] = untyped
    return figures
