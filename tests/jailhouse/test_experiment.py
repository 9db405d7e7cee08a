"""The experiment's summary: latencies that reached a block, counted exactly or not at all."""

from rtvirt.lab.jailhouse_experiment import count_at_least, format_table, summarise


def thread(counts, buckets, overflow, total=None):
    return {"cpu": 3, "cycles": 10, "min_ns": 1000, "avg_ns": 2000, "p99_ns": 3000,
            "max_ns": 90_000_000, "missed": 1,
            "histogram": {"bucket_ns": 1000, "buckets": buckets, "counts": counts},
            "overflow_total": len(overflow) if total is None else total,
            "overflow_samples": [{"value_ns": v, "time_ns": 0, "cycle": 0} for v in overflow]}


def test_threshold_inside_the_histogram_counts_buckets_and_every_overflow():
    assert count_at_least(thread([[5, 3], [18_000, 2], [19_999, 1]], 20_000, [30_000_000]),
                          18_000_000) == 4


def test_threshold_above_the_histogram_counts_kept_samples_only_when_all_were_kept():
    above = thread([[5, 3]], 20_000, [30_000_000, 95_000_000, 99_000_000])
    assert count_at_least(above, 90_000_000) == 2
    assert count_at_least(thread([[5, 3]], 20_000, [95_000_000], total=5), 90_000_000) is None


def test_the_table_shows_unknown_counts():
    summary = summarise({"threads": [thread([[5, 3]], 20_000, [95_000_000], total=5)]}, 100_000)
    table = format_table([{"scenario": "jailhouse-baremetal-idle", "threads": summary,
                           "errors": [], "samples": 10, "samples_missing": 0,
                           "samples_lost": 0}])
    assert "jailhouse-baremetal-idle" in table and table.splitlines()[1].endswith("?")
    assert "samples relayed 10, missing 0, lost 0" in table
