"""CPU lists for the isolation kernel arguments, checked when bitbake parses the recipes.

A wrong ``RTVIRT_ISOLATED_CPUS`` must stop the build with a message that names the variable,
not produce a board that boots without isolation. The functions here are plain Python so that
the repository's tests exercise exactly what bitbake runs.
"""

import re

_RANGE = re.compile(r"(\d+)(?:-(\d+))?")


class CpuListError(ValueError):
    """A CPU list that is malformed or does not fit the machine."""


def parse_cpulist(text):
    """Return the set of CPUs in a kernel CPU list such as ``"1,2-3"``."""
    cpus = set()
    for piece in text.split(","):
        match = _RANGE.fullmatch(piece.strip())
        if not match:
            raise CpuListError(f'"{text}" is not a CPU list like "2-3" or "1,3"')
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise CpuListError(f'range "{piece.strip()}" in "{text}" runs backwards')
        cpus.update(range(first, last + 1))
    return cpus


def format_cpulist(cpus):
    """Return the shortest kernel CPU list for a set of CPUs: ``{0, 1, 3}`` -> ``"0-1,3"``."""
    ranges = []
    for cpu in sorted(cpus):
        if ranges and ranges[-1][1] == cpu - 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def parse_cpu_count(text):
    """Return the number of CPUs of the machine, a positive integer."""
    if not text.strip().isdigit() or int(text) < 1:
        raise CpuListError(f'"{text}" is not a positive number of CPUs')
    return int(text)


def isolation_args(isolated_text, cpu_count):
    """Kernel arguments isolating ``isolated_text`` on a machine with ``cpu_count`` CPUs.

    The isolated CPUs get no scheduler load balancing, no periodic tick and no RCU callbacks;
    interrupts default to the remaining (housekeeping) CPUs, which must not be empty. An empty
    list means no isolation and no arguments.
    """
    if not isolated_text.strip():
        return ""
    isolated = parse_cpulist(isolated_text)
    outside = sorted(cpu for cpu in isolated if cpu >= cpu_count)
    if outside:
        raise CpuListError(
            f"CPUs {format_cpulist(outside)} do not exist: the machine has CPUs "
            f"0-{cpu_count - 1}")
    housekeeping = set(range(cpu_count)) - isolated
    if not housekeeping:
        raise CpuListError("isolating every CPU leaves none for housekeeping and interrupts")
    rt = format_cpulist(isolated)
    return (f"isolcpus=domain,managed_irq,{rt} nohz_full={rt} rcu_nocbs={rt} "
            f"irqaffinity={format_cpulist(housekeeping)}")
