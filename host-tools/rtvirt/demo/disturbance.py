"""Disturbances: what runs on the target alongside a measurement, on purpose.

Each has ``where`` (the place whose agent runs it, rtvirt.demo.place), ``start(client,
duration_s)``, ``stop(client) -> note`` (a line for the user about what actually happened),
``failure`` (why it did not disturb as planned, after ``stop``, or None), ``labels`` (stored
with the result) and ``needs_blocksys``.
"""

import threading
import time

from rtvirt_agent.protocol.rpc import CALL_DEADLINE
from rtvirt_agent.wire.errors import RtvirtError

LEAD_S = 1.0  # let the measuring threads settle before disturbing them, and after


class Blocksys:
    """blocksys repeated with a period while the measurement runs (the seed's 4 ms blocks);
    ``where`` "vm:NAME" blocks in a KVM guest, through the host's agent (vm.call).

    The "blocksys" op blocks until all repetitions are done, so it runs in its own thread on
    the same client: ``Client.call`` is thread-safe and the measure call keeps streaming.
    """

    needs_blocksys = True

    def __init__(self, duration_us, cpus, period_ms, where="host"):
        self.duration_us, self.cpus, self.period_ms = duration_us, cpus, period_ms
        self.where = where
        self.labels = {"blocksys": f"{duration_us}us on CPUs {cpus}, every {period_ms}ms"}
        self._thread = None
        self._stop = threading.Event()
        self._outcome = None
        self._sent = []  # the blocksys request's id, once it went out

    def repeat_for(self, duration_s):
        """How many blocks fit between the lead-in and the lead-out of the measurement."""
        window_ms = (duration_s - 2 * LEAD_S) * 1000
        return max(1, int(window_ms // self.period_ms))

    def start(self, client, duration_s):
        request = {"duration_us": self.duration_us, "cpus": self.cpus,
                   "repeat": self.repeat_for(duration_s), "period_ms": self.period_ms}
        self._stop.clear()
        self._outcome = None
        self._sent = []
        self._thread = threading.Thread(target=self._run, args=(client, request),
                                        name="demo-blocksys", daemon=True)
        self._thread.start()

    def _run(self, client, request):
        if self._stop.wait(LEAD_S):
            return
        busy_s = request["repeat"] * request["period_ms"] / 1000
        kind, _, name = self.where.partition(":")
        op, request = ("vm.call", {"vm": name, "op": "blocksys", "args": request}) \
            if kind == "vm" else ("blocksys", request)
        try:
            self._outcome = client.call(op, request, timeout=busy_s + 60,
                                        deadline=busy_s + CALL_DEADLINE,
                                        on_start=self._sent.append)
        except RtvirtError as err:
            self._outcome = err

    @property
    def failure(self):
        if isinstance(self._outcome, Exception):
            return f"blocksys failed: {self._outcome}"
        if self._outcome is None:
            return "blocksys did not run"
        return None

    def stop(self, client):
        """Ends the blocks: none starts after the measurement (an emulated target may lag
        behind the plan, an interrupted measurement ends early)."""
        self._stop.set()
        self._thread.join(timeout=0)
        if self._thread.is_alive() and self._sent:
            client.call("cancel", {"req_id": self._sent[0]})
        self._thread.join()
        if self.failure:
            return self.failure
        reply = self._outcome
        return (f"blocksys: {reply['count']} block(s) on CPUs {self.cpus}, last requested "
                f"{reply['requested_ns'] / 1e6:.2f} ms, actual {reply['actual_ns'] / 1e6:.2f} ms")


class Load:
    """A stress-ng profile pinned to CPUs (the "load" op), e.g. the seed's LLC stress."""

    needs_blocksys = False
    failure = None  # a load that cannot start raises from start()

    def __init__(self, profile, cpus, where="host"):
        self.profile, self.cpus, self.where = profile, cpus, where
        self.labels = {"load": profile, "load_cpus": cpus}
        self._load_id = None

    def start(self, client, duration_s):
        reply = client.call("load", {"profile": self.profile, "cpus": self.cpus,
                                     "duration_s": float(duration_s + 2 * LEAD_S)})
        self._load_id = reply["load_id"]
        time.sleep(LEAD_S)  # stress-ng's workers are running and thrashing before we measure

    def stop(self, client):
        reply = client.call("load.stop", {"load_id": self._load_id})
        status = reply.get("exit_status")
        return f"load {self.profile} on CPU {self.cpus}: stress-ng exit status {status}"
