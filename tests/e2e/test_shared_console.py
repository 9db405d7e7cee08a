"""Issue 5 item 4: the agent sharing the console UART delivers intact results while the target
floods /dev/kmsg; a target killed mid-run is reported unreachable (exit 3), the next `up`
recovers."""

import os
import signal
import subprocess
import sys
import threading

import pytest
from rtvirt.lab import state
from rtvirt_agent.wire.result import parse_result, result_id

from .guest import agent, key_values, selftest_output

pytestmark = pytest.mark.e2e
BOARD, KERNEL, SELFTESTS, SHARED_CONSOLE = "x86", "6.1", ("kmsg-flood",), True


def rtvirt(*args, **popen):
    return subprocess.Popen([sys.executable, "-m", "rtvirt.cli", *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def test_result_intact_through_a_kmsg_flood_on_the_same_uart(target):
    status, lines = selftest_output(target, "kmsg-flood")
    assert status == 0 and "flood_pid" in key_values(lines)
    assert target.agent_pty == target.console_pty
    with agent(target) as client:
        reply = client.call("measure", {"smp": True, "priority": 99, "interval_us": 2000,
                                        "duration_s": 5, "histogram_us": 1000}, timeout=300)
        data = client.call("results.get", {"id": reply["result_id"]}, timeout=300)["data"]
        noise = client.stats["noise_bytes"]
    assert result_id(data) == reply["result_id"]
    assert len(parse_result(data)["threads"]) == 4
    assert noise > 0, "console text reached the agent's line"
    assert "rtvirt-lab flood" in target.console_log.read_text(errors="replace")


class StderrLines:
    """A process's stderr read line by line as it comes; ``seen`` is set at the first line
    starting with ``prefix``."""

    def __init__(self, process, prefix):
        self.lines, self.prefix, self.seen = [], prefix, threading.Event()
        self._reader = threading.Thread(target=self._read, args=(process.stderr,), daemon=True)
        self._reader.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line)
            if line.startswith(self.prefix):
                self.seen.set()

    def text(self):
        self._reader.join()
        return "".join(self.lines)


def test_killed_target_is_unreachable_then_up_recovers(target, tmp_path):
    measure = rtvirt("--target", "lab:x86?shared-console=1", "--db", str(tmp_path / "r.db"),
                     "measure", "-S", "-p", "99", "-i", "5000", "-D", "60s")
    stderr = StderrLines(measure, "measuring on ")  # a progress line: the core runs
    assert stderr.seen.wait(300), stderr.text()
    os.kill(state.load("x86").pid, signal.SIGKILL)
    measure.wait(timeout=120)
    assert measure.returncode == 3, stderr.text()
    up = rtvirt("lab", "up", "x86", "--shared-console")
    output, stderr = up.communicate(timeout=600)
    assert up.returncode == 0, stderr
    assert "boot to agent ready" in output
    with agent(state.load("x86")) as client:
        assert client.call("hello")["blocksys_enabled"] is True
