"""rtvirt-measure vs Debian's cyclictest on this machine, interleaved with the same flags.

Rounds alternate which tool goes first; each run is ``-S -p99 -i200 -h400 -m -q -D<s>`` plus
its JSON output. Per thread and round: |Δmin|, |Δavg|, |Δmax| in µs, medians over all; CPU
time (user+sys of the child, from wait4) of each tool and the ratio core/cyclictest.
Δavg compares like with like: cyclictest averages per-cycle truncated µs, which the core's
1 µs histogram reproduces exactly (its own avg_ns is the untruncated mean, reported too).
The other load on the machine during each run is recorded: numbers from a busy machine are
noisier. Environment: RTVIRT_BENCH_CORE_DURATION (s, default 20), RTVIRT_BENCH_CORE_ROUNDS
(default 5).
"""

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

CORE_DIR = Path(__file__).resolve().parents[1] / "agent" / "core"
FLAGS = ["-S", "-p99", "-i200", "-h400", "-m", "-q"]
GOAL_DAVG_US = 1.0
GOAL_CPU_RATIO = 1.05


def core_binary():
    """Build (a no-op when up to date) and locate the native rtvirt-measure."""
    subprocess.run(["make", "-s", "-C", str(CORE_DIR)], check=True, capture_output=True)
    triple = subprocess.run(["gcc", "-dumpmachine"], capture_output=True, text=True,
                            check=True).stdout.strip()
    return CORE_DIR / "build" / triple / "rtvirt-measure"


def cpu_jiffies():
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def run_tool(argv, json_path):
    """Run one measurement; returns wall s, child CPU s and the machine's other-load share."""
    busy0, total0 = cpu_jiffies()
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    busy1, total1 = cpu_jiffies()
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {proc.returncode}: {stderr.strip()}")
    cpu = usage.ru_utime + usage.ru_stime
    hz = os.sysconf("SC_CLK_TCK")
    others = max(0.0, (busy1 - busy0) / hz - cpu)
    share = others / max(1e-9, (total1 - total0) / hz)
    return {"wall_s": wall, "cpu_s": cpu, "other_load": share,
            "json": json.loads(Path(json_path).read_text())}


def core_threads(doc):
    """Per thread (min, avg, max) in µs the way cyclictest computes them, plus avg_ns."""
    out = []
    for t in doc["threads"]:
        counts = t["histogram"]["counts"]
        trunc_sum = sum(i * c for i, c in counts)
        trunc_sum += sum(s["value_ns"] // 1000 for s in t["overflow_samples"])
        out.append({"min": t["min_ns"] // 1000, "avg": trunc_sum / max(1, t["cycles"]),
                    "max": t["max_ns"] // 1000, "avg_ns": t["avg_ns"],
                    "exact": len(t["overflow_samples"]) == t["overflow_total"]})
    return out


def cyclictest_threads(doc):
    """Per thread (min, avg, max) in µs from cyclictest's --json."""
    threads = doc["thread"]
    return [{"min": threads[k]["min"], "avg": threads[k]["avg"], "max": threads[k]["max"]}
            for k in sorted(threads, key=int)]


def one_round(core, cyclictest, duration, order, tmp):
    argv = {"core": [str(core), *FLAGS, f"-D{duration}", "--result-json", f"{tmp}/core.json"],
            "cyclictest": [cyclictest, *FLAGS, f"-D{duration}", f"--json={tmp}/ct.json"]}
    paths = {"core": f"{tmp}/core.json", "cyclictest": f"{tmp}/ct.json"}
    return {tool: run_tool(argv[tool], paths[tool]) for tool in order}


def median(values):
    return round(statistics.median(values), 3) if values else None


def run():
    duration = int(os.environ.get("RTVIRT_BENCH_CORE_DURATION", "20"))
    rounds = int(os.environ.get("RTVIRT_BENCH_CORE_ROUNDS", "5"))
    cyclictest = shutil.which("cyclictest")
    if not cyclictest:
        raise RuntimeError("cyclictest not found: 'make bench' installs rt-tests (mk/core.mk)")
    core = core_binary()
    deltas = {"min": [], "avg": [], "max": []}
    cpu = {"core": [], "cyclictest": []}
    per_round, load_before = [], os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            order = ("core", "cyclictest") if r % 2 == 0 else ("cyclictest", "core")
            res = one_round(core, cyclictest, duration, order, tmp)
            ours, theirs = core_threads(res["core"]["json"]), \
                cyclictest_threads(res["cyclictest"]["json"])
            for a, b in zip(ours, theirs, strict=True):
                for key in deltas:
                    deltas[key].append(abs(a[key] - b[key]))
            for tool in cpu:
                cpu[tool].append(res[tool]["cpu_s"])
            per_round.append({
                "order": list(order),
                "core": {"cpu_s": round(res["core"]["cpu_s"], 3),
                         "other_load": round(res["core"]["other_load"], 3),
                         "threads": ours},
                "cyclictest": {"cpu_s": round(res["cyclictest"]["cpu_s"], 3),
                               "other_load": round(res["cyclictest"]["other_load"], 3),
                               "threads": theirs},
            })
    other = [p[t]["other_load"] for p in per_round for t in ("core", "cyclictest")]
    ratio = sum(cpu["core"]) / sum(cpu["cyclictest"]) if sum(cpu["cyclictest"]) else None
    return {
        "command": "make bench (bench/core.py): both tools " + " ".join(FLAGS) +
                   f" -D{duration}, {rounds} rounds alternating",
        "duration_s": duration, "rounds": rounds, "cpus": os.cpu_count(),
        "median_abs_delta_min_us": median(deltas["min"]),
        "median_abs_delta_avg_us": median(deltas["avg"]),
        "median_abs_delta_max_us": median(deltas["max"]),
        "cpu_s_core_median": median(cpu["core"]),
        "cpu_s_cyclictest_median": median(cpu["cyclictest"]),
        "cpu_ratio_core_over_cyclictest": round(ratio, 3) if ratio else None,
        "goal_met_avg": median(deltas["avg"]) is not None
                        and median(deltas["avg"]) <= GOAL_DAVG_US,
        "goal_met_cpu": ratio is not None and ratio <= GOAL_CPU_RATIO,
        "machine_busy": max(other, default=0) > 0.10,
        "other_load_max": round(max(other, default=0), 3),
        "loadavg_before": load_before, "loadavg_after": os.getloadavg(),
        "per_round": per_round,
    }
