"""The seed's experiments as scenarios, for the CPUs a target has online."""

from rtvirt_agent.sysinfo.cpulist import format_cpulist

from rtvirt.demo.disturbance import Blocksys, Load
from rtvirt.demo.scenario import Scenario

BLOCK_US = 4000      # the seed saw ~4 ms in every container and KVM guest
BLOCK_PERIOD_MS = 500


def seed_scenarios(cpus):
    """Idle, container, blocksys on one CPU and on all, LLC stress — in the order they run.

    ``cpus`` are the target's online CPU numbers; the single blocked CPU and the measured
    CPUs under LLC stress are the ones after the first, which carries the load (as in the seed).
    """
    housekeeping, others = cpus[0], cpus[1:] or cpus[:1]
    blocked = others[0]
    return [
        Scenario("idle", "idle baseline on every CPU, PM QoS held"),
        Scenario("container", "the same inside an OCI container without /dev/cpu_dma_latency",
                 measure={"container": True}),
        Scenario(f"blocksys-cpu{blocked}",
                 f"blocksys {BLOCK_US // 1000} ms every {BLOCK_PERIOD_MS} ms on CPU {blocked}, "
                 "measuring on every CPU",
                 disturbances=(Blocksys(BLOCK_US, str(blocked), BLOCK_PERIOD_MS),)),
        Scenario("blocksys-all",
                 f"blocksys {BLOCK_US // 1000} ms every {BLOCK_PERIOD_MS} ms on all CPUs, "
                 "measuring on every CPU",
                 disturbances=(Blocksys(BLOCK_US, "all", BLOCK_PERIOD_MS),)),
        Scenario("llc-stress",
                 f"stress-ng malloc load on CPU {housekeeping}, measuring on CPUs "
                 f"{format_cpulist(others)} with -i3000 -h400",
                 measure={"affinity": format_cpulist(others), "threads": len(others),
                          "smp": False, "interval_us": 3000, "histogram_us": 400},
                 disturbances=(Load("llc-stress", str(housekeeping)),)),
    ]
