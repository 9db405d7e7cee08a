"""blocksys accuracy in the emulated x86 target: requested vs actual block length.

Blocks of 1, 10 and 50 ms on one CPU and on all CPUs, each repeated, through the agent's
BLOCKSYS op over the lab's serial line; "actual" is what the module measured (the longest
CPU). Under QEMU TCG a vCPU can be descheduled by the host in the middle of a block, which
lengthens it for real: these are figures of the emulation (labelled so), the median says
more than the worst.
"""

import shutil
import statistics

from rtvirt.lab import state
from rtvirt.lab.target import LabTarget
from rtvirt.transports import connect

BLOCKS_MS = (1, 10, 50)
REPEAT = 5
CPU_SETS = ("1", "all")


def block_errors(client, duration_ms, cpus):
    """Relative error (actual/requested - 1) of each of REPEAT blocks."""
    errors = []
    for _ in range(REPEAT):
        reply = client.call("blocksys", {"duration_us": duration_ms * 1000, "cpus": cpus},
                            timeout=30)
        errors.append(reply["actual_ns"] / reply["requested_ns"] - 1)
    return errors


def measure_all(client):
    rows = []
    for cpus in CPU_SETS:
        for duration_ms in BLOCKS_MS:
            errors = block_errors(client, duration_ms, cpus)
            rows.append({"cpus": cpus, "requested_ms": duration_ms,
                         "median_error_pct": round(100 * statistics.median(errors), 3),
                         "worst_error_pct": round(100 * max(errors, key=abs), 3),
                         "within_2pct": sum(abs(e) <= 0.02 for e in errors),
                         "blocks": len(errors)})
    return rows


def run():
    lab = LabTarget("x86")
    if not shutil.which(lab.board.qemu_binary):
        return {"skipped": f"{lab.board.qemu_binary} missing (make lab-qemu)"}
    running = state.load("x86")
    started_here = not (running and running.alive())
    client, hello = connect("lab:x86", timeout=120)
    try:
        if not hello.get("blocksys_enabled"):
            return {"skipped": "blocksys is not enabled on the lab target"}
        rows = measure_all(client)
    finally:
        client.close()
        if started_here:
            lab.down()
    return {"label": "emulated (QEMU TCG, figures of the emulation, not of hardware)",
            "board": "x86", "kernel": lab.kernel, "blocks": rows}
