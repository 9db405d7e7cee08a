"""This repository's target programs built for a lab board: the core and the blocksys module.

The lab builds them with the repository's own make targets (`make core-arm64 O=DIR`, mk/), the
same a developer runs, so the build rules and the architecture table (mk/arch.mk) live in one
place. Outputs go under the cache, one tree per source tree (other clones sharing the cache
never mix objects); make rebuilds only what changed, and the products' bytes feed the
initramfs hash.
"""

import hashlib
import subprocess
import sys

from rtvirt_agent.wire.errors import RtvirtError

from rtvirt.lab.cache import cache_root
from rtvirt.source_tree import source_tree


def output_root():
    """``$RTVIRT_CACHE/lab/build/<id of this source tree>``: the lab's O= for make."""
    tree_id = hashlib.sha1(bytes(source_tree())).hexdigest()[:8]
    return cache_root() / "lab" / "build" / tree_id


def make(target, *variables, out=None):
    """Run ``make TARGET O=out VARIABLES`` in the source tree; output shown only on failure."""
    command = ["make", "-s", "-C", str(source_tree()), target, f"O={out or output_root()}",
               *variables]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout)
        hint = (" (arm64 needs tools/apt-install gcc-aarch64-linux-gnu)"
                if target.endswith("arm64") else "")
        raise RtvirtError(f"build failed: {' '.join(command)}{hint}")
    return done.stdout


def kbuild_vars(arch):
    """``["ARCH=…", "CROSS_COMPILE=…"]`` of a kernel build for Debian architecture ``arch``."""
    return make(f"kbuild-vars-{arch}").split()


def build_core(arch):
    """Path of ``rtvirt-measure`` built for ``arch``."""
    make(f"core-{arch}")
    return output_root() / "core" / arch / "rtvirt-measure"


def build_blocksys(arch, series, kdir, out=None):
    """Path of ``blocksys.ko`` for ``arch`` built against the kernel tree or headers ``kdir``."""
    make(f"blocksys-{series}-{arch}", f"KDIR={kdir}", out=out)
    module = (out or output_root()) / "blocksys" / f"{series}-{arch}" / "blocksys.ko"
    if not module.exists():
        raise RtvirtError(f"building agent/blocksys against {kdir} produced no blocksys.ko")
    return module


def build_blocksys_check(arch):
    """Path of the static ``blocksys-check`` program for ``arch`` (the lab self-test runs it)."""
    make(f"blocksys-check-{arch}")
    return output_root() / "blocksys" / f"blocksys-check-{arch}"
