"""Verdicts of a qualification: one check per scenario, CPU and limit, one per gate, and an
error where a scenario could not be judged at all. Each becomes one JUnit test case."""

import dataclasses

from rtvirt.qualify.limits import LIMIT_NAMES

COUNTS = ("missed", "overflow")


@dataclasses.dataclass(frozen=True)
class Check:
    """A measured figure against its limit."""

    result_id: str
    scenario: str
    cpu: int
    limit: str
    allowed: float
    measured: float
    error = None

    @property
    def passed(self):
        return self.measured <= self.allowed

    @property
    def case(self):
        return self.scenario, f"cpu{self.cpu}.{self.limit}"

    def describe(self):
        unit = "" if self.limit in COUNTS else " µs"
        verdict = "ok" if self.passed else "EXCEEDED"
        return (f"{self.scenario}: CPU {self.cpu} {LIMIT_NAMES[self.limit]}: "
                f"{self.measured:g}{unit} (limit {self.allowed:g}{unit}) {verdict}")


@dataclasses.dataclass(frozen=True)
class GateCheck:
    """A gate on the target's set-up: the diagnose findings of one topic."""

    topic: str
    findings: tuple
    error = None

    @property
    def passed(self):
        return not self.findings

    @property
    def case(self):
        return "gates", f"diagnose.{self.topic}"

    def describe(self):
        if self.passed:
            return f"gate {self.topic}: ok"
        return f"gate {self.topic}: " + "; ".join(
            f"{finding.message} (fix: {finding.fix})" if finding.fix else finding.message
            for finding in self.findings)


@dataclasses.dataclass(frozen=True)
class Failure:
    """A scenario (or the whole board) that could not be judged: unreachable, timed out,
    refused by the agent. ``error`` is why."""

    scenario: str
    error: str
    passed = False

    @property
    def case(self):
        return self.scenario, "run"

    def describe(self):
        return f"{self.scenario}: ERROR {self.error}"


def measured_value(cpu_run, limit):
    """The figure of ``cpu_run`` (a ``report.run.CpuRun``) that ``limit`` bounds."""
    nanoseconds = {"max_us": cpu_run.max_ns, "p99_9_us": cpu_run.p999_ns,
                   "p99_99_us": cpu_run.p9999_ns, "avg_us": cpu_run.avg_ns}
    if limit in nanoseconds:   # whole µs, truncated: the figure every output shows
        return nanoseconds[limit] // 1000
    return cpu_run.missed if limit == "missed" else cpu_run.overflow_total


def judge(run, bounds, scenario=None):
    """Every check of ``run`` (a ``report.run.Run``) against ``bounds``."""
    name = scenario or run.scenario
    return [Check(run.result_id, name, cpu_run.cpu, limit, allowed,
                  measured_value(cpu_run, limit))
            for cpu_run in run.cpus
            for limit, allowed in sorted(bounds.for_cpu(cpu_run.cpu).items())]


def gate_checks(findings, gates):
    """One check per gated topic: failing when a finding at or above the gate's severity."""
    severe = ("fail",) if gates["severity"] == "fail" else ("fail", "warn")
    return [GateCheck(topic, tuple(f for f in findings
                                   if f.topic == topic and f.severity in severe))
            for topic in gates["diagnose"]]
