"""The libvirt domain of the rtvirt KVM guest: vCPUs pinned to the isolated CPUs, SCHED_FIFO 1.

The recipe fills the template's @NAME@ placeholders from the build's settings, so the domain
always matches the CPUs the host kernel isolates. The emulated lab (rtvirt lab, board
kvm-arm64) derives its QEMU command line from the same domain, so the two cannot drift.
The host agent finds the guest's agent through ``vms_toml``'s description (docs/kvm.md).
"""

from .cpulist import CpuListError, format_cpulist, parse_cpulist

# TARGET_ARCH -> (libvirt/QEMU architecture, QEMU machine type, guest console, <features>)
GUEST_MACHINES = {
    "x86_64": ("x86_64", "q35", "ttyS0", "<acpi/><apic/>"),
    "aarch64": ("aarch64", "virt", "ttyAMA0", "<gic version='3'/>"),
}


GUEST_NAME = "rtvirt-guest"
AGENT_SOCKET = "/run/rtvirt/vms/rtvirt-guest.agent"   # the guest agent's virtio console
LIBVIRT_PIDFILE = "/run/libvirt/qemu/rtvirt-guest.pid"


def cputune(isolated_text, cpu_count):
    """The <cputune> body: one vCPU per isolated CPU, the emulator on the others."""
    isolated = sorted(parse_cpulist(isolated_text)) if isolated_text.strip() else []
    if not isolated:
        raise CpuListError("the KVM guest needs isolated CPUs for its vCPUs")
    housekeeping = sorted(set(range(cpu_count)) - set(isolated))
    lines = [f"    <vcpupin vcpu='{vcpu}' cpuset='{cpu}'/>" for vcpu, cpu in enumerate(isolated)]
    lines.append(f"    <emulatorpin cpuset='{format_cpulist(housekeeping)}'/>")
    lines.append(f"    <vcpusched vcpus='0-{len(isolated) - 1}' scheduler='fifo' priority='1'/>")
    return "\n".join(lines), len(isolated)


def domain_xml(template, isolated_text, cpu_count, target_arch):
    """The domain XML for the host's isolated CPUs and architecture."""
    if target_arch not in GUEST_MACHINES:
        raise CpuListError(f"no KVM guest machine for architecture {target_arch}")
    arch, machine, console, features = GUEST_MACHINES[target_arch]
    tune, vcpus = cputune(isolated_text, cpu_count)
    values = {"ARCH": arch, "MACHINE": machine, "CONSOLE": console, "FEATURES": features,
              "VCPUS": str(vcpus), "CPUTUNE": tune, "AGENT_SOCKET": AGENT_SOCKET}
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    return template


def vms_toml(pidfile=LIBVIRT_PIDFILE, qmp=None):
    """/etc/rtvirt/vms.toml naming the guest: its agent's socket and how to tell its state."""
    lines = ["# VMs the rtvirt agent relays to (rtvirt vms list, rtvirt measure --vm; docs/kvm.md)",
             "version = 1", "", f"[vms.{GUEST_NAME}]", f'agent = "{AGENT_SOCKET}"',
             f'pidfile = "{pidfile}"']
    if qmp:
        lines.append(f'qmp = "{qmp}"')
    return "\n".join(lines) + "\n"
