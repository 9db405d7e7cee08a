"""Runs made from real result records: built with ``build_result``, read back with
``parse_result`` and ``Run.from_result``, as the report reads a stored result."""

import pytest
from rtvirt.report.run import Run
from rtvirt_agent.wire.result import build_result, parse_result, result_id


def make_cpu(cpu, histogram=(0, 5, 10, 2), bucket_ns=1000, overflow_ns=(), overflow_total=None,
             max_ns=None, missed=0):
    """One thread of a record; ``histogram`` is dense (a count per bucket)."""
    samples = sum(histogram) + len(overflow_ns)
    return {
        "index": max(cpu, 0), "cpu": cpu, "tid": 1000 + max(cpu, 0), "policy": "fifo",
        "priority": 99,
        "interval_us": 1000, "cycles": samples, "min_ns": 1000, "avg_ns": 2000,
        "max_ns": max_ns if max_ns is not None else 3000, "missed": missed,
        "p50_ns": 2000, "p99_ns": 2800, "p99_9_ns": 2900, "p99_99_ns": 3000,
        "histogram": {"bucket_ns": bucket_ns, "buckets": len(histogram),
                      "counts": [[index, count] for index, count in enumerate(histogram)
                                 if count]},
        "overflow_total": len(overflow_ns) if overflow_total is None else overflow_total,
        "overflow_samples": [{"value_ns": value, "time_ns": 1000 * n, "cycle": n}
                             for n, value in enumerate(overflow_ns)],
    }


def make_record(scenario="idle", cpus=None, labels=None, pm_qos_held=True):
    return {
        "tool": "rtvirt-measure test", "command": "rtvirt-measure -S", "start_realtime_ns": 1,
        "start_monotonic_ns": 2, "duration_ns": 10_000_000_000, "stop_reason": "completed",
        "params": {"interval_us": 1000, "distance_us": 0, "loops": 0, "duration_limit_s": 10,
                   "histogram_us": 400, "priority": 99, "policy": "fifo", "smp": True,
                   "mlockall": True, "overflow_cap": 1024, "affinity": "all"},
        "sysinfo": {"release": "6.1.0-56-rt-amd64", "version": "#1 SMP PREEMPT_RT",
                    "machine": "x86_64", "nodename": "lab", "cpus_online": "0-3",
                    "cpu_count": 4, "preempt_rt": True, "cmdline": "quiet",
                    "clocksource": "tsc"},
        "pm_qos": {"held": pm_qos_held, "value_us": 0 if pm_qos_held else -1,
                   "error": "" if pm_qos_held else "No such file or directory"},
        "labels": {"scenario": scenario, **(labels or {})},
        "threads": list(cpus if cpus is not None else (make_cpu(0), make_cpu(1))),
    }


def make_run(scenario="idle", cpus=None, emulated=False, labels=None, pm_qos_held=True):
    all_labels = {**({"emulation": "tcg"} if emulated else {}), **(labels or {})}
    data = build_result(make_record(scenario, cpus, all_labels, pm_qos_held))
    return Run.from_result(parse_result(data), result_id(data))


@pytest.fixture(name="make_run")
def make_run_fixture():
    return make_run


@pytest.fixture(name="make_cpu")
def make_cpu_fixture():
    return make_cpu


@pytest.fixture(name="make_record")
def make_record_fixture():
    return make_record


@pytest.fixture(name="cpu_run")
def cpu_run_fixture():
    """The ``CpuRun`` the report reads for one thread made by ``make_cpu``."""
    return lambda *args, **kwargs: make_run(cpus=[make_cpu(*args, **kwargs)]).cpus[0]
