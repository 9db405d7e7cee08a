"""The seed's experiments as scenarios, for the CPUs a target has online.

On hardware the scenarios use the seed's figures. Under emulation (QEMU TCG) a vCPU stalls
for milliseconds on its own, so two settings are scaled and say so in their summary: blocksys
blocks 50 ms instead of 4 ms (the effect must stand out of the emulation's noise), and the
histogram spans 10 ms instead of 400 µs (emulated latencies would otherwise mostly be overflow
samples, 24 bytes each over a 115200 baud line; a wider one costs the emulated core more time
than it saves). The blocks themselves are overflow samples, kept exactly. The LLC stress keeps
the seed's -i3000 -h400.
"""

from dataclasses import dataclass

from rtvirt_agent.sysinfo.cpulist import format_cpulist

from rtvirt.demo.disturbance import Blocksys, Load
from rtvirt.demo.scenario import Scenario


@dataclass(frozen=True)
class Settings:
    block_us: int
    block_period_ms: int
    histogram_us: int
    note: str = ""


HARDWARE = Settings(block_us=4000, block_period_ms=500, histogram_us=400)  # the seed's ~4 ms
EMULATED = Settings(block_us=50_000, block_period_ms=1000, histogram_us=10_000,
                    note=" (scaled for emulation, the seed used 4 ms)")


def seed_scenarios(cpus, emulated=False):
    """Idle, container, blocksys on one CPU and on all, LLC stress — in the order they run.

    ``cpus`` are the target's online CPU numbers; the single blocked CPU and the measured
    CPUs under LLC stress are the ones after the first, which carries the load (as in the seed).
    """
    settings = EMULATED if emulated else HARDWARE
    housekeeping, others = cpus[0], cpus[1:] or cpus[:1]
    blocked = others[0]
    wide = {"histogram_us": settings.histogram_us}
    block = f"blocksys {settings.block_us // 1000} ms every {settings.block_period_ms} ms"
    return [
        Scenario("idle", "idle baseline on every CPU, PM QoS held", measure=wide),
        Scenario("container", "the same inside an OCI container without /dev/cpu_dma_latency",
                 measure={**wide, "container": True}),
        Scenario(f"blocksys-cpu{blocked}",
                 f"{block} on CPU {blocked}{settings.note}, measuring on every CPU",
                 measure=wide,
                 disturbances=(Blocksys(settings.block_us, str(blocked),
                                        settings.block_period_ms),)),
        Scenario("blocksys-all", f"{block} on all CPUs{settings.note}, measuring on every CPU",
                 measure=wide,
                 disturbances=(Blocksys(settings.block_us, "all", settings.block_period_ms),)),
        Scenario("llc-stress",
                 f"stress-ng malloc load on CPU {housekeeping}, measuring on CPUs "
                 f"{format_cpulist(others)} with -i3000 -h400",
                 measure={"affinity": format_cpulist(others), "threads": len(others),
                          "smp": False, "interval_us": 3000, "histogram_us": 400},
                 disturbances=(Load("llc-stress", str(housekeeping)),)),
    ]
