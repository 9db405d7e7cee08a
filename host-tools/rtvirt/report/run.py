"""One measurement run as the reports see it, read from a parsed result record.

The result record (``rtvirt_agent.wire.result``, DESIGN §5) carries far more than a report shows;
``Run.from_result`` is the one place that knows its layout, so the plot, the table and the HTML
page depend only on the few facts here.
"""

from dataclasses import dataclass, field

NS_PER_US = 1000


@dataclass(frozen=True)
class CpuRun:
    """The figures of one measuring thread (one per CPU in the demo's runs)."""

    cpu: int
    cycles: int
    min_ns: int
    avg_ns: int
    max_ns: int
    missed: int
    p999_ns: int | None
    bucket_ns: int
    buckets: int
    histogram: tuple[tuple[int, int], ...]    # (bucket index, count), non-zero buckets only
    overflow_total: int = 0
    overflow_ns: tuple[int, ...] = ()
    p9999_ns: int | None = None
    index: int = 0

    @property
    def label(self):
        """``CPU 2``, or ``T:1 unpinned`` for a thread the core did not pin (cpu -1)."""
        return f"CPU {self.cpu}" if self.cpu >= 0 else f"T:{self.index} unpinned"

    def latency_classes_us(self):
        """Sample counts in 1 µs classes: ``{class_us: count}``, samples above the histogram
        range included from the exactly kept overflow list."""
        classes = {}
        for index, count in self.histogram:
            class_us = index * self.bucket_ns // NS_PER_US
            classes[class_us] = classes.get(class_us, 0) + count
        for value_ns in self.overflow_ns:
            class_us = value_ns // NS_PER_US
            classes[class_us] = classes.get(class_us, 0) + 1
        return classes

    @property
    def overflow_not_kept(self):
        """Samples above the histogram range whose values the core did not keep (list cap)."""
        return max(0, self.overflow_total - len(self.overflow_ns))

    @property
    def histogram_range_us(self):
        return self.buckets * self.bucket_ns // NS_PER_US


@dataclass(frozen=True)
class Run:
    """One result: who measured what, where, for how long, and the per-CPU figures."""

    result_id: str
    cpus: tuple[CpuRun, ...]
    labels: dict = field(default_factory=dict)
    sysinfo: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    duration_s: float = 0.0
    pm_qos_held: bool | None = None
    command: str = ""
    started_ns: int = 0

    @property
    def scenario(self):
        return self.labels.get("scenario") or self.result_id[:12]

    @property
    def kernel(self):
        return self.sysinfo.get("release") or "unknown kernel"

    @property
    def duration_text(self):
        """The run's length for people: "60 s", "2.0 s"."""
        return f"{self.duration_s:.0f} s" if self.duration_s >= 10 else f"{self.duration_s:.1f} s"

    @property
    def emulated(self):
        """True when the figures come from an emulated CPU (QEMU TCG), not real hardware.

        The record's own sysinfo does not say; the runs' labels do: ``emulation=tcg`` from the
        lab, which knows (a guest cannot always tell TCG from KVM), or ``virtualization`` as
        the agent's sysinfo reported it when the run was started.
        """
        return (self.labels.get("emulation") == "tcg"
                or self.labels.get("virtualization") == "qemu-tcg")

    @property
    def tags(self):
        """Short qualifiers shown next to the scenario name wherever it appears."""
        tags = []
        if self.emulated:
            tags.append("emulated (TCG)")
        if self.pm_qos_held is False:
            tags.append("PM QoS not held")
        return tags

    @classmethod
    def from_result(cls, result, result_id):
        """A ``Run`` from the dict of ``rtvirt_agent.wire.result.parse_result``."""
        threads = tuple(sorted((_cpu_run(thread) for thread in result["threads"]),
                               key=lambda cpu: (cpu.cpu, cpu.index)))
        return cls(result_id=result_id, cpus=threads, labels=dict(result["labels"]),
                   sysinfo=dict(result["sysinfo"]), params=dict(result["params"]),
                   duration_s=result["duration_ns"] / 1e9,
                   pm_qos_held=result["pm_qos"]["held"], command=result["command"],
                   started_ns=result["start_realtime_ns"])


def _cpu_run(thread):
    histogram = thread["histogram"]
    return CpuRun(cpu=thread["cpu"], cycles=thread["cycles"], min_ns=thread["min_ns"],
                  avg_ns=thread["avg_ns"], max_ns=thread["max_ns"], missed=thread["missed"],
                  p999_ns=thread["p99_9_ns"], bucket_ns=histogram["bucket_ns"],
                  buckets=histogram["buckets"],
                  histogram=tuple((index, count) for index, count in histogram["counts"]),
                  overflow_total=thread["overflow_total"],
                  overflow_ns=tuple(sample["value_ns"] for sample in thread["overflow_samples"]),
                  p9999_ns=thread["p99_99_ns"], index=thread["index"])
