"""A serial line reached through pyserial's URL handlers: ``rfc2217://HOST:PORT`` (ser2net as
a labgrid exporter runs it) or ``socket://HOST:PORT`` (a raw TCP serial server)."""

import time

import serial
from rtvirt_agent.streams import Stream
from rtvirt_agent.wire.errors import Unreachable

POLL_S = 0.02  # pyserial's read timeout: a reconfiguration per change over RFC 2217, so fixed


class UrlSerialStream(Stream):
    def __init__(self, url, baud):
        self.url = url
        try:
            self.port = serial.serial_for_url(url, baudrate=baud, timeout=POLL_S)
        except (serial.SerialException, OSError, ValueError) as err:
            raise Unreachable(f"serial server {url} cannot be reached: {err}") from None
        self._closed = False

    def read(self, max_bytes, timeout):
        deadline = time.monotonic() + timeout
        while not self._closed:
            try:
                first = self.port.read(1)
                more = self.port.read(min(self.port.in_waiting, max_bytes - 1)) if first else b""
            except (serial.SerialException, OSError) as err:
                raise EOFError(f"{self.url}: {err}") from None
            if first or time.monotonic() >= deadline:
                return first + more
        raise EOFError("stream closed")

    def write(self, data):
        if self._closed:
            raise EOFError("stream closed")
        try:
            self.port.write(data)
        except (serial.SerialException, OSError) as err:
            raise EOFError(f"{self.url}: {err}") from None

    def close(self):
        if not self._closed:
            self._closed = True
            self.port.close()
