"""``rtvirt demo`` on the emulated x86 target (issue 5 item 2): every scenario over the real
serial line, the results stored, the blocks visible, the report written and labelled TCG."""

import shutil

import pytest
from rtvirt.cli import main
from rtvirt.lab import state as lab_state
from rtvirt.lab.target import LabTarget
from rtvirt.report.sources import run_from_bytes
from rtvirt.store import Store

pytestmark = pytest.mark.e2e
BLOCK_NS = 50_000_000  # the emulated demo's blocksys duration


@pytest.fixture(scope="module", name="demo")
def demo_fixture(tmp_path_factory):
    """One short demo run on a freshly booted x86 target: (exit status, runs by scenario,
    report folder, whether the demo stopped the target it booted)."""
    target = LabTarget("x86", "6.1")
    if not shutil.which(target.board.qemu_binary):
        pytest.skip(f"{target.board.qemu_binary} missing: `make lab-qemu` installs it")
    work = tmp_path_factory.mktemp("lab-demo")
    target.down()
    try:
        status = main(["--db", str(work / "host.sqlite"), "demo", "--board", "x86",
                       "--kernel", "6.1", "--duration", "3", "-o", str(work / "report")])
        current = lab_state.load("x86")
        stopped = not (current and current.alive())
    finally:
        target.down()
    with Store(work / "host.sqlite") as store:
        runs = {row["labels"]["scenario"]: run_from_bytes(store.get(row["id"]))
                for row in store.list()}
    return status, runs, work / "report", stopped


def test_every_scenario_ran_and_was_stored(demo):
    status, runs, _, stopped = demo
    assert status == 0 and stopped
    assert sorted(runs) == ["blocksys-all", "blocksys-cpu1", "container", "idle", "llc-stress"]
    for run in runs.values():
        assert run.emulated and run.labels["board"] == "x86"
        assert run.kernel.endswith("-rt-amd64")


def test_every_cpu_measured_and_llc_stress_loads_cpu0_like_the_seed(demo):
    _, runs, _, _ = demo
    assert [cpu.cpu for cpu in runs["idle"].cpus] == [0, 1, 2, 3]
    assert [cpu.cpu for cpu in runs["llc-stress"].cpus] == [0, 1, 2, 3]
    assert (runs["llc-stress"].params["interval_us"], runs["llc-stress"].params["priority"]) \
        == (3000, 98)
    assert runs["llc-stress"].labels["load_cpus"] == "0"


def test_container_runs_without_pm_qos(demo):
    _, runs, _, _ = demo
    assert runs["idle"].pm_qos_held is True
    assert runs["container"].pm_qos_held is False


def test_blocks_reach_the_cpus_they_were_aimed_at(demo):
    _, runs, _, _ = demo
    assert all(cpu.max_ns >= 0.9 * BLOCK_NS for cpu in runs["blocksys-all"].cpus)
    assert runs["blocksys-cpu1"].cpus[1].max_ns >= 0.9 * BLOCK_NS


def test_report_has_a_plot_per_scenario_and_says_tcg(demo):
    _, _, report, _ = demo
    assert len(list(report.glob("*.png"))) == 5
    assert "emulated (TCG)" in (report / "index.html").read_text()
