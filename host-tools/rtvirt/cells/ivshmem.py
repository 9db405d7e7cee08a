"""Checks that the ivshmem endpoints of a configuration set describe the same links.

Jailhouse joins ivshmem (v2) endpoints of different cells into one link by their BDF alone.
Each endpoint then maps the memory regions from its own cell config, starting at
``shmem_regions_start``: the state table, the read-write section and one output section per
peer. Nothing compares those across cells, so two cells may think they share memory they do
not share; these checks make every endpoint of a link agree.
"""

from collections import defaultdict
from itertools import combinations

from rtvirt.cells.model import Finding

VIRTIO_FRONT = 0x8000
VIRTIO_BACK = 0xC000


def protocol_family(protocol):
    """What both ends of a link must agree on: virtio front and back ends pair up."""
    if protocol & VIRTIO_FRONT:
        return "virtio", protocol & 0x3FFF
    return "plain", protocol


def protocol_name(protocol):
    if protocol & VIRTIO_FRONT:
        role = "back-end" if protocol & VIRTIO_BACK == VIRTIO_BACK else "front-end"
        return f"{protocol:#06x} (virtio {role}, device {protocol & 0x3FFF})"
    return f"{protocol:#06x}"


def _virtio_roles(members):
    """A virtio link has exactly one back-end; the other peers are front-ends."""
    protocols = [device.shmem_protocol for _, device in members]
    if not all(p & VIRTIO_FRONT for p in protocols):
        return
    back_ends = sum(1 for p in protocols if p & VIRTIO_BACK == VIRTIO_BACK)
    if back_ends != 1:
        device = members[0][1]
        text = "; ".join(f"{cell.label} is {protocol_name(d.shmem_protocol)}"
                         for cell, d in members)
        yield Finding("ivshmem", "error", f"ivshmem link {device.address}: {back_ends} virtio "
                      f"back-ends, expected exactly one: {text}",
                      tuple(cell.name for cell, _ in members))


def section_name(section):
    if section == 0:
        return "state table"
    if section == 1:
        return "read-write section"
    return f"output section of peer {section - 2}"


def _where(cell, device):
    return f"{cell.label} ivshmem {device.address}"


def check_ivshmem(configs):
    endpoints = []
    for cell in configs:
        bdfs = [device.bdf for device in cell.ivshmem_devices()]
        for device in cell.ivshmem_devices():
            if bdfs.count(device.bdf) > 1:
                yield Finding("ivshmem", "error", f"{_where(cell, device)}: the cell has "
                              f"{bdfs.count(device.bdf)} ivshmem devices with this BDF",
                              (cell.name,))
            needed = device.shmem_regions_start + 2 + device.shmem_peers
            if needed > len(cell.memory_regions):
                yield Finding("ivshmem", "error",
                              f"{_where(cell, device)}: regions {device.shmem_regions_start}.."
                              f"{needed - 1} (state, read-write, {device.shmem_peers} outputs) "
                              f"but the cell has {len(cell.memory_regions)} memory regions",
                              (cell.name,))
            else:
                endpoints.append((cell, device))
    links = defaultdict(list)
    for cell, device in endpoints:
        links[device.bdf].append((cell, device))
    for members in links.values():
        if len(members) == 1:
            cell, device = members[0]
            yield Finding("ivshmem", "warning",
                          f"{_where(cell, device)} has no peer among the checked files",
                          (cell.name,))
        else:
            yield from _compare_link(members)
    yield from _shared_state_different_bdf(endpoints)


def _region(cell, device, section):
    return cell.memory_regions[device.shmem_regions_start + section]


def _disagreement(what, members, value_of, text_of=None):
    """A finding when ``value_of`` differs between endpoints; ``text_of`` shows each one."""
    values = {value_of(cell, device) for cell, device in members}
    if len(values) <= 1:
        return None
    text_of = text_of or value_of
    text = "; ".join(f"{cell.label} has {text_of(cell, device)}" for cell, device in members)
    cells, device = tuple(cell.name for cell, _ in members), members[0][1]
    return Finding("ivshmem", "error", f"ivshmem link {device.address}: {what} differs: {text}",
                   cells)


def _compare_link(members):
    first = members[0][1]
    cells = tuple(cell.name for cell, _ in members)
    checks = (
        ("peer count", lambda cell, device: device.shmem_peers, None),
        ("protocol", lambda cell, device: protocol_family(device.shmem_protocol),
         lambda cell, device: protocol_name(device.shmem_protocol)),
    )
    for what, value_of, text_of in checks:
        finding = _disagreement(what, members, value_of, text_of)
        if finding:
            yield finding
    yield from _virtio_roles(members)
    domains = _disagreement("PCI domain", members, lambda cell, device: f"{device.domain:04x}")
    if domains:
        yield Finding("ivshmem", "warning", domains.message + " (Jailhouse links by BDF only)",
                      domains.cells)
    ids = [device.shmem_dev_id for _, device in members]
    if len(set(ids)) != len(ids):
        yield Finding("ivshmem", "error", f"ivshmem link {first.address}: two endpoints use "
                      f"the same peer id: {', '.join(_ids_text(members))}", cells)
    for cell, device in members:
        if device.shmem_dev_id >= device.shmem_peers:
            yield Finding("ivshmem", "error", f"{_where(cell, device)}: peer id "
                          f"{device.shmem_dev_id} but only {device.shmem_peers} peers",
                          (cell.name,))
    sections = 2 + min(device.shmem_peers for _, device in members)
    for section in range(sections):
        finding = _disagreement(
            f"{section_name(section)} (address, size)", members,
            lambda cell, device, s=section: _region_span(_region(cell, device, s)),
            lambda cell, device, s=section: _region_text(_region(cell, device, s)))
        if finding:
            yield finding


def _ids_text(members):
    return [f"{cell.label} id {device.shmem_dev_id}" for cell, device in members]


def _region_span(region):
    return region.phys_start, region.size


def _region_text(region):
    return f"region {region.index} at {region.phys_start:#x} size {region.size:#x}"


def _shared_state_different_bdf(endpoints):
    """Endpoints of different cells on the same state table must have the same BDF."""
    for (cell_a, dev_a), (cell_b, dev_b) in combinations(endpoints, 2):
        if cell_a is cell_b or dev_a.bdf == dev_b.bdf:
            continue
        state_a, state_b = _region(cell_a, dev_a, 0), _region(cell_b, dev_b, 0)
        if state_a.size and state_a.phys_start == state_b.phys_start:
            yield Finding("ivshmem", "error",
                          f"BDF differs for one shared memory: {_where(cell_a, dev_a)} and "
                          f"{_where(cell_b, dev_b)} both use the state table at "
                          f"{state_a.phys_start:#x}", (cell_a.name, cell_b.name))
