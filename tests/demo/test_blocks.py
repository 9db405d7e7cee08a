"""Did a block reach a CPU: latencies at block length, counted exactly or not at all."""

from rtvirt.demo.blocks import count_at_least, reached, reached_note
from rtvirt.report.run import CpuRun, Run


def cpu_run(histogram, buckets, overflow, total=None, cpu=3):
    return CpuRun(cpu=cpu, cycles=10, min_ns=1000, avg_ns=2000, max_ns=90_000_000, missed=1,
                  p999_ns=3000, bucket_ns=1000, buckets=buckets,
                  histogram=tuple(histogram),
                  overflow_total=len(overflow) if total is None else total,
                  overflow_ns=tuple(overflow))


def test_threshold_inside_the_histogram_counts_buckets_and_every_overflow():
    cpu = cpu_run([(5, 3), (18_000, 2), (19_999, 1)], 20_000, [30_000_000])
    assert count_at_least(cpu, 18_000_000) == 4


def test_threshold_above_the_histogram_counts_kept_samples_only_when_all_were_kept():
    above = cpu_run([(5, 3)], 20_000, [30_000_000, 95_000_000, 99_000_000])
    assert count_at_least(above, 90_000_000) == 2
    assert count_at_least(cpu_run([(5, 3)], 20_000, [95_000_000], total=5), 90_000_000) is None


def test_reached_counts_per_cpu_at_ninety_percent_of_the_block():
    run = Run(result_id="ab" * 32, labels={"scenario": "blocked"},
              cpus=(cpu_run([], 400, [89_000_000, 91_000_000], cpu=0),
                    cpu_run([], 400, [95_000_000], total=2, cpu=1)))
    assert reached(run, 100_000) == {0: 1, 1: None}
    assert reached_note(run, 100_000) == \
        "blocked: latencies >= 90% of a 100 ms block: CPU 0: 1, CPU 1: ?"
