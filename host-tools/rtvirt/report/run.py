"""One measurement run as the reports see it, read from a parsed result record.

The result record (``rtvirt_agent.result``, DESIGN §5) carries far more than a report shows;
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
    histogram: tuple[int, ...]
    overflow_total: int = 0
    overflow_ns: tuple[int, ...] = ()

    def latency_classes_us(self):
        """Sample counts in 1 µs classes: ``{class_us: count}``, samples above the histogram
        range included from the exactly kept overflow list."""
        classes = {}
        for index, count in enumerate(self.histogram):
            if count:
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
        return len(self.histogram) * self.bucket_ns // NS_PER_US


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

    @property
    def scenario(self):
        return self.labels.get("scenario") or self.result_id[:12]

    @property
    def kernel(self):
        return self.sysinfo.get("kernel_release") or "unknown kernel"

    @property
    def emulated(self):
        """True when the figures come from an emulated CPU (QEMU TCG), not real hardware.

        The agent's sysinfo says so (``virtualization: qemu-tcg``); the lab, which knows, also
        labels its runs ``emulation=tcg`` because a guest cannot always tell TCG from KVM.
        """
        return (self.sysinfo.get("virtualization") == "qemu-tcg"
                or self.labels.get("emulation") == "tcg")

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
        """A ``Run`` from the dict of ``rtvirt_agent.result.parse_result``."""
        threads = tuple(sorted((_cpu_run(thread) for thread in result["threads"]),
                               key=lambda cpu: cpu.cpu))
        return cls(result_id=result_id, cpus=threads, labels=dict(result.get("labels") or {}),
                   sysinfo=dict(result.get("sysinfo") or {}),
                   params=dict(result.get("params") or {}),
                   duration_s=float(result.get("duration_s") or 0.0),
                   pm_qos_held=result.get("pm_qos_held"))


def _cpu_run(thread):
    histogram = thread.get("histogram") or {}
    overflow = thread.get("overflow") or {}
    percentiles = thread.get("percentiles") or {}
    return CpuRun(cpu=thread["cpu"], cycles=thread["cycles"], min_ns=thread["min_ns"],
                  avg_ns=thread["avg_ns"], max_ns=thread["max_ns"], missed=thread["missed"],
                  p999_ns=percentiles.get("p99.9"),
                  bucket_ns=histogram.get("bucket_ns", NS_PER_US),
                  histogram=tuple(histogram.get("counts", ())),
                  overflow_total=overflow.get("total", 0),
                  overflow_ns=tuple(sample["value_ns"] for sample in overflow.get("samples", ())))
