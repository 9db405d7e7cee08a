"""The host agent's relay into KVM guests (ops/vm.py), with a real guest agent and no QEMU:
the VMs "guest" (a real agent), "silent" and "stopped" of tests/conftest.py's vm_sysroot.
"""

import os
import threading

import pytest
from rtvirt_agent.config import default_config
from rtvirt_agent.ops import Agent, build_handlers
from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.wire.result import parse_result

GUEST, SILENT, STOPPED = "guest", "silent", "stopped"


@pytest.fixture
def host(vm_sysroot, tmp_path):
    """(the host agent's handlers, its sysroot with the three VMs)."""
    config = default_config().with_results_dir(tmp_path / "host")
    handlers, _hello = build_handlers(Agent(config, sysroot=str(vm_sysroot)))
    return handlers, vm_sysroot


def test_measure_in_a_vm_runs_its_agent_and_stores_the_record_here(host, ctx):
    handlers, _root = host
    reply = handlers["vm.measure"]({"vm": GUEST, "loops": 100, "interval_us": 1000,
                                    "threads": 1, "histogram_us": 50,
                                    "labels": {"scenario": "kvm-guest"}}, ctx)
    assert reply["vm"] == GUEST and reply["exit_status"] == 0
    result = parse_result(handlers["results.get"]({"id": reply["result_id"]}, ctx)["data"])
    assert result["labels"] == {"scenario": "kvm-guest", "vm": GUEST}
    assert result["threads"][0]["cycles"] == 100
    assert ctx.events and "threads" in ctx.events[-1]


def test_vms_lists_every_vm_with_its_state_and_vcpu_threads(host, ctx):
    handlers, _root = host
    named, done = threading.Event(), threading.Event()

    def vcpu():   # a thread named as QEMU names a vCPU thread, pinned to CPU 0
        os.sched_setaffinity(0, {0})
        with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as comm:
            comm.write("CPU 0/KVM")
        named.set()
        done.wait(30)

    thread = threading.Thread(target=vcpu)
    thread.start()
    named.wait(30)
    try:
        vms = handlers["vms"]({}, ctx)["vms"]
    finally:
        done.set()
        thread.join()
    assert [(vm["name"], vm["state"]) for vm in vms] == [
        (GUEST, "running"), (SILENT, "running"), (STOPPED, "shut off")]
    assert vms[0]["agent"] == f"/run/{GUEST}.sock"
    assert vms[0]["vcpus"] == [{"vcpu": 0, "tid": thread.native_id, "cpus": "0",
                                "policy": "other", "priority": 0}]
    assert vms[2]["vcpus"] == []


@pytest.mark.parametrize("name, code", [("nosuchvm", "not-found"), (STOPPED, "vm-not-running")])
def test_a_missing_or_stopped_vm_is_an_error_listing_the_vms(host, ctx, name, code):
    handlers, _root = host
    with pytest.raises(OpError) as caught:
        handlers["vm.measure"]({"vm": name, "loops": 10}, ctx)
    assert caught.value.code == code
    assert f"{GUEST} (running), {SILENT} (running), {STOPPED} (shut off)" in caught.value.message


def test_a_silent_guest_agent_is_an_error_after_the_deadline(host, ctx):
    handlers, _root = host
    with pytest.raises(OpError) as caught:
        handlers["vm.measure"]({"vm": SILENT, "loops": 10}, ctx)
    assert caught.value.code == "vm-silent"
    assert f"the agent of VM {SILENT} did not answer" in caught.value.message


def test_a_vm_whose_socket_is_gone_is_silent(host, ctx):
    handlers, root = host
    (root / f"run/{GUEST}.sock").unlink()
    with pytest.raises(OpError) as caught:
        handlers["vm.measure"]({"vm": GUEST, "loops": 10}, ctx)
    assert caught.value.code == "vm-silent" and f"/run/{GUEST}.sock" in caught.value.message


@pytest.mark.parametrize("text, complaint", [
    (None, "is missing"),
    ("[vms", "vms.toml:"),
    ('[vms.a]\nagent = "relative"\npidfile = "/p"\n', "[vms.a] agent must be an absolute"),
    ('[vms.a]\nagent = "/s"\n', "[vms.a] pidfile must be an absolute"),
    ('[vms.a]\nagent = "/s"\npidfile = "/p"\nanswer_s = true\n', "answer_s must be seconds"),
])
def test_a_bad_vms_file_is_named(host, ctx, text, complaint):
    handlers, root = host
    vms = root / "etc/rtvirt/vms.toml"
    vms.unlink()
    if text is not None:
        vms.write_text(text)
    with pytest.raises(OpError) as caught:
        handlers["vms"]({}, ctx)
    assert caught.value.code == "no-vms" and complaint in caught.value.message


def test_vm_call_passes_an_op_on_and_its_errors_back(host, ctx):
    handlers, _root = host
    reply = handlers["vm.call"]({"vm": GUEST, "op": "sysinfo", "args": {}}, ctx)
    assert reply["kernel_release"] == os.uname().release
    with pytest.raises(OpError) as caught:   # the guest agent's blocksys is disabled
        handlers["vm.call"]({"vm": GUEST, "op": "blocksys",
                             "args": {"duration_us": 10, "cpus": "0"}}, ctx)
    assert caught.value.code == "blocksys-disabled"
    assert caught.value.message.startswith(f"VM {GUEST}: ")


@pytest.mark.parametrize("args", [{"vm": GUEST, "op": "measure"},
                                  {"vm": GUEST, "op": "sysinfo", "args": [1]}])
def test_vm_call_takes_only_the_relayed_ops(host, ctx, args):
    handlers, _root = host
    with pytest.raises(OpError) as caught:
        handlers["vm.call"](args, ctx)
    assert caught.value.code == "bad-argument"
