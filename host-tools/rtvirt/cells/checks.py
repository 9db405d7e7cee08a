"""Checks across a set of Jailhouse configurations: a root cell and the cells meant to run on it.

What Jailhouse itself only finds when ``jailhouse cell create`` fails on the board (or never
finds): CPUs given to two cells, memory claimed twice, inmate memory the root cell never owned,
overlaps with the hypervisor, and ivshmem endpoints that do not describe the same link.
"""

from bisect import bisect_right
from itertools import chain, combinations

from rtvirt_agent.wire.errors import UsageError

from rtvirt.cells.ivshmem import check_ivshmem
from rtvirt.cells.model import Finding, cpu_list
from rtvirt.cells.sweep import Spans, collapse, pairs_between, pairs_within


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
    for check in (check_format, check_architectures, check_cpus, check_regions_inside_cells,
                  check_regions_between_cells, check_hypervisor_memory, check_root_carveout):
        findings.extend(check(root, inmates))
    findings.extend(check_ivshmem(list(configs)))
    return findings


def check_format(root, inmates):
    """Bytes beyond the announced arrays: Jailhouse loads such a file, so only a warning."""
    for config in ([root] if root else []) + inmates:
        if config.trailing_bytes:
            yield Finding("format", "warning",
                          f"{config.path}: {config.trailing_bytes} bytes beyond the "
                          "arrays its header announces (Jailhouse ignores them; a count "
                          "left at 0?)", (config.name,))


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


def _physical(regions):
    return Spans((r.phys_start, r.phys_end, r) for r in regions if r.is_physical)


def check_regions_inside_cells(root, inmates):
    """No two regions of one cell may overlap, physically or in the cell's address space.

    An identity-mapped region overlaps another identity-mapped one virtually exactly where it
    does physically, so only pairs with a remapped (or virtual-only) region are swept twice.
    """
    for cell in ([root] if root else []) + inmates:
        identity = {r for r in cell.memory_regions
                    if r.is_physical and r.virt_start == r.phys_start}
        remapped = Spans((r.virt_start, r.virt_end, r) for r in cell.memory_regions
                         if r not in identity)
        sweeps = ((pairs_within(_physical(cell.memory_regions)), "physically"),
                  (pairs_within(remapped), "virtually"),
                  (pairs_between(Spans((r.virt_start, r.virt_end, r) for r in identity),
                                 remapped), "virtually"))
        findings = (_inside_overlap(cell, first, second, way, identity)
                    for (_, pairs), way in sweeps for first, second in pairs)
        yield from collapse(sum(count for (count, _), _ in sweeps), findings,
                            lambda rest, cell=cell: (
                                f"cell {cell.label}: {rest} more pairs of regions overlap"))


def _inside_overlap(cell, first, second, way, identity):
    if way == "physically" and first in identity and second in identity:
        way = "physically and virtually"
    return Finding("memory-overlap", "error", f"cell {cell.label}: {first.describe()} overlaps "
                   f"{way} with {second.describe()}", (cell.name,))


def check_regions_between_cells(root, inmates):
    """Two non-root cells may share physical memory only where both mark it ROOTSHARED."""
    for first, second in combinations(inmates, 2):
        own, shared = _split_rootshared(first)
        theirs_own, theirs_shared = _split_rootshared(second)
        counts, pairs = zip(pairs_between(own, Spans(theirs_own.spans + theirs_shared.spans)),
                            pairs_between(shared, theirs_own), strict=True)
        findings = (Finding("memory-overlap", "error",
                            f"cell {first.label} {mine.describe()} overlaps cell "
                            f"{second.label} {theirs.describe()}, and not both are "
                            "ROOTSHARED", (first.name, second.name))
                    for mine, theirs in chain(*pairs))
        yield from collapse(sum(counts), findings, lambda rest, a=first, b=second: (
            f"cell {a.label} and cell {b.label}: {rest} more pairs of regions overlap"))


def _split_rootshared(cell):
    regions = [r for r in cell.memory_regions if r.is_physical]
    return (Spans((r.phys_start, r.phys_end, r) for r in regions if not r.is_rootshared),
            Spans((r.phys_start, r.phys_end, r) for r in regions if r.is_rootshared))


def check_hypervisor_memory(root, inmates):
    if root is None:
        return
    hypervisor = root.system.hypervisor_memory
    for cell in [root] + inmates:
        hits = [region for region in cell.memory_regions
                if region.is_physical and _overlap(region.phys_start, region.phys_end,
                                                   hypervisor.phys_start, hypervisor.phys_end)]
        findings = (Finding("hypervisor-memory", "error",
                            f"cell {cell.label} {region.describe()} overlaps the hypervisor "
                            f"memory {hypervisor.phys_start:#x}-{hypervisor.phys_end - 1:#x}",
                            (cell.name,)) for region in hits)
        yield from collapse(len(hits), findings, lambda rest, cell=cell: (
            f"cell {cell.label}: {rest} more regions overlap the hypervisor memory"))


def _coverage(regions):
    """The union of ``regions`` as sorted, disjoint, non-touching ``(start, end)`` ranges."""
    merged = []
    for region in sorted(regions, key=lambda r: r.phys_start):
        if merged and region.phys_start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], region.phys_end)
        else:
            merged.append([region.phys_start, region.phys_end])
    return [tuple(span) for span in merged]


def _uncovered(start, end, coverage):
    """Sub-ranges of [start, end) outside ``coverage`` (from ``_coverage``)."""
    gaps, cursor = [], start
    first = max(0, bisect_right(coverage, (start, float("inf"))) - 1)
    for span_start, span_end in coverage[first:]:
        if span_start >= end:
            break
        if span_end <= cursor:
            continue
        if span_start > cursor:
            gaps.append((cursor, span_start))
        cursor = max(cursor, span_end)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def _covered(start, end, coverage):
    index = bisect_right(coverage, (start, float("inf"))) - 1
    return index >= 0 and coverage[index][1] >= end


def check_root_carveout(root, inmates):
    """Memory a cell takes from the root (not ROOTSHARED, not COMM) must be root memory.

    Jailhouse unmaps such a region from the root cell when the cell is created; a region the
    root cell does not own was never reserved for the inmate and belongs to nobody's plan.
    """
    if root is None:
        return
    coverage = _coverage(region for region in root.memory_regions if region.is_physical)
    for cell in inmates:
        outside = [region for region in cell.memory_regions
                   if region.is_physical and not region.is_rootshared
                   and not _covered(region.phys_start, region.phys_end, coverage)]
        findings = (_not_carved_out(cell, root, region, coverage) for region in outside)
        yield from collapse(len(outside), findings, lambda rest, cell=cell: (
            f"cell {cell.label}: {rest} more regions are not carved out of the root cell "
            f"{root.label}"))


def _not_carved_out(cell, root, region, coverage):
    gaps = _uncovered(region.phys_start, region.phys_end, coverage)
    spans = ", ".join(f"{a:#x}-{b - 1:#x}" for a, b in gaps)
    return Finding("root-carveout", "error",
                   f"cell {cell.label} {region.describe()} is not carved out of the root cell "
                   f"{root.label}: no root region covers {spans}", (cell.name, root.name))
