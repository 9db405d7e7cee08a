"""The four blocksys.ko builds of `make blocksys` (Linux 6.1 and 6.12, amd64 and arm64) and the
static blocksys-check programs: right kernel, PREEMPT_RT, right architecture."""

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

BUILD = Path(__file__).parents[2] / "build" / "blocksys"
KERNELS = [("6.1", "amd64"), ("6.12", "amd64"), ("6.1", "arm64"), ("6.12", "arm64")]
ELF_MACHINE = {"amd64": 62, "arm64": 183}  # EM_X86_64, EM_AARCH64
PT_INTERP = 3


def elf_machine(path):
    header = path.read_bytes()[:20]
    assert header[:4] == b"\x7fELF", f"{path} is not an ELF file"
    return struct.unpack_from("<H", header, 18)[0]


def program_header_types(path):
    """p_type of every program header of a 64-bit little-endian ELF file."""
    data = path.read_bytes()
    (phoff,) = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    return [struct.unpack_from("<I", data, phoff + i * phentsize)[0] for i in range(phnum)]


def modinfo(module, field):
    done = subprocess.run([shutil.which("modinfo") or "/sbin/modinfo", "-F", field, str(module)],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(params=KERNELS, ids=[f"{series}-{arch}" for series, arch in KERNELS])
def build(request):
    series, arch = request.param
    out = BUILD / f"{series}-{arch}"
    if not (out / "blocksys.ko").exists():
        pytest.fail(f"{out}/blocksys.ko is missing: run `make blocksys`")
    kdir = Path((out / "kdir").read_text().strip())
    return series, arch, out / "blocksys.ko", kdir


def test_module_is_built_for_its_kernel_series_and_architecture(build):
    series, arch, module, kdir = build
    release, *flags = modinfo(module, "vermagic").split()
    assert release.startswith(f"{series}.") and release.endswith(f"-rt-{arch}")
    assert kdir.name == f"linux-headers-{release}"
    assert ("aarch64" in flags) == (arch == "arm64")
    assert elf_machine(module) == ELF_MACHINE[arch]


def test_module_is_built_for_a_preempt_rt_kernel(build):
    """6.1's RT patch set writes preempt_rt into vermagic; mainline 6.12 writes "preempt" for
    RT kernels too (vermagic.h tests CONFIG_PREEMPT_BUILD first), so its headers' config is
    what proves RT there."""
    series, _, module, kdir = build
    autoconf = (kdir / "include" / "generated" / "autoconf.h").read_text()
    assert "#define CONFIG_PREEMPT_RT 1\n" in autoconf
    flags = modinfo(module, "vermagic").split()[1:]
    assert ("preempt_rt" in flags) == (series == "6.1")


def test_module_declares_its_license_and_max_us_parameter(build):
    module = build[2]
    assert modinfo(module, "license") == "GPL"
    assert modinfo(module, "parm").startswith("max_us:")


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_blocksys_check_is_static_for_each_architecture(arch):
    binary = BUILD / f"blocksys-check-{arch}"
    if not binary.exists():
        pytest.fail(f"{binary} is missing: run `make blocksys`")
    assert elf_machine(binary) == ELF_MACHINE[arch]
    assert PT_INTERP not in program_header_types(binary), "dynamically linked"
