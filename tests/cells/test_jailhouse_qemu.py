"""Jailhouse runs the rtvirt QEMU arm64 cells under QEMU TCG (e2e, slow, opt-in).

Needs what CI cannot build in its time budget: an arm64 Linux build with the rtvirt Jailhouse
kernel series and jailhouse_qemu/kernel.config (Image, drivers/uio/uio_ivshmem.ko) in
$RTVIRT_JAILHOUSE_KBUILD, and a Jailhouse tree with the recipe's patches built against it in
$RTVIRT_JAILHOUSE_BUILD (docs/jailhouse.md, "Emulation"). Skipped without them.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .initramfs import newc_archive

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
KBUILD = os.environ.get("RTVIRT_JAILHOUSE_KBUILD")
JAILHOUSE = os.environ.get("RTVIRT_JAILHOUSE_BUILD")
CROSS_CC = "aarch64-linux-gnu-gcc"
QEMU = ["qemu-system-aarch64", "-M", "virt,gic-version=3,virtualization=on,its=off",
        "-cpu", "cortex-a57", "-smp", "4", "-m", "1G", "-nographic", "-no-reboot",
        "-accel", "tcg"]

pytestmark = [
    pytest.mark.e2e, pytest.mark.slow,
    pytest.mark.skipif(not (KBUILD and JAILHOUSE and shutil.which(QEMU[0])
                            and shutil.which(CROSS_CC)),
                       reason="needs $RTVIRT_JAILHOUSE_KBUILD, $RTVIRT_JAILHOUSE_BUILD, "
                              "qemu-system-aarch64 and an aarch64 cross compiler"),
]

# In this order on the console: enabled, ivshmem links bound, inmate running, all torn down.
EXPECTED = [
    "init: insmod /jailhouse.ko -> 0",
    "The Jailhouse is opening.",
    "uio_ivshmem 0001:00:00.0: peer 0 of 2, shared memory at 0x000000007f000000",
    "uio_ivshmem 0001:00:01.0: peer 0 of 2, shared memory at 0x000000007f100000",
    'Created cell "rtvirt-baremetal"',
    'Started cell "rtvirt-baremetal"',
    "Timer fired, jitter:",
    'Destroyed Jailhouse cell "rtvirt-baremetal"',
    "The Jailhouse was closed.",
    "init: RTVIRT-JAILHOUSE-DONE",
]


def cross_compile(source, output, *flags):
    subprocess.run([CROSS_CC, "-static", "-O2", *flags, "-o", str(output), str(source)],
                   check=True)
    return output.read_bytes()


def initramfs(tmp_path):
    jailhouse, kbuild = Path(JAILHOUSE), Path(KBUILD)
    tool = cross_compile(
        jailhouse / "tools" / "jailhouse.c", tmp_path / "jailhouse",
        f"-I{jailhouse / 'driver'}", f"-I{jailhouse / 'include'}",
        f"-I{jailhouse / 'include' / 'arch' / 'arm64'}", "-D__LINUX_COMPILER_TYPES_H",
        '-DJAILHOUSE_VERSION="rtvirt-test"', '-DLIBEXECDIR="/usr/libexec"')
    files = {
        "init": (cross_compile(HERE / "jailhouse_qemu" / "init.c", tmp_path / "init"), 0o755),
        "jailhouse": (tool, 0o755),
        "jailhouse.ko": ((jailhouse / "driver" / "jailhouse.ko").read_bytes(), 0o644),
        "uio_ivshmem.ko": ((kbuild / "drivers" / "uio" / "uio_ivshmem.ko").read_bytes(), 0o644),
        "gic-demo.bin": ((jailhouse / "inmates/demos/arm64/gic-demo.bin").read_bytes(), 0o644),
        "lib/firmware/jailhouse.bin": ((jailhouse / "hypervisor/jailhouse.bin").read_bytes(),
                                       0o644),
    }
    for cell in ("rtvirt-qemu-arm64", "rtvirt-qemu-arm64-baremetal"):
        files[f"{cell}.cell"] = ((DATA / f"{cell}.cell").read_bytes(), 0o644)
    archive = tmp_path / "initramfs.cpio"
    archive.write_bytes(newc_archive(["dev", "proc", "sys", "lib", "lib/firmware"], files))
    return archive


def test_rtvirt_cells_run_under_jailhouse_in_qemu(tmp_path):
    command = QEMU + ["-kernel", str(Path(KBUILD) / "arch/arm64/boot/Image"),
                      "-initrd", str(initramfs(tmp_path)),
                      "-append", "console=ttyAMA0 mem=768M rdinit=/init"]
    console = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                             text=True, errors="replace", timeout=900).stdout
    positions = [console.find(line) for line in EXPECTED]
    missing = [line for line, position in zip(EXPECTED, positions, strict=True) if position < 0]
    assert not missing, console[-3000:]
    assert positions == sorted(positions), console[-3000:]
