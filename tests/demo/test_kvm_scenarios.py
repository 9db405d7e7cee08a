"""The seed's KVM experiment as demo scenarios (rtvirt.demo.kvm, docs/kvm.md)."""

from rtvirt.demo.catalog import TargetFacts, choose, listing
from rtvirt.demo.kvm import kvm_scenarios
from rtvirt.demo.place import measure_call

FACTS = dict(cpus=[0, 1, 2, 3], emulated=True, blocksys=True)


def test_the_kvm_group_lists_the_four_scenarios():
    (kvm,) = [names for group, _text, names in listing() if group == "kvm"]
    assert [name for name, _summary in kvm] == [
        "kvm-host-idle", "kvm-guest-idle", "kvm-host-blocksys", "kvm-guest-blocksys"]


def test_host_blocks_hit_the_vcpu_cpus_guest_blocks_go_through_the_host():
    scenarios = {s.name: s for s in kvm_scenarios([0, 1, 2, 3], True, "g1", "2,3")}
    (host_block,) = scenarios["kvm-host-blocksys"].disturbances
    assert (host_block.where, host_block.cpus) == ("host", "2,3")
    assert scenarios["kvm-host-blocksys"].measurements[0].where == "vm:g1"
    (guest_block,) = scenarios["kvm-guest-blocksys"].disturbances
    assert (guest_block.where, guest_block.cpus) == ("vm:g1", "all")
    op, request, _timeout = measure_call("vm:g1", {}, 10, {})
    assert (op, request["vm"]) == ("vm.measure", "g1")
    host = scenarios["kvm-guest-blocksys"].measurements[0].args
    assert (host["affinity"], host["threads"]) == ("0-3", 4)   # the vCPU CPUs too


def test_without_a_running_guest_the_kvm_scenarios_are_skipped_saying_why():
    chosen, skipped = choose(TargetFacts(**FACTS), groups=("kvm",))
    assert chosen == [] and len(skipped) == 4
    assert all("no running KVM guest rtvirt-guest" in why for _name, why in skipped)
    chosen, skipped = choose(TargetFacts(**FACTS, vms={"rtvirt-guest": "2,3"}),
                             groups=("kvm",))
    assert len(chosen) == 4 and skipped == []
