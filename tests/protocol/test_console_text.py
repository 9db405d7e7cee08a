"""Console lines inside a frame are cut out and the frame recovered without a resend."""

import random

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rtvirt.lab.line_shaper import PRINTK_LINES
from rtvirt_agent.wire.console_text import MAX_CANDIDATES, text_runs, without_console_text
from rtvirt_agent.wire.frame import Frame, FrameDecoder, encode_frame

PROPERTY = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
console_lines = st.lists(st.sampled_from(PRINTK_LINES), min_size=1, max_size=3).map(
    lambda lines: "".join(f"[   12.345678] {line}\r\n" for line in lines).encode())


def frame_on_wire(payload: bytes, seq: int = 7) -> bytes:
    return encode_frame(Frame("DATA", 0x1234, seq=seq, payload=payload))


def decode(wire: bytes) -> tuple[list[Frame], dict]:
    stats = {}
    return FrameDecoder(stats).feed(wire), stats


@PROPERTY
@given(payload=st.binary(min_size=1, max_size=1024), text=console_lines, data=st.data())
def test_a_console_line_inside_a_frame_costs_no_resend(payload, text, data):
    wire = frame_on_wire(payload)
    at = data.draw(st.integers(1, len(wire) - 1))
    frames, stats = decode(wire[:at] + text + wire[at:])
    assert [frame.payload for frame in frames] == [payload]
    assert stats["frames_recovered"] == 1 and stats["crc_errors"] == 0
    assert stats["noise_bytes"] == len(text)


def is_text(byte: int) -> bool:
    return 0x20 <= byte < 0x7F or byte in (0x09, 0x0A, 0x0D, 0x1B)


@PROPERTY
@given(payload=st.binary(min_size=64, max_size=1024), first=console_lines,
       second=console_lines, data=st.data())
def test_two_console_bursts_in_one_frame_are_both_cut(payload, first, second, data):
    """Two bursts, each between frame bytes that are no text (else they join one text run)."""
    wire = frame_on_wire(payload)
    apart = [i for i in range(2, len(wire) - 1) if not (is_text(wire[i - 1]) or is_text(wire[i]))]
    assume(len(apart) >= 2)
    a, b = sorted(data.draw(st.lists(st.sampled_from(apart), min_size=2, max_size=2,
                                     unique=True)))
    frames, _ = decode(wire[:a] + first + wire[a:b] + second + wire[b:])
    assert [frame.payload for frame in frames] == [payload]


def test_shaper_bursts_with_leading_crlf_are_recovered():
    rng = random.Random(3)
    for seq in range(50):
        payload = rng.randbytes(2048)
        wire = frame_on_wire(payload, seq)
        at = rng.randrange(1, len(wire) - 1)
        burst = f"\r\n[{3.25:12.6f}] {rng.choice(PRINTK_LINES)}\r\n".encode()
        frames, _ = decode(wire[:at] + burst + wire[at:])
        assert [frame.seq for frame in frames] == [seq]


def test_a_flipped_byte_is_not_mistaken_for_console_text():
    wire = bytearray(frame_on_wire(b"x" * 300))
    wire[40] ^= 0x55
    frames, stats = decode(bytes(wire))
    assert frames == [] and stats["frames_recovered"] == 0
    assert stats["crc_errors"] + stats["bad_frames"] == 1


def test_text_without_a_newline_is_no_console_line():
    assert text_runs(b"\x01\x02plain text without end\x03") == []
    assert text_runs(b"\x01[ 1.0] a line\r\n\x02") == [(1, 16)]


@PROPERTY
@given(block=st.binary(max_size=3000))
def test_any_block_gives_a_bounded_number_of_shorter_candidates(block):
    candidates = list(without_console_text(block))
    assert len(candidates) <= MAX_CANDIDATES
    assert all(len(candidate) < len(block) for candidate in candidates)


@PROPERTY
@given(block=st.lists(st.sampled_from([b"\n", b"\r\n", b"[ 1.0] text ", b"\x05", b"\xff"]),
                      max_size=400).map(b"".join))
def test_text_heavy_blocks_stay_bounded(block):
    assert len(list(without_console_text(block))) <= MAX_CANDIDATES
    decode(b"\x00" + block + b"\x00")
