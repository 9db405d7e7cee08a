"""Running lab targets: one directory per board under ``$RTVIRT_CACHE/run/<board>/``
(``$RTVIRT_LAB_RUN/<board>/`` if set: a separate set of targets sharing the same cache).

It holds QEMU's pid file, QMP socket, output and console log, and ``state.json``: how the
target was started and where its ports are, so any later command (``status``, ``down``, a
``lab:`` transport) finds it again.
"""

import contextlib
import fcntl
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from rtvirt.lab.cache import cache_root
from rtvirt.lab.qemu import running


@dataclass
class RunState:
    """What ``rtvirt lab up`` started."""

    board: str
    kernel: str
    release: str
    shared_console: bool
    pid: int
    console_pty: str
    agent_pty: str
    agent_tty: str
    ivshmem: str | None
    started_at: float
    ready_after_s: float | None = None
    inmate_pty: str | None = None     # jailhouse-arm64: the Linux inmate's own UART
    login_console: bool = False       # a login shell on the console, agent on demand

    @property
    def run_dir(self):
        return run_dir(self.board)

    @property
    def console_log(self):
        return self.run_dir / "console.log"

    def alive(self):
        return running(self.pid)

    def save(self):
        path = self.run_dir / "state.json"
        path.with_suffix(".tmp").write_text(json.dumps(asdict(self), indent=1))
        path.with_suffix(".tmp").rename(path)


def run_root():
    return Path(os.environ.get("RTVIRT_LAB_RUN") or cache_root() / "run")


def run_dir(board):
    return run_root() / board


@contextlib.contextmanager
def lock(board):
    """Exclusive hold on ``board`` while it is started, so two commands never boot it twice."""
    path = run_root() / f".{board}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def load(board):
    """The recorded state of ``board``, or None (never started, or a damaged record)."""
    try:
        return RunState(**json.loads((run_dir(board) / "state.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def fresh_run_dir(board):
    """An empty run directory for ``board`` (what a previous run left is removed)."""
    path = run_dir(board)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def console_tail(path, lines=40):
    """The last ``lines`` lines of the console log ``path`` (what a failure report shows)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no console output)"
    return "\n".join(text.replace("\r", "").splitlines()[-lines:])
