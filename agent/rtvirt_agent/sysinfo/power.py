"""Power-management facts: cpufreq governors and whether PM QoS can be requested."""

import re

_CPU_DIR = re.compile(r"^cpu(\d+)$")


def cpufreq_governors(root):
    """{cpu number as str: governor} for CPUs with cpufreq; None when no CPU has cpufreq."""
    governors = {}
    cpus = sorted(int(m[1]) for m in map(_CPU_DIR.match, root.listdir("/sys/devices/system/cpu"))
                  if m)
    for cpu in cpus:
        governor = root.read(f"/sys/devices/system/cpu/cpu{cpu}/cpufreq/scaling_governor")
        if governor:
            governors[str(cpu)] = governor
    return governors or None


def power_facts(root):
    """Governors, and whether /dev/cpu_dma_latency opens (Docker hides it by default)."""
    openable, reason = root.can_open("/dev/cpu_dma_latency")
    return {
        "cpufreq_governors": cpufreq_governors(root),
        "cpu_dma_latency_openable": openable,
        "cpu_dma_latency_error": reason,
    }
