"""rtvirt-agent as a separate process, driven through the real rpc.Client.

Over --stdio (pipes) and --serial (a pty standing in for the UART); the agent must survive the
host going away and coming back, keep its session id until it restarts, log only to stderr,
and stop its loads on SIGTERM.
"""

import os
import pty
import shutil
import signal
import subprocess
import sys
import threading

import pytest
from rtvirt_agent.protocol.rpc import Client
from rtvirt_agent.streams import FdStream
from rtvirt_agent.wire.errors import RemoteError
from rtvirt_agent.wire.result import parse_result

from .sysroot import process_gone


@pytest.fixture
def agent_config(tmp_path, core_binary):
    path = tmp_path / "agent.toml"
    path.write_text(f'version = 1\ncore = "{core_binary}"\n[blocksys]\nenabled = false\n')
    return path


@pytest.fixture
def spawn_agent(tmp_path, agent_config):
    """spawn_agent(*args) -> Popen of the agent over pipes, its stderr in tmp_path/agent.log."""
    processes = []

    def spawn(*args):
        log = open(tmp_path / "agent.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "rtvirt_agent.main", "--config", str(agent_config),
             "--results-dir", str(tmp_path / "results"), *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        processes.append((process, log))
        return process

    yield spawn
    for process, log in processes:
        if process.poll() is None:
            process.kill()
        process.wait()
        log.close()


def _client(process):
    """A Client on duplicates of the agent's pipes (closing it leaves the pipes open)."""
    return Client(FdStream(os.dup(process.stdout.fileno()), os.dup(process.stdin.fileno())),
                  timeout=20)


def test_stdio_session_measure_and_results(spawn_agent, tmp_path):
    client = _client(spawn_agent("--stdio"))
    try:
        hello = client.connect()
        assert hello["core"] and "measure" in hello["ops"]
        assert client.call("sysinfo")["kernel_release"] == os.uname().release
        events = []
        reply = client.call("measure", {"threads": 1, "interval_us": 1000, "loops": 1200,
                                        "labels": {"scenario": "stdio"}},
                            on_event=events.append)
        assert events and "threads" in events[-1]
        fetched = client.call("results.get", {"id": reply["result_id"]})
        assert fetched["data"] == (tmp_path / "results" / f"{reply['result_id']}.result"
                                   ).read_bytes()
        assert parse_result(fetched["data"])["labels"] == {"scenario": "stdio"}
        with pytest.raises(RemoteError) as caught:
            client.call("blocksys", {"duration_us": 100})
        assert caught.value.code == "blocksys-disabled"
        assert client.call("results.delete", {"id": reply["result_id"]}) == {}
    finally:
        client.close()
    assert "serving on stdio" in (tmp_path / "agent.log").read_text()


MALFORMED = [
    ("cancel", {"req_id": [1]}), ("cancel", {"req_id": {"a": 1}}), ("cancel", {}),
    ("sysinfo", {1: "a", "b": 2}), ("measure", {1: 2, "loops": 3}),
    ("results.get", {"id": [1]}), ("load.stop", {"load_id": "1"}),
    ("blocksys", {"duration_us": 10, "cpus": "0-4000000000"}),
    ("measure", {"affinity": "0-4000000000"}),
    ("load", {"profile": "cpu", "cpus": "0-4000000000", "duration_s": 1}),
    ("cell.measure", {"cell": ["x"]}), ("measure", {"labels": {1: "x"}}),
]


def test_every_malformed_request_gets_bad_argument(spawn_agent):
    """Issue 14 items 1 and 4: no exception in the link callback, no hang, no huge list."""
    client = _client(spawn_agent("--stdio"))
    try:
        client.connect()
        for op, args in MALFORMED:
            with pytest.raises(RemoteError) as caught:
                client.call(op, args)
            assert caught.value.code == "bad-argument", (op, args, caught.value)
        assert client.call("results.list") == {"results": []}
    finally:
        client.close()


def test_short_ops_are_answered_while_measure_runs(spawn_agent):
    client = _client(spawn_agent("--stdio"))
    try:
        client.connect()
        replies = {}
        worker = threading.Thread(target=lambda: replies.update(client.call(
            "measure", {"threads": 1, "interval_us": 1000, "duration_s": 3})))
        worker.start()
        assert client.call("results.list")["results"] == []
        assert not replies, "results.list waited for the measure"
        worker.join(30)
        assert replies["exit_status"] == 0
    finally:
        client.close()


def test_host_reconnects_and_session_stays(spawn_agent):
    process = spawn_agent("--stdio")
    first = _client(process)
    first.connect()
    session = first.session
    first.close()
    second = _client(process)
    try:
        assert second.connect()["agent_version"]
        assert second.session == session
    finally:
        second.close()
    assert process.poll() is None


@pytest.mark.skipif(shutil.which("stress-ng") is None, reason="stress-ng missing")
def test_sigterm_stops_loads_and_exits(spawn_agent):
    process = spawn_agent("--stdio")
    client = _client(process)
    try:
        client.connect()
        client.call("load", {"profile": "cpu", "cpus": "0", "duration_s": 120})
        stress = subprocess.run(["pgrep", "-P", str(process.pid), "stress-ng"],
                                capture_output=True, text=True).stdout.split()
        assert stress
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
        assert all(process_gone(pid) for pid in stress)
    finally:
        client.close()


def test_eof_ends_the_agent(spawn_agent):
    process = spawn_agent("--stdio")
    process.stdin.close()
    assert process.wait(15) == 0


def test_serial_port_on_a_pty(spawn_agent):
    controller, port = pty.openpty()
    process = spawn_agent("--serial", os.ttyname(port), "--baud", "115200")
    client = Client(FdStream(controller, controller), timeout=20)
    try:
        assert client.connect()["hostname"]
        assert client.call("results.list") == {"results": []}
    finally:
        client.close()
        process.terminate()
        process.wait(15)
        os.close(port)  # open until the end: a pty whose last port fd closes hangs up


def test_bad_configuration_exits_2_naming_every_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("version = 3\ncolour = 1\n")
    done = subprocess.run([sys.executable, "-m", "rtvirt_agent.main", "--stdio", "--config",
                           str(bad)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "version must be 1" in done.stderr and "colour" in done.stderr
    assert done.stdout == ""


def test_unusable_results_dir_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = subprocess.run([sys.executable, "-m", "rtvirt_agent.main", "--stdio",
                           "--results-dir", str(blocker / "results")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--results-dir" in done.stderr


def test_missing_serial_port_exits_3(tmp_path):
    done = subprocess.run([sys.executable, "-m", "rtvirt_agent.main", "--serial",
                           str(tmp_path / "ttyUSB9")], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 3 and "does not exist" in done.stderr
