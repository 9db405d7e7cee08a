"""Fixtures of the Jailhouse tests: a root cell's sysroot (Jailhouse sysfs, cells.toml, a
file standing in for /dev/mem) and a fake inmate serving its link."""

import dataclasses
import threading

import pytest
from rtvirt_agent.config import default_config
from rtvirt_agent.ops import Agent, build_handlers

from .fake_inmate import FakeInmate

LINK_AT, LINK_SIZE = 0x10000, 0x3F000


class FakeContext:
    def __init__(self):
        self.req_id = 7
        self.cancelled = threading.Event()
        self.events = []

    def emit(self, body):
        self.events.append(body)


def add_cell(sysroot, cell_id, name, state, cpus):
    cell = sysroot / "sys/devices/jailhouse/cells" / str(cell_id)
    cell.mkdir(parents=True)
    for attribute, value in (("name", name), ("state", state), ("cpus_assigned_list", cpus)):
        (cell / attribute).write_text(value + "\n")


@pytest.fixture
def sysroot(tmp_path):
    root = tmp_path / "root"
    add_cell(root, 0, "rtvirt-qemu-arm64", "running", "0-1")
    add_cell(root, 1, "rtvirt-baremetal", "running", "3")
    add_cell(root, 2, "rtvirt-linux", "shut down", "2")
    (root / "etc/rtvirt").mkdir(parents=True)
    (root / "etc/rtvirt/cells.toml").write_text(
        f"version = 1\n[cells.rtvirt-baremetal]\nmem = [{LINK_AT:#x}, {LINK_SIZE:#x}]\n")
    (root / "dev").mkdir()
    with open(root / "dev/mem", "wb") as mem:
        mem.truncate(LINK_AT + LINK_SIZE)
    return root


@pytest.fixture
def inmate(sysroot):
    fake = FakeInmate(str(sysroot / "dev/mem"), LINK_AT, LINK_SIZE)
    yield fake
    fake.close()


@pytest.fixture
def handlers(sysroot, tmp_path):
    config = dataclasses.replace(default_config().with_results_dir(tmp_path / "results"))
    agent = Agent(config, sysroot=str(sysroot))
    table, _hello = build_handlers(agent)
    return table


@pytest.fixture
def ctx():
    return FakeContext()
