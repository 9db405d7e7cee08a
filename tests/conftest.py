"""Shared test configuration: tests without another marker are ``unit`` tests; fixtures for
the measurement core, a real local agent (``rtvirt-agent --stdio`` via the exec: target) and
a KVM host's VMs with a real guest agent behind their sockets."""

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings


def pytest_collection_modifyitems(items):
    for item in items:
        if not any(item.iter_markers(name) for name in ("e2e", "slow")):
            item.add_marker(pytest.mark.unit)


# Timing is not what property tests check: CI shares two cores with QEMU boots, so a slow
# example must not fail a test. The number of examples stays as each test sets it.
settings.register_profile("rtvirt", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("rtvirt")


REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def sigint_handled():
    """Ctrl-C raises KeyboardInterrupt here, and the processes started here take SIGINT as a
    terminal's foreground job does, however the suite was started: a background job of a
    shell without job control inherits SIGINT ignored, and Python then leaves it ignored."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.fixture(scope="session")
def core_binary(tmp_path_factory):
    """agent/core's rtvirt-measure, freshly built into a temporary directory."""
    out = tmp_path_factory.mktemp("core")
    built = subprocess.run(["make", "-s", "-C", str(REPO / "agent" / "core"), f"O={out}"],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return out / "rtvirt-measure"


@pytest.fixture
def agent_uri(tmp_path, core_binary):
    """The exec: URI of a real local agent using that core, its results under tmp_path."""
    config = tmp_path / "agent.toml"
    config.write_text(f'version = 1\nresults_dir = "{tmp_path / "target-results"}"\n'
                      f'core = "{core_binary}"\n')
    command = [sys.executable, "-m", "rtvirt_agent.main", "--stdio", "--config", str(config)]
    return "exec:" + shlex.join(command)


@pytest.fixture
def passing_limits():
    """passing_limits(duration_s=1) -> the text of a limits file every working board passes:
    one measuring thread on CPU 0 at a gentle 1 ms interval, for qualifications that test the
    station around the measurement rather than the figures."""
    def text(duration_s=1):
        return ('version = 1\n[limits]\nmax_us = 1e9\n[measure]\naffinity = "0"\n'
                f"interval_us = 1000\nhistogram_us = 100\nduration_s = {duration_s}\n")
    return text


class SocketAgent:
    """A unix socket whose every connection is served by a fresh real agent process (or, with
    ``command`` None, accepted and left silent)."""

    def __init__(self, path, command):
        self.command, self.processes, self.silent = command, [], []
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        self.listener.listen(4)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            if self.command is None:
                self.silent.append(connection)
                continue
            self.processes.append(subprocess.Popen(self.command, stdin=connection.fileno(),
                                                   stdout=connection.fileno(),
                                                   stderr=subprocess.DEVNULL))
            connection.close()

    def close(self):
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(timeout=10)
        for connection in self.silent:
            connection.close()
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def vm_sysroot(tmp_path, core_binary):
    """A KVM host's sysroot for the host agent's relay (ops/vm.py), with no QEMU: each VM of
    its /etc/rtvirt/vms.toml is what QEMU would offer, a pid file and the unix socket of the
    guest agent's virtio console. Behind the socket of "guest" a real ``rtvirt-agent --stdio``
    process serves each connection (as the guest's agent serves hvc0, its results under
    tmp_path/guest); "silent" accepts connections and never answers; "stopped" has a pid file
    whose QEMU is gone."""
    root = Path(tempfile.mkdtemp(prefix="rtvm", dir="/tmp"))  # unix socket paths are short
    (root / "run").mkdir()
    (root / "etc/rtvirt").mkdir(parents=True)
    for name, pid in (("guest", os.getpid()), ("silent", os.getpid()), ("stopped", dead_pid())):
        (root / f"run/{name}.pid").write_text(f"{pid}\n")
    # the real agent may take long to start on a loaded machine; the silent one is waited out
    answer_s = {"guest": 60, "silent": 2, "stopped": 2}
    (root / "etc/rtvirt/vms.toml").write_text("version = 1\n" + "".join(
        f'[vms.{name}]\nagent = "/run/{name}.sock"\npidfile = "/run/{name}.pid"\n'
        f"answer_s = {seconds}\n" for name, seconds in answer_s.items()))
    guest_config = tmp_path / "guest.toml"
    guest_config.write_text(f'version = 1\ncore = "{core_binary}"\n[blocksys]\n'
                            f"enabled = false\n")
    agents = [SocketAgent(root / "run/guest.sock",
                          [sys.executable, "-m", "rtvirt_agent.main", "--stdio", "--config",
                           str(guest_config), "--results-dir", str(tmp_path / "guest")]),
              SocketAgent(root / "run/silent.sock", None)]
    yield root
    for agent in agents:
        agent.close()
    shutil.rmtree(root)
