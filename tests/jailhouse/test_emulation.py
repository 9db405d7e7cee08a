"""The seed's Jailhouse result in emulation (make test-jailhouse): QEMU arm64 virt at EL2, the
layer's kernel and Jailhouse, the bare-metal inmate in its cell, samples relayed by the root
cell's agent, and blocksys in the root cell that must not reach the inmate."""

import json
import os

import pytest
from rtvirt.lab.jailhouse import build_all, work_root
from rtvirt.lab.jailhouse_experiment import format_table, run_experiment
from rtvirt.lab.jailhouse_target import JailhouseTarget

pytestmark = [
    pytest.mark.slow, pytest.mark.e2e, pytest.mark.timeout(5400),
    pytest.mark.skipif(not os.environ.get("RTVIRT_TEST_JAILHOUSE"),
                       reason="make test-jailhouse runs it (it builds a kernel)"),
]
BLOCK_US = 20_000  # us: 20 ms blocks, as the demo uses under TCG
DURATION_S = 10.0


@pytest.fixture(scope="module")
def target():
    with JailhouseTarget(build_all()) as running:
        running.wait_ready()
        running.connect()
        yield running


def test_the_inmate_cell_runs_beside_the_root_cell(target):
    cells = {cell["name"]: cell for cell in target.client.call("cells")["cells"]}
    assert cells["rtvirt-baremetal"]["state"] == "running"
    assert cells["rtvirt-baremetal"]["cpus"] == "3"
    assert target.client.call("hello")["hostname"] == "rtvirt-jailhouse"


def test_blocksys_in_the_root_cell_does_not_reach_the_inmate(target):
    scenarios = {s["scenario"]: s for s in run_experiment(target.client, DURATION_S, BLOCK_US)}
    (work_root() / "experiment.json").write_text(json.dumps(scenarios, indent=1))
    print("\n" + format_table(scenarios.values()))
    assert not any(s["errors"] for s in scenarios.values())
    root_blocked = max(t["max_us"] for t in scenarios["jailhouse-root-blocksys"]["threads"])
    assert root_blocked >= 0.9 * BLOCK_US
    for name in ("jailhouse-inmate-idle", "jailhouse-inmate-blocksys"):
        relayed = scenarios[name]
        (thread,) = relayed["threads"]
        assert relayed["samples"] == thread["cycles"] and relayed["samples_lost"] == 0
    idle = scenarios["jailhouse-inmate-idle"]["threads"][0]
    blocked = scenarios["jailhouse-inmate-blocksys"]["threads"][0]
    assert blocked["max_us"] < BLOCK_US / 2
    assert blocked["p99_us"] <= max(2 * idle["p99_us"], idle["p99_us"] + 100)
