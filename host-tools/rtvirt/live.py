"""The live view of a running measurement (`rtvirt measure`, each scenario of `rtvirt demo`):
elapsed time and per-CPU Min/Act/Avg/Max in µs, updated from the measure op's progress
events (a rich renderable for ``rich.live.Live``)."""

import time

from rich.console import Group
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from rtvirt.report.table import format_us

COLUMNS = ("CPU", "Cycles", "Min µs", "Act µs", "Avg µs", "Max µs", "Missed")


class MeasureView:
    """What the user sees while a scenario runs; ``update`` is called from the client's
    receiving thread, rendering from the UI thread, so each event replaces the state whole.
    A scenario measuring in several places at once gives each event's ``part`` (its place):
    their threads are shown together, the CPU column naming the part."""

    def __init__(self, title, duration_s, emulated=False, clock=time.monotonic):
        self.title, self.duration_s, self.emulated = title, duration_s, emulated
        self.clock = clock
        self.started = clock()
        self.parts = {}

    def update(self, event, part=None):
        threads = event.get("threads")
        if threads is not None:
            self.parts = {**self.parts,
                          part: tuple(sorted(threads, key=lambda thread: thread["cpu"]))}

    @property
    def threads(self):
        """``(part, thread)`` of every thread reported so far, part by part."""
        parts = self.parts
        return tuple((part, thread) for part, threads in parts.items() for thread in threads)

    def table(self):
        table = Table(box=None, padding=(0, 1))
        for column in COLUMNS:
            table.add_column(column, justify="right")
        for part, thread in self.threads:
            cpu = str(thread["cpu"]) if part is None else f"{part} {thread['cpu']}"
            table.add_row(cpu, str(thread["cycles"]),
                          *(format_us(thread[key]) for key in ("min_ns", "act_ns", "avg_ns",
                                                               "max_ns")),
                          str(thread["missed"]))
        return table

    def heading(self):
        """The scenario's title, marked when its figures come from an emulated CPU."""
        heading = Text(self.title, style="bold")
        if self.emulated:
            heading.append("  emulated (TCG)", style="yellow")
        return heading

    def __rich__(self):
        elapsed = min(self.clock() - self.started, self.duration_s)
        heading = self.heading()
        clock_line = Text(f"{elapsed:5.0f} / {self.duration_s:g} s  ")
        bar = ProgressBar(total=self.duration_s, completed=elapsed, width=40)
        waiting = Text("waiting for the first progress event…", style="dim")
        return Group(heading, _grid(clock_line, bar),
                     self.table() if self.threads else waiting)


def _grid(*cells):
    grid = Table.grid()
    grid.add_row(*cells)
    return grid
