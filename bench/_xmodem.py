"""Minimal XMODEM-CRC (128-byte blocks, CRC-16) sender and receiver: the baseline that a
stop-and-wait protocol reaches on the same shaped line as the rtvirt link."""

import binascii
import time

SOH, EOT, ACK, NAK, CRC_MODE = 0x01, 0x04, 0x06, 0x15, ord("C")
BLOCK = 128


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


def send(stream, data, retries=50):
    """Send ``data`` in CRC mode; raise RuntimeError when the receiver gives up on us."""
    if _wait_byte(stream, {CRC_MODE}, 10.0) is None:
        raise RuntimeError("receiver never asked for CRC mode")
    blocks = [data[i:i + BLOCK].ljust(BLOCK, b"\x1a") for i in range(0, len(data), BLOCK)]
    for number, block in enumerate(blocks, start=1):
        packet = bytes([SOH, number & 0xFF, 0xFF - (number & 0xFF)]) + block
        packet += binascii.crc_hqx(block, 0).to_bytes(2, "big")
        for _ in range(retries):
            stream.write(packet)
            if _wait_byte(stream, {ACK, NAK}, 1.0) == ACK:
                break
        else:
            raise RuntimeError(f"block {number} not acknowledged after {retries} tries")
    for _ in range(retries):
        stream.write(bytes([EOT]))
        if _wait_byte(stream, {ACK}, 1.0) == ACK:
            return


def receive(stream, size):
    """Receive ``size`` bytes (padding stripped); duplicates of the last block are re-acked."""
    received, expected = bytearray(), 1
    stream.write(bytes([CRC_MODE]))
    while True:
        head = _wait_byte(stream, {SOH, EOT}, 3.0)
        if head == EOT:
            stream.write(bytes([ACK]))
            return bytes(received[:size])
        packet = _read_exact(stream, 2 + BLOCK + 2, 1.0) if head == SOH else b""
        valid = (len(packet) == 2 + BLOCK + 2 and packet[0] == 0xFF - packet[1]
                 and binascii.crc_hqx(packet[2:2 + BLOCK], 0)
                 == int.from_bytes(packet[-2:], "big"))
        if valid and packet[0] == expected & 0xFF:
            received += packet[2:2 + BLOCK]
            expected += 1
        stream.write(bytes([ACK if valid else NAK]))
