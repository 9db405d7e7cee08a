"""The seed's Jailhouse result in emulation (make test-jailhouse): QEMU arm64 virt at EL2, the
layer's kernel and Jailhouse, the bare-metal inmate and the Linux inmate in their cells,
results relayed by the root cell's agent, the Linux inmate's agent also on its own UART, and
blocksys in the root cell that must reach neither inmate."""

import json
import os

import pytest
from rtvirt.lab.jailhouse import work_root
from rtvirt.lab.jailhouse_experiment import format_table, run_experiment
from rtvirt.lab.jailhouse_target import JailhouseTarget

pytestmark = [
    pytest.mark.slow, pytest.mark.e2e, pytest.mark.timeout(5400),
    pytest.mark.skipif(not os.environ.get("RTVIRT_TEST_JAILHOUSE"),
                       reason="make test-jailhouse runs it (it builds a kernel)"),
]
# 100 ms blocks every second on every root CPU: under TCG on a shared host the vCPUs stall
# for tens of ms on their own, so a block must stand far out of that noise; and a spinning
# root vCPU takes host time from the inmate's vCPU, so blocks stay rare (docs/inmate.md)
BLOCK_US, PERIOD_MS, DURATION_S = 100_000, 1000, 10.0
BLOCKS = int(DURATION_S * 1000 / PERIOD_MS)


@pytest.fixture(scope="module")
def target():
    with JailhouseTarget() as running:
        running.connect()
        yield running


def test_the_inmate_cells_run_beside_the_root_cell(target):
    cells = {cell["name"]: cell for cell in target.client.call("cells")["cells"]}
    assert (cells["rtvirt-baremetal"]["state"], cells["rtvirt-baremetal"]["cpus"]) == \
        ("running", "3")
    assert (cells["rtvirt-linux-rt"]["state"], cells["rtvirt-linux-rt"]["cpus"]) == \
        ("running", "2")
    assert target.client.call("hello")["hostname"] == "rtvirt-jailhouse"


def test_the_linux_inmate_answers_on_its_own_uart(target):
    inmate = target.connect("inmate", timeout_s=300)
    assert inmate.call("hello")["hostname"] == "rtvirt-cell"
    facts = inmate.call("sysinfo")
    # one CPU (physical CPU 2, which the cell's Linux numbers 0), known to be a cell
    assert facts["cpus_online"] == "0" and facts["virtualization"] == "jailhouse-inmate"


def at_block(scenario):
    return sum(thread["at_block"] for thread in scenario["threads"])


def test_blocksys_in_the_root_cell_does_not_reach_the_inmate(target):
    scenarios = {s["scenario"]: s for s in run_experiment(target.client, DURATION_S,
                                                          BLOCK_US, PERIOD_MS)}
    (work_root() / "experiment.json").write_text(json.dumps(scenarios, indent=1))
    print("\n" + format_table(scenarios.values()))
    assert not any(s["errors"] for s in scenarios.values())
    for name in ("jailhouse-baremetal-idle", "jailhouse-baremetal-blocksys"):
        relayed = scenarios[name]
        (thread,) = relayed["threads"]
        assert relayed["samples"] == thread["cycles"] and relayed["samples_lost"] == 0
    for name in ("jailhouse-linux-idle", "jailhouse-linux-blocksys"):
        assert [t["cpu"] for t in scenarios[name]["threads"]] == [0]
    root = {name: scenarios[f"jailhouse-root-{name}"] for name in ("idle", "blocksys")}
    root_threads = len(root["blocksys"]["threads"])
    # most blocks reach every root CPU: latencies of 90 % of a block and more
    assert at_block(root["blocksys"]) - at_block(root["idle"]) >= BLOCKS * root_threads / 2
    assert max(t["max_us"] for t in root["blocksys"]["threads"]) >= 0.9 * BLOCK_US
    # none reaches either inmate beyond the emulation's own noise
    for inmate in ("baremetal", "linux"):
        assert at_block(scenarios[f"jailhouse-{inmate}-blocksys"]) - \
            at_block(scenarios[f"jailhouse-{inmate}-idle"]) < BLOCKS / 4
