"""``rtvirt results compare A B``: B's latencies per CPU against baseline A, for CI.

A regression is B's max or p99.9 above A's by more than the allowed percentage (both in whole
µs, truncated, the figures every output shows). A CPU measured in only one of the two is
listed, not judged.
"""

from rtvirt.report.table import format_us
from rtvirt.tables import Column

FIGURES = (("max", "max_ns"), ("p99.9", "p999_ns"))


def _cpu_label(cpu):
    return "unpinned" if cpu < 0 else str(cpu)


def compare_runs(baseline, candidate, max_regression_pct):
    """One row per CPU and figure: both values, the growth and whether it is a regression
    (B above A × (1 + PCT/100))."""
    by_cpu = {cpu.cpu: cpu for cpu in baseline.cpus}
    rows = []
    for cpu in candidate.cpus:
        base = by_cpu.get(cpu.cpu)
        for name, attr in FIGURES:
            after_ns, before_ns = getattr(cpu, attr), getattr(base, attr) if base else None
            judged = before_ns is not None and after_ns is not None
            before, after = (before_ns // 1000, after_ns // 1000) if judged else (None, None)
            rows.append({"cpu": cpu.cpu, "figure": name, "baseline_ns": before_ns,
                         "candidate_ns": after_ns,
                         "growth_pct": (after - before) * 100.0 / before
                         if judged and before else None,
                         "regression": judged and after > before * (1 + max_regression_pct / 100)})
    return rows


def compare_table():
    return (Column("CPU", "cpu", _cpu_label, right=True),
            Column("figure", "figure"),
            Column("A µs", "baseline_ns", format_us, right=True),
            Column("B µs", "candidate_ns", format_us, right=True),
            Column("change %", "growth_pct", lambda pct: f"{pct:+.1f}", right=True),
            Column("verdict", "regression", lambda bad: "REGRESSION" if bad else "ok"))
