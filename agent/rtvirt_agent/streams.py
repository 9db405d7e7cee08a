"""Byte streams under the link: file descriptors (stdio, pipes, ptys) and serial ports."""

import abc
import errno
import os
import select
import socket
import termios
import tty

import serial

from rtvirt_agent.wire.errors import Unreachable, UsageError


class Stream(abc.ABC):
    """A bidirectional byte stream. ``read`` returns b"" on timeout, raises EOFError at end."""

    @abc.abstractmethod
    def read(self, max_bytes: int, timeout: float) -> bytes:
        """Up to ``max_bytes`` bytes, b"" after ``timeout`` seconds without any."""

    @abc.abstractmethod
    def write(self, data: bytes) -> None:
        """All of ``data``."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the stream; later reads raise EOFError."""


class FdStream(Stream):
    """Reads one file descriptor and writes another; a tty is put in raw mode (and restored)."""

    def __init__(self, read_fd: int, write_fd: int):
        self.read_fd, self.write_fd = read_fd, write_fd
        self._saved_modes = {}
        self._closed = False
        for fd in {read_fd, write_fd}:
            if os.isatty(fd):
                self._saved_modes[fd] = termios.tcgetattr(fd)
                tty.setraw(fd, termios.TCSANOW)

    def read(self, max_bytes: int, timeout: float) -> bytes:
        if self._closed:
            raise EOFError("stream closed")
        try:
            ready, _, _ = select.select([self.read_fd], [], [], timeout)
            if not ready:
                return b""
            data = os.read(self.read_fd, max_bytes)
        except BlockingIOError:
            return b""
        except (OSError, ValueError) as error:
            raise EOFError(f"read failed: {error}") from None
        if not data:
            raise EOFError("end of file")
        return data

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self._closed:
                raise EOFError("stream closed")
            try:
                written = os.write(self.write_fd, view)
            except BlockingIOError:
                select.select([], [self.write_fd], [], 1.0)
                continue
            except OSError as error:
                if error.errno == errno.EINTR:
                    continue
                raise EOFError(f"write failed: {error}") from None
            view = view[written:]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for fd in {self.read_fd, self.write_fd}:
            try:
                if fd in self._saved_modes:
                    termios.tcsetattr(fd, termios.TCSADRAIN, self._saved_modes[fd])
                os.close(fd)
            except OSError:
                pass


class SerialStream(FdStream):
    """A serial port in raw 8N1 without flow control, locked for exclusive use."""

    def __init__(self, device: str, baud: int = 115200):
        try:
            self.port = serial.Serial(device, baud, bytesize=serial.EIGHTBITS,
                                      parity=serial.PARITY_NONE, stopbits=serial.STOPBITS_ONE,
                                      xonxoff=False, rtscts=False, dsrdtr=False,
                                      exclusive=True, timeout=0)
        except ValueError as error:
            raise UsageError(f"serial port {device}: {error}") from None
        except serial.SerialException as error:
            raise _open_error(device, error) from None
        fd = self.port.fileno()
        super().__init__(fd, fd)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.port.close()


def _open_error(device: str, error: serial.SerialException) -> Exception:
    """Turn pyserial's open failure into a message that names the cause and the fix."""
    code = getattr(error, "errno", None)
    text = str(error)
    if code == errno.ENOENT or "No such file" in text:
        return Unreachable(f"serial port {device} does not exist: is the adapter plugged in "
                           "(see ls /dev/serial/by-id)?")
    if code in (errno.EACCES, errno.EPERM) or "ermission" in text:
        return UsageError(f"no permission to open {device}: add your user to the group "
                          "owning it (usually dialout) and log in again")
    if code in (errno.EBUSY, errno.EAGAIN) or "lock" in text:
        return Unreachable(f"serial port {device} is busy: another program (screen, minicom, "
                           "a getty, another rtvirt) holds it")
    return Unreachable(f"cannot open serial port {device}: {text}")


class UnixSocketStream(FdStream):
    """A connected unix stream socket, e.g. a KVM guest agent's virtio console as QEMU or
    libvirt serve it on the host."""

    def __init__(self, path: str, timeout: float = 5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(path)
        except OSError as error:
            self.sock.close()
            raise Unreachable(f"cannot connect to {path}: {error.strerror or error}") from None
        self.sock.setblocking(False)
        super().__init__(self.sock.fileno(), self.sock.fileno())

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.sock.close()
