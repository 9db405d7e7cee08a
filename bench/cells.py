"""``rtvirt cells check`` on hostile files: 1,000 and 3,000 mutually overlapping regions.

Sort and sweep keeps the work near-linear: ``ratio_3000_to_1000`` is the time for 3,000
regions over the time for 1,000 (3 would be linear, 9 quadratic), measured in one run.
"""

import time

from rtvirt.cells import check_configs, layout, parse_config
from rtvirt.cells.builder import build_cell, memory

RW = layout.MEM_READ | layout.MEM_WRITE


def _file(count):
    regions = [memory(0xC0000000 + index * 0x10, 0x1000, RW) for index in range(count)]
    return build_cell("hostile", {1}, regions)


def _check_seconds(count):
    data = _file(count)
    started = time.perf_counter()
    findings = check_configs([parse_config(data, "hostile.cell")])
    return time.perf_counter() - started, len(data), len(findings)


def run():
    figures = {}
    for count in (1000, 3000):
        seconds, size, findings = _check_seconds(count)
        figures[f"regions_{count}"] = {"file_bytes": size, "seconds": round(seconds, 3),
                                       "findings": findings}
    figures["ratio_3000_to_1000"] = round(
        figures["regions_3000"]["seconds"] / figures["regions_1000"]["seconds"], 2)
    return figures
