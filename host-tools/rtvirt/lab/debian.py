"""Debian's PREEMPT_RT kernel packages for the lab: image, modules, device trees, headers.

The shell tools in ``tools/`` do the fetching (they are shared with the blocksys build):
``debian-kernel`` unpacks the image package, ``kernel-headers`` the headers; both pick the
release with ``debian-kernel-version``, so kernel and headers always agree.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from rtvirt_agent.wire.errors import RtvirtError, UsageError


def repo_root():
    """The rtvirt source tree this package runs from (the lab builds the target from it)."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "agent" / "rtvirt_agent").is_dir() or not (root / "tools").is_dir():
        raise UsageError(f"rtvirt lab needs the rtvirt source tree (agent/, tools/); "
                         f"{root} is not one: install rtvirt editable from a clone")
    return root


def run_tool(name, *args):
    """stdout (stripped) of ``tools/NAME ARGS``; its stderr passes through to the user."""
    command = [str(repo_root() / "tools" / name), *args]
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
