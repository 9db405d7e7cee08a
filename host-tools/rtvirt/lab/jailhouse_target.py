"""A running jailhouse-arm64 lab target: QEMU arm64 virt at EL2; the Jailhouse root cell's
console and agent on UART0, the Linux inmate's console and agent on UART1 (each a pty on the
host); the bare-metal and the Linux inmate started by the root cell's /init."""

import subprocess
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
CMDLINE = "console=ttyAMA0 earlycon=pl011,0x09000000 mem=768M rtvirt.agent=ttyAMA0"
INMATE_UART = "/pl011@9040000"  # the Linux inmate's: disabled in the root cell's device tree
READY = "rtvirt-jailhouse: agent ready"
FAILURES = ("Kernel panic", "jailhouse setup failed")


class JailhouseTarget:
    """``with JailhouseTarget(boot) as target: client = target.connect()``."""

    def __init__(self, boot, run_dir=None):
        self.boot = boot
        self.run_dir = Path(run_dir or work_root() / "run")
        self.pid = None
        self.client = None      # on the root cell's agent, once connected
        self.clients = []

    def command_line(self):
        return ["qemu-system-aarch64", *MACHINE, "-nodefaults", "-display", "none",
                "-kernel", str(self.boot.kernel), "-initrd", str(self.boot.initrd),
                "-dtb", str(self.root_dtb()), "-append", CMDLINE,
                "-qmp", f"unix:{self.run_dir / 'qmp.sock'},server=on,wait=off",
                "-chardev", f"pty,id=console,logfile={self.run_dir / 'console.log'}",
                "-serial", "chardev:console",
                "-chardev", f"pty,id=inmate,logfile={self.run_dir / 'inmate.log'}",
                "-serial", "chardev:inmate"]

    def root_dtb(self):
        """QEMU's own device tree of this machine with UART1 disabled: it is the Linux
        inmate's, and the root cell must not touch it once the cell owns it."""
        dtb = self.run_dir / "root.dtb"
        subprocess.run(["qemu-system-aarch64", *MACHINE, "-nodefaults", "-display", "none",
                        "-machine", f"dumpdtb={dtb}", "-serial", "null", "-serial", "null"],
                       check=True, capture_output=True)
        subprocess.run(["fdtput", "-t", "s", str(dtb), INMATE_UART, "status", "disabled"],
                       check=True)
        return dtb

    def __enter__(self):
        qemu.check_qemu("qemu-system-aarch64", "virt")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for stale in ("qmp.sock", "console.log", "inmate.log"):
            (self.run_dir / stale).unlink(missing_ok=True)
        self.pid = qemu.start(self.command_line(), self.run_dir)
        return self

    def console(self, chardev="console"):
        """What the UART behind ``chardev`` printed so far ("inmate": the Linux inmate's)."""
        try:
            return (self.run_dir / f"{chardev}.log").read_text(errors="replace")
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

    def connect(self, chardev="console", timeout_s=120):
        """A connected protocol client on the root cell's UART (``chardev`` "inmate": the
        Linux inmate's)."""
        tty = qemu.pty_paths(self.run_dir / "qmp.sock")[chardev]
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
        if self.pid is not None:
            qemu.stop(self.pid)
