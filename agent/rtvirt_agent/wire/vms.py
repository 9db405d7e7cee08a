"""The "vms" op's reply (ops/vm.py, docs/kvm.md), checked where the host receives it.

``{"vms": [{"name", "state", "agent", "vcpus": [{"vcpu", "tid", "cpus", "policy",
"priority"}]}]}``: every string short and printable (it reaches the terminal), every number
a non-negative integer.
"""

from rtvirt_agent.wire.errors import ProtocolError

MAX_TEXT = 256


def checked_vms(reply):
    """The "vms" reply's list of VMs; ProtocolError naming what is malformed."""
    vms = reply.get("vms") if isinstance(reply, dict) else None
    if not isinstance(vms, list):
        raise ProtocolError("the target's vms reply holds no list of VMs")
    for vm in vms:
        if not isinstance(vm, dict) or not all(_is_text(vm.get(key))
                                               for key in ("name", "state", "agent")):
            raise ProtocolError(f"the target's vms reply holds a malformed VM: {vm!r:.120}")
        vcpus = vm.get("vcpus")
        if not isinstance(vcpus, list) or not all(_is_vcpu(vcpu) for vcpu in vcpus):
            raise ProtocolError(f"the target's vms reply holds malformed vCPUs of "
                                f"{vm['name']}: {vcpus!r:.120}")
    return vms


def _is_vcpu(vcpu):
    return isinstance(vcpu, dict) and all(
        isinstance(vcpu.get(key), int) and not isinstance(vcpu[key], bool) and
        0 <= vcpu[key] < 1 << 31 for key in ("vcpu", "tid", "priority")) and all(
        _is_text(vcpu.get(key)) for key in ("cpus", "policy"))


def _is_text(value):
    return isinstance(value, str) and value.isprintable() and len(value) <= MAX_TEXT
