"""The initramfs of a lab target: the cached root filesystem plus an overlay with this repo's
agent, core, blocksys module, the kernel modules the board needs, /init and the lab self-tests.

The kernel unpacks concatenated cpio archives in order, so the overlay is packed on its own and
appended to the root filesystem's archive: a change to the agent repacks a few hundred KiB.
"""

import lzma
import shutil
import subprocess
from pathlib import Path

from rtvirt_agent.wire.errors import RtvirtError

from rtvirt.lab.cache import cached
from rtvirt.lab.components import build_blocksys, build_blocksys_check, build_core
from rtvirt.lab.debian import headers
from rtvirt.lab.rootfs import build_rootfs, compile_python, pack_cpio
from rtvirt.source_tree import source_tree

GUEST_DIR = Path(__file__).parent / "guest"
AGENT_LAUNCHER = """#!/bin/sh
exec python3 -c 'import sys; from rtvirt_agent.main import main; sys.exit(main())' "$@"
"""
KERNEL_MODULE_INDEXES = ("modules.order", "modules.builtin", "modules.builtin.modinfo")


def build_initramfs(board, kernel, series, extra=()):
    """Path of the initramfs for ``board`` booting ``kernel`` (a ``KernelTree``), cached;
    ``extra``: cpio archives appended (a KVM host's guest, kvm.py)."""
    agent = source_tree() / "agent" / "rtvirt_agent"
    inputs = {
        "rootfs": build_rootfs(board.arch, board.rootfs_packages) / "base.cpio",
        "release": kernel.release,
        "modules": " ".join(board.kernel_modules(series)),
        "agent": agent,
        "guest": GUEST_DIR,
        "core": build_core(board.arch),
        "blocksys": build_blocksys(board.arch, series, headers(board.arch, series)),
        "blocksys-check": build_blocksys_check(board.arch),
        "extra": " ".join(str(part) for part in extra),
    }
    kind = f"initramfs-{board.name}-{kernel.release}"
    entry = cached(kind, {k: v if k != "rootfs" else str(v) for k, v in inputs.items()},
                   lambda out: _build(out, inputs, kernel, board.kernel_modules(series), extra))
    return entry / "initrd.cpio"


def _build(out, inputs, kernel, modules, extra):
    overlay = out / "overlay"
    install_agent(overlay, inputs["agent"], inputs["rootfs"])
    install_file(inputs["core"], overlay / "usr/local/bin/rtvirt-measure", 0o755)
    install_file(inputs["blocksys-check"], overlay / "usr/local/sbin/blocksys-check", 0o755)
    install_file(GUEST_DIR / "init", overlay / "init", 0o755)
    install_file(GUEST_DIR / "agent.toml", overlay / "etc/rtvirt/agent.toml", 0o644)
    for script in sorted((GUEST_DIR / "selftest").iterdir()):
        install_file(script, overlay / "usr/lib/rtvirt/selftest" / script.name, 0o755)
    _install_modules(overlay, kernel, modules, inputs["blocksys"])
    (overlay / "var/lib/rtvirt/results").mkdir(parents=True)
    pack_cpio(overlay, out / "overlay.cpio")
    shutil.rmtree(overlay)
    with open(out / "initrd.cpio", "wb") as initrd:
        for part in (inputs["rootfs"], out / "overlay.cpio", *extra):
            with open(part, "rb") as source:
                shutil.copyfileobj(source, initrd, 1 << 20)
    (out / "overlay.cpio").unlink()


def install_file(source, destination, mode=0o644):
    """Copy ``source`` to ``destination`` (parents made) with permissions ``mode``."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    destination.chmod(mode)


def install_agent(overlay, agent, rootfs_cpio):
    """The agent package where Debian's python3 finds it, byte-compiled, and its launcher."""
    site = overlay / "usr/lib/python3/dist-packages"
    shutil.copytree(agent, site / "rtvirt_agent", ignore=shutil.ignore_patterns("__pycache__"))
    compile_python(overlay, _target_python(rootfs_cpio), ("usr/lib/python3/dist-packages",))
    launcher = overlay / "usr/local/bin/rtvirt-agent"
    launcher.parent.mkdir(parents=True, exist_ok=True)
    launcher.write_text(AGENT_LAUNCHER)
    launcher.chmod(0o755)


def _target_python(rootfs_cpio):
    """``python3.X``, the interpreter directory inside the root filesystem archive."""
    with open(rootfs_cpio, "rb") as archive:
        listing = subprocess.run(["cpio", "--list", "--quiet", "usr/lib/python3.*"],
                                 stdin=archive, capture_output=True, text=True)
    names = sorted({line.split("/")[2] for line in listing.stdout.splitlines()})
    if not names:
        raise RtvirtError(f"{rootfs_cpio} holds no python3: delete it to have it rebuilt")
    return names[-1]


def _install_modules(overlay, kernel, names, blocksys):
    """The named kernel modules with their dependencies, blocksys.ko, and a fresh modules.dep."""
    target = overlay / "lib/modules" / kernel.release
    for name in KERNEL_MODULE_INDEXES:
        install_file(kernel.modules / name, target / name, 0o644)
    for module in module_closure(kernel.modules, names):
        _install_module(module, target / module.relative_to(kernel.modules))
    install_file(blocksys, target / "extra" / "blocksys.ko", 0o644)
    subprocess.run(["depmod", "--basedir", str(overlay), kernel.release], check=True)


def _install_module(source, destination):
    """Copy a kernel module, decompressed: the guest's kmod then needs no in-kernel xz."""
    if source.suffix != ".xz":
        install_file(source, destination, 0o644)
        return
    destination = destination.with_suffix("")
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(lzma.decompress(source.read_bytes()))


def module_closure(modules_dir, names):
    """Files of the modules ``names`` and of everything they depend on."""
    wanted, found = [name.replace("-", "_") for name in names], {}
    index = {_module_name(p): p for p in modules_dir.rglob("*.ko*")} if wanted else {}
    while wanted:
        name = wanted.pop()
        if name in found:
            continue
        if name not in index:
            raise RtvirtError(f"kernel module {name} is not in {modules_dir}")
        found[name] = index[name]
        depends = subprocess.run(["modinfo", "-F", "depends", str(index[name])],
                                 capture_output=True, text=True, check=True).stdout.strip()
        wanted += [dep.replace("-", "_") for dep in depends.split(",") if dep]
    return sorted(found.values())


def _module_name(path):
    return path.name.split(".ko")[0].replace("-", "_")
