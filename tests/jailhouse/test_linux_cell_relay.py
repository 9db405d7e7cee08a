"""The root cell's relay to a Linux inmate: a real agent serves the cell's end of the link.

The link is a uio_ivshmem device as the root cell sees it (sysfs maps, /dev/uioN), backed by
a file; the inmate's agent serves map 2 of it (the read-write section, 252 KiB) in a thread,
with the real core, exactly as ``rtvirt-agent --ivshmem /dev/uio0`` does in the cell.
"""

import dataclasses
import mmap
import threading

import pytest
from rtvirt_agent.config import default_config
from rtvirt_agent.ivshmem import region as regions
from rtvirt_agent.ivshmem.target import TargetStream
from rtvirt_agent.ops import Agent, build_handlers
from rtvirt_agent.protocol.rpc import OpError, Server
from rtvirt_agent.wire.result import parse_result

from .conftest import add_cell

RW_SECTION = 0x3F000
LINUX_CELL = "rtvirt-linux-rt"


def add_uio_link(sysroot, pci_address):
    """A uio_ivshmem device at ``pci_address``: maps 0-2 (2 = rw_section) and /dev/uio0."""
    uio = sysroot / "sys/class/uio/uio0"
    device = sysroot / "sys/devices/pci0001:00" / pci_address
    device.mkdir(parents=True)
    (uio / "maps").mkdir(parents=True)
    (uio / "device").symlink_to(device)
    for index, (name, size) in enumerate((("registers", 0x1000), ("state_table", 0x1000),
                                          ("rw_section", RW_SECTION))):
        (uio / "maps" / f"map{index}").mkdir()
        (uio / "maps" / f"map{index}" / "name").write_text(name + "\n")
        (uio / "maps" / f"map{index}" / "size").write_text(f"{size:#x}\n")
    with open(sysroot / "dev/uio0", "wb") as backing:
        backing.truncate(2 * mmap.PAGESIZE + RW_SECTION)
    return sysroot / "dev/uio0"


@pytest.fixture
def linux_link(sysroot, monkeypatch):
    add_cell(sysroot, 3, LINUX_CELL, "running", "2")
    with open(sysroot / "etc/rtvirt/cells.toml", "a") as cells:
        cells.write(f'[cells.{LINUX_CELL}]\npci = "0001:00:00.0"\ninmate = "linux"\n')
    monkeypatch.setattr(regions, "SYS_CLASS_UIO", str(sysroot / "sys/class/uio"))
    return add_uio_link(sysroot, "0001:00:00.0")


@pytest.fixture
def inmate_agent(linux_link, tmp_path, core_binary):
    """The Linux inmate's agent on its end of the link, until the test ends."""
    config = dataclasses.replace(default_config().with_results_dir(tmp_path / "cell-results"),
                                 core=str(core_binary))
    handlers, hello = build_handlers(Agent(config, ivshmem=str(linux_link)))
    stream = TargetStream(str(linux_link))
    server = Server(stream, handlers, hello=hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.close()
    stream.close()
    thread.join(timeout=10)


def test_measure_in_a_linux_cell_runs_its_agent_and_stores_the_record_here(
        handlers, ctx, inmate_agent):
    reply = handlers["cell.measure"]({"cell": LINUX_CELL, "loops": 200, "interval_us": 1000,
                                      "threads": 1, "priority": None, "histogram_us": 100,
                                      "labels": {"scenario": "jailhouse-linux"}}, ctx)
    assert reply["cell"] == LINUX_CELL and reply["exit_status"] == 0
    assert "# Histogram" in reply["text"]  # the inmate core's printout (-h)
    result = parse_result(handlers["results.get"]({"id": reply["result_id"]}, ctx)["data"])
    assert result["labels"] == {"scenario": "jailhouse-linux", "cell": LINUX_CELL}
    assert result["threads"][0]["cycles"] == 200
    assert ctx.events and "threads" in ctx.events[-1]


def test_a_cancel_reaches_the_inmates_core(handlers, ctx, inmate_agent):
    threading.Timer(2.0, ctx.cancelled.set).start()
    reply = handlers["cell.measure"]({"cell": LINUX_CELL, "duration_s": 600,
                                      "interval_us": 1000}, ctx)
    result = parse_result(handlers["results.get"]({"id": reply["result_id"]}, ctx)["data"])
    assert 0 < result["threads"][0]["cycles"] < 600_000


def test_an_inmate_without_an_agent_is_reported_not_waited_for(handlers, ctx, linux_link,
                                                                monkeypatch):
    from rtvirt_agent.cell import relay
    monkeypatch.setattr(relay, "LINK_WAIT_S", 0.5)
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": LINUX_CELL, "loops": 10}, ctx)
    assert error.value.code == "cell-stopped" and "initialised" in error.value.message


def test_the_inmates_own_refusal_comes_back_typed(handlers, ctx, inmate_agent):
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": LINUX_CELL, "interval_us": 0}, ctx)
    assert error.value.code == "bad-argument" and LINUX_CELL in error.value.message


def test_a_bare_metal_cell_names_the_options_it_cannot_honour(handlers, ctx, inmate):
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": "rtvirt-baremetal", "threads": 4, "container": True,
                                  "smp": True, "priority": 99, "pm_qos": True}, ctx)
    assert error.value.code == "bad-argument"
    assert "container, threads do not apply" in error.value.message
    assert inmate.commands == []


def test_a_bare_metal_cell_takes_what_it_does_anyway(handlers, ctx, inmate):
    """One thread per CPU (its one), at FIFO 99: what qualify's defaults ask for."""
    handlers["cell.measure"]({"cell": "rtvirt-baremetal", "smp": True, "priority": 99,
                              "threads": None, "mlock": True, "loops": 10}, ctx)
    assert [command.loops for command in inmate.commands] == [10]


@pytest.mark.parametrize("entry, wanted", [
    ('inmate = "rtos"', "inmate must be one of bare-metal, linux"),
    ('mem = [0, 4096]\ninmate = "linux"', "linux with a pci link"),
])
def test_a_bad_cells_toml_entry_is_named(handlers, ctx, sysroot, entry, wanted):
    add_cell(sysroot, 3, LINUX_CELL, "running", "2")
    with open(sysroot / "etc/rtvirt/cells.toml", "a") as cells:
        cells.write(f'[cells.{LINUX_CELL}]\npci = "0001:00:00.0"\n{entry}\n'
                    if "pci" not in entry and "mem" not in entry else
                    f'[cells.{LINUX_CELL}]\n{entry}\n')
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": LINUX_CELL}, ctx)
    assert error.value.code == "no-link" and wanted in error.value.message
