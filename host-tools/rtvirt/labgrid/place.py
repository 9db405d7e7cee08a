"""A labgrid place through its coordinator: acquired for one rtvirt command, then released.

Acquiring and releasing go through ``labgrid-client`` (the coordinator's own client, with a
deadline); the place's resources through labgrid's ``RemotePlace``.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from rtvirt_agent.wire.errors import Unreachable, UsageError

CLIENT_TIMEOUT_S = 30.0
DEFAULT_COORDINATOR = "127.0.0.1:20408"


def coordinator_address(given):
    return given or os.environ.get("LG_COORDINATOR") or DEFAULT_COORDINATOR


def labgrid_client():
    beside = Path(sys.executable).with_name("labgrid-client")
    found = str(beside) if beside.exists() else shutil.which("labgrid-client")
    if not found:
        raise UsageError("labgrid-client not found: pip install 'rtvirt[labgrid]'")
    return found


def run_client(coordinator, place, action):
    argv = [labgrid_client(), "-x", coordinator, "-p", place, action]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=CLIENT_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as err:
        raise Unreachable(f"labgrid coordinator {coordinator}: no answer to {action} of "
                          f"place {place} within {CLIENT_TIMEOUT_S:g} s") from err
    if done.returncode:
        why = " ".join((done.stderr or done.stdout).split())[-400:]
        raise Unreachable(f"labgrid: {action} of place {place} at {coordinator} failed: {why}")


class Place:
    """An acquired place and the labgrid target holding its resources; ``release()`` once."""

    def __init__(self, name, coordinator):
        from labgrid import Target
        from labgrid.resource import RemotePlace

        self.name, self.coordinator = name, coordinator
        run_client(coordinator, name, "acquire")
        try:
            os.environ["LG_COORDINATOR"] = coordinator  # where RemotePlace looks it up
            self.target = Target(f"rtvirt-{name}")
            remote = RemotePlace(self.target, name=name)
            self.target.await_resources([remote], timeout=CLIENT_TIMEOUT_S)
        except BaseException:
            self.release()
            raise

    def release(self):
        target, self.target = getattr(self, "target", None), None
        if target is not None:
            target.cleanup()
        run_client(self.coordinator, self.name, "release")
