"""VMS, VM.MEASURE, VM.CALL: measuring inside a KVM guest through the host's agent (docs/kvm.md).

The host's agent relays to the agent in a KVM guest as it does to a Jailhouse Linux inmate
(cell_agent.py): the guest's agent serves its virtio console (hvc0), which QEMU or libvirt
offer on the host as a unix socket. /etc/rtvirt/vms.toml names each VM, that socket, and how
to tell the VM's state: its QEMU's pid file and, optionally, its QMP socket (running or
paused). A VM that is not running, or whose agent does not answer within the deadline, is a
typed error naming every VM and its state. vm.call passes a few other ops on (blocksys in
the guest, its sysinfo).
"""

import json
import os
import re
import socket
import threading
import time
import tomllib

from rtvirt_agent.cell.relay import RelayPeer, relay_measure
from rtvirt_agent.protocol.rpc import Client, OpError
from rtvirt_agent.streams import UnixSocketStream
from rtvirt_agent.wire.cpulist import format_cpulist
from rtvirt_agent.wire.errors import RemoteError, RtvirtError
from rtvirt_agent.wire.opspec import OPS

from .args import ArgReader, bad_argument
from .cell import store_relayed_result

VMS_FILE = "etc/rtvirt/vms.toml"
VCPU_COMM = re.compile(r"CPU (\d+)/KVM")   # QEMU's vCPU thread names (debug-threads=on)
POLICIES = {os.SCHED_OTHER: "other", os.SCHED_FIFO: "fifo", os.SCHED_RR: "rr",
            os.SCHED_BATCH: "batch", os.SCHED_IDLE: "idle"}
CALL_SILENCE_S = 3600.0   # a blocksys series sends nothing until it is done
ANSWER_S = 10.0     # default deadline for the guest's agent to answer hello
QMP_S = 5.0
_busy, _busy_lock = set(), threading.Lock()   # VMs with a relayed run in progress


def load_vms(sysroot):
    """{name: {"agent", "pidfile", "qmp", "answer_s"}} from vms.toml; OpError("no-vms")
    naming what is wrong with it."""
    path = os.path.join(sysroot, VMS_FILE)
    try:
        with open(path, "rb") as file:
            vms = tomllib.load(file).get("vms", {})
    except FileNotFoundError:
        raise OpError("no-vms", f"{path} is missing: it names each VM and its agent's "
                                f"socket (docs/kvm.md)") from None
    except tomllib.TOMLDecodeError as error:
        raise OpError("no-vms", f"{path}: {error}") from None
    if not isinstance(vms, dict):
        raise OpError("no-vms", f"{path}: [vms] must be a table of VMs")
    return {name: _vm_spec(path, name, spec) for name, spec in vms.items()}


def _vm_spec(path, name, spec):
    def text(key, required=True):
        value = spec.get(key) if isinstance(spec, dict) else None
        if (value is None and not required) or (isinstance(value, str) and
                                                value.startswith("/")):
            return value
        raise OpError("no-vms", f"{path}: [vms.{name}] {key} must be an absolute path")
    answer_s = spec.get("answer_s", ANSWER_S) if isinstance(spec, dict) else None
    if isinstance(answer_s, bool) or not isinstance(answer_s, int | float) or \
            not 0 < answer_s <= 3600:
        raise OpError("no-vms", f"{path}: [vms.{name}] answer_s must be seconds in 0..3600")
    return {"agent": text("agent"), "pidfile": text("pidfile"), "qmp": text("qmp", False),
            "answer_s": float(answer_s)}


def qemu_pid(sysroot, spec):
    """The pid of the VM's live QEMU, or None."""
    try:
        with open(os.path.join(sysroot, spec["pidfile"].lstrip("/"))) as file:
            pid = int(file.read().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def vcpu_threads(pid):
    """[{"vcpu", "tid", "cpus", "policy", "priority"}] of QEMU ``pid``'s vCPU threads (named
    "CPU n/KVM"): where each may run and how it is scheduled, as libvirt placed them."""
    threads = []
    for task in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as comm:
                match = VCPU_COMM.fullmatch(comm.read().strip())
            if not match:
                continue
            tid = int(task)
            policy = os.sched_getscheduler(tid)
            threads.append({"vcpu": int(match.group(1)), "tid": tid,
                            "cpus": format_cpulist(os.sched_getaffinity(tid)),
                            "policy": POLICIES.get(policy, str(policy)),
                            "priority": os.sched_getparam(tid).sched_priority})
        except OSError:  # the thread ended meanwhile
            continue
    return sorted(threads, key=lambda thread: thread["vcpu"])


def vm_state(sysroot, spec):
    """"running", "paused" (or another QMP status), or "shut off" (no live QEMU)."""
    if qemu_pid(sysroot, spec) is None:
        return "shut off"
    if not spec["qmp"]:
        return "running"
    try:
        return str(qmp(os.path.join(sysroot, spec["qmp"].lstrip("/")),
                       "query-status")["status"])
    except (OSError, ValueError, KeyError, TypeError, RtvirtError):
        return "unknown (QMP does not answer)"


def qmp(path, command, timeout=QMP_S):
    """The "return" of one QMP ``command`` on the socket at ``path``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        lines = sock.makefile("rwb")
        lines.readline()                                  # the greeting
        for execute in ("qmp_capabilities", command):
            lines.write(json.dumps({"execute": execute}).encode() + b"\n")
            lines.flush()
            reply = {"event": None}
            while "event" in reply:
                reply = json.loads(lines.readline() or b"{}")
            if "return" not in reply:
                raise RtvirtError(f"QMP {execute}: {reply.get('error', 'no reply')}")
        return reply["return"]


def list_vms(sysroot):
    """[{"name", "state", "agent", "vcpus"}] of the VMs vms.toml names."""
    vms = []
    for name, spec in sorted(load_vms(sysroot).items()):
        pid = qemu_pid(sysroot, spec)
        vms.append({"name": name, "state": vm_state(sysroot, spec), "agent": spec["agent"],
                    "vcpus": vcpu_threads(pid) if pid else []})
    return vms


def running_vm(sysroot, name):
    """``name``'s spec if it is running; else OpError listing every VM's state."""
    vms = load_vms(sysroot)
    states = {vm: vm_state(sysroot, spec) for vm, spec in sorted(vms.items())}
    listing = ", ".join(f"{vm} ({state})" for vm, state in states.items()) or "none"
    if name not in vms:
        raise OpError("not-found", f"no VM {name!r}; VMs: {listing}")
    if states[name] != "running":
        raise OpError("vm-not-running", f"VM {name} is {states[name]}, not running; "
                                        f"VMs: {listing}")
    return vms[name]


def connect_guest(sysroot, name, spec):
    """A protocol client on the guest agent of VM ``name``; OpError("vm-silent") when it
    does not answer within the VM's deadline."""
    deadline = time.monotonic() + spec["answer_s"]
    path = os.path.join(sysroot, spec["agent"].lstrip("/"))
    try:
        client = Client(UnixSocketStream(path, spec["answer_s"]), timeout=spec["answer_s"])
    except RtvirtError as error:
        raise OpError("vm-silent", f"VM {name}: its agent's channel: {error}") from None
    try:
        client.connect()
    except RtvirtError as error:
        client.close()
        waited = spec["answer_s"] - max(0.0, deadline - time.monotonic())
        raise OpError("vm-silent", f"the agent of VM {name} did not answer within "
                                   f"{waited:.0f} s on {spec['agent']}: {error}") from None
    return client


def vm_measure(agent, args, ctx):
    """Relay ``measure`` into a VM: the host sends the measure op's arguments plus "vm"."""
    if not isinstance(args, dict):
        raise bad_argument("vm.measure", "arguments must be a table")
    name = ArgReader("vm.measure", {"vm": args.get("vm")}, {"vm": OPS["vm.measure"].args["vm"]}
                     ).get("vm")
    spec = running_vm(agent.sysroot, name)
    with _busy_lock:
        if name in _busy:
            raise OpError("busy", f"VM {name} is measuring for another request")
        _busy.add(name)
    try:
        client = connect_guest(agent.sysroot, name, spec)
        measure_args = {key: value for key, value in args.items() if key != "vm"}
        reply, result = relay_measure(client, ctx, measure_args,
                                      RelayPeer(f"VM {name}", "vm-silent", "vm-link",
                                                f"the agent of VM {name}"))
        return {**reply, **store_relayed_result(agent, result, {"vm": name})}
    finally:
        with _busy_lock:
            _busy.discard(name)


def vm_call(agent, args, ctx):
    """Run one of ``RELAYED_TO_VMS`` in a VM: {"vm", "op", "args"} -> the guest agent's reply."""
    reader = ArgReader("vm.call", args)
    name, op, op_args = reader.get("vm"), reader.get("op"), reader.get("args")
    client = connect_guest(agent.sysroot, name, running_vm(agent.sysroot, name))
    try:
        return client.call(op, op_args, on_event=ctx.emit, timeout=CALL_SILENCE_S)
    except RemoteError as error:
        raise OpError(error.code, f"VM {name}: {error.message}") from None
    except RtvirtError as error:
        raise OpError("vm-silent", f"the agent of VM {name} stopped answering: {error}") \
            from None
    finally:
        client.close()


def handlers(agent):
    return {"vms": lambda args, ctx: {"vms": list_vms(agent.sysroot)},
            "vm.measure": lambda args, ctx: vm_measure(agent, args, ctx),
            "vm.call": lambda args, ctx: vm_call(agent, args, ctx)}
