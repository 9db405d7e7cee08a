"""Helpers of the end-to-end tests: lab targets booted under QEMU, agents, self-test output.

Each test module boots its target once (module-scoped fixture) and stops it at the end. Commands run
inside the guest through the agent over the real serial line where an op exists; what no op
does (cyclictest, blocksys's errno checks) runs as a lab self-test whose output is read from
the console log between markers (docs/lab.md).
"""

import re
import shutil
import threading
import time
from contextlib import contextmanager

import pytest
from rich.console import Console
from rtvirt.demo.blocks import reached
from rtvirt.demo.engine import ScenarioRunner
from rtvirt.lab import state
from rtvirt.lab.target import LabTarget
from rtvirt.report.table import rich_table
from rtvirt.store import Store
from rtvirt.transports import connect
from rtvirt_agent.protocol.rpc import Client
from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.result import parse_result, result_id

SELFTEST_TIMEOUT_S = 600
MS = 1_000_000


def boot(board, kernel=None, shared_console=False, selftests=(), login_console=False):
    """A freshly started lab target (any previous instance of the board is stopped first)."""
    target = LabTarget(board, kernel, shared_console, selftests, login_console)
    if not shutil.which(target.board.qemu_binary):
        pytest.skip(f"{target.board.qemu_binary} missing: `make lab-qemu` installs it")
    target.down()
    current = target.up()
    print(f"\nboot-to-agent-ready {board} {current.release}: {current.ready_after_s} s")
    return target, current


@contextmanager
def agent(current, timeout=60.0):
    """A connected protocol client on the target's agent UART."""
    client = Client(SerialStream(current.agent_pty), timeout=timeout)
    try:
        client.connect()
        yield client
    finally:
        client.close()


def selftest_output(current, name, timeout=SELFTEST_TIMEOUT_S):
    """(exit status, output lines) of the lab self-test ``name``, once it has finished."""
    begin = f"=== rtvirt-selftest {name} begin ==="
    end = re.compile(rf"=== rtvirt-selftest {re.escape(name)} end status=(\d+) ===")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = current.console_log.read_text(errors="replace").replace("\r", "")
        found = end.search(text)
        if begin in text and found:
            body = text[text.index(begin) + len(begin):found.start()]
            return int(found.group(1)), body.strip().splitlines()
        assert current.alive(), f"the target died during self-test {name}"
        time.sleep(1)
    raise AssertionError(f"self-test {name} did not finish within {timeout} s")


def key_values(lines):
    """{key: value} of ``key=value`` lines (later lines win)."""
    pairs = (line.split("=", 1) for line in lines if "=" in line)
    return {key: value for key, value in pairs if " " not in key}


def measure_with_block(client, block_args, duration_s=8):
    """Parsed result of a measure on all CPUs during which one blocksys op runs.

    Returns (result, blocksys reply). The measure runs in a thread (the protocol client is
    thread-safe, the agent answers blocksys while measure runs); the block is sent once the
    core reports progress, so it lands inside the measurement however slow the spawn was.
    """
    replies, measuring = {}, threading.Event()

    def run_measure():
        replies["measure"] = client.call(
            "measure", {"smp": True, "priority": 99, "interval_us": 5000, "distance_us": 0,
                        "duration_s": duration_s, "mlock": True},
            on_event=lambda body: measuring.set(), timeout=300)
        measuring.set()

    thread = threading.Thread(target=run_measure)
    thread.start()
    assert measuring.wait(timeout=300), "the measure never reported progress"
    time.sleep(1)
    block = client.call("blocksys", block_args, timeout=120)
    thread.join()
    measured = replies["measure"]
    assert measured["exit_status"] == 0, measured["text"]
    data = client.call("results.get", {"id": measured["result_id"]}, timeout=300)["data"]
    assert result_id(data) == measured["result_id"]
    return parse_result(data), block


def max_by_cpu(result):
    return {thread["cpu"]: thread["max_ns"] for thread in result["threads"]}


@contextmanager
def lab_client(board):
    """A client on lab ``board``'s agent: the board is booted (built the first time) if it
    does not run, and stopped afterwards if it was booted here."""
    running = state.load(board)
    booted_here = not (running and running.alive())
    client, _hello = connect(f"lab:{board}", timeout=120)
    try:
        yield client
    finally:
        client.close()
        if booted_here:
            LabTarget(board).down()


def run_scenarios(client, board, scenarios, duration_s, store_path):
    """{name: outcome} of each scenario run on lab ``board`` as ``rtvirt demo`` runs it,
    their figures printed (emulated: QEMU TCG); fails on any scenario that did not run."""
    with Store(store_path) as store:
        runner = ScenarioRunner(client, store, f"lab:{board}", {"emulation": "tcg"})
        outcomes = {scenario.name: runner.run(scenario, duration_s) for scenario in scenarios}
    print("\nemulated (QEMU TCG):")
    Console(width=120).print(rich_table([run for o in outcomes.values() for run in o.runs]))
    for outcome in outcomes.values():
        print("\n".join(outcome.notes))
        assert outcome.error is None, f"{outcome.scenario.name}: {outcome.error}"
    return outcomes


def at_block(outcome, block):
    """Latencies of 90 % of ``block`` and more, over every CPU the outcome measured."""
    return sum(count or 0 for run in outcome.runs
               for count in reached(run, block.duration_us).values())
