"""``rtvirt lab``: emulated PREEMPT_RT targets (x86 q35, i.MX8MP EVK, arm64 virt) under QEMU."""

import sys

from rtvirt_agent.wire.errors import UsageError

from rtvirt.lab import state
from rtvirt.lab.boards import BOARDS, KERNEL_SERIES
from rtvirt.lab.console import attach
from rtvirt.lab.target import LabTarget, report_ready

NAME = "lab"
HELP = "build, start, stop and inspect emulated targets (QEMU)"


def setup_parser(parser):
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (("build", "build kernel, root filesystem and initramfs (cached)"),
                         ("up", "start the target (or reuse it) and wait for its agent"),
                         ("down", "stop the target"),
                         ("status", "show running targets"),
                         ("console", "attach to the target's console UART (Ctrl-] leaves)")):
        sub = actions.add_parser(action, help=text, description=text)
        sub.add_argument("board", nargs="?" if action == "status" else None,
                         help=f"one of: {', '.join(BOARDS)}")
        if action in ("build", "up"):
            sub.add_argument("--kernel", help=f"Debian PREEMPT_RT series: "
                             f"{', '.join(KERNEL_SERIES)} (default: the board's)")
            sub.add_argument("--shared-console", action="store_true",
                             help="agent and kernel console on one UART")
            sub.add_argument("--login-console", action="store_true",
                             help="only the console UART, with a login shell and no agent "
                                  "started: reach it with the console: target (docs/lab.md)")
        if action == "up":
            sub.add_argument("--timeout", type=float,
                             help="seconds to wait for the agent (default: the board's, "
                                  "300; kvm-arm64 2400)")
            sub.add_argument("--selftest", action="append", default=[], metavar="NAME",
                             help="lab self-test: run guest script NAME after boot, output "
                                  "on the console between markers (see docs/lab.md)")
        if action == "console":
            sub.add_argument("--log", action="store_true",
                             help="print the console log instead of attaching")


def run(args):
    return ACTIONS[args.action](args)


def _build(args):
    boot = LabTarget(args.board, args.kernel, args.shared_console,
                     login_console=args.login_console).build()
    print(f"kernel  {boot.kernel}\ninitrd  {boot.initrd}\ndtb     {boot.dtb or '-'}\n"
          f"cmdline {boot.cmdline}")
    return 0


def _up(args):
    target = LabTarget(args.board, args.kernel, args.shared_console, args.selftest,
                       args.login_console)
    report_ready(target.up(timeout=args.timeout), stream=sys.stdout)
    return 0


def _down(args):
    stopped = LabTarget(args.board).down()
    print(f"lab {args.board}: {'stopped' if stopped else 'was not running'}")
    return 0


def _status(args):
    boards = [LabTarget(args.board).board.name] if args.board else list(BOARDS)
    for name in boards:
        current = state.load(name)
        if not current or not current.alive():
            print(f"{name:8} stopped")
            continue
        ready = f"{current.ready_after_s:.1f} s" if current.ready_after_s else "-"
        inmate = f"  Linux inmate UART {current.inmate_pty}" if current.inmate_pty else ""
        print(f"{name:8} running  kernel {current.release}  pid {current.pid}  "
              f"agent {current.agent_tty} on {current.agent_pty}  console "
              f"{current.console_pty}  ivshmem {current.ivshmem or '-'}{inmate}  "
              f"boot-to-agent {ready}")
    return 0


def _console(args):
    board = LabTarget(args.board).board.name
    current = state.load(board)
    if args.log:
        print(state.console_tail(state.run_dir(board) / "console.log", lines=10**9))
        return 0
    if not current or not current.alive():
        raise UsageError(f"lab target {board} is not running: `rtvirt lab up {board}`")
    if current.shared_console and not current.login_console:
        raise UsageError(f"the console of {board} is the agent's UART; typing there would "
                         f"disturb the agent: use `rtvirt lab console {board} --log`")
    print(f"lab {board}: console {current.console_pty} (Ctrl-] leaves)", file=sys.stderr)
    attach(current.console_pty)
    return 0


ACTIONS = {"build": _build, "up": _up, "down": _down, "status": _status, "console": _console}
