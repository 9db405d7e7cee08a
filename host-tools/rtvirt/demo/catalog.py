"""Every scenario ``rtvirt demo`` knows, by group, and the choice of those to run on a target.

Groups: ``default`` (what ``rtvirt demo`` runs without options, short enough for ``make
demo``), ``seed`` (the seed's other host and container experiments), ``jailhouse``
(``--jailhouse``), ``kvm`` (``--kvm``). ``--only NAME…`` picks any of them by name,
``--all`` every one the target can run.
"""

from dataclasses import dataclass, field

from rtvirt_agent.wire.cpulist import parse_cpulist
from rtvirt_agent.wire.errors import RemoteError, UsageError
from rtvirt_agent.wire.vms import checked_vms

from rtvirt.demo.jailhouse import jailhouse_scenarios
from rtvirt.demo.kvm import kvm_scenarios
from rtvirt.demo.seed import seed_scenarios

GROUPS = {
    "default": "run by `rtvirt demo`",
    "seed": "the seed's other experiments: `rtvirt demo --all` or `--only NAME`",
    "jailhouse": "`rtvirt demo --jailhouse` (the jailhouse-arm64 lab board or a board "
                 "with the same cells)",
    "kvm": "`rtvirt demo --kvm` (the kvm-arm64 lab board or a KVM host with the layer's "
           "guest domain)",
}
LISTED_CPUS = [0, 1, 2, 3]  # --list describes the scenarios for a 4-CPU target, as the lab's


@dataclass(frozen=True)
class TargetFacts:
    """What decides whether a target can run a scenario."""

    cpus: list
    emulated: bool
    blocksys: bool
    cells: tuple = ()   # running Jailhouse cells
    vms: dict = field(default_factory=dict)   # running KVM guests: {name: vCPU host CPUs}


def target_facts(client, hello, sysinfo, emulated):
    """TargetFacts of a connected target (its running cells when it is a root cell)."""
    try:
        cells = tuple(cell["name"] for cell in client.call("cells")["cells"]
                      if cell["state"] == "running")
    except RemoteError:
        cells = ()
    return TargetFacts(cpus=parse_cpulist(sysinfo.get("cpus_online") or "0"),
                       emulated=emulated, blocksys=bool(hello.get("blocksys_enabled")),
                       cells=cells, vms=running_vms(client))


def running_vms(client):
    """{name: the host CPUs of its vCPUs} of the KVM guests the target's agent runs."""
    try:
        vms = checked_vms(client.call("vms"))
    except RemoteError:
        return {}
    return {vm["name"]: ",".join(vcpu["cpus"] for vcpu in vm["vcpus"])
            for vm in vms if vm["state"] == "running"}


def all_scenarios(cpus, emulated, vms=None):
    """Every scenario; the KVM ones for the first running guest of ``vms`` (see TargetFacts)
    when there is one, else for the layer's guest on CPUs 2-3."""
    guest = next(((name, cpus) for name, cpus in (vms or {}).items() if cpus), None)
    kvm = kvm_scenarios(cpus, emulated, *guest) if guest else kvm_scenarios(cpus, emulated)
    return [*seed_scenarios(cpus, emulated), *jailhouse_scenarios(emulated), *kvm]


def listing():
    """``[(group, description, [(name, summary)…])…]`` for ``rtvirt demo --list``."""
    scenarios = all_scenarios(LISTED_CPUS, emulated=False)
    return [(group, text, [(s.name, s.summary) for s in scenarios if s.group == group])
            for group, text in GROUPS.items()]


def choose(facts, only=None, groups=("default",), everything=False):
    """``(scenarios to run, [(name, why skipped)…])``: those named by ``only`` (a UsageError
    for an unknown name), else every one (``everything``) or those of ``groups``; a scenario
    the target cannot run is skipped with the reason."""
    scenarios = all_scenarios(facts.cpus, facts.emulated, facts.vms)
    if only:
        known = {scenario.name for scenario in scenarios}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise UsageError(f"unknown scenario(s) {', '.join(unknown)}: choose from "
                             + ", ".join(scenario.name for scenario in scenarios)
                             + " (rtvirt demo --list)")
        wanted = [scenario for scenario in scenarios if scenario.name in only]
    else:
        wanted = [scenario for scenario in scenarios if everything or scenario.group in groups]
    chosen, skipped = [], []
    for scenario in wanted:
        reason = scenario.unmet(facts)
        if reason:
            skipped.append((scenario.name, reason))
        else:
            chosen.append(scenario)
    return chosen, skipped
