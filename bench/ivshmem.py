"""ivshmem sample rings: throughput between two native processes.

The producer is the core's own ring writer (agent/core/ivshmem.c) in a small flood program,
the consumer the host's Python reader (rtvirt.sample_reader), on a 4 MiB /dev/shm region
like the lab's. Two runs: paced at 1,000,000 samples/s over 4 rings (goal: 0 lost), and
flat out (the producer as fast as it can; what the consumer keeps up with). Consumer CPU is
its process CPU time over the wall time (1.0 = one core busy). On a shared machine a
time-shared consumer may be left off the CPU longer than a ring's ~150 ms of buffer, so the
consumer runs at SCHED_FIFO priority 10 where allowed, as a host's real reader would (the
figures name the policy used).
"""

import os
import resource
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from rtvirt.sample_reader import SampleReader
from rtvirt_agent.ivshmem.region import Region, initialise

CORE = Path(__file__).resolve().parents[1] / "agent" / "core"
REGION_BYTES = 4 << 20
RINGS = 4
POLL_S = 0.0005


def build_flood(out_dir):
    program = Path(out_dir) / "ivshmem-flood"
    subprocess.run([os.environ.get("CC", "gcc"), "-std=gnu11", "-D_GNU_SOURCE", "-pthread",
                    "-O2", "-Wall", "-Wextra", "-Werror", f"-I{CORE}", "-o", str(program),
                    *(str(CORE / name) for name in ("ivshmem_flood.c", "ivshmem.c",
                                                    "measure.c"))], check=True)
    return program


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one_run(program, rate, seconds):
    path = Path("/dev/shm") / f"rtvirt-bench-{uuid.uuid4().hex[:8]}"
    path.write_bytes(bytes(REGION_BYTES))
    region = Region(path)
    try:
        layout = initialise(region)
        reader = SampleReader(region, layout)
        producer = subprocess.Popen([str(program), str(path), str(RINGS), str(seconds),
                                     str(rate)], stdout=subprocess.PIPE, text=True)
        saved = os.sched_getscheduler(0), os.sched_getparam(0)
        policy = consumer_policy()  # the producer stays time-shared
        received, wall0, cpu0 = 0, time.monotonic(), cpu_seconds()
        try:
            while producer.poll() is None or not reader.drained():
                received += len(reader.poll())
                time.sleep(POLL_S)
        finally:
            os.sched_setscheduler(0, *saved)
        wall, cpu = time.monotonic() - wall0, cpu_seconds() - cpu0
        pushed, lost = (int(word) for word in producer.stdout.read().split()[1::2])
        counters = reader.counters()
        reader = None
    finally:
        region.close()
        path.unlink()
    return {"rate_requested": rate, "seconds": seconds, "consumer_policy": policy,
            "pushed": pushed,
            "received": received, "lost": lost,
            "lost_counted_by_rings": sum(ring["lost"] for ring in counters),
            "received_per_s": round(received / wall), "consumer_cpu": round(cpu / wall, 3),
            "region_bytes": REGION_BYTES}


def consumer_policy():
    """SCHED_FIFO 10 for this process where permitted; the policy's name."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
        return "SCHED_FIFO 10"
    except PermissionError:
        return "SCHED_OTHER"


def run():
    with tempfile.TemporaryDirectory() as tmp:
        program = build_flood(tmp)
        paced = one_run(program, 1_000_000, 4)
        flat_out = one_run(program, 0, 2)
    return {"rings": RINGS, "paced_1M": paced, "flat_out": flat_out,
            "goal_met": paced["lost"] == 0 and paced["received_per_s"] >= 950_000}
