"""Linux CPU lists ("0-3,5,7-8") and hexadecimal CPU masks ("ff" or "00000000,0000000f")."""

MAX_CPUS = 8192
"""Linux's largest NR_CPUS (MAXSMP): a CPU number at or above it is refused before a range is
expanded, so "0-4000000000" costs nothing."""


def parse_cpulist(text):
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
        if high >= MAX_CPUS:
            raise ValueError(f"CPU {high} in {part!r} is beyond Linux's limit of {MAX_CPUS}")
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


def parse_cpumask(text):
    """The CPU numbers set in a hexadecimal mask as in /proc/irq/default_smp_affinity."""
    value = int(text.replace(",", "").strip(), 16)
    return [bit for bit in range(value.bit_length()) if value >> bit & 1]
