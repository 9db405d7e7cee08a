"""Each check finds the mistake it is about, and a consistent set passes."""

from rtvirt.cells import check_configs, layout, parse_config
from rtvirt.cells.builder import ivshmem_device, memory

from .cellsets import (
    INMATE_RAM,
    IVSHMEM_BDF,
    RW,
    SHARED,
    SHMEM_BASE,
    inmate_config,
    link_regions,
    root_config,
)


def run(*blobs):
    return check_configs([parse_config(blob, f"file{n}.cell") for n, blob in enumerate(blobs)])


def errors(findings, check=None):
    return [f.message for f in findings if f.is_error and (check is None or f.check == check)]


def inmate_regions(ram=INMATE_RAM, ram_flags=RW | layout.MEM_LOADABLE):
    return link_regions(SHMEM_BASE, 1, extra_flags=SHARED) + [memory(ram, 0x100000, ram_flags)]


def test_consistent_set_passes():
    assert run(root_config(), inmate_config()) == []


def test_cpu_in_two_cells():
    second = inmate_config(name="bare-metal", cpus={2, 3}, devices=[],
                           regions=[memory(INMATE_RAM + 0x200000, 0x100000, RW)])
    found = errors(run(root_config(), inmate_config(), second), "cpus")
    assert found == ['CPU 3 in two cells: "rt-inmate" (file1.cell) and '
                     '"bare-metal" (file2.cell)']


def test_cpu_not_owned_by_root_and_root_left_without_cpu():
    found = errors(run(root_config(cpus={3}), inmate_config()), "cpus")
    assert any("take every CPU" in message for message in found)
    found = errors(run(root_config(cpus={0, 1}), inmate_config()), "cpus")
    assert found == ['cell "rt-inmate" (file1.cell) uses CPU 3, which the root cell '
                     '"rtvirt-root" (file0.cell) does not own (root CPUs 0-1)']


def test_overlap_inside_a_cell():
    regions = inmate_regions() + [memory(INMATE_RAM + 0x80000, 0x1000, RW)]
    found = errors(run(inmate_config(regions=regions)), "memory-overlap")
    assert len(found) == 1 and "0xc0000000-0xc00fffff" in found[0]
    assert "region 4" in found[0] and "region 5" in found[0]


def test_overlap_between_cells_unless_both_rootshared():
    other = inmate_config(name="other", cpus={2}, devices=[], regions=[
        memory(INMATE_RAM + 0x10000, 0x1000, RW)])
    found = errors(run(inmate_config(), other), "memory-overlap")
    assert len(found) == 1 and '"other"' in found[0] and "not both are ROOTSHARED" in found[0]
    shared = inmate_config(name="other", cpus={2}, devices=[], regions=[
        memory(SHMEM_BASE, 0x1000, layout.MEM_READ | SHARED)])
    assert errors(run(inmate_config(), shared), "memory-overlap") == []


def test_comm_regions_never_overlap_physically():
    other = inmate_config(name="other", cpus={2}, devices=[], regions=[
        memory(0, 0x1000, RW | layout.MEM_COMM_REGION, 0x80000000)])
    assert errors(run(inmate_config(), other)) == []


def test_hypervisor_memory_overlap():
    regions = inmate_regions(ram=0xFDD00000)
    found = errors(run(root_config(), inmate_config(regions=regions)), "hypervisor-memory")
    assert found and "0xfdc00000-0xfdffffff" in found[0]


def test_inmate_memory_not_carved_out_of_root():
    regions = inmate_regions(ram=0xD0000000 - 0x80000)
    found = errors(run(root_config(), inmate_config(regions=regions)), "root-carveout")
    assert len(found) == 1
    assert "no root region covers 0xd0000000-0xd007ffff" in found[0]
    rootshared = inmate_regions(ram=0xE0000000, ram_flags=RW | SHARED)
    assert errors(run(root_config(), inmate_config(regions=rootshared))) == []


def _ivshmem_errors(inmate_devices=None, inmate_regions_list=None):
    inmate = inmate_config(devices=inmate_devices, regions=inmate_regions_list)
    return errors(run(root_config(), inmate), "ivshmem")


def test_ivshmem_peer_count_and_protocol_disagree():
    found = _ivshmem_errors([ivshmem_device(IVSHMEM_BDF, 0, 1, 3, domain=2)])
    assert any("peer count differs" in m and "has 2" in m and "has 3" in m for m in found)
    found = _ivshmem_errors([ivshmem_device(IVSHMEM_BDF, 0, 1, 2, protocol=1, domain=2)])
    assert any("protocol differs" in m for m in found)


def test_ivshmem_virtio_needs_one_back_end():
    assert _ivshmem_errors([ivshmem_device(IVSHMEM_BDF, 0, 1, 2, 0x8002, 2)]) != []
    root = root_config(devices=[ivshmem_device(IVSHMEM_BDF, 0, 0, 2, 0xC002, 2)])
    inmate = inmate_config(devices=[ivshmem_device(IVSHMEM_BDF, 0, 1, 2, 0x8002, 2)])
    assert errors(run(root, inmate)) == []


def test_ivshmem_region_address_disagrees():
    moved = link_regions(SHMEM_BASE + 0x100000, 1, extra_flags=SHARED) + [
        memory(INMATE_RAM, 0x100000, RW)]
    found = _ivshmem_errors(inmate_regions_list=moved)
    assert any(m.startswith("ivshmem link 0002:00:00.0: state table") and "0xfd900000" in m
               and "0xfda00000" in m for m in found)


def test_ivshmem_same_peer_id_and_id_out_of_range():
    found = _ivshmem_errors([ivshmem_device(IVSHMEM_BDF, 0, 0, 2, domain=2)])
    assert any("same peer id" in m for m in found)
    found = _ivshmem_errors([ivshmem_device(IVSHMEM_BDF, 0, 2, 2, domain=2)])
    assert any("peer id 2 but only 2 peers" in m for m in found)


def test_ivshmem_bdf_disagrees_on_same_memory():
    found = _ivshmem_errors([ivshmem_device(1 << 3, 0, 1, 2, domain=2)])
    assert any("BDF differs" in m and "0002:00:01.0" in m for m in found)


def test_ivshmem_regions_beyond_the_cell():
    found = _ivshmem_errors([ivshmem_device(IVSHMEM_BDF, 4, 1, 2, domain=2)])
    assert any("regions 4..7" in m and "has 6 memory regions" in m for m in found)


def test_lone_endpoint_is_a_warning_only():
    findings = run(root_config())
    assert [f.severity for f in findings] == ["warning"]


def test_architecture_mismatch():
    found = errors(run(root_config(), inmate_config(architecture="x86")), "architecture")
    assert found and "is x86" in found[0]


def test_ivshmem_bdf_twice_in_one_cell():
    devices = [ivshmem_device(IVSHMEM_BDF, 0, 0, 2, domain=2)] * 2
    found = errors(run(root_config(devices=devices)), "ivshmem")
    assert any("2 ivshmem devices with this BDF" in m for m in found)
