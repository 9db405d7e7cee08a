"""Boards on this machine for station tests and benchmarks: ``rtvirt-agent`` processes, each
behind its own emulated UART line (``line_shaper``), reached as ``serial:`` targets.

Every board measures with the given core on the host's CPUs; what makes it a board is the
agent, its own results directory and a 115200-baud line with a USB adapter's turnaround.
"""

import os
import subprocess
import sys
from pathlib import Path

from rtvirt.lab.line_shaper import LineShaper


class LocalBoard:
    """One agent on one shaped line; ``uri`` is its target, ``cut()`` pulls its line away."""

    def __init__(self, directory, core, baud):
        directory.mkdir(parents=True, exist_ok=True)
        config = directory / "agent.toml"
        config.write_text(f'version = 1\nresults_dir = "{directory / "results"}"\n'
                          f'core = "{core}"\n')
        self.line = LineShaper(baud=baud).start()
        self.uri = f"serial:{self.line.host_path}?baud={baud}"
        self.log = open(directory / "agent.log", "ab")  # noqa: SIM115 - lives with the agent
        agent = Path(sys.executable).with_name("rtvirt-agent")
        self.process = subprocess.Popen(
            [str(agent), "--serial", self.line.agent_path, "--baud", str(baud), "--config",
             str(config)], stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            env=dict(os.environ, PYTHONUNBUFFERED="1"))

    def cut(self):
        """The board drops off: its agent dies and its line goes away."""
        self.process.kill()
        self.process.wait(10)
        self.line.stop()

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
            self.line.stop()
        self.log.close()


class LocalBoards:
    """``count`` local boards; a context manager that stops them all."""

    def __init__(self, directory, core, count, baud=115200):
        self.boards = [LocalBoard(Path(directory) / f"board{index}", core, baud)
                       for index in range(count)]

    @property
    def uris(self):
        return [board.uri for board in self.boards]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for board in self.boards:
            board.stop()
