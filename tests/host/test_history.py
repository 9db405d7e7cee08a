"""``rtvirt history BOARD``: a board's results in time order, regressions against the best
earlier result of the same scenario, found by serial number, host name or target URI."""

import pytest
from rtvirt.history import Point, flag_regressions
from rtvirt.store import Store
from rtvirt_agent.wire.result import build_result, parse_result

HOUR_NS = 3600 * 10**9


@pytest.fixture
def make_variant(record):
    """make_variant(max_us, hour, **labels) -> a record of ``record`` with those figures."""
    base = parse_result(record)

    def make(max_us, hour, **labels):
        result = {**base, "labels": {**base["labels"], **labels},
                  "start_realtime_ns": base["start_realtime_ns"] + hour * HOUR_NS}
        result["threads"] = [{**thread, "max_ns": max_us * 1000,
                              "p99_99_ns": max_us * 500} for thread in base["threads"]]
        return build_result(result)
    return make


def point(max_us, p9999_us, scenario="idle"):
    return Point("r", None, scenario, "k", "", max_us, p9999_us)


def test_a_result_worse_than_the_best_earlier_one_is_a_regression():
    points = flag_regressions([point(50, 20), point(90, 20), point(58, 20), point(61, 30),
                               point(500, 500, "load")], allowed_pct=20)
    assert [bool(p.regression) for p in points] == [False, True, False, True, False]
    assert "max 61 µs > 50 µs + 20 %" in points[3].regression
    assert "p99.99 30 µs > 20 µs" in points[3].regression


def test_history_by_serial_number_with_table_and_plot(rtvirt, tmp_path, make_variant):
    with Store(tmp_path / "store.sqlite") as store:
        for max_us, hour in ((40, 0), (42, 1), (95, 2)):
            store.add(make_variant(max_us, hour, board_serial="SN-7", scenario="idle",
                                   image_build_id=f"b{hour}"), "serial:/dev/ttyUSB0")
        store.add(make_variant(10, 3, board_serial="SN-8", scenario="idle"), "serial:x")
    done = rtvirt("history", "SN-7", "--plot", str(tmp_path / "h.png"))
    assert done.returncode == 0, done.stderr
    header, *rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert header[:4] == ["started", "scenario", "kernel", "build"]
    assert [(row[1], row[3], row[4]) for row in rows] == \
        [("idle", "b0", "40.0"), ("idle", "b1", "42.0"), ("idle", "b2", "95.0")]
    assert [row[7] for row in rows][:2] == ["", ""]
    assert rows[2][7].startswith("max 95 µs > 40 µs + 20 %")
    assert "1 regression(s) of SN-7" in done.stderr
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"


def test_history_by_target_uri_and_an_unknown_board(rtvirt, tmp_path, make_variant):
    with Store(tmp_path / "store.sqlite") as store:
        store.add(make_variant(40, 0, scenario="a$b$"), "exec:board-3")
    assert rtvirt("history", "exec:board-3", "--plot", str(tmp_path / "p.png")).returncode == 0
    unknown = rtvirt("history", "SN-404")
    assert unknown.returncode == 2 and "no stored results of board 'SN-404'" in unknown.stderr
