"""This repository's target programs built for a lab board: the core and the blocksys module.

Both are built with their own Makefiles (the same ones the Yocto recipes use), into build
directories under the cache — one per source tree, architecture and kernel, so host builds,
other architectures and other clones sharing the cache never mix objects; make's own
dependency tracking keeps a rebuild cheap, and the products' bytes feed the initramfs hash.
"""

import hashlib
import shutil
import subprocess
import sys

from rtvirt_agent.wire.errors import RtvirtError

from rtvirt.lab.cache import cache_root
from rtvirt.lab.debian import headers, repo_root

CROSS = {"amd64": (), "arm64": ("ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-")}


def _make(directory, *arguments):
    """Run make in ``directory``; its output is shown only when it fails."""
    command = ["make", "-s", "-C", str(directory), *arguments]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout)
        hint = (" (arm64 needs tools/apt-install gcc-aarch64-linux-gnu)"
                if any("aarch64" in arg for arg in arguments) else "")
        raise RtvirtError(f"build failed: {' '.join(command)}{hint}")


def build_dir(name):
    """``$RTVIRT_CACHE/lab/build/<name>-<id of this source tree>``."""
    tree_id = hashlib.sha1(bytes(repo_root())).hexdigest()[:8]
    return cache_root() / "lab" / "build" / f"{name}-{tree_id}"


def build_core(arch):
    """Path of ``rtvirt-measure`` built for ``arch``."""
    out = build_dir(f"core-{arch}")
    cross = [arg for arg in CROSS[arch] if arg.startswith("CROSS_COMPILE")]
    _make(repo_root() / "agent" / "core", f"O={out}", *cross)
    return out / "rtvirt-measure"


def build_blocksys(arch, series, release):
    """Path of ``blocksys.ko`` built against the headers of ``release``.

    Kbuild of 6.1 writes its objects next to the sources, so the module builds in a copy of
    the sources per kernel release (timestamps kept, so make skips what is current).
    """
    source = repo_root() / "agent" / "blocksys"
    work = build_dir(f"blocksys-{release}")
    work.mkdir(parents=True, exist_ok=True)
    for file in [source / "Kbuild", *source.glob("*.[ch]")]:
        shutil.copy2(file, work / file.name)
    _make(work, "-f", str(source / "Makefile"), f"KDIR={headers(arch, series)}",
          *CROSS[arch], "modules")
    module = work / "blocksys.ko"
    if not module.exists():
        raise RtvirtError(f"building agent/blocksys for {release} produced no blocksys.ko")
    return module


def build_blocksys_check(arch):
    """Path of the static ``blocksys-check`` program for ``arch`` (the lab self-test runs it)."""
    source = repo_root() / "agent" / "blocksys" / "tools" / "blocksys-check.c"
    binary = build_dir(f"blocksys-check-{arch}") / "blocksys-check"
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        return binary
    binary.parent.mkdir(parents=True, exist_ok=True)
    compiler = {"amd64": "gcc", "arm64": "aarch64-linux-gnu-gcc"}[arch]
    done = subprocess.run([compiler, "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                           str(binary), str(source)], capture_output=True, text=True)
    if done.returncode:
        raise RtvirtError(f"building {source.name} for {arch} failed:\n{done.stderr}")
    return binary
