"""Runs built directly from the report's own model, so report tests do not need a target."""

import pytest
from rtvirt.report.run import CpuRun, Run


def make_cpu(cpu, histogram=(0, 5, 10, 2), bucket_ns=1000, overflow_ns=(), overflow_total=None,
             max_ns=None, missed=0):
    samples = sum(histogram) + len(overflow_ns)
    return CpuRun(cpu=cpu, cycles=samples, min_ns=1000, avg_ns=2000,
                  max_ns=max_ns if max_ns is not None else 3000, missed=missed, p999_ns=2900,
                  bucket_ns=bucket_ns, histogram=tuple(histogram),
                  overflow_total=len(overflow_ns) if overflow_total is None else overflow_total,
                  overflow_ns=tuple(overflow_ns))


def make_run(scenario="idle", cpus=None, virtualization="bare-metal", labels=None, **fields):
    all_labels = {"scenario": scenario, **(labels or {})}
    return Run(result_id=(scenario.encode().hex() * 64)[:64],
               cpus=tuple(cpus if cpus is not None else (make_cpu(0), make_cpu(1))),
               labels=all_labels,
               sysinfo={"kernel_release": "6.1.0-56-rt-amd64", "virtualization": virtualization},
               params={"interval_us": 1000}, duration_s=10.0, **fields)


@pytest.fixture(name="make_run")
def make_run_fixture():
    return make_run


@pytest.fixture(name="make_cpu")
def make_cpu_fixture():
    return make_cpu
