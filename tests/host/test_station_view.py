"""The station view: one line per board — state, progress, highest latency so far, verdict."""

import io

from rich.console import Console
from rtvirt.qualify.board import BoardReport
from rtvirt.qualify.station import LiveView, PlainView
from rtvirt.qualify.verdict import Failure


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def progress(max_ns):
    return {"threads": [{"cpu": 0, "max_ns": max_ns}, {"cpu": 1, "max_ns": max_ns // 2}]}


def test_plain_lines_on_each_change_and_every_ten_seconds_of_progress():
    out, clock = io.StringIO(), Clock()
    view = PlainView(["serial:a", "serial:b"], out, clock)
    view.measuring("serial:a", "idle", 60)
    clock.now += 4
    view.progress("serial:a", progress(41_000))  # 4 s since the last line: nothing new
    clock.now += 8
    view.progress("serial:a", progress(52_500))
    view.done("serial:b", BoardReport("serial:b", verdicts=[Failure("board", "gone")],
                                      exit_code=3))
    assert out.getvalue().splitlines() == [
        "serial:a: measuring  idle  0/60 s",
        "serial:a: measuring  idle  12/60 s  max 52 µs",  # whole µs, as in T: lines
        "serial:b: done  ERROR"]


def test_the_live_table_shows_every_board_with_its_verdict():
    clock = Clock()
    console = Console(file=io.StringIO(), width=100, force_terminal=True)
    view = LiveView(["serial:a", "serial:b"], console, clock)
    view.done("serial:a", BoardReport("serial:a"))
    view.state("serial:b", "connecting")
    console.print(view)
    text = console.file.getvalue()
    assert "serial:a" in text and "done  PASS" in text
    assert "serial:b" in text and "connecting" in text
