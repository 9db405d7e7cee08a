"""Serial line shaper: two pty pairs joined by a simulated UART line with faults.

The host opens ``shaper.host_path``, the agent ``shaper.agent_path``. Each direction moves
bytes no faster than the baud rate allows (10 bits per byte, 8N1), delivers them ``latency``
seconds after they left the wire (like a USB adapter's latency timer), and injects faults
from a seeded random generator: flipped bytes, dropped bytes and bursts of kernel-log text,
so the same seed and the same traffic give the same damage. ``disconnect(seconds)`` drops
everything in both directions for a while, like a pulled cable.
The protocol tests and bench/serial.py both use it; it depends on nothing but the stdlib.
"""

import math
import os
import random
import select
import threading
import time
import tty
from collections import deque

PRINTK_LINES = (
    "usb 1-1: new high-speed USB device number 3 using xhci_hcd",
    "usb 1-1: New USB device found, idVendor=0403, idProduct=6001, bcdDevice= 6.00",
    "eth0: Link is Up - 1Gbps/Full - flow control rx/tx",
    "systemd[1]: Started Journal Service.",
    "EXT4-fs (mmcblk0p2): mounted filesystem with ordered data mode. Quota mode: none.",
    "sched: RT throttling activated",
    "imx8mp-ldb 32ec0000.blk-ctrl:bridge@5c: failed to find panel or bridge",
    "rtvirt login: ",
)
TX_BUFFER = 4096
"""Bytes a sender may have queued before its writes block (a UART driver's transmit buffer)."""
TICK = 0.002
"""Bytes are handed over in batches at most this often (a USB adapter polls every 1 ms)."""


class _Direction:
    """Moves bytes from one pty master to the other, paced, delayed and damaged."""

    def __init__(self, name, source, sink, line, rng, noise):
        self.name, self.source, self.sink, self.line, self.rng = name, source, sink, line, rng
        self.noise_rate = noise
        self.stats = dict(bytes_in=0, bytes_out=0, corrupted=0, dropped=0, noise_bytes=0,
                          overrun=0, lost_disconnected=0)
        self._queue = deque()
        self._queued = 0
        self._seen = 0
        self._line_free = 0.0
        self._event_rate = line.corrupt + line.drop + noise
        self._gap = self._draw_gap()
        self._extra = deque()

    def _draw_gap(self) -> int:
        if self._event_rate <= 0:
            return math.inf
        return int(math.log(1.0 - self.rng.random()) / math.log(1.0 - self._event_rate))

    def _printk_burst(self, position: int) -> bytes:
        """Kernel-log lines stamped with the line time of ``position`` (reproducible)."""
        stamp = 3.0 + (self._seen + position) * self.line.byte_time
        count = self.rng.randint(1, 3)
        text = "".join(f"\r\n[{stamp:12.6f}] {self.rng.choice(PRINTK_LINES)}"
                       for _ in range(count)) + "\r\n"
        return text.encode()

    def mangle(self, data: bytes) -> bytes:
        """Apply the seeded faults to bytes entering the wire."""
        out = bytearray()
        position = 0
        while position + self._gap < len(data):
            at = position + self._gap
            out += data[position:at]
            roll = self.rng.random() * self._event_rate
            if roll < self.line.corrupt:
                out.append(data[at] ^ self.rng.randrange(1, 256))
                self.stats["corrupted"] += 1
            elif roll < self.line.corrupt + self.line.drop:
                self.stats["dropped"] += 1
            else:
                burst = self._printk_burst(at)
                self.stats["noise_bytes"] += len(burst)
                out += burst
                out.append(data[at])
            position = at + 1
            self._gap = self._draw_gap()
        out += data[position:]
        self._gap -= len(data) - position
        self._seen += len(data)
        return bytes(out)

    def inject(self, text: bytes) -> None:
        """Put text on the wire as if the sending side's console printed it."""
        self._extra.append(text)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            now = time.monotonic()
            wait = self._deliver(now)
            room = TX_BUFFER - self._queued
            readable = [self.source] if room > 0 else []
            ready, _, _ = select.select(readable, [], [], min(max(wait, TICK), 0.05))
            if ready:
                self._accept(os.read(self.source, room), time.monotonic())
            while self._extra:
                self._schedule(self._extra.popleft(), time.monotonic())

    def _accept(self, data: bytes, now: float) -> None:
        self.stats["bytes_in"] += len(data)
        if self.line.down_until > now:
            self.stats["lost_disconnected"] += len(data)
            return
        self._schedule(self.mangle(data), now)

    def _schedule(self, data: bytes, now: float) -> None:
        start = max(now, self._line_free)
        self._line_free = start + len(data) * self.line.byte_time
        self._queue.append([start, data, 0])
        self._queued += len(data)

    def _deliver(self, now: float) -> float:
        """Write every byte whose time has come; return seconds until the next one is due."""
        byte_time, latency = self.line.byte_time, self.line.latency
        while self._queue:
            chunk = self._queue[0]
            start, data, sent = chunk
            due = min(len(data), int((now - latency - start) / byte_time))
            if due > sent:
                self._write(data[sent:due], now)
                self._queued -= due - sent
                chunk[2] = sent = due
            if sent < len(data):
                return start + (sent + 1) * byte_time + latency - now
            self._queue.popleft()
        return 0.05

    def _write(self, data: bytes, now: float) -> None:
        if self.line.down_until > now:
            self.stats["lost_disconnected"] += len(data)
            return
        try:
            written = os.write(self.sink, data)
        except BlockingIOError:
            written = 0
        self.stats["overrun"] += len(data) - written
        self.stats["bytes_out"] += written


class LineShaper:
    """A serial line between ``host_path`` and ``agent_path``; use as a context manager.

    ``corrupt`` and ``drop`` are per-byte probabilities in both directions; ``noise`` is the
    per-byte probability of a printk burst landing before a byte sent by the agent (the
    target's console shares its UART).
    """

    def __init__(self, *, baud=115200, latency=0.016, seed=0, corrupt=0.0, drop=0.0, noise=0.0):
        self.baud, self.latency = baud, latency
        self.byte_time = 10.0 / baud
        self.corrupt, self.drop = corrupt, drop
        self.down_until = 0.0
        self._fds = []
        host_master, self.host_path = self._open_pty()
        agent_master, self.agent_path = self._open_pty()
        self.to_agent = _Direction("to_agent", host_master, agent_master, self,
                                   random.Random(f"{seed}/to_agent"), 0.0)
        self.to_host = _Direction("to_host", agent_master, host_master, self,
                                  random.Random(f"{seed}/to_host"), noise)
        self._stop = threading.Event()
        self._threads = []

    def _open_pty(self):
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._fds += [master, slave]
        return master, os.ttyname(slave)

    @property
    def stats(self) -> dict:
        return {"to_agent": dict(self.to_agent.stats), "to_host": dict(self.to_host.stats)}

    def start(self) -> "LineShaper":
        for direction in (self.to_agent, self.to_host):
            thread = threading.Thread(target=direction.run, args=(self._stop,),
                                      name=f"shaper-{direction.name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def disconnect(self, seconds: float) -> None:
        """Pull the cable for ``seconds``: bytes on the wire or sent meanwhile are lost."""
        self.down_until = time.monotonic() + seconds

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        for fd in self._fds:
            os.close(fd)
        self._fds.clear()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
