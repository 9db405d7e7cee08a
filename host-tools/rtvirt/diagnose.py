"""RT misconfiguration audit: findings from a target's SYSINFO facts.

Each rule looks at the facts the agent reported and returns findings with a severity
(``fail``: the target cannot give real-time guarantees as configured; ``warn``: a known source
of latency; ``info``: context the user needs to read the numbers) and the fix. The rules
follow the OSADL study's findings for bare metal, containers and KVM guests.
"""

import dataclasses

from rtvirt_agent.sysinfo.cpulist import format_cpulist, parse_cpulist

SEVERITIES = ("fail", "warn", "info")
SLOW_CLOCKSOURCES = {"hpet", "acpi_pm", "jiffies", "refined-jiffies", "pit"}


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


def check_preempt_rt(facts, _rt_cpus):
    rt = facts.get("preempt_rt") or {}
    if rt.get("active"):
        return []
    return [Finding("fail", "kernel", f"kernel {facts.get('kernel_release')} is not PREEMPT_RT "
                    f"(answered by {rt.get('source') or 'no source'})",
                    "boot a kernel built with CONFIG_PREEMPT_RT=y")]


def check_isolation(facts, rt_cpus):
    if not rt_cpus:
        return [Finding("warn", "isolation", "no CPU is isolated: RT threads share their CPUs "
                        "with housekeeping work", "add isolcpus=, nohz_full=, rcu_nocbs= and "
                        "irqaffinity= (the complement) to the kernel command line")]
    findings = []
    for key, name in (("nohz_full", "nohz_full"), ("rcu_nocbs", "rcu_nocbs")):
        missing = sorted(set(rt_cpus) - set(cpus_of(facts, key)))
        if missing:
            findings.append(Finding("warn", "isolation",
                                    f"RT CPUs {format_cpulist(missing)} are not in {name}",
                                    f"add {name}={format_cpulist(rt_cpus)}"))
    return findings


def check_irqs(facts, rt_cpus):
    if not rt_cpus:
        return []
    findings = []
    default = set(cpus_of(facts, "irq_default_affinity")) & set(rt_cpus)
    if default:
        findings.append(Finding("warn", "irqs", "the default IRQ affinity includes RT CPUs "
                                f"{format_cpulist(default)}",
                                "boot with irqaffinity= set to the housekeeping CPUs"))
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
        "kvm": Finding("info", "virtualization", "KVM guest: RT needs isolcpus, nohz_full, "
                       "rcu_nocbs and irqaffinity on the host plus vCPUs pinned to isolated CPUs "
                       "and run SCHED_FIFO", "pin vCPUs (libvirt <vcpupin>, <vcpusched "
                       "scheduler='fifo' priority='1'>)"),
        "container": Finding("info", "virtualization", "container: shares the host kernel; "
                             "host load and blocksys on the host reach it"),
    }
    return [notes[kind]] if kind in notes else []


RULES = (check_preempt_rt, check_isolation, check_irqs, check_power, check_scheduler,
         check_virtualization)


def diagnose(facts, rt_cpus=None):
    """All findings for ``facts``; RT CPUs default to the isolated ones."""
    cpus = parse_cpulist(rt_cpus) if rt_cpus else cpus_of(facts, "cpus_isolated")
    findings = [finding for rule in RULES for finding in rule(facts, cpus)]
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))
