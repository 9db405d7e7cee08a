"""What the agent runs under: bare metal, a VM, a container or a Jailhouse cell.

The answer is the innermost layer (a container in a KVM guest is "container"); every clue
seen, inner and outer, is listed in "virtualization_evidence" so a reader can judge.
"""

import re

from .kernel import parse_cmdline

_CONTAINER_CGROUP = re.compile(r"docker|kubepods|containerd|libpod|lxc|garden|crio")
# x86 boot_params setup_data type 6 (SETUP_JAILHOUSE), added by the Jailhouse cell loader
_SETUP_JAILHOUSE = re.compile(r"(0x)?0*6")


def _container_evidence(root):
    found = []
    if root.exists("/.dockerenv"):
        found.append("/.dockerenv exists")
    if root.exists("/run/.containerenv"):
        found.append("/run/.containerenv exists")
    marker = root.read("/run/systemd/container")
    if marker:
        found.append(f"/run/systemd/container says {marker}")
    environ = root.read_bytes("/proc/1/environ") or b""
    for entry in environ.split(b"\0"):
        if entry.startswith(b"container="):
            found.append(f"pid 1 environment has {entry.decode('utf-8', 'replace')}")
    match = _CONTAINER_CGROUP.search(root.read("/proc/1/cgroup") or "")
    if match:
        found.append(f"pid 1 cgroup mentions {match[0]}")
    return found


def _device_tree_text(root):
    """The device tree's model and compatible strings, lower-cased, joined by spaces."""
    texts = []
    for name in ("model", "compatible"):
        data = root.read_bytes(f"/proc/device-tree/{name}") or b""
        texts.extend(part.decode("utf-8", "replace") for part in data.split(b"\0") if part)
    return " ".join(texts).lower()


def _jailhouse_inmate_evidence(root):
    found = []
    if "jailhouse" in _device_tree_text(root):
        found.append("device tree names jailhouse")
    for entry in root.listdir("/sys/kernel/boot_params/setup_data"):
        kind = root.read(f"/sys/kernel/boot_params/setup_data/{entry}/type") or ""
        if _SETUP_JAILHOUSE.fullmatch(kind):
            found.append("x86 boot parameters carry Jailhouse setup data")
    params = parse_cmdline(root.read("/proc/cmdline"))
    hints = [name for name, value in params.items() if "jailhouse" in f"{name}={value}".lower()]
    if hints:
        found.append(f"kernel command line mentions jailhouse ({', '.join(hints)})")
    return found


def _vm_kind_and_evidence(root):
    """("kvm"|"qemu-tcg"|"qemu"|"xen"|"vm"|None, evidence) for the machine layer."""
    found = []
    cpuinfo_flags = set()
    for line in (root.read("/proc/cpuinfo") or "").splitlines():
        if line.startswith(("flags", "Features")):
            cpuinfo_flags.update(line.partition(":")[2].split())
    hypervisor_flag = "hypervisor" in cpuinfo_flags
    if hypervisor_flag:
        found.append("cpuinfo has the hypervisor flag")
    clocksources = root.read("/sys/devices/system/clocksource/clocksource0/available_clocksource")
    kvm_clock = "kvm-clock" in (clocksources or "").split()
    if kvm_clock:
        found.append("kvm-clock clocksource available")
    vendor = " ".join(filter(None, (root.read("/sys/devices/virtual/dmi/id/sys_vendor"),
                                    root.read("/sys/devices/virtual/dmi/id/product_name"))))
    qemu_dmi = "qemu" in vendor.lower()
    if qemu_dmi:
        found.append(f"DMI says {vendor}")
    dummy_virt = "linux,dummy-virt" in _device_tree_text(root)
    if dummy_virt:
        found.append("device tree is QEMU's linux,dummy-virt")
    xen = root.read("/sys/hypervisor/type") == "xen"
    if xen:
        found.append("/sys/hypervisor/type is xen")
    if kvm_clock:
        kind = "kvm"
    elif xen:
        kind = "xen"
    elif qemu_dmi and hypervisor_flag:
        kind = "qemu-tcg"
    elif qemu_dmi or dummy_virt:
        kind = "qemu"
    elif hypervisor_flag:
        kind = "vm"
    else:
        kind = None
    return kind, found


def virtualization_facts(root):
    inmate = _jailhouse_inmate_evidence(root)
    jailhouse_root = []
    if root.exists("/sys/devices/jailhouse"):
        jailhouse_root.append("/sys/devices/jailhouse exists")
    container = _container_evidence(root)
    vm_kind, vm_evidence = _vm_kind_and_evidence(root)
    if inmate:
        kind = "jailhouse-inmate"
    elif jailhouse_root:
        kind = "jailhouse-root"
    elif container:
        kind = "container"
    else:
        kind = vm_kind or "bare-metal"
    return {
        "virtualization": kind,
        "virtualization_evidence": inmate + jailhouse_root + container + vm_evidence,
    }
