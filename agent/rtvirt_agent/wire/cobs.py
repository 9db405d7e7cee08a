"""Consistent Overhead Byte Stuffing: removes every 0x00 so that 0x00 can delimit frames.

An encoded block never contains 0x00 and grows by at most one byte per 254 bytes plus one.
"""

from rtvirt_agent.wire.errors import FrameError

_MAX_RUN = 0xFF


def encode(data: bytes) -> bytes:
    """Return ``data`` COBS-encoded (without the trailing 0x00 delimiter)."""
    out = bytearray()
    start = 0
    while True:
        zero = data.find(0, start, start + _MAX_RUN - 1)
        if zero < 0:
            block = data[start:start + _MAX_RUN - 1]
            out.append(len(block) + 1)
            out += block
            start += len(block)
            if len(block) < _MAX_RUN - 1:
                return bytes(out)
            if start == len(data):
                out.append(1)
                return bytes(out)
        else:
            out.append(zero - start + 1)
            out += data[start:zero]
            start = zero + 1


def decode(block: bytes) -> bytes:
    """Return the data of one COBS block; raise ``FrameError`` if it is not valid COBS."""
    out = bytearray()
    pos = 0
    end = len(block)
    if end == 0:
        raise FrameError("empty COBS block")
    while pos < end:
        code = block[pos]
        if code == 0:
            raise FrameError(f"0x00 inside a COBS block at offset {pos}")
        run_end = pos + code
        if run_end > end:
            raise FrameError(f"COBS run at offset {pos} overruns the block")
        run = block[pos + 1:run_end]
        if 0 in run:
            raise FrameError(f"0x00 inside a COBS block after offset {pos}")
        out += run
        pos = run_end
        if code < _MAX_RUN and pos < end:
            out.append(0)
    return bytes(out)
