"""The kvm-arm64 board's guest comes from the layer's libvirt domain (one source, docs/kvm.md):
what libvirt would make of the domain is what the lab's QEMU command line and pinning do."""

import pytest
from rtvirt.lab import kvm, kvm_domain
from rtvirt.lab.boards import get_board
from rtvirt_agent.wire.errors import RtvirtError

BOARD = get_board("kvm-arm64")


def test_the_plan_is_the_domains_pinning_and_scheduling():
    plan = kvm.vm_plan(BOARD)
    assert plan.name == "rtvirt-guest"
    assert plan.vcpu_pins == {0: 2, 1: 3} and plan.emulator_cpus == (0, 1)
    assert plan.fifo_priority == 1 and plan.locked and plan.hugepages
    assert plan.machine == "virt,gic-version=3" and plan.memory_mib == 1024
    assert plan.agent_socket == kvm_domain.layer_module("kvmdomain").AGENT_SOCKET


def test_qemu_runs_the_plan_under_kvm_paused_until_placed():
    plan = kvm.vm_plan(BOARD)
    argv = kvm_domain.qemu_argv(plan, "/k", "/i", "console=ttyAMA0")
    pairs = set(zip(argv, argv[1:], strict=False))
    assert {("-accel", "kvm"), ("-smp", "2"), ("-m", "1024"), ("-M", "virt,gic-version=3"),
            ("-cpu", "host"), ("-overcommit", "mem-lock=on")} <= pairs
    assert "-S" in argv and ("-name", "rtvirt-guest,debug-threads=on") in pairs
    assert ("-chardev", f"socket,id=agent,path={plan.agent_socket},server=on,wait=off") in pairs
    assert ("-device", "virtconsole,chardev=agent,name=org.rtvirt.agent.0") in pairs


def test_the_host_isolates_the_vcpu_cpus_and_starts_the_guest():
    words = kvm.host_cmdline(BOARD)
    assert words == ["isolcpus=domain,managed_irq,2-3", "nohz_full=2-3", "rcu_nocbs=2-3",
                     "irqaffinity=0-1", "hugepagesz=2M", "hugepages=520",
                     "rtvirt.vm=rtvirt-guest"]


def test_the_host_agent_finds_the_guest_where_qemu_serves_it():
    plan = kvm.vm_plan(BOARD)
    spec = kvm_domain.launch_spec(plan, kvm.GUEST_CMDLINE)
    vms = kvm_domain.layer_module("kvmdomain").vms_toml(pidfile=plan.pidfile, qmp=plan.qmp)
    assert f'agent = "{spec["agent"]}"' in vms and f'pidfile = "{spec["pidfile"]}"' in vms
    assert spec["vcpu_pins"] == {"0": 2, "1": 3} and spec["fifo_priority"] == 1


def test_a_domain_without_fifo_vcpus_is_refused():
    xml = kvm_domain.domain_xml("2,3", 4).replace("scheduler='fifo'", "scheduler='rr'")
    with pytest.raises(RtvirtError, match="SCHED_FIFO"):
        kvm_domain.plan_from_domain(xml)
