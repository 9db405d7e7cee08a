"""Issue 5 item 4 on the i.MX8M Plus EVK (QEMU -M imx8mp-evk, Debian's 6.12 rt-arm64 kernel and
imx8mp-evk.dtb): boot, SYSINFO, the core next to cyclictest, blocksys on one CPU, ivshmem."""

import pytest

from .guest import MS, agent, key_values, max_by_cpu, measure_with_block

pytestmark = pytest.mark.e2e
BOARD, KERNEL = "imx8mp", "6.12"
SELFTESTS = ("core-vs-cyclictest", "ivshmem")


def test_sysinfo_reports_preempt_rt_and_four_cpus(target, selftests):
    with agent(target) as client:
        facts = client.call("sysinfo")
    assert facts["preempt_rt"]["active"] is True
    assert facts["kernel_release"].endswith("-rt-arm64")
    assert facts["cpus_online"] == "0-3"
    assert target.agent_tty == "ttymxc0", "the agent has its own UART with the 6.12 DTB"


def test_core_and_cyclictest_complete_on_all_cpus(selftests):
    status, lines = selftests["core-vs-cyclictest"]
    values = key_values(lines)
    assert status == 0 and values["core_status"] == "0" and values["cyclictest_status"] == "0"
    assert len([line for line in lines if line.startswith("T:")]) == 8


def test_ivshmem_reaches_the_guest_over_dw_pcie(selftests):
    _, lines = selftests["ivshmem"]
    values = key_values(lines)
    assert values.get("ivshmem_device", "").endswith(":01:00.0")
    assert values.get("ivshmem_bar2_bytes") == str(4 << 20)


def test_block_on_cpu1_raises_its_max(target, selftests):
    with agent(target) as client:
        result, block = measure_with_block(client, {"duration_us": 50000, "cpus": "1"})
    assert sorted(max_by_cpu(result)) == [0, 1, 2, 3]
    assert max_by_cpu(result)[1] >= 45 * MS
    assert block["count"] >= 1
