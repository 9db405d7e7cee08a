"""Read-only access to a /proc and /sys tree below a configurable root.

Every sysinfo reader goes through ``SysRoot`` so tests can point it at a fake tree, and so
absent or unreadable files become ``None`` instead of exceptions: a board without cpufreq, a
container without /proc/irq or a kernel without CONFIG_IKCONFIG_PROC is normal, not an error.
"""

import os
from pathlib import Path


class SysRoot:
    """A file system root ("/" on a target, a fixture directory in tests)."""

    def __init__(self, root="/"):
        self.root = Path(root)

    def path(self, relative):
        """The host path of ``relative`` (given as an absolute target path like "/proc/x")."""
        return self.root / str(relative).lstrip("/")

    def read(self, relative):
        """The file's text without surrounding whitespace and NULs, or None if unreadable."""
        data = self.read_bytes(relative)
        if data is None:
            return None
        return data.decode("utf-8", "replace").strip().strip("\0").strip()

    def read_bytes(self, relative):
        try:
            return self.path(relative).read_bytes()
        except OSError:
            return None

    def read_int(self, relative):
        text = self.read(relative)
        try:
            return int(text)
        except (TypeError, ValueError):
            return None

    def exists(self, relative):
        return os.path.lexists(self.path(relative))

    def listdir(self, relative):
        """Entry names of a directory, sorted; empty when it is absent or unreadable."""
        try:
            return sorted(os.listdir(self.path(relative)))
        except OSError:
            return []

    def can_open(self, relative):
        """(True, None) if the file opens for reading, else (False, the reason)."""
        try:
            with open(self.path(relative), "rb"):
                return True, None
        except OSError as error:
            return False, error.strerror or str(error)
