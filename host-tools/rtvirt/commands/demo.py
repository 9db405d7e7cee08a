"""``rtvirt demo``: boot an emulated target and reproduce the seed's experiments on it.

The scenarios (rtvirt.demo.catalog) run through the agent one after the other, each result is
stored in the host store, and the end compares them: the latency table, the seed's comparison
of technologies and an HTML report. ``--target`` runs the same scenarios on any other target
(a board, a local agent).
"""

import argparse
import time

from rich.console import Console
from rtvirt_agent.wire.errors import UsageError

from rtvirt import session
from rtvirt.demo.catalog import choose, listing, target_facts
from rtvirt.demo.engine import ScenarioRunner
from rtvirt.demo.show import print_listing, run_scenarios, summarize
from rtvirt.lab import state as lab_state
from rtvirt.lab.boards import BOARDS, KERNEL_SERIES, check_kernel, get_board
from rtvirt.lab.target import LabTarget
from rtvirt.transports import connect

NAME = "demo"
HELP = "reproduce the seed's experiments (idle, container, blocksys, LLC stress) with a report"
CONNECT_TIMEOUT_S = 30.0
DEFAULT_BOARD, JAILHOUSE_BOARD, KVM_BOARD = "x86", "jailhouse-arm64", "kvm-arm64"
INTERRUPTED = 130  # Ctrl-C, as rtvirt.cli.main answers it elsewhere


def duration_seconds(text):
    """--duration: at least 1 s, the shortest measurement the agent accepts."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value >= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration of at least 1 s")
    return value


def setup_parser(parser):
    parser.add_argument("--board", choices=sorted(BOARDS),
                        help=f"emulated board to boot (default: {DEFAULT_BOARD}, with "
                             f"--jailhouse {JAILHOUSE_BOARD}, with --kvm {KVM_BOARD})")
    parser.add_argument("--kernel", choices=KERNEL_SERIES,
                        help="Debian PREEMPT_RT kernel series (default: the board's)")
    parser.add_argument("--duration", type=duration_seconds, default=10.0, metavar="S",
                        help="seconds of measurement per scenario (default: %(default)g)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--only", nargs="+", metavar="NAME",
                       help="run only these scenarios (names: --list)")
    which.add_argument("--all", action="store_true",
                       help="run every scenario the target can run (the seed's other "
                            "experiments too: a few minutes)")
    which.add_argument("--list", action="store_true",
                       help="print every scenario's name and description, and exit")
    parser.add_argument("--keep", action="store_true",
                        help="leave an emulated target this demo booted running afterwards "
                             "(default: stop it; one that was already running is left alone)")
    experiment = parser.add_mutually_exclusive_group()
    experiment.add_argument("--jailhouse", action="store_true",
                            help="the seed's Jailhouse experiment instead: root cell, "
                                 f"bare-metal and Linux inmate on the {JAILHOUSE_BOARD} lab "
                                 "target (docs/inmate.md)")
    experiment.add_argument("--kvm", action="store_true",
                            help="the seed's KVM experiment instead: host and PREEMPT_RT guest "
                                 f"on the {KVM_BOARD} lab target (docs/kvm.md)")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="folder for the HTML report (default: a new one under "
                             "the user's data directory, printed at the end)")


def board_name(args):
    return args.board or (JAILHOUSE_BOARD if args.jailhouse else
                          KVM_BOARD if args.kvm else DEFAULT_BOARD)


def lab_target_to_stop(args):
    """The lab target the demo will boot and should stop at the end, or None."""
    if args.target or args.keep:
        return None
    current = lab_state.load(board_name(args))
    if current and current.alive():
        return None
    return LabTarget(board_name(args), args.kernel)


def target_and_labels(args):
    """The target URI and the labels every result gets; the lab always emulates (TCG)."""
    if args.target:
        return args.target, {"demo": "seed"}
    board = get_board(board_name(args))
    kernel = check_kernel(args.kernel or board.default_kernel, board)
    uri = f"lab:{board.name}?kernel={kernel}"
    return uri, {"demo": "seed", "board": board.name, "kernel": kernel, "emulation": "tcg"}


def boot(console, uri):
    """Connect (the lab builds and boots its target meanwhile) and say how long it took."""
    started = time.monotonic()
    with console.status(f"connecting to {uri} (an emulated target boots first; the Jailhouse "
                        "one is built the first time, about 25 min)…"):
        client, hello = connect(uri, timeout=CONNECT_TIMEOUT_S)
    console.print(f"[green]target ready[/] after {time.monotonic() - started:.1f} s: agent "
                  f"{hello.get('agent_version')} on {hello.get('hostname')}")
    return client, hello


def chosen_scenarios(console, args, facts):
    groups = ("jailhouse",) if args.jailhouse else ("kvm",) if args.kvm else ("default",)
    scenarios, skipped = choose(facts, only=args.only, groups=groups, everything=args.all)
    for name, reason in skipped:
        console.print(f"[yellow]skipping {name}: {reason}[/]")
    if not scenarios:
        raise UsageError("none of the chosen scenarios can run on this target (see above); "
                         "`rtvirt demo --list` names them all")
    return scenarios


def stop_lab_target(console, target):
    if target is not None and target.down():
        console.print(f"lab {target.board.name} stopped (--keep leaves it running)")


def run_on_target(console, uri, labels, args):
    """Connect, run the chosen scenarios; ``(sysinfo, emulated, outcomes, interrupted)``."""
    client, hello = boot(console, uri)
    try:
        sysinfo = client.call("sysinfo")
        labels["virtualization"] = sysinfo.get("virtualization") or "unknown"
        emulated = labels.get("emulation") == "tcg" or labels["virtualization"] == "qemu-tcg"
        facts = target_facts(client, hello, sysinfo, emulated)
        if facts.cells:
            console.print(f"running Jailhouse cells: {', '.join(facts.cells)}")
        if facts.vms:
            console.print("running KVM guests: " + ", ".join(
                f"{name} (vCPUs on CPUs {cpus})" for name, cpus in facts.vms.items()))
        scenarios = chosen_scenarios(console, args, facts)
        with session.store(args) as store:
            runner = ScenarioRunner(client, store, uri, labels)
            outcomes = run_scenarios(console, runner, scenarios, args.duration, emulated)
            return sysinfo, emulated, outcomes, runner.cancelled.is_set()
    finally:
        client.close()


def run(args):
    console = Console()
    if args.list:
        print_listing(console, listing())
        return 0
    uri, labels = target_and_labels(args)
    booted = lab_target_to_stop(args)
    try:
        sysinfo, emulated, outcomes, interrupted = run_on_target(console, uri, labels, args)
    finally:
        stop_lab_target(console, booted)
    title = f"{uri}, kernel {sysinfo.get('kernel_release')}"
    summarize(console, title, outcomes, args.output, emulated)
    return INTERRUPTED if interrupted else 0
