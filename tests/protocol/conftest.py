"""Fixtures: a shaped serial line (two tty paths) and rtvirt-agent processes on it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rtvirt.lab.line_shaper import LineShaper

AGENT = Path(sys.executable).with_name("rtvirt-agent")


@pytest.fixture
def serial_line():
    """Factory: ``serial_line(baud=..., corrupt=..., ...)`` → a started ``LineShaper``."""
    lines = []

    def make(**settings):
        line = LineShaper(**settings).start()
        lines.append(line)
        return line

    yield make
    for line in lines:
        line.stop()


class AgentProcess:
    """rtvirt-agent serving one tty path; ``restart()`` kills it and starts a fresh one."""

    def __init__(self, tty_path: str, baud: int, results_dir: Path, log_path: Path):
        self.command = [str(AGENT), "--serial", tty_path, "--baud", str(baud),
                        "--results-dir", str(results_dir)]
        self.log = open(log_path, "ab")  # noqa: SIM115 - lives as long as the process
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=self.log,
                                        env=dict(os.environ, PYTHONUNBUFFERED="1"))

    def restart(self) -> None:
        self.process.kill()
        self.process.wait(10)
        time.sleep(0.2)
        self.start()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(10)
        self.log.close()


@pytest.fixture
def agent_on(tmp_path):
    """Factory: ``agent_on(line, baud)`` → an ``AgentProcess`` on the line's agent end."""
    agents = []

    def start(line: LineShaper, baud: int, results_dir: Path) -> AgentProcess:
        agent = AgentProcess(line.agent_path, baud, results_dir, tmp_path / "agent.log")
        agents.append(agent)
        return agent

    yield start
    for agent in agents:
        agent.stop()
