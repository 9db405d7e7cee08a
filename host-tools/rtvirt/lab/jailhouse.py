"""Lab target ``jailhouse-arm64``: Jailhouse on QEMU arm64 virt, built here (docs/inmate.md).

Everything is built from this repository's layer and cached under $RTVIRT_CACHE/jailhouse:
- a PREEMPT_RT arm64 kernel from Debian's linux-source-6.12 with the layer's Jailhouse patch
  series and a tinyconfig-based configuration (the layer's fragments plus
  jailhouse-arm64-rt.config);
- upstream Jailhouse at the revision the layer's recipe pins, cloned from upstream, with the
  recipe's patches and the rtvirt QEMU cells: driver, firmware, tool, cells, inmate library;
- the bare-metal inmate (agent/inmate), blocksys and the core for that kernel;
- an initramfs: the lab's Debian root filesystem, the agent, and jailhouse-init as /init, with
  what the Linux inmate boots (jailhouse_linux.py).
Each step runs make in a directory keyed by its inputs, so a rebuild only redoes what changed.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rtvirt_agent.wire.errors import RtvirtError

from rtvirt.lab.boards import get_board
from rtvirt.lab.cache import cache_root
from rtvirt.lab.components import build_blocksys, build_core, kbuild_vars, make
from rtvirt.lab.initramfs import install_agent, install_file
from rtvirt.lab.jailhouse_linux import (
    CELLS_DIR,
    build_cell_dtb,
    build_cell_initramfs,
    install_cell_tool,
)
from rtvirt.lab.qemu import BootFiles
from rtvirt.lab.rootfs import build_rootfs, pack_cpio
from rtvirt.source_tree import source_tree

SERIES = "6.12"
KERNEL_PACKAGE = f"linux-source-{SERIES}"
JAILHOUSE_URL = "https://github.com/siemens/jailhouse.git"
LAYER = Path("meta-rtvirt")
KERNEL_PATCHES = LAYER / "recipes-kernel/linux/files/jailhouse"
RECIPE_DIR = LAYER / "recipes-jailhouse/jailhouse"
QEMU_CELLS = ("rtvirt-qemu-arm64.c", "rtvirt-qemu-arm64-baremetal.c",
              "rtvirt-qemu-arm64-linux.c", "rtvirt-qemu-arm64.h", "rtvirt-ivshmem.h",
              "rtvirt-arm64-baremetal.h", "rtvirt-arm64-linux.h")
HERE = Path(__file__).parent
BOARD = "jailhouse-arm64"
# mem=768M keeps the inmates, links and hypervisor (0x70000000 up) away from the root Linux
CMDLINE = "console=ttyAMA0 earlycon=pl011,0x09000000 mem=768M rtvirt.agent=ttyAMA0"
INMATE_UART = "/pl011@9040000"  # the Linux inmate's: disabled in the root cell's device tree


def work_root():
    return cache_root() / "jailhouse"


def _run(command, cwd=None, log=None):
    """Run a build step; its output goes to ``log`` and is shown only when it fails."""
    print(f"jailhouse-lab: {' '.join(map(str, command))}", file=sys.stderr)
    with open(log or os.devnull, "w") as output:
        done = subprocess.run(list(map(str, command)), cwd=cwd, stdout=output,
                              stderr=subprocess.STDOUT)
    if done.returncode:
        tail = Path(log).read_text(errors="replace")[-4000:] if log else ""
        raise RtvirtError(f"build step failed ({done.returncode}): "
                          f"{' '.join(map(str, command))}\n{tail}")


def _digest(*parts):
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part if isinstance(part, bytes) else str(part).encode())
    return sha.hexdigest()[:12]


def _files(directory, pattern):
    return sorted((source_tree() / directory).glob(pattern))


def kernel_source():
    """The unpacked linux-source-6.12 (downloaded with apt-get into the cache once)."""
    top = work_root() / "linux-source"
    tree = top / "src" / KERNEL_PACKAGE
    if (tree / "Makefile").exists():
        return tree
    (top / "src").mkdir(parents=True, exist_ok=True)
    _run(["apt-get", "download", KERNEL_PACKAGE], cwd=top)
    (deb,) = top.glob(f"{KERNEL_PACKAGE}_*.deb")
    _run(["sh", "-c", f"dpkg-deb --fsys-tarfile {deb.name} | tar -xO "
                      f"./usr/src/{KERNEL_PACKAGE}.tar.xz | tar -xJ -C src"], cwd=top)
    deb.unlink()
    return tree


def build_kernel():
    """Path of the kernel build directory (Image, modules, KDIR for out-of-tree builds)."""
    patches = _files(KERNEL_PATCHES, "*.patch")
    fragments = [*_files(KERNEL_PATCHES, "rtvirt-jailhouse*.cfg"),
                 HERE / "jailhouse-arm64-rt.config"]
    key = _digest(*(p.read_bytes() for p in patches + fragments))
    build = work_root() / f"kernel-{key}"
    image = build / "arch/arm64/boot/Image"
    if image.exists() and (build / ".rtvirt-done").exists():
        return build
    source = work_root() / f"kernel-src-{key}"
    if not (source / ".rtvirt-patched").exists():
        shutil.rmtree(source, ignore_errors=True)
        shutil.copytree(kernel_source(), source, symlinks=True)
        for patch in patches:
            _run(["patch", "-p1", "-s", "-i", patch], cwd=source)
        (source / ".rtvirt-patched").touch()
    build.mkdir(parents=True, exist_ok=True)
    log = work_root() / f"kernel-{key}.log"
    cross = kbuild_vars("arm64")
    _run(["make", f"O={build}", *cross, "tinyconfig"], cwd=source, log=log)
    _run([source / "scripts/kconfig/merge_config.sh", "-m", "-O", build, build / ".config",
          *fragments], cwd=source, log=log)
    _run(["make", f"O={build}", *cross, "olddefconfig"], cwd=source, log=log)
    _run(["nice", "make", f"-j{os.cpu_count()}", *cross, "Image", "modules"], cwd=build, log=log)
    (build / ".rtvirt-done").touch()
    _remove_other_kernels(key)
    return build


def _remove_other_kernels(key):
    """Drop kernel trees and builds of other inputs (about 1.8 GB each)."""
    for stale in work_root().glob("kernel-*"):
        if key not in stale.name:
            shutil.rmtree(stale) if stale.is_dir() and not stale.is_symlink() else stale.unlink()


def recipe_revision():
    """SRCREV of the layer's jailhouse recipe."""
    text = (source_tree() / RECIPE_DIR / "jailhouse_git.bb").read_text()
    return re.search(r'^SRCREV_jailhouse = "([0-9a-f]{40})"', text, re.M).group(1)


def jailhouse_source():
    """Upstream Jailhouse at the recipe's revision with the recipe's patches and rtvirt cells.

    RTVIRT_JAILHOUSE_GIT may name a local clone or mirror to clone from instead of upstream.
    """
    revision = recipe_revision()
    patches = _files(RECIPE_DIR / "files", "*.patch")
    cells = [source_tree() / CELLS_DIR / name for name in QEMU_CELLS]
    tree = work_root() / f"jailhouse-{_digest(revision, *(p.read_bytes() for p in patches))}"
    if not (tree / ".rtvirt-patched").exists():
        shutil.rmtree(tree, ignore_errors=True)
        _run(["git", "clone", "-q", os.environ.get("RTVIRT_JAILHOUSE_GIT", JAILHOUSE_URL),
              tree])
        _run(["git", "-c", "advice.detachedHead=false", "checkout", "-q", revision], cwd=tree)
        for patch in patches:
            _run(["git", "apply", patch], cwd=tree)
        (tree / ".rtvirt-patched").touch()
    for cell in cells:
        target = tree / "configs/arm64" / cell.name
        if not target.exists() or target.read_bytes() != cell.read_bytes():
            shutil.copyfile(cell, target)
    return tree


def build_jailhouse(kernel):
    """The Jailhouse tree built against ``kernel``: driver, firmware, tool, cells, inmate lib."""
    tree = jailhouse_source()
    _run(["make", f"-j{os.cpu_count()}", *kbuild_vars("arm64"), f"KDIR={kernel}"], cwd=tree,
         log=work_root() / "jailhouse-build.log")
    return tree


def build_inmate(jailhouse):
    make("inmate-arm64", f"JAILHOUSE={jailhouse}", out=work_root())
    return work_root() / "inmate" / "arm64" / "rtvirt-inmate.bin"


def build_initramfs(kernel, jailhouse, inmate, blocksys):
    """The lab's arm64 root filesystem plus the Jailhouse overlay, as one cpio archive."""
    base = build_rootfs("arm64") / "base.cpio"
    overlay = work_root() / "overlay"
    shutil.rmtree(overlay, ignore_errors=True)
    install_agent(overlay, source_tree() / "agent/rtvirt_agent", base)
    install_file(build_core("arm64"), overlay / "usr/local/bin/rtvirt-measure", 0o755)
    install_file(HERE / "jailhouse-init", overlay / "init", 0o755)
    install_file(HERE / "guest/agent.toml", overlay / "etc/rtvirt/agent.toml")
    install_file(HERE / "jailhouse-cells.toml", overlay / "etc/rtvirt/cells.toml")
    install_file(jailhouse / "tools/jailhouse", overlay / "usr/local/sbin/jailhouse", 0o755)
    install_file(jailhouse / "driver/jailhouse.ko", overlay / "lib/modules/jailhouse.ko")
    install_file(blocksys, overlay / "lib/modules/blocksys.ko")
    install_file(jailhouse / "hypervisor/jailhouse.bin", overlay / "lib/firmware/jailhouse.bin")
    cells = overlay / "usr/share/jailhouse/cells"
    for cell in ("rtvirt-qemu-arm64", "rtvirt-qemu-arm64-baremetal", "rtvirt-qemu-arm64-linux"):
        install_file(jailhouse / "configs/arm64" / f"{cell}.cell", cells / f"{cell}.cell")
    build_cell_dtb(cells / "rtvirt-qemu-arm64-linux.dtb")
    inmates = overlay / "usr/share/jailhouse/inmates"
    install_file(inmate, inmates / "rtvirt-inmate.bin")
    install_file(build_cell_initramfs(), inmates / "rtvirt-cell.cpio.gz")
    install_file(kernel / "arch/arm64/boot/Image", overlay / "boot/Image")
    install_cell_tool(jailhouse, overlay)
    (overlay / "var/lib/rtvirt/results").mkdir(parents=True)
    pack_cpio(overlay, work_root() / "overlay.cpio")
    initrd = work_root() / "initrd.cpio"
    with open(initrd, "wb") as output:
        for part in (base, work_root() / "overlay.cpio"):
            with open(part, "rb") as source:
                shutil.copyfileobj(source, output, 1 << 20)
    return initrd


def root_dtb(destination):
    """QEMU's own device tree of the board's machine with UART1 disabled: it is the Linux
    inmate's, and the root cell must not touch it once the cell owns it."""
    board = get_board(BOARD)
    _run([board.qemu_binary, *board.qemu_args, "-nodefaults", "-display", "none",
          "-machine", f"dumpdtb={destination}", "-serial", "null", "-serial", "null"])
    _run(["fdtput", "-t", "s", destination, INMATE_UART, "status", "disabled"])
    return destination


def jailhouse_boot_files():
    """Build (or reuse) every piece; what the lab's jailhouse-arm64 board boots."""
    kernel = build_kernel()
    jailhouse = build_jailhouse(kernel)
    initrd = build_initramfs(kernel, jailhouse, build_inmate(jailhouse),
                             build_blocksys("arm64", SERIES, kernel, out=work_root()))
    release = (kernel / "include/config/kernel.release").read_text().strip()
    return BootFiles(kernel=kernel / "arch/arm64/boot/Image", initrd=initrd,
                     dtb=root_dtb(work_root() / "root.dtb"), cmdline=CMDLINE, release=release)
