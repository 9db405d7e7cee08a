"""The station view: one line per board (state, progress, verdict) while boards qualify.

On a terminal it is a live table; otherwise (CI logs, pipes) plain lines: one per change of
state and, while measuring, one every PLAIN_EVERY_S seconds. Every method may be called from
any board's thread (and from a client's receiving thread, for progress), so state changes
happen under one lock.
"""

import dataclasses
import threading
import time

from rich.live import Live
from rich.table import Table
from rich.text import Text

from rtvirt.report.table import format_us

PLAIN_EVERY_S = 10.0


@dataclasses.dataclass
class BoardLine:
    state: str = "waiting"
    scenario: str = ""
    duration_s: float = 0.0
    started: float = 0.0
    max_ns: int | None = None
    verdict: str = ""
    printed: float = 0.0

    def progress(self, now):
        if not self.duration_s:
            return ""
        return f"{min(now - self.started, self.duration_s):.0f}/{self.duration_s:g} s"


def verdict_of(report):
    if report.exit_code:
        return "ERROR"
    return "PASS" if report.passed else "FAIL"


class StationView:
    """Tracks every board's line; subclasses show them."""

    def __init__(self, targets, clock=time.monotonic):
        self.lines = {target: BoardLine() for target in targets}
        self.clock = clock
        self.lock = threading.Lock()

    def state(self, target, state):
        with self.lock:
            self.lines[target].state = state
            self.changed(target)

    def measuring(self, target, scenario, duration_s):
        with self.lock:
            line = self.lines[target]
            line.state, line.scenario, line.duration_s = "measuring", scenario, duration_s
            line.started, line.max_ns = self.clock(), None
            self.changed(target)

    def progress(self, target, event):
        threads = event.get("threads") or []
        with self.lock:
            line = self.lines[target]
            line.max_ns = max((thread["max_ns"] for thread in threads), default=line.max_ns)
            self.ticked(target)

    def done(self, target, report):
        with self.lock:
            line = self.lines[target]
            line.state, line.verdict, line.duration_s = "done", verdict_of(report), 0.0
            self.changed(target)

    def describe(self, target):
        line = self.lines[target]
        parts = [line.state, line.scenario if line.state == "measuring" else "",
                 line.progress(self.clock())]
        if line.max_ns is not None and line.state == "measuring":
            parts.append(f"max {format_us(line.max_ns)} µs")
        return "  ".join(part for part in (*parts, line.verdict) if part)

    def changed(self, target):
        """A board's state changed (called under the lock)."""

    def ticked(self, target):
        """A board's measurement made progress (called under the lock)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class PlainView(StationView):
    def __init__(self, targets, out, clock=time.monotonic):
        super().__init__(targets, clock)
        self.out = out

    def changed(self, target):
        self.lines[target].printed = self.clock()
        print(f"{target}: {self.describe(target)}", file=self.out, flush=True)

    def ticked(self, target):
        if self.clock() - self.lines[target].printed >= PLAIN_EVERY_S:
            self.changed(target)


class LiveView(StationView):
    def __init__(self, targets, console, clock=time.monotonic):
        super().__init__(targets, clock)
        self.live = Live(self, console=console, refresh_per_second=2, transient=False)

    def __rich__(self):
        table = Table(box=None, padding=(0, 2))
        table.add_column("board")
        table.add_column("state")
        with self.lock:
            for target in self.lines:
                table.add_row(Text(target), Text(self.describe(target)))
        return table

    def __enter__(self):
        self.live.__enter__()
        return self

    def __exit__(self, *exc):
        return self.live.__exit__(*exc)


def station_view(targets, console):
    """The live table on a terminal, plain lines elsewhere."""
    if console.is_terminal:
        return LiveView(targets, console)
    return PlainView(targets, console.file)
