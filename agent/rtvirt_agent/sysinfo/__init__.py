"""SYSINFO: the facts about a target that decide whether its latencies can be trusted.

``collect(root)`` reads everything below ``root`` ("/" on a target, a fake tree in tests);
absent files give None, never an exception. docs/agent.md lists every key.
"""

from .cpus import cpu_facts
from .fs import SysRoot
from .identity import identity_facts
from .kernel import kernel_facts
from .machine import machine_facts
from .power import power_facts
from .virt import virtualization_facts

_READERS = (kernel_facts, cpu_facts, power_facts, virtualization_facts, machine_facts,
            identity_facts)


def collect(root="/"):
    """All sysinfo facts as one flat dict of JSON-like values."""
    sysroot = SysRoot(root)
    facts = {}
    for reader in _READERS:
        facts.update(reader(sysroot))
    return facts
