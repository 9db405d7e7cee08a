"""The seed's host and container experiments as scenarios, for the CPUs a target has online.

On hardware the scenarios use the seed's figures. Under emulation (QEMU TCG) a vCPU stalls
for milliseconds on its own, so two settings are scaled and say so in their summary: blocksys
blocks 50 ms instead of 4 ms (the effect must stand out of the emulation's noise), and the
histogram spans 10 ms instead of 400 µs (emulated latencies would otherwise mostly be overflow
samples, 24 bytes each over a 115200 baud line; a wider one costs the emulated core more time
than it saves). The blocks themselves are overflow samples, kept exactly. The LLC stress keeps
the seed's cyclictest -n -m -Sp98 -i3000 -h400 on every CPU.
"""

from dataclasses import dataclass

from rtvirt_agent.wire.cpulist import format_cpulist

from rtvirt.demo.disturbance import Blocksys, Load
from rtvirt.demo.scenario import Measurement, Scenario


@dataclass(frozen=True)
class Settings:
    block_us: int
    block_period_ms: int
    histogram_us: int
    note: str = ""


HARDWARE = Settings(block_us=4000, block_period_ms=500, histogram_us=400)  # the seed's ~4 ms
EMULATED = Settings(block_us=50_000, block_period_ms=1000, histogram_us=10_000,
                    note=" (scaled for emulation, the seed used 4 ms)")
PRIOSPREAD_THREADS = 12
LLC = {"smp": True, "priority": 98, "interval_us": 3000, "histogram_us": 400}


def seed_scenarios(cpus, emulated=False):
    """Every host and container scenario, the default ones first, in the order they run.

    ``cpus`` are the target's online CPU numbers; the single blocked CPU is the one after the
    first, the LLC stress loads the first (and the second) as in the seed.
    """
    settings = EMULATED if emulated else HARDWARE
    return [*default_scenarios(cpus, settings), *more_scenarios(cpus, settings)]


def default_scenarios(cpus, settings):
    """What ``rtvirt demo`` runs without options: short enough for ``make demo``."""
    blocked = (cpus[1:] or cpus)[0]
    wide = {"histogram_us": settings.histogram_us}
    return [
        Scenario("idle", "idle baseline on every CPU, PM QoS held",
                 measurements=(Measurement("host", wide),)),
        Scenario("container", "the same inside an OCI container without /dev/cpu_dma_latency",
                 measurements=(Measurement("container", wide),)),
        Scenario(f"blocksys-cpu{blocked}",
                 f"{_block(settings)} on CPU {blocked}{settings.note}, measuring on every CPU",
                 measurements=(Measurement("host", wide),),
                 disturbances=(_blocksys(settings, str(blocked)),)),
        Scenario("blocksys-all",
                 f"{_block(settings)} on all CPUs{settings.note}, measuring on every CPU",
                 measurements=(Measurement("host", wide),),
                 disturbances=(_blocksys(settings, "all"),)),
        _llc_stress("llc-stress", cpus[:1], "default"),
    ]


def more_scenarios(cpus, settings):
    """The seed's other experiments: ``rtvirt demo --all`` or ``--only NAME``."""
    wide = {"histogram_us": settings.histogram_us}
    half = max(1, len(cpus) // 2)
    host_half, container_half = cpus[:half], cpus[half:] or cpus
    every_cpu = format_cpulist(cpus)
    return [
        Scenario("container-blocksys",
                 f"{_block(settings)} on all CPUs of the host{settings.note}, measuring "
                 "inside an OCI container (seed: about 3.8 ms there)",
                 measurements=(Measurement("container", wide),),
                 disturbances=(_blocksys(settings, "all"),), group="seed"),
        Scenario("concurrent",
                 f"host on CPUs {format_cpulist(host_half)} and a container on CPUs "
                 f"{format_cpulist(container_half)} measuring at the same time "
                 "(seed: -a0-3 -t4 and -a4-7 -t4)",
                 measurements=(Measurement("host", _pinned(host_half, wide)),
                               Measurement("container", _pinned(container_half, wide))),
                 group="seed"),
        Scenario("host-load", f"stress-ng cpu load on CPUs {every_cpu}, measuring on every CPU",
                 measurements=(Measurement("host", wide),),
                 disturbances=(Load("cpu", every_cpu),), group="seed"),
        Scenario("container-load",
                 f"stress-ng cpu load on CPUs {every_cpu}, measuring inside an OCI container",
                 measurements=(Measurement("container", wide),),
                 disturbances=(Load("cpu", every_cpu),), group="seed"),
        _llc_stress("llc-stress-cpu0-1", cpus[:2], "seed"),
        Scenario("priospread",
                 f"{PRIOSPREAD_THREADS} threads on CPU {cpus[0]} at descending priorities "
                 f"P:99…P:{100 - PRIOSPREAD_THREADS}: only the highest priority on a core keeps "
                 "its latency (seed: -a0 -t12 -p99 --priospread)",
                 measurements=(Measurement("host", {
                     **wide, "affinity": str(cpus[0]), "threads": PRIOSPREAD_THREADS,
                     "smp": False, "priority": 99, "priospread": True}),),
                 group="seed"),
    ]


def _llc_stress(name, loaded, group):
    """The seed's LLC stress: stress-ng malloc on ``loaded``, cyclictest on every CPU."""
    cpus = format_cpulist(loaded)
    where = f"CPU{'s' if len(loaded) > 1 else ''} {cpus}"
    return Scenario(name, f"stress-ng --malloc 512k (the seed's LLC stress) on {where}, "
                          "measuring with -n -m -Sp98 -i3000 -h400 on every CPU",
                    measurements=(Measurement("host", LLC),),
                    disturbances=(Load("llc-stress", cpus),), group=group)


def _pinned(cpus, args):
    return {**args, "affinity": format_cpulist(cpus), "threads": len(cpus), "smp": False}


def _block(settings):
    return f"blocksys {settings.block_us / 1000:g} ms every {settings.block_period_ms} ms"


def _blocksys(settings, cpus):
    return Blocksys(settings.block_us, cpus, settings.block_period_ms)
