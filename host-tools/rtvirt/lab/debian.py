"""Debian's PREEMPT_RT kernel packages for the lab: image, modules, device trees, headers.

The shell tools in ``tools/`` do the fetching (they are shared with the blocksys build):
``debian-kernel`` unpacks the image package, ``kernel-headers`` the headers; both pick the
release with ``debian-kernel-version``, so kernel and headers always agree.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from rtvirt_agent.wire.errors import RtvirtError

from rtvirt.source_tree import source_tree


def run_tool(name, *args):
    """stdout (stripped) of ``tools/NAME ARGS``; its stderr passes through to the user."""
    command = [str(source_tree() / "tools" / name), *args]
    try:
        done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    except subprocess.CalledProcessError as err:
        raise RtvirtError(f"{' '.join(command)} failed with status {err.returncode}") from err
    return done.stdout.strip().splitlines()[-1]


@dataclass(frozen=True)
class KernelTree:
    """An unpacked kernel image package."""

    release: str
    root: Path

    @property
    def image(self):
        return self.root / "boot" / f"vmlinuz-{self.release}"

    @property
    def modules(self):
        return self.root / "lib" / "modules" / self.release

    @property
    def dtbs(self):
        return self.root / "usr" / "lib" / f"linux-image-{self.release}"


def kernel_tree(arch, series):
    """The Debian RT kernel of ``series`` for ``arch``, fetched into the cache if needed."""
    root = Path(run_tool("debian-kernel", arch, series))
    return KernelTree(release=root.name, root=root)


def headers(arch, series):
    """KDIR of the matching kernel headers, for building blocksys."""
    return Path(run_tool("kernel-headers", arch, series))
