"""Linux CPU lists ("0-3,5,7-8") and hexadecimal CPU masks ("ff" or "00000000,0000000f").

Both come from peers (a request's ``cpus``, a target's sysinfo) as well as from the kernel,
so each bound is checked against ``max_cpu`` before a range is expanded: "0-4000000000" is an
error, not four billion integers.
"""

MAX_CPU = 8191
"""Highest CPU number accepted anywhere: Linux builds at most 8192 CPUs (NR_CPUS, MAXSMP)."""


def parse_cpulist(text, max_cpu=MAX_CPU):
    """The sorted CPU numbers of a list like "0-2,5"; "" gives []. Raises ValueError."""
    cpus = set()
    text = text.strip()
    if not text:
        return []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        low = int(first)
        high = int(last) if dash else low
        if low < 0 or high < low:
            raise ValueError(f"bad CPU range {part!r}")
        if high > max_cpu:
            raise ValueError(f"CPU {high} in {part!r} is above the limit {max_cpu}")
        cpus.update(range(low, high + 1))
    return sorted(cpus)


def format_cpulist(cpus):
    """The compact list form of CPU numbers: [0, 1, 2, 5] gives "0-2,5"."""
    ranges = []
    for cpu in sorted(set(cpus)):
        if ranges and ranges[-1][1] == cpu - 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ",".join(str(low) if low == high else f"{low}-{high}" for low, high in ranges)


def parse_cpumask(text, max_cpu=MAX_CPU):
    """The CPU numbers set in a hexadecimal mask as in /proc/irq/default_smp_affinity."""
    digits = text.replace(",", "").strip()
    if len(digits) * 4 > max_cpu + 1 + 64:
        raise ValueError(f"CPU mask of {len(digits)} digits is above the limit {max_cpu}")
    value = int(digits, 16)
    return [bit for bit in range(value.bit_length()) if value >> bit & 1]
