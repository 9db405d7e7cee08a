"""RT misconfiguration audit: findings from a target's SYSINFO facts.

Each rule looks at the facts the agent reported and returns findings with a severity
(``fail``: the target cannot give real-time guarantees as configured; ``warn``: a known source
of latency; ``info``: context the user needs to read the numbers) and the fix. The rules
follow the OSADL study's findings for bare metal, containers and KVM guests. A fix is concrete:
kernel arguments carry the CPU numbers computed from the target's topology and the RT CPUs
(``isolcpus=2,3 nohz_full=2,3 rcu_nocbs=2,3 irqaffinity=0,1``), and an argument the kernel
cannot apply (``nohz_full=`` without CONFIG_NO_HZ_FULL) says that the kernel must change.
"""

import dataclasses

from rtvirt_agent.sysinfo.kernel import parse_cmdline
from rtvirt_agent.wire.cpulist import format_cpulist, parse_cpulist
from rtvirt_agent.wire.errors import UsageError

SEVERITIES = ("fail", "warn", "info")
SLOW_CLOCKSOURCES = {"hpet", "acpi_pm", "jiffies", "refined-jiffies", "pit"}
# the kernel option without which a boot argument is silently ignored
NEEDS = {"nohz_full": "CONFIG_NO_HZ_FULL", "rcu_nocbs": "CONFIG_RCU_NOCB_CPU",
         "isolcpus": "CONFIG_CPU_ISOLATION"}


@dataclasses.dataclass(frozen=True)
class Finding:
    severity: str
    topic: str
    message: str
    fix: str = ""


def cpus_of(facts, key):
    """The CPU numbers of a cpulist fact, [] when absent or empty."""
    text = facts.get(key)
    return parse_cpulist(text) if text else []


def comma_list(cpus):
    """CPUs as the kernel's command line examples write them: 2,3 (ranges for long runs)."""
    text = format_cpulist(cpus)
    return ",".join(str(cpu) for cpu in cpus) if len(cpus) <= 3 else text


def housekeeping(facts, rt_cpus):
    return sorted(set(cpus_of(facts, "cpus_online")) - set(rt_cpus))


def config_lacks(facts, argument):
    """The kernel option ``argument`` needs, when the target's config says it is not set."""
    option = NEEDS.get(argument)
    return option if (facts.get("kernel_config") or {}).get(option) == "n" else None


def isolation_fix(facts, rt_cpus):
    """The boot arguments isolating ``rt_cpus``, and what the kernel must gain first."""
    rt, hk = comma_list(rt_cpus), comma_list(housekeeping(facts, rt_cpus))
    usable = [name for name in ("isolcpus", "nohz_full", "rcu_nocbs")
              if not config_lacks(facts, name)]
    args = " ".join([*(f"{name}={rt}" for name in usable), f"irqaffinity={hk}"])
    lacking = [config_lacks(facts, name) for name in NEEDS if config_lacks(facts, name)]
    rebuild = f"; rebuild the kernel with {', '.join(f'{o}=y' for o in lacking)}" \
        if lacking else ""
    return f"boot with {args}{rebuild}"


def suggested_rt_cpus(facts):
    """RT CPUs to propose when none were chosen: the upper half, CPU 0 always housekeeping."""
    online = cpus_of(facts, "cpus_online")
    return online[max(1, len(online) // 2):] if len(online) > 1 else []


def check_rt_cpus(facts, rt_cpus):
    """A UsageError when ``--rt-cpus`` names CPUs the target lacks or leaves none for
    housekeeping."""
    online = cpus_of(facts, "cpus_online")
    if not online:
        return
    absent = sorted(set(rt_cpus) - set(online))
    if absent:
        raise UsageError(f"--rt-cpus {format_cpulist(rt_cpus)}: CPU(s) {format_cpulist(absent)} "
                         f"are not online on this target (online: {format_cpulist(online)})")
    if not housekeeping(facts, rt_cpus):
        raise UsageError(f"--rt-cpus {format_cpulist(rt_cpus)} leaves no housekeeping CPU "
                         f"(online: {format_cpulist(online)}): keep at least one, e.g. "
                         f"--rt-cpus {format_cpulist(online[1:]) or 'none'}")


def check_preempt_rt(facts, _rt_cpus):
    rt = facts.get("preempt_rt") or {}
    if rt.get("active"):
        return []
    findings = [Finding("fail", "kernel", f"kernel {facts.get('kernel_release')} is not "
                        f"PREEMPT_RT (answered by {rt.get('source') or 'no source'})",
                        "boot a kernel built with CONFIG_PREEMPT_RT=y")]
    preempt = parse_cmdline(facts.get("cmdline")).get("preempt")
    if (facts.get("kernel_config") or {}).get("CONFIG_PREEMPT_DYNAMIC") == "y" \
            and preempt != "full":
        findings.append(Finding("warn", "kernel", "this kernel chooses its preemption model at "
                                f"boot (PREEMPT_DYNAMIC) and runs "
                                f"{'preempt=' + preempt if preempt else 'its default'}",
                                "boot with preempt=full until a PREEMPT_RT kernel is in place"))
    return findings


def check_isolation(facts, rt_cpus):
    if not rt_cpus:
        proposed = suggested_rt_cpus(facts)
        fix = (f"e.g. RT CPUs {comma_list(proposed)}: {isolation_fix(facts, proposed)}"
               if proposed else "a single CPU cannot be isolated: use a target with more CPUs")
        return [Finding("warn", "isolation", "no CPU is isolated: RT threads share their CPUs "
                        "with housekeeping work", fix)]
    findings = []
    for name in ("nohz_full", "rcu_nocbs"):
        missing = sorted(set(rt_cpus) - set(cpus_of(facts, name)))
        if not missing:
            continue
        lacking = config_lacks(facts, name)
        message = f"RT CPUs {format_cpulist(missing)} are not in {name}"
        if lacking:
            findings.append(Finding("warn", "isolation", f"{message}, and this kernel cannot "
                                    f"apply {name}=: {lacking} is not set",
                                    f"rebuild the kernel with {lacking}=y, then boot with "
                                    f"{name}={comma_list(rt_cpus)}"))
        else:
            findings.append(Finding("warn", "isolation", message,
                                    f"boot with {name}={comma_list(rt_cpus)}"))
    return findings


def check_irqs(facts, rt_cpus):
    if not rt_cpus:
        return []
    findings = []
    default = set(cpus_of(facts, "irq_default_affinity")) & set(rt_cpus)
    if default:
        findings.append(Finding("warn", "irqs", "the default IRQ affinity includes RT CPUs "
                                f"{format_cpulist(default)}",
                                f"boot with irqaffinity="
                                f"{comma_list(housekeeping(facts, rt_cpus)) or '0'}"))
    irqs = facts.get("irqs_on_isolated") or []
    if irqs:
        names = ", ".join(f"{irq['irq']} ({irq.get('desc') or '?'})" for irq in irqs[:8])
        more = f" and {len(irqs) - 8} more" if len(irqs) > 8 else ""
        findings.append(Finding("warn", "irqs", f"{len(irqs)} IRQ(s) may hit RT CPUs: "
                                f"{names}{more}", "move them with /proc/irq/N/smp_affinity_list"))
    return findings


def check_power(facts, _rt_cpus):
    findings = []
    governors = facts.get("cpufreq_governors") or {}
    slow = sorted(str(cpu) for cpu, gov in governors.items() if gov != "performance")
    if slow:
        findings.append(Finding("warn", "power", f"CPUs {','.join(slow)} do not run the "
                                "performance cpufreq governor", "set scaling_governor to "
                                "performance"))
    if facts.get("cpu_dma_latency_openable") is False:
        findings.append(Finding("warn", "power", "/dev/cpu_dma_latency cannot be opened "
                                f"({facts.get('cpu_dma_latency_error') or 'no reason given'}): "
                                "deep C-states stay allowed and wake-ups get slower "
                                "(OSADL: 93 µs vs 29 µs worst case in a container)",
                                "give the measuring process the device (e.g. docker --device "
                                "/dev/cpu_dma_latency) or run on the host"))
    if facts.get("smt"):
        findings.append(Finding("warn", "cpu", "SMT is active: a sibling thread shares the RT "
                                "CPU's core", "disable SMT or keep RT CPUs' siblings idle"))
    return findings


def check_scheduler(facts, rt_cpus):
    findings = []
    runtime = facts.get("sched_rt_runtime_us")
    if runtime is not None and runtime != -1:
        findings.append(Finding("info", "scheduler", f"RT throttling is on: SCHED_FIFO tasks "
                                f"get {runtime} µs per period", "set "
                                "/proc/sys/kernel/sched_rt_runtime_us to -1 only if every RT "
                                "task is known to sleep"))
    if rt_cpus and facts.get("timer_migration"):
        findings.append(Finding("warn", "timers", "timer migration is on: timers can move "
                                "onto RT CPUs", "echo 0 > /proc/sys/kernel/timer_migration"))
    clocksource = facts.get("clocksource")
    if clocksource in SLOW_CLOCKSOURCES:
        findings.append(Finding("warn", "timers", f"clocksource {clocksource} is slow to read",
                                "find why tsc / arch_sys_counter was rejected (dmesg)"))
    return findings


def check_virtualization(facts, _rt_cpus):
    kind = facts.get("virtualization")
    notes = {
        "qemu-tcg": Finding("warn", "virtualization", "this target is emulated (TCG): its "
                            "latencies describe the emulator, not hardware"),
        "kvm": Finding("info", "virtualization", "KVM guest (" + "; ".join(
                           facts.get("virtualization_evidence") or ["no evidence listed"])
                       + "): RT needs isolcpus, nohz_full, rcu_nocbs and irqaffinity on the "
                       "host plus vCPUs pinned to isolated CPUs and run SCHED_FIFO",
                       "on the host: pin each vCPU to an isolated CPU (libvirt <vcpupin>) and "
                       "run it SCHED_FIFO (<vcpusched scheduler='fifo' priority='1'>)"),
        "container": Finding("info", "virtualization", "container: shares the host kernel; "
                             "host load and blocksys on the host reach it"),
    }
    return [notes[kind]] if kind in notes else []


RULES = (check_preempt_rt, check_isolation, check_irqs, check_power, check_scheduler,
         check_virtualization)


def diagnose(facts, rt_cpus=None):
    """All findings for ``facts``; RT CPUs default to the isolated ones."""
    cpus = parse_cpulist(rt_cpus) if rt_cpus else cpus_of(facts, "cpus_isolated")
    if rt_cpus:
        check_rt_cpus(facts, cpus)
    findings = [finding for rule in RULES for finding in rule(facts, cpus)]
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))
