"""Checks across a set of Jailhouse configurations: a root cell and the cells meant to run on it.

What Jailhouse itself only finds when ``jailhouse cell create`` fails on the board (or never
finds): CPUs given to two cells, memory claimed twice, inmate memory the root cell never owned,
overlaps with the hypervisor, and ivshmem endpoints that do not describe the same link.
"""

from itertools import combinations

from rtvirt_agent.errors import UsageError

from rtvirt.cells.ivshmem import check_ivshmem
from rtvirt.cells.model import Finding, cpu_list


def check_configs(configs):
    """Run every check over ``configs`` (at most one system config); return the findings."""
    roots = [config for config in configs if config.is_root]
    if len(roots) > 1:
        names = ", ".join(root.path for root in roots)
        raise UsageError(f"more than one system configuration given ({names}): "
                         "check one root cell with its non-root cells at a time")
    root = roots[0] if roots else None
    inmates = [config for config in configs if not config.is_root]
    findings = []
    for check in (check_architectures, check_cpus, check_regions_inside_cells,
                  check_regions_between_cells, check_hypervisor_memory, check_root_carveout):
        findings.extend(check(root, inmates))
    findings.extend(check_ivshmem(list(configs)))
    return findings


def check_architectures(root, inmates):
    """Revision 14 files record their architecture: all of a set must agree."""
    recorded = [c for c in ([root] if root else []) + inmates if c.architecture]
    if len({c.architecture for c in recorded}) > 1:
        text = ", ".join(f"{c.label} is {c.architecture}" for c in recorded)
        yield Finding("architecture", "error", f"architectures differ: {text}",
                      tuple(c.name for c in recorded))


def check_cpus(root, inmates):
    for cell in inmates:
        if not cell.cpus:
            yield Finding("cpus", "error", f"cell {cell.label} has no CPU", (cell.name,))
    for first, second in combinations(inmates, 2):
        shared = first.cpus & second.cpus
        if shared:
            yield Finding("cpus", "error",
                          f"CPU {cpu_list(shared)} in two cells: {first.label} and "
                          f"{second.label}", (first.name, second.name))
    if root is None:
        return
    for cell in inmates:
        foreign = cell.cpus - root.cpus
        if foreign:
            yield Finding("cpus", "error",
                          f"cell {cell.label} uses CPU {cpu_list(foreign)}, which the root "
                          f"cell {root.label} does not own (root CPUs {cpu_list(root.cpus)})",
                          (cell.name, root.name))
    given_away = frozenset().union(*(cell.cpus for cell in inmates))
    if inmates and root.cpus and root.cpus <= given_away:
        yield Finding("cpus", "error",
                      f"the cells take every CPU of the root cell {root.label} "
                      f"({cpu_list(root.cpus)}): the root cell must keep one",
                      (root.name,))


def _overlap(start_a, end_a, start_b, end_b):
    return start_a < end_b and start_b < end_a


def check_regions_inside_cells(root, inmates):
    """No two regions of one cell may overlap, physically or in the cell's address space."""
    for cell in ([root] if root else []) + inmates:
        for first, second in combinations(cell.memory_regions, 2):
            ways = []
            if first.is_physical and second.is_physical and _overlap(
                    first.phys_start, first.phys_end, second.phys_start, second.phys_end):
                ways.append("physically")
            if first.size and second.size and _overlap(
                    first.virt_start, first.virt_end, second.virt_start, second.virt_end):
                ways.append("virtually")
            if ways:
                yield Finding("memory-overlap", "error",
                              f"cell {cell.label}: {first.describe()} overlaps "
                              f"{' and '.join(ways)} with {second.describe()}", (cell.name,))


def check_regions_between_cells(root, inmates):
    """Two non-root cells may share physical memory only where both mark it ROOTSHARED."""
    for first, second in combinations(inmates, 2):
        for mine in first.memory_regions:
            for theirs in second.memory_regions:
                if not (mine.is_physical and theirs.is_physical):
                    continue
                if mine.is_rootshared and theirs.is_rootshared:
                    continue
                if _overlap(mine.phys_start, mine.phys_end, theirs.phys_start, theirs.phys_end):
                    yield Finding("memory-overlap", "error",
                                  f"cell {first.label} {mine.describe()} overlaps cell "
                                  f"{second.label} {theirs.describe()}, and not both are "
                                  "ROOTSHARED", (first.name, second.name))


def check_hypervisor_memory(root, inmates):
    if root is None:
        return
    hypervisor = root.system.hypervisor_memory
    for cell in [root] + inmates:
        for region in cell.memory_regions:
            if region.is_physical and _overlap(region.phys_start, region.phys_end,
                                               hypervisor.phys_start, hypervisor.phys_end):
                yield Finding("hypervisor-memory", "error",
                              f"cell {cell.label} {region.describe()} overlaps the hypervisor "
                              f"memory {hypervisor.phys_start:#x}-{hypervisor.phys_end - 1:#x}",
                              (cell.name,))


def _uncovered(start, end, root_regions):
    """Sub-ranges of [start, end) that no root region covers."""
    gaps, cursor = [], start
    for region in sorted(root_regions, key=lambda r: r.phys_start):
        if region.phys_end <= cursor or region.phys_start >= end:
            continue
        if region.phys_start > cursor:
            gaps.append((cursor, region.phys_start))
        cursor = max(cursor, region.phys_end)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def check_root_carveout(root, inmates):
    """Memory a cell takes from the root (not ROOTSHARED, not COMM) must be root memory.

    Jailhouse unmaps such a region from the root cell when the cell is created; a region the
    root cell does not own was never reserved for the inmate and belongs to nobody's plan.
    """
    if root is None:
        return
    root_regions = [region for region in root.memory_regions if region.is_physical]
    for cell in inmates:
        for region in cell.memory_regions:
            if not region.is_physical or region.is_rootshared:
                continue
            gaps = _uncovered(region.phys_start, region.phys_end, root_regions)
            if gaps:
                spans = ", ".join(f"{a:#x}-{b - 1:#x}" for a, b in gaps)
                yield Finding("root-carveout", "error",
                              f"cell {cell.label} {region.describe()} is not carved out of the "
                              f"root cell {root.label}: no root region covers {spans}",
                              (cell.name, root.name))
