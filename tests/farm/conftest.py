"""A real labgrid lab on this machine: a coordinator, an exporter exporting a board's UART
(a local agent behind a shaped pty line) through ser2net, and places on the coordinator."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rtvirt.lab.local_boards import LocalBoards

BIN = Path(sys.executable).parent
READY_TIMEOUT_S = 60.0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client(coordinator, *args, check=True):
    return subprocess.run([str(BIN / "labgrid-client"), "-x", coordinator, *args],
                          capture_output=True, text=True, timeout=60, check=check)


def wait_until(condition, what):
    """Poll ``condition`` (an answer from a server, not a clock) until it holds."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready within {READY_TIMEOUT_S:g} s")
        time.sleep(0.2)


def accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def processes(tmp_path):
    """Start servers in tmp_path (the coordinator keeps its places.yaml in its directory)."""
    started = []

    def start(*argv):
        log = open(tmp_path / f"{Path(argv[0]).name}.log", "ab")  # noqa: SIM115
        started.append((subprocess.Popen(argv, stdout=log, stderr=log, cwd=tmp_path,
                                         stdin=subprocess.DEVNULL), log))
        return started[-1][0]
    yield start
    for process, log in reversed(started):
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


@pytest.fixture
def coordinator(processes):
    port = free_port()
    processes(str(BIN / "labgrid-coordinator"), "-l", f"127.0.0.1:{port}")
    wait_until(lambda: accepts(port), "labgrid-coordinator")
    return f"127.0.0.1:{port}"


@pytest.fixture
def board(tmp_path, core_binary):
    with LocalBoards(tmp_path / "boards", core_binary, 1) as boards:
        yield boards.boards[0]


@pytest.fixture
def exported_place(tmp_path, coordinator, board, processes):
    """The board's UART exported (RawSerialPort → ser2net → NetworkSerialPort) and matched
    by place "board1"; returns the place name."""
    config = tmp_path / "exporter.yaml"
    config.write_text(f"uart:\n  RawSerialPort:\n    port: \"{board.line.host_path}\"\n"
                      "    speed: 115200\n")
    processes(str(BIN / "labgrid-exporter"), "-c", coordinator, "-n", "station",
              "--hostname", "127.0.0.1", str(config))
    wait_until(lambda: "station/uart/NetworkSerialPort" in client(coordinator, "resources",
                                                                 check=False).stdout,
               "the exporter's resources")
    client(coordinator, "-p", "board1", "create")
    client(coordinator, "-p", "board1", "add-match", "station/uart/*")
    return "board1"
