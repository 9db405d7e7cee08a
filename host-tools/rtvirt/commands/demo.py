"""``rtvirt demo``: boot an emulated target and reproduce the seed's experiments on it.

Idle, container, blocksys on one CPU and on all CPUs, LLC stress — each measured on every CPU
through the agent, stored in the host store, compared in a table and written as an HTML
report. ``--target`` runs the same scenarios on any other target (a board, a local agent).
"""

import argparse
import time

from rich.console import Console
from rich.live import Live
from rtvirt_agent.sysinfo.cpulist import parse_cpulist
from rtvirt_agent.wire.errors import UsageError

from rtvirt import session
from rtvirt.demo.engine import ScenarioRunner
from rtvirt.demo.seed import seed_scenarios
from rtvirt.lab import state as lab_state
from rtvirt.lab.boards import BOARDS, KERNEL_SERIES, check_kernel, get_board
from rtvirt.lab.jailhouse_demo import run_demo as run_jailhouse_demo
from rtvirt.lab.target import LabTarget
from rtvirt.live import MeasureView
from rtvirt.report.html import default_output, write_report
from rtvirt.report.table import rich_table
from rtvirt.transports import connect

NAME = "demo"
HELP = "reproduce the seed's experiments (idle, container, blocksys, LLC stress) with a report"
CONNECT_TIMEOUT_S = 30.0


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
    parser.add_argument("--board", default="x86", choices=sorted(BOARDS),
                        help="emulated board to boot (default: %(default)s)")
    parser.add_argument("--kernel", choices=KERNEL_SERIES,
                        help="Debian PREEMPT_RT kernel series (default: the board's)")
    parser.add_argument("--duration", type=duration_seconds, default=10.0, metavar="S",
                        help="seconds of measurement per scenario (default: %(default)g)")
    parser.add_argument("--scenario", action="append", metavar="NAME",
                        help="run only this scenario (repeatable; default: all)")
    parser.add_argument("--keep", action="store_true",
                        help="leave an emulated target this demo booted running afterwards "
                             "(default: stop it; one that was already running is left alone)")
    parser.add_argument("--jailhouse", action="store_true",
                        help="the seed's Jailhouse experiment instead: root cell, bare-metal "
                             "and Linux inmate on the jailhouse-arm64 lab target "
                             "(docs/inmate.md)")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="folder for the HTML report (default: a new one under "
                             "the user's data directory, printed at the end)")


def lab_target_to_stop(args):
    """The lab target the demo will boot and should stop at the end, or None."""
    if args.target or args.keep:
        return None
    current = lab_state.load(args.board)
    if current and current.alive():
        return None
    return LabTarget(args.board, args.kernel)


def target_and_labels(args):
    """The target URI and the labels every result gets; the lab always emulates (TCG)."""
    if args.target:
        return args.target, {"demo": "seed"}
    board = get_board(args.board)
    kernel = check_kernel(args.kernel or board.default_kernel, board)
    uri = f"lab:{board.name}?kernel={kernel}"
    return uri, {"demo": "seed", "board": board.name, "kernel": kernel, "emulation": "tcg"}


def boot(console, uri):
    """Connect (the lab boots or reuses its target meanwhile) and say how long it took."""
    started = time.monotonic()
    with console.status(f"connecting to {uri} (an emulated target boots first)…"):
        client, hello = connect(uri, timeout=CONNECT_TIMEOUT_S)
    console.print(f"[green]target ready[/] after {time.monotonic() - started:.1f} s: agent "
                  f"{hello.get('agent_version')} on {hello.get('hostname')}")
    return client, hello


def chosen_scenarios(console, args, hello, sysinfo, emulated):
    scenarios = seed_scenarios(parse_cpulist(sysinfo.get("cpus_online") or "0"), emulated)
    if args.scenario:
        unknown = set(args.scenario) - {scenario.name for scenario in scenarios}
        if unknown:
            raise UsageError(f"unknown scenario(s) {', '.join(sorted(unknown))}: choose from "
                             + ", ".join(scenario.name for scenario in scenarios))
        scenarios = [scenario for scenario in scenarios if scenario.name in args.scenario]
    if not hello.get("blocksys_enabled"):
        skipped = [scenario.name for scenario in scenarios if scenario.needs_blocksys]
        if skipped:
            console.print(f"[yellow]skipping {', '.join(skipped)}: blocksys is disabled in the "
                          "agent's agent.toml[/]")
        scenarios = [scenario for scenario in scenarios if not scenario.needs_blocksys]
    return scenarios


def run_scenarios(console, runner, scenarios, duration_s, emulated):
    """Each scenario under a live view, then its final figures and notes; the outcomes."""
    outcomes = []
    for number, scenario in enumerate(scenarios, start=1):
        view = MeasureView(f"[{number}/{len(scenarios)}] {scenario.name}: {scenario.summary}",
                           duration_s, emulated=emulated)
        started = time.monotonic()
        with Live(view, console=console, refresh_per_second=4, transient=True):
            outcome = runner.run(scenario, duration_s, on_event=view.update)
        heading = view.heading()
        heading.append(f"  ({time.monotonic() - started:.1f} s with result transfer)", style="dim")
        console.print(heading)
        if view.threads:
            console.print(view.table())
        if outcome.error:
            console.print(f"[red]{scenario.name} did not run:[/] {outcome.error}")
        for note in outcome.notes:
            console.print(f"  {note}")
        outcomes.append(outcome)
    return outcomes


def stop_lab_target(console, target):
    if target is not None and target.down():
        console.print(f"lab {target.board.name} stopped (--keep leaves it running)")


def summarize(console, uri, sysinfo, outcomes, output):
    """The comparison table, the HTML report (its path printed) and what did not run."""
    runs = [outcome.run for outcome in outcomes if outcome.run is not None]
    console.print(rich_table(runs, title=f"rtvirt demo on {uri}, kernel "
                                         f"{sysinfo.get('kernel_release')}"))
    notes = {outcome.run.result_id: [outcome.scenario.summary, *outcome.notes]
             for outcome in outcomes if outcome.run is not None}
    index = write_report(runs, output or default_output("demo"), notes=notes,
                         title=f"rtvirt demo: the seed's experiments on {uri}")
    print(f"report: {index}")  # unwrapped, whatever the terminal width
    failed = [outcome.scenario.name for outcome in outcomes if outcome.run is None]
    if failed:
        console.print(f"[yellow]{len(failed)} of {len(outcomes)} scenario(s) gave no result: "
                      f"{', '.join(failed)}[/]")


def run_on_target(console, uri, labels, args):
    """Connect, run the chosen scenarios; ``(sysinfo, outcomes)``."""
    client, hello = boot(console, uri)
    try:
        sysinfo = client.call("sysinfo")
        labels["virtualization"] = sysinfo.get("virtualization") or "unknown"
        emulated = labels.get("emulation") == "tcg" or labels["virtualization"] == "qemu-tcg"
        scenarios = chosen_scenarios(console, args, hello, sysinfo, emulated)
        with session.store(args) as store:
            runner = ScenarioRunner(client, store, uri, labels)
            return sysinfo, run_scenarios(console, runner, scenarios, args.duration, emulated)
    finally:
        client.close()


def run(args):
    if args.jailhouse:
        return run_jailhouse_demo(args)
    uri, labels = target_and_labels(args)
    console = Console()
    booted = lab_target_to_stop(args)
    try:
        sysinfo, outcomes = run_on_target(console, uri, labels, args)
    finally:
        stop_lab_target(console, booted)
    summarize(console, uri, sysinfo, outcomes, args.output)
    return 0
