"""SYSINFO readers against a shipped fixture tree, edge-case trees and this machine."""

import gzip
import os
import platform

import pytest
from rtvirt_agent.sysinfo import collect
from rtvirt_agent.wire.cpulist import format_cpulist, parse_cpulist, parse_cpumask

from .sysroot import FIXTURES, copy_fixture, write_tree

EXPECTED_KEYS = {
    "kernel_release", "kernel_version", "preempt_rt", "cmdline", "cpus_online", "cpus_isolated",
    "nohz_full", "rcu_nocbs", "irq_default_affinity", "irqs_on_isolated", "cpufreq_governors",
    "smt", "sched_rt_runtime_us", "timer_migration", "clocksource", "cpu_dma_latency_openable",
    "virtualization", "machine_model", "mem_total_kb", "loadavg", "board_serial", "soc_id",
    "soc_serial", "image", "image_build_id", "kernel_config",
}


def test_cpulist_round_trip():
    assert parse_cpulist("0-2,5,7-8") == [0, 1, 2, 5, 7, 8]
    assert format_cpulist([8, 0, 1, 2, 5, 7]) == "0-2,5,7-8"
    assert parse_cpulist("") == []
    assert parse_cpumask("00000000,0000000f") == [0, 1, 2, 3]
    for bad in ("3-1", "a", "-1", "1,,2"):
        with pytest.raises(ValueError):
            parse_cpulist(bad)


def test_fixture_board_reports_every_fact():
    facts = collect(FIXTURES / "rt-board")
    assert set(facts) >= EXPECTED_KEYS
    assert facts["kernel_release"] == "6.12.57-rt-arm64"
    assert facts["preempt_rt"] == {"active": True, "source": "uname"}
    assert facts["cpus_online"] == "0-3"
    assert facts["cpus_isolated"] == "2-3"
    assert facts["nohz_full"] == "2-3"
    assert facts["rcu_nocbs"] == "2-3"
    assert facts["irq_default_affinity"] == "0-1"
    assert [irq["irq"] for irq in facts["irqs_on_isolated"]] == [24, 57]
    assert facts["irqs_on_isolated"][1]["desc"] == "GICv3 131 Level 30be0000.ethernet"
    assert facts["cpufreq_governors"] == {"0": "performance", "1": "schedutil",
                                          "2": "performance", "3": "performance"}
    assert facts["smt"] is None
    assert facts["sched_rt_runtime_us"] == -1
    assert facts["timer_migration"] is False
    assert facts["clocksource"] == "arch_sys_counter"
    assert facts["cpu_dma_latency_openable"] is True
    assert facts["virtualization"] == "bare-metal"
    assert facts["machine_model"] == "NXP i.MX8MPlus EVK board"
    assert facts["mem_total_kb"] == 5871628
    assert facts["loadavg"] == [0.08, 0.03, 0.01]


def test_empty_tree_gives_none_not_exceptions(tmp_path):
    facts = collect(tmp_path)
    assert set(facts) >= EXPECTED_KEYS
    assert facts["preempt_rt"] == {"active": None, "source": None}
    assert facts["cpus_online"] is None
    assert facts["irqs_on_isolated"] == []
    assert facts["cpu_dma_latency_openable"] is False
    assert facts["cpu_dma_latency_error"]
    assert facts["virtualization"] == "bare-metal"
    assert facts["machine_model"] is None


def test_garbage_files_do_not_crash(tmp_path):
    write_tree(tmp_path, {
        "proc/meminfo": "MemTotal: lots", "proc/loadavg": "x y z",
        "proc/irq/default_smp_affinity": "zz", "proc/irq/5/smp_affinity_list": "9-1",
        "sys/devices/system/cpu/online": "0-", "proc/interrupts": "",
        "sys/kernel/boot_params/setup_data/0/type": "0xzz",
        "proc/sys/kernel/timer_migration": "maybe",
    })
    facts = collect(tmp_path)
    assert facts["mem_total_kb"] is None and facts["loadavg"] is None
    assert facts["irq_default_affinity"] is None and facts["cpus_online"] is None
    assert facts["timer_migration"] is None


@pytest.mark.parametrize(("files", "expected"), [
    ({"proc/sys/kernel/version": "#1 SMP PREEMPT RT Tue"}, {"active": True, "source": "uname"}),
    ({"proc/sys/kernel/version": "#1 SMP PREEMPT_DYNAMIC", "sys/kernel/realtime": "1"},
     {"active": True, "source": "sysfs"}),
    ({"proc/sys/kernel/version": "#1 SMP", "proc/sys/kernel/osrelease": "6.1.0-rt",
      "boot/config-6.1.0-rt": "CONFIG_SMP=y\nCONFIG_PREEMPT_RT=y\n"},
     {"active": True, "source": "config"}),
    ({"proc/sys/kernel/version": "#1 SMP", "proc/config.gz": gzip.compress(b"CONFIG_PREEMPT=y\n")},
     {"active": False, "source": "config"}),
    ({"proc/sys/kernel/version": "#1 SMP", "proc/config.gz": gzip.compress(b"CONFIG_PREEMPT_RT=y")},
     {"active": True, "source": "config"}),
    ({"proc/sys/kernel/version": "#1 SMP PREEMPT_DYNAMIC"}, {"active": False, "source": "uname"}),
    ({"proc/config.gz": b"not gzip", "proc/sys/kernel/version": "#1 SMP"},
     {"active": False, "source": "uname"}),
])
def test_preempt_rt_sources(tmp_path, files, expected):
    assert collect(write_tree(tmp_path, files))["preempt_rt"] == expected


def test_kernel_config_options_for_diagnose(tmp_path):
    config = b"CONFIG_PREEMPT_DYNAMIC=y\n# CONFIG_NO_HZ_FULL is not set\nCONFIG_RCU_NOCB_CPU=y\n"
    assert collect(write_tree(tmp_path, {"proc/config.gz": gzip.compress(config)}))[
        "kernel_config"] == {
        "CONFIG_PREEMPT_RT": "n", "CONFIG_PREEMPT_DYNAMIC": "y", "CONFIG_NO_HZ_FULL": "n",
        "CONFIG_RCU_NOCB_CPU": "y", "CONFIG_CPU_ISOLATION": "n"}
    assert collect(tmp_path / "nothing")["kernel_config"] is None


def test_isolation_from_the_command_line_when_sysfs_is_silent(tmp_path):
    write_tree(tmp_path, {
        "proc/cmdline": "isolcpus=managed_irq,1,3 nohz_full=3 rcu_nocbs=1-3",
        "sys/devices/system/cpu/isolated": "",
        "sys/devices/system/cpu/nohz_full": "3",
        "proc/irq/9/smp_affinity_list": "0-3", "proc/irq/10/smp_affinity_list": "0",
    })
    facts = collect(tmp_path)
    assert (facts["cpus_isolated"], facts["nohz_full"], facts["rcu_nocbs"]) == ("1,3", "3", "1-3")
    assert [irq["irq"] for irq in facts["irqs_on_isolated"]] == [9]


def test_nohz_full_is_what_the_kernel_applied(tmp_path):
    write_tree(tmp_path, {"proc/cmdline": "nohz_full=1"})
    assert collect(tmp_path)["nohz_full"] is None  # kernel without CONFIG_NO_HZ_FULL
    write_tree(tmp_path, {"sys/devices/system/cpu/nohz_full": "(null)"})
    assert collect(tmp_path)["nohz_full"] == ""


@pytest.mark.parametrize(("files", "expected", "clue"), [
    ({".dockerenv": ""}, "container", "/.dockerenv"),
    ({"run/.containerenv": ""}, "container", "containerenv"),
    ({"proc/1/environ": b"HOME=/\0container=lxc\0"}, "container", "container=lxc"),
    ({"proc/1/cgroup": "0::/kubepods/burstable/pod1"}, "container", "kubepods"),
    ({"sys/devices/jailhouse/enabled": "1"}, "jailhouse-root", "/sys/devices/jailhouse"),
    ({"proc/device-tree/model": b"Jailhouse cell on QEMU ARM64\0"}, "jailhouse-inmate",
     "device tree"),
    ({"sys/kernel/boot_params/setup_data/1/type": "0x00000006"}, "jailhouse-inmate",
     "setup data"),
    ({"proc/cpuinfo": "flags\t: fpu hypervisor",
      "sys/devices/system/clocksource/clocksource0/available_clocksource": "kvm-clock tsc"},
     "kvm", "kvm-clock"),
    ({"proc/cpuinfo": "flags\t: fpu hypervisor", "sys/devices/virtual/dmi/id/sys_vendor": "QEMU"},
     "qemu-tcg", "DMI says QEMU"),
    ({"proc/device-tree/compatible": b"linux,dummy-virt\0"}, "qemu", "dummy-virt"),
    ({"proc/cpuinfo": "flags\t: fpu hypervisor"}, "vm", "hypervisor flag"),
    ({"sys/hypervisor/type": "xen"}, "xen", "xen"),
])
def test_virtualization(tmp_path, files, expected, clue):
    facts = collect(write_tree(tmp_path, files))
    assert facts["virtualization"] == expected
    assert any(clue in evidence for evidence in facts["virtualization_evidence"])


def test_container_on_a_vm_is_a_container_with_both_clues(tmp_path):
    facts = collect(write_tree(tmp_path, {
        ".dockerenv": "", "proc/cpuinfo": "flags\t: hypervisor",
        "sys/devices/system/clocksource/clocksource0/available_clocksource": "kvm-clock"}))
    assert facts["virtualization"] == "container"
    assert len(facts["virtualization_evidence"]) == 3


def test_machine_model_from_dmi(tmp_path):
    facts = collect(write_tree(tmp_path, {
        "sys/devices/virtual/dmi/id/sys_vendor": "QEMU",
        "sys/devices/virtual/dmi/id/product_name": "Standard PC (Q35 + ICH9, 2009)"}))
    assert facts["machine_model"] == "QEMU Standard PC (Q35 + ICH9, 2009)"


def test_cpu_dma_latency_unreadable(tmp_path):
    copy = copy_fixture("rt-board", tmp_path / "root")
    (copy / "dev/cpu_dma_latency").chmod(0)
    facts = collect(copy)
    if os.geteuid() != 0:
        assert facts["cpu_dma_latency_openable"] is False
    (copy / "dev/cpu_dma_latency").unlink()
    assert collect(copy)["cpu_dma_latency_openable"] is False


def test_this_machine():
    facts = collect("/")
    assert facts["kernel_release"] == platform.release()
    assert facts["preempt_rt"]["active"] in (True, False)
    assert parse_cpulist(facts["cpus_online"])[-1] + 1 >= os.cpu_count()
    assert facts["mem_total_kb"] > 0
    assert len(facts["loadavg"]) == 3
    assert facts["virtualization"] in ("bare-metal", "kvm", "qemu-tcg", "qemu", "xen", "vm",
                                       "container", "jailhouse-root", "jailhouse-inmate")


IMX8MP = {
    "proc/device-tree/model": "NXP i.MX8MPlus EVK board\0",
    "sys/devices/soc0/soc_id": "i.MX8MP\n",
    "sys/devices/soc0/serial_number": "2A1B3C4D5E6F7081\n",
    "etc/version": "20261204101112\n",
    "etc/os-release": 'ID=rtvirt\nPRETTY_NAME="rtvirt 1.0 (wrynose)"\n',
}


def test_an_imx8mp_without_a_device_tree_serial_is_known_by_its_soc_uid(tmp_path):
    facts = collect(write_tree(tmp_path, IMX8MP))
    assert facts["board_serial"] == facts["soc_serial"] == "2A1B3C4D5E6F7081"
    assert facts["soc_id"] == "i.MX8MP"
    assert facts["image"] == "rtvirt 1.0 (wrynose)"
    assert facts["image_build_id"] == "20261204101112"  # Yocto's /etc/version


def test_the_device_tree_serial_wins_and_os_release_build_id_over_etc_version(tmp_path):
    facts = collect(write_tree(tmp_path, {
        **IMX8MP, "sys/firmware/devicetree/base/serial-number": "evk-0042\0",
        "etc/os-release": 'BUILD_ID="nightly-7"\n'}))
    assert facts["board_serial"] == "evk-0042"
    assert facts["image_build_id"] == "nightly-7"


def test_dmi_placeholders_are_no_serial_and_control_characters_are_dropped(tmp_path):
    facts = collect(write_tree(tmp_path, {
        "sys/devices/virtual/dmi/id/product_serial": "To Be Filled By O.E.M.\n",
        "sys/devices/virtual/dmi/id/board_serial": "PC-\x1b[31m1234" + "9" * 200 + "\n"}))
    assert facts["board_serial"] == ("PC-[31m1234" + "9" * 200)[:64]
    assert facts["image"] is None and facts["image_build_id"] is None
