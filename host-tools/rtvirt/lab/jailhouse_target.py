"""The lab's jailhouse-arm64 board for the Jailhouse test, experiment and demo.

QEMU arm64 virt at EL2 (boards.py, jailhouse.py): the Jailhouse root cell's console and agent
on UART0, the Linux inmate's console and agent on UART1 (each a pty on the host), the
bare-metal and the Linux inmate started by the root cell's /init. It is the same target
``rtvirt lab up jailhouse-arm64`` starts and ``--target lab:jailhouse-arm64`` reaches.
"""

import time

from rtvirt_agent.protocol.rpc import Client
from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import Unreachable

from rtvirt.lab import state
from rtvirt.lab.jailhouse import BOARD
from rtvirt.lab.target import LabTarget


class JailhouseTarget:
    """``with JailhouseTarget() as target: client = target.connect()``: boots the board if it
    is not running, and stops it afterwards if it booted it here."""

    def __init__(self):
        self.lab = LabTarget(BOARD)
        self.current = None
        self.booted_here = False
        self.client = None      # on the root cell's agent, once connected
        self.clients = []

    def start(self):
        """Build and boot the board unless it runs already (once per object)."""
        if self.current is None:
            running = state.load(BOARD)
            self.booted_here = not (running and running.alive())
            self.current = self.lab.up()
        return self

    def __enter__(self):
        return self.start()

    def console(self, chardev="console"):
        """What the UART behind ``chardev`` printed so far ("inmate": the Linux inmate's)."""
        try:
            return (self.current.run_dir / f"{chardev}.log").read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def connect(self, chardev="console", timeout_s=120):
        """A connected protocol client on the root cell's UART (``chardev`` "inmate": the
        Linux inmate's, whose agent starts some 20 s after the root cell's)."""
        tty = self.current.agent_pty if chardev == "console" else self.current.inmate_pty
        deadline = time.monotonic() + timeout_s
        while True:
            client = Client(SerialStream(tty), timeout=30.0)
            try:
                client.connect()
            except Unreachable:
                client.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)
                continue
            self.clients.append(client)
            if chardev == "console":
                self.client = client
            return client

    def __exit__(self, *exc):
        for client in self.clients:
            client.close()
        if self.booted_here:
            self.lab.down()
