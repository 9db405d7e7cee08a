"""Hostile configurations cost bounded work and print a bounded report (issue 14 item 12).

Complexity is asserted by counting what the checks produce (findings, lines), not by wall
time; ``make bench`` (bench/cells.py) times the same files.
"""

from rtvirt.cells import check_configs, parse_config
from rtvirt.cells.builder import memory

from .cellsets import INMATE_RAM, RW, inmate_config, root_config

MAX_FINDINGS_PER_CHECK = 25


def overlapping_regions(count, base=INMATE_RAM):
    """``count`` regions of 4 KiB, each starting 16 bytes after the last: about 255 overlap
    each region, so ``count`` regions make ~255 * ``count`` overlapping pairs."""
    return [memory(base + index * 0x10, 0x1000, RW) for index in range(count)]


def findings_of(*blobs):
    return check_configs([parse_config(blob, f"file{n}.cell") for n, blob in enumerate(blobs)])


def test_a_thousand_overlapping_regions_in_one_cell_give_a_short_report():
    findings = findings_of(inmate_config(regions=overlapping_regions(1000)))
    overlaps = [f for f in findings if f.check == "memory-overlap"]
    assert 1 < len(overlaps) <= MAX_FINDINGS_PER_CHECK
    # the last finding says how many more there are: every pair is counted, none listed twice
    listed = len(overlaps) - 1
    total = sum(min(255, 999 - index) for index in range(1000))
    assert f"{total - listed} more" in overlaps[-1].message


def test_three_thousand_regions_between_two_cells_stay_bounded():
    first = inmate_config(name="first", cpus={2}, devices=[],
                          regions=overlapping_regions(3000))
    second = inmate_config(name="second", cpus={3}, devices=[],
                           regions=overlapping_regions(3000, INMATE_RAM + 8))
    findings = findings_of(first, second)
    for check in {f.check for f in findings}:
        assert len([f for f in findings if f.check == check]) <= 3 * MAX_FINDINGS_PER_CHECK


def test_regions_not_carved_out_of_the_root_are_collapsed_too():
    inmate = inmate_config(devices=[], regions=overlapping_regions(2000, 0xF0000000))
    findings = [f for f in findings_of(root_config(devices=[]), inmate)
                if f.check == "root-carveout"]
    assert 1 < len(findings) <= MAX_FINDINGS_PER_CHECK
    assert f"{2000 - (len(findings) - 1)} more" in findings[-1].message


def test_a_wide_cpu_set_is_read_bytewise():
    cpus = set(range(0, 32 * 1024 * 8, 3))
    config = parse_config(inmate_config(cpus=cpus, devices=[], regions=[]))
    assert config.cpus == frozenset(cpus)
