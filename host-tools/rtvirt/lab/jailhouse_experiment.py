"""The seed's Jailhouse experiment on the jailhouse-arm64 lab target (docs/inmate.md).

Six runs of the same length: the root cell, the bare-metal inmate and the Linux inmate, each
idle and while blocksys blocks every root CPU periodically. Expected: blocks raise the root
cell's maximum latency to the block length, and leave both inmates' distributions where they
were.

    python -m rtvirt.lab.jailhouse_experiment [--duration S] [--block-us US] [--json FILE]
builds (or reuses) the target, boots it, runs the six scenarios and prints the comparison.
"""

import argparse
import json
import sys
import threading

from rtvirt_agent.wire.result import parse_result

from rtvirt.lab.jailhouse_target import JailhouseTarget

INTERVAL_US = 1000
# where a scenario measures: the root cell's CPUs, or the cell of an inmate (name, arguments
# beyond interval, duration, histogram and labels: the Linux inmate's core runs at FIFO 99 on
# the cell's one CPU, which its Linux numbers 0)
CELLS = {"baremetal": ("rtvirt-baremetal", {}),
         "linux": ("rtvirt-linux-rt", {"priority": 99, "affinity": "0"})}


def _blocks(client, block_us, period_ms, duration_s, errors):
    """Block every root CPU for ``block_us`` every ``period_ms`` during ``duration_s``."""
    repeat = max(1, int(duration_s * 1000 / period_ms))
    try:
        client.call("blocksys", {"duration_us": block_us, "cpus": "all", "repeat": repeat,
                                 "period_ms": period_ms}, timeout=duration_s * 4 + 60)
    except Exception as error:  # reported with the scenario, never swallowed
        errors.append(f"blocksys: {error}")


def _measure(client, where, duration_s, labels, histogram_us):
    if where in CELLS:
        name, extra = CELLS[where]
        args = {"cell": name, "interval_us": INTERVAL_US, "duration_s": duration_s,
                "histogram_us": 20000, "labels": labels, **extra}
        return client.call("cell.measure", args, timeout=duration_s * 4 + 120)
    args = {"smp": True, "priority": 99, "interval_us": INTERVAL_US, "duration_s": duration_s,
            "histogram_us": histogram_us, "labels": labels}
    return client.call("measure", args, timeout=duration_s * 4 + 120)


def count_at_least(thread, threshold_ns):
    """How many latencies of ``thread`` are >= ``threshold_ns`` (None: not known exactly)."""
    histogram = thread["histogram"]
    top = histogram["buckets"] * histogram["bucket_ns"]
    if threshold_ns < top:
        return thread["overflow_total"] + sum(
            count for index, count in histogram["counts"]
            if index * histogram["bucket_ns"] >= threshold_ns)
    if len(thread["overflow_samples"]) != thread["overflow_total"]:
        return None
    return sum(sample["value_ns"] >= threshold_ns for sample in thread["overflow_samples"])


def summarise(record, block_us):
    """Per thread: cpu, cycles, min/avg/p99/max in us, missed, and how many latencies reached
    90 % of the block length (a block that reaches a CPU gives one such latency at least)."""
    return [{"cpu": t["cpu"], "cycles": t["cycles"], "min_us": t["min_ns"] / 1000,
             "avg_us": t["avg_ns"] / 1000, "p99_us": t["p99_ns"] / 1000,
             "max_us": t["max_ns"] / 1000, "missed": t["missed"],
             "at_block": count_at_least(t, block_us * 900)} for t in record["threads"]]


def run_scenario(client, where, blocksys, duration_s, block_us, period_ms, labels=None):
    """One scenario: (its summary, the result record's bytes)."""
    errors = []
    labels = {**(labels or {}),
              "scenario": f"jailhouse-{where}-{'blocksys' if blocksys else 'idle'}"}
    blocker = None
    if blocksys:
        labels["blocksys"] = f"{block_us}us every {period_ms}ms on every root CPU"
        blocker = threading.Thread(target=_blocks, args=(client, block_us, period_ms,
                                                         duration_s, errors))
        blocker.start()
    reply = _measure(client, where, duration_s, labels, 2 * block_us)
    if blocker:
        blocker.join()
    data = client.call("results.get", {"id": reply["result_id"]})["data"]
    summary = {"scenario": labels["scenario"], "result_id": reply["result_id"],
               "threads": summarise(parse_result(data), block_us), "errors": errors,
               **{k: reply[k] for k in ("samples", "samples_missing", "samples_lost")
                  if k in reply}}
    return summary, data


SCENARIOS = [(where, blocksys) for blocksys in (False, True) for where in ("root", *CELLS)]


def run_experiment(client, duration_s=10.0, block_us=20000, period_ms=100):
    """The six scenarios' summaries, in the order they ran."""
    return [run_scenario(client, where, blocksys, duration_s, block_us, period_ms)[0]
            for where, blocksys in SCENARIOS]


def format_table(scenarios):
    lines = [f"{'scenario':<28} {'cpu':>3} {'cycles':>7} {'min us':>8} {'avg us':>8} "
             f"{'p99 us':>8} {'max us':>9} {'missed':>6} {'>=0.9 block':>11}"]
    for scenario in scenarios:
        for t in scenario["threads"]:
            at_block = "?" if t["at_block"] is None else t["at_block"]
            lines.append(f"{scenario['scenario']:<28} {t['cpu']:>3} {t['cycles']:>7} "
                         f"{t['min_us']:>8.1f} {t['avg_us']:>8.1f} {t['p99_us']:>8.1f} "
                         f"{t['max_us']:>9.1f} {t['missed']:>6} {at_block:>11}")
        if "samples" in scenario:
            lines.append(f"{'':<28} samples relayed {scenario['samples']}, missing "
                         f"{scenario['samples_missing']}, lost {scenario['samples_lost']}")
        lines += [f"{'':<28} ERROR {error}" for error in scenario["errors"]]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rtvirt.lab.jailhouse_experiment")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--block-us", type=int, default=20000, help="blocksys block length")
    parser.add_argument("--period-ms", type=int, default=100, help="one block every ...")
    parser.add_argument("--json", help="write the scenarios as JSON to this file")
    args = parser.parse_args(argv)
    with JailhouseTarget() as target:
        client = target.connect()
        cells = client.call("cells")["cells"]
        print("cells: " + ", ".join(f"{c['name']} ({c['state']}, CPUs {c['cpus']})"
                                    for c in cells))
        scenarios = run_experiment(client, args.duration, args.block_us, args.period_ms)
    print(format_table(scenarios))
    if args.json:
        with open(args.json, "w") as output:
            json.dump({"cells": cells, "scenarios": scenarios}, output, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
