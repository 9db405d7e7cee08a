"""ivshmem sample rings: throughput between two native processes.

The producer is the core's own ring writer (agent/core/ivshmem.c) in a small flood program,
the consumer the host's Python reader (rtvirt.sample_reader), on a 4 MiB /dev/shm region
like the lab's. Two runs: paced at 1,000,000 samples/s over 4 rings (goal: 0 lost), and
flat out (the producer as fast as it can; what the consumer keeps up with). Consumer CPU is
its process CPU time over the wall time (1.0 = one core busy). On a shared machine a
time-shared consumer may be left off the CPU longer than a ring's ~150 ms of buffer, so the
consumer runs at SCHED_FIFO priority 10 where allowed, as a host's real reader would (the
figures name the policy used).

Then the rate reached end to end in emulation (labelled so): the lab's x86 target under QEMU
TCG, its agent serving through the ivshmem-plain BAR2, a 10 s measure on 4 CPUs at 100 us
streaming every sample to the host's reader.
"""

import os
import resource
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from rtvirt.lab.target import LabTarget
from rtvirt.sample_reader import SampleReader
from rtvirt.stream_file import Recorder
from rtvirt.transports import connect
from rtvirt_agent.ivshmem.region import Region, initialise
from rtvirt_agent.wire.result import parse_result

CORE = Path(__file__).resolve().parents[1] / "agent" / "core"
REGION_BYTES = 4 << 20
RINGS = 4
POLL_S = 0.0005
EMULATED_RUN = {"smp": True, "priority": 99, "interval_us": 100, "distance_us": 0,
                "duration_s": 10, "mlock": True}


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


def stream_in_lab(target, sample_file):
    """(result, ring counters) of one streamed measure on a booted lab target."""
    uri = f"ivshmem:{target.ivshmem}?wait=180&stale=30"
    client, _ = connect(uri, timeout=60)
    try:
        recorder = Recorder(uri, sample_file)
        reply = client.call("measure", {**EMULATED_RUN, "stream": True}, timeout=300)
        counters = recorder.finish(grace_s=30)
        data = client.call("results.get", {"id": reply["result_id"]}, timeout=300)["data"]
    finally:
        client.close()
    return parse_result(data), counters


def emulated(board="x86"):
    """Samples/s from a measure in the emulated lab target to the host's reader."""
    lab = LabTarget(board, selftests=("ivshmem-agent",))
    if not shutil.which(lab.board.qemu_binary):
        return {"skipped": f"{lab.board.qemu_binary} missing (make lab-qemu)"}
    lab.down()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            result, counters = stream_in_lab(lab.up(), Path(tmp) / "samples.rtvs")
    finally:
        lab.down()
    received = sum(ring["received"] for ring in counters)
    seconds = result["duration_ns"] / 1e9
    return {"label": "emulated (QEMU TCG, figures of the emulation, not of hardware)",
            "board": board, **EMULATED_RUN, "cycles": sum(t["cycles"] for t in result["threads"]),
            "received": received, "lost": sum(ring["lost"] for ring in counters),
            "samples_per_s": round(received / seconds)}


def run():
    with tempfile.TemporaryDirectory() as tmp:
        program = build_flood(tmp)
        paced = one_run(program, 1_000_000, 4)
        flat_out = one_run(program, 0, 2)
    return {"rings": RINGS, "paced_1M": paced, "flat_out": flat_out,
            "end_to_end_emulated": emulated(),
            "goal_met": paced["lost"] == 0 and paced["received_per_s"] >= 950_000}
