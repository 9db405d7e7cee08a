"""The target's end of an ivshmem region: ``rtvirt-agent --ivshmem DEV``.

Opening (re)initialises the region — a new generation, empty mailboxes — and starts the
heartbeat the host watches; closing stops it and marks the region closed.
"""

import threading

from rtvirt_agent.wire.ivshmem import HEARTBEAT_PERIOD_S

from . import region as regions
from .mailbox import ShmStream


class TargetStream(ShmStream):
    """The agent's protocol stream on a region it owns while it runs."""

    def __init__(self, path):
        region = regions.Region(path)
        regions.initialise(region)
        super().__init__(region, "target")
        self._stop = threading.Event()
        self._beater = threading.Thread(target=self._heartbeat_loop, name="ivshmem-heartbeat",
                                        daemon=True)
        self._beater.start()

    def _heartbeat_loop(self):
        while not self._stop.wait(HEARTBEAT_PERIOD_S):
            regions.bump_heartbeat(self.region)

    def close(self):
        if not self._stop.is_set():
            self._stop.set()
            self._beater.join()
            regions.close_header(self.region)
        super().close()
