"""Property tests: COBS, frames, values and messages round-trip; bad input gives typed errors."""

import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rtvirt_agent.wire import cobs
from rtvirt_agent.wire.errors import FrameError, ProtocolError
from rtvirt_agent.wire.frame import (
    FLAG_END,
    FLAG_MORE,
    MAX_PAYLOAD,
    Frame,
    FrameDecoder,
    decode_frame,
    encode_frame,
)
from rtvirt_agent.wire.message import Message, decode_message, encode_message
from rtvirt_agent.wire.values import decode_value, encode_value

PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers() | st.text()
           | st.floats(allow_nan=False) | st.binary(max_size=300))
values = st.recursive(scalars, lambda children: st.lists(children, max_size=5)
                      | st.dictionaries(st.text(max_size=8) | st.integers(), children,
                                        max_size=5), max_leaves=30)
frames = st.builds(
    Frame,
    type=st.sampled_from(["HELLO", "HELLO_ACK", "DATA", "ACK", "RESET", "PING"]),
    session=st.integers(0, 2**32 - 1), seq=st.integers(0, 0xFFFF), ack=st.integers(0, 0xFFFF),
    flags=st.sampled_from([0, FLAG_MORE, FLAG_END, FLAG_MORE | FLAG_END]),
    payload=st.binary(max_size=600), offset=st.integers(0, MAX_PAYLOAD - 600))
messages = st.one_of(
    st.builds(Message.request, st.integers(0, 2**40), st.text(max_size=20),
              st.dictionaries(st.text(max_size=8), values, max_size=4)),
    st.builds(Message.reply, st.integers(0, 2**40), values),
    st.builds(Message.event, st.integers(0, 2**40), values),
    st.builds(Message.error, st.integers(0, 2**40), st.text(max_size=20), st.text()))


@PROPERTY
@given(st.binary(max_size=2000))
def test_cobs_round_trip_never_contains_zero(data):
    encoded = cobs.encode(data)
    assert 0 not in encoded
    assert len(encoded) <= len(data) + len(data) // 254 + 1
    assert cobs.decode(encoded) == data


@PROPERTY
@given(frames)
def test_frame_round_trip(frame):
    wire = encode_frame(frame)
    assert wire[0] == 0 and wire[-1] == 0 and 0 not in wire[1:-1]
    assert decode_frame(wire[1:-1]) == frame


@PROPERTY
@given(st.binary(max_size=3000))
def test_any_block_decodes_to_a_frame_or_a_frame_error(block):
    try:
        frame = decode_frame(block)
    except FrameError:
        return
    assert isinstance(frame, Frame)


@PROPERTY
@given(st.lists(frames, min_size=1, max_size=5), st.lists(st.binary(max_size=200), max_size=6))
def test_text_between_frames_never_loses_or_invents_frames(sent, noise):
    """Noise free of 0x00 (console text) between frames costs nothing."""
    stream = b""
    for index, frame in enumerate(sent):
        stream += noise[index].replace(b"\0", b"") if index < len(noise) else b""
        stream += encode_frame(frame)
    stats = {}
    decoder = FrameDecoder(stats)
    received = [f for start in range(0, len(stream), 37)
                for f in decoder.feed(stream[start:start + 37])]
    assert received == sent


@PROPERTY
@given(st.binary(max_size=5000))
def test_decoder_feed_never_raises_and_counts_what_it_rejects(data):
    stats = {}
    frames_seen = FrameDecoder(stats).feed(data)
    assert all(isinstance(frame, Frame) for frame in frames_seen)
    assert stats["noise_bytes"] <= len(data)


@PROPERTY
@given(frames, st.integers(0, 10_000), st.integers(1, 255))
def test_a_damaged_byte_is_detected_never_misread(frame, position, flip):
    raw = cobs.decode(encode_frame(frame)[1:-1])
    damaged = bytearray(raw)
    damaged[position % len(raw)] ^= flip
    try:
        decoded = decode_frame(cobs.encode(bytes(damaged)))
    except FrameError:
        return
    raise AssertionError(f"damaged frame accepted: {decoded}")


@PROPERTY
@given(values)
def test_value_round_trip(value):
    assert decode_value(encode_value(value)) == value


@PROPERTY
@given(st.binary(max_size=500))
def test_any_bytes_decode_to_a_value_or_a_protocol_error(data):
    try:
        value = decode_value(data)
    except ProtocolError:
        return
    assert value is None or isinstance(value, bool | int | float | str | bytes | list | dict)


@PROPERTY
@given(messages)
def test_message_round_trip(message):
    assert decode_message(encode_message(message)) == message


@PROPERTY
@given(st.binary(max_size=500))
def test_any_bytes_decode_to_a_message_or_a_protocol_error(data):
    try:
        message = decode_message(data)
    except ProtocolError:
        return
    assert message.kind in ("request", "reply", "event", "error")


def test_deep_nesting_is_a_protocol_error():
    with_depth = b"\x07\x01" * 5000 + b"\x00"
    try:
        decode_value(with_depth)
    except ProtocolError as error:
        assert "nested" in str(error) or "malformed" in str(error)
    else:
        raise AssertionError("5000 levels of nesting accepted")


def test_crc_is_zlib_crc32_over_header_and_payload():
    raw = cobs.decode(encode_frame(Frame("DATA", 7, seq=1, payload=b"abc"))[1:-1])
    assert int.from_bytes(raw[-4:], "big") == zlib.crc32(raw[:-4])
