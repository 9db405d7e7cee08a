"""Judging one run's CPUs against limits: one check per CPU and limit, each with its figure."""

import dataclasses

from rtvirt.qualify.limits import LIMIT_KEYS


@dataclasses.dataclass(frozen=True)
class Check:
    result_id: str
    cpu: int
    limit: str
    allowed: float
    measured: float

    @property
    def passed(self):
        return self.measured <= self.allowed

    def describe(self):
        unit = "" if self.limit in ("missed", "overflow") else " µs"
        verdict = "ok" if self.passed else "EXCEEDED"
        return (f"CPU {self.cpu} {LIMIT_KEYS[self.limit]}: {self.measured:g}{unit} "
                f"(limit {self.allowed:g}{unit}) {verdict}")


def measured_value(cpu_run, limit):
    """The figure of ``cpu_run`` (a ``report.run.CpuRun``) that ``limit`` bounds."""
    nanoseconds = {"max_us": cpu_run.max_ns, "p99_9_us": cpu_run.p999_ns,
                   "avg_us": cpu_run.avg_ns}
    if limit in nanoseconds:
        return nanoseconds[limit] / 1000
    return cpu_run.missed if limit == "missed" else cpu_run.overflow_total


def judge(run, limits):
    """Every check of ``run`` (a ``report.run.Run``) against ``limits``."""
    return [Check(run.result_id, cpu_run.cpu, limit, allowed, measured_value(cpu_run, limit))
            for cpu_run in run.cpus
            for limit, allowed in sorted(limits.for_cpu(cpu_run.cpu).items())]
