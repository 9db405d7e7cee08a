"""``kill -9`` of the agent (issue 14 item 2): the core dies with it and releases SCHED_FIFO and
PM QoS; the next agent adopts the partial result the core left and never deletes the work
directory of a core that still runs. Real agent process, real core."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from rtvirt_agent.protocol.rpc import Client
from rtvirt_agent.store import ResultStore
from rtvirt_agent.streams import FdStream
from rtvirt_agent.wire.errors import RtvirtError

from .sysroot import process_gone

WAIT_S = 60.0
"""How long a condition may take to come true before the test gives up (a hang, not a speed
limit: the run asked of the core lasts 10 minutes)."""


def wait_until(condition, what):
    """Poll ``condition`` until it holds; fail naming ``what`` after WAIT_S."""
    give_up = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < give_up, f"still waiting for {what}"
        time.sleep(0.05)


def children_named(parent, name):
    """Pids of the live children of ``parent`` whose command is ``name``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        comm, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:]
        if comm == name and int(rest.split()[1]) == parent and rest[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def spawn_agent(tmp_path, core_binary):
    config = tmp_path / "agent.toml"
    config.write_text(f'version = 1\ncore = "{core_binary}"\n')
    return subprocess.Popen(
        [sys.executable, "-m", "rtvirt_agent.main", "--stdio", "--config", str(config),
         "--results-dir", str(tmp_path / "results")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def client_of(agent):
    return Client(FdStream(os.dup(agent.stdout.fileno()), os.dup(agent.stdin.fileno())),
                  timeout=20)


def test_the_core_dies_with_its_agent_and_the_next_agent_adopts_its_result(tmp_path,
                                                                            core_binary):
    agent = spawn_agent(tmp_path, core_binary)
    client = client_of(agent)
    client.connect()
    call = threading.Thread(target=lambda: _ignore_errors(
        lambda: client.call("measure", {"threads": 1, "interval_us": 1000, "duration_s": 600,
                                        "labels": {"scenario": "orphan"}})), daemon=True)
    call.start()
    wait_until(lambda: children_named(agent.pid, "rtvirt-measure"), "the core to start")
    (core,) = children_named(agent.pid, "rtvirt-measure")
    agent.kill()
    agent.wait()
    client.close()
    wait_until(lambda: process_gone(core), "the core to stop after its agent was killed")

    successor = spawn_agent(tmp_path, core_binary)
    client = client_of(successor)
    try:
        client.connect()
        (entry,) = client.call("results.list")["results"]
        assert entry["labels"]["scenario"] == "orphan"
    finally:
        client.close()
        successor.kill()
        successor.wait()
    assert not list((tmp_path / "results").glob(".work-*"))


def _ignore_errors(call):
    with contextlib.suppress(RtvirtError):  # the agent is killed under it
        call()


def test_a_live_cores_work_directory_is_never_removed(tmp_path):
    """A dead agent's work directory stays while a process still uses it."""
    results = tmp_path / "results"
    results.mkdir()
    dead = _dead_pid()
    work = results / f".work-measure-1-{dead}-0a1b2c"
    work.mkdir()
    user = subprocess.Popen([sys.executable, "-c",
                             "import time; print('running', flush=True); time.sleep(600)",
                             f"--result={work}/result.rtr"], stdout=subprocess.PIPE)
    # its command line is readable once it runs (Popen returns a moment before the kernel
    # has set it up)
    assert user.stdout.readline() == b"running\n"
    try:
        assert ResultStore(results).remove_leftovers() == []
        assert work.is_dir()
    finally:
        user.send_signal(signal.SIGKILL)
        user.wait()
    assert ResultStore(results).remove_leftovers() == [work.name]


def _dead_pid():
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
