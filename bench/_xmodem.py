"""Minimal XMODEM-CRC sender and receiver (128-byte SOH or 1024-byte STX blocks, CRC-16): the
baseline a stop-and-wait protocol reaches on the same shaped line as the rtvirt link."""

import binascii
import time

SOH, STX, EOT, ACK, NAK, CRC_MODE = 0x01, 0x02, 0x04, 0x06, 0x15, ord("C")
BLOCK_HEADS = {128: SOH, 1024: STX}


class TransferLost(RuntimeError):
    """The transfer was abandoned: a side gave up, or it ran past its deadline."""


def _read_exact(stream, count, timeout):
    data, deadline = b"", time.monotonic() + timeout
    while len(data) < count and time.monotonic() < deadline:
        data += stream.read(count - len(data), max(0.0, deadline - time.monotonic()))
    return data


def _wait_byte(stream, wanted, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        byte = stream.read(1, max(0.0, deadline - time.monotonic()))
        if byte and byte[0] in wanted:
            return byte[0]
    return None


def send(stream, data, block=128, retries=20):
    """Send ``data`` in CRC mode; raise TransferLost when the receiver gives up on us."""
    if _wait_byte(stream, {CRC_MODE}, 10.0) is None:
        raise TransferLost("receiver never asked for CRC mode")
    blocks = [data[i:i + block].ljust(block, b"\x1a") for i in range(0, len(data), block)]
    for number, payload in enumerate(blocks, start=1):
        packet = bytes([BLOCK_HEADS[block], number & 0xFF, 0xFF - (number & 0xFF)]) + payload
        packet += binascii.crc_hqx(payload, 0).to_bytes(2, "big")
        for _ in range(retries):
            stream.write(packet)
            if _wait_byte(stream, {ACK, NAK}, 1.0) == ACK:
                break
        else:
            raise TransferLost(f"block {number} not acknowledged after {retries} tries")
    for _ in range(retries):
        stream.write(bytes([EOT]))
        if _wait_byte(stream, {ACK}, 1.0) == ACK:
            return


def receive(stream, size, deadline):
    """Receive ``size`` bytes (padding stripped) before the monotonic ``deadline``.

    A block whose number repeats the last one is acknowledged again and dropped (its ACK was
    lost); any other damage is answered with NAK.
    """
    received, expected = bytearray(), 1
    stream.write(bytes([CRC_MODE]))
    while time.monotonic() < deadline:
        head = _wait_byte(stream, {SOH, STX, EOT}, 3.0)
        if head == EOT:
            stream.write(bytes([ACK]))
            return bytes(received[:size])
        block = 1024 if head == STX else 128
        packet = _read_exact(stream, 2 + block + 2, 1.0) if head else b""
        valid = (len(packet) == 2 + block + 2 and packet[0] == 0xFF - packet[1]
                 and binascii.crc_hqx(packet[2:2 + block], 0)
                 == int.from_bytes(packet[-2:], "big"))
        if valid and packet[0] == expected & 0xFF:
            received += packet[2:2 + block]
            expected += 1
        stream.write(bytes([ACK if valid else NAK]))
    raise TransferLost(f"not complete by the deadline ({len(received)} of {size} bytes)")
