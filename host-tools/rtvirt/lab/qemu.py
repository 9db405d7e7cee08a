"""A QEMU process for a lab target: command line, start, serial ports (ptys), QMP, stop.

Every UART the target uses is a ``-chardev pty``: a real tty on the host, so the agent's port
is opened exactly like a USB-serial adapter. The console's chardev also writes a log file,
which is how the host watches the boot. QMP (a unix socket) names the ptys QEMU allocated.
"""

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rtvirt_agent.wire.errors import RtvirtError, Unreachable

QEMU_PACKAGES = {"qemu-system-x86_64": "qemu-system-x86", "qemu-system-aarch64": "qemu-system-arm"}
IVSHMEM_SIZE = "4M"
QMP_START_S = 120.0  # QEMU answers QMP once it has loaded the initramfs (350 MB for kvm-arm64)


@dataclass(frozen=True)
class BootFiles:
    """What QEMU boots: kernel image, initramfs, device tree (None: QEMU's own), command
    line, and the kernel release they belong to."""

    kernel: Path
    initrd: Path
    dtb: Path | None
    cmdline: str
    release: str


@cache
def check_qemu(binary, machine):
    """Raise naming the package to install when ``binary`` lacks the ``machine`` type."""
    install = (f"install {QEMU_PACKAGES[binary]} (QEMU >= 10) from bookworm-backports: "
               f"tools/apt-install -t bookworm-backports {QEMU_PACKAGES[binary]}")
    if not shutil.which(binary):
        raise RtvirtError(f"{binary} is not installed: {install}")
    listing = subprocess.run([binary, "-M", "help"], capture_output=True, text=True).stdout
    if machine not in {line.split()[0] for line in listing.splitlines()[1:] if line.strip()}:
        raise RtvirtError(f"{binary} has no machine {machine!r}: {install}")


def command_line(board, boot, run_dir, agent_shares_console):
    """QEMU arguments for ``board`` booting ``boot`` (kernel, initrd, dtb, cmdline)."""
    args = [board.qemu_binary, *board.qemu_args, "-nodefaults", "-display", "none",
            "-kernel", str(boot.kernel), "-initrd", str(boot.initrd), "-append", boot.cmdline,
            "-qmp", f"unix:{run_dir / 'qmp.sock'},server=on,wait=off",
            "-pidfile", str(run_dir / "qemu.pid")]
    if boot.dtb:
        args += ["-dtb", str(boot.dtb)]
    for index in range(len(board.tty_names)):
        if index == board.console_uart:
            args += ["-chardev", f"pty,id=console,logfile={run_dir / 'console.log'}",
                     "-serial", "chardev:console"]
        elif index == board.agent_uart and not agent_shares_console:
            args += ["-chardev", "pty,id=agent", "-serial", "chardev:agent"]
        elif index == board.inmate_uart:
            args += ["-chardev", f"pty,id=inmate,logfile={run_dir / 'inmate.log'}",
                     "-serial", "chardev:inmate"]
        else:
            args += ["-serial", "null"]
    if board.has_pci:
        args += ["-object", f"memory-backend-file,id=hostmem,size={IVSHMEM_SIZE},share=on,"
                            f"mem-path={ivshmem_path(board, run_dir)}",
                 "-device", "ivshmem-plain,memdev=hostmem"]
    return args


def ivshmem_path(board, run_dir):
    """The /dev/shm file backing the target's ivshmem-plain device (one per run directory)."""
    return f"/dev/shm/rtvirt-lab-{board.name}-{hashlib.sha1(bytes(run_dir)).hexdigest()[:8]}"


def start(args, run_dir):
    """Start QEMU detached from this process (it outlives the command); returns its pid."""
    with open(run_dir / "qemu.log", "wb") as log:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   start_new_session=True)
    deadline = time.monotonic() + 10
    while not (run_dir / "qmp.sock").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            log_text = (run_dir / "qemu.log").read_text(errors="replace").strip()
            stop(process.pid)
            raise RtvirtError(f"QEMU did not start: {log_text or 'no output'}")
        time.sleep(0.05)
    return process.pid


def qmp(socket_path, command, timeout=5.0):
    """The ``return`` value of one QMP command."""
    with _connected(socket_path, timeout) as sock:
        replies = sock.makefile("r")
        replies.readline()  # greeting
        for execute in ("qmp_capabilities", command):
            sock.sendall(json.dumps({"execute": execute}).encode() + b"\n")
            reply = json.loads(replies.readline())
            while "event" in reply:
                reply = json.loads(replies.readline())
            if "error" in reply:
                raise RtvirtError(f"QEMU {execute}: {reply['error'].get('desc')}")
        return reply["return"]


def _connected(socket_path, timeout):
    """A socket connected to QEMU's monitor. QEMU binds the socket before it listens: a
    refused connection is tried again until ``timeout`` (a loaded host widens that gap)."""
    give_up_at = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(str(socket_path))
            return sock
        except OSError as err:
            sock.close()
            if not isinstance(err, ConnectionRefusedError) or time.monotonic() > give_up_at:
                raise Unreachable(f"QEMU monitor {socket_path}: {err.strerror}") from err
        time.sleep(0.05)


def pty_paths(socket_path, args, timeout=QMP_START_S):
    """{chardev id: /dev/pts/N} of the running QEMU started with ``args``: every pty chardev
    those arguments create, asked for until QEMU lists them all (``timeout`` s at most)."""
    wanted = {option.split("id=")[1].split(",")[0]
              for flag, option in itertools.pairwise(args)
              if flag == "-chardev" and option.startswith("pty,")}
    give_up_at = time.monotonic() + timeout
    while True:
        listed = qmp(socket_path, "query-chardev", timeout=QMP_START_S)
        ptys = {chardev["label"]: chardev["filename"].removeprefix("pty:")
                for chardev in listed if chardev["filename"].startswith("pty:")}
        if wanted <= ptys.keys():
            return ptys
        if time.monotonic() > give_up_at:
            raise RtvirtError(f"QEMU lists no pty for {', '.join(sorted(wanted - ptys.keys()))}"
                              f" (its chardevs: {listed})")
        time.sleep(0.2)


def running(pid):
    """Whether ``pid`` is a live QEMU process."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"qemu-system" in cmdline.read().split(b"\0")[0]
    except OSError:
        return False


def stop(pid, grace=5.0):
    """Terminate QEMU ``pid`` (SIGTERM, then SIGKILL after ``grace`` seconds)."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while running(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.05)
        if not running(pid):
            _reap(pid)
            return


def _reap(pid):
    """Collect ``pid`` if it is our child (no zombie left when the target was started here)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
