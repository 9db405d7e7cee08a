"""The rtvirt source tree, which the lab builds its targets from (agent/, Makefile, tools/).

Found here and nowhere else: ``RTVIRT_SOURCE_TREE`` when set (an installed rtvirt working on a
clone or an unpacked release archive), else the tree this package runs from (an editable
install from a clone, as ``make venv`` does).
"""

import os
from pathlib import Path

from rtvirt_agent.wire.errors import UsageError

# What the lab takes from the tree: the agent and target sources, the builder, the fetch tools.
PARTS = ("Makefile", "mk", "agent/rtvirt_agent", "agent/core", "agent/blocksys", "agent/cells",
         "tools")


def source_tree():
    """Path of the rtvirt source tree, or a UsageError naming what is missing and the fix."""
    configured = os.environ.get("RTVIRT_SOURCE_TREE")
    root = Path(configured).resolve() if configured else Path(__file__).resolve().parents[2]
    missing = [part for part in PARTS if not (root / part).exists()]
    if missing:
        origin = "RTVIRT_SOURCE_TREE" if configured else "the tree rtvirt is installed from"
        raise UsageError(f"{root} ({origin}) is not an rtvirt source tree: no "
                         f"{', '.join(missing)}; the lab builds its targets from the sources: "
                         f"set RTVIRT_SOURCE_TREE to a clone or unpacked release of rtvirt")
    return root
