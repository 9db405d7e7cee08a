"""The seed's Jailhouse experiment as scenarios (docs/inmate.md): the root cell, the bare-metal
inmate and the Linux inmate, each idle and while blocksys blocks every root CPU. Expected:
blocks raise the root cell's latencies to the block length and leave both inmates' alone.

The cells are those of the layer's QEMU configuration (the lab's jailhouse-arm64 board, and
any board whose cells are named alike). Under TCG a vCPU stalls for tens of ms on its own, so
a block must stand far out of that noise, and a spinning root vCPU takes host time from the
inmates' vCPUs, so blocks stay rare: 100 ms once a second (4 ms on hardware, as the seed).
"""

from rtvirt.demo.disturbance import Blocksys
from rtvirt.demo.scenario import Measurement, Scenario

INTERVAL_US = 1000
# where each scenario measures, and the measure arguments there: the Linux inmate's core runs
# at FIFO 99 on the cell's one CPU, which its Linux numbers 0
PLACES = {
    "root": ("host", {"smp": True, "priority": 99}),
    "baremetal": ("cell:rtvirt-baremetal", {}),
    "linux": ("cell:rtvirt-linux-rt", {"priority": 99, "affinity": "0"}),
}
INMATE_CELLS = ("rtvirt-baremetal", "rtvirt-linux-rt")
HARDWARE_BLOCK = (4000, 500)       # (µs, period ms)
EMULATED_BLOCK = (100_000, 1000)
CELL_HISTOGRAM_US = 20_000


def jailhouse_scenarios(emulated=False):
    """Six scenarios: every place idle, then every place with blocksys on the root CPUs."""
    block_us, period_ms = EMULATED_BLOCK if emulated else HARDWARE_BLOCK
    scaled = " (scaled for emulation, the seed used 4 ms)" if emulated else ""
    scenarios = []
    for blocked in (False, True):
        for cell, (where, args) in PLACES.items():
            histogram_us = 2 * block_us if where == "host" else CELL_HISTOGRAM_US
            measure = {**args, "interval_us": INTERVAL_US, "histogram_us": histogram_us}
            state = "blocksys" if blocked else "idle"
            what = (f"blocksys {block_us / 1000:g} ms every {period_ms} ms on every root CPU"
                    f"{scaled}" if blocked else "idle")
            scenarios.append(Scenario(
                f"jailhouse-{cell}-{state}", f"{_place_text(cell)}, {what}",
                measurements=(Measurement(where, measure),),
                disturbances=(Blocksys(block_us, "all", period_ms),) if blocked else (),
                group="jailhouse", beside_cells=INMATE_CELLS))
    return scenarios


def _place_text(cell):
    return {"root": "the root cell's CPUs", "baremetal": "the bare-metal inmate's cell",
            "linux": "the Linux inmate's cell"}[cell]
