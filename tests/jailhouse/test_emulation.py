"""The seed's Jailhouse result in emulation (make test-jailhouse): QEMU arm64 virt at EL2, the
layer's kernel and Jailhouse, the bare-metal inmate and the Linux inmate in their cells,
results relayed by the root cell's agent, the Linux inmate's agent also on its own UART, and
blocksys in the root cell that must reach neither inmate. The demo's scenarios and runner
(rtvirt.demo) do the measuring, as in ``rtvirt demo --jailhouse``."""

import os

import pytest
from rtvirt.demo.jailhouse import jailhouse_scenarios
from rtvirt.transports import connect

from tests.e2e.guest import at_block, lab_client, run_scenarios

pytestmark = [
    pytest.mark.slow, pytest.mark.e2e, pytest.mark.timeout(5400),
    pytest.mark.skipif(not os.environ.get("RTVIRT_TEST_JAILHOUSE"),
                       reason="make test-jailhouse runs it (it builds a kernel)"),
]
BOARD, URI = "jailhouse-arm64", "lab:jailhouse-arm64"
DURATION_S = 10.0


@pytest.fixture(scope="module")
def root():
    """A client on the root cell's agent."""
    with lab_client(BOARD) as client:
        yield client


def test_the_inmate_cells_run_beside_the_root_cell(root):
    cells = {cell["name"]: cell for cell in root.call("cells")["cells"]}
    assert (cells["rtvirt-baremetal"]["state"], cells["rtvirt-baremetal"]["cpus"]) == \
        ("running", "3")
    assert (cells["rtvirt-linux-rt"]["state"], cells["rtvirt-linux-rt"]["cpus"]) == \
        ("running", "2")
    assert root.call("hello")["hostname"] == "rtvirt-jailhouse"


def test_the_linux_inmate_answers_on_its_own_uart(root):
    inmate, hello = connect(f"{URI}?uart=inmate", timeout=120)
    try:
        assert hello["hostname"] == "rtvirt-cell"
        facts = inmate.call("sysinfo")
    finally:
        inmate.close()
    # one CPU (physical CPU 2, which the cell's Linux numbers 0), known to be a cell
    assert facts["cpus_online"] == "0" and facts["virtualization"] == "jailhouse-inmate"


# every blocked scenario blocks the same way: 100 ms once a second on every root CPU
BLOCK = next(s for s in jailhouse_scenarios(emulated=True) if s.disturbances).disturbances[0]


def test_blocksys_in_the_root_cell_does_not_reach_the_inmate(root, tmp_path):
    outcomes = run_scenarios(root, BOARD, jailhouse_scenarios(emulated=True), DURATION_S,
                             tmp_path / "host.sqlite")
    for name in ("jailhouse-baremetal-idle", "jailhouse-baremetal-blocksys"):
        (run,), (reply,) = outcomes[name].runs, outcomes[name].replies
        assert reply["samples"] == run.cpus[0].cycles and reply["samples_lost"] == 0
    for name in ("jailhouse-linux-idle", "jailhouse-linux-blocksys"):
        assert [cpu.cpu for cpu in outcomes[name].runs[0].cpus] == [0]
    blocks = BLOCK.repeat_for(DURATION_S)
    root_blocked, root_idle = (outcomes[f"jailhouse-root-{state_}"]
                               for state_ in ("blocksys", "idle"))
    root_cpus = len(root_blocked.runs[0].cpus)
    # most blocks reach every root CPU: latencies of 90 % of a block and more
    assert at_block(root_blocked, BLOCK) - at_block(root_idle, BLOCK) >= blocks * root_cpus / 2
    assert max(cpu.max_ns for cpu in root_blocked.runs[0].cpus) >= 900 * BLOCK.duration_us
    # none reaches either inmate beyond the emulation's own noise
    for inmate in ("baremetal", "linux"):
        assert at_block(outcomes[f"jailhouse-{inmate}-blocksys"], BLOCK) - \
            at_block(outcomes[f"jailhouse-{inmate}-idle"], BLOCK) < blocks / 4
