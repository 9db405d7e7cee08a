"""Acceptance: Debian's cyclictest (rt-tests 2.4) and rtvirt-measure run with the same flags
print T: lines that agree field by field (docs/result-format.md, "cyclictest fidelity").

Latencies differ from run to run, so the figures are compared by what both tools guarantee:
thread count, P: and I: per thread, C: bounded by -l with the first finished thread ending the
run, Min <= Avg <= Max, the layout of every field, and the -b break lines.
"""

import json
import os
import re
import shutil
import subprocess

import pytest

from .test_core_cli import t_lines

pytestmark = pytest.mark.skipif(not shutil.which("cyclictest"),
                                reason="rt-tests' cyclictest not installed (make installs it)")
CPUS = len(os.sched_getaffinity(0))


def both(run_measure, flags, rt_needed=False, rt_available=True):
    """(ours, theirs): the two tools' completed runs with the same flags."""
    if rt_needed and not rt_available:
        pytest.skip("SCHED_FIFO not allowed here")
    ours = run_measure(*flags)
    theirs = subprocess.run(["cyclictest", *flags], capture_output=True, text=True, timeout=60)
    assert ours.returncode == 0, ours.stderr
    assert theirs.returncode == 0, theirs.stderr
    return ours, theirs


def fields(completed):
    """Per T: line: (index, P, I, C, Min, Avg, Max) as ints."""
    lines = t_lines(completed.stdout)
    assert lines and all(lines), completed.stdout
    return [tuple(int(m[k]) for k in ("t", "p", "i", "c", "min", "avg", "max")) for m in lines]


def labels(completed):
    """The T: lines' field labels in order (widths are held by T_LINE for each tool)."""
    return [re.findall(r"[A-Za-z]+:", m.group(0)) for m in t_lines(completed.stdout)]


@pytest.mark.parametrize("flags, threads", [
    (["-t2", "-i300", "-l30", "-q"], 2),              # -p absent: SCHED_OTHER, P: 0
    (["-a", "-i300", "-l20", "-q"], 1),               # -a without a list: one thread
    (["-t", "-i300", "-l20", "-q"], CPUS),            # -t without a number: one per CPU
    (["-a", "-t", "-i300", "-l20", "-q"], CPUS),
    (["-a0", "-t2", "-i300", "-l30", "-q"], 2),       # -l with two threads
])
def test_t_lines_agree(run_measure, flags, threads):
    ours, theirs = both(run_measure, flags)
    mine, ref = fields(ours), fields(theirs)
    assert len(mine) == len(ref) == threads
    loops = int(next(f for f in flags if f.startswith("-l"))[2:])
    for rows in (mine, ref):
        assert [r[0] for r in rows] == list(range(threads))
        assert all(r[1] == 0 for r in rows)                       # cyclictest's default priority
        assert max(r[3] for r in rows) == loops and all(r[3] <= loops for r in rows)
        assert all(r[4] <= r[5] <= r[6] for r in rows if r[3])
    assert [r[2] for r in mine] == [r[2] for r in ref]           # I: with -d's spread
    assert labels(ours) == labels(theirs)
    assert _comments(ours) == _comments(theirs)


def _comments(completed):
    return [line for line in completed.stdout.splitlines() if line.startswith("#")]


def test_priospread_as_cyclictest(run_measure, rt_available):
    ours, theirs = both(run_measure, ["-a0", "-t12", "-p99", "--priospread", "-i1000", "-l5",
                                      "-q"], rt_needed=True, rt_available=rt_available)
    assert [r[1] for r in fields(ours)] == [r[1] for r in fields(theirs)] == list(range(99, 87, -1))


def test_priospread_without_p_as_cyclictest(run_measure, rt_available):
    ours, theirs = both(run_measure, ["-t3", "--priospread", "-l5", "-q"], rt_needed=True,
                        rt_available=rt_available)
    assert [r[1] for r in fields(ours)] == [r[1] for r in fields(theirs)] == [4, 3, 2]


def test_break_as_cyclictest(run_measure):
    """-b 1: the first latency above 1 us ends both runs and both say which thread broke."""
    ours, theirs = both(run_measure, ["-t2", "-b1", "-i300", "-l1000", "-q"])
    for done in (ours, theirs):
        tail = _comments(done)[-4:] if done is ours else _comments(done)[-3:]
        tids = [int(m["tid"]) for m in t_lines(done.stdout)]
        assert tail[0] == "# Thread Ids: " + " ".join(f"{t:05d}" for t in tids)
        assert int(tail[1].removeprefix("# Break thread: ")) in tids
        assert int(tail[2].removeprefix("# Break value: ")) > 1
        assert all(r[3] < 1000 for r in fields(done))
    broke = int(_comments(ours)[-3].removeprefix("# Break thread: "))
    index = [int(m["tid"]) for m in t_lines(ours.stdout)].index(broke)
    assert re.fullmatch(rf"# Break cycle: \d+ \(T:{index}\)", _comments(ours)[-1])


def test_json_layout_as_cyclictest(run_measure, tmp_path):
    """--json FILE: cyclictest's keys, nesting and value types."""
    flags = ["-t2", "-i300", "-l30", "-h200", "-q"]
    ours, theirs = both(run_measure, [*flags, f"--json={tmp_path}/ours.json"])
    subprocess.run(["cyclictest", *flags, f"--json={tmp_path}/theirs.json"], check=True,
                   capture_output=True, timeout=60)
    mine = json.loads((tmp_path / "ours.json").read_text())
    ref = json.loads((tmp_path / "theirs.json").read_text())
    assert _types(mine) == _types(ref)
    assert mine["num_threads"] == 2 and sorted(mine["thread"]) == ["0", "1"]
    for thread in mine["thread"].values():
        counted = sum(thread["histogram"].values())
        assert counted <= thread["cycles"] and thread["min"] <= thread["avg"] <= thread["max"]


def _types(doc):
    """The document's structure: keys and value types, histogram buckets left out."""
    if isinstance(doc, dict):
        return {k: "histogram" if k == "histogram" else _types(v) for k, v in doc.items()}
    return type(doc).__name__ if not isinstance(doc, float) else "number"
