"""Helpers for the agent tests: fake /proc and /sys trees, process checks."""

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def write_tree(root, files):
    """Create ``{"proc/x": "text" or b"bytes"}`` below ``root``; return root."""
    for relative, content in files.items():
        path = Path(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return Path(root)


def copy_fixture(name, destination):
    """A writable copy of the fixture tree ``name`` at ``destination``."""
    shutil.copytree(FIXTURES / name, destination)
    return Path(destination)


def process_gone(pid):
    """Whether process ``pid`` has exited (gone, or a zombie nobody reaped yet)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return ") Z " in stat.read_text()
    except FileNotFoundError:
        return True
