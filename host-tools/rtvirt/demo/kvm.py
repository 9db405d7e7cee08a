"""The seed's KVM experiment as scenarios (docs/kvm.md): the host and its PREEMPT_RT guest,
each idle; the guest while blocksys blocks the host's vCPU CPUs (the seed: every guest CPU
reached, ≈ 4 ms); the host while blocksys blocks every guest CPU (the seed: host unaffected,
8–10 µs).

The guest is measured through the host's agent (``vm:NAME``, ops/vm.py); blocksys in the
guest goes the same way (vm.call). Under emulation the guest runs as nested KVM under TCG:
a 1 ms period is missed nine times in ten there and stalls of 100-400 ms are common, so the
threads wake every 10 ms and a block lasts 100 ms (the agent's blocksys limit), once a second.
"""

from rtvirt_agent.wire.cpulist import format_cpulist

from rtvirt.demo.disturbance import Blocksys
from rtvirt.demo.scenario import Measurement, Scenario

GUEST = "rtvirt-guest"      # the layer's domain (rtvirt-kvm-domain) and the lab's guest
VCPU_CPUS = "2-3"           # its vCPUs' host CPUs on a 4-CPU board (the host says: rtvirt vms)
HARDWARE = (1000, 4000, 500)        # (interval µs, block µs, block period ms)
EMULATED = (10_000, 100_000, 1000)   # 100 ms: the agent's blocksys limit
# latencies beyond it are kept one by one (the core keeps 1024 per thread): a block is counted
# there, and the core stays small enough to start quickly under emulation
HISTOGRAM_US = 200_000


def kvm_scenarios(cpus, emulated=False, vm=GUEST, vcpu_cpus=VCPU_CPUS):
    """Four scenarios: host and guest idle, the guest under host blocks, the host under
    guest blocks. The host measures on all its ``cpus``, the vCPU CPUs included (isolated,
    so -S alone would leave them out)."""
    interval_us, block_us, period_ms = EMULATED if emulated else HARDWARE
    scaled = " (scaled for emulation, the seed used 4 ms)" if emulated else ""
    every = f"blocksys {block_us / 1000:g} ms every {period_ms} ms"
    host = Measurement("host", {"smp": False, "affinity": format_cpulist(cpus),
                                "threads": len(cpus), "priority": 99,
                                "interval_us": interval_us, "histogram_us": HISTOGRAM_US})
    guest = Measurement(f"vm:{vm}", {"smp": True, "priority": 99, "interval_us": interval_us,
                                     "histogram_us": HISTOGRAM_US})
    rows = (("kvm-host-idle", "the KVM host's CPUs, idle", host, ()),
            ("kvm-guest-idle", f"the KVM guest {vm}'s vCPUs, idle", guest, ()),
            ("kvm-host-blocksys",
             f"the KVM guest's vCPUs, {every} on the host's vCPU CPUs {vcpu_cpus}{scaled}",
             guest, (Blocksys(block_us, vcpu_cpus, period_ms),)),
            ("kvm-guest-blocksys",
             f"the KVM host's CPUs, {every} on every guest CPU{scaled}",
             host, (Blocksys(block_us, "all", period_ms, where=f"vm:{vm}"),)))
    return [Scenario(name, summary, measurements=(measurement,), disturbances=disturbances,
                     group="kvm", labels={"vm": vm}, beside_vms=(vm,))
            for name, summary, measurement, disturbances in rows]
