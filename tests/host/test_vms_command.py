"""``rtvirt vms list`` and ``measure --vm``: the host side of the KVM relay (docs/kvm.md)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rtvirt.cli import main
from rtvirt.commands.measure import measure_args, op_name
from rtvirt.commands.vms import vcpu_text
from rtvirt_agent.wire.errors import ProtocolError
from rtvirt_agent.wire.vms import checked_vms

VCPU = {"vcpu": 0, "tid": 812, "cpus": "2", "policy": "fifo", "priority": 1}
VM = {"name": "rtvirt-guest", "state": "running", "agent": "/run/a.sock", "vcpus": [VCPU]}
values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                      lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def test_a_good_reply_passes_and_prints_the_placement():
    assert checked_vms({"vms": [VM]}) == [VM]
    assert vcpu_text(VM["vcpus"]) == "0→2 fifo 1"


@pytest.mark.parametrize("reply", [
    {}, {"vms": {}}, {"vms": [{**VM, "state": "run\x1b[2J"}]}, {"vms": [{**VM, "vcpus": None}]},
    {"vms": [{**VM, "vcpus": [{**VCPU, "tid": True}]}]}, {"vms": [{**VM, "name": 3}]}])
def test_a_malformed_reply_is_a_protocol_error(reply):
    with pytest.raises(ProtocolError):
        checked_vms(reply)


@given(values)
def test_any_reply_is_checked_or_refused(reply):
    try:
        vms = checked_vms(reply)
    except ProtocolError:
        return
    assert all(vm["name"].isprintable() for vm in vms)


def test_measure_vm_sends_vm_measure_with_the_vms_name():
    from rtvirt.cli import build_parser
    args = build_parser().parse_args(["measure", "--vm", "rtvirt-guest", "-D", "5s"])
    request = measure_args(args)
    assert op_name(request) == "vm.measure" and request["vm"] == "rtvirt-guest"


def test_cell_and_vm_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["measure", "--vm", "a", "--cell", "b"])
    assert caught.value.code == 2 and "not allowed with" in capsys.readouterr().err


def test_vms_list_on_a_target_without_vms_toml_names_the_file(agent_uri, capsys):
    code = main(["--target", agent_uri, "vms", "list"])
    assert code != 0 and "/etc/rtvirt/vms.toml is missing" in capsys.readouterr().err
