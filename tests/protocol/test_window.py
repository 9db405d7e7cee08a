"""ARQ on in-memory lossy channels: every message arrives once, in order, intact."""

import random

from rtvirt_agent.protocol.window import MIN_FRAGMENT, ReceiveWindow, SendWindow, unwrap


def _stats():
    keys = ("retransmissions", "timeouts", "frames_acked", "duplicates", "out_of_window",
            "oversized_messages")
    return dict.fromkeys(keys, 0)


def _transfer(messages, *, loss, seed, window=32, frame_size=512, steps=200_000):
    """Drive a send and a receive window over a FIFO channel losing parts and acks."""
    rng = random.Random(seed)
    sender_stats, receiver_stats = _stats(), _stats()
    sender = SendWindow(window, frame_size, sender_stats)
    receiver = ReceiveWindow(window, receiver_stats)
    for message in messages:
        sender.push(message)
    delivered, now = [], 0.0
    for _ in range(steps):
        now += 0.01
        if sender.deadline is not None and now >= sender.deadline:
            sender.on_timeout(now)
        parts = sender.take(now)
        for seq, flags, offset, data in parts:
            if rng.random() >= loss:
                delivered += receiver.on_data(seq & 0xFFFF, flags, offset, data)
        if parts and rng.random() >= loss:
            ack, sack = receiver.ack_fields()
            sender.on_ack(ack, sack, now, echo_wire=receiver.last_seq)
        if not sender.busy:
            break
    return delivered, sender, sender_stats, receiver_stats


def test_clean_channel_delivers_in_order_without_retransmissions():
    messages = [bytes([n]) * (n * 97) for n in range(1, 40)]
    delivered, sender, sender_stats, _ = _transfer(messages, loss=0.0, seed=1)
    assert delivered == messages
    assert sender_stats["retransmissions"] == 0
    assert sender.fragment == 512


def test_lossy_channel_delivers_every_message_once_in_order():
    rng = random.Random(7)
    messages = [rng.randbytes(rng.randrange(0, 3000)) for _ in range(60)]
    delivered, sender, sender_stats, receiver_stats = _transfer(messages, loss=0.2, seed=2)
    assert delivered == messages
    assert not sender.busy
    assert sender_stats["retransmissions"] > 0


def test_fragment_shrinks_on_loss_and_frames_are_resent_in_parts():
    messages = [bytes(4000)]
    delivered, sender, sender_stats, _ = _transfer(messages, loss=0.5, seed=3,
                                                   frame_size=2048)
    assert delivered == messages
    assert sender.fragment < 2048
    assert sender.fragment >= MIN_FRAGMENT


def test_duplicates_are_suppressed():
    stats = _stats()
    receiver = ReceiveWindow(8, stats)
    assert receiver.on_data(0, 0x02, 0, b"a") == [b"a"]
    assert receiver.on_data(0, 0x02, 0, b"a") == []
    assert stats["duplicates"] == 1


def test_out_of_order_frames_wait_for_the_gap_and_are_selectively_acked():
    receiver = ReceiveWindow(8, _stats())
    assert receiver.on_data(2, 0x02, 0, b"c") == []
    assert receiver.on_data(1, 0x01 | 0x02, 0, b"b") == []
    assert receiver.ack_fields() == (0, bytes([0b11]))
    assert receiver.on_data(0, 0x02, 0, b"a") == [b"a", b"bc"]
    assert receiver.ack_fields() == (3, b"")


def test_parts_are_joined_by_offset():
    receiver = ReceiveWindow(8, _stats())
    assert receiver.on_data(0, 0, 0, b"ab") == []
    assert receiver.on_data(0, 0x02, 4, b"ef") == []
    assert receiver.on_data(0, 0, 2, b"cd") == [b"abcdef"]


def test_sequence_numbers_wrap():
    assert unwrap(3, 0xFFFE) == 0x10003
    assert unwrap(0xFFFF, 0x10001) == 0xFFFF
    messages = [bytes([n % 256]) for n in range(70_000)]
    delivered, *_ = _transfer(messages, loss=0.0, seed=4, frame_size=64)
    assert delivered == messages


def test_parts_of_one_frame_are_bounded():
    stats = _stats()
    receiver = ReceiveWindow(8, stats)
    for offset in range(1, 1000):
        receiver.on_data(0, 0, offset, b"x")
    assert len(receiver._parts[0]) <= 128
    assert stats["out_of_window"] > 0


def _acknowledge(sender, expected, held, now):
    """What a receiver expecting ``expected`` and holding the frames ``held`` answers."""
    bitmap = bytearray((max(held) - expected + 7) // 8)
    for seq in held:
        bitmap[(seq - expected - 1) // 8] |= 1 << ((seq - expected - 1) % 8)
    sender.on_ack(expected, bytes(bitmap), now)


def test_fec_parity_only_after_two_losses_in_a_while():
    sender = SendWindow(64, 256, _stats())
    sender.push(bytes(64 * 20))
    _take_all(sender, 0.0)  # frames 0-3
    _acknowledge(sender, 1, {2}, 0.1)  # frame 1 lost: a console line that was not cut out
    assert not sender.protect
    assert [part[0] for part in _take_all(sender, 0.1)] == [1, 4, 5, 6, 7]  # resent, then new
    _acknowledge(sender, 1, {2, 4, 5}, 0.2)  # frame 3 lost too: the line damages bytes
    assert sender.protect


def _take_all(sender, now):
    """Every part the sender transmits now."""
    parts = []
    while taken := sender.take(now):
        parts += taken
    return parts


def test_a_new_link_sends_more_frames_only_as_the_line_takes_them():
    """Four frames before the first acknowledgement, one more for each frame acknowledged at
    the first try: a clean line does not get 256 frames of the first, smallest size."""
    sender = SendWindow(256, 4096, _stats())
    sender.push(bytes(64 * 1024))
    assert [part[0] for part in _take_all(sender, 0.0)] == [0, 1, 2, 3]
    sender.on_ack(4, b"", 0.05)  # all four at the first try
    assert [part[0] for part in _take_all(sender, 0.05)] == list(range(4, 12))
