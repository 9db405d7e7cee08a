"""A board's results over time: max and p99.99 per scenario, regressions flagged.

A result regresses when its max or p99.99 (the worst CPU's) exceeds the best of the same
scenario's earlier results on that board by more than the allowed percentage: a slow drift
shows as well as a jump, and one bad run does not raise the bar for the next.
"""

import dataclasses
import datetime

from rtvirt.report.run import NS_PER_US


@dataclasses.dataclass(frozen=True)
class Point:
    result_id: str
    started: datetime.datetime
    scenario: str
    kernel: str
    build_id: str
    max_us: float
    p9999_us: float
    regression: str = ""


def point_of(run, started_ns):
    worst_p9999 = max((cpu.p9999_ns or 0 for cpu in run.cpus), default=0)
    return Point(run.result_id, datetime.datetime.fromtimestamp(started_ns / 1e9),
                 run.scenario, run.kernel, run.labels.get("image_build_id", ""),
                 max((cpu.max_ns for cpu in run.cpus), default=0) / NS_PER_US,
                 worst_p9999 / NS_PER_US)


def _worse(figure, best, allowed_pct):
    return best is not None and figure > best * (1 + allowed_pct / 100)


def flag_regressions(points, allowed_pct):
    """``points`` (oldest first) with ``regression`` set where a figure got worse."""
    best = {}
    flagged = []
    for point in points:
        max_best, p_best = best.get(point.scenario, (None, None))
        reasons = [f"{name} {value:g} µs > {limit:g} µs + {allowed_pct:g} %"
                   for name, value, limit in (("max", point.max_us, max_best),
                                              ("p99.99", point.p9999_us, p_best))
                   if _worse(value, limit, allowed_pct)]
        flagged.append(dataclasses.replace(point, regression="; ".join(reasons)))
        best[point.scenario] = (min(point.max_us, max_best if max_best is not None else
                                    point.max_us),
                                min(point.p9999_us, p_best if p_best is not None else
                                    point.p9999_us))
    return flagged
