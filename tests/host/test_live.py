import io
import threading

from rich.console import Console
from rtvirt import live
from rtvirt.live import MeasureView


def rendered(view):
    console = Console(width=100, record=True)
    console.print(view)
    return console.export_text()


def event(cpu, max_ns):
    return {"cpu": cpu, "cycles": 1500, "min_ns": 2100, "act_ns": 5000, "avg_ns": 7250,
            "max_ns": max_ns, "missed": 0}


def test_view_shows_live_figures_per_cpu_in_cpu_order():
    now = [100.0]
    view = MeasureView("idle", 30, clock=lambda: now[0])
    now[0] = 112.0
    view.update({"threads": [event(1, 4_012_000), event(0, 45_500)]})
    lines = rendered(view).splitlines()
    assert "12 / 30 s" in lines[1]
    rows = [line.split() for line in lines if line.strip()[:1].isdigit() and "/" not in line]
    # whole µs, truncated, as the T: lines show them (4_012_000 ns and 45_500 ns)
    assert rows == [["0", "1500", "2", "5", "7", "45", "0"],
                    ["1", "1500", "2", "5", "7", "4012", "0"]]


def test_view_waits_for_events_and_labels_emulation():
    text = rendered(MeasureView("idle", 30, emulated=True))
    assert "waiting for the first progress event" in text
    assert "emulated (TCG)" in text


def test_heading_alone_carries_the_emulation_mark():
    assert MeasureView("idle", 30, emulated=True).heading().plain == "idle  emulated (TCG)"
    assert MeasureView("idle", 30).heading().plain == "idle"


def test_view_ignores_events_without_threads():
    view = MeasureView("idle", 30)
    view.update({"threads": [event(0, 1000)]})
    view.update({"note": "something else"})
    assert len(view.threads) == 1


class Lines(io.StringIO):
    """A pipe's end that tells when a line has been written."""

    def __init__(self):
        super().__init__()
        self.ended = threading.Semaphore(0)

    def write(self, text):
        for _ in range(text.count("\n")):
            self.ended.release()
        return super().write(text)


def test_in_a_pipe_the_view_is_a_plain_line_at_the_first_event_then_every_interval():
    now, pipe = [100.0], Lines()
    view = MeasureView("measuring on board", 60, clock=lambda: now[0])
    console = Console(file=pipe, width=60)  # not a terminal; lines must not be wrapped
    with live.showing(view, console):
        now[0] = 105.0
        view.update({"threads": [event(2, 45_500), event(3, 4_012_000)]})
        assert pipe.ended.acquire(timeout=30)
        view.update({"threads": [event(2, 51_000), event(3, 4_012_000)]})
        now[0] = 105.0 + live.PLAIN_EVERY_S
        assert pipe.ended.acquire(timeout=30)
    assert pipe.getvalue().splitlines() == [
        "measuring on board: 5 / 60 s: CPU 2 max 45 µs, CPU 3 max 4012 µs",
        "measuring on board: 15 / 60 s: CPU 2 max 51 µs, CPU 3 max 4012 µs"]
