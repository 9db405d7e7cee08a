"""The lab's KVM guest, derived from the layer's libvirt domain (one source, docs/kvm.md).

meta-rtvirt's rtvirt-kvm-domain generates the domain a board with the layer runs under
libvirt: vCPUs pinned one per isolated CPU (``<vcpupin>``), SCHED_FIFO 1 (``<vcpusched>``),
the emulator on the other CPUs (``<emulatorpin>``), locked memory, the agent's virtio console
on a unix socket. The kvm-arm64 lab board generates that same domain for its own CPUs and
reads from it what libvirt would turn into a QEMU command line and a pinning plan; only the
boot files differ (an initramfs instead of the image's disk).
"""

import importlib
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from rtvirt_agent.wire.errors import RtvirtError

from rtvirt.source_tree import source_tree

LAYER_LIB = "meta-rtvirt/lib"
DOMAIN_TEMPLATE = ("meta-rtvirt/dynamic-layers/virtualization-layer/recipes-rtvirt/"
                   "rtvirt-kvm-domain/files/rtvirt-guest.xml.in")
VM_DIR = "/run/rtvirt/vms"      # on the lab's KVM host: sockets, pid file, console log
IMAGE_DIR = "/usr/lib/rtvirt/vm"  # on the lab's KVM host: the guest's kernel and initramfs
HUGEPAGES = "/dev/hugepages"    # on the lab's KVM host: hugetlbfs (2 MiB pages)


def layer_module(name):
    """The layer's ``rtvirt_layer.<name>`` module: the code bitbake runs for the recipes."""
    lib = str(source_tree() / LAYER_LIB)
    if lib not in sys.path:
        sys.path.append(lib)
    return importlib.import_module(f"rtvirt_layer.{name}")


def domain_xml(isolated, cpu_count, arch="aarch64"):
    """The domain the layer generates for a host with ``cpu_count`` CPUs isolating
    ``isolated`` (a CPU list)."""
    template = (source_tree() / DOMAIN_TEMPLATE).read_text()
    return layer_module("kvmdomain").domain_xml(template, isolated, cpu_count, arch)


@dataclass(frozen=True)
class VmPlan:
    """What libvirt makes of the domain: QEMU's settings and the threads' placement."""

    name: str
    memory_mib: int
    vcpu_pins: dict          # vCPU index -> host CPU
    emulator_cpus: tuple     # host CPUs of QEMU's other threads
    fifo_priority: int       # SCHED_FIFO priority of the vCPU threads
    machine: str             # QEMU -M value
    agent_socket: str        # the unix socket of the guest agent's virtio console
    locked: bool             # memoryBacking/locked: -overcommit mem-lock=on
    hugepages: bool          # memoryBacking/hugepages: RAM from hugetlbfs (HUGEPAGES)

    @property
    def pidfile(self):
        return f"{VM_DIR}/{self.name}.pid"

    @property
    def qmp(self):
        return f"{VM_DIR}/{self.name}.qmp"

    @property
    def console_log(self):
        return f"{VM_DIR}/{self.name}.console"


def plan_from_domain(xml_text):
    """The ``VmPlan`` of a domain XML; RtvirtError naming what the lab cannot honour."""
    root = ElementTree.fromstring(xml_text)
    tune = root.find("cputune")
    pins = {int(pin.get("vcpu")): int(pin.get("cpuset")) for pin in tune.findall("vcpupin")}
    vcpus = int(root.findtext("vcpu"))
    sched = tune.find("vcpusched")
    if sorted(pins) != list(range(vcpus)) or sched is None or sched.get("scheduler") != "fifo":
        raise RtvirtError("the KVM domain must pin every vCPU to one CPU and run them "
                          "SCHED_FIFO (<vcpupin>, <vcpusched scheduler='fifo'>)")
    memory = root.find("memory")
    if memory.get("unit") != "MiB":
        raise RtvirtError(f"the KVM domain's memory is in {memory.get('unit')}, not MiB")
    os_type = root.find("os/type")
    gic = root.find("features/gic")
    machine = os_type.get("machine") + (f",gic-version={gic.get('version')}"
                                        if gic is not None else "")
    channel = root.find("devices/console[@type='unix']/source")
    return VmPlan(
        name=root.findtext("name"), memory_mib=int(memory.text), vcpu_pins=pins,
        emulator_cpus=tuple(_cpuset(tune.find("emulatorpin").get("cpuset"))),
        fifo_priority=int(sched.get("priority")), machine=machine,
        agent_socket=channel.get("path"),
        locked=root.find("memoryBacking/locked") is not None,
        hugepages=root.find("memoryBacking/hugepages") is not None)


def _cpuset(text):
    cpus = []
    for piece in text.split(","):
        first, _, last = piece.partition("-")
        cpus += range(int(first), int(last or first) + 1)
    return cpus


def qemu_argv(plan, kernel, initrd, cmdline):
    """QEMU's command line for ``plan`` as libvirt builds it (KVM, host CPU model, the
    agent's virtio console on its socket, QMP, paused until the vCPUs are placed)."""
    argv = ["qemu-system-aarch64", "-name", f"{plan.name},debug-threads=on", "-S",
            "-M", plan.machine, "-accel", "kvm", "-cpu", "host",
            "-smp", str(len(plan.vcpu_pins)), "-m", str(plan.memory_mib),
            "-nodefaults", "-display", "none", "-no-user-config",
            "-kernel", kernel, "-initrd", initrd, "-append", cmdline,
            "-chardev", f"file,id=console,path={plan.console_log}", "-serial", "chardev:console",
            "-device", "virtio-serial-pci,id=virtio-serial0",
            "-chardev", f"socket,id=agent,path={plan.agent_socket},server=on,wait=off",
            "-device", "virtconsole,chardev=agent,name=org.rtvirt.agent.0",
            "-qmp", f"unix:{plan.qmp},server=on,wait=off", "-pidfile", plan.pidfile]
    if plan.locked:
        argv += ["-overcommit", "mem-lock=on"]
    if plan.hugepages:
        argv += ["-object", f"memory-backend-file,id=ram,size={plan.memory_mib}M,"
                            f"mem-path={HUGEPAGES},prealloc=on",
                 "-machine", "memory-backend=ram"]
    return argv


def hugepages_needed(plan):
    """How many 2 MiB pages the KVM host reserves for ``plan`` (none without hugepages)."""
    return plan.memory_mib // 2 + 8 if plan.hugepages else 0


def launch_spec(plan, guest_cmdline):
    """What the lab's rtvirt-vm-start reads (JSON): QEMU's command line and the placement."""
    kernel, initrd = f"{IMAGE_DIR}/{plan.name}/Image", f"{IMAGE_DIR}/{plan.name}/initrd"
    return {"name": plan.name, "qemu": qemu_argv(plan, kernel, initrd, guest_cmdline),
            "vcpu_pins": {str(vcpu): cpu for vcpu, cpu in plan.vcpu_pins.items()},
            "emulator_cpus": list(plan.emulator_cpus), "fifo_priority": plan.fifo_priority,
            "qmp": plan.qmp, "agent": plan.agent_socket, "pidfile": plan.pidfile,
            "console": plan.console_log, "hugepages": HUGEPAGES if plan.hugepages else None}
