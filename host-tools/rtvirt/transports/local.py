"""``local:`` — the agent on this machine, with the measurement core built from this tree.

The newcomer's target: no board, no QEMU. ``rtvirt --target local: measure -D10`` starts
``rtvirt-agent --stdio`` as a child (as ``exec:`` does) with a config naming the core: the
one built in the source tree (``make core-amd64`` or ``make -C agent/core``) unless it is
older than the core's sources, else ``rtvirt-measure`` on PATH. Its results live in the
user's data directory (``local-target/``). Real-time priorities, mlock and
/dev/cpu_dma_latency need root here as on a board; without them ``measure`` runs at
cyclictest's default SCHED_OTHER and the result says PM QoS was not held.
"""

import json
import platform
import shutil
import sys
from pathlib import Path

import platformdirs
from rtvirt_agent.wire.errors import UsageError

from rtvirt.source_tree import source_tree
from rtvirt.transports.exec import ExecStream

DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}


def tree_builds():
    """Cores built in the source tree for this machine: ``make core-amd64`` (build/core/ARCH)
    first, then ``make -C agent/core`` (agent/core/build/TRIPLE)."""
    try:
        root = source_tree()
    except UsageError:
        return []
    machine = platform.machine()
    top = root / "build" / "core" / DEB_ARCH.get(machine, machine) / "rtvirt-measure"
    local = sorted(core for core in (root / "agent" / "core" / "build").glob("*/rtvirt-measure")
                   if core.parent.name.startswith(machine))
    return [core for core in (top, *local) if core.is_file()]


def find_core():
    """The rtvirt-measure to use, or a UsageError saying how to build it. A tree build older
    than agent/core's sources is passed over: the agent would hand it options it lacks."""
    built = tree_builds()
    current = [core for core in built if core.stat().st_mtime >= sources_changed()]
    found = [*current, shutil.which("rtvirt-measure")]
    if found[0]:
        return found[0]
    stale = f" ({built[0]} is older than agent/core's sources)" if built else ""
    raise UsageError(f"local: no current rtvirt-measure{stale}: build it with 'make "
                     f"core-amd64' (or 'make -C agent/core') in the rtvirt source tree, or "
                     f"install it on PATH")


def sources_changed():
    """When agent/core's sources last changed (their newest mtime)."""
    return max(path.stat().st_mtime for path in (source_tree() / "agent" / "core").iterdir()
               if path.is_file())


def open_stream(rest):
    if rest:
        raise UsageError(f"bad target 'local:{rest}': the local target takes no arguments")
    home = Path(platformdirs.user_data_dir("rtvirt")) / "local-target"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "agent.toml"
    # JSON strings are valid TOML basic strings
    config.write_text(f"version = 1\nresults_dir = {json.dumps(str(home / 'results'))}\n"
                      f"core = {json.dumps(str(find_core()))}\n")
    return ExecStream([sys.executable, "-m", "rtvirt_agent.main", "--stdio", "--config",
                       str(config)])
