"""rtvirt-agent's footprint on the target: resident memory and CPU time while idle.

The agent runs as a separate process over --stdio, driven by the real rpc.Client. Figures:
RSS after connect + sysinfo (idle), peak RSS (VmHWM) after a 5 s measure with the real core on
every CPU and fetching its result, and the agent's CPU time over an idle, connected window as a
percentage of one CPU. Goals (issue 3): RSS < 25 MB, idle CPU < 0.5 %.
Environment: RTVIRT_BENCH_AGENT_IDLE_S (default 30).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rtvirt_agent.protocol.rpc import Client
from rtvirt_agent.streams import FdStream

from bench.core import core_binary

GOAL_RSS_MB = 25.0
GOAL_IDLE_CPU_PERCENT = 0.5


def _status_kb(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


def _cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _footprint(pid, client, idle_s):
    client.call("sysinfo")
    rss_idle_kb = _status_kb(pid, "VmRSS")
    before, started = _cpu_seconds(pid), time.monotonic()
    time.sleep(idle_s)
    idle_cpu = (_cpu_seconds(pid) - before) / (time.monotonic() - started) * 100
    reply = client.call("measure", {"smp": True, "priority": 99, "interval_us": 1000,
                                    "duration_s": 5, "histogram_us": 400}, timeout=60)
    client.call("results.get", {"id": reply["result_id"]})
    return {
        "rss_idle_mb": round(rss_idle_kb / 1024, 2),
        "rss_peak_mb": round(_status_kb(pid, "VmHWM") / 1024, 2),
        "idle_cpu_percent": round(idle_cpu, 3),
        "idle_window_s": idle_s,
        "result_bytes": reply["size"],
    }


def run():
    idle_s = float(os.environ.get("RTVIRT_BENCH_AGENT_IDLE_S", "30"))
    with tempfile.TemporaryDirectory() as results:
        config = Path(results) / "agent.toml"
        config.write_text(f'version = 1\ncore = "{core_binary()}"\n')
        agent = subprocess.Popen([sys.executable, "-m", "rtvirt_agent.main", "--stdio",
                                  "--config", str(config), "--results-dir", results],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)
        client = Client(FdStream(os.dup(agent.stdout.fileno()), os.dup(agent.stdin.fileno())),
                        timeout=30)
        try:
            client.connect()
            figures = _footprint(agent.pid, client, idle_s)
        finally:
            client.close()
            agent.stdin.close()
            agent.wait(30)
    return {**figures, "goal_rss_mb": GOAL_RSS_MB,
            "goal_idle_cpu_percent": GOAL_IDLE_CPU_PERCENT,
            "rss_ok": figures["rss_peak_mb"] < GOAL_RSS_MB,
            "idle_cpu_ok": figures["idle_cpu_percent"] < GOAL_IDLE_CPU_PERCENT}
