"""The live view of a running measurement (`rtvirt measure`, each scenario of `rtvirt demo`):
elapsed time and per-CPU Min/Act/Avg/Max in µs, updated from the measure op's progress
events: redrawn in place on a terminal (``rich.live.Live``), a plain line now and then in a
pipe or a log (a test station's log shows the run is alive)."""

import contextlib
import threading
import time

from rich.console import Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from rtvirt.report.table import format_us

PLAIN_EVERY_S = 10.0
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
            table.add_row(_cpu(part, thread), str(thread["cycles"]),
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

    def elapsed_s(self):
        return min(self.clock() - self.started, self.duration_s)

    def line(self):
        """One plain line: the title, elapsed time, each thread's worst latency so far."""
        worst = ", ".join(f"CPU {_cpu(part, thread)} max {format_us(thread['max_ns'])} µs"
                          for part, thread in self.threads)
        return f"{self.heading().plain}: {self.elapsed_s():.0f} / {self.duration_s:g} s: {worst}"

    def __rich__(self):
        clock_line = Text(f"{self.elapsed_s():5.0f} / {self.duration_s:g} s  ")
        bar = ProgressBar(total=self.duration_s, completed=self.elapsed_s(), width=40)
        waiting = Text("waiting for the first progress event…", style="dim")
        return Group(self.heading(), _grid(clock_line, bar),
                     self.table() if self.threads else waiting)


def _cpu(part, thread):
    """A thread's CPU, named with its part (its place) when the view shows several."""
    return str(thread["cpu"]) if part is None else f"{part} {thread['cpu']}"


def _grid(*cells):
    grid = Table.grid()
    grid.add_row(*cells)
    return grid


@contextlib.contextmanager
def showing(view, console):
    """``view`` live while the block runs: redrawn in place on a terminal; elsewhere a plain
    line at the first progress event and then every ``PLAIN_EVERY_S``."""
    if console.is_terminal:
        with Live(view, console=console, refresh_per_second=4, transient=True):
            yield
        return
    stop = threading.Event()
    printer = threading.Thread(target=_print_lines, args=(view, console, stop), daemon=True)
    printer.start()
    try:
        yield
    finally:
        stop.set()
        printer.join()


def _print_lines(view, console, stop):
    printed_at = None
    while not stop.wait(0.2):
        if view.threads and (printed_at is None or view.clock() - printed_at >= PLAIN_EVERY_S):
            console.print(Text(view.line()), soft_wrap=True)
            printed_at = view.clock()
