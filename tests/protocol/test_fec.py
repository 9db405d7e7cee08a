"""Reed-Solomon parity on frames: damaged bytes within the code's reach are corrected, beyond it
the frame is rejected, and no input makes the decoders raise."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rtvirt_agent.wire import fec
from rtvirt_agent.wire.frame import Frame, FrameDecoder, decode_frame, encode_frame

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
CORRECTABLE = fec.PARITY // 2


def damage(coded: bytes, per_codeword: int, rng: random.Random) -> bytes:
    """``coded`` with ``per_codeword`` bytes changed in every codeword."""
    out = bytearray(coded)
    for start in range(0, len(out), fec.CODEWORD):
        length = min(fec.CODEWORD, len(out) - start)
        for position in rng.sample(range(length), min(per_codeword, length)):
            out[start + position] ^= rng.randrange(1, 256)
    return bytes(out)


@PROPERTY
@given(raw=st.binary(min_size=1, max_size=2000), errors=st.integers(0, CORRECTABLE),
       seed=st.integers(0, 2**32))
def test_up_to_eight_damaged_bytes_per_codeword_are_corrected(raw, errors, seed):
    assert fec.unprotect(damage(fec.protect(raw), errors, random.Random(seed))) == raw


def test_more_damage_than_the_code_reaches_is_not_passed_off_as_data():
    rng = random.Random(9)
    raw = rng.randbytes(239)
    for _ in range(50):
        assert fec.unprotect(damage(fec.protect(raw), CORRECTABLE + 1, rng)) != raw


@PROPERTY
@given(coded=st.binary(max_size=1200))
def test_any_bytes_unprotect_to_data_or_none(coded):
    for result in (fec.unprotect(coded), fec.strip(coded)):
        assert result is None or len(result) < len(coded)


@PROPERTY
@given(payload=st.binary(max_size=2048), seed=st.integers(0, 2**32))
def test_a_protected_frame_with_damaged_bytes_decodes_whole(payload, seed):
    frame = Frame("DATA", 42, seq=3, payload=payload)
    wire = encode_frame(frame, protected=True)
    body = bytearray(wire[1:-1])
    rng = random.Random(seed)
    position = rng.randrange(len(body))
    body[position] = body[position] ^ rng.randrange(1, 256) or 0x55  # never a delimiter
    decoded = FrameDecoder({}).feed(b"\x00" + bytes(body) + b"\x00")
    assert decoded in ([], [frame])  # a damaged COBS code byte still loses the frame


def test_protected_frames_mostly_survive_a_damaged_byte():
    rng = random.Random(1)
    frame = Frame("DATA", 42, seq=3, payload=rng.randbytes(2048))
    wire, stats = encode_frame(frame, protected=True), {}
    decoder = FrameDecoder(stats)
    survived = 0
    for _ in range(100):
        body = bytearray(wire[1:-1])
        position = rng.randrange(len(body))
        body[position] = body[position] ^ rng.randrange(1, 256) or 0x55
        survived += decoder.feed(b"\x00" + bytes(body) + b"\x00") == [frame]
    assert survived >= 95 and stats["frames_received"] == survived


def test_plain_and_protected_frames_decode_alike():
    frame = Frame("DATA", 1, seq=2, ack=3, payload=b"results")
    assert decode_frame(encode_frame(frame)[1:-1]) == frame
    assert decode_frame(encode_frame(frame, protected=True)[1:-1]) == frame
