"""Streams: raw ttys, end of file, and serial-port errors that name their cause."""

import os

import pytest
from rtvirt_agent.streams import FdStream, SerialStream
from rtvirt_agent.wire.errors import Unreachable

EVERY_BYTE = bytes(range(256))


def test_pty_is_raw_every_byte_passes_unchanged():
    master, slave = os.openpty()
    stream = FdStream(slave, slave)
    os.write(master, EVERY_BYTE)
    received = b""
    while len(received) < len(EVERY_BYTE):
        chunk = stream.read(4096, 2.0)
        assert chunk, "bytes lost or held back by the line discipline"
        received += chunk
    assert received == EVERY_BYTE
    stream.write(b"\r\n\x03\x00")
    assert os.read(master, 16) == b"\r\n\x03\x00"
    stream.close()
    os.close(master)


def test_read_times_out_empty_then_reports_end_of_file():
    read_fd, write_fd = os.pipe()
    _, other_write_fd = os.pipe()
    stream = FdStream(read_fd, other_write_fd)
    assert stream.read(10, 0.01) == b""
    os.write(write_fd, b"last")
    os.close(write_fd)
    assert stream.read(10, 1.0) == b"last"
    with pytest.raises(EOFError):
        stream.read(10, 1.0)
    stream.close()


def test_missing_serial_port_is_unreachable_and_says_so(tmp_path):
    with pytest.raises(Unreachable, match="does not exist"):
        SerialStream(str(tmp_path / "ttyUSB9"))


def test_serial_port_held_by_another_program_is_busy():
    master, slave = os.openpty()
    first = SerialStream(os.ttyname(slave))
    with pytest.raises(Unreachable, match="busy"):
        SerialStream(os.ttyname(slave))
    first.close()
    os.close(master)
    os.close(slave)
