"""A running jailhouse-arm64 lab target: QEMU arm64 virt at EL2, the Jailhouse root cell's
agent on the second UART (a pty on the host), the bare-metal inmate started by its /init."""

import time
from pathlib import Path

from rtvirt_agent.errors import RtvirtError, Unreachable
from rtvirt_agent.protocol.rpc import Client
from rtvirt_agent.streams import SerialStream

from rtvirt.lab import qemu
from rtvirt.lab.jailhouse import work_root

MACHINE = ("-M", "virt,gic-version=3,virtualization=on,its=off", "-cpu", "cortex-a57",
           "-smp", "4", "-m", "1G", "-accel", "tcg")
# mem=768M keeps the inmates, links and hypervisor (0x70000000 up) away from the root Linux
CMDLINE = "console=ttyAMA0 earlycon=pl011,0x09000000 mem=768M rtvirt.agent=ttyAMA1"
READY = "rtvirt-jailhouse: agent ready"
FAILURES = ("Kernel panic", "jailhouse setup failed")


class JailhouseTarget:
    """``with JailhouseTarget(boot) as target: client = target.connect()``."""

    def __init__(self, boot, run_dir=None):
        self.boot = boot
        self.run_dir = Path(run_dir or work_root() / "run")
        self.pid = None
        self.client = None

    def command_line(self):
        return ["qemu-system-aarch64", *MACHINE, "-nodefaults", "-display", "none",
                "-kernel", str(self.boot.kernel), "-initrd", str(self.boot.initrd),
                "-append", CMDLINE,
                "-qmp", f"unix:{self.run_dir / 'qmp.sock'},server=on,wait=off",
                "-chardev", f"pty,id=console,logfile={self.run_dir / 'console.log'}",
                "-serial", "chardev:console", "-chardev", "pty,id=agent",
                "-serial", "chardev:agent"]

    def __enter__(self):
        qemu.check_qemu("qemu-system-aarch64", "virt")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for stale in ("qmp.sock", "console.log"):
            (self.run_dir / stale).unlink(missing_ok=True)
        self.pid = qemu.start(self.command_line(), self.run_dir)
        return self

    def console(self):
        try:
            return (self.run_dir / "console.log").read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_ready(self, timeout_s=600):
        """Wait for /init's "agent ready"; RtvirtError with the console's tail if it fails."""
        deadline = time.monotonic() + timeout_s
        while READY not in self.console():
            failure = next((f for f in FAILURES if f in self.console()), None)
            if failure or time.monotonic() > deadline or not qemu.running(self.pid):
                raise RtvirtError(f"jailhouse-arm64 did not come up "
                                  f"({failure or 'timeout'}):\n{self.console()[-3000:]}")
            time.sleep(1)

    def connect(self, timeout_s=120):
        """A connected protocol client on the root cell's agent UART."""
        tty = qemu.pty_paths(self.run_dir / "qmp.sock")["agent"]
        deadline = time.monotonic() + timeout_s
        while True:
            self.client = Client(SerialStream(tty), timeout=30.0)
            try:
                self.client.connect()
                return self.client
            except Unreachable:
                self.client.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.pid is not None:
            qemu.stop(self.pid)
