"""The Linux inmate of the lab's jailhouse-arm64 target (docs/inmate.md).

The inmate boots the root cell's own PREEMPT_RT kernel image in cell ``rtvirt-linux-rt``
(CPU 2, 224 MiB, UART1) with
- an initramfs cut from the lab's Debian root filesystem down to what the agent and the core
  need, with agent/cell/rtvirt-cell-init as /init, gzip-compressed (it and its unpacked tree
  share the cell's RAM while the kernel unpacks it);
- the device tree rtvirt-qemu-arm64-linux.dts of the layer's cells, preprocessed and compiled;
- and `jailhouse cell linux` (upstream's jailhouse-cell-linux with its linux-loader), run by
  the root cell's /init.
"""

import gzip
import shutil
import subprocess

from rtvirt.lab.cache import cached
from rtvirt.lab.components import build_core
from rtvirt.lab.initramfs import install_agent, install_file
from rtvirt.lab.rootfs import build_rootfs, pack_cpio
from rtvirt.source_tree import source_tree

CELLS_DIR = "agent/cells"
INMATE_DTS = "rtvirt-qemu-arm64-linux.dts"
# What a cell that only runs the agent and the core does not need (a lab rootfs of 158 MB
# becomes about 95 MB, 30 MB compressed).
CELL_PRUNED = (
    "usr/lib/aarch64-linux-gnu/gconv", "usr/lib/aarch64-linux-gnu/perl",
    "usr/lib/aarch64-linux-gnu/perl-base", "usr/lib/aarch64-linux-gnu/libperl.so*",
    "usr/lib/aarch64-linux-gnu/libX11*", "usr/lib/aarch64-linux-gnu/libGL*",
    "usr/lib/aarch64-linux-gnu/libcrun*", "usr/bin/perl*", "usr/bin/stress-ng",
    "usr/bin/crun", "usr/bin/dpkg*", "usr/lib/python3.11/test", "usr/lib/python3.11/pydoc_data",
    "usr/lib/python3.11/ensurepip", "usr/lib/python3.11/lib2to3", "usr/lib/python3.11/idlelib",
    "usr/lib/python3.11/tkinter", "usr/lib/python3.11/turtledemo", "usr/share", "var/lib/dpkg",
)
UPSTREAM_TOOL = ("tools/jailhouse-cell-linux", "pyjailhouse",
                 "inmates/tools/arm64/linux-loader.bin")


def build_cell_initramfs():
    """Path of the Linux inmate's initramfs (cpio, gzip), cached by its inputs."""
    base = build_rootfs("arm64") / "base.cpio"
    inputs = {"rootfs": str(base), "pruned": " ".join(CELL_PRUNED),
              "agent": source_tree() / "agent/rtvirt_agent",
              "init": source_tree() / "agent/cell/rtvirt-cell-init",
              "config": source_tree() / "host-tools/rtvirt/lab/guest/agent.toml",
              "core": build_core("arm64")}
    entry = cached("jailhouse-cell-initramfs", inputs, lambda out: _build(out, base, inputs))
    return entry / "cell.cpio.gz"


def _build(out, base, inputs):
    tree = out / "tree"
    tree.mkdir()
    with open(base, "rb") as archive:
        subprocess.run(["cpio", "--extract", "--make-directories", "--quiet",
                        "--no-absolute-filenames"], cwd=tree, stdin=archive, check=True)
    for pattern in CELL_PRUNED:
        for path in tree.glob(pattern):
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    install_agent(tree, inputs["agent"], base)
    install_file(inputs["core"], tree / "usr/local/bin/rtvirt-measure", 0o755)
    install_file(inputs["init"], tree / "init", 0o755)
    install_file(inputs["config"], tree / "etc/rtvirt/agent.toml")
    (tree / "var/lib/rtvirt/results").mkdir(parents=True, exist_ok=True)
    pack_cpio(tree, out / "cell.cpio")
    shutil.rmtree(tree)
    with open(out / "cell.cpio", "rb") as source, gzip.open(out / "cell.cpio.gz", "wb", 6) as gz:
        shutil.copyfileobj(source, gz, 1 << 20)
    (out / "cell.cpio").unlink()


def build_cell_dtb(destination):
    """Compile the inmate's device tree source (it includes the cells' address header)."""
    cells = source_tree() / CELLS_DIR
    source = subprocess.run(["cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp",
                             f"-I{cells}", str(cells / INMATE_DTS)], check=True,
                            capture_output=True).stdout
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(destination), "-"],
                   input=source, check=True)
    return destination


def install_cell_tool(jailhouse, overlay):
    """Upstream's `jailhouse cell linux` helper with its loader, laid out as in the source tree
    (the script finds pyjailhouse and linux-loader.bin relative to itself)."""
    top = overlay / "usr/local/lib/jailhouse"
    for relative in UPSTREAM_TOOL:
        source, target = jailhouse / relative, top / relative
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            install_file(source, target, 0o755)

