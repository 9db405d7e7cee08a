"""The lab's kvm-arm64 board: a PREEMPT_RT KVM host running a PREEMPT_RT guest (docs/kvm.md).

The host is Debian's 6.12 rt-arm64 kernel on QEMU virt at EL2 with the layer's isolation
arguments for the vCPU CPUs; its initramfs is the lab's (boards.py, initramfs.py) with QEMU
from Debian's arm64 packages, plus this overlay:
- the guest's kernel (the host's own Image) and initramfs (the Linux inmate's, cut from the
  lab's root filesystem, agent/cell/rtvirt-cell-init as /init serving the agent on hvc0);
- /etc/rtvirt/vm/NAME.json, what rtvirt-vm-start needs to start the guest as libvirt would
  (kvm_domain.py derives it from the layer's domain);
- /etc/rtvirt/vms.toml, from which the host's agent relays to the guest's (ops/vm.py).
The host's /init starts the guest (``rtvirt.vm=NAME``); the board is ready when the guest's
agent answers (rtvirt-vm-start says so on the console).
"""

import gzip
import json
import shutil

from rtvirt.lab import kvm_domain
from rtvirt.lab.cache import cached
from rtvirt.lab.components import build_blocksys
from rtvirt.lab.debian import headers
from rtvirt.lab.initramfs import GUEST_DIR, install_file
from rtvirt.lab.jailhouse_linux import build_cell_initramfs
from rtvirt.lab.rootfs import pack_cpio

GUEST_CMDLINE = "console=ttyAMA0 quiet panic=-1 rtvirt.agent=hvc0"
VM_READY = "rtvirt-vm: {name} agent ready"


def host_cmdline(board):
    """The KVM host's kernel arguments: the layer's isolation of the vCPU CPUs."""
    isolation = kvm_domain.layer_module("cpulist").isolation_args
    plan = vm_plan(board)
    pages = kvm_domain.hugepages_needed(plan)
    return [*isolation(board.vm_isolated, board.cpu_count).split(),
            *(["hugepagesz=2M", f"hugepages={pages}"] if pages else []),
            f"rtvirt.vm={plan.name}"]


def vm_plan(board):
    """The guest as the layer's domain describes it for ``board``'s CPUs."""
    return kvm_domain.plan_from_domain(
        kvm_domain.domain_xml(board.vm_isolated, board.cpu_count))


def _guest_initramfs(out, inputs, release, destination):
    """The Linux inmate's initramfs followed by a gzip-compressed cpio with blocksys.ko for
    ``release`` (the guest boots the host's kernel; rtvirt-cell-init loads the module when it
    is there). The kernel unpacks concatenated compressed archives one after the other."""
    extra = out / "guest-extra"
    install_file(inputs["blocksys"], extra / f"lib/modules/{release}/extra/blocksys.ko")
    pack_cpio(extra, out / "guest-extra.cpio")
    shutil.rmtree(extra)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "wb") as initrd:
        with open(inputs["initrd"], "rb") as source:
            shutil.copyfileobj(source, initrd, 1 << 20)
        initrd.write(gzip.compress((out / "guest-extra.cpio").read_bytes()))
    (out / "guest-extra.cpio").unlink()


def ready_marker(board):
    return VM_READY.format(name=vm_plan(board).name).encode()


def build_vm_overlay(board, kernel, series):
    """Path of the cpio that adds the guest and its description to the host's initramfs."""
    plan = vm_plan(board)
    spec = kvm_domain.launch_spec(plan, GUEST_CMDLINE)
    vms = kvm_domain.layer_module("kvmdomain").vms_toml(pidfile=plan.pidfile, qmp=plan.qmp)
    inputs = {"kernel": kernel.image, "initrd": build_cell_initramfs(),
              "blocksys": build_blocksys(board.arch, series, headers(board.arch, series)),
              "spec": json.dumps(spec, sort_keys=True), "vms": vms,
              "launcher": GUEST_DIR / "rtvirt-vm-start"}

    def build(out):
        tree = out / "tree"
        images = tree / kvm_domain.IMAGE_DIR.lstrip("/") / plan.name
        install_file(inputs["kernel"], images / "Image")
        _guest_initramfs(out, inputs, kernel.release, images / "initrd")
        (tree / "etc/rtvirt/vm").mkdir(parents=True)
        (tree / f"etc/rtvirt/vm/{plan.name}.json").write_text(inputs["spec"])
        (tree / "etc/rtvirt/vms.toml").write_text(vms)
        install_file(inputs["launcher"], tree / "usr/local/sbin/rtvirt-vm-start", 0o755)
        pack_cpio(tree, out / "vm.cpio")
        shutil.rmtree(tree)
    return cached(f"kvm-vm-{board.name}", inputs, build) / "vm.cpio"
