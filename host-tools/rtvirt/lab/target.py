"""A lab target's life cycle: build its boot files, bring it up, wait for the agent, stop it."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

from rtvirt_agent.wire.errors import Unreachable, UsageError

from rtvirt.lab import kvm, qemu, state
from rtvirt.lab.boards import check_kernel, get_board
from rtvirt.lab.cache import cached
from rtvirt.lab.debian import kernel_tree
from rtvirt.lab.initramfs import build_initramfs
from rtvirt.lab.jailhouse import jailhouse_boot_files
from rtvirt.lab.qemu import BootFiles

READY_MARKER = b"rtvirt-lab: agent ready on"
LAB_PASSWORD = "lab-root-pw"
"""root's password on a lab target booted with a login console (emulated boards only); guest/init
sets it (tests/lab/test_target.py checks that they agree)."""
LAB_PASSWORD_HINT = f"RTVIRT_CONSOLE_PASSWORD={LAB_PASSWORD}"
INMATE_READY_MARKER = b"rtvirt-cell: agents started"  # on a Jailhouse Linux inmate's UART
# Under TCG on a loaded host an x86 SMP boot sometimes hangs early for good: a secondary CPU's
# timer never fires, and 21 s later the kernel's RCU stall detector says so. Seen in about one
# boot in eight here; the next boot has always come up. Such a boot is restarted at once.
HANG_MARKER = b"timer wakeup didn't happen"
BOOT_ATTEMPTS = 3


class BootHang(Unreachable):
    """The kernel reported the emulator's early-boot timer hang."""


class LabTarget:
    """One board with a chosen kernel series and console mode."""

    def __init__(self, board, kernel=None, shared_console=False, selftests=(),
                 login_console=False):
        self.board = get_board(board)
        self.kernel = check_kernel(kernel or self.board.default_kernel, self.board)
        self.login_console = login_console
        """Only the console UART, with a login shell on it and no agent started (console:)."""
        self.shared_console = self.board.shares_console(self.kernel,
                                                        shared_console or login_console)
        self.selftests = tuple(selftests)

    def build(self):
        """Kernel, initramfs and device tree for this target (cached; built when inputs change)."""
        if self.board.jailhouse:
            return jailhouse_boot_files()
        tree = kernel_tree(self.board.arch, self.kernel)
        guest = (kvm.build_vm_overlay(self.board, tree, self.kernel),) if self.board.vm_host else ()
        initrd = build_initramfs(self.board, tree, self.kernel, guest)
        return BootFiles(kernel=tree.image, initrd=initrd, dtb=self._dtb(tree),
                         cmdline=self._cmdline(), release=tree.release)

    def _cmdline(self):
        agent_tty = self.board.agent_tty(self.kernel, self.shared_console)
        # quiet: a boot log at TCG speed costs seconds; devkmsg=on: no rate limit on /dev/kmsg
        words = [f"console={self.board.console_tty},115200", "quiet", "panic=-1",
                 "printk.devkmsg=on", f"rtvirt.agent={agent_tty}"]
        modules = self.board.kernel_modules(self.kernel)
        if modules:
            words.append(f"rtvirt.modules={','.join(modules)}")
        if self.selftests:
            words.append(f"rtvirt.selftest={','.join(self.selftests)}")
        if self.board.vm_host:
            words += kvm.host_cmdline(self.board)
        if self.login_console:
            words.append("rtvirt.console=login")
        return " ".join(words)

    def _dtb(self, tree):
        """The board's device tree from the kernel package, with the lab's fixups applied."""
        if not self.board.dtb:
            return None
        source = tree.dtbs / self.board.dtb
        inputs = {"dtb": source, "deletions": repr(self.board.dtb_deletions)}

        def fix(out):
            shutil.copyfile(source, out / "board.dtb")
            for node, prop in self.board.dtb_deletions:
                subprocess.run(["fdtput", "-d", str(out / "board.dtb"), node, prop], check=True)
        return cached(f"dtb-{self.board.name}-{tree.release}", inputs, fix) / "board.dtb"

    def up(self, timeout=None):
        """The running target's state, starting it (and waiting for its agent, at most
        ``timeout`` s, default the board's) if needed."""
        timeout = timeout or self.board.ready_timeout_s
        with state.lock(self.board.name):
            current = state.load(self.board.name)
            if current and current.alive():
                self._check_matches(current)
                return current
            qemu.check_qemu(self.board.qemu_binary, self.board.machine)
            boot = self.build()
            for attempt in range(1, BOOT_ATTEMPTS):
                try:
                    return self._boot(boot, timeout)
                except BootHang:
                    print(f"lab {self.board.name}: boot {attempt} hung (a CPU's timer never "
                          f"fired, an emulation hazard under TCG); booting again",
                          file=sys.stderr)
            return self._boot(boot, timeout)

    def _check_matches(self, current):
        wanted = (self.kernel, self.shared_console, self.login_console)
        if (current.kernel, current.shared_console, current.login_console) != wanted \
                or self.selftests:
            raise UsageError(
                f"lab target {self.board.name} is already running (kernel {current.kernel}, "
                f"shared console {current.shared_console}): `rtvirt lab down "
                f"{self.board.name}` first")

    def _boot(self, boot, timeout):
        run_dir = state.fresh_run_dir(self.board.name)
        args = qemu.command_line(self.board, boot, run_dir, self.shared_console)
        started = time.monotonic()
        pid = qemu.start(args, run_dir)
        try:
            ptys = qemu.pty_paths(run_dir / "qmp.sock", args)
        except BaseException:
            qemu.stop(pid)  # nothing records it yet: nobody else could stop it
            raise
        current = state.RunState(
            board=self.board.name, kernel=self.kernel, release=boot.release,
            shared_console=self.shared_console, login_console=self.login_console, pid=pid,
            console_pty=ptys["console"],
            agent_pty=ptys.get("agent", ptys["console"]),
            agent_tty=self.board.agent_tty(self.kernel, self.shared_console),
            inmate_pty=ptys.get("inmate"),
            ivshmem=qemu.ivshmem_path(self.board, run_dir) if self.board.has_pci else None,
            started_at=time.time())
        current.save()
        self._wait_ready(current, started, timeout)
        current.ready_after_s = round(time.monotonic() - started, 1)
        current.save()
        return current

    def _wait_ready(self, current, started, timeout):
        """Wait for /init's agent-ready line on the console; Unreachable (and stop) if none."""
        error = Unreachable
        while time.monotonic() - started < timeout:
            console = _read(current.console_log)
            if READY_MARKER in console and self._inmate_ready(current) and \
                    self._vm_ready(console):
                return
            if HANG_MARKER in console:
                error = BootHang
                break
            if not current.alive():
                break
            time.sleep(0.2)
        tail = state.console_tail(current.console_log)
        self.down()
        what = ("hung during boot" if error is BootHang else
                f"did not bring its agent up within {timeout:.0f} s")
        raise error(f"lab target {self.board.name} {what}; last console lines:\n{tail}")

    def _inmate_ready(self, current):
        """True without a Linux inmate, else once its agents run (its UART says so)."""
        return not current.inmate_pty or \
            INMATE_READY_MARKER in _read(current.run_dir / "inmate.log")

    def _vm_ready(self, console):
        """True without a KVM guest, else once its agent answers (the console says so)."""
        return not self.board.vm_host or kvm.ready_marker(self.board) in console

    def down(self):
        """Stop the target if it runs; True if there was one to stop."""
        current = state.load(self.board.name)
        if not current:
            return False
        was_running = current.alive()
        qemu.stop(current.pid)
        (current.run_dir / "state.json").unlink(missing_ok=True)
        if current.ivshmem:
            Path(current.ivshmem).unlink(missing_ok=True)
        return was_running


def _read(path):
    try:
        return path.read_bytes()
    except OSError:
        return b""


def report_ready(current, stream=sys.stderr):
    """One line giving where the agent is and how long the boot took."""
    took = f"{current.ready_after_s:.1f} s" if current.ready_after_s is not None else "unknown"
    inmate = f", Linux inmate's UART {current.inmate_pty}" if current.inmate_pty else ""
    if current.login_console:
        print(f"lab {current.board}: kernel {current.release}, login shell on "
              f"{current.agent_tty} ({current.console_pty}): rtvirt --target "
              f"'console:{current.console_pty}?login=root' with {LAB_PASSWORD_HINT}, "
              f"boot to login {took}", file=stream)
        return
    print(f"lab {current.board}: kernel {current.release}, agent on {current.agent_tty} "
          f"({current.agent_pty}){inmate}, boot to agent ready {took}", file=stream)
