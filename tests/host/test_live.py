from rich.console import Console
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
